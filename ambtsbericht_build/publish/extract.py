"""Every string of a rendered file, part by part.

A :class:`Part` is one place in a file (the HTML text, one XML part of a DOCX,
the outline of a PDF, ...) with all its strings joined by newlines. ``meta``
marks document metadata (PDF info/XMP, DOCX core properties, ODT meta.xml,
the HTML ``<head>``), where even an ordinary login name is a leak.

``full=False`` is the render-time mode: a PDF's page text is not extracted
(the render audits the HTML WeasyPrint was given instead, which is where the
text came from); everything else is read in full.

HTML, embedded files and DOCX/ODT packages are read here, PDFs in
``extract_pdf.py``.
"""

from __future__ import annotations

import base64
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree as ET

from .kinds import ACTIVE, REMOTE


@dataclass
class Part:
    name: str
    text: str
    meta: bool = False
    # text.token_texts(text), when the writer's process tokenised it (publish/reading.py)
    readings: list[tuple[list[str], list[bool]]] | None = field(default=None, compare=False, repr=False)


@dataclass
class Extracted:
    file: Path
    parts: list[Part] = field(default_factory=list)
    # (part, kind, description): problems found while extracting (scripts,
    # remote resources, unreadable parts)
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, name: str, strings: str | Iterable[str], meta: bool = False) -> None:
        text = strings if isinstance(strings, str) else "\n".join(s for s in strings if s)
        if text:
            self.parts.append(Part(name, text, meta))


class UnsupportedFile(Exception):
    pass


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".pdf", ".docx", ".odt", ".json", ".txt"):
        return suffix[1:]
    raise UnsupportedFile(f"{path.name}: not an output abuild audits (html, pdf, docx, odt, json)")


def files_in(directory: Path) -> tuple[list[Path], list[Path]]:
    """Every file under ``directory`` the audit reads (:func:`kind_of`), and
    every other file, both sorted. Hidden files and directories are walked
    too: a render killed by an older abuild left its complete, unaudited
    outputs in ``.abuild-tmp-*/``, and ``.abuild-staging/`` holds a killed
    render's files until they are removed. Symbolic links are not followed
    (they may lead out of the tree, or round in a circle). A directory that
    cannot be read raises :class:`OSError`: an audit must not skip it silently."""
    import os

    def fail(exc: OSError) -> None:
        raise exc

    read: list[Path] = []
    other: list[Path] = []
    for root, dirs, names in os.walk(directory, onerror=fail, followlinks=False):
        dirs.sort()
        for name in names:
            f = Path(root) / name
            if f.is_symlink() or not f.is_file():
                continue
            try:
                kind_of(f)
            except UnsupportedFile:
                other.append(f)
            else:
                read.append(f)
    return sorted(read), sorted(other)


def extract(path: Path, *, full: bool = True) -> Extracted:
    kind = kind_of(path)
    ex = Extracted(path)
    if kind == "html":
        extract_html(path.read_text(encoding="utf-8", errors="replace"), ex)
    elif kind == "pdf":
        from .extract_pdf import extract_pdf  # pikepdf and pypdfium2 load only for a PDF

        extract_pdf(path, ex, full=full)
    elif kind in ("docx", "odt"):
        extract_zip(path, ex, kind)
    else:
        ex.add("text", path.read_text(encoding="utf-8", errors="replace"))
    ex.add("file name", path.name)
    return ex


# --- HTML -----------------------------------------------------------------------------------

_ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "portal"}
_URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "xlink:href",
    "ping",
    "manifest",
    "codebase",
    "srcset",
    "imagesrcset",
    "lowsrc",
    "dynsrc",
}
_SVG_LOADERS = {"image", "use", "feimage", "script", "tref", "altglyph", "color-profile", "cursor", "font-face-uri"}
# attributes whose URL a browser loads when the page is opened
_LOADED = {"src", "srcset", "imagesrcset", "poster", "background", "data", "lowsrc", "dynsrc", "manifest"}
_DANGEROUS_SCHEME = re.compile(
    r"^\s*(?:javascript|vbscript|livescript|mocha)\s*:|^\s*data\s*:\s*(?:text/html|application/(?:x-)?javascript|text/javascript|image/svg\+xml[^,]*,.*<script)",
    re.I | re.S,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# an attribute value that may be CSS with a function that loads something
# (escapes included: u\72l( is url(); the CSS parser decides)
_CSS_FUNCTION_HINT = re.compile(r"url|image|\\|src|import", re.I)
# CSS functions whose arguments (strings or urls) are loaded
_CSS_LOADERS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade", "element"}


def _css_problems(css: str, where: str, ex: Extracted, *, attribute: bool) -> None:
    """Everything CSS would load, read with a real CSS parser (tinycss2:
    escapes such as ``u\\72l(`` and ``@\\69mport`` are decoded, as a browser
    decodes them). In a style attribute (or an SVG presentation attribute)
    every ``url()``, ``image-set()`` and the like is refused, except
    ``url(#id)``; in a ``<style>`` element ``@import`` is refused and so is
    any URL that is not a ``data:`` URI or a relative file name (the print
    HTML's fonts: WeasyPrint's fetcher serves only the house fonts)."""
    import tinycss2

    nodes: list[object] = (
        list(tinycss2.parse_blocks_contents(css)) if attribute else list(tinycss2.parse_stylesheet(css))
    )
    urls: list[tuple[str, str]] = []  # (how, url)
    while nodes:
        node = nodes.pop()
        kind = getattr(node, "type", "")
        if kind == "at-rule":
            if node.lower_at_keyword in ("import", "namespace"):  # type: ignore[attr-defined]
                ex.problems.append((where, REMOTE, f"@{node.lower_at_keyword} in CSS"))  # type: ignore[attr-defined]
            nodes += list(node.prelude or []) + list(node.content or [])  # type: ignore[attr-defined]
        elif kind in ("qualified-rule",):
            nodes += list(node.prelude or []) + list(node.content or [])  # type: ignore[attr-defined]
        elif kind == "declaration":
            nodes += list(node.value)  # type: ignore[attr-defined]
        elif kind == "url":
            urls.append(("url()", node.value))  # type: ignore[attr-defined]
        elif kind == "function":
            name = node.lower_name  # type: ignore[attr-defined]
            args = list(node.arguments)  # type: ignore[attr-defined]
            if name in _CSS_LOADERS:
                strings = [a.value for a in args if getattr(a, "type", "") == "string"]
                urls += [(f"{name}()", u) for u in strings]
                if attribute and name != "url":
                    ex.problems.append((where, REMOTE, f"{name}() in a style attribute"))
            nodes += args
        elif kind in ("() block", "[] block", "{} block"):
            nodes += list(node.content)  # type: ignore[attr-defined]
    for how, url in urls:
        url = url.strip()
        if _DANGEROUS_SCHEME.match(url):
            ex.problems.append((where, ACTIVE, f"script URL in CSS {how}"))
        elif attribute and not url.startswith("#"):
            ex.problems.append((where, REMOTE, f"{how} in a style attribute"))
        elif _REMOTE.match(url) or (_SCHEME.match(url) and not url.lower().startswith("data:")):
            ex.problems.append((where, REMOTE, f"remote URL in CSS {how}"))


def _data_uri_text(uri: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a data: URI."""
    m = re.match(r"\s*data:([^,]*?),(.*)\Z", uri, re.S | re.I)
    if not m:
        return None
    head, payload = m.group(1), m.group(2)
    try:
        data = (
            base64.b64decode(payload, validate=False) if head.lower().endswith(";base64") else unquote_to_bytes(payload)
        )
    except (ValueError, TypeError):
        return None
    return head.split(";")[0].lower(), data


# a data: URL inside CSS, up to the quote or parenthesis that ends it
_CSS_DATA_URL = re.compile(r"""data:[^,"')\s]*,[^"')\s]*""", re.I)


class _HtmlStrings(HTMLParser):
    def __init__(self, ex: Extracted, where: str):
        super().__init__(convert_charrefs=True)
        self.ex = ex
        self.where = where
        self.text: list[str] = []
        self.comments: list[str] = []
        self.head: list[str] = []
        self.attrs: dict[str, list[str]] = {}
        self.embedded: list[tuple[str, bytes]] = []
        self.css: list[str] = []  # <style> elements
        self.style_attrs: list[tuple[str, str, str]] = []  # (tag, attribute, value) that CSS reads
        self.in_head = False
        self.in_title = False
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "title":
            self.in_title = True
        elif tag == "style":
            self.in_style = True
        if tag in _ACTIVE_TAGS:
            self.ex.problems.append((f"{self.where} <{tag}>", ACTIVE, f"<{tag}> element"))
        if tag == "meta" and any(k.lower() == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            self.ex.problems.append((f"{self.where} <meta>", ACTIVE, "meta refresh"))
        rel = ""
        for k, v in attrs:
            if k.lower() == "rel":
                rel = (v or "").lower()
        for k, v in attrs:
            k = k.lower()
            v = v or ""
            if k.startswith("on"):
                self.ex.problems.append((f"{self.where} <{tag} {k}>", ACTIVE, f"event handler attribute {k}"))
            if k in _URL_ATTRS or k == "style":
                if _DANGEROUS_SCHEME.match(v):
                    self.ex.problems.append(
                        (f"{self.where} <{tag} {k}>", ACTIVE, f"{v.split(':', 1)[0].strip().lower()}: URL")
                    )
                loaded = (
                    k in _LOADED
                    or (tag == "link" and k == "href" and rel not in ("", "author", "license", "help", "alternate"))
                    # SVG elements that load what they refer to (an SVG image embedded in an output)
                    or (tag in _SVG_LOADERS and k in ("href", "xlink:href"))
                )
                if loaded and _REMOTE.match(v):
                    self.ex.problems.append((f"{self.where} <{tag} {k}>", REMOTE, f"remote URL loaded by <{tag} {k}>"))
            if k == "style" or ("(" in v and _CSS_FUNCTION_HINT.search(v) and k not in _URL_ATTRS):
                # a style attribute, or a presentation attribute of an SVG (fill="url(...)")
                self.style_attrs.append((tag, k, v))
            if v.lstrip()[:5].lower() == "data:":
                decoded = _data_uri_text(v)
                if decoded:
                    self.embedded.append(decoded)
                v = v.split(",", 1)[0]  # the payload is audited decoded, not as base64
            if self.in_head and tag == "meta" and k == "content":
                self.head.append(v)
            self.attrs.setdefault(k, []).append(v)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False
        elif tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.head.append(data)
        if self.in_style:
            self.css.append(data)
            # a data: URL in CSS (the screen HTML's fonts, 39 KB of base64)
            # is audited decoded, as an attribute's is, not as text
            data = _CSS_DATA_URL.sub(self._css_data, data)
        self.text.append(data)

    def _css_data(self, m: re.Match[str]) -> str:
        decoded = _data_uri_text(m.group(0))
        if decoded:
            self.embedded.append(decoded)
        return m.group(0).split(",", 1)[0]

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.text.append(decl)

    def handle_pi(self, data: str) -> None:
        self.comments.append(data)

    def unknown_decl(self, data: str) -> None:
        self.comments.append(data)


def extract_html(source: str, ex: Extracted, where: str = "HTML") -> None:
    p = _HtmlStrings(ex, where)
    try:
        p.feed(source)
        p.close()
    except Exception as exc:  # html.parser is lenient; never let a file stop the audit
        ex.problems.append((where, ACTIVE, f"the HTML could not be parsed ({type(exc).__name__})"))
    html_parts(p, ex, where)


def html_parts(p: _HtmlStrings, ex: Extracted, where: str) -> None:
    """The parts of what ``p`` read (the preview's page is read in pieces:
    preview/extract_memo.py)."""
    ex.add(f"{where} text", "".join(p.text))
    ex.add(f"{where} comments", p.comments)
    ex.add(f"{where} <head> metadata", p.head, meta=True)
    for name, values in sorted(p.attrs.items()):
        ex.add(f"{where} attribute {name}", values)
    for css in p.css:
        _css_problems(css, f"{where} <style>", ex, attribute=False)
    for tag, attr, value in p.style_attrs:
        _css_problems(value, f"{where} <{tag} {attr}>", ex, attribute=True)
    for i, (mime, data) in enumerate(p.embedded, 1):
        embedded_strings(data, mime, ex, f"{where} embedded {mime or 'data'} #{i}")


# --- embedded files: images, SVG, XML -----------------------------------------------------------


def png_text(data: bytes) -> list[str]:
    """tEXt/zTXt/iTXt chunks of a PNG (where editors put authors, software, paths)."""
    out = []
    pos = 8
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        try:
            if ctype == b"tEXt":
                out.append(chunk.replace(b"\0", b": ").decode("latin-1"))
            elif ctype == b"zTXt":
                key, _, rest = chunk.partition(b"\0")
                out.append(key.decode("latin-1") + ": " + zlib.decompress(rest[1:]).decode("latin-1"))
            elif ctype == b"iTXt":
                key, _, rest = chunk.partition(b"\0")
                compressed = rest[:1] == b"\x01"
                rest = rest[2:]
                _lang, _, rest = rest.partition(b"\0")
                _tkey, _, text = rest.partition(b"\0")
                if compressed:
                    text = zlib.decompress(text)
                out.append(key.decode("latin-1") + ": " + text.decode("utf-8", "replace"))
        except (zlib.error, UnicodeDecodeError):
            continue
        if ctype == b"IEND":
            break
    return out


_PRINTABLE = re.compile(rb"[\x20-\x7e]{8,}")


def embedded_strings(data: bytes, mime: str, ex: Extracted, where: str) -> None:
    """Strings an embedded file carries: text chunks of a PNG, the text of an
    SVG (also gzipped, ``.svgz``, or UTF-16) or XML file, printable runs of
    anything else (EXIF, XMP packets). Any metadata in an image is a problem
    of its own (``image metadata``): the render strips it, so an image that
    still has it did not come through the render's embedding."""
    from .image_metadata import IMAGE_METADATA, kind_of, metadata_markers, svg_text

    kind = kind_of(data)
    if kind is not None or mime.startswith("image/"):
        for marker in dict.fromkeys(metadata_markers(data)):
            ex.problems.append((where, IMAGE_METADATA, marker))
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        ex.add(f"{where} text chunks", png_text(data), meta=True)
    elif kind == "svg":
        extract_html(svg_text(data) or "", ex, where)
    elif mime.startswith("text/") or mime.endswith("+xml") or mime.endswith("/xml") or data.lstrip()[:5] == b"<?xml":
        ex.add(where, data.decode("utf-8", "replace"))
    else:
        ex.add(f"{where} strings", [m.group(0).decode("ascii") for m in _PRINTABLE.finditer(data)], meta=True)


# --- DOCX / ODT ---------------------------------------------------------------------------------

_META_PARTS = re.compile(r"^(?:docProps/.*|meta\.xml|META-INF/.*|.*\.rdf)$")
_MACRO = re.compile(r"(?:vbaProject\.bin|vbaData\.xml|activeX/|^Basic/|^Scripts/|\.bin$)", re.I)


def extract_zip(path: Path, ex: Extracted, kind: str) -> None:
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        ex.problems.append(("package", ACTIVE, f"not a readable {kind.upper()} package ({exc})"))
        return
    with z:
        infos = z.infolist()
        ex.add("package entry names", [i.filename for i in infos])
        ex.add("package comment", z.comment.decode("utf-8", "replace"), meta=True)
        for info in infos:
            name = info.filename
            if _MACRO.search(name) and not name.startswith(("word/media/", "Pictures/", "media/")):
                ex.problems.append((name, ACTIVE, "macro or embedded program part"))
            data = z.read(info)
            if name.endswith((".xml", ".rels", ".rdf")) or data.lstrip()[:5] == b"<?xml":
                xml_strings(data, ex, name, meta=bool(_META_PARTS.match(name)))
            elif name == "mimetype":
                continue
            else:
                embedded_strings(data, "", ex, name)


# elements after which the text continues in a new paragraph, cell or line
_XML_BREAKS = {
    "p",
    "h",
    "tab",
    "br",
    "cr",
    "tc",
    "tr",
    "s",
    "line-break",
    "note",
    "note-citation",
    "footnote",
    "endnote",
    # (not footnoteReference, endnoteReference: a note call inside a word,
    # "Merel¹hof", is read as the reader reads the word, whole)
    "title",
    "creator",
    "description",
    "subject",
    "keywords",
    "li",
    "list-item",
    "table-cell",
    "frame",
    "span-break",
    "instrText",
}


class _XmlTarget:
    def __init__(self, ex: Extracted, name: str, break_all: bool = False):
        self.ex = ex
        self.name = name
        self.break_all = break_all
        self.text: list[str] = []
        self.attrs: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local in ("event-listener", "script", "scripts"):
            self.ex.problems.append((self.name, ACTIVE, f"<{local}> element"))
        for k, v in attrib.items():
            self.attrs.append(v)
            key = k.rsplit("}", 1)[-1]
            if key == "TargetMode" and v == "External":
                rtype = attrib.get("Type", "").rsplit("/", 1)[-1]
                if rtype != "hyperlink":
                    self.ex.problems.append((self.name, REMOTE, f"external {rtype} relationship"))
            if key in ("href", "Target") and _DANGEROUS_SCHEME.match(v):
                self.ex.problems.append((self.name, ACTIVE, "script URL"))

    def end(self, tag: str) -> None:
        if self.break_all or tag.rsplit("}", 1)[-1] in _XML_BREAKS:
            self.text.append("\n")

    def data(self, data: str) -> None:
        self.text.append(data)

    def close(self) -> None:
        return None


def xml_strings(data: bytes, ex: Extracted, name: str, meta: bool = False) -> None:
    """Text (runs joined, paragraphs apart) and attribute values of an XML part."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        ex.problems.append((name, ACTIVE, "XML part declares a DTD or entities"))
        ex.add(name, data.decode("utf-8", "replace"), meta)
        return
    # in metadata every element is a value of its own; in content, text
    # runs are joined (Word splits words over runs) and paragraphs kept apart
    target = _XmlTarget(ex, name, break_all=meta)
    parser = ET.XMLParser(target=target)
    try:
        parser.feed(data)
        parser.close()
    except ET.ParseError as exc:
        ex.problems.append((name, ACTIVE, f"XML part cannot be parsed ({exc})"))
        ex.add(name, data.decode("utf-8", "replace"), meta)
        return
    ex.add(f"{name} text", "".join(target.text), meta)
    ex.add(f"{name} attributes", target.attrs, meta)
