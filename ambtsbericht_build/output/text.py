"""Compiler-style text: ``file:line:col: AB101 error: message`` and a summary line."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Severity

_RESET = "\033[0m"
_BOLD = "\033[1m"
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}


def _where(d: Diagnostic, cwd: Path | None) -> str:
    path: str = d.display_path(cwd)
    if d.line:
        return f"{path}:{d.line}:{d.column}" if d.column else f"{path}:{d.line}"
    return path


def summary(diags: Diagnostics) -> str:
    e, w = diags.errors, diags.warnings
    if not e and not w:
        return "no findings"
    return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"


def render_text(diags: Diagnostics, *, color: bool = False, cwd: Path | None = None) -> str:
    lines: list[str] = []
    for d in diags.sorted():
        sev = d.severity.value
        if color:
            lines.append(f"{_BOLD}{_where(d, cwd)}:{_RESET} {d.code} {_COLORS[d.severity]}{sev}{_RESET}: {d.message}")
        else:
            lines.append(f"{_where(d, cwd)}: {d.code} {sev}: {d.message}")
    lines.append(summary(diags))
    return "\n".join(lines) + "\n"
