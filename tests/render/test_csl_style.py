"""The ambtsbericht citation style, run through the real pandoc citeproc.

Covers templates/csl/ambtsbericht.csl together with
ambtsbericht_build.render.csl_items.to_csl_items (the preprocessing that
turns abuild sources into CSL-JSON).  The pandoc invocation in ``_pandoc_args``
is the one the render code is expected to use.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ambtsbericht_build.render.csl_items import to_csl_items

REPO = Path(__file__).resolve().parents[2]
STYLE = REPO / "ambtsbericht_build" / "templates" / "csl" / "ambtsbericht.csl"


def _find_pandoc() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:  # pypandoc missing, or without a pandoc binary
        return shutil.which("pandoc-probe") or shutil.which("pandoc")


PANDOC = _find_pandoc()
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc not found")


GLOSSARY = {
    "AI": "Amnesty International",
    "HRW": "Human Rights Watch",
    "ICG": "International Crisis Group",
    "VN": "Verenigde Naties",
}

SOURCES_YAML = """
- id: hrw-2026-wr
  type: report
  author: [{literal: Human Rights Watch}]
  publisher: Human Rights Watch
  title: World Report 2026 – Kaland
  issued: 2026-01-15
  URL: https://www.hrw.org/world-report/2026/country-chapters/kaland
  accessed: 2026-02-03
  archive: {file: archive/hrw-2026-wr-GEHEIMPAD.pdf, sha256: "deadbeefcafe0123"}

- id: reuters-2026-03-03
  type: article-newspaper
  container-title: Reuters
  title: Tientallen doden bij aanslag in Havenstad
  issued: 2026-03-03
  URL: https://www.reuters.com/world/havenstad-aanslag
  accessed: 2026-03-04

- id: nrc-2026-02-01
  type: article-newspaper
  author: [{family: Vries, given: Jan, non-dropping-particle: de}]
  container-title: NRC
  title: Verkiezingen in Kaland uitgesteld
  issued: 2026-02-01
  URL: https://www.nrc.nl/kaland-verkiezingen
  accessed: 2026-02-02

- id: ai-2026-02-20
  type: webpage
  author: [{literal: Amnesty International}]
  container-title: Amnesty Nederland
  title: "Kaland: activisten opgepakt na protest"
  issued: 2026-02-20
  URL: https://www.amnesty.nl/kaland-activisten
  accessed: 2026-02-21

- id: wet-nationaliteit
  type: legislation
  title: Wet op de nationaliteit
  jurisdiction: Voorbeeldland
  issued: 1998-05-12
  URL: https://wetten.example/voorbeeldland/nationaliteit
  accessed: 2026-01-10

- id: icg-conflictoverzicht
  type: report
  author: [{literal: ICG}]
  title: "Kaland: conflictoverzicht"
  issued: undated
  URL: https://www.crisisgroup.org/kaland
  accessed: 2026-01-20

- id: vb-2026-02-14
  type: interview
  confidential: true
  issued: 2026-02-14
  author: [{literal: Informant Zeeslang}]
  title: Gesprek over Zeeslang-operatie
  URL: https://intern.example/zeeslang
  internal:
    who: medewerker VN-organisatie, Genève
    notes: gespreksverslag in archief, ref 2026/0214-XQ
"""

# Strings that must never reach any pandoc output.
SECRETS = [
    "medewerker VN-organisatie",
    "Genève",
    "2026/0214-XQ",
    "gespreksverslag",
    "Zeeslang",
    "intern.example",
    "GEHEIMPAD",
    "deadbeefcafe0123",
]

DOCUMENT = """\
Rapport met paginanummer [@hrw-2026-wr, p. 12].

Nieuwsbericht [@reuters-2026-03-03].

Krantenartikel met auteur [@nrc-2026-02-01].

Webpagina [@ai-2026-02-20].

Wetsartikel [@wet-nationaliteit, art. 12].

