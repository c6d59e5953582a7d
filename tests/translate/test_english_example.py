"""The issue's round trip through the render, on the example report and its
real (partial) English translation: ``abuild render --lang en`` prints the
translated text in English and the rest in Dutch, marked; a Dutch paragraph
changes, ``abuild translate extract`` runs again, and the next English render
shows exactly that paragraph in Dutch, marked, while its neighbours stay
English. Two HTML renders through the command line (about 10 s of CPU)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib

from tests.fixtures.report_kit import ABUILD

ROOT = Path(__file__).resolve().parents[2]
INTRO = "chapters/00-inleiding.md"
# a translated paragraph of INTRO: its Dutch words and the English a translator wrote
DUTCH = "Dit ambtsbericht beslaat de periode van"
OUT = Path("build") / "voorbeeldland" / "voorbeeldland.en.html"


def _abuild(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ABUILD), *args], cwd=root, capture_output=True, text=True, timeout=600)


def _english_of(root: Path, dutch_start: str) -> str:
    """The translator's English of the entry whose Dutch starts with ``dutch_start``."""
    po = polib.pofile(str(root / "reports/voorbeeldland/translations/en/chapters/00-inleiding.po"))
    (entry,) = [e for e in po if e.msgid.startswith(dutch_start) and not e.obsolete]
    assert entry.msgstr and not entry.fuzzy, "the example translates this paragraph"
    return entry.msgstr


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _marked_dutch(html: str) -> list[str]:
    """The text of every element the render marks as Dutch in the English edition."""
    return [
        _text(m)
        for m in re.findall(r'<(?:div|span)[^>]*class="[^"]*untranslated[^"]*"[^>]*>(.*?)</(?:div|span)>', html, re.S)
    ]


def test_english_edition_of_the_example_through_a_change(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "reports" / "voorbeeldland", root / "reports" / "voorbeeldland")
    shutil.copytree(ROOT / "bibliography", root / "bibliography")
    english = _english_of(root, DUTCH)
    first_words = " ".join(english.split()[:4])

    done = _abuild(root, "render", "reports/voorbeeldland", "--lang", "en", "--to", "html")
    assert done.returncode == 0, done.stderr
    html = (root / OUT).read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="en-GB"', html)
    text = _text(html)
    assert "Introduction" in text and "Reporting period" in text  # translated headings
    assert first_words in text and DUTCH not in text  # the translated paragraph, in English
    assert "Inhoudsopgave" not in text and "Contents" in text
    marked = _marked_dutch(html)
    assert marked, "the untranslated chapters are shown in Dutch, marked"
    assert 'lang="nl' in html

    # the Dutch paragraph changes; the translation goes fuzzy and the edition shows it in Dutch
    chapter = root / "reports" / "voorbeeldland" / INTRO
    src = chapter.read_text(encoding="utf-8")
    assert src.count(DUTCH) == 1
    chapter.write_text(src.replace(DUTCH, DUTCH.replace("beslaat", "omvat"), 1), encoding="utf-8")
    done = _abuild(root, "translate", "extract", "reports/voorbeeldland", "--lang", "en")
    assert done.returncode == 0, done.stderr
    po = polib.pofile(str(root / "reports/voorbeeldland/translations/en/chapters/00-inleiding.po"))
    fuzzy = [e for e in po if e.fuzzy and not e.obsolete]
    assert [e.msgid.split()[:4] for e in fuzzy] == [["Dit", "ambtsbericht", "omvat", "de"]]
    assert fuzzy[0].msgstr == english  # the old translation kept for the translator

    done = _abuild(root, "render", "reports/voorbeeldland", "--lang", "en", "--to", "html")
    assert done.returncode == 0, done.stderr
    html = (root / OUT).read_text(encoding="utf-8")
    assert first_words not in _text(html)  # the stale English is not printed
    assert any("ambtsbericht omvat de periode" in m for m in _marked_dutch(html))
    assert "Introduction" in _text(html)  # its neighbours keep their translation
