"""Confidential rules: no piece of a secret is written into the public text.

A drafter pastes the informant's code name, a reference number or half of an
internal note into a chapter; the render's audit would refuse the outputs,
but only after minutes, and without a line to fix. This rule finds it where
it was written: every fingerprint of every secret value (publish/fingerprint.py:
reference numbers, numbers, e-mail addresses, quoted code names, names, rare
words, runs of three words) is looked for, with the audit's normaliser
(publish/text.py), in every public text of the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Severity
from ..load import LoadedChapter, LoadedReport
from ..load.yamlpos import Positions
from ..publish import near_miss
from ..publish.fingerprint import CODE_NAME, Index, Print, allow_set, fingerprints, token_seq
from ..publish.forbidden import CONFIDENTIAL_KEY, DENY, INTERNAL, MIN_DIGITS, SecretField, secret_fields
from ..publish.text import Token, has_turned, token_texts, tokens, upright
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in
from .memo import FINDINGS, chapter_part, report_part

# citation keys are never printed (a confidential one is renamed before the
# render): `[@vb-2025-11-04]`, `-@key`, `@key` after a space or bracket
_CITE = re.compile(r"(?:(?<=^)|(?<=[\s\[;(-]))-?@[\w:.#$%&+?<>~/-]*\w|(?<=[\s\[;(])@\{[^}]*\}")
_NOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
# a citation glued inside a word (`Zwart[@hrw-2025]voet`) prints as a note
# call, "Zwart³voet": the word is read joined, as across a note call
_GLUED_CITE = re.compile(r"\[(?<=[^\W_]\[)[^\[\]\n]*@[^\[\]\n]*\](?=[^\W_])")
# what a block prints as an id, a class or an attribute value (red team pass
# 3, T07-T11): a figure's, a table caption's or a span's attributes
# (``{#fig-x}``, ``{.x}``, ``{k=v}``) and an internal link target (``](#x)``)
_INLINE_ATTRS = re.compile(r"\{([^{}\n]{1,500})\}")
_ATTR_WORD = re.compile(r"""(?<![^\s{])(?:[#.]([^\s{}"'=]+)|[\w:-]+=(?:"([^"]*)"|'([^']*)'|([^\s{}"']+)))""")
_LINK_TARGET = re.compile(r"\]\(\s*<?#([^\s)>]+)")
# markup inside a word, which pandoc takes out and the outputs print joined
# (red team pass 4, M01: Wi*ele*waal, Wiele^waal^, Wiele~~waal~~,
# [Wiele]{.x}waal, Wiele<!-- x -->waal, Wiele<b>waal</b>): the render's audit
# found them, the check did not say where. Read with it blanked out too
_MARKUP_IN_WORD = re.compile(
    r"(?<=[^\W_])(?:[*_^~`]{1,3}|\]\{[^{}\n]{0,200}\}|\]|<!--.{0,200}?-->|</?[A-Za-z][^<>\n]{0,200}>)(?=[^\W_])"
)


@dataclass
class _Secrets:
    index: Index
    prints: list[tuple[SecretField, Print]]
    # confidential keys: a near-miss in an id or attribute (publish/near_miss.py)
    keys: near_miss.Keys | None = None


def _secrets(lr: LoadedReport) -> _Secrets | None:
    fields = secret_fields(lr)
    allow = allow_set(lr.report.public_terms if lr.report is not None else [])
    index = Index()
    prints: list[tuple[SecretField, Print]] = []
    for f in fields:
        for p in fingerprints(f.value, allow, f.label):
            index.add(p.tokens, len(prints), cased=p.what == CODE_NAME)
            prints.append((f, p))
    if lr.report is not None and lr.report_doc is not None:
        # an entry of report.yaml's deny list, as a whole, folded as the
        # text is: the audit refuses it in an output; the check says where
        for i, value in enumerate(lr.report.deny):
            seq = token_seq(value)
            if seq:
                line, col = lr.report_doc.positions.of(("deny", i))
                index.add(seq, len(prints))
                field = SecretField("report.yaml", f"deny[{i}]", DENY, lr.report_doc.file, line, col, value)
                prints.append((field, _DENIED))
    # a confidential key written as text (the audit's needle of it: forbidden.source_needles)
    for s in lr.sources:
        if s.source.confidential and len(s.source.id) >= MIN_DIGITS and (seq := token_seq(s.source.id)):
            index.add(seq, len(prints))
            field = SecretField(s.source.id, "key", CONFIDENTIAL_KEY, s.file, s.line, s.column, s.source.id)
            prints.append((field, _KEY))
    keys = near_miss.Keys([s.source.id for s in lr.sources if s.source.confidential])
    return _Secrets(index, prints, keys if keys else None) if prints or keys else None


_DENIED = Print((), "an entry of the deny list")
_KEY = Print((), "the key")


def _hits(sec: _Secrets, toks: list[Token], text: str) -> Iterator[tuple[int, SecretField, Print]]:
    """(offset in the text, field, fingerprint) of each place a secret
    occurs; overlapping pieces of one field (a pasted sentence matches many
    runs of words) are one place."""
    spans: dict[tuple[str, str], list[tuple[int, int, Print]]] = {}
    fields: dict[tuple[str, str], SecretField] = {}
    for i, j, k in sec.index.find(toks, text):
        f, p = sec.prints[k]
        key = (f.source, f.field)
        fields[key] = f
        spans.setdefault(key, []).append((i, j, p))
    for key, found in spans.items():
        found.sort(key=lambda s: (s[0], -s[1]))
        end = -1
        for i, j, p in found:
            if i >= end:
                yield toks[i].start, fields[key], p
            end = max(end, j)


def _message(f: SecretField, p: Print, where: str) -> str:
    if f.kind == CONFIDENTIAL_KEY:
        return f"the key of confidential source {f.source} in {where}: a confidential key is never printed (rephrase)"
    if f.kind == DENY:
        return (
            f"{f.field} of report.yaml's deny list in {where}: it must never be printed"
            " (rephrase; if it is public after all, remove it from deny)"
        )
    what = f"internal field {f.field.removeprefix('internal.')}" if f.kind == INTERNAL else f"field {f.field}"
    if f.field.startswith("internal key "):  # a key of internal itself (forbidden._keys): "internal key 2"
        what = f.field
    return (
        f"{p.what} from {what} of source {f.source} in {where}: a secret must not be printed"
        " (rephrase; if the term is public, add it to public_terms in report.yaml)"
    )


class _Scan:
    def __init__(self, sec: _Secrets):
        self.sec = sec
        self.seen: set[tuple[str, int, int, str, str]] = set()
        # the views in which no secret occurs: what is found in a view
        # depends on the view alone, and the YAML repeats its values (the
        # benchmark report's 7,442 YAML strings are 2,222 different ones:
        # the same publisher, type, language in every source)
        self.quiet: set[str] = set()

    def text(
        self, file: Path, text: str, where: str, pos: Callable[[int], tuple[int, int]], views: tuple[str, ...] = ()
    ) -> Iterator[Finding]:
        """Findings in ``text`` (and in other views of it with the same
        offsets); ``pos(offset) -> (line, column)``."""
        # text written upside down, read upright (same offsets): red team pass 5
        turned = [u for u in map(upright, (text, *views)) if u is not None] if has_turned(text) else []
        index = self.sec.index
        for view in (text, *views, *turned):
            if view in self.quiet:
                continue
            # offsets only where something is found: most text matches
            # nothing, and the offset-keeping tokeniser is 4x slower (0.6 s
            # instead of 0.15 s on the benchmark report)
            if not index.may_match(view) or not any(index.payloads(t, g) for t, g in token_texts(view)):
                self.quiet.add(view)
                continue
            for offset, f, p in _hits(self.sec, tokens(view), view):
                line, col = pos(offset)
                key = (str(file), line, col, f.source, f.field)
                if key not in self.seen:
                    self.seen.add(key)
                    yield Finding(file, line, col, _message(f, p, where))

    def near_key(self, file: Path, value: str, where: str, line: int, col: int) -> Iterator[Finding]:
        """A near-miss of a confidential source's key in an id or attribute
        value (publish/near_miss.py)."""
        source = self.sec.keys.find(value) if self.sec.keys is not None else None
        if source is None:
            return
        key = (str(file), line, col, source, "key")
        if key not in self.seen:
            self.seen.add(key)
            yield Finding(
                file,
                line,
                col,
                f"the key of confidential source {source}, or nearly, in {where}: a confidential key is never"
                " printed (choose an id or value that does not resemble it)",
            )


def _at(line: int, col: int) -> Callable[[int], tuple[int, int]]:
    """Every offset at one place (an attribute's value, a file name)."""
    return lambda _offset: (line, col)


def _blank(text: str, rx: re.Pattern[str], fill: str) -> str:
    return rx.sub(lambda m: fill * len(m.group(0)), text)


def _chapter(scan: _Scan, lc: LoadedChapter) -> Iterator[Finding]:
    ch = lc.chapter
    for b in ch.all_blocks():
        if b.div is not None and b.div.intern:
            continue
        raw = _blank(b.text, _CITE, " ") if "@" in b.text else b.text
        views: tuple[str, ...] = ()
        cited = "@" in b.text and _GLUED_CITE.search(b.text) is not None
        if b.note_refs or b.inline_notes or cited:
            # a value split by a note call: `Kwar[^1]tel` is read as `Kwartel` too
            glued = _blank(_blank(b.text, _GLUED_CITE, "\u200b"), _CITE, " ") if cited else raw
            glued = _blank(glued, _NOTE_REF, "\u200b")
            for n in b.inline_notes:
                glued = glued[: n.offset] + "\u200b" * (n.end - n.offset) + glued[n.end :]
            views = (glued,)
        if _MARKUP_IN_WORD.search(raw):
            views += (_blank(raw, _MARKUP_IN_WORD, "\u200b"),)
        yield from scan.text(lc.file, raw, "the chapter text", b.pos, views)
        if scan.sec.keys is not None and ("{" in b.text or "](" in b.text):
            yield from _inline_keys(scan, lc.file, b.text, b.pos)
    lines = ch.text.splitlines()
    for attrs, what, at in [(h.attrs, "a heading's attributes", (h.line, h.column)) for h in ch.headings] + [
        (d.attrs, "a div's attributes", (d.line, d.column)) for d in ch.divs if not d.intern
    ]:
        values = [(value, attrs.kv_pos.get(key, (1, 1))) for key, value in attrs.kv.items()]
        # the id and the classes print too (HTML ids, the table of contents,
        # DOCX bookmarks, PDF anchors): where they are written on the line
        for word in ([f"#{attrs.id}"] if attrs.id else []) + [f".{c}" for c in attrs.classes]:
            src = lines[at[0] - 1] if 0 < at[0] <= len(lines) else ""
            values.append((word[1:], (at[0], src.find(word, at[1] - 1) + 1 if word in src else at[1])))
        for value, (line, col) in values:
            yield from scan.text(lc.file, value, what, _at(line, col))
            yield from scan.near_key(lc.file, value, what, line, col)
    if ch.front_matter:
        fm = ch.front_matter
        first = ch.front_matter_line

        def fm_pos(offset: int, fm: str = fm, first: int = first) -> tuple[int, int]:
            line = first + fm.count("\n", 0, offset)
            return line, offset - (fm.rfind("\n", 0, offset) + 1) + 1

        yield from scan.text(lc.file, fm, "the chapter's front matter", fm_pos)


def _inline_keys(scan: _Scan, file: Path, text: str, pos: Callable[[int], tuple[int, int]]) -> Iterator[Finding]:
    """A near-miss of a confidential key in the ids, classes and attribute
    values written inside a block, and in its internal link targets: each
    prints (HTML ids and classes, DOCX and ODT bookmarks, PDF anchors)."""
    for m in _INLINE_ATTRS.finditer(text):
        for w in _ATTR_WORD.finditer(m.group(1)):
            k = next(g for g in range(1, 5) if w.group(g) is not None)
            line, col = pos(m.start(1) + w.start(k))
            yield from scan.near_key(file, w.group(k), "an id, class or attribute in the text", line, col)
    for m in _LINK_TARGET.finditer(text):
        line, col = pos(m.start(1))
        yield from scan.near_key(file, m.group(1), "a link target", line, col)


def _leaves(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """(path, text, is_key) of every string in a YAML value, keys included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,), str(k), True
            yield from _leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, path + (i,))
    elif isinstance(value, str):
        yield path, value, False


def _yaml(scan: _Scan, file: Path, data: object, positions: Positions, where: str, skip: set[str]) -> Iterator[Finding]:
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in skip}
        yield from _yaml_entry(scan, file, data, positions, (), where)


class _Work:
    """AB302's work, started while pandoc reads the chapters (check/__init__.py
    :class:`~.Early`): the secrets' fingerprints and the YAML and media names
    at once, each chapter once it is pandoc's reading. The findings are those
    of one walk over the chapters, then the YAML, then the media: each file's
    findings come in the same order, and no two files share a finding."""

    def __init__(self, lr: LoadedReport):
        self.lr = lr
        self._scan: list[_Scan | None] = []  # made when a part is not kept
        self.chapters: dict[int, Sequence[Finding]] = {}  # id(LoadedChapter) -> its findings
        # kept while no input but a chapter changed (memo.py: in the preview,
        # and on disk); the YAML's findings share no file with a chapter's (_Scan.seen)
        self.rest = report_part("AB302", lr, lambda: tuple(self._rest(lr)), FINDINGS)

    def scan(self) -> _Scan | None:
        """The secrets' scanner (None: the report has no secret), made once:
        only when a part is walked (the preview keeps the secrets too)."""
        if not self._scan:
            sec = report_part("AB302 secrets", self.lr, lambda: _secrets(self.lr))
            self._scan.append(_Scan(sec) if sec is not None else None)
        return self._scan[0]

    def chapter(self, lc: LoadedChapter) -> None:
        if id(lc) not in self.chapters:  # an unchanged chapter's findings kept (memo.py)
            self.chapters[id(lc)] = chapter_part("AB302", self.lr, lc, lambda: self._walk(lc), FINDINGS)

    def _walk(self, lc: LoadedChapter) -> tuple[Finding, ...]:
        scan = self.scan()
        return tuple(_chapter(scan, lc)) if scan is not None else ()

    def findings(self, lr: LoadedReport) -> Iterator[Finding]:
        for lc in lr.chapters:
            if id(lc) not in self.chapters:  # not walked early (no pandoc reading, say)
                self.chapter(lc)
            yield from self.chapters[id(lc)]
        yield from self.rest

    def _rest(self, lr: LoadedReport) -> Iterator[Finding]:
        scan = self.scan()
        if scan is None:
            return
        for doc, where, skip in (
            (lr.report_doc, "report.yaml", {"deny", "public_terms"}),
            (lr.tor_doc, "tor.yaml", set()),
            (lr.glossary_doc, "the glossary", set()),
        ):
            if doc is not None:
                yield from _yaml(scan, doc.file, doc.data, doc.positions, where, skip)
        for s in lr.sources:
            if s.source.confidential or s.positions is None:
                continue
            raw = {k: v for k, v in s.raw.items() if k != "internal"}
            yield from _yaml_entry(scan, s.file, raw, s.positions, s.path, f"public source {s.source.id}")
        from ..translate.po import msgstr_position
        from ..translate.state import public_texts  # a translation is public text too

        last: tuple[Path, str, Callable[[int], tuple[int, int]]] | None = None
        for file, text, pos in public_texts(lr):
            yield from scan.text(file, text, "a translation (PO file)", pos)
            if getattr(pos, "func", None) is not msgstr_position:
                continue
            if last is not None and last[0] == file:
                # two adjacent translations (a table row's cells, "Karel" |
                # "Smit") print next to each other, and the audit reads them
                # as one text (red team pass 6, T2/T9): read them so too; a
                # secret across both is reported where the first one starts
                both, at = _adjacent(last[1], last[2], text, pos)
                yield from scan.text(file, both, "two adjacent translations (PO file)", at)
            last = (file, text, pos)
        # the names the preview's memo keys on (check/memo.py): one walk for both
        from .memo import media_names

        for rel in media_names(lr.dir):
            p = lr.dir / "media" / rel
            yield from scan.text(p, rel, "a media file name", _at(1, 1))
            # the manifest prints every input's path (red team pass 3, T10)
            yield from scan.near_key(p, rel, "a media file name", 1, 1)


@rule(
    "AB302",
    Severity.ERROR,
    "a piece of a secret (internal field, confidential source) is in the public text",
    RuleDoc(
        finds="""
        A piece of any `internal` value of any source, or of a field of a
        confidential source that is not printed, in the public text: chapter
        text, notes, captions, alt text, link text and targets, attributes,
        front matter, `report.yaml`, `tor.yaml`, `glossary.yaml`, public
        sources and the names of files under `media/`. The pieces looked for
        are its reference numbers (`AMB-VB/2025/0218`), numbers of five
        digits or more (`06-1234 5670`), e-mail addresses, quoted code names
        (`contact 'Kompas'`), code names recorded without quotes
        (`codenaam: Kompas`, one capitalised word under any key, `Kompas:
        codenaam`, `Kompas: {rol: informant}`, `contact (Kompas)`, `contact
        [Kompas]`, `contact *Kompas*`: found where not written in lower case,
        also at the start of a compound), names
        (two capitalised words in a row), rare words (not among the common
        Dutch and English words; also at either end of a compound and split
        by a hyphen: `Oudzwartvoet`, `Zwart-voet`) and every run of three of
        its words; the keys of `internal` are secrets too. So are every
        entry of `deny:` in `report.yaml`, the key of a confidential source
        written as text, and a near-miss of that key (a letter changed,
        dropped or added, other separators, a prefix or suffix) in an id,
        class or attribute (of a heading, div, figure, table or span), an
        internal link target or a media file name. Case, accents, invisible
        and private-use characters and marks, look-alike letters, symbols and
        digits from other scripts (`Ꮮ`, `℮`, `০`, `Ɪ`, `🅰`; one letter no
        table knows in a single-word secret: `Moerьeiboom`), the letter O for zero in
        a number, quotes of any kind, dashes, line breaks, other writings of
        a number (`+31 6 1234 5670`, `06 -//- 1234 -//- 5670`) or a
        reference, HTML entities, percent-encoding and a note call or
        citation inside the value do not hide it.
        The message names the source and the field, never the value.
        """,
        why="""
        An ambtsbericht that names an informant can cost a life. A drafter
        rarely pastes a whole internal note into the text, but a code name,
        a reference number or a name from it is enough to identify someone.
        The render's audit refuses such outputs too; this rule says where
        the piece was written, before anything is rendered.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: vb-2025-12-01
                  type: interview
                  confidential: true
                  issued: 2025-12-01
                  internal:
                    who: contact 'Kwartel', havenpolitie Noordkaap
                    notes: verslag AMB-TL/2025/1201
                    archief: AMB-TL/2025/1201
                """,
            ),
            chapter("""
            ## Veiligheid {tor="1.2"}

            Volgens Kwartel (verslag AMB-TL/2025/1201) waren er gevechten.[@vb-2025-12-01]
            """),
        ),
        fix="""
        Rephrase the text without the name, number or words of the internal
        note: the source is cited as "Vertrouwelijke bron" and that is all a
        reader may learn of it. When a term is public although it occurs in
        an internal field (a city, a party, the country), add it to
        `public_terms` in `report.yaml`, after review: it is then not looked
        for alone (it still counts in a run of words).
        """,
        fixed=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            Volgens een vertrouwelijke bron waren er gevechten.[@vb-2025-12-01]
            """),
        ),
    ),
    confidentiality=True,
    early=_Work,
)
def secret_in_public_text(ctx: Context) -> Iterator[Finding]:
    work = ctx.early.get("AB302")
    if not isinstance(work, _Work):
        work = _Work(ctx.report)
    yield from work.findings(ctx.report)