Vertrouwelijk [@vb-2026-02-14].

Ongedateerd [@icg-conflictoverzicht].

Twee bronnen [@hrw-2026-wr, pp. 3-4; @reuters-2026-03-03].

Nog een keer [@hrw-2026-wr].

Vertrouwelijk met vindplaats [@vb-2026-02-14, p. 2].
"""

EXPECTED_NOTES = {
    1: "Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026, p. 12.",
    2: "Reuters, Tientallen doden bij aanslag in Havenstad, 3 maart 2026.",
    3: "Jan de Vries, Verkiezingen in Kaland uitgesteld, NRC, 1 februari 2026.",
    4: "Amnesty International (AI), Kaland: activisten opgepakt na protest, Amnesty Nederland, 20 februari 2026.",
    5: "Wet op de nationaliteit (Voorbeeldland), art. 12.",
    6: "Vertrouwelijke bron, 14 februari 2026.",
    7: "International Crisis Group (ICG), Kaland: conflictoverzicht, ongedateerd.",
    8: "Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026, pp. 3-4; "
    "Reuters, Tientallen doden bij aanslag in Havenstad, 3 maart 2026.",
    9: "Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026.",
    10: "Vertrouwelijke bron, 14 februari 2026, p. 2.",
}

EXPECTED_BIBLIOGRAPHY = [
    "Amnesty International (AI), Kaland: activisten opgepakt na protest, "
    "Amnesty Nederland, 20 februari 2026, https://www.amnesty.nl/kaland-activisten, "
    "geraadpleegd op 21 februari 2026.",
    "Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026, "
    "https://www.hrw.org/world-report/2026/country-chapters/kaland, "
    "geraadpleegd op 3 februari 2026.",
    "International Crisis Group (ICG), Kaland: conflictoverzicht, ongedateerd, "
    "https://www.crisisgroup.org/kaland, geraadpleegd op 20 januari 2026.",
    "Reuters, Tientallen doden bij aanslag in Havenstad, 3 maart 2026, "
    "https://www.reuters.com/world/havenstad-aanslag, geraadpleegd op 4 maart 2026.",
    "Vries, Jan de, Verkiezingen in Kaland uitgesteld, NRC, 1 februari 2026, "
    "https://www.nrc.nl/kaland-verkiezingen, geraadpleegd op 2 februari 2026.",
    "Wet op de nationaliteit (Voorbeeldland), 12 mei 1998, "
    "https://wetten.example/voorbeeldland/nationaliteit, geraadpleegd op 10 januari 2026.",
]

NOCITE_ALL = '---\nnocite: "@*"\n---\n\n'

# Inside a footnote pandoc wraps a NormalCitation ([@key]) in parentheses and
# drops its final period.  The render code must run this filter BEFORE
# --citeproc so that "^[Zie ook [@key].]" reads "Zie ook <bron>."
NOTE_CITES_LUA = """\
function Note(el)
  return el:walk({
    Cite = function(c)
      if c.citations[1].mode == "NormalCitation" then
        c.citations[1].mode = "AuthorInText"
      end
      return c
    end
  })
