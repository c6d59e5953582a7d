"""A short table stays on one page with its caption; a longer one may break
between rows, its header row repeated (docx_layout.SMALL_TABLE: 8 rows).
At 15 the benchmark's province tables (7 to 11 rows) all moved whole, and
its Tabel 6 left a third of p. 102 of the DOCX blank. One small report with
a table of 8 rows and one of 9, rendered once to DOCX and ODT."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.render.conftest import MINI_FILES, make_mini_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _table(name: str, body_rows: int) -> str:
    rows = "\n".join(f"| {name} {i} | {i * 10} |" for i in range(1, body_rows + 1))
    return f"Tabel.[@hrw-rapport]\n\n| Provincie | Aantal |\n|---|--:|\n{rows}\n\n: {name} {{#tbl-{name.lower()}}}\n"


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> dict[str, Path]:
    import tests.render.conftest as conftest

    files = dict(MINI_FILES)
    files["chapters/02-tabellen.md"] = "# Tabellen {#tabellen}\n\n" + _table("Kort", 7) + "\n" + _table("Lang", 8)
    root = tmp_path_factory.mktemp("split") / "repo"
    saved, conftest.MINI_FILES = conftest.MINI_FILES, files
    try:
        report = make_mini_report(root)
    finally:
        conftest.MINI_FILES = saved
    result = render_report(report, RenderOptions(formats=("docx", "odt"), out_dir=root / "out"))
    assert not result.refused, result.diagnostics
    return dict(result.outputs)


def _docx_keeps(path: Path, first_cell: str) -> list[bool]:
    """Whether each row of the table whose first body cell reads
    ``first_cell`` keeps with the next (w:keepNext in its paragraphs)."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    for tbl in doc.iter(f"{W}tbl"):
        rows = tbl.findall(f"{W}tr")
        if len(rows) > 1 and "".join(rows[1].itertext()).startswith(first_cell):
            return [r.find(f".//{W}pPr/{W}keepNext") is not None for r in rows]
    raise AssertionError(f"no table starting with {first_cell!r}")


def test_docx_keeps_a_short_table_whole_and_lets_a_longer_one_break(split):
    assert _docx_keeps(split["docx"], "Kort 1") == [True] * 7 + [False]  # 8 rows: one page
    # 9 rows: the header with the first row, the last two together; between, a page may break
    assert _docx_keeps(split["docx"], "Lang 1") == [True, True, False, False, False, False, False, True, False]


def test_odt_keeps_a_short_table_whole_and_lets_a_longer_one_break(split):
    with zipfile.ZipFile(split["odt"]) as z:
        content = z.read("content.xml").decode("utf-8")
    kept = {}
    for name, style in re.findall(r'<table:table table:name="([^"]+)" table:style-name="([^"]+)"', content):
        body = content[content.index(f'table:name="{name}"') :]
        body = body[: body.index("</table:table>")]
        first = re.search(r"(Kort|Lang) 1<", body)
        if first:
            props = re.search(rf'<style:style style:name="{style}".*?</style:style>', content, re.S)
            assert props, style
            kept[first.group(1)] = 'style:may-break-between-rows="false"' in props.group(0)
    assert kept == {"Kort": True, "Lang": False}
