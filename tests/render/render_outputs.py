"""Read rendered outputs the way the tests need them: notes, headings, pages.

Shared by the render tests (``from tests.render.render_outputs import ...``).
Everything here reads real files written by ``abuild render``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

# print.css: body 10.5pt, footnotes 8.5pt, running header/footer 8pt, note
# calls 0.7rem (7.35pt, in body text, captions and tables alike)
BODY_PT = 10.5
NOTE_PT = 8.5
CALL_MAX_PT = 7.9
WATERMARK_MIN_PT = 40


def norm(s: str) -> str:
    """Whitespace-collapsed text, without pandoc's back-link arrow and without
    word joiners (U+2060 after a document number's slash, render/typography.py:
    it prints nothing, and the PDF's text has none)."""
    return " ".join(s.replace("\u21a9\ufe0e", "").replace("\u21a9", "").replace("\u2060", "").split())


# --- PDF -------------------------------------------------------------------------------


@dataclass
class PdfPage:
    number: int  # 1-based
    text: str
    calls: list[int]  # note-call numbers in the body text, in order
    notes: list[int]  # note numbers in the footnote area, in order
    note_texts: dict[int, str]
    big: str  # characters set at watermark size
    lines: list[tuple[str, float]] = field(default_factory=list)  # (line text, largest font size)


def _numbers_in_runs(chars: list[dict]) -> list[int]:
    """Group superscript digits into numbers: a run ends at a gap or a line change."""
    out: list[int] = []
    run = ""
    last = None
    for c in chars:
        if last is not None and (abs(c["top"] - last["top"]) > 2 or c["x0"] - last["x1"] > 1.0):
            if run:
                out.append(int(run))
            run = ""
        run += c["text"]
        last = c
    if run:
        out.append(int(run))
    return out


def read_pdf(path: Path) -> list[PdfPage]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            margin = 25 * 72 / 25.4  # 25 mm top and bottom
            big = "".join(c["text"] for c in page.chars if c["size"] >= WATERMARK_MIN_PT)
            page = page.filter(lambda obj: obj.get("object_type") != "char" or obj["size"] < WATERMARK_MIN_PT)
            body = [c for c in page.chars if margin - 2 < c["top"] and c["bottom"] < page.height - margin + 2]
            calls = _numbers_in_runs([c for c in body if c["size"] < CALL_MAX_PT and c["text"].isdigit()])
            words = page.extract_words(extra_attrs=["size"])
            notes_words = [
                w
                for w in words
                if abs(w["size"] - NOTE_PT) < 0.05 and margin - 2 < w["top"] and w["bottom"] < page.height - margin + 2
            ]
            left = min((w["x0"] for w in notes_words), default=0)
            note_texts: dict[int, list[str]] = {}
            current = None
            for w in notes_words:
                m = re.fullmatch(r"(\d+)\.(.*)", w["text"])
                if abs(w["x0"] - left) < 1.5 and m:
                    current = int(m.group(1))
                    note_texts[current] = [m.group(2)] if m.group(2) else []
                elif current is not None:
                    note_texts[current].append(w["text"])
            lines: dict[float, list[dict]] = {}
            for w in words:
                key = next((k for k in lines if abs(k - w["top"]) < 2.5), w["top"])
                lines.setdefault(key, []).append(w)
            line_list = [
                (" ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])), max(w["size"] for w in ws))
                for _, ws in sorted(lines.items())
            ]
            pages.append(
                PdfPage(
                    number=i,
                    text="\n".join(t for t, _ in line_list),
                    calls=calls,
                    notes=list(note_texts),
                    note_texts={k: " ".join(v) for k, v in note_texts.items()},
                    big=big,
                    lines=line_list,
                )
            )
    return pages


# --- HTML ------------------------------------------------------------------------------


class Html:
    def __init__(self, path: Path):
        import lxml.html

        self.path = path
        self.source = path.read_text(encoding="utf-8")
        self.tree = lxml.html.fromstring(self.source)

    @cached_property
    def notes(self) -> list[str]:
        return [
            norm(li.text_content())
            for li in self.tree.xpath("//section[contains(concat(' ', @class, ' '), ' footnotes ')]/ol/li")
        ]

    def xpath(self, q: str):
        return self.tree.xpath(q)


# --- DOCX / ODT ---------------------------------------------------------------------------


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


class Docx:
    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.document_xml = z.read("word/document.xml").decode("utf-8")
            self.footnotes_xml = z.read("word/footnotes.xml").decode("utf-8")
            self.styles_xml = z.read("word/styles.xml").decode("utf-8")
        self.document = ET.fromstring(self.document_xml)
        self.footnotes_root = ET.fromstring(self.footnotes_xml)

    @cached_property
    def notes(self) -> list[str]:
        """Note texts in the order the body calls them; separators excluded."""
        by_id = {
            # a period after the note's own number (abuild wrote "1." before docx_notes.py) is not its text
            fn.get(f"{W}id"): norm(_text(fn).removeprefix("."))
            for fn in self.footnotes_root.iter(f"{W}footnote")
            if fn.get(f"{W}type") in (None, "normal")
        }
        order = [ref.get(f"{W}id") for ref in self.document.iter(f"{W}footnoteReference")]
        assert sorted(order) == sorted(by_id), "every footnote is called exactly once"
        return [by_id[i] for i in order]

    @cached_property
    def paragraphs(self) -> list[tuple[str, str]]:
        """(style id, text) of every body paragraph."""
        out = []
        for p in self.document.iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            out.append((style.get(f"{W}val") if style is not None else "", norm(_text(p))))
        return out

    def headings(self, level: int) -> list[str]:
        # an annex's source groups and ToR themes: a heading style of their own (docx_toc.py)
        return [t for s, t in self.paragraphs if s in (f"Heading{level}", f"AbuildAnnexHeading{level}")]


class Odt:
    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.content_xml = z.read("content.xml").decode("utf-8")
        self.root = ET.fromstring(self.content_xml)

    @cached_property
    def notes(self) -> list[str]:
        return [norm("".join(body.itertext())) for body in self.root.iter(f"{TEXT}note-body")]

    @cached_property
    def paragraphs(self) -> list[str]:
        """Text of every paragraph and heading (notes included where they are called)."""
        return [norm("".join(p.itertext())) for p in self.root.iter() if p.tag in (f"{TEXT}p", f"{TEXT}h")]

    def headings(self, level: int) -> list[str]:
        return [
            norm("".join(h.itertext()))
            for h in self.root.iter(f"{TEXT}h")
            if h.get(f"{TEXT}outline-level") == str(level)
        ]
