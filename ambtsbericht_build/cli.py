"""The ``abuild`` command line: thin click wrappers around :mod:`ambtsbericht_build.commands`."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .cache.fast import RenderCache


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


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """click.version_option's output, the version looked up only when asked."""
    if not value or ctx.resilient_parsing:
        return
    from . import __version__

    click.echo(f"abuild, version {__version__}", color=ctx.color)
    ctx.exit()


class _Program(click.Group):
    """The command line run as a program (the ``abuild`` script and ``python
    -m`` call it; CliRunner calls :meth:`main` and is not concerned).

    ``abuild check`` ends with :func:`os._exit` once its output is flushed:
    Python's own exit would first free the loaded report (the pandoc ASTs
    of every chapter, reference cycles: a last garbage collection) and
    every module, 70-100 ms of the benchmark report's 0.8 s for nothing the
    program needs (mypy ends the same way). Only ``check``: the render has
    writers and directories to clean up at exit."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _exit_at_once.clear()
        try:
            return self.main(*args, **kwargs)
        except SystemExit as exc:
            if _exit_at_once and isinstance(exc.code, int):
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                except (OSError, ValueError):
                    raise exc from None  # Python's own exit says it as it always did
                os._exit(exc.code)
            raise


_exit_at_once: list[bool] = []  # set by a command that may end with os._exit


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Build toolchain for ambtsberichten: check, render and verify reports."""


@main.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="Output format for the findings.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
@click.option(
    "--color/--no-color", default=None, help="Colour the text output (default: on a terminal, unless NO_COLOR is set)."
)
@click.option("--no-cache", is_flag=True, help="Let pandoc read every chapter, not only those changed since.")
def check(
    reports: tuple[Path, ...], fmt: str, strict: bool, max_file_size: str, color: bool | None, no_cache: bool
) -> None:
    """Check reports against the report format (default: every report in reports/).

    REPORTS are report directories, or files in them (a chapter, an image:
    the report they are in is checked; a file of the shared bibliography/ or
    templates/ checks every report), as a pre-commit hook passes them.

    Exit status: 0 no errors, 1 findings, 2 usage error.
    """
    from .commands.check import CheckOptions, check_reports, reports_concerned
    from .output import render

    dirs = reports_concerned(list(reports), _default_reports()) if reports else _default_reports()
    if not dirs:
        raise click.UsageError("no report given and no reports/*/report.yaml here")
    diags = check_reports(dirs, CheckOptions(max_bytes=_parse_size(max_file_size), cache=not no_cache))
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    click.echo(render(fmt, diags, color=color), nl=False, color=color)  # click would strip the escapes when piped
    _exit_at_once.append(True)  # see _Program
    sys.exit(1 if diags.failed(strict) else 0)


@main.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="The site directory (kept between builds: published editions are verified, never rendered again).",
)
@click.option("--base-url", default=None, help="The site's public address, for canonical links and the metadata.")
@click.option("--include-concepts", is_flag=True, help="Also publish concepts, with a CONCEPT banner (preview sites).")
def publish(reports: tuple[Path, ...], out_dir: Path, base_url: str | None, include_concepts: bool) -> None:
    """Build the publication site of the reports (default: every report in reports/).

    Every vastgesteld edition tagged <slug>/v<version> and the working
    tree's vastgesteld or gepubliceerd version, with downloads, checksums,
    manifests and metadata. Exit status: 0 built, 1 refused or failed,
    2 usage error.
    """
    from .commands import publish as cmd

    try:
        url = cmd.base_url(base_url)
        dirs = cmd.report_dirs(list(reports), _default_reports())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        result = cmd.build_site(Path("."), dirs, cmd.SiteOptions(out_dir, url, include_concepts, _progress))
    except cmd.SiteFailed as exc:
        click.echo(f"abuild publish: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"abuild publish: {result.reports} report(s); {len(result.rendered)} edition(s) rendered,"
        f" {len(result.kept)} kept -> {out_dir.as_posix()}/index.html"
    )


def _progress(line: str) -> None:
    click.echo(line, err=True)


