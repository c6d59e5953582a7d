"""The office writers from the document file (``OfficeWriter.write_path``,
the worker's way: blocks that ``document()`` leaves alone are passed to
pandoc as the file's text, never parsed) write the very package that
``write`` writes from the whole document: the small report with citations,
its source annex (``csl-entry``), its ToR annex and the DOCX's review
anchors, and a drafter's text that names those classes."""

from __future__ import annotations

import copy
import json
import zipfile

import pytest

from ambtsbericht_build.render.formats.office import _CHANGED, DocxWriter, OdtWriter
from ambtsbericht_build.render.pipeline import write_document
from tests.fixtures.report_kit import make_report
from tests.render.test_html_notes import CHAPTER, resolved

# a paragraph that reads like the markup document() changes
LOOKALIKE = '\n\nDe klassen "csl-entry", "tor-annex" en "t": "Cite" in gewone tekst.\n'


@pytest.mark.parametrize("writer", [DocxWriter, OdtWriter], ids=["docx", "odt"])
def test_the_office_writers_write_the_same_from_the_file(tmp_path, writer) -> None:
    report = make_report(tmp_path / "repo")
    report.chapter(CHAPTER + LOOKALIKE)
    doc, facts = resolved(report.dir, tmp_path)
    assert facts.anchors.blocks, "the DOCX has review anchors to wrap"
    texts = [json.dumps(b) for b in doc["blocks"]]
    assert sum(bool(_CHANGED.search(t)) for t in texts) >= 3  # citations, the annexes
    assert any('"t": "Cite"' in t for t in texts) and any("csl-entry" in t for t in texts)
    path = tmp_path / "document.json"
    write_document(path, doc)
    w = writer()
    w.write(copy.deepcopy(doc), facts, tmp_path / f"whole{w.suffix}")
    w.write_path(path, facts, tmp_path / f"file{w.suffix}")
    for name in ("whole", "file"):
        w.normalise(tmp_path / f"{name}{w.suffix}", facts)
    assert (tmp_path / f"file{w.suffix}").read_bytes() == (tmp_path / f"whole{w.suffix}").read_bytes()
    with zipfile.ZipFile(tmp_path / f"file{w.suffix}") as z:
        body = z.read("word/document.xml" if w.name == "docx" else "content.xml").decode()
    assert "gewone tekst" in body and "Human Rights Watch" in body  # the lookalike, the source annex
