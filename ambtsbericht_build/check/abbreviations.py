"""Abbreviations the list of abbreviations does not explain (AB506).

The list of abbreviations (the annex printed from ``glossary.yaml``) is where
a reader looks up "TOELT" or "NKC". An abbreviation the text uses and the
list lacks sends that reader nowhere: the example report named "IND, TOELT"
as the requester and listed only IND (page read for issue #11).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Severity
from ..load.markdown.model import Block
from . import Context, Finding, RuleDoc, chapter, rule, yaml_in

# a word of two or more capital letters, digits allowed ("VN", "UNHCR",
# "G77S"), and a plural or possessive "s" after it ("NGOs", "NGO's"): not a
# piece of a longer word ("VN" in "VNorg" is no abbreviation, "VN" in
# "VN-organisatie" is)
_ABBR = re.compile(r"(?<![\w@])((?=(?:\d*[A-Z]){2})[A-Z][A-Z0-9]*)(?:s\b|(?![\w]))")
_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# the markers AB502 reports ("TODO: opkomst"), not abbreviations
_MARKERS = frozenset({"TODO", "FIXME", "XXX"})
# what is not read as words: inline code, a link (its text too: "[verslag van
# HRW](https://...)" names its target) and an autolink or URL, a citation,
# attributes, raw HTML and comments
_NOT_TEXT = re.compile(
    r"`+[^`]*`+"  # code
    r"|<!--.*?-->"  # a comment
    r"|!?\[[^\[\]]*\]\([^)]*\)|\]\([^)]*\)"  # a link or image, its target
    r"|<[a-zA-Z][^<>]*>"  # an autolink, raw HTML
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+|\S+@\S+\.\S+"  # a bare URL, an e-mail address
    r"|\[[^\[\]]*@[^\[\]]*\]|(?<![\w])@[\w:.#$%&+?<>~/-]+"  # a citation
    r"|\{[^{}]*\}"  # attributes
)


def abbreviations_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, abbreviation) of each abbreviation in Markdown ``text``."""
    if not any("A" <= c <= "Z" for c in text):
        return
    cut = [(m.start(), m.end()) for m in _NOT_TEXT.finditer(text)]
    i = 0
    for m in _ABBR.finditer(text):
        while i < len(cut) and cut[i][1] <= m.start():
            i += 1
        if i < len(cut) and cut[i][0] <= m.start():
            continue
        word = m.group(1)
        if word in _MARKERS or _ROMAN.fullmatch(word):
            continue
        yield m.start(), word


def _explained(glossary: dict[str, str]) -> set[str]:
    """The glossary's abbreviations, and each without the signs around it
    ("LHBTIQ+" explains "LHBTIQ")."""
    out = set()
    for key in glossary:
        if isinstance(key, str):
            out.add(key.strip())
            out.add(re.sub(r"^\W+|\W+$", "", key.strip()))
    return out


@rule(
    "AB506",
    Severity.WARNING,
    "an abbreviation that the list of abbreviations (glossary.yaml) does not explain",
    RuleDoc(
        finds="""
        A word of two or more capital letters, digits allowed (`VN`,
        `UNHCR`, `TOELT`, also in `VN-organisatie` and `NGO's`), in the public
        text of a chapter (headings, paragraphs, notes, captions, tables;
        not `::: intern` notes, code, link targets, citations or
        attributes) or in the printed text of `tor.yaml` (title, requester,
        themes, questions), that `glossary.yaml` does not list. A Roman
        numeral (`II`, `XIV`) and a `TODO`, `FIXME` or `XXX` marker (AB502)
        are no abbreviations. Reported once per abbreviation per file, where
        it is first used. A report without `glossary.yaml` (`abuild new`
        writes one) has no list to complete and is not read.
        """,
        why="""
        The list of abbreviations is where a reader (a lawyer, a judge, an
        IND officer) looks up what an abbreviation stands for. One used in
        the text and missing from the list leaves that reader guessing, and
        the HTML cannot explain it when the mouse is on it.
        """,
        example=(
            yaml_in("glossary.yaml", "HRW: Human Rights Watch\n"),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De NKC maakte de uitslag op 3 maart 2025 bekend.[@hrw-2025]
            """),
        ),
        fix="""
        Add the abbreviation and its full form to `glossary.yaml`, or write
        it out in the text.
        """,
        fixed=(yaml_in("glossary.yaml", "HRW: Human Rights Watch\nNKC: Nationale Kiescommissie\n"),),
    ),
)
def unexplained_abbreviation(ctx: Context) -> Iterator[Finding]:
    if ctx.report.glossary_doc is None:
        return  # no list of abbreviations to complete (`abuild new` writes one)
    explained = _explained(ctx.report.glossary)
    for lc in ctx.report.chapters:
        first: dict[str, tuple[int, int]] = {}
        for b in lc.chapter.all_blocks():
            if b.kind == "code" or (b.div is not None and b.div.intern):
                continue
            for abbr, pos in _in_block(b):
                if abbr not in explained and (abbr not in first or pos < first[abbr]):
                    first[abbr] = pos
        yield from _findings(lc.file, first)
    yield from _in_tor(ctx, explained)


def _in_block(b: Block) -> Iterator[tuple[str, tuple[int, int]]]:
    for offset, abbr in abbreviations_in(b.text):
        yield abbr, b.pos(offset)


def _in_tor(ctx: Context, explained: set[str]) -> Iterator[Finding]:
    tor, doc = ctx.report.tor, ctx.report.tor_doc
    if tor is None or doc is None:
        return
    fields: list[tuple[tuple[str | int, ...], str]] = [(("title",), tor.title), (("requested_by",), tor.requested_by)]
    for i, theme in enumerate(tor.themes):
        fields.append((("themes", i, "title"), theme.title))
        for j, q in enumerate(theme.questions):
            fields.append((("themes", i, "questions", j, "text"), q.text))
    first: dict[str, tuple[int, int]] = {}
    lines: list[str] | None = None
    for path, text in fields:
        for offset, abbr in abbreviations_in(text):
            if abbr not in explained and abbr not in first:
                lines = _lines(doc.file) if lines is None else lines
                first[abbr] = _scalar_pos(doc.positions.values.get(path) or doc.pos(path), lines, text, offset)
    yield from _findings(doc.file, first)


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _scalar_pos(at: tuple[int, int], lines: list[str], text: str, offset: int) -> tuple[int, int]:
    """Where ``text[offset]`` is, when the scalar at ``at`` is written on its
    line as it reads (plain or quoted, without escapes); else ``at``."""
    line, col = at
    written = lines[line - 1][col - 1 :] if 0 < line <= len(lines) else ""
    for skip in (0, 1):  # plain, or after its opening quote
        if written[skip:].startswith(text[: offset + 1]):
            return line, col + skip + offset
    return at


def _findings(file: Path, first: dict[str, tuple[int, int]]) -> Iterator[Finding]:
    for abbr, (line, col) in sorted(first.items(), key=lambda kv: kv[1]):
        yield Finding(
            file,
            line,
            col,
            f"'{abbr}' is an abbreviation the list of abbreviations does not explain: add '{abbr}: <full form>'"
            " to glossary.yaml, or write it out",
        )


__all__ = ["abbreviations_in", "unexplained_abbreviation"]
