"""OLD reuses NEW's chapter readings and citeproc output for the chapters
and blocks the two sides share (diff/shared.py): whatever the two revisions
are, OLD built with NEW's is byte for byte OLD built alone, so sharing never
mixes the sides up; and when only a paragraph changed, OLD does reuse them."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diff.shared import Given, Publishing
from ambtsbericht_build.diff.sides import build_side
from ambtsbericht_build.load.markdown.pandoc_batch import Shared
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, SOURCES_YAML, make_report

MAX = 20_000_000
# edits of one revision: a word, a citation's key, a confidential source's
# date (which changes the blocks citing it and the annex), a note
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
    sides, chapters = {}, set()
    for name, edit in (("old", old_edit), ("new", new_edit)):
        rd = make_report(base / name)
        chapter, sources = EDITS[edit](CHAPTER_MD, SOURCES_YAML)
        chapters.add(chapter)
        rd.write(CHAPTER, chapter, dedent_text=False)
        rd.write("sources.yaml", sources, dedent_text=False)
        sides[name] = rd.dir
    shared: dict[bytes, str] = {}
    new_readings = Shared({}, {})
    build_side(sides["new"], "NEW", MAX, Publishing(shared.update), new_readings)
    memo, readings = Given(lambda: shared), Shared(dict(new_readings.made), {})
    with_new = build_side(sides["old"], "OLD", MAX, memo, readings)
    alone = build_side(sides["old"], "OLD", MAX)
    assert _blocks(with_new) == _blocks(alone)
    assert len(new_readings.made) == 2  # the kit's two chapters
    assert len(readings.made) == len(chapters) - 1  # pandoc read only the chapter that differs
    if "source" not in (old_edit, new_edit):
        # same bibliography: pandoc is given only the edited paragraphs (two
        # at most) and the source annex, whose key holds the cited sources
        assert memo.hits > 0 and memo.misses <= 3, (memo.hits, memo.misses)
    else:
        # a block is keyed by the sources it cites (block_memo.py): the
        # blocks citing the changed one and the source annex are resolved again
        assert memo.misses >= 2, (memo.hits, memo.misses)
