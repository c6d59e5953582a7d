"""A note that explains and then cites gets its punctuation (docs/house-style.md)
also when the English edition shows it in Dutch: the translation wraps such a
note in a Span (``[…]{.untranslated lang=nl}``), and the rule, which looked at
the paragraph's own inlines only, printed "vastgehouden Havenstads Centrum ..."
there (page read of the English edition). The Dutch rule applies in the Span:
the same inlines as the Dutch edition's."""

from __future__ import annotations

import copy
import json
import re
import subprocess

import pytest

from ambtsbericht_build.analyse.sentences import word_ends_sentence
from ambtsbericht_build.load.markdown.pandoc_batch import READER
from ambtsbericht_build.render.note_punctuation import punctuate_note_references
from ambtsbericht_build.tools import pandoc_path
from tests.render.render_outputs import norm

NOTES = [
    "Dit zeiden ook anderen [@vb].",  # explains, then cites: a full stop before the reference
    "Zie voor een breder beeld [@vb].",  # refers the reader: a colon
    "Volgens [@vb].",  # a word that introduces it: left as written
    "Eerst dit [@vb], dan dat.",  # more text follows: left as written
]


def _note_para(markdown: str) -> list:
    out = subprocess.run([pandoc_path(), "-f", READER, "-t", "json"], input=markdown, capture_output=True, text=True)
    blocks = json.loads(out.stdout)["blocks"]
    return blocks


def _note_inlines(blocks: list) -> list:
    para = blocks[0]["c"]
    note = next(x for x in para if x.get("t") == "Note")
    return note["c"][0]["c"]


@pytest.mark.parametrize("text", NOTES)
def test_a_dutch_note_in_an_english_edition_is_punctuated_as_in_the_dutch_one(text):
    dutch = _note_para(f"Tekst.[^1]\n\n[^1]: {text}\n")
    punctuate_note_references(dutch, "nl")
    english = _note_para(f"Text.[^1]\n\n[^1]: [{text}]{{.untranslated lang=nl}}\n")
    before = copy.deepcopy(english)
    punctuate_note_references(english, "en-GB")
    (span,) = [x for x in _note_inlines(english) if x.get("t") == "Span"]
    assert span["c"][1] == _note_inlines(dutch)
    if text.startswith(("Dit", "Zie")):
        assert english != before  # the rule did something here, and the same as in Dutch


LABEL = re.compile(r"(\S*)\s+([Vv])ertrouwelijke bron,")


def _label_after_text(note: str) -> list[str]:
    """Each "Vertrouwelijke bron," whose capital does not start a sentence,
    or "vertrouwelijke bron," that does (with the word before it)."""
    wrong = []
    if note.startswith("vertrouwelijke bron,"):
        wrong.append(note[:40])
    for m in LABEL.finditer(note):
        starts = word_ends_sentence(m.group(1))
        if (m.group(2) == "V") != starts:
            wrong.append(m.group(0))
    return wrong


def test_the_confidential_label_is_lower_case_after_text_in_every_format(
    example_html, example_pdf, example_docx, example_odt
):
    # "... voor aanhangers in Havenstad; zie Vertrouwelijke bron, 15 april
    # 2026." (example, note 168), and "...; Vertrouwelijke bron, 3 juni 2025"
    # in a group of citations: the label is a common noun, capitalised only
    # where a sentence starts (docs/house-style.md)
    notes = {
        "html": example_html.notes,
        "pdf": [norm(t) for p in example_pdf for t in p.note_texts.values()],
        "docx": [norm(n) for n in example_docx.notes],
        "odt": [norm(n) for n in example_odt.notes],
    }
    for fmt, texts in notes.items():
        texts = [t.replace("\u00a0", " ") for t in texts]
        assert any("zie vertrouwelijke bron, 15 april 2026" in t for t in texts), fmt
        assert any("; vertrouwelijke bron," in t for t in texts), fmt
        assert sum(t.startswith("Vertrouwelijke bron,") for t in texts) > 10, fmt
        wrong = [w for t in texts for w in _label_after_text(t)]
        assert not wrong, f"{fmt}: {wrong}"
