"""Every string of a PDF: document info, XMP, outline, annotations, forms,
attachments, catalog actions and (``full=True``) every string object and the
page text. Part of :mod:`.extract`, which calls :func:`extract_pdf`."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from .extract import Extracted, embedded_strings
from .kinds import ACTIVE

if TYPE_CHECKING:
    import pikepdf

# --- PDF --------------------------------------------------------------------------------------------


def _pdf_str(o: object) -> str:
    try:
        import pikepdf

        if isinstance(o, pikepdf.String):
            return str(o)
        if isinstance(o, pikepdf.Name):
            return str(o)[1:]
    except Exception:
        pass
    return str(o)


_BAD_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/RichMediaExecute",
    "/Rendition",
    "/Sound",
    "/Movie",
}


def extract_pdf(path: Path, ex: Extracted, *, full: bool) -> None:
    import pikepdf

    try:
        pdf = pikepdf.open(str(path))
    except (pikepdf.PdfError, OSError) as exc:
        ex.problems.append(("PDF", ACTIVE, f"not a readable PDF ({exc})"))
        return
    with pdf:
        ex.add("PDF document info", [f"{_pdf_str(k)}: {_pdf_str(v)}" for k, v in pdf.docinfo.items()], meta=True)
        root = pdf.Root
        md = root.get("/Metadata")
        if md is not None:
            try:
                ex.add("PDF XMP metadata", md.read_bytes().decode("utf-8", "replace"), meta=True)
            except pikepdf.PdfError:
                ex.problems.append(("PDF XMP metadata", ACTIVE, "XMP stream cannot be read"))
        # outline (bookmarks)
        titles = []
        outlines = root.get("/Outlines")
        stack = [outlines.get("/First")] if outlines is not None else []
        seen: set[tuple[int, int]] = set()
        while stack:
            item = stack.pop()
            if item is None or not isinstance(item, pikepdf.Dictionary):
                continue
            key = item.objgen
            if key in seen and key != (0, 0):
                continue
            seen.add(key)
            titles.append(_pdf_str(item.get("/Title", "")))
            _action(item.get("/A"), ex, "PDF outline")
            stack.append(item.get("/Next"))
            stack.append(item.get("/First"))
        ex.add("PDF outline", titles)
        # catalog-level actions and scripts
        if root.get("/OpenAction") is not None:
            _action(root.get("/OpenAction"), ex, "PDF open action")
        if root.get("/AA") is not None:
            ex.problems.append(("PDF catalog", ACTIVE, "additional actions (/AA)"))
        names = root.get("/Names")
        if names is not None:
            if names.get("/JavaScript") is not None:
                ex.problems.append(("PDF names", ACTIVE, "document JavaScript"))
            files = names.get("/EmbeddedFiles")
            if files is not None:
                _attachments(files, ex)
        if root.get("/AcroForm") is not None:
            ex.add(
                "PDF form",
                [_pdf_str(f.get("/T", "")) + " " + _pdf_str(f.get("/V", "")) for f in root.AcroForm.get("/Fields", [])],
            )
        # annotations
        for no, page in enumerate(pdf.pages, 1):
            annots = page.obj.get("/Annots")
            if annots is None:
                continue
            strings = []
            for a in annots:
                if not isinstance(a, pikepdf.Dictionary):
                    continue
                for field_key in ("/Contents", "/T", "/TU", "/NM", "/RC", "/Subj"):
                    if a.get(field_key) is not None:
                        strings.append(_pdf_str(a.get(field_key)))
                act = a.get("/A")
                if act is not None:
                    uri = act.get("/URI")
                    if uri is not None:
                        strings.append(_pdf_str(uri))
                    _action(act, ex, f"PDF annotation on page {no}")
                if a.get("/AA") is not None:
                    ex.problems.append((f"PDF annotation on page {no}", ACTIVE, "additional actions (/AA)"))
                if a.get("/Subtype") == "/FileAttachment" and a.get("/FS") is not None:
                    _filespec(a.FS, ex)
            ex.add(f"PDF annotations on page {no}", strings)
        _images(pdf, ex)
        if full:
            _all_objects(pdf, ex)
    if full:
        _page_text(path, ex)


def _images(pdf: pikepdf.Pdf, ex: Extracted) -> None:
    """Metadata in every image XObject (pages and the forms they draw): a
    ``/Metadata`` stream on the image, and what a JPEG (DCTDecode) or JPEG
    2000 (JPXDecode) stream carries in its own bytes (WeasyPrint copies a
    JPEG into the PDF as it is, EXIF and all)."""
    import pikepdf

    from .image_metadata import IMAGE_METADATA, metadata_markers

    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, str]] = [
        (page.obj.get("/Resources"), f"page {no}") for no, page in enumerate(pdf.pages, 1)
    ]
    while stack:
        resources, where = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for name in xobjects.keys():
            xo = xobjects.get(name)
            if not isinstance(xo, pikepdf.Stream) or xo.objgen in seen:
                continue
            if xo.objgen != (0, 0):
                seen.add(xo.objgen)
            part = f"PDF image {name[1:]} on {where}"
            if xo.get("/Subtype") == "/Form":
                stack.append((xo.get("/Resources"), where))
                continue
            if xo.get("/Subtype") != "/Image":
                continue
            if xo.get("/Metadata") is not None:
                ex.problems.append((part, IMAGE_METADATA, "/Metadata stream on the image"))
            filters = xo.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
            for image, what in ((xo, ""), (xo.get("/SMask"), " (its transparency mask)")):
                if isinstance(image, pikepdf.Stream):
                    ex.problems += [(part + what, IMAGE_METADATA, m) for m in _stream_excess(image)]
            if names and names[-1] in ("/DCTDecode", "/JPXDecode"):
                try:
                    # the image's own bytes: inside the last filter only
                    level = pikepdf.StreamDecodeLevel.generalized
                    raw = xo.read_raw_bytes() if len(names) == 1 else xo.read_bytes(level)
                except pikepdf.PdfError:
                    continue
                for marker in dict.fromkeys(metadata_markers(raw)):
                    ex.problems.append((part, IMAGE_METADATA, marker))


_COMPONENTS = {"/DeviceGray": 1, "/CalGray": 1, "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3, "/DeviceCMYK": 4}


def _stream_excess(image: pikepdf.Stream) -> list[str]:
    """Bytes a Flate-compressed image stream carries beyond its pixels
    (WeasyPrint writes every PNG and GIF so, one zlib stream of exactly
    Width × Height samples): bytes after the zlib stream, or more samples
    than the image has. JPEG streams are judged by their own structure."""
    import pikepdf

    if image.get("/Filter") != "/FlateDecode":
        return []
    found = []
    d = zlib.decompressobj()
    try:
        d.decompress(image.read_raw_bytes())
        if d.unused_data:
            found.append(f"{len(d.unused_data)} bytes after the image's compressed data")
        samples = len(image.read_bytes())
    except (zlib.error, pikepdf.PdfError):
        return ["image stream that cannot be decompressed"]
    cs = image.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and len(cs) > 1:
        base = str(cs[0])
        n = cs[1].get("/N") if base == "/ICCBased" and isinstance(cs[1], pikepdf.Stream) else None
        comps = 1 if base == "/Indexed" else int(n) if isinstance(n, int) else None
    else:
        comps = 1 if bool(image.get("/ImageMask", False)) else _COMPONENTS.get(str(cs))
    try:
        w, h, bpc = int(image.get("/Width", 0)), int(image.get("/Height", 0)), int(image.get("/BitsPerComponent", 1))
    except (TypeError, ValueError):
        return found
    if comps is not None and samples > h * ((w * comps * bpc + 7) // 8):
        found.append(f"{samples - h * ((w * comps * bpc + 7) // 8)} bytes in the image stream beyond its pixels")
    return found


def _action(act: object, ex: Extracted, where: str) -> None:
    import pikepdf

    depth = 0
    while isinstance(act, pikepdf.Dictionary) and depth < 32:
        s = act.get("/S")
        if s is not None and str(s) in _BAD_ACTIONS:
            ex.problems.append((where, ACTIVE, f"{str(s)[1:]} action"))
        act = act.get("/Next")
        depth += 1


def _attachments(tree: object, ex: Extracted) -> None:
    import pikepdf

    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        for kid in node.get("/Kids", []):
            stack.append(kid)
        names = node.get("/Names")
        entries: list[object] = list(names) if isinstance(names, pikepdf.Array) else []
        for i in range(0, len(entries) - 1, 2):
            ex.add("PDF attachment names", _pdf_str(entries[i]))
            _filespec(entries[i + 1], ex)


def _filespec(fs: object, ex: Extracted) -> None:
    import pikepdf

    if not isinstance(fs, pikepdf.Dictionary):
        return
    name = _pdf_str(fs.get("/UF", fs.get("/F", "attachment")))
    ex.add(f"PDF attachment {name}", [name, _pdf_str(fs.get("/Desc", ""))], meta=True)
    ef = fs.get("/EF")
    if isinstance(ef, pikepdf.Dictionary):
        for key in ("/F", "/UF"):
            stream = ef.get(key)
            if isinstance(stream, pikepdf.Stream):
                try:
                    data = stream.read_bytes()
                except pikepdf.PdfError:
                    continue
                embedded_strings(data, "", ex, f"PDF attachment {name}")
                break


def _all_objects(pdf: pikepdf.Pdf, ex: Extracted) -> None:
    """Every string and name in every object (structure tree alt texts,
    destinations, ...), streams excluded except XML ones."""
    import pikepdf

    strings: list[str] = []
    for obj in pdf.objects:
        stack = [obj]
        depth = 0
        while stack and depth < 100_000:
            o = stack.pop()
            depth += 1
            if isinstance(o, pikepdf.String):
                strings.append(str(o))
            elif isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
                d = o.stream_dict if isinstance(o, pikepdf.Stream) else o
                for k in d.keys():
                    v = d.get(k)
                    if k == "/JS" or k == "/JavaScript":
                        ex.problems.append(("PDF objects", ACTIVE, "JavaScript"))
                    if isinstance(v, (pikepdf.Dictionary, pikepdf.Array)) and v.is_indirect:
                        continue  # visited as an object of its own
                    if isinstance(v, (pikepdf.String, pikepdf.Dictionary, pikepdf.Array)):
                        stack.append(v)
                    elif isinstance(v, pikepdf.Name) and k not in ("/Type", "/Subtype", "/S", "/Filter"):
                        strings.append(str(v)[1:])
            elif isinstance(o, pikepdf.Array):
                for v in o:
                    if isinstance(v, (pikepdf.Dictionary, pikepdf.Array)) and v.is_indirect:
                        continue
                    if isinstance(v, (pikepdf.String, pikepdf.Dictionary, pikepdf.Array)):
                        stack.append(v)
    ex.add("PDF objects (all strings)", strings)


def _page_text(path: Path, ex: Extracted) -> None:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # the slower fallback
        pdfium = None
    if pdfium is not None:
        doc = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(doc)):
                page = doc[i]
                tp = page.get_textpage()
                _add_page(ex, i + 1, tp.get_text_range())
                tp.close()
                page.close()
        finally:
            doc.close()
        return
    import pypdf

    for i, page in enumerate(pypdf.PdfReader(str(path)).pages, 1):
        _add_page(ex, i, page.extract_text() or "")


_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n[ \t]*")


def _add_page(ex: Extracted, no: int, text: str) -> None:
    ex.add(f"PDF page {no} text", text)
    joined = _HYPHEN_BREAK.sub("-", text)
    if joined != text:
        ex.add(f"PDF page {no} text", joined)
