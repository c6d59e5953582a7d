"""OLD reuses NEW's citeproc output for the blocks the two sides share
(diff/shared.py): whatever the two revisions are, OLD built with NEW's
outputs is byte for byte OLD built alone, so sharing never mixes the sides
up; and when only a paragraph changed, OLD's citeproc does reuse them."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diff.shared import Given, Publishing
from ambtsbericht_build.diff.sides import build_side
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, SOURCES_YAML, make_report

MAX = 20_000_000
# edits of one revision: a word, a citation's key, a confidential source's
# date (which changes the bibliography, so nothing may be reused), a note
EDITS = {
    "none": lambda ch, src: (ch, src),
    "word": lambda ch, src: (ch.replace("gevechten", "beschietingen"), src),
    "cite": lambda ch, src: (ch.replace("plaats.[@hrw-2025]", "plaats.[@vb-2025-11-04]"), src),
    "source": lambda ch, src: (ch, src.replace("issued: 2025-11-04", "issued: 2025-11-05")),
    "note": lambda ch, src: (ch.replace("noorden", "noorden^[Zie ook [@hrw-2025].]"), src),
}
_runs = itertools.count()


def _blocks(side) -> str:
    return json.dumps(side.doc.pandoc, sort_keys=True)


@settings(max_examples=4, deadline=None, derandomize=True)
@given(st.sampled_from(sorted(EDITS)), st.sampled_from(sorted(EDITS)))
def test_old_built_with_new_outputs_is_old_built_alone(tmp_path_factory, old_edit, new_edit):
    base = tmp_path_factory.mktemp(f"shared{next(_runs)}")
    sides = {}
    for name, edit in (("old", old_edit), ("new", new_edit)):
        rd = make_report(base / name)
        chapter, sources = EDITS[edit](CHAPTER_MD, SOURCES_YAML)
        rd.write(CHAPTER, chapter, dedent_text=False)
        rd.write("sources.yaml", sources, dedent_text=False)
        sides[name] = rd.dir
    shared: dict[bytes, str] = {}
    build_side(sides["new"], "NEW", MAX, Publishing(shared.update))
    memo = Given(lambda: shared)
    with_new = build_side(sides["old"], "OLD", MAX, memo)
    alone = build_side(sides["old"], "OLD", MAX)
    assert _blocks(with_new) == _blocks(alone)
    if "source" not in (old_edit, new_edit):
        # same bibliography: pandoc is given only the edited paragraphs (two
        # at most) and the source annex, whose key holds the cited sources
        assert memo.hits > 0 and memo.misses <= 3, (memo.hits, memo.misses)
    else:
        assert memo.hits == 0
