"""The DOCX's table of contents (:func:`.docx_package.finish_docx` calls it).

pandoc writes an empty TOC field, which shows nothing until the reader
updates fields. Its result is filled here with one entry per heading the
HTML's TOC lists (levels 1 to TOC depth), each linked to a bookmark on its
heading, with a PAGEREF field for its page number: the reader sees the TOC
at once, and Word recomputes the page numbers when it updates the fields
(the field stays marked dirty, so Word offers to). Until then the PAGEREF
results are empty: docs/render.md says why they are not the PDF's.

Regular expressions on pandoc's own markup, never on text: every piece of
report text in ``document.xml`` is XML-escaped.
"""

from __future__ import annotations

import hashlib
import html
import re

from ..toc_numbers import NUMBER, number_width_em, twips
from .base import TOC_DEPTH
from .docx_package import TEXT_WIDTH, field

# the TOC styles' indent per level (reference.docx: 0, 283, 566 twips), where styles.xml gives none
_INDENT = 283
_TOC_IND = re.compile(r'<w:style [^>]*w:styleId="TOC(\d)"[^>]*>(?:(?!</w:style>).)*?<w:ind w:left="(\d+)"', re.S)


def toc_indents(styles: str) -> dict[int, int]:
    """The left indent (twips) of each TOC level's style in styles.xml."""
    return {int(level): int(left) for level, left in _TOC_IND.findall(styles)}


_HEADING = re.compile(
    r'((?:<w:bookmarkStart w:id="\d+" w:name="[^"]*" />\s*)*)'
    r'<w:p><w:pPr><w:pStyle w:val="Heading([1-9])" />((?:(?!</w:pPr>).)*)</w:pPr>((?:(?!</w:p>).)*)</w:p>',
    re.S,
)
_BOOKMARK_NAME = re.compile(r'w:name="([^"]*)"')
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_BOOKMARK_ID = re.compile(r'<w:bookmarkStart w:id="(\d+)"')
_TOC_FIELD = re.compile(
    r"<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\" />"
    r"<w:instrText xml:space=\"preserve\">(TOC [^<]*)</w:instrText>"
    r"<w:fldChar w:fldCharType=\"separate\" /><w:fldChar w:fldCharType=\"end\" /></w:r></w:p>"
)
# a heading the HTML and PDF leave out of their TOC (an annex's source
# groups and ToR themes): a style of its own, based on its heading level's,
# which keeps its look and outline level (the navigation pane) but which a
# TOC field (\o: the built-in heading styles) does not collect when Word
# updates it, so the three formats list the same entries
ANNEX_HEADING = "AbuildAnnexHeading{}"
_ANNEX_STYLE = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="AbuildAnnexHeading{0}">'
    '<w:name w:val="Annex Heading {0}"/><w:basedOn w:val="Heading{0}"/><w:next w:val="BodyText"/>'
    "<w:qFormat/></w:style>"
)


def bookmark_name(ident: str) -> str:
    """The name pandoc's DOCX writer gives the bookmark of identifier
    ``ident``: Word allows 40 characters, so a longer one becomes "X" and
    the last 39 hex digits of its SHA-1 (the benchmark report's section ids
    are up to 70 characters: 120 of its 232 TOC headings)."""
    if len(ident) <= 40:
        return ident
    return "X" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[1:]


