"""Content rules: links, images and raw HTML stay inside the report's world."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..cache.checks import Codec
from ..diagnostics import Severity
from ..load import LoadedChapter
from ..load.markdown import Link
from . import Context, Finding, RuleDoc, chapter, rule

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def _links(ctx: Context, images: bool | None = None) -> Iterator[tuple[LoadedChapter, Link]]:
    for lc in ctx.report.chapters:
        for b in lc.chapter.all_blocks():
            for link in b.links:
                if images is None or link.image == images:
                    yield lc, link


def target_problem(ctx: Context, link: Link) -> tuple[str, str] | None:
    """What is wrong with a link's or image's target, as (code, message):
    AB401 for a target that would make abuild fetch something or read
    outside the repository (remote, absolute, escaping: a confidentiality
    finding), AB408 for a local target that is missing or not a file (an
    ordinary error, images.py); None when it is fine or a cross-reference.
    Whether it lies inside the repository is decided before whether it
    exists, so the message never tells whether a file outside exists."""
    # pandoc decodes character references in a target: `h&#116;tp://` is http://
    target = html.unescape(link.target) if "&" in link.target else link.target
    what = "image" if link.image else "link"
    if not target:
        return ("AB408", "image has no target") if link.image else None
    if target.startswith("#"):
        return None  # a cross-reference: AB403
    if _SCHEME.match(target):
        return "AB401", f"{what} target {target} is remote; nothing is fetched (put URLs in the sources)"
    path_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path_part:
        return None
    if Path(path_part).is_absolute():
        return "AB401", f"{what} target {target} is an absolute path"
    full = ctx.report.dir / path_part
    if not ctx.report.repo.contains(full):
        return "AB401", f"{what} target {target} is outside the repository"
    if not full.exists():
        return "AB408", f"{what} target {target} does not exist"
    if link.image and not full.is_file():
        return "AB408", f"image target {target} is not a file"
    return None


def target_findings(ctx: Context, code: str) -> Iterator[Finding]:
    for file, line, column, (found, message) in _target_problems(ctx):
        if found == code:
            yield Finding(file, line, column, message)


def _target_problems(ctx: Context) -> list[tuple[Path, int, int, tuple[str, str]]]:
    """Every link's and image's problem, inline and by reference, judged once
    per check for AB401 and AB408 together (kept on the context)."""
    cached: list[tuple[Path, int, int, tuple[str, str]]] | None = getattr(ctx, "_target_problems", None)
    if cached is None:
        from .memo import chapter_part

        # only the reference links of the chapters an edit changed are read (check/memo.py)
        links = list(_links(ctx)) + [
            (lc, link)
            for lc in ctx.report.chapters
            for link in chapter_part(
                "AB401 links",
                ctx.report,
                lc,
                lambda lc=lc: tuple(_reference_links(lc)),  # type: ignore[misc]
                _REFERENCE_LINKS,
            )
        ]
        cached = [
            (lc.file, link.line, link.column, problem)
            for lc, link in links
            if (problem := target_problem(ctx, link)) is not None
        ]
        setattr(ctx, "_target_problems", cached)  # noqa: B010 - not a field of Context
    return cached


# a link reference definition: `[label]: target` at the start of a line
_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*<?([^\s>]+)", re.M)


def _reference_links(lc: LoadedChapter) -> Iterator[Link]:
    """The links and images pandoc made from reference definitions
    (``[site][r]`` with ``[r]: https://...``), which the scanner does not
    resolve: every target in pandoc's reading of the chapter that is no
    inline link's, placed on the definition that gives it (or the chapter's
    first line when none does)."""
    text = lc.chapter.text
    if lc.chapter.pandoc_ast is None or "]:" not in text:
        return
    definitions = {html.unescape(m.group(1)): m for m in _DEFINITION.finditer(text)}
    if not definitions:
        return
    inline = {html.unescape(link.target) for b in lc.chapter.all_blocks() for link in b.links}
    seen: set[tuple[str, bool]] = set()
    for target, image in _ast_targets(lc.chapter.pandoc_ast):
        if target in inline or (target, image) in seen:
            continue
        seen.add((target, image))
        m = definitions.get(target)
        line, col = (text.count("\n", 0, m.start(1)) + 1, m.start(1) - text.rfind("\n", 0, m.start(1))) if m else (1, 1)
        yield Link("", target, line, col, image=image)


def _dump_links(links: tuple[Link, ...]) -> object:
    if any(link != Link("", link.target, link.line, link.column, image=link.image) for link in links):
        return None  # more than a reference link holds: not kept
    return [[link.target, link.line, link.column, link.image] for link in links]


def _load_links(raw: object) -> tuple[Link, ...] | None:
    """The links of :func:`_dump_links` (None: anything else)."""
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 4):
            return None
        target, line, column, image = item
        if not (isinstance(target, str) and type(line) is int and type(column) is int and isinstance(image, bool)):
            return None
        out.append(Link("", target, line, column, image=image))
    return tuple(out)


# what _reference_links makes: no text, no attributes, no offsets
_REFERENCE_LINKS = Codec(_dump_links, _load_links)


# inlines whose content is a string or nothing
_LEAF_INLINES = frozenset(("Str", "Space", "SoftBreak", "LineBreak"))


def _ast_targets(node: Any) -> Iterator[tuple[str, bool]]:
    """(target, is an image) of every Link and Image in a pandoc JSON AST."""
    # (exact types and no generator per node: JSON holds no subclasses; the
    # benchmark report's 12 chapters took 0.089 s, then 0.042-0.046 s; a word
    # or a space, most of the nodes, holds no link and is not stacked: 0.017 s)
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        n = pop()
        if type(n) is dict:
            t = n.get("t")
            if t == "Link" or t == "Image":
                c = n.get("c")
                if isinstance(c, list) and len(c) == 3 and isinstance(c[2], list) and c[2]:
                    yield str(c[2][0]), t == "Image"
            for v in n.values():
                if type(v) is list or (type(v) is dict and v.get("t") not in _LEAF_INLINES):
                    push(v)
        elif type(n) is list:
            for v in n:
                if type(v) is list or (type(v) is dict and v.get("t") not in _LEAF_INLINES):
                    push(v)


@rule(
    "AB401",
    Severity.ERROR,
    "image or link target that is remote, an absolute path or outside the repository",
    RuleDoc(
        finds="""
        An image or link whose target is remote (a scheme such as `https:`
        or `mailto:`, or `//host`), is an absolute path, or lies outside the
        repository (a `..` path or a symlink that leaves it). Targets are
        relative to the report directory; they are read as pandoc reads them:
        character references decoded (`h&#116;tps:` is `https:`), and a
        reference link's or image's target on its definition (`[r]: ...`).
        (A target inside the repository that does not exist is AB408.)
        """,
        why="""
        Nothing is ever fetched or read from outside the repository while
        checking or rendering: a remote image could change after review or
        tell its server who reads the report, a web link in the text is a
        source without date of consultation, and a path that leaves the
        repository could put a file from the drafter's machine in the
        report. A confidentiality finding: no render goes ahead, not even of
        a concept.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Zie het [verslag van HRW](https://www.hrw.org/world-report/2025/testland).[@hrw-2025]
            """),
        ),
        fix="""
        Put web addresses in the source (`URL` and `accessed` in
        sources.yaml) and cite it; put images in the report's `media/`.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            Zie het verslag van HRW.[@hrw-2025]
            """),
        ),
    ),
    confidentiality=True,
)
def bad_target(ctx: Context) -> Iterator[Finding]:
    yield from target_findings(ctx, "AB401")


@rule(
    "AB402",
    Severity.ERROR,
    "raw HTML in a chapter (HTML comments excepted: they are dropped)",
    RuleDoc(
        finds="""
        An HTML tag in a chapter. HTML comments are allowed and never
        rendered.
        """,
        why="""
        Chapters are Markdown: raw HTML would bypass the house style, the
        accessibility rules and the checks, appears in the HTML only (not in
        the PDF, DOCX or ODT the court receives), and a `<script>` must never
        reach a published file.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden <b>uitgesteld</b>.[@hrw-2025]
            """),
        ),
        fix="Write it in Markdown (`**uitgesteld**`); a note to fellow drafters goes in `::: intern`.",
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden **uitgesteld**.[@hrw-2025]
            """),
        ),
    ),
)
def raw_html(ctx: Context) -> Iterator[Finding]:
    for lc in ctx.report.chapters:
        for b in lc.chapter.all_blocks():
            opened: set[str] = set()
            for r in b.raw_html:
                m = _TAG_NAME.match(r.text)
                name = m.group(2).lower() if m else ""
                if m and m.group(1):
                    if name in opened:
                        continue  # the closing tag of an element already reported
                else:
                    opened.add(name)
                yield Finding(lc.file, r.line, r.column, f"raw HTML {_short(r.text)} is not allowed in a chapter")


