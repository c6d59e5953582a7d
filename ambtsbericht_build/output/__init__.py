"""Renderers for diagnostics: compiler-style text, JSON, SARIF 2.1.0, GitHub annotations,
GitLab code quality."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostics
from .codequality import render_codequality
from .github import render_github
from .jsonout import render_json
from .sarif import render_sarif
from .text import render_text

FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_codequality,
}


def render(fmt: str, diags: Diagnostics, *, color: bool = False, cwd: Path | None = None) -> str:
    if fmt == "text":
        return render_text(diags, color=color, cwd=cwd)
    return FORMATS[fmt](diags, cwd=cwd)