def _render_cache(report: Path, out_dir: Path | None, color: bool) -> tuple[bool, RenderCache | None]:
    """(unchanged, the render's cache): the cache (cache/fast.py) is keyed by
    the inputs and every option of the command; unchanged when nothing changed
    since the last render (its findings and outputs are then printed as that
    render printed them); no cache when there is none to be had (a render
    then goes without)."""
    from .cache.chapters import enabled
    from .cache.fast import RenderCache

    if not enabled():
        return False, None
    params = {k: None if v is None else str(v) for k, v in click.get_current_context().params.items()}
    params.pop("no_cache", None)
    try:
        cache = RenderCache.open(report, out_dir, {"command": "render", **params})
        if cache.store.refused:
            click.echo(f"abuild render: cache not used: {cache.store.refused}", err=True)
            return False, None
        replay = cache.unchanged()
    except (OSError, ValueError):
        return False, None
    if replay is None:
        return False, cache
    from .diagnostics import display_path
    from .output import render as render_diags

    click.echo(f"abuild render: nothing changed since the last render: {display_path(cache.out_dir)}", err=True)
    if len(replay.diagnostics):
        click.echo(render_diags("text", replay.diagnostics, color=color), err=True, nl=False)
    for path in [*replay.outputs.values(), replay.manifest]:
        click.echo(display_path(path))
    return True, None


@main.command()
@click.argument("base", required=False, default="")
def changed(base: str) -> None:
    """List the report directories changed since the Git revision BASE.

    One directory a line: the reports a file changed on this branch belongs
    to (every report for a shared bibliography or template file; every
    report without BASE). `make ci-render` renders them. Exit status: 0
    listed (also none), 1 Git could not compare, 2 usage error.
    """
    from .commands.changed import GitFailed, changed_reports

    try:
        reports = changed_reports(base or None, _default_reports())
    except GitFailed as exc:
        click.echo(f"abuild changed: {exc}", err=True)
        sys.exit(1)
    for r in reports:
        click.echo(r.as_posix())


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "formats",
    default=None,
    help="Comma-separated formats: html, pdf, docx, odt.  [default: all of them]",
)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=None, help="Output directory (default: build/<slug>/)."
)
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="The edition's language: another than the report's renders <slug>.<lang>.* from "
    "translations/<lang>/.  [default: the report's own]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write build/.cache/: render it all again.")
def render(
    report: Path, formats: str | None, out_dir: Path | None, max_file_size: str, lang: str | None, no_cache: bool
) -> None:
    """Check a report, then render it to HTML, PDF, DOCX and ODT.

    A concept renders despite findings (they are printed); a vastgesteld or
    gepubliceerd report with errors is refused, and so is its translated
    edition (--lang) with any untranslated entry. With nothing changed since
    the last render (inputs, abuild, tools, outputs on disk) it says so and
    prints that render's findings again. Exit status: 0 rendered (or
    unchanged), 1 refused or failed, 2 usage error.
    """
    color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    from .cache.inputs import out_dir_problem

    if problem := out_dir_problem(report, out_dir):
        raise click.BadParameter(problem, param_hint="--out")
    unchanged, cache = (False, None) if no_cache else _render_cache(report, out_dir, color)
    if unchanged:
        return  # said so, before the render's imports (0.24 s)
    from .render.atomic import Interrupted, signal_name, signals_raise
    from .render.early_writers import started_early, wanted

    rendered: list[object] = []  # the result, once the new outputs are in place
    # the render itself turns a signal into RenderFailed; this covers the
    # moments before it starts (the writers start before the render's
    # imports: a signal then stops them too, started_early's clean-up) and
    # after it returned, so that every interrupt ends with one line naming
    # the signal, never a traceback or SIGTERM's default death
    with signals_raise():
        try:
            with started_early(wanted(formats)):  # the writers' imports beside the render's (early_writers.py)
                _render(report, formats, out_dir, max_file_size, lang, cache, color, rendered)
        except (KeyboardInterrupt, Interrupted) as exc:
            where = " after the new outputs were in place" if rendered else "; previous outputs left as they were"
            click.echo(f"abuild render: interrupted by {signal_name(exc)}{where}", err=True)
            sys.exit(1)