_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _short(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= 40 else s[:37] + "..."


@rule(
    "AB403",
    Severity.ERROR,
    "cross-reference to an id that does not exist",
    RuleDoc(
        finds="""
        A link `[](#id)` or `[text](#id)` whose id is no heading, figure,
        table or div id of this report (in any chapter). Not checked while a
        chapter is unreadable (AB001).
        """,
        why="""
        A cross-reference that points nowhere prints as an empty or broken
        reference ("zie paragraaf ??"): the reader of the published report
        cannot follow the argument.
        """,
        example=(
            chapter("""
            ## Veiligheid {#sec-veiligheid-noorden tor="1.2"}

            De gevechten in het noorden (zie [](#sec-verkiezing)) duren voort.[@hrw-2025]
            """),
        ),
        fix="Link to an id that exists (`{#sec-...}` on a heading, `{#fig-...}` on a figure).",
        fixed=(
            chapter("""
            ## Veiligheid {#sec-veiligheid-noorden tor="1.2"}

            De gevechten in het noorden (zie [](#sec-verkiezingen)) duren voort.[@hrw-2025]
            """),
        ),
    ),
)
def dangling_xref(ctx: Context) -> Iterator[Finding]:
    if ctx.report.chapters_failed:
        return  # the id may be in the chapter that could not be read
    ids = ctx.analysis.ids
    for lc, link in _links(ctx, images=False):
        if link.target.startswith("#") and link.target[1:] not in ids:
            yield Finding(
                lc.file, link.line, link.column, f"cross-reference to #{link.target[1:]}, which does not exist"
            )


@rule(
    "AB404",
    Severity.ERROR,
    "image without alternative text (its caption/alt is empty)",
    RuleDoc(
        finds="""
        An image whose `![...]` text is empty (and that has no `alt=`
        attribute). That text is both its caption and its text alternative.
        """,
        why="""
        Published ambtsberichten must be accessible (WCAG 1.1.1, PDF/UA): a
        reader who cannot see a map needs its description, and a figure
        without a caption cannot be referred to in court.
        """,
        example=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            Het noorden is het onveiligste deel van het land.[@hrw-2025]

            ![](media/kaart.png)
            """),
        ),
        fix="Describe what the image shows, in the `![...]` text.",
        fixed=(
            chapter("""
            ## Veiligheid {tor="1.2"}

            Het noorden is het onveiligste deel van het land.[@hrw-2025]

            ![Kaart van Testland met de provincies](media/kaart.png)
            """),
        ),
    ),
)
def missing_alt(ctx: Context) -> Iterator[Finding]:
    for lc, link in _links(ctx, images=True):
        alt = link.text.strip()
        if link.attrs and link.attrs.kv.get("alt", "").strip():
            alt = link.attrs.kv["alt"]
        if not alt:
            yield Finding(lc.file, link.line, link.column, "image has no alternative text")


@rule(
    "AB406",
    Severity.ERROR,
    "character the house font cannot print (CJK, emoji, a script Noto Sans lacks)",
    RuleDoc(
        finds="""
        A character in a chapter, in report.yaml, tor.yaml, glossary.yaml or
        a source (its `internal` fields excepted) that the house font (Noto
        Sans) does not have: Chinese, Japanese or Korean characters, emoji,
        Arabic, Hebrew, Devanagari, and other scripts beyond Latin, Greek and
        Cyrillic. Control and format characters (soft hyphen, zero-width
        space) are not reported: they are never drawn.
        """,
        why="""
        The PDF is set in the house font only: abuild reads no font of the
        machine that renders it, so the PDF is the same on every machine and
        embeds nothing from outside the repository. A character the font
        lacks would print as an empty box in the published report, and the
        reader could not tell what was written there.
        """,
        example=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De partij 人民党 won de verkiezingen.[@hrw-2025]
            """),
        ),
        fix="""
        Transliterate the name and give the original in words ("de
        Volkspartij (Renmin Dang)"), or leave the emoji out.
        """,
        fixed=(
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De partij Renmin Dang (Volkspartij) won de verkiezingen.[@hrw-2025]
            """),
        ),
    ),
)
def unprintable_character(ctx: Context) -> Iterator[Finding]:
    from .translated_text import in_translations  # a translator's characters too

    yield from _unprintable(ctx)
    yield from in_translations(ctx, _unprintable)


def _unprintable(ctx: Context) -> Iterator[Finding]:
    from ..house_style import HouseStyle
    from .glyphs import FONT, character_map, describe

    style = HouseStyle.for_repo(ctx.report.repo.root)
    own = [f for f in style.overrides() if f.rel == FONT]
    cmap = character_map(own[0].path if own else None)

    def message(chars: list[tuple[int, str]]) -> str:
        shown = ", ".join(describe(ch) for _, ch in chars[:3])
        if len(chars) > 3:
            shown += f" and {len(chars) - 3} more"
        glyphs = "a glyph" if len(chars) == 1 else "glyphs"
        return f"the house font (Noto Sans) has no {glyphs} for {shown}: it would print as an empty box"

    for lc in ctx.report.chapters:
        for no, text_line in enumerate(lc.chapter.text.split("\n"), 1):
            lacking = cmap.lacks(text_line)
            if lacking:
                yield Finding(lc.file, no, lacking[0][0] + 1, message(lacking))
    docs = [ctx.report.report_doc, ctx.report.tor_doc, ctx.report.glossary_doc]
    for doc in docs:
        if doc is not None:
            for path, text in _strings(doc.data, ()):
                lacking = cmap.lacks(text)
                if lacking and path[:1] != ("deny",):
                    line, col = doc.pos(path)
                    yield Finding(doc.file, line, col, message(lacking))
    for entry in ctx.report.sources:
        for path, text in _strings(entry.raw, ()):
            lacking = cmap.lacks(text)
            if lacking:
                full = (*entry.path, *path)
                line, col = entry.positions.of(full) if entry.positions else (entry.line, entry.column)
                yield Finding(entry.file, line, col, message(lacking))


def _strings(data: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string of YAML data with its path; ``internal`` is never printed."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            if k != "internal":
                yield from _strings(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*path, i))
