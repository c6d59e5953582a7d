"""HTML -> PDF with WeasyPrint: tagged PDF/UA-1, reading only allowed files,
byte-identical on every run.

Nothing is fetched: :class:`LocalOnlyFetcher` serves ``data:`` URLs and the
house fonts, and refuses everything else without making a request.

Reproducible: WeasyPrint 70 writes no clock time and no random identifier for
PDF/UA-1 when it is given the document's dates (``<meta name=dcterms.*>``,
from the source epoch) and a ``pdf_identifier``; the identifier is derived
from the HTML, so the same HTML gives the same file. Font subset tags are
derived from the font description (not from Python's ``hash``), so they do
not change with ``PYTHONHASHSEED``. The tests render twice and compare.

No paths: a relative link (``[bijlage](media/x.pdf)``) would become a
``file://`` URI with the absolute path of the templates directory; such links
are dropped from the PDF (their text stays).

For the render-time audit (``sidecars=True``), the HTML WeasyPrint is given
is written beside the PDF as ``<name>.print.html``, before the layout starts
(and again after it, if a layout pass changed it), and ``<name>.tools.json``
records the versions of the libraries that shaped the file and the URLs the
fetcher refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from .weasy_dlopen import import_weasyprint

import_weasyprint()  # before any other import of WeasyPrint: its libraries opened without gcc (weasy_dlopen.py)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from ..house_style import HouseStyle, template_path  # noqa: E402
from . import page_numbers  # noqa: E402
from .facts import default_house_style  # noqa: E402


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no types
    """Serves ``data:`` URLs, the house style's files (a repository's
    override under abuild's name: the fonts of fonts.css) and files under the
    allowed directories; refuses everything else without making a request
    (nothing is fetched)."""

    def __init__(self, allowed: list[Path], style: HouseStyle | None = None) -> None:
        super().__init__(allowed_protocols=["data", "file"])
        self.allowed = [p.resolve() for p in allowed]
        self.style = style
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            styled = self.style.fetch_path(path) if self.style is not None else None
            if styled is not None:
                return URLFetcherResponse(url, body=styled.read_bytes())
            if any(path == a or a in path.parents for a in self.allowed) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"abuild does not fetch {url}")


def _write_atomic(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def tool_versions() -> dict[str, str]:
    """Versions of what shapes the PDF's bytes."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str] = {}
    for dist in ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pillow"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            pass
    try:  # the system libraries that shape and lay out the text
        from weasyprint.text.ffi import pango

        v = int(pango.pango_version())
        out["pango"] = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    except Exception:  # informative only: never fail a render for it
        pass
    try:  # WeasyPrint subsets the fonts with HarfBuzz where it can, else with fontTools: other bytes
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        hb_subsets = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
        out["font subsets"] = "harfbuzz-subset" if hb_subsets else "fonttools"
    except Exception:
        pass
    try:
        import ctypes

        hb = _loaded_harfbuzz()
        if hb is not None:
            hb.hb_version_string.restype = ctypes.c_char_p
            out["harfbuzz"] = hb.hb_version_string().decode()
    except Exception:
        pass
    return out


def _loaded_harfbuzz() -> Any:
    """The HarfBuzz library WeasyPrint has already loaded, by the names it
    loads it under; ``ctypes.util.find_library`` only when none answers, as
    it may start ``ldconfig`` or even ``gcc`` in this writer process (seen left
    running when a render was stopped)."""
    import ctypes
    import ctypes.util

    for soname in ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"):
        try:
            return ctypes.CDLL(soname)
        except OSError:
            continue
    name = ctypes.util.find_library("harfbuzz")
    return ctypes.CDLL(name) if name else None


def _drop_local_links(document: Any) -> int:
    """Remove links to files (resolved against the templates directory: they
    would carry an absolute path); internal links and URLs stay."""
    dropped = 0
    for page in document.pages:
        keep = []
        for link in page.links:
            kind, target = link[0], link[1]
            if kind == "external" and str(target).lower().startswith("file:"):
                dropped += 1
                continue
            keep.append(link)
        page.links[:] = keep
    return dropped


