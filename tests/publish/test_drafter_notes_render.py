"""Drafters' notes through real renders (issue #10): an ``::: intern`` note in
every spelling and container, and every comment, is in none of the four
formats (read byte by byte, without abuild's extractor); a note pandoc
would print refuses the render (AB306)."""

from __future__ import annotations

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import make_report

from .conftest import FORMATS, occurrences

HEAD = '# Politiek\n\n## Veiligheid {tor="1.1 1.2"}\n\nEr waren gevechten in Havenstad.[@hrw-2025]\n'

# one secret word a note, so that a finding names the spelling that leaked
NOTES = {
    "Kwartelnest": "::: Intern\nKwartelnest navragen.\n:::",
    "Zwaluwstaart": "::: {.INTERN}\nZwaluwstaart navragen.\n:::",
    "Merelveer": "::: {.intern #notitie-1}\nMerelveer navragen.\n:::",
    "Spechtgat": ":::intern\nSpechtgat navragen.\n:::",
    "Reigerpoot": "::::::intern::::::\nReigerpoot navragen.\n::::::",
    "Uilenbal": "> ::: INTERN\n> Uilenbal navragen.\n> :::",
    "Mussennest": "- Een punt.[@hrw-2025]\n\n  ::: Intern\n  Mussennest navragen.\n  :::",
    "Kievitsei": (
        "::: geen-bron\nLeeswijzer.\n\n> - Punt.\n>\n>   ::: {.x .Intern}\n>   Kievitsei navragen.\n>   :::\n:::"
    ),
    "Fazantveer": (
        "Een zin met een noot.[^1][@hrw-2025]\n\n[^1]: Noot.[@hrw-2025]\n\n"
        "    :::intern\n    Fazantveer navragen.\n    :::"
    ),
    "Gruttoweide": "Nog een zin.[@hrw-2025] <!-- Gruttoweide navragen -->",
    "Leeuwerik": "<!-- Leeuwerik navragen\n\nover twee alinea's -->",
}


def test_intern_notes_in_every_spelling_are_in_no_format(tmp_path):
    r = make_report(tmp_path)
    r.chapter(HEAD + "\n" + "\n\nTussenzin.[@hrw-2025]\n\n".join(NOTES.values()) + "\n\nSlotzin.[@hrw-2025]\n")
    result = render_report(r.dir, RenderOptions(out_dir=tmp_path / "out", formats=FORMATS))
    assert not result.refused, result.reason
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"], list(result.diagnostics)
    assert set(result.outputs) == set(FORMATS)
    # the search sees the chapter's text in every format
    for path in result.outputs.values():
        assert occurrences([path], ["Havenstad"]), path
    assert occurrences(result.outputs.values(), list(NOTES)) == []


def test_a_printed_note_refuses_the_render(tmp_path):
    r = make_report(tmp_path)
    r.chapter(HEAD + "::: intern\nKwartelnest navragen.\n:::\n\nSlotzin.[@hrw-2025] <!-- Gruttoweide navragen –>\n")
    out = tmp_path / "out"
    result = render_report(r.dir, RenderOptions(out_dir=out, formats=FORMATS))
    assert result.refused and "AB306" in result.reason
    assert sorted((d.code, d.line) for d in result.diagnostics if d.code == "AB306") == [("AB306", 6), ("AB306", 10)]
    assert not result.outputs
    assert not out.exists() or not any(out.iterdir())
