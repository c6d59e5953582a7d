"""Issue #8: the render stays in small modules (none over ~500 lines); a
new format is a module of its own in render/formats/."""

from __future__ import annotations

from pathlib import Path

import pytest

RENDER = Path(__file__).resolve().parents[2] / "ambtsbericht_build" / "render"


@pytest.mark.parametrize("path", sorted(RENDER.rglob("*.py")), ids=lambda p: p.relative_to(RENDER).as_posix())
def test_render_module_is_small(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"render/{path.relative_to(RENDER).as_posix()} has {lines} lines; split it"
