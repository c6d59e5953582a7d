"""publish/text.py folded_words has a fast path for ASCII text (AB302 walks
every block of a report with it, issue #9); it gives the words the general
path gives, for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish import text as T


def general(text: str) -> set[str] | None:
    """folded_words as it was: every distinct raw word folded on its own."""
    if T._NEEDS_TOKENS.search(text):
        return None
    out: set[str] = set()
    for w in set(T._PLAIN_PIECES.findall(text)):
        f = w.lower() if w.isascii() else T.fold_token(w)
        if f.isalpha() or f.isdigit():
            out.add(f)
        else:
            out.update(T._PIECES.findall(f))
    return out


ASCII = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=200)
MIXED = st.text(
    st.one_of(
        st.characters(min_codepoint=0, max_codepoint=127),
        st.sampled_from("éëÉçñßﬁ²ＫКа\u2013\u2014\u00a0\u200b\u0301İı"),
        st.characters(),
    ),
    max_size=200,
)


@settings(max_examples=500)
@given(st.one_of(ASCII, MIXED))
def test_the_fast_path_gives_the_general_paths_words(text):
    assert T.folded_words(text) == general(text)


def test_examples():
    assert T.folded_words("Kwartel BZ-2025/0412 meldde") == {"kwartel", "bz", "2025", "0412", "meldde"}
    assert T.folded_words("Zie %41MB-TL") is None  # percent-encoding: only tokens() can tell
    assert T.folded_words("Genève en Kwartel") == general("Genève en Kwartel") == {"geneve", "en", "kwartel"}
