"""Match the forbidden values against every string of the outputs.

A finding names the file, the part of it, the kind of value, which piece of
it was found (a reference number, a rare word, a run of words; see
:mod:`.fingerprint`) and where the value was written (source id and field,
file and line). It never shows any part of the value, not even its first
characters or its length: the audit's own output ends up in CI logs.

Secrets are matched as token sequences (:func:`.text.tokens`): the same
normaliser the check (``check/confidential.py``) uses on the Markdown and
YAML, so what the check misses in the sources the audit still refuses in the
outputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import near_miss
from .extract import Extracted, Part, extract, extract_html
from .fingerprint import CODE_NAME, Index
from .forbidden import CONFIDENTIAL_KEY, GENERIC_PATHS, PATH, USER, Forbidden, Needle, path_pattern
from .match_memo import WindowMemo
from .text import fold, token_texts


@dataclass(frozen=True, order=True)
class AuditFinding:
    file: str
    part: str
    kind: str
    what: str  # which piece (fingerprint.RARE, ...) or a description of a problem; never the value
    origin: str = ""

    def __str__(self) -> str:
        what = f" ({self.what})" if self.what else ""
        return f"{self.file}: {self.part}: {self.kind}{what}" + (f" [{self.origin}]" if self.origin else "")

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "part": self.part, "kind": self.kind, "what": self.what, "origin": self.origin}


def finding(shown: str, part: str, needle: Needle | None, kind: str) -> AuditFinding:
    """The finding for a needle found in ``part`` of ``shown``: no part of the value."""
    if needle is None:
        return AuditFinding(shown, part, kind, "")
    what = needle.what if needle.mode == "phrase" else ""
    return AuditFinding(shown, part, kind, what, needle.origin)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _bounded(hay: str, start: int, needle: str) -> bool:
    end = start + len(needle)
    if _is_word(needle[0]) and start > 0 and _is_word(hay[start - 1]):
        return False
    if _is_word(needle[-1]) and end < len(hay) and _is_word(hay[end]):
        return False
    return True


def find_bounded(hay: str, needle: str) -> bool:
    i = hay.find(needle)
    while i >= 0:
        if _bounded(hay, i, needle):
            return True
        i = hay.find(needle, i + 1)
    return False


class Matcher:
    """The forbidden values compiled for matching many parts. With ``memo``
    (the render's audit), the fingerprint index's findings are remembered
    by the digest of the tokens matched (:mod:`.match_memo`): text matched
    once is not matched again, in this render or (through the render's
    cache, ``cache/audits.py``) the next."""

    def __init__(self, forbidden: Forbidden, *, memo: bool = False):
        public = [fold(p) for p in forbidden.public if p]
        self.logins: list[tuple[re.Pattern[str], Needle]] = []
        paths: dict[str, Needle] = {}
        self.phrases: list[Needle] = []
        self.index = Index()
        for n in forbidden.needles:
            if n.kind == USER and any(find_bounded(p, fold(n.value)) for p in public):
                continue  # part of the issuer or title: public by definition
            if n.mode == "path":
                paths.setdefault(n.value, n)
            elif n.mode == "login":
                self.logins.append((re.compile(r"(?<![\w.-])" + re.escape(n.value) + r"(?![\w-])"), n))
            elif n.tokens:
                self.index.add(n.tokens, len(self.phrases), cased=n.what == CODE_NAME)
                self.phrases.append(n)
        self.paths = paths
        self.path_re = path_pattern(list(paths))
        # a near-miss of a confidential key (a letter dropped, separators
        # changed, a prefix added) in an id, a bookmark or an anchor: the
        # check's AB302 finds it in the chapter; this finds it in an output
        # whose check was bypassed. Only in attributes and PDF objects (ids,
        # bookmark names, named destinations), one value a line
        keys = {n.value: n for n in forbidden.needles if n.kind == CONFIDENTIAL_KEY}
        self.keys = near_miss.Keys(list(keys))
        self.key_needles = keys
        self.key_order = sorted(keys)  # a key as the memo keeps it: its place here
        self.memo: WindowMemo | None = None
        if memo:
            seqs = ((n.tokens, n.what == CODE_NAME) for n in self.phrases)
            self.memo = WindowMemo(self.index, seqs, self.key_order)

    def _key_of(self, line: str) -> str | None:
        """The confidential key ``line`` is a near-miss of; with a memo,
        each line once (ids and anchors recur in every format's attributes)."""
        if self.memo is None:
            return self.keys.find(line)
        lines = self.memo.key_lines
        if line not in lines:
            lines[line] = self.keys.find(line)
        return lines[line]

    def _phrases_and_key(
        self, raw: str, lines: bool, readings: list[tuple[list[str], list[bool]]] | None = None
    ) -> tuple[frozenset[int], str | None]:
        """The phrases found in ``raw`` (their places in :attr:`phrases`) and,
        with ``lines``, the first confidential key a line is a near-miss of.
        ``readings``: ``token_texts(raw)``, where the writer's process made them."""
        hits: set[int] = set()
        if self.index.may_match(raw):
            for texts, glue in token_texts(raw) if readings is None else readings:
                hits.update(self._found(texts, glue))
            # a code name that is a common word counts only as a name (not "het kompas")
            hits = self.index.confirm(raw, hits)
        key = None
        if lines:
            for value in dict.fromkeys(raw.splitlines()):
                key = self._key_of(value)
                if key is not None:
                    break
        return frozenset(hits), key

    def _found(self, texts: list[str], glue: list[bool]) -> Iterable[int]:
        if self.memo is not None:
            return self.memo.find(texts, glue)
        return (payload for _, _, payload in self.index.find_texts(texts, glue))

    def match(self, part: Part) -> list[tuple[Needle | None, str]]:
        """(needle, kind) for every forbidden value in the part."""
        out: list[tuple[Needle | None, str]] = []
        raw = part.text
        lines = self.by_lines(part)
        known = self.memo.part(raw, lines) if self.memo is not None else None
        if known is not None:
            hits, key = known[0], (self.key_order[known[1]] if known[1] >= 0 else None)
        else:
            hits, key = self._phrases_and_key(raw, lines, part.readings)
            if self.memo is not None:
                self.memo.keep_part(raw, lines, hits, self.key_order.index(key) if key is not None else -1)
        for k in sorted(hits):
            n = self.phrases[k]
            if n.meta_only and not part.meta:
                continue
            out.append((n, n.kind))
        if key is not None:
            out.append((self.key_needles[key], CONFIDENTIAL_KEY))
        return out + self.paths_and_logins(part, (rx.search(raw) is not None for rx in GENERIC_PATHS))

    def by_lines(self, part: Part) -> bool:
        """Whether a near-miss of a key is looked for line by line: in a JSON
        or text output's lines too (the manifest lists every input's path: a
        media file named after the key, red team pass 3, T10)."""
        return bool(self.keys) and (
            "attribute" in part.name
            or part.name in ("text", "manifest")
            or part.name.startswith(("PDF objects", "PDF outline"))
        )

    def paths_and_logins(self, part: Part, generic: Iterable[bool]) -> list[tuple[Needle | None, str]]:
        """The part's file system paths and user names; ``generic``: for each of
        :data:`.forbidden.GENERIC_PATHS`, whether the part holds a match (the
        preview's pieces know it without searching the whole text: match_pieces.py)."""
        out: list[tuple[Needle | None, str]] = []
        raw = part.text
        if self.path_re is not None:
            for value in dict.fromkeys(m.group(0) for m in self.path_re.finditer(raw)):
                out.append((self.paths.get(value), PATH))
        for found in generic:
            if found:
                out.append((Needle(PATH, "", "a path into a user's or the system's directories", mode="path"), PATH))
        for rx, n in self.logins:
            if n.meta_only and not part.meta:
                continue
            if rx.search(raw):
                out.append((n, USER))
        return out


def audit_extracted(items: list[tuple[str, Extracted]], forbidden: Forbidden) -> list[AuditFinding]:
    matcher = Matcher(forbidden)
    findings: set[AuditFinding] = set()
    for shown_name, ex in items:
        for part_name, kind, what in ex.problems:
            findings.add(AuditFinding(shown_name, part_name, kind, what))
        for part in ex.parts:
            for needle, kind in matcher.match(part):
                findings.add(finding(shown_name, part.name, needle, kind))
    return sorted(findings)


def audit_files(
    files: list[Path],
    forbidden: Forbidden,
    *,
    full: bool = True,
    names: dict[Path, str] | None = None,
    print_html: dict[Path, Path] | None = None,
) -> list[AuditFinding]:
    """Audit rendered files. ``print_html`` maps a PDF to the HTML WeasyPrint
    was given (render time: audited instead of extracting the PDF's text)."""
    items: list[tuple[str, Extracted]] = []
    for f in files:
        shown = (names or {}).get(f, str(f))
        items.append((shown, extract(f, full=full)))
        if print_html and f in print_html and print_html[f].exists():
            ex = Extracted(f)
            extract_html(print_html[f].read_text(encoding="utf-8"), ex, "print HTML (PDF text)")
            items.append((shown, ex))
    return audit_extracted(items, forbidden)


def summary(findings: list[AuditFinding]) -> str:
    kinds: dict[str, int] = {}
    for f in findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
