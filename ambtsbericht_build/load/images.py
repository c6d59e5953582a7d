"""Image inspection: is this file the image its name says, and safe to decode?

One function, :func:`inspect_image`, answers for every image a chapter
references (``check/images.py``, AB405) and is meant for the render too
(which today guesses the MIME type from the file name). The rules:

- the type is sniffed from the first bytes of the content (magic bytes),
  never from the name, so a symlink named ``kaart.png`` that points at a text
  file is a text file. The name written in the chapter must then agree with
  the content (a PNG named ``.jpg`` is refused: DOCX and ODT writers go by the
  name);
- PNG, JPEG and GIF are published; anything else (WebP, TIFF, PDF, text) is
  refused with what it is;
- a file over :data:`MAX_IMAGE_BYTES` is refused before it is read;
- a raster image's width and height come from its header (Pillow opens lazily)
  and more than :data:`MAX_PIXELS` pixels is refused *before* anything is
  decoded, so a 20000×20000 "decompression bomb" costs a header read; then the
  whole image is decoded once, which finds a truncated or corrupt file;
- an SVG is parsed with expat, with no DTD (a ``<!DOCTYPE>`` or entity
  declaration is refused, so no entity can expand) and no external entities;
  scripts, event attributes (``onload=``), ``<foreignObject>`` and every
  reference to another file or address (``href``/``xlink:href`` that is not
  ``#id`` or a ``data:image/png|jpeg|gif`` URI, CSS ``url(...)`` that is not
  ``url(#id)``, ``@import``, ``<?xml-stylesheet?>``) are refused. A UTF-16
  SVG and a compressed ``.svgz`` are refused with a message that says how to
  save it.
"""

from __future__ import annotations

import contextlib
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""An image file larger than this is not read (20 MB)."""

MAX_PIXELS = 40_000_000
"""A raster image with more pixels than this is not decoded (40 megapixels,
e.g. 8000×5000: an A4 page at 600 dpi is 35 megapixels). Decoded as RGBA
that is at most 160 MB."""

PUBLISHED = ("png", "jpeg", "gif", "svg")

MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml"}

# the name a drafter gives each type
_EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".svg": "svg"}

_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "svg": "SVG"}


class ImageError(Exception):
    """The file is not an image abuild publishes; ``str()`` says why, for a drafter."""


class UnsafeImage(ImageError):
    """An SVG that would run a script or load another file or address: a
    confidentiality finding (AB407), where a damaged image is not (AB405)."""


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # one of PUBLISHED
    width: int | None  # None for an SVG (it scales)
    height: int | None

    @property
    def mime(self) -> str:
        return MIME[self.kind]


# --- sniffing -------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)

# things a drafter may point at by mistake, named so the message says what it is
_OTHER: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document)"),
    (b"\x1f\x8b", "gzip-compressed (a .svgz or .gz file)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x00\x00\x01\x00", "an icon (.ico)"),
)

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes) -> str:
    """The type of a file from its first bytes: a key of :data:`MIME`, or a
    description of what it is instead ("a PDF document", "text", ...)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="replace")
        return "a UTF-16 SVG" if _looks_like_svg(text) else "UTF-16 text"
    for magic, what in _OTHER:
        if head.startswith(magic):
            return what
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if _looks_like_svg(text):
        return "svg"
    if not head:
        return "empty"
    if b"\x00" not in head and text.count("\ufffd") <= 2:
        return "text"
    return "unknown"


_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S | re.I)


def _looks_like_svg(text: str) -> bool:
    pos = 0
    while m := _PROLOG.match(text, pos):
        pos = m.end()
    return re.match(r"\s*<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]", text[pos:]) is not None


# --- inspecting -----------------------------------------------------------------------


