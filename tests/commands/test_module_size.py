"""Command modules hold option handling and the call; the work lives in the stage packages.

Issue #8: no command module over ~120 lines (the render's stages are in
render/pipeline.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

COMMANDS = Path(__file__).resolve().parents[2] / "ambtsbericht_build" / "commands"


@pytest.mark.parametrize("name", ["audit", "check", "new", "render", "rules", "schemas", "status", "tor", "verify"])
def test_command_module_is_small(name):
    lines = (COMMANDS / f"{name}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 120, f"commands/{name}.py has {lines} lines; move the work into a stage package"
