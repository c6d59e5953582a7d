"""Scaffold a report directory from a Terms of Reference (``abuild new``).

The new report is traceable from the start: one chapter per ToR theme, and
under it one section per question whose heading already carries the
question's ``{tor="…"}`` marker. Each section holds only a ``::: intern`` note
with the question, so ``abuild check`` reports AB203 for every section until
the drafter has written a sourced answer (or marked it ``.geen-informatie``):
the findings are the to-do list. No question is left out, so AB201 never
appears for a fresh scaffold.

The scaffold is built in a temporary directory next to the target and moved
into place at the end: a failure leaves nothing half-written behind.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import models
from ..diagnostics import Diagnostics
from ..load import YamlDoc, _validate
from ..load.files import DEFAULT_MAX_BYTES, Repo, read_text
from ..load.yamlpos import YamlError, load_yaml
from .files import (
    KIND_TITLES,
    country_from_dir,
    glossary_yaml,
    intro_md,
    report_yaml,
    schema_line,
    slugify,
    sources_yaml,
    theme_md,
    tor_copy,
)

__all__ = ["InvalidTor", "NewOptions", "NewRefused", "NewResult", "scaffold_report", "slugify"]

DEFAULT_ISSUER = "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten"


class NewRefused(Exception):
    """The scaffold was not written: a usage problem (exit status 2)."""


class InvalidTor(Exception):
    """The ToR file cannot be used; ``diagnostics`` say why (exit status 1)."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__("the Terms of Reference file is not valid")
        self.diagnostics = diagnostics


@dataclass
class NewOptions:
    tor: Path
    title: str | None = None  # default: "<Kind> ambtsbericht <country>"
    country: str | None = None  # default: from the directory name ("reports/zuid-kaland" -> "Zuid Kaland")
    kind: str = "algemeen"
    date: dt.date | None = None  # default: today
    language: str = "nl"
    issuer: str = DEFAULT_ISSUER


@dataclass
class NewResult:
    report_dir: Path
    files: list[Path] = field(default_factory=list)  # relative to report_dir, in writing order
    questions: int = 0
    # the repository has no schemas/ for the editor (`abuild schemas schemas` writes them)
    without_schemas: bool = False


def _read_tor(path: Path) -> tuple[str, models.Tor]:
    diags = Diagnostics()
    path = Path(path)
    # the ToR may come from anywhere (a download): it is its own "repository"
    repo = Repo(path.resolve().parent)
    text = read_text(path.resolve(), repo, diags, max_bytes=DEFAULT_MAX_BYTES)
    if text is None:
        # report the path as the user gave it
        fixed = Diagnostics()
        for d in diags:
            fixed.add(d.code, d.severity, path, d.line, d.column, d.message)
        raise InvalidTor(fixed)
    try:
        data, positions = load_yaml(text)
    except YamlError as exc:
        diags.error("AB001", path, exc.line, exc.column, exc.message)
        raise InvalidTor(diags) from None
    if not isinstance(data, dict):
        diags.error("AB002", path, 1, 1, "a ToR file must be a mapping with title, requested_by, date and themes")
        raise InvalidTor(diags)
    tor = _validate(models.Tor, data, YamlDoc(path, data, positions), diags)
    if tor is None:
        raise InvalidTor(diags)
    return text, tor


# --- the command ------------------------------------------------------------------


def _check_target(report_dir: Path) -> None:
    if report_dir.is_symlink() or (report_dir.exists() and not report_dir.is_dir()):
        raise NewRefused(f"{report_dir} exists and is not a directory; choose a new directory for the report")
    if report_dir.is_dir() and any(report_dir.iterdir()):
        raise NewRefused(
            f"{report_dir} already exists and is not empty; nothing was written "
            "(abuild new never overwrites a report: choose a new directory)"
        )


def scaffold_report(report_dir: Path, opts: NewOptions) -> NewResult:
    """Create a new report in ``report_dir`` (which must not exist, or be empty)."""
    report_dir = Path(report_dir)
    if opts.kind not in KIND_TITLES:
        raise NewRefused(f"unknown kind {opts.kind!r}; choose from {', '.join(KIND_TITLES)}")
    _check_target(report_dir)
    tor_text, tor = _read_tor(Path(opts.tor))

    date = opts.date or dt.date.today()
    country = (opts.country or "").strip() or country_from_dir(report_dir.resolve())
    title = (opts.title or "").strip() or f"{KIND_TITLES[opts.kind]} {country}"
    if not country:
        raise NewRefused("cannot tell the country from the directory name; give --country")

    final = report_dir.resolve()
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewRefused(f"cannot create {report_dir.parent}: {exc.strerror or exc}") from None
    # the schemas are those of the repository the new report will live in
    root = Repo.for_report(final).root

    files: dict[str, str] = {
        "report.yaml": report_yaml(
            schema_line(final, root, "report"),
            title=title,
            kind=opts.kind,
            country=country,
            language=opts.language,
            date=date,
            issuer=opts.issuer,
        ),
        "tor.yaml": tor_copy(schema_line(final, root, "tor"), tor_text),
        "sources.yaml": sources_yaml(schema_line(final, root, "sources")),
        "glossary.yaml": glossary_yaml(schema_line(final, root, "glossary")),
        "chapters/00-inleiding.md": intro_md(tor, country, date, opts.language),
    }
    ids: set[str] = {"inleiding", "sec-verslagperiode", "sec-werkwijze"}
    width = max(2, len(str(len(tor.themes))))
    for i, theme in enumerate(tor.themes, start=1):
        name = slugify(theme.title) or slugify(theme.id) or "thema"
        files[f"chapters/{i:0{width}d}-{name}.md"] = theme_md(theme, ids)

    # the report.yaml written must be one the loader accepts
    data, _ = load_yaml(files["report.yaml"])
    models.Report.model_validate(data)

    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".abuild-new-{final.name}-", dir=parent))
    except OSError as exc:
        raise NewRefused(f"cannot write in {report_dir.parent}: {exc.strerror or exc}") from None
    try:
        for rel, text in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8", newline="\n")
        os.chmod(tmp, 0o777 & ~_umask())
        _check_target(final)  # again: someone may have been quicker
        if final.is_dir():
            final.rmdir()
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return NewResult(
        report_dir,
        [Path(rel) for rel in files],
        sum(len(t.questions) for t in tor.themes),
        without_schemas=not files["report.yaml"].startswith("# yaml-language-server:"),
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
