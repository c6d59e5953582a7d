"""The PDF does not depend on the clock: WeasyPrint's font subsets are saved
by fontTools, which stamps each one's ``head.modified`` with the time unless
``SOURCE_DATE_EPOCH`` is set; the PDF writer sets it to the render's epoch
(render/formats/pdf.py ``write_html``). Before, two renders of the
same inputs in different seconds gave different PDFs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.render.test_worker import inputs  # noqa: F401 - the fixture: a one-paragraph document and its facts

# the writer process with its clock at the time given first (fontTools reads time.time)
_AT = (
    "import sys, time; t = float(sys.argv.pop(1)); time.time = lambda: t; import runpy;"
    " runpy.run_module('ambtsbericht_build.render.worker', run_name='__main__', alter_sys=True)"
)


def _pdf_at(inputs: Path, clock: float, name: str) -> bytes:
    out = inputs / name
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    p = subprocess.run(
        [sys.executable, "-c", _AT, str(clock), "pdf", "--wait"],
        input=json.dumps([str(inputs / "doc.json"), str(inputs / "facts.json"), str(out)]) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    return out.read_bytes()


@pytest.mark.parametrize("later", [86_400.0 * 365, 1.0])
def test_the_same_pdf_whatever_the_clock(inputs, later):  # noqa: F811 - the fixture
    a = _pdf_at(inputs, 1_700_000_000.0, "a.pdf")
    b = _pdf_at(inputs, 1_700_000_000.0 + later, "b.pdf")
    assert a.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(a)) as pdf:  # a subset font is embedded: the part the clock stamped
        assert any(isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o for o in pdf.objects)
    assert a == b
