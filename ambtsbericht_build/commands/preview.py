"""``abuild preview``: serve the report's HTML on 127.0.0.1, rebuild on
every save and reload the browser (the work is :mod:`..preview`'s)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostics
from ..preview.build import Build
from ..preview.session import Preview
from ..preview.stages import wanted

__all__ = ["Preview", "PreviewFailed", "serve", "terminal_lines"]


class PreviewFailed(Exception):
    """The preview could not start (the port is taken, say)."""


def terminal_lines(b: Build, served: bool, color: bool) -> str:
    """The findings in compiler style (as ``abuild check`` prints them),
    then one line on the build."""
    from ..output import render

    diags = Diagnostics()
    for d in b.findings:
        diags.add(d.code, d.severity, d.file, d.line, d.column, d.message)
    text = render("text", diags, color=color) if b.findings else ""
    if wanted():
        text += f"abuild preview: stages (wall/CPU s): {b.stages.line()}\n"
    if served:
        return text + f"abuild preview: rebuilt in {b.seconds:.2f} s, {len(b.findings)} finding(s)\n"
    return text + f"abuild preview: no new page ({b.problem}); the last good page stays\n"


def serve(
    report: Path,
    port: int,
    max_bytes: int,
    echo: Callable[[str], None],
    started: Callable[[str], None],
    color: bool = False,
) -> str:
    """Run the preview until a stop signal (Ctrl-C, SIGTERM, SIGHUP: taken
    when the preview asks, preview/stopping.py), then stop it cleanly; the
    signal's name. Where signals raise instead (no ``sigtimedwait``), the
    KeyboardInterrupt or ``render.atomic.Interrupted`` ends it the same way."""
    from ..preview.stopping import stop_signals

    if not (report / "report.yaml").is_file():
        raise PreviewFailed(f"{report} is not a report directory (no report.yaml in it)")
    p = Preview(report, max_bytes, port, say=lambda b, served: echo(terminal_lines(b, served, color)))
    with stop_signals() as stop:
        try:
            try:
                url = p.start(stop.wait)
            except OSError as exc:
                raise PreviewFailed(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None
            if url is not None:  # None: stopped during the first build
                started(url)
                while not stop.wait(3600):
                    pass
        finally:
            p.stop()
            sys.stdout.flush()
    return stop.came