def inspect_image(
    path: Path,
    name: str | None = None,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> ImageInfo:
    """Inspect the image at ``path``; raise :class:`ImageError` when it is not
    an image abuild publishes. ``name`` is the name the chapter gives it (its
    extension must agree with the content); default: ``path``'s own name."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageError(f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes for an image")
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ImageError(f"the file cannot be read: {exc.strerror or exc}") from None
    kind = sniff(head)
    if kind not in MIME:
        raise ImageError(_not_published(kind))
    ext = Path(name if name is not None else path.name).suffix.lower()
    named = _EXTENSIONS.get(ext)
    if named != kind:
        said = f"its name ends in {ext}" if ext else "its name has no extension"
        wanted = "/".join(e for e, k in _EXTENSIONS.items() if k == kind)
        raise ImageError(f"the file is a {_NAMES[kind]} image but {said}; name it {wanted}")
    if kind == "svg":
        check_svg(path.read_bytes())
        return ImageInfo("svg", None, None)
    return _check_raster(path, kind, max_pixels)


def _not_published(kind: str) -> str:
    if kind == "empty":
        return "the file is empty, not an image"
    if kind == "text":
        return "the file is text, not an image"
    if kind == "unknown":
        return "the file is not a PNG, JPEG, GIF or SVG image (its content is none of these)"
    if kind == "a UTF-16 SVG":
        return "the SVG is saved as UTF-16; save it as UTF-8"
    if kind.startswith("gzip"):
        return "the file is gzip-compressed (a .svgz?); save the SVG uncompressed, as .svg"
    return f"the file is {kind}, not a PNG, JPEG, GIF or SVG image"


_STRICT = threading.Lock()


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow with truncated images refused. WeasyPrint sets Pillow's global
    ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when it is imported, and in a
    process that has imported it a truncated PNG passed (or crashed Pillow's
    verify with an IndexError): found by a property test that ran after a
    test that laid out a PDF in the same process."""
    from PIL import ImageFile

    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _check_raster(path: Path, kind: str, max_pixels: int) -> ImageInfo:
    with _strict_decoding():
        return _check_raster_strictly(path, kind, max_pixels)


def _check_raster_strictly(path: Path, kind: str, max_pixels: int) -> ImageInfo:
    from PIL import Image, UnidentifiedImageError

    fmt = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=[fmt]) as im:  # reads the header only
                width, height = im.size
                if width * height > max_pixels:
                    raise ImageError(
                        f"the image is {width:,}×{height:,} = {width * height:,} pixels,"
                        f" over the limit of {max_pixels:,} pixels; scale it down"
                    )
                if kind == "png":
                    im.verify()  # every chunk's checksum, up to the closing IEND chunk
            if not _ends_properly(path, kind):
                raise ImageError(f"the {_NAMES[kind]} image is truncated: it lacks its end marker")
            with Image.open(path, formats=[fmt]) as im:
                im.load()  # decodes everything: a truncated or corrupt file fails here
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses far too large images itself, from the header too
        m = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(m.group(1)):,} pixels" if m else "too many pixels"
        raise ImageError(f"the image has {count}, over the limit of {max_pixels:,} pixels; scale it down") from None
    except UnidentifiedImageError:
        raise ImageError(f"the file starts like a {_NAMES[kind]} image but its header cannot be read") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise ImageError(f"the {_NAMES[kind]} image is damaged or truncated ({_short(str(exc))})") from None
    if width < 1 or height < 1:
        raise ImageError("the image has no pixels")
    return ImageInfo(kind, width, height)


# a PNG ends with its IEND chunk, a JPEG with EOI (FF D9), a GIF with its
# trailer ';'; some tools pad after it
_END_MARKERS = {"png": b"IEND\xaeB`\x82", "jpeg": b"\xff\xd9", "gif": b";"}


def _ends_properly(path: Path, kind: str) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 64))
        tail = fh.read().rstrip(b"\x00\r\n\t ")
    return tail.endswith(_END_MARKERS[kind])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


# --- SVG ----------------------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# never in a published SVG: scripts, HTML and plug-ins inside it
_FORBIDDEN_ELEMENTS = {
    "script": "a <script>",
    "foreignObject": "a <foreignObject> (HTML inside the SVG)",
    "iframe": "an <iframe>",
    "embed": "an <embed>",
    "object": "an <object>",
    "handler": "a <handler> (a script)",
    "listener": "a <listener> (a script)",
}
_SAFE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif)[;,]", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import", re.I)
_CSS_LOADERS = re.compile(r"(?:-webkit-)?image-set\(|\bsrc\(|@font-face", re.I)
_ANIMATION = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}


class _SvgRefused(Exception):
    pass


class _SvgTooDeep(Exception):
    pass