@contextlib.contextmanager
def environ_set(name: str, value: str) -> Iterator[None]:
    """The environment variable ``name`` set to ``value`` while the block
    runs (in this process and those it starts or forks), then as it was."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextlib.contextmanager
def package_fonts_only() -> Iterator[None]:
    """WeasyPrint finds fonts through fontconfig, which reads every system
    font directory (/usr/share/fonts, ~/.fonts): a character the house font
    lacks was set in whatever the machine had (DejaVu Sans here) and that
    font was embedded in the PDF. For the layout, fontconfig is given a
    configuration of its own that lists only abuild's fonts directory and
    includes nothing else (no /etc/fonts, no aliases), so no system font is
    read or embedded; a missing character is drawn as the house font's
    empty box, and the check reports it beforehand (AB406).
    WeasyPrint reads ``FONTCONFIG_FILE`` when it creates its font
    configuration, once per layout."""
    fonts = template_path("fonts").resolve()
    with tempfile.TemporaryDirectory(prefix="abuild-fonts-") as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?>\n<fontconfig>\n'
            f"  <dir>{xml_escape(str(fonts))}</dir>\n"
            f"  <cachedir>{xml_escape(tmp)}</cachedir>\n"
            "</fontconfig>\n",
            encoding="utf-8",
        )
        with environ_set("FONTCONFIG_FILE", str(conf)):
            yield


def _layout(html: str, fetcher: LocalOnlyFetcher) -> Any:
    # relative URLs (the fonts of fonts.css) resolve to abuild's file names;
    # the fetcher serves the style's file for each (a repository's override)
    return HTML(string=html, base_url=template_path("fonts").as_uri() + "/", url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def layout_revised(
    html: str, fetcher: LocalOnlyFetcher, revise: Callable[[Any, str], str] | None, max_passes: int
) -> tuple[Any, str]:
    """``html`` laid out, then laid out again while ``revise(document, html)``
    changes it (at most ``max_passes`` times); the last layout and its HTML."""
    document = _layout(html, fetcher)
    for _ in range(max_passes if revise else 0):
        assert revise is not None
        revised = revise(document, html)
        if revised == html:
            break
        html = revised
        document = _layout(html, fetcher)
    return document, html


def write_laid_out(document: Any, out: Path, ident: bytes) -> int:
    """Write a laid-out document (its page numbers written) as tagged PDF/UA-1;
    the number of links to local files dropped."""
    dropped = _drop_local_links(document)
    document.write_pdf(str(out), pdf_variant="pdf/ua-1", pdf_identifier=ident, pdf_tags=True)
    return dropped


def identifier(html: str) -> bytes:
    """The PDF's identifier: from its HTML, so the same HTML gives the same file."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def html_to_pdf(
    html: str,
    out: Path,
    *,
    style: HouseStyle | None = None,
    sidecars: bool = False,
    revise: Callable[[Any, str], str] | None = None,
    max_passes: int = 4,
    placeholders: Callable[[int], str] = page_numbers.print_css,
    in_parts: Callable[[str, LocalOnlyFetcher], tuple[int, dict[str, int]] | None] | None = None,
) -> None:
    """Lay out ``html`` and write the PDF; the house fonts come from
    ``style`` (default: abuild's own). ``revise(document, html)`` may
    return changed HTML after seeing a layout (e.g. to keep notes with their
    calls); the HTML is laid out again until it returns it unchanged, and the
    last layout is the one written. ``placeholders(digits)`` is the CSS in
    ``html`` that sets the page numbers' placeholders (replaced by wider ones
    over 999 pages). ``in_parts(html, fetcher)`` may write the PDF in parts
    (:mod:`.pdf_layout_parts`) and return the links it dropped and what it
    did (recorded in the tools sidecar); None: the document is laid out as a
    whole."""
    style = style or default_house_style()
    fetcher = LocalOnlyFetcher([template_path("")], style)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    sidecar = out.with_name(out.name + ".print.html")
    if sidecars:
        # before the layout, so that the render's audit reads the page text
        # (0.4 s of CPU on the benchmark report) on the other core while this
        # one lays out, not after the PDF is written; the passes below change
        # only class names and the placeholders' CSS, never the text
        _write_atomic(sidecar, html)
    first = html
    parts: dict[str, int] = {}
    with package_fonts_only():
        done = in_parts(html, fetcher) if in_parts is not None else None
        if done is None:
            document, html = layout_revised(html, fetcher, revise, max_passes)
            digits = page_numbers.DIGITS
            while not page_numbers.write_page_numbers(document, digits):  # over 999 pages: wider placeholders
                wider = len(str(len(document.pages)))
                html = html.replace(placeholders(digits), placeholders(wider))
                digits = wider
                document = _layout(html, fetcher)
            dropped = write_laid_out(document, out, identifier(html))
        else:
            dropped, parts = done
    if sidecars and html != first:  # the HTML laid out last, for the cache (cache/outputs.py)
        _write_atomic(sidecar, html)
    if sidecars:
        _write_atomic(
            out.with_name(out.name + ".tools.json"),
            json.dumps(
                {
                    "tools": tool_versions(),
                    "refused": sorted(set(fetcher.refused)),
                    "dropped_file_links": dropped,
                    **({"parts": parts} if parts else {}),
                },
                indent=1,
                sort_keys=True,
            ),
        )
