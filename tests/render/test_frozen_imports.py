"""abuild's process keeps what it imported out of the collector's walks while
it renders (render/pipeline.py ``frozen_imports``), and gives it back after."""

from __future__ import annotations

import gc

from ambtsbericht_build.render.pipeline import RenderOptions, frozen_imports, render_report
from tests.render.conftest import make_mini_report


def test_a_render_runs_with_its_imports_frozen_and_unfreezes_them(tmp_path):
    seen: list[int] = []
    result = render_report(
        make_mini_report(tmp_path / "repo"),
        RenderOptions(
            formats=("html",), out_dir=tmp_path / "out", progress=lambda line: seen.append(gc.get_freeze_count())
        ),
    )
    assert result.outputs and not result.refused
    assert seen and min(seen) > 0
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_is_left_alone():
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with frozen_imports():
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