def headings_and_toc(
    document: str,
    toc: set[str] | None = None,
    depth: int = TOC_DEPTH,
    numbers: dict[str, str] | None = None,
    indents: dict[int, int] | None = None,
) -> tuple[str, set[int]]:
    """Level-1 headings start a page; headings of levels 1 to ``depth`` get a
    bookmark and an entry in the table of contents' field result, if their
    identifier is one of ``toc`` (None: every heading; the names as
    :func:`bookmark_name` gives them); the others take the annex heading
    style. ``numbers`` gives a heading's number by bookmark name: an entry
    sets it in a column as wide as the widest (:mod:`..toc_numbers`), after
    the level's indent (``indents``, twips, the TOC styles'). Returns the
    document and the levels so restyled."""
    next_id = max((int(i) for i in _BOOKMARK_ID.findall(document)), default=0) + 1
    entries: list[tuple[int, str, str, str]] = []  # level, bookmark, escaped number, escaped title
    numbers = numbers or {}
    restyled: set[int] = set()

    def heading(m: re.Match[str]) -> str:
        nonlocal next_id
        marks, level, ppr, runs = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if level == 1 and "<w:pageBreakBefore" not in ppr:
            ppr = "<w:pageBreakBefore />" + ppr  # right after pStyle, as CT_PPr orders it
        names = _BOOKMARK_NAME.findall(marks)
        style = f"Heading{level}"
        if level <= depth and toc is not None and names and not set(names) & toc:
            style = ANNEX_HEADING.format(level)
            restyled.add(level)
        elif level <= depth:
            text = " ".join("".join(_TEXT.findall(runs)).split())
            if text:
                name = f"_Toc{next_id:09d}"
                number = next((numbers[n] for n in names if n in numbers), "")
                number = html.escape(number, quote=False) if NUMBER.fullmatch(number) else ""
                title = text[len(number) + 1 :] if number and text.startswith(number + " ") else text
                entries.append((level, name, number if title != text else "", _with_language(title, runs)))
                runs = f'<w:bookmarkStart w:id="{next_id}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{next_id}"/>'
                next_id += 1
        return f'{marks}<w:p><w:pPr><w:pStyle w:val="{style}" />{ppr}</w:pPr>{runs}</w:p>'

    document = _HEADING.sub(heading, document)
    found = _TOC_FIELD.search(document)
    if found is None:
        return document, restyled
    column = twips(number_width_em(html.unescape(e[2]) for e in entries))
    paragraphs = toc_paragraphs(found.group(1), entries, column, indents or {})
    return document[: found.start()] + paragraphs + document[found.end() :], restyled


_LANG_RUN = re.compile(
    r'<w:r><w:rPr>(?:(?!</w:rPr>).)*<w:lang w:val="([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)" ?/>'
    r"(?:(?!</w:rPr>).)*</w:rPr>((?:(?!</w:r>).)*)</w:r>",
    re.S,
)


def _with_language(title: str, runs: str) -> str:
    """The entry's title, XML-escaped, with the language of a heading part
    in another language (a translated edition's "[NL] Politieke
    ontwikkelingen", WCAG 3.1.2): the heading's runs with their own
    ``w:lang`` are one run of that language in the entry; the marker before
    them stays in the edition's language."""
    found = _LANG_RUN.findall(runs)
    if not found:
        return title
    lang = found[0][0]
    part = " ".join("".join(t for lg, r in found if lg == lang for t in _TEXT.findall(r)).split())
    if not part or not title.endswith(part):
        return title
    head = title[: -len(part)]
    return f'{head}</w:t></w:r><w:r><w:rPr><w:lang w:val="{lang}"/></w:rPr><w:t xml:space="preserve">{part}'


def annex_styles(styles: str, levels: set[int]) -> str:
    """styles.xml with the annex heading style of each of ``levels``."""
    have = set(re.findall(r'w:styleId="AbuildAnnexHeading(\d)"', styles))
    new = "".join(_ANNEX_STYLE.format(level) for level in sorted(levels) if str(level) not in have)
    return styles.replace("</w:styles>", new + "</w:styles>", 1)


def toc_paragraphs(
    instruction: str, entries: list[tuple[int, str, str, str]], column: int = 0, indents: dict[int, int] | None = None
) -> str:
    """The TOC field with one paragraph per entry as its result; ``instruction``
    and the entries' numbers and titles are already XML-escaped. A number is
    followed by a tab to its title, ``column`` twips on from the level's
    indent; the title's later lines hang there too, and so does a title
    without a number, as in the PDF."""
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    leader = f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/>'
    out = []
    for i, (level, name, number, title) in enumerate(entries):
        at = (indents or {}).get(level, _INDENT * (level - 1)) + column
        ppr = f'<w:tabs><w:tab w:val="left" w:pos="{at}"/>{leader}</w:tabs><w:ind w:left="{at}" w:hanging="{column}"/>'
        shown = f"<w:t>{number}</w:t><w:tab/>" if number else ""
        link = (
            f'<w:hyperlink w:anchor="{name}" w:history="1">'
            f'<w:r>{shown}<w:t xml:space="preserve">{title}</w:t></w:r><w:r><w:tab/></w:r>'
            + field(f"PAGEREF {name} \\h")
            + "</w:hyperlink>"
        )
        out.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/>{ppr}</w:pPr>{begin if i == 0 else ""}{link}</w:p>')
    if not out:
        return f"<w:p>{begin}{end}</w:p>"
    return "".join(out) + f"<w:p>{end}</w:p>"