end
"""


# --------------------------------------------------------------------------
# helpers


def _sources() -> list[dict]:
    return yaml.safe_load(SOURCES_YAML)


def _pandoc_args(bibliography: Path) -> list[str]:
    return [
        "--citeproc",
        f"--csl={STYLE}",
        f"--bibliography={bibliography}",
        "--metadata=lang:nl-NL",
    ]


def _run(
    tmp_path: Path,
    markdown: str,
    items: list[dict],
    *extra: str,
    to: str = "plain",
    before: list[str] | None = None,
) -> str:
    bib = tmp_path / "items.json"
    bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text(markdown, encoding="utf-8")
    proc = subprocess.run(
        [PANDOC, str(doc), "-f", "markdown", "-t", to, "--wrap=none", *(before or []), *_pandoc_args(bib), *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _notes(plain: str) -> dict[int, str]:
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] (.*)$", plain, re.M)}


def _paragraphs_after(plain: str, heading: str) -> list[str]:
    lines = plain.split(heading, 1)[1].splitlines()
    return [line for line in lines if line.strip() and not re.match(r"^\[\d+\] ", line)]


@pytest.fixture
def items() -> list[dict]:
    return to_csl_items(_sources(), GLOSSARY)


# --------------------------------------------------------------------------
# footnotes


@needs_pandoc
def test_footnotes_exact(tmp_path, items):
    out = _run(tmp_path, DOCUMENT, items, "--metadata=suppress-bibliography:true")
    assert _notes(out) == EXPECTED_NOTES


@needs_pandoc
@pytest.mark.parametrize(
    "number, kind",
    [
        (1, "report with locator"),
        (2, "news article without author"),
        (3, "news article with author"),
        (4, "webpage"),
        (5, "legislation"),
        (6, "confidential source"),
        (7, "undated source"),
        (8, "two citations in one note"),
        (9, "second citation of the same source: full form again"),
        (10, "confidential source with locator"),
    ],
)
def test_each_footnote(tmp_path, items, number, kind):
    out = _run(tmp_path, DOCUMENT, items, "--metadata=suppress-bibliography:true")
    assert _notes(out)[number] == EXPECTED_NOTES[number], kind


@needs_pandoc
def test_confidential_footnote_is_exactly_vertrouwelijke_bron(tmp_path, items):
    out = _run(tmp_path, "Tekst [@vb-2026-02-14].\n", items, "--metadata=suppress-bibliography:true")
    assert _notes(out) == {1: "Vertrouwelijke bron, 14 februari 2026."}


@needs_pandoc
def test_note_reference_goes_after_the_punctuation(tmp_path, items):
    out = _run(
        tmp_path,
        "Gearresteerd [@hrw-2026-wr]. Ook dit[@reuters-2026-03-03], en meer.\n",
        items,
        "--metadata=suppress-bibliography:true",
    )
    assert out.splitlines()[0] == "Gearresteerd.[1] Ook dit,[2] en meer."


@needs_pandoc
def test_citation_inside_a_footnote_with_the_render_filter(tmp_path, items):
    lua = tmp_path / "note-cites.lua"
    lua.write_text(NOTE_CITES_LUA, encoding="utf-8")
    markdown = (
        "Eerste.^[Zie ook [@hrw-2026-wr, p. 5].]\n"
        "Tweede.[^a]\n\n"
        "[^a]: Eigen toelichting. Zie [@reuters-2026-03-03; @vb-2026-02-14].\n"
    )
    # Filters run in command-line order: the Lua filter must come first.
    out = _run(
        tmp_path,
        markdown,
        items,
        "--metadata=suppress-bibliography:true",
        before=[f"--lua-filter={lua}"],
    )
    assert _notes(out) == {
        1: "Zie ook Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026, p. 5.",
        2: "Eigen toelichting. Zie Reuters, Tientallen doden bij aanslag in Havenstad, "
        "3 maart 2026; Vertrouwelijke bron, 14 februari 2026.",
    }


@needs_pandoc
def test_citation_inside_a_footnote_without_filter_is_parenthesised(tmp_path, items):
    """Documents pandoc's own behaviour: the reason for NOTE_CITES_LUA."""
    out = _run(
        tmp_path,
        "Eerste.^[Zie ook [@hrw-2026-wr].]\n",
        items,
        "--metadata=suppress-bibliography:true",
    )
    assert _notes(out) == {1: "Zie ook (Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026)."}