def _adjacent(
    a: str, pos_a: Callable[[int], tuple[int, int]], b: str, pos_b: Callable[[int], tuple[int, int]]
) -> tuple[str, Callable[[int], tuple[int, int]]]:
    """``a`` and ``b`` as one text (a line break between), with the position
    of each offset in the one it is in."""

    def at(offset: int) -> tuple[int, int]:
        return pos_a(offset) if offset <= len(a) else pos_b(offset - len(a) - 1)

    return a + "\n" + b, at


def _yaml_entry(
    scan: _Scan, file: Path, raw: dict[str, object], positions: Positions, base: tuple[str | int, ...], where: str
) -> Iterator[Finding]:
    for path, text, is_key in _leaves(raw, ()):
        if text in scan.quiet and not has_turned(text):
            continue  # read before, nothing found (the same type, publisher, language in every source)
        full = base + path
        line, col = (positions.keys if is_key else positions.values).get(full) or positions.of(full)
        one_line = "\n" not in text

        def pos(offset: int, line: int = line, col: int = col, one_line: bool = one_line) -> tuple[int, int]:
            return (line, col + offset) if one_line else (line, col)

        yield from scan.text(file, text, where, pos)


REDACTED = "[vertrouwelijk]"


def redactor(lr: LoadedReport) -> Callable[[str], str]:
    """A function that writes ``text`` with every piece of a secret of the
    report (what AB302 finds, any writing of it) replaced by
    :data:`REDACTED`: for text abuild echoes from outside the report, such
    as a reviewer's comment in a returned DOCX, which ``abuild review
    import`` prints to a terminal, JSON, SARIF or a CI annotation (red team
    pass 5: a comment naming the informant went into every format)."""
    sec = _secrets(lr)

    def redact(text: str) -> str:
        if sec is None or not text:
            return text
        spans: list[tuple[int, int]] = []
        views = [text, *([u] if has_turned(text) and (u := upright(text)) is not None else [])]
        for view in views:
            if not sec.index.may_match(view):
                continue
            toks = tokens(view)
            spans += [(toks[i].start, toks[j - 1].end) for i, j, _ in sec.index.find(toks, view)]
        if not spans:
            return text
        out, at = [], 0
        for a, b in sorted(spans):
            if b <= at:
                continue
            out.append(text[at:a] if a > at else "")
            out.append(REDACTED)
            at = max(at, b)
        return "".join(out) + text[at:]

    return redact
