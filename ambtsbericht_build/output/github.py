"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(diags: Diagnostics, *, cwd: Path | None = None) -> str:
    out = []
    for d in diags.sorted():
        props = [f"file={_escape_prop(d.display_path(cwd))}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={_escape_prop(d.code)}")
        out.append(f"::{d.severity.value} {','.join(props)}::{_escape_data(d.code + ': ' + d.message)}")
    return "\n".join(out) + ("\n" if out else "")