MORE_SOURCES_YAML = """
- id: icg-312
  type: report
  author: [{literal: International Crisis Group}]
  title: Ending the Stalemate in Voorbeeldland's Hooglanden
  collection-title: Crisis Group Report
  number: "312"
  publisher: ICG
  issued: 2025-07-15
- id: ukho-2025
  type: report
  author: [{literal: UK Home Office}]
  title: "Country Policy and Information Note: Military Service"
  version: "2.0"
  issued: 2025-12-03
- id: doe-2025
  type: article-journal
  author: [{family: Doe, given: J.K.}]
  title: Between Ballot and Barracks
  container-title: Journal of Comparative Security Studies
  volume: "14"
  issue: "2"
  page: 233-258
  issued: 2025-06-15
- id: ovp-2025
  type: article-newspaper
  title: Rekruteringsrazzia's op markten
  container-title: De Oostvallei Post
  publisher: Oostvallei Mediagroep
  issued: 2025-09-12
- id: grondwet
  type: legislation
  author: [{literal: Republiek Voorbeeldland}]
  title: Grondwet van de Republiek Voorbeeldland
  issued: 2025-03-28
"""


@needs_pandoc
def test_series_number_version_journal_and_news_publisher(tmp_path):
    items = to_csl_items(yaml.safe_load(MORE_SOURCES_YAML), GLOSSARY)
    markdown = (
        NOCITE_ALL + "A [@icg-312, p. 4]. B [@ukho-2025, par. 2.1]. C [@doe-2025, p. 240]. "
        "D [@ovp-2025]. E [@grondwet, art. 7].\n\n# Bronnen\n"
    )
    out = _run(tmp_path, markdown, items)
    assert _notes(out) == {
        1: "International Crisis Group (ICG), Ending the Stalemate in Voorbeeldland’s "
        "Hooglanden, Crisis Group Report 312, 15 juli 2025, p. 4.",
        2: "UK Home Office, Country Policy and Information Note: Military Service, "
        "versie 2.0, 3 december 2025, par. 2.1.",
        3: "J.K. Doe, Between Ballot and Barracks, Journal of Comparative Security Studies, "
        "vol. 14, nr. 2, 15 juni 2025, p. 240.",
        4: "De Oostvallei Post, Rekruteringsrazzia’s op markten, 12 september 2025.",
        5: "Republiek Voorbeeldland, Grondwet van de Republiek Voorbeeldland, art. 7.",
    }
    assert _paragraphs_after(out, "Bronnen") == [
        "De Oostvallei Post, Rekruteringsrazzia’s op markten, 12 september 2025.",
        "Doe, J.K., Between Ballot and Barracks, Journal of Comparative Security Studies, "
        "vol. 14, nr. 2, 15 juni 2025, pp. 233-258.",
        "International Crisis Group (ICG), Ending the Stalemate in Voorbeeldland’s "
        "Hooglanden, Crisis Group Report 312, 15 juli 2025.",
        "Republiek Voorbeeldland, Grondwet van de Republiek Voorbeeldland, 28 maart 2025.",
        "UK Home Office, Country Policy and Information Note: Military Service, versie 2.0, 3 december 2025.",
    ]


@needs_pandoc
@pytest.mark.parametrize(
    "locator, printed",
    [
        ("12", "p. 12"),
        ("p. 12", "p. 12"),
        ("pp. 3-4", "pp. 3-4"),
        ("art. 12", "art. 12"),
        ("artt. 3-5", "artt. 3-5"),
        ("par. 3.2", "par. 3.2"),
        ("§ 4", "§ 4"),
        ("hfst. 2", "hfst. 2"),
    ],
)
def test_dutch_locator_labels(tmp_path, items, locator, printed):
    out = _run(tmp_path, f"Tekst [@hrw-2026-wr, {locator}].\n", items, "--metadata=suppress-bibliography:true")
    assert _notes(out)[1] == (f"Human Rights Watch (HRW), World Report 2026 – Kaland, 15 januari 2026, {printed}.")


# --------------------------------------------------------------------------
# confidentiality


