"""The translation round trip on the example report: extract, a test fills
the PO files, translate_report, a Dutch paragraph changes, extract again:
exactly that entry is fuzzy, the others keep their translation, a new
paragraph is untranslated, a removed one obsolete."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.load.markdown.pandoc_batch import READER
from ambtsbericht_build.tools import pandoc_path
from ambtsbericht_build.translate import translate_report
from ambtsbericht_build.translate.extract import extract

EXAMPLE = Path(__file__).resolve().parents[2] / "reports" / "voorbeeldland"
CHAPTER = "chapters/02-mensenrechten.md"
CHANGED = "ten minste 46 personen gearresteerd"  # in one paragraph of CHAPTER
REMOVED = "Na een feitelijk moratorium sinds 2013"  # the first words of another
NEW = "Zwaluwen bouwen hun nesten onder de dakranden van het oude postkantoor."


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("translate") / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(EXAMPLE, root / "reports" / "voorbeeldland", ignore=shutil.ignore_patterns("archive", "media"))
    shutil.rmtree(root / "reports" / "voorbeeldland" / "translations")
    return root / "reports" / "voorbeeldland"


def _po_files(report: Path) -> list[Path]:
    return sorted((report / "translations" / "en").rglob("*.po"))


def _fill(path: Path) -> int:
    """Translate every entry: "EN " before the Dutch, placeholders kept."""
    po = polib.pofile(str(path))
    for e in po:
        e.msgstr = "EN " + e.msgid
    po.save(str(path))
    return len(po)


def _blocks(text: str) -> list:
    out = subprocess.run([pandoc_path(), "-f", READER, "-t", "json"], input=text, capture_output=True, text=True)
    return json.loads(out.stdout)["blocks"]


def _walk(x, kinds: tuple[str, ...], found: list) -> list:
    if isinstance(x, dict):
        if x.get("t") in kinds:
            found.append(x["t"] if x["t"] != "Cite" else [c["citationId"] for c in x["c"][0]])
        for v in x.values():
            _walk(v, kinds, found)
    elif isinstance(x, list):
        for v in x:
            _walk(v, kinds, found)
    return found


def test_round_trip(repo):
    diags = Diagnostics()
    lr = load_report(repo, diags)
    written = extract(lr, "en", diags)
    assert not list(diags) and all(w.written for w in written)
    assert [p.relative_to(repo).as_posix() for p in _po_files(repo)][-3:] == [
        "translations/en/glossary.po",
        "translations/en/report.po",
        "translations/en/tor.po",
    ]
    entries = {p: _fill(p) for p in _po_files(repo)}

    tr = translate_report(load_report(repo, Diagnostics()), "en", diags)
    assert (tr.untranslated, tr.broken) == (0, 0)
    assert tr.translated >= sum(entries.values())  # units: a repeated text ("Totaal") is one entry
    assert tr.report.report is not None and tr.report.report.title == "EN Algemeen ambtsbericht Voorbeeldland"
    assert tr.report.report.language == "en"
    assert tr.report.tor is not None and tr.report.tor.themes[0].questions[0].text.startswith("EN Wat zijn")
    for dutch, english in zip(lr.chapters, tr.report.chapters, strict=True):
        assert "untranslated" not in english.chapter.text
        assert [h.id for h in english.chapter.headings] == [h.id for h in dutch.chapter.headings]
        # pandoc reads the same citations, notes, links, tables, images and headings in the same order
        kinds = ("Cite", "Note", "Link", "Table", "Image", "Header", "BulletList", "OrderedList", "Code")
        assert _walk(_blocks(english.chapter.text), kinds, []) == _walk(_blocks(dutch.chapter.text), kinds, [])
        assert english.chapter.text.count("EN ") >= len(dutch.chapter.headings)

    # the Dutch changes: one paragraph edited, one removed, one new
    chapter = repo / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    assert text.count(CHANGED) == 1 and text.count(REMOVED) == 1
    text = text.replace(CHANGED, "ten minste 48 personen aangehouden")
    paragraphs = text.split("\n\n")
    paragraphs = [p for p in paragraphs if not p.startswith(REMOVED)] + [NEW + "[@hrw-2026-wr]\n"]
    chapter.write_text("\n\n".join(paragraphs), encoding="utf-8")
    before = polib.pofile(str(repo / "translations/en/chapters/02-mensenrechten.po"))
    extract(load_report(repo, Diagnostics()), "en", Diagnostics())
    po = polib.pofile(str(repo / "translations/en/chapters/02-mensenrechten.po"))

    fuzzy = [e for e in po if "fuzzy" in e.flags]
    assert len(fuzzy) == 1 and "48 personen aangehouden" in fuzzy[0].msgid
    assert fuzzy[0].previous_msgid is not None and CHANGED in fuzzy[0].previous_msgid
    assert fuzzy[0].msgstr == "EN " + fuzzy[0].previous_msgid  # the old translation is kept
    new = [e for e in po if not e.obsolete and not e.msgstr]
    assert [e.msgid for e in new] == [NEW + "{1}"]
    obsolete = [e for e in po if e.obsolete]
    # the removed paragraph and its inline note (an entry of its own)
    assert sorted(e.msgid[:28] for e in obsolete) == ["Amnesty International noemt ", REMOVED[:28]]
    kept = [e for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags]
    assert all(e.msgstr == "EN " + e.msgid for e in kept)
    assert len(kept) == len(before) - 3  # all but the changed, the removed and its note
    # the other files are untouched by a change in this chapter
    assert [w.path.name for w in extract(load_report(repo, Diagnostics()), "en", Diagnostics()) if w.written] == []

    tr = translate_report(load_report(repo, Diagnostics()), "en", Diagnostics())
    assert (tr.untranslated, tr.fuzzy, tr.broken) == (2, 1, 0)
    body = next(c.chapter.text for c in tr.report.chapters if c.file.name == "02-mensenrechten.md")
    assert f"::: {{.untranslated lang=nl}}\n{NEW}[@hrw-2026-wr]\n:::" in body
    assert "48 personen aangehouden" in body and "EN " + REMOVED not in body