def _render(
    report: Path,
    formats: str | None,
    out_dir: Path | None,
    max_file_size: str,
    lang: str | None,
    cache: RenderCache | None,
    color: bool,
    rendered: list[object],
) -> None:
    """The render and what it says; ``rendered`` gets the result once the new outputs are in place."""
    from .commands.render import RenderFailed, UnknownFormat, parse_formats, run
    from .diagnostics import display_path
    from .output import render as render_diags

    try:
        wanted = parse_formats(formats)
    except UnknownFormat as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None
    max_bytes = _parse_size(max_file_size)
    progress = lambda line: click.echo(line, err=True)  # noqa: E731
    try:
        result = run(report, wanted, out_dir, max_bytes, progress, rendered.append, cache, lang)
    except RenderFailed as exc:
        click.echo(f"abuild render: {exc}", err=True)
        sys.exit(1)
    if len(result.diagnostics):
        click.echo(render_diags("text", result.diagnostics, color=color), err=True, nl=False)
    if result.refused:
        click.echo(f"abuild render: refused: {result.reason}", err=True)
        sys.exit(1)
    for _fmt, path in result.outputs.items():
        click.echo(display_path(path))
    if result.manifest is not None:
        click.echo(display_path(result.manifest))


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.argument("old")
@click.argument("new", required=False)
@click.option("--to", "formats", default=None, help="Comma-separated formats: html, docx.  [default: both]")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output directory (default: build/<slug>/diff/).",
)
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def diff(
    report: Path, old: str, new: str | None, formats: str | None, out_dir: Path | None, max_file_size: str
) -> None:
    """Compare REPORT at Git revision OLD with NEW (default: the working tree, which must be committed).

    Both sides are built as `abuild render` builds them and compared as
    documents. Writes <slug>.diff.html and <slug>.diff.docx (Word tracked
    changes). Exit status: 0 written (with or without changes), 1 refused or
    failed (a report missing at OLD, uncommitted changes, an audit finding),
    2 usage error (also: an unknown revision, not a Git repository).
    """
    from .commands.diff import DiffRefused, parse_formats, run
    from .diagnostics import display_path
    from .render.atomic import Interrupted, signal_name, signals_raise

    try:
        wanted = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None
    progress = lambda line: click.echo(line, err=True)  # noqa: E731
    with signals_raise():
        try:
            result = run(report, old, new, wanted, out_dir, _parse_size(max_file_size), progress)
        except DiffRefused as exc:
            click.echo(f"abuild diff: {exc}", err=True)
            sys.exit(exc.status)
        except (KeyboardInterrupt, Interrupted) as exc:
            click.echo(f"abuild diff: interrupted by {signal_name(exc)}; no output written", err=True)
            sys.exit(1)
    if result.findings:
        from .publish.audit import summary

        for f in result.findings:
            click.echo(str(f), err=True)
        click.echo(f"abuild diff: refused: the audit of the diff found {summary(result.findings)}", err=True)
        sys.exit(1)
    for path in result.outputs.values():
        click.echo(display_path(path))
    click.echo(f"abuild diff: {result.summary()}", err=True)


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port (0: a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def preview(report: Path, port: int, open_browser: bool, max_file_size: str) -> None:
    """Serve REPORT's HTML on http://127.0.0.1:PORT/, rebuilt and reloaded on every save.

    Findings are shown in the page and printed here. Ctrl-C stops it.
    Exit status: 0 stopped, 1 could not start, 2 usage error.
    """
    from .preview.stopping import block

    block()  # first: a Ctrl-C from here on is taken when the preview asks (preview/stopping.py)
    from .commands.preview import PreviewFailed, serve
    from .render.atomic import Interrupted, signals_raise

    def started(url: str) -> None:
        click.echo(f"abuild preview: serving {report} at {url} (Ctrl-C stops)", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    echo = lambda text: click.echo(text, err=True, nl=False, color=color)  # noqa: E731
    with signals_raise():  # where signals cannot be taken when asked for, they raise
        try:
            serve(report, port, _parse_size(max_file_size), echo, started, color)
        except PreviewFailed as exc:
            click.echo(f"abuild preview: {exc}", err=True)
            sys.exit(1)
        except (KeyboardInterrupt, Interrupted):
            pass
    click.echo("abuild preview: stopped", err=True)


@main.command()
@click.argument("report_dir", type=click.Path(path_type=Path))
@click.option(
    "--tor",
    "tor_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The Terms of Reference (tor.yaml) to build the report from; it is copied into the report.",
)
@click.option("--title", default=None, help='Report title (default: "<Kind> ambtsbericht <country>").')
@click.option("--country", default=None, help="Country (default: from the directory name).")
@click.option("--kind", type=click.Choice(["algemeen", "thematisch", "kort"]), default="algemeen", show_default=True)
@click.option(
    "--date",
    "date_",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Report date, YYYY-MM-DD (default: today); the reference period is the year before it.",
)
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def new(
    report_dir: Path,
    tor_file: Path,
    title: str | None,
    country: str | None,
    kind: str,
    date_: datetime.datetime | None,
    language: str,
) -> None:
    """Scaffold a new report in REPORT_DIR from a Terms of Reference.

    Writes report.yaml (status concept, version 0.1), a copy of the ToR,
    sources.yaml, glossary.yaml, chapters/00-inleiding.md and one chapter per
    ToR theme with a section per question that already carries its
    {tor="..."} marker. REPORT_DIR must not exist or be empty.

    Exit status: 0 written, 1 the ToR file is not valid, 2 usage error.
    """
    from .commands.new import InvalidTor, NewRefused, new_report
    from .output import render as render_diags

    try:
        result = new_report(
            report_dir,
            tor_file,
            title=title,
            country=country,
            kind=kind,
            date=date_.date() if date_ else None,
            language=language,
        )
    except NewRefused as exc:
        click.echo(f"abuild new: {exc}", err=True)
        sys.exit(2)
    except InvalidTor as exc:
        click.echo(render_diags("text", exc.diagnostics), err=True, nl=False)
        click.echo(f"abuild new: {tor_file} is not a valid tor.yaml; nothing was written", err=True)
        sys.exit(1)
    for rel in result.files:
        click.echo(str(Path(report_dir) / rel))
    click.echo(
        f"abuild new: {len(result.files)} files, {result.questions} ToR questions; "
        f"`abuild check {report_dir}` lists the sections still to write (AB203)",
        err=True,
    )
    if result.without_schemas:
        click.echo(
            "abuild new: this repository has no schemas/ directory, so the YAML files name no schema; "
            "`abuild schemas schemas` writes it, and the next `abuild new` links to it",
            err=True,
        )


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def tor(report: Path, fmt: str, max_file_size: str) -> None:
    """Print the ToR coverage matrix of REPORT: where each question is answered.

    Exit status: 0 every question answered (or marked geen-informatie),
    1 a question is unanswered or the ToR cannot be read, 2 usage error.
    """
    from .commands.tor import TorUnavailable, coverage_report
    from .output import render as render_diags

    try:
        text, cov = coverage_report(report, fmt, max_bytes=_parse_size(max_file_size))
    except TorUnavailable as exc:
        click.echo(render_diags("text", exc.diagnostics), err=True, nl=False)
        click.echo(f"abuild tor: the Terms of Reference of {report} cannot be read", err=True)
        sys.exit(1)
    click.echo(text, nl=False)
    unreadable = cov.unreadable_chapters()
    if unreadable:
        click.echo(f"abuild tor: {unreadable} file problem(s) may hide answers; run abuild check {report}", err=True)
    sys.exit(0 if cov.complete else 1)


@main.command()
@click.argument("codes", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(codes: tuple[str, ...], fmt: str) -> None:
    """List the check codes, or explain CODES: what each finds, why, an example, the fix.

    Without CODES, one line per code (code, severity, summary). An unknown
    code is a usage error (exit status 2). `abuild rules --format markdown`
    is docs/checks.md, every code explained.
    """
    from .commands.rules import UnknownCode, list_rules

    try:
        click.echo(list_rules(fmt, codes), nl=False)
    except UnknownCode as exc:
        raise click.BadParameter(str(exc), param_hint="CODES") from None


@main.command()
@click.argument("out_dir", default="schemas", type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a schema file is missing or out of date.")
def schemas(out_dir: Path, check: bool) -> None:
    """Write the JSON Schemas of the YAML files into OUT_DIR (default: schemas/).

    They are generated from the models; check-output.schema.json is written
    by hand and left alone.
    """
    from .commands.schemas import write_schemas

    result = write_schemas(out_dir, check=check)
    if check:
        for p in result.stale:
            click.echo(f"{p}: out of date (run abuild schemas {out_dir})", err=True)
        sys.exit(1 if result.stale else 0)
    for p in result.written:
        click.echo(str(p))


@main.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--report",
    "report",
    type=click.Path(path_type=Path),
    default=None,
    help="The report the outputs were rendered from: its internal fields, ::: intern blocks, "
    "HTML comments and deny list are looked for.",
)
@click.option(
    "--deny", "deny", multiple=True, metavar="STRING", help="Another string that must not appear (repeatable)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def audit(outputs: tuple[Path, ...], report: Path | None, deny: tuple[str, ...], fmt: str) -> None:
    """Look for anything confidential in rendered files (or in the outputs in a directory).

    Every string is extracted (HTML text, attributes, comments; PDF text,
    metadata, XMP, bookmarks, annotations, attachments; every XML part of a
    DOCX/ODT). Findings name the file, the part and the kind of value, never
    the value itself. Exit status: 0 clean, 1 findings, 2 usage error.
    """
    import json

    from .commands.audit import AuditUsageError, audit_outputs

    try:
        result = audit_outputs(list(outputs), report, deny)
    except AuditUsageError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "version": 1,
                    "files": [str(f) for f in result.files],
                    "findings": [f.to_json() for f in result.findings],
                    "checked": result.checked,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for f in result.findings:
            click.echo(str(f))
        checked = ", ".join(f"{n} {k}" for k, n in result.checked.items())
        if result.findings:
            click.echo(
                f"abuild audit: {len(result.findings)} finding(s) in {len(result.files)} file(s) "
                "(no value is shown: which piece of it, and where it was written)",
                err=True,
            )
        else:
            click.echo(f"abuild audit: {len(result.files)} file(s) clean (looked for: {checked})", err=True)
        if result.skipped:  # images, fonts, ...: say so, an audit must not look complete when it is not
            click.echo(f"abuild audit: {len(result.skipped)} other file(s) not read (not a kind it knows)", err=True)
    sys.exit(1 if result.findings else 0)


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--advance", "step", default=None, metavar="STEP", help="Record STEP: intern-review, jenv-review, ...")
@click.option("--by", default=None, metavar="NAME", help="Who signed the step off (with --advance).")
@click.option("--role", default=None, help="Their role (with --advance).")
@click.option("--date", "date_", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Default: today.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def status(
    report: Path,
    step: str | None,
    by: str | None,
    role: str | None,
    date_: datetime.datetime | None,
    max_file_size: str,
) -> None:
    """Where REPORT stands on the path to vaststelling, and what blocks its next step.

    With --advance STEP --by NAME, record the next step in report.yaml after
    checking its preconditions. Exit status: 0 shown or recorded, 1 refused,
    2 usage error.
    """
    from .commands.status import record, show

    echo = lambda text, err: click.echo(text, err=err, nl=False)  # noqa: E731
    if step is None:
        if by or role or date_:
            raise click.UsageError("--by, --role and --date go with --advance STEP")
        sys.exit(show(report, _parse_size(max_file_size), echo))
    if not by:
        raise click.UsageError("--advance needs --by NAME: who signed the step off")
    day = date_.date() if date_ else None
    sys.exit(record(report, step, by, role, day, _parse_size(max_file_size), echo))


@main.group()
def translate() -> None:
    """Translated editions: gettext PO files beside the Dutch text (docs/translation.md)."""


@translate.command("extract")
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--lang", default="en", show_default=True, type=click.Choice(["en"]), help="Target language.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest file that is read.")
def translate_extract(report: Path, lang: str, max_file_size: str) -> None:
    """Write or update REPORT's PO files under translations/LANG/, one per
    chapter plus report.po, tor.po and glossary.po.

    An existing file is merged as msgmerge does (unchanged entries keep their
    translation, changed ones become fuzzy, removed ones obsolete). Exit
    status: 0 written, 1 the report or a PO file cannot be read, 2 usage error.
    """
    from .commands.translate import extract

    sys.exit(extract(report, lang, _parse_size(max_file_size), lambda text, err: click.echo(text, err=err)))


@main.group()
def review() -> None:
    """Review rounds: import a reviewer's comments and tracked changes."""


@review.command("import")
@click.argument("docx", type=click.Path(exists=True, path_type=Path, dir_okay=False))
@click.option(
    "--report", type=click.Path(file_okay=False, path_type=Path), default=None, help="Default: reports/<slug>."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True
)
def review_import(docx: Path, report: Path | None, fmt: str) -> None:
    """Each comment and tracked change in DOCX (rendered by abuild, returned by
    a reviewer) with its reviewer, date and source file:line:column.

    Exit status: 0 read, 1 refused (not abuild's, another report's, corrupt
    or hostile), 2 usage error.
    """
    from .commands.review import import_docx

    sys.exit(import_docx(docx, report, fmt, lambda text, err: click.echo(text, err=err, nl=False)))


@main.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--add", "add", nargs=2, default=None, metavar="SOURCE_ID FILE", help="Record FILE, archived by hand.")
@click.option("--verify", is_flag=True, help="Re-hash every archived copy and read every WARC record back.")
@click.option("--archive-dir", type=click.Path(path_type=Path), default=None, help="Default: REPORT/archive.")
@click.option("--max-size", default="25MB", show_default=True, help="Largest response captured.")
@click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a connection or read may wait.",
)
@click.option("--parallel", default=4, show_default=True, type=click.IntRange(1, 16), help="Fetches at once.")
@click.option("--max-file-size", default="5MB", show_default=True, help="Largest report file that is read.")
def archive(
    report: Path,
    add: tuple[str, str] | None,
    verify: bool,
    archive_dir: Path | None,
    max_size: str,
    timeout: float,
    parallel: int,
    max_file_size: str,
) -> None:
    """Capture REPORT's public sources into WARC files and record them in sources.yaml.

    Fetches each public source with a URL and no valid copy yet (the only
    command that uses the network; proxies from the environment). Exit
    status: 0 done, 1 a capture failed or nothing could be recorded, 2 usage error.
    """
    from .archive.fetch import Limits
    from .commands import archive as cmd

    if add and verify:
        raise click.UsageError("--add and --verify are separate runs")
    echo = lambda text, err: click.echo(text, err=err)  # noqa: E731
    try:
        lr, where = cmd.loaded(report, archive_dir, _parse_size(max_file_size))
    except cmd.Refused as exc:
        click.echo(f"{exc.findings}abuild archive: {exc}", err=True)
        sys.exit(1)
    if verify:
        sys.exit(cmd.verify(lr, echo))
    if add:
        sys.exit(cmd.add(lr, where, add[0], Path(add[1]), echo))
    limits = Limits(max_bytes=_parse_size(max_size), timeout=timeout, parallel=parallel)
    sys.exit(cmd.capture(lr, where, limits, echo))


@main.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Repository to re-hash the inputs in (default: found from here or from the manifest).",
)
@click.option("--outputs-only", is_flag=True, help="Re-hash only the outputs beside the manifest.")
@click.option(
    "--allow-stale",
    is_flag=True,
    help="Accept outputs kept from an earlier render of older inputs (STALE) instead of failing.",
)
def verify(manifest: Path, repo: Path | None, outputs_only: bool, allow_stale: bool) -> None:
    """Re-hash the outputs (and inputs) a manifest lists and report every difference.

    Each output is OK (current), STALE (kept from an earlier render of older
    inputs), CHANGED or MISSING. Exit status: 0 everything matches, 1 a file
    is missing or changed, or an output is stale (unless --allow-stale),
    2 the manifest cannot be read.
    """
    from .commands.verify import ManifestError, dirty_note, verify_manifest

    try:
        checks, ok = verify_manifest(manifest, repo, outputs_only, allow_stale)
        note = dirty_note(manifest)
    except ManifestError as exc:
        click.echo(f"abuild verify: {exc}", err=True)
        sys.exit(2)
    for c in checks:
        click.echo(str(c))
    if note:
        click.echo(f"abuild verify: note: {note}", err=True)
    bad = sum(c.status in ("changed", "missing") for c in checks)
    stale = sum(c.status == "stale" for c in checks)
    said = [f"{bad} difference(s)"] if bad else []
    if stale:
        said.append(f"{stale} stale output(s)" + (" (allowed)" if allow_stale else ", built from older inputs"))
    head = "OK" if ok and not said else ("OK, " if ok else "") + ", ".join(said)
    click.echo(f"abuild verify: {head}: {sum(c.status == 'ok' for c in checks)} file(s) match", err=True)
    sys.exit(0 if ok else 1)