@needs_pandoc
@pytest.mark.parametrize("to", ["plain", "html", "json", "markdown"])
def test_internal_values_never_reach_pandoc_output(tmp_path, items, to):
    markdown = DOCUMENT + "\n# Geraadpleegde openbare bronnen\n\n::: {#refs}\n:::\n"
    out = _run(tmp_path, markdown, items, to=to)
    for secret in SECRETS:
        assert secret not in out, (to, secret)
    # nor the CSL-JSON handed to pandoc
    handed = (tmp_path / "items.json").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in handed, secret
    for field in ('"internal"', '"archive"', '"confidential"'):
        assert field not in handed


@needs_pandoc
def test_confidential_item_prints_nothing_in_a_bibliography(tmp_path, items):
    """Robustness: even if a confidential item reaches the bibliography."""
    markdown = "Tekst [@vb-2026-02-14] en [@reuters-2026-03-03].\n\n# Bronnen\n"
    out = _run(tmp_path, markdown, items)
    assert _paragraphs_after(out, "Bronnen") == [EXPECTED_BIBLIOGRAPHY[3]]
    assert "Vertrouwelijke bron" not in out.split("Bronnen", 1)[1].split("[1]")[0]


# --------------------------------------------------------------------------
# bibliography (annex "Geraadpleegde openbare bronnen")


@needs_pandoc
def test_bibliography_entries_sorted_with_geraadpleegd_op(tmp_path, items):
    public = [item for item in items if item["type"] != "personal_communication"]
    # nocite must be Markdown metadata (front matter or --metadata-file):
    # a --metadata=nocite:@* string is not parsed as a citation.
    markdown = NOCITE_ALL + "# Geraadpleegde openbare bronnen\n\n::: {#refs}\n:::\n"
    out = _run(tmp_path, markdown, public)
    assert _paragraphs_after(out, "Geraadpleegde openbare bronnen") == EXPECTED_BIBLIOGRAPHY


@needs_pandoc
def test_bibliography_entry_without_url_has_no_geraadpleegd(tmp_path):
    items = to_csl_items(
        [
            {
                "id": "x",
                "type": "report",
                "author": [{"literal": "Human Rights Watch"}],
                "title": "Papieren rapport",
                "issued": dt.date(2025, 12, 1),
            }
        ],
        GLOSSARY,
    )
    out = _run(tmp_path, NOCITE_ALL + "# Bronnen\n", items)
    assert _paragraphs_after(out, "Bronnen") == ["Human Rights Watch (HRW), Papieren rapport, 1 december 2025."]


# --------------------------------------------------------------------------
# to_csl_items


def _one(source: dict, glossary: dict | None = None) -> dict:
    return to_csl_items([source], GLOSSARY if glossary is None else glossary)[0]


def test_acronym_added_to_organisation_author():
    item = _one({"id": "a", "type": "report", "author": [{"literal": "Human Rights Watch"}]})
    assert item["author"] == [{"literal": "Human Rights Watch (HRW)"}]


def test_acronym_match_is_case_and_whitespace_insensitive_and_prints_glossary_form():
    item = _one({"id": "a", "type": "report", "author": [{"literal": " human  rights watch "}]})
    assert item["author"] == [{"literal": "Human Rights Watch (HRW)"}]


def test_author_written_as_abbreviation_gets_full_form():
    item = _one({"id": "a", "type": "report", "author": [{"literal": "ICG"}]})
    assert item["author"] == [{"literal": "International Crisis Group (ICG)"}]


def test_already_expanded_unknown_and_personal_names_untouched():
    source = {
        "id": "a",
        "type": "report",
        "author": [
            {"literal": "Human Rights Watch (HRW)"},
            {"literal": "Reuters"},
            {"family": "Watch", "given": "Human Rights"},
        ],
    }
    assert _one(source)["author"] == source["author"]
    assert _one({"id": "b", "author": [{"literal": "Human Rights Watch"}]}, {})["author"] == [
        {"literal": "Human Rights Watch"}
    ]


