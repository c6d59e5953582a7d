"""The source annex's order as a whole (render/source_order.py): a total
order, the same whatever order the sources come in, punctuation ignored at
the first level. The formats print the one sorted document:
tests/render/test_typography.py reads the order back from all four."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from ambtsbericht_build.render.source_order import collation, sort_key

# what a drafter types in a title or a name: letters, digits, accents, and
# the punctuation the house style's sorting ignores
TEXT = st.text(alphabet="abAB éÉ12 -–—:;,.!?()'’&/+\"", max_size=14)
ITEM = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["report", "article-newspaper", "webpage", "legislation"]),
        "title": TEXT,
        "author": st.lists(st.builds(lambda s: {"literal": s}, TEXT), max_size=1),
        "container-title": TEXT,
        "issued": st.sampled_from([None, {"date-parts": [[2025]]}, {"date-parts": [[2025, 3, 1]]}]),
    }
)
# ids as a drafter may write them: some differ only in case or punctuation
IDS = st.lists(st.text(alphabet="aA-_. 1", min_size=1, max_size=4), min_size=1, max_size=12, unique=True)


def _items(ids: list[str], fields: list[dict]) -> list[dict]:
    return [{**{k: v for k, v in f.items() if v not in (None, [])}, "id": i} for i, f in zip(ids, fields, strict=False)]


@given(IDS, st.lists(ITEM, min_size=12, max_size=12), st.randoms(use_true_random=False))
def test_the_order_is_total_and_independent_of_the_input_order(ids, fields, rnd: random.Random):
    items = _items(ids, fields)
    order = [i["id"] for i in sorted(items, key=sort_key)]
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert [i["id"] for i in sorted(shuffled, key=sort_key)] == order
    # total: two entries (ids differ) never sort as equals; before, the ids were
    # compared collated too ("a-1" as "a 1"), so such a pair kept its input order
    keys = [sort_key(i) for i in items]
    assert len(set(keys)) == len(keys)


PUNCTUATION = st.sampled_from([" ", " – ", " - ", ": ", ", ", " — ", ". ", " (", "; ", "/", " & "])


@given(PUNCTUATION, PUNCTUATION, st.sampled_from(["Arbeid", "Noord", "X"]), st.sampled_from(["Y", "Zuid", "Zee"]))
def test_punctuation_counts_as_a_space_at_the_first_level(p1, p2, first, second):
    """Meetland – X before "Meetland: Y", whatever marks stand between:
    before, "Meetland – Z" sorted before "Meetland: A" (a space, after
    "Meetland", before a colon)."""
    a = {"id": "b", "type": "report", "author": [{"literal": "Org"}], "title": f"Meetland{p1}{first}"}
    b = {"id": "a", "type": "report", "author": [{"literal": "Org"}], "title": f"Meetland{p2}{second}"}
    assert sort_key(a) < sort_key(b)
    assert collation(f"Meetland{p1}{first}") == collation(f"Meetland {first}")


def test_apostrophes_within_a_word_count_as_nothing():
    assert collation("Women’s Rights") == collation("Womens Rights")
    assert collation("Women Speak") < collation("Women’s Rights")  # word by word: "women" before "womens"
    assert collation("’s-Gravenhage") == collation("s Gravenhage")
