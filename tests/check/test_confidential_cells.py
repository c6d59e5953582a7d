"""A secret across two translated table cells, and a name in pieces in one
(red team pass 6, T2/T9 and T12): the render's audit reads a row's cells
as one text and refused them; the check said nothing. It now reads two
adjacent translations of a PO file as one text too, and reports a secret
across them where the first one starts."""

from __future__ import annotations

import polib
import pytest

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.translate.extract import extract
from tests.fixtures.report_kit import CHAPTER, make_report

PO = "translations/en/chapters/02-politiek.po"
TABLE = """

Tabel 1 geeft de toestand.[@hrw-2025]

  Regio     Status
  --------  --------
  Zuid      Onbekend
  Oost      Rustig

: Status per regio {#tbl-status}
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    r = make_report(tmp_path_factory.mktemp("cells"))
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    sources = sources.replace("medewerker VN-organisatie, Genève", "Karel Smit, medewerker Oxfam")
    sources = sources.replace("archief: AMB-TL/2025/1104", "archief: AMB-TL/2025/1104\n    codenaam: Wielewaal")
    r.write("sources.yaml", sources, dedent_text=False)
    r.write(CHAPTER, r.path(CHAPTER).read_text(encoding="utf-8") + TABLE, dedent_text=False)
    extract(load_report(r.dir, Diagnostics()), "en", Diagnostics())
    r.expect_none("AB302")
    return r


def translated(r, cells: dict[str, str]) -> list[tuple[int, int, str]]:
    """AB302 (line, column, message) with ``cells`` (msgid -> msgstr) translated."""
    po = polib.pofile(str(r.path(PO)), wrapwidth=0)
    for e in po:
        e.msgstr = cells.get(e.msgid, "")
    po.save(str(r.path(PO)))
    return [(d.line, d.column, d.message) for d in r.check() if d.code == "AB302"]


def msgstr_line(r, msgstr: str) -> int:
    lines = r.path(PO).read_text(encoding="utf-8").split("\n")
    return lines.index(f'msgstr "{msgstr}"') + 1


@pytest.mark.parametrize(
    ("cells", "first"),
    [
        ({"Zuid": "Karel", "Onbekend": "Smit"}, "Karel"),  # T2: a name over a row's two cells
        ({"Oost": "Wiele", "Rustig": "waal"}, "Wiele"),  # T9: a rare word split over them
        ({"Zuid": "Ka rel Sm it", "Onbekend": "Unknown"}, "Ka rel Sm it"),  # T12: in pieces in one cell
    ],
)
def test_a_secret_over_two_cells_or_in_pieces_in_one_is_found_where_it_starts(report, cells, first):
    found = translated(report, cells)
    assert [(line, col) for line, col, _ in found] == [(msgstr_line(report, first), 9)], found
    assert not any(w in m for w in ("Karel", "Smit", "Wiele", "waal") for _, _, m in found)


def test_adjacent_cells_that_spell_no_secret_are_not_a_finding(report):
    assert translated(report, {"Zuid": "Karel", "Onbekend": "Jansen", "Oost": "East", "Rustig": "Smit"}) == []
