"""The one Dutch sentence splitter: AB102's sentence ends, the audit's
segments and the render's sentence starts share one abbreviation list."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.analyse.sentences import ABBREVIATIONS, segments, sentence_ends, word_ends_sentence

WORDS = st.sampled_from(
    ["De", "minister", "zei", "dat", "Noordstad", "o.a.", "bijv.", "nr.", "art.", "J.K.", "1.200", "3.1", "jan.", "Dr."]
)
PUNCT = st.sampled_from(["", "", "", ".", ";", ":", "!", "?", ","])
SPACE = st.sampled_from([" ", " ", "\n", "\n\n"])
TEXT = st.lists(st.tuples(WORDS, PUNCT, SPACE), max_size=40).map(lambda ts: "".join(w + p + s for w, p, s in ts))


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_no_sentence_ends_after_an_abbreviation(text):
    for end in sentence_ends(text):
        before = text[:end].split()[-1] if text[:end].split() else ""
        if before.endswith("."):
            assert before.lower().rstrip(".") not in ABBREVIATIONS, (before, text)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_segments_lose_no_word_and_cut_at_every_clause(text):
    pieces = segments(text, 1)
    whole = " ".join(text.split())
    if whole.strip(" .;:!?"):
        assert pieces[0] == whole
    for piece in pieces:
        assert piece in whole
    rest = pieces[1:] or pieces[:1]  # a one-piece text is its whole (not repeated)
    found = " ".join(rest)
    for word in text.split():
        assert word.strip(" .;:!?") in found
    # a clause mark followed by white space always cuts (as the audit did before)
    for piece in rest:
        assert not any(f"{mark} " in piece for mark in ";:!?")


def test_segments_keep_abbreviations_inside_their_sentence():
    # "Bron" and "J.K. Jansen" are pieces too, shorter than 12 characters
    note = "Zie o.a. het verslag van de minister. Bron: J.K. Jansen; nr. 12 van 1.200 dossiers.\n\nTweede alinea hier"
    assert segments(note, 12) == [
        " ".join(note.split()),
        "Zie o.a. het verslag van de minister",
        "nr. 12 van 1.200 dossiers",
        "Tweede alinea hier",
    ]


def test_word_ends_sentence_uses_the_same_list():
    assert word_ends_sentence("Haag.") and word_ends_sentence("waarom?") and word_ends_sentence('"klaar."')
    assert not any(word_ends_sentence(w) for w in ("o.a.", "bijv.", "i.h.b.", "Nr.", "jan.", "d.w.z.", "Incl."))
