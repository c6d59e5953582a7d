"""AB307: a Latin word with a letter, symbol or digit of another script in it
(UTS #39's mixed-script rule, which needs no table of look-alikes); warned
at its line and column, and ordinary text with Greek or Cyrillic words, units
and ordinals is not flooded."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check.mixed_script import foreign_in
from tests.fixtures.report_kit import CHAPTER, make_report


def append(r, text: str) -> int:
    body = r.path(CHAPTER).read_text(encoding="utf-8").rstrip("\n")
    r.write(CHAPTER, body + "\n\n" + text + "\n", dedent_text=False)
    return body.count("\n") + 3


@pytest.mark.parametrize(
    "word, column",
    [
        # the column of the foreign character ("Er waren gevechten bij " is 23)
        ("Havenst\u0430d", 31),  # Cyrillic а
        ("HAVE\u039dSTAD", 28),  # Greek capital Nu
        ("\u13deindenplein", 24),  # Cherokee Ꮮ, a letter no table listed right
        ("Lindenpl\u212ein", 32),  # ℮, a symbol
        ("M\u09e6erbeiboom", 25),  # Bengali zero, a digit
        ("Linden\U0001d429lein", 30),  # mathematical bold p
        ("Zw\uab7artvoet", 26),  # Cherokee small ꭺ
    ],
)
def test_a_mixed_script_word_is_warned_where_it_is(tmp_path, word, column):
    r = make_report(tmp_path)
    r.expect_none("AB307")
    line = append(r, f"Er waren gevechten bij {word} in het noorden.[@hrw-2025]")
    d = r.expect("AB307", CHAPTER, line, column)
    assert word not in d.message and "U+" in d.message
    assert "AB302" not in r.codes()  # no secret: only the warning


def test_ordinary_text_in_other_scripts_is_not_warned(tmp_path):
    r = make_report(tmp_path)
    append(
        r,
        "De Griekse politie (Ελληνική Αστυνομία, ΕΛ.ΑΣ.) en Газпром werkten samen; de α-test,\n"
        "het Ναι-kamp, nº 5, 10 µg, 1ª divisão, Genève, Łódź, ﬁnanciën, Straße, القاهرة en 東京.[@hrw-2025]",
    )
    r.expect_none("AB307")


def test_a_drafters_note_is_not_warned(tmp_path):
    r = make_report(tmp_path)
    append(r, "::: intern\nHavenst\u0430d nog nagaan.\n:::")
    r.expect_none("AB307")


GREEK = [chr(c) for c in range(0x03B1, 0x03CA)]
CYRILLIC = [chr(c) for c in range(0x0430, 0x0450)]
OTHER = GREEK + CYRILLIC + [chr(c) for c in range(0x13A0, 0x13F5)] + [chr(c) for c in range(0x0561, 0x0587)]


@settings(max_examples=300)
@given(
    word=st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéëï"), min_size=2, max_size=12),
    other=st.sampled_from(OTHER),
    where=st.integers(0, 12),
)
def test_any_letter_of_another_script_in_a_latin_word_is_found(word, other, where):
    k = min(where, len(word))
    mixed = word[:k] + other + word[k:]
    found = list(foreign_in(f"bij {mixed} in"))
    assert found == [(4 + k, other)], (mixed, unicodedata.name(other))


@settings(max_examples=200)
@given(words=st.lists(st.text(st.sampled_from(GREEK), min_size=1) | st.text(st.sampled_from(CYRILLIC), min_size=1)))
def test_words_of_one_script_are_never_found(words):
    assert list(foreign_in(" ".join(words) + " - en " + "-".join(words))) == []