def test_string_author_becomes_literal_name_list():
    assert _one({"id": "a", "author": "Amnesty International"})["author"] == [{"literal": "Amnesty International (AI)"}]


def test_publisher_expanded_and_dropped_when_it_repeats_the_author():
    same = _one({"id": "a", "author": [{"literal": "Human Rights Watch"}], "publisher": "HRW"})
    assert "publisher" not in same
    other = _one({"id": "b", "author": [{"family": "Jansen", "given": "Jan"}], "publisher": "Verenigde Naties"})
    assert other["publisher"] == "Verenigde Naties (VN)"


def test_publisher_dropped_when_it_repeats_the_container_title():
    item = _one({"id": "n", "type": "article-newspaper", "container-title": "De Post", "publisher": "de  post"})
    assert "publisher" not in item


def test_confidential_item_is_stripped_to_four_fields():
    source = _sources()[-1]
    assert _one(source) == {
        "id": "vb-2026-02-14",
        "type": "personal_communication",
        "genre": "Vertrouwelijke bron",
        "issued": {"date-parts": [[2026, 2, 14]]},
    }


# "nee", "n", "f": not booleans abuild reads (AB303), so confidential until corrected
@pytest.mark.parametrize("flag", [True, "true", "ja", "yes", 1, "nee", "n", "f", ""])
def test_confidential_flag_variants(flag):
    item = _one(
        {
            "id": "c",
            "type": "interview",
            "confidential": flag,
            "title": "Geheim",
            "issued": "2025-11-04",
            "internal": {"who": "X"},
        }
    )
    assert item == {
        "id": "c",
        "type": "personal_communication",
        "genre": "Vertrouwelijke bron",
        "issued": {"date-parts": [[2025, 11, 4]]},
    }


def test_confidential_without_date_is_ongedateerd():
    item = _one({"id": "c", "confidential": True})
    assert item["issued"] == {"literal": "ongedateerd"}


@pytest.mark.parametrize("flag", [False, "false", "no", "off", None, 0])
def test_not_confidential_keeps_fields_but_drops_abuild_keys(flag):
    item = _one(
        {
            "id": "p",
            "type": "report",
            "title": "T",
            "confidential": flag,
            "archive": {"file": "a.pdf"},
            "internal": {"x": 1},
        }
    )
    assert item == {"id": "p", "type": "report", "title": "T"}


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2026, 1, 15), {"date-parts": [[2026, 1, 15]]}),
        (dt.datetime(2026, 1, 15, 10, 30), {"date-parts": [[2026, 1, 15]]}),
        ("2026-01-15", {"date-parts": [[2026, 1, 15]]}),
        ("2026-01", {"date-parts": [[2026, 1]]}),
        ("2026", {"date-parts": [[2026]]}),
        (2026, {"date-parts": [[2026]]}),
        ("2025-01-01/2025-03-31", {"date-parts": [[2025, 1, 1], [2025, 3, 31]]}),
        ("undated", {"literal": "ongedateerd"}),
        ("Undated", {"literal": "ongedateerd"}),
        ("ongedateerd", {"literal": "ongedateerd"}),
        ({"date-parts": [["2026", "3", "1"]]}, {"date-parts": [[2026, 3, 1]]}),
        ({"literal": "voorjaar 2025"}, {"literal": "voorjaar 2025"}),
        ("2026-13-45", {"literal": "2026-13-45"}),
        ("begin 2026", {"literal": "begin 2026"}),
    ],
)
def test_dates(value, expected):
    item = _one({"id": "d", "issued": value, "accessed": value})
    assert item["issued"] == expected
    assert item["accessed"] == expected


def test_empty_date_is_left_out():
    assert "issued" not in _one({"id": "d", "issued": None})


