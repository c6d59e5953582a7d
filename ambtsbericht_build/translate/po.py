"""PO files: read safely, merged the way gettext's msgmerge does, written atomically.

Reading goes through the load layer's :func:`~..load.files.read_text` (inside
the repository, under the size limit, UTF-8, no NUL), then polib. polib
takes a text that names an existing file as that file's path; such a text is
refused before polib sees it, so nothing outside the repository is read.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from pathlib import Path

import polib

from ..diagnostics import Diagnostics
from ..load.files import Repo, read_text
from ..render.atomic import write_text_atomically

CODE_UNREADABLE = "AB603"
_LINE = re.compile(r"\(line (\d+)\)")
# msgmerge's fuzzy matching: an entry whose msgid changed less than this keeps
# its translation, marked fuzzy (msgmerge's own threshold is 0.6 too)
SIMILAR = 0.6
# a chapter edited throughout: comparing every new entry with every old one is
# quadratic (a ratio of two 1,000-character paragraphs takes about 1 ms);
# past this many pairs only entries near the same place are compared
MAX_PAIRS = 20_000


def read_po(path: Path, repo: Repo, diags: Diagnostics, max_bytes: int) -> tuple[polib.POFile | None, str]:
    """The PO file and its text, or None with an AB603 at the line polib stopped at."""
    text = read_text(path, repo, diags, code=CODE_UNREADABLE, max_bytes=max_bytes, allow_empty=True)
    if text is None:
        return None, ""
    return parse_po(path, text, diags), text


def parse_po(path: Path, text: str, diags: Diagnostics) -> polib.POFile | None:
    with contextlib.suppress(ValueError, OSError):
        if os.path.exists(text):
            diags.error(CODE_UNREADABLE, path, 1, 1, "not a PO file (it holds nothing but a file name)")
            return None
    bad = _bad_line(text)
    if bad:
        line, why = bad
        msg = f"the PO file cannot be read: {why} (a translation tool or a hand edit broke it; it is left as it is)"
        diags.error(CODE_UNREADABLE, path, line, 1, msg)
        return None
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeError, IndexError, KeyError) as exc:
        m = _LINE.search(str(exc))
        line = int(m.group(1)) if m else 1
        why = str(exc).split(":", 1)[1].strip() if ":" in str(exc) else "syntax error"
        msg = f"the PO file cannot be read: {why} (a translation tool or a hand edit broke it; it is left as it is)"
        diags.error(CODE_UNREADABLE, path, line, 1, msg)
        return None
    return po


# polib reads ``msgstr "Elections`` (no closing quote) as "Election" and
# ``msgstr Elections`` as "lection": every line is checked against the PO
# grammar first, so a broken file is a finding, never a silently cut text
_STRING = r'"(?:[^"\\]|\\.)*"'
_MARKS = r"^(?:#~\s*)?(?:#\|\s*)?"  # obsolete, previous
_KEYWORD_LINE = re.compile(_MARKS + r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+" + _STRING + r"[ \t]*$")
_CONTINUATION = re.compile(_MARKS + r"[ \t]*" + _STRING + r"[ \t]*$")


def _bad_line(text: str) -> tuple[int, str] | None:
    for k, line in enumerate(text.split("\n"), 1):
        s = line.strip()
        if not s or (s.startswith("#") and not s.startswith(("#~", "#|"))):
            continue
        if _KEYWORD_LINE.match(s) or _CONTINUATION.match(s):
            continue
        if s.startswith(("#~", "#|")) and not s[2:].strip():
            continue
        if s.count('"') % 2 or not s.endswith('"'):
            return k, "a text is not closed with a double quote (or has a stray one)"
        return k, "not a PO line (msgid, msgstr, msgctxt, a quoted continuation or a # comment)"
    return None


def new_file(lang: str, project: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    # no dates: an unchanged extract leaves the file byte for byte as it was
    po.metadata = {
        "Project-Id-Version": project,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "abuild translate extract",
    }
    return po


def _key(e: polib.POEntry) -> tuple[str, str]:
    return e.msgctxt or "", e.msgid


def duplicate_keys(po: polib.POFile) -> set[tuple[str, str]]:
    """The (msgctxt, msgid) of live entries written more than once (msgfmt
    refuses such a file: which translation is meant cannot be known)."""
    seen: set[tuple[str, str]] = set()
    dup: set[tuple[str, str]] = set()
    for e in po:
        if not e.obsolete:
            (dup if _key(e) in seen else seen).add(_key(e))
    return dup


def merge(old: polib.POFile | None, new: list[polib.POEntry], lang: str, project: str) -> polib.POFile:
    """``new`` (the entries of the Dutch text now) with the translations of
    ``old``: an unchanged entry keeps its translation (and its fuzzy flag and
    translator comments); a changed one gets the translation of the most
    similar old entry, marked fuzzy, with the old msgid as ``#| msgid``; a new
    one is untranslated; an old entry that is no longer used and was
    translated is kept as obsolete (``#~``), as msgmerge does."""
    out = new_file(lang, project)
    if old is not None:
        out.metadata.update({k: v for k, v in old.metadata.items() if k not in out.metadata})
    live = [e for e in old if not e.obsolete] if old is not None else []
    dead = [e for e in old if e.obsolete] if old is not None else []
    exact = {_key(e): e for e in live}
    revived = {_key(e): e for e in dead}
    used: set[int] = set()
    pending: list[polib.POEntry] = []
    for e in new:
        prev = exact.get(_key(e)) or revived.get(_key(e))
        if prev is not None:
            used.add(id(prev))
            e.msgstr, e.tcomment = prev.msgstr, prev.tcomment
            if prev.fuzzy or prev.obsolete:
                e.flags.append("fuzzy")
                e.previous_msgid = prev.previous_msgid if prev.fuzzy else None
        else:
            pending.append(e)
        out.append(e)
    candidates = [e for e in live if id(e) not in used and e.msgstr]
    for e, prev in _similar(pending, candidates):
        used.add(id(prev))
        e.msgstr, e.tcomment = prev.msgstr, prev.tcomment
        e.flags.append("fuzzy")
        e.previous_msgid = prev.msgid
    for e in live + dead:
        if id(e) not in used and e.msgstr:
            e.obsolete = True
            e.occurrences = []
            out.append(e)
    return out


def _similar(pending: list[polib.POEntry], old: list[polib.POEntry]) -> list[tuple[polib.POEntry, polib.POEntry]]:
    """Each pending entry with the most similar unused old one (same msgctxt),
    if similar enough. A chapter rewritten throughout would make this
    quadratic: past MAX_PAIRS comparisons, each new entry is compared with
    the old entries around the same place in the file only."""
    pairs: list[tuple[float, int, int]] = []
    window = max(8, MAX_PAIRS // max(1, len(pending)))
    for i, e in enumerate(pending):
        centre = i * len(old) // max(1, len(pending))
        lo = max(0, min(centre - window // 2, len(old) - window))
        sm = difflib.SequenceMatcher(None, "", e.msgid, autojunk=False)  # b is cached: the new msgid
        for j in range(lo, min(len(old), lo + window)):
            o = old[j]
            if (o.msgctxt or "") != (e.msgctxt or ""):
                continue
            sm.set_seq1(o.msgid)
            if sm.real_quick_ratio() >= SIMILAR and sm.quick_ratio() >= SIMILAR:
                r = sm.ratio()
                if r >= SIMILAR:
                    pairs.append((r, i, j))
    out = []
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    for _r, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in taken_new and j not in taken_old:
            taken_new.add(i)
            taken_old.add(j)
            out.append((pending[i], old[j]))
    return out


def write_po(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` to ``path`` atomically (a temporary file beside it, then a
    rename); False when the file already holds exactly that."""
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, text)
    return True


def msgstr_position(lines: list[str], entry: polib.POEntry, offset: int) -> tuple[int, int]:
    """The line and column in the PO file (``lines``: its text split at line
    ends, once per file) of character ``offset`` of the entry's msgstr
    (polib gives the line where the entry starts)."""
    k = max(0, entry.linenum - 1)
    while k < len(lines) and not lines[k].startswith("msgstr"):
        k += 1
    if k >= len(lines):
        return max(1, entry.linenum), 1
    first = k
    n = 0
    while k < len(lines):
        ln = lines[k]
        q = ln.find('"')
        if q < 0 or (k > first and not ln.lstrip().startswith('"')):
            break
        i = q + 1
        while i < len(ln) and ln[i] != '"':
            if n == offset:
                return k + 1, i + 1
            i += 2 if ln[i] == "\\" else 1
            n += 1
        k += 1
    return first + 1, 1
