"""The redline's DOCX is written by pandoc's run on the whole document
first (``DocxWriter.tracked_changes``, render/formats/docx_write.py): the
pieces' run would find its tracked changes and give the pieces up for that
run. With or without tracked changes in the document, the DOCX is byte for
byte the one the pieces' way writes (with none, it is taken after all)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats.office import DocxWriter
from ambtsbericht_build.render.pipeline import write_document
from tests.cache.test_docx_parts import (
    BLOCKS,
    base,  # noqa: F401 - the fixture: the small report's document, facts and a directory
    block,
)


def _docx(doc: dict[str, Any], facts: Any, path: Path, whole_first: bool) -> bytes:
    write_document(path.with_suffix(".json"), doc)
    writer = DocxWriter()
    writer.tracked_changes = whole_first
    writer.write_path(path.with_suffix(".json"), facts, path)
    writer.normalise(path, facts)
    return path.read_bytes()


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(BLOCKS, max_size=4), st.booleans())
def test_whole_first_writes_the_same_docx(base, extra, tracked):
    doc, facts, tmp = base
    doc = copy.deepcopy(doc)
    doc["blocks"] = doc["blocks"][:3] + extra + ([block("tracked", ["tekst"])] if tracked else []) + doc["blocks"][3:]
    pieces = _docx(copy.deepcopy(doc), facts, tmp / "pieces.docx", False)
    whole = _docx(copy.deepcopy(doc), facts, tmp / "whole.docx", True)
    assert whole == pieces