MAX_SVG_DEPTH = 256
"""An SVG whose elements nest deeper than this is refused (AB405): the
rebuild and the renderers walk the tree recursively (at 3,000 levels the
rebuild failed with a RecursionError); a drawing nests 10-20 levels."""


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an expat name with ' ' as namespace separator."""
    ns, _, local = name.rpartition(" ")
    return ns, local


def _reference_ok(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_SAFE_DATA.match(value))


def _check_css(text: str, where: str) -> None:
    if _CSS_IMPORT.search(text):
        raise _SvgRefused(f"{where} uses @import, which loads another file")
    if "\\" in text:
        # CSS escapes can spell url( or @import in a way no pattern sees (u\72l)
        raise _SvgRefused(f"{where} uses a CSS escape (a backslash); write the characters themselves")
    m = _CSS_LOADERS.search(text)
    if m:
        raise _SvgRefused(f"{where} uses {m.group(0)}, which loads another file")
    for m in _CSS_URL.finditer(text):
        if not _reference_ok(m.group(2)):
            raise _SvgRefused(f"{where} refers to {_short(m.group(2))!r} with url(); only url(#id) is allowed")


def check_svg(data: bytes) -> None:
    """Raise :class:`ImageError` unless ``data`` is an SVG that is safe to publish."""
    if data.startswith(_UTF16_BOMS):
        raise ImageError(_not_published("a UTF-16 SVG"))
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[str] = []
    root_seen = False
    state = {"in_style": 0}

    def doctype(*_: object) -> None:
        raise _SvgRefused("it has a <!DOCTYPE>; remove it (a DTD can expand entities or load files)")

    def entity(*_: object) -> None:
        raise _SvgRefused("it declares an entity; remove the <!DOCTYPE> and the entity")

    def external(*_: object) -> int:
        raise _SvgRefused("it refers to an external entity")

    def pi(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise _SvgRefused("it loads a style sheet (<?xml-stylesheet?>)")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal root_seen
        ns, local = _local(name)
        if not root_seen:
            root_seen = True
            if local != "svg" or ns not in ("", _SVG_NS):
                raise _SvgRefused(f"its root element is <{local}>, not <svg>")
        if len(stack) >= MAX_SVG_DEPTH:
            raise _SvgTooDeep
        if local in _FORBIDDEN_ELEMENTS:
            raise _SvgRefused(f"it contains {_FORBIDDEN_ELEMENTS[local]}")
        animates_href = False
        for aname, value in attrs.items():
            ans, alocal = _local(aname)
            if alocal.lower().startswith("on"):
                raise _SvgRefused(f"<{local}> has the event attribute {alocal}= (a script)")
            if alocal == "href" and ans in ("", _XLINK_NS) and not _reference_ok(value):
                raise _SvgRefused(
                    f"<{local}> refers to {_short(value)!r}; only #id and data:image/png|jpeg|gif are allowed"
                )
            if "javascript:" in value.lower().replace(" ", ""):
                raise _SvgRefused(f"<{local}> has a javascript: address in {alocal}=")
            if "url(" in value.lower() or "\\" in value or alocal == "style":  # presentation attributes are CSS
                _check_css(value, f"<{local}> {alocal}=")
            if local in _ANIMATION and alocal == "attributeName" and value.strip().endswith("href"):
                animates_href = True
        if animates_href:
            for key in ("to", "from", "values", "by"):
                for aname, value in attrs.items():
                    if _local(aname)[1] == key and not all(_reference_ok(v) for v in value.split(";") if v.strip()):
                        raise _SvgRefused(f"<{local}> sets a link to {_short(value)!r}")
        if local == "style":
            state["in_style"] += 1
        stack.append(local)

    def end(name: str) -> None:
        if stack and stack.pop() == "style":
            state["in_style"] -= 1

    style_text: list[str] = []

    def chars(text: str) -> None:
        if state["in_style"]:
            style_text.append(text)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.ProcessingInstructionHandler = pi
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except _SvgRefused as exc:
        raise UnsafeImage(f"the SVG is refused: {exc}") from None
    except _SvgTooDeep:
        raise ImageError(
            f"the SVG nests its elements more than {MAX_SVG_DEPTH} levels deep; group them less deeply"
        ) from None
    except expat.ExpatError as exc:
        raise ImageError(
            f"the SVG is not well-formed XML ({expat.errors.messages[exc.code]}, line {exc.lineno})"
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ImageError(f"the SVG cannot be read ({_short(str(exc))})") from None
    try:
        _check_css("".join(style_text), "its <style>")
    except _SvgRefused as exc:
        raise UnsafeImage(f"the SVG is refused: {exc}") from None