def test_from_yaml_dates_and_json_serialisable():
    items = to_csl_items(_sources(), GLOSSARY)
    json.dumps(items)  # must not raise
    hrw = items[0]
    assert hrw["issued"] == {"date-parts": [[2026, 1, 15]]}
    assert hrw["accessed"] == {"date-parts": [[2026, 2, 3]]}
    icg = next(i for i in items if i["id"] == "icg-conflictoverzicht")
    assert icg["issued"] == {"literal": "ongedateerd"}
    assert [i["id"] for i in items] == [s["id"] for s in _sources()]


def test_other_date_values_become_iso_strings():
    item = _one({"id": "x", "note": dt.date(2026, 1, 1), "keyword": ("a", "b"), "number": 12})
    assert item["note"] == "2026-01-01"
    assert item["keyword"] == ["a", "b"]
    assert item["number"] == 12


def test_input_not_mutated():
    sources = _sources()
    before = copy.deepcopy(sources)
    to_csl_items(sources, GLOSSARY)
    assert sources == before


def test_non_mapping_entry_raises_type_error():
    with pytest.raises(TypeError):
        to_csl_items(["hrw-2026-wr"], GLOSSARY)


# --------------------------------------------------------------------------
# a date the title already gives (csl_items rule 7)

DATE_IN_TITLE = [
    # (title, issued, the annex entry)
    (
        "Wetboek van Strafrecht, geconsolideerde tekst per 1 januari 2025",
        dt.date(2025, 1, 1),
        "Republiek Kaland, Wetboek van Strafrecht, geconsolideerde tekst per 1 januari 2025.",
    ),
    ("Jaarverslag 2025", 2025, "Republiek Kaland, Jaarverslag 2025."),
    ("Besluit van maart 2024", "2024-03", "Republiek Kaland, Besluit van maart 2024."),
    ("Decree of January 5, 2024", "2024-01-05", "Republiek Kaland, Decree of January 5, 2024."),
    ("Staatsblad (2024-01-05)", "2024-01-05", "Republiek Kaland, Staatsblad (2024-01-05)."),
    # another date, or a number that merely ends in the year: the date is printed
    ("Jaarverslag 2024", 2025, "Republiek Kaland, Jaarverslag 2024, 2025."),
    ("Wet nr. 3/2025", 2025, "Republiek Kaland, Wet nr. 3/2025, 2025."),
    ("Tekst per 1 januari 2025", dt.date(2025, 1, 2), "Republiek Kaland, Tekst per 1 januari 2025, 2 januari 2025."),
]


@needs_pandoc
@pytest.mark.parametrize(("title", "issued", "printed"), DATE_IN_TITLE)
def test_a_title_that_ends_with_its_date_is_not_followed_by_it_again(tmp_path, title, issued, printed):
    # the example's annex printed "Wetboek van Strafrecht (Wet nr. 3/2011),
    # geconsolideerde tekst per 1 januari 2025, 1 januari 2025"
    source = {"id": "x", "type": "legislation", "author": "Republiek Kaland", "title": title, "issued": issued}
    out = _run(tmp_path, NOCITE_ALL + "Tekst.[^1]\n\n[^1]: Zie [@x].\n\n# Bronnen\n", to_csl_items([source], {}))
    assert _paragraphs_after(out, "Bronnen") == [printed]


def test_no_annex_entry_of_the_example_repeats_its_date(example_html):
    # "Wetboek van Strafrecht (Wet nr. 3/2011), geconsolideerde tekst per
    # 1 januari 2025, 1 januari 2025, https://..." in the example's annex
    months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    date = rf"(?:\d{{1,2}} )?(?:{months}) \d{{4}}"
    entries = [
        " ".join(e.text_content().replace("\u2060", "").split())
        for e in example_html.xpath("//div[contains(@class,'csl-entry')]")
    ]
    assert len(entries) > 50
    assert any("geconsolideerde tekst per 1 januari 2025, https://" in e for e in entries)
    repeated = [e for e in entries if re.search(rf"({date}), \1\b", e)]
    assert not repeated, repeated
