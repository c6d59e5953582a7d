"""The preview page's text matched piece by piece (publish/match_pieces.py)
reads exactly the tokens the whole text has, and finds exactly what the
whole text's match finds, after any sequence of edits with one memo;
wherever the text is cut (here: after every line end)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish import match_pieces
from ambtsbericht_build.publish.audit import Matcher
from ambtsbericht_build.publish.extract import Part
from ambtsbericht_build.publish.forbidden import PATH, Forbidden, Needle
from ambtsbericht_build.publish.text import token_texts
from tests.publish.test_match_memo import FILLER, WORDS, WRITINGS, forbidden

# what reads across a line end, or looks like it might: digit groups glued
# over it, a hyphen before it, look-alikes (℮ ⍺ read as letters beside a
# letter, not beside a digit), other scripts' digits, O/l in numbers, a note
# call in a word, upside-down text, marks and hidden characters at a line's
# start, percent and entity sequences, paths
ODD = [
    "\n", "\n", "\n\n", " \n", "-\n", "\u2010\n", "\u00ad\n", "- \n ", "\xa0", " ", " ", ", ", ". ", "/",
    "06", "1234", "5670", "12", "7", "O6", "l2", "OOOO", "0\u0660", "\u0966",
    "\u212e", "\u237a", "Zwartvo\u212et", "M\u09e6erbeiboom", "\u237a. Bakker", "06 \u2223 1234",
    "Merel21hof", "Wiele21waal", "\u0250", "l\u0250\u0250\u028d\u01ddl\u01dd\u0131M",
    "\u0301", "\u0308", "\u200b", "\u2060", "%41", "%C3%A9", "&#97;", "&amp;", "Zw&#97;rtvoet",
    "/home/jan", "/tmp/abuild-x", "file:/x", "C:\\Users\\x", "root",
]  # fmt: skip
ITEMS = FILLER + WORDS[:40] + WRITINGS + ODD


def forbid() -> Forbidden:
    f = forbidden()
    return Forbidden([*f.needles, Needle(PATH, "/tmp/abuild-x", "the build", mode="path")], f.public)


@contextmanager
def every_line_end() -> Iterator[None]:
    with mock.patch.object(match_pieces, "EVERY", 1), mock.patch.object(match_pieces, "MIN_PIECE", 0):
        yield


def readings(memo: match_pieces.Memo, text: str) -> list[tuple[list[str], list[bool]]]:
    pieces, turned = memo.pieces(text)
    try:
        return [(texts, glue) for _, _, texts, glue in memo.readings(pieces, turned)]
    finally:
        memo.end()


texts = st.lists(st.sampled_from(ITEMS), min_size=1, max_size=120).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("06\n1234")  # glued over the line end
@example("Wiele-\nwaal")  # joined over it
@example("12\n\u237a")  # a look-alike after a digit, across it
@example("l\u0250\u0250\u028d\u01ddl\u01dd\u0131M\nabc")  # upside down before it
@example("12\n\u0250\u237a")  # a look-alike at the edge only once turned upright
def test_the_pieces_read_the_whole_texts_tokens(text: str) -> None:
    with every_line_end():
        memo = match_pieces.Memo(Matcher(forbid(), memo=True))
        assert readings(memo, text) == token_texts(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6), st.booleans())
def test_edits_find_what_the_whole_text_finds(edits: list[str], dense: bool) -> None:
    m = Matcher(forbid(), memo=True)
    memo = match_pieces.Memo(m)
    base = edits[0]
    for k, edit in enumerate(edits):
        # each edit a change inside the text before it, as a save is
        text = base[: len(base) // 2] + edit + base[len(base) // 2 :] if k else base
        part = Part("HTML text", text)
        whole = Matcher(forbid()).match(part)
        if dense:
            with every_line_end():
                assert match_pieces.match(memo, part) == whole
        else:
            assert match_pieces.match(memo, part) == whole
        base = text


def test_an_edit_reads_one_piece() -> None:
    import random

    rng = random.Random(2)
    lines = [" ".join(rng.choice(FILLER + WORDS) for _ in range(30)) for _ in range(2000)]
    text = "\n".join(lines)
    memo = match_pieces.Memo(Matcher(forbid(), memo=True))
    assert match_pieces.match(memo, Part("HTML text", text)) == []
    read, matched = memo.pieces_read, memo.windows_matched
    assert read > 20
    edited = "\n".join([*lines[:1000], "Een nieuwe zin over de woning.", *lines[1000:]])
    assert match_pieces.match(memo, Part("HTML text", edited)) == []
    assert memo.pieces_read - read == 1 and memo.windows_matched - matched <= 6
    leaky = "\n".join([*lines[:1000], "Een nieuwe zin over Karel Smit.", *lines[1000:]])
    assert match_pieces.match(memo, Part("HTML text", leaky)) == Matcher(forbid()).match(Part("HTML text", leaky))
    assert match_pieces.match(memo, Part("HTML text", leaky))
    # other forbidden values (a new matcher): the pieces are not read again, the windows are matched again
    other = Forbidden([*forbid().needles, *forbidden(["Lindenhoven Oost"]).needles], [])
    again = match_pieces.Memo(Matcher(other, memo=True), memo.tokens)
    leaky = "\n".join([*lines[:1000], "Een zin over Lindenhoven Oost.", *lines[1000:]])
    assert match_pieces.match(again, Part("HTML text", leaky)) == Matcher(other).match(Part("HTML text", leaky))
    assert memo.tokens.read == read + 3 and again.windows_matched > 0  # (the edited, the leaky, this piece)
