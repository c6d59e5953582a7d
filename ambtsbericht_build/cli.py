"""The ``abuild`` command line: thin click wrappers around :mod:`ambtsbericht_build.commands`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__


def _default_reports() -> list[Path]:
    root = Path("reports")
    return sorted(p for p in root.iterdir() if (p / "report.yaml").exists()) if root.is_dir() else []


def _parse_size(value: str) -> int:
    v = value.strip().upper()
    mult = 1
    for suffix, m in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3), ("K", 1024), ("M", 1024**2), ("B", 1)):
        if v.endswith(suffix):
            v, mult = v[: -len(suffix)], m
            break
    try:
        return int(float(v) * mult)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size like 5MB") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="abuild")
def main() -> None:
    """Build toolchain for ambtsberichten: check, render and verify reports."""


@main.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="Output format for the findings.")
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal, unless NO_COLOR is set).")
def check(reports: tuple[Path, ...], fmt: str, strict: bool, max_file_size: str, color: bool | None) -> None:
    """Check reports against the report format (default: every report in reports/).

    Exit status: 0 no errors, 1 findings, 2 usage error.
    """
    from .commands.check import CheckOptions, check_reports
    from .output import render

    dirs = list(reports) or _default_reports()
    if not dirs:
        raise click.UsageError("no report given and no reports/*/report.yaml here")
    diags = check_reports(dirs, CheckOptions(max_bytes=_parse_size(max_file_size)))
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(render(fmt, diags, color=color), nl=False)
    sys.exit(1 if diags.failed(strict) else 0)


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--to", "formats", default="html,pdf,docx,odt", show_default=True,
              help="Comma-separated formats: html, pdf, docx, odt.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output directory (default: build/<slug>/).")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def render(report: Path, formats: str, out_dir: Path | None, max_file_size: str) -> None:
    """Check a report, then render it to HTML, PDF, DOCX and ODT.

    A concept renders despite findings (they are printed); a vastgesteld or
    gepubliceerd report with errors is refused. Exit status: 0 rendered,
    1 refused or failed, 2 usage error.
    """
    from .commands.check import CheckOptions
    from .commands.render import FORMATS, RenderFailed, RenderOptions, render_report
    from .output import render as render_diags

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}",
                                 param_hint="--to")
    opts = RenderOptions(formats=wanted, out_dir=out_dir, check=CheckOptions(max_bytes=_parse_size(max_file_size)),
                         progress=lambda line: click.echo(line, err=True))
    color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    try:
        result = render_report(report, opts)
    except RenderFailed as exc:
        click.echo(f"abuild render: {exc}", err=True)
        sys.exit(1)
    if len(result.diagnostics):
        click.echo(render_diags("text", result.diagnostics, color=color), err=True, nl=False)
    if result.refused:
        click.echo(f"abuild render: refused: the report's status is final and it has "
                   f"{result.diagnostics.errors} error(s)", err=True)
        sys.exit(1)
    for fmt, path in result.outputs.items():
        click.echo(str(path))
