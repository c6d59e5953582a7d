"""``abuild new``: scaffold a report directory from a Terms of Reference.

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
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import models
from ..diagnostics import Diagnostics
from ..load import YamlDoc, _validate
from ..load.files import DEFAULT_MAX_BYTES, Repo, read_text
from ..load.yamlpos import YamlError, load_yaml

DEFAULT_ISSUER = "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten"

KIND_TITLES = {
    "algemeen": "Algemeen ambtsbericht",
    "thematisch": "Thematisch ambtsbericht",
    "kort": "Kort ambtsbericht",
}


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


# --- helpers ----------------------------------------------------------------------


def slugify(text: str, max_len: int = 60) -> str:
    """ASCII, lower case, words joined by ``-``: "Politieke en veiligheidssituatie" ->
    "politieke-en-veiligheidssituatie"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug


def _year_before(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back unchanged, else double-quoted."""
    plain_ok = (
        value == value.strip()
        and "\n" not in value
        and " #" not in value
        and ": " not in value
        and not value.endswith(":")
        and value[:1] not in "!&*?|>'\"%@`{}[],#-"
    )
    if plain_ok:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _md_text(text: str) -> str:
    """Question text safe inside a chapter: no citation, note, link or HTML syntax."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>@^#|])", r"\\\1", text)


def _schema_line(report_dir: Path, root: Path, name: str) -> str:
    target = root / "schemas" / f"{name}.schema.json"
    rel = Path(os.path.relpath(target, report_dir)).as_posix()
    return f"# yaml-language-server: $schema={rel}\n"


def _country_from_dir(report_dir: Path) -> str:
    words = [w for w in re.split(r"[-_\s]+", report_dir.name) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)


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


# --- file contents ----------------------------------------------------------------


def _report_yaml(schema: str, opts: NewOptions, title: str, country: str, date: dt.date) -> str:
    rows = [
        (f"title: {_yaml_scalar(title)}", ""),
        (f"kind: {opts.kind}", "algemeen | thematisch | kort"),
        (f"country: {_yaml_scalar(country)}", ""),
        (f"language: {opts.language}", "nl | en"),
        (f"date: {date.isoformat()}", "date of the report (colofon)"),
        (f"reference_period: {{start: {_year_before(date).isoformat()}, end: {date.isoformat()}}}", ""),
        ("status: concept", "concept | review | vastgesteld | gepubliceerd"),
        ('version: "0.1"', ""),
        (f"issuer: {_yaml_scalar(opts.issuer)}", ""),
        ("# previous: 2024-08-15", "date of the previous report on this country"),
    ]
    width = max(len(k) for k, c in rows if c) + 2
    lines = [f"{k:<{width}}# {c}" if c else k for k, c in rows]
    lines += [
        "# The chapters are chapters/*.md in file name order; to choose another order, list them:",
        "# chapters:",
        "#   - chapters/00-inleiding.md",
    ]
    return schema + "\n".join(lines) + "\n"


def _sources_yaml(schema: str) -> str:
    return schema + (
        "# The sources of this report: a list of CSL items (see docs/format.md).\n"
        "# The shared library in bibliography/ is available to every report as well.\n"
        "#\n"
        "# - id: hrw-2025-wr\n"
        "#   type: report\n"
        "#   author: [{literal: Human Rights Watch}]\n"
        "#   title: World Report 2025\n"
        "#   issued: 2025-01-16\n"
        "#   URL: https://www.hrw.org/world-report/2025\n"
        "#   accessed: 2025-02-03\n"
        "#\n"
        "# - id: vb-2025-11-04\n"
        "#   type: interview\n"
        "#   confidential: true\n"
        "#   issued: 2025-11-04\n"
        "#   internal: {who: ..., notes: ...}   # never printed in any output\n"
    )


def _glossary_yaml(schema: str) -> str:
    return schema + (
        '# Abbreviations used in this report -> full form (the "Lijst van afkortingen").\n'
        "#\n"
        "# HRW: Human Rights Watch\n"
        "# ToR: Terms of Reference\n"
    )


def _tor_copy(schema: str, text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# yaml-language-server:"):
        lines.pop(0)
    body = "".join(lines)
    if body and not body.endswith("\n"):
        body += "\n"
    return schema + body


def _intro_md(tor: models.Tor, country: str, date: dt.date, lang: str) -> str:
    from ..render.labels import long_date

    start = _year_before(date)
    return (
        "---\n"
        "claims: false\n"
        "numbered: false\n"
        "---\n"
        "\n"
        "# Inleiding {#inleiding}\n"
        "\n"
        f"Dit ambtsbericht beschrijft de situatie in {_md_text(country)}, voor zover deze van belang is voor "
        "de beoordeling van asielaanvragen en voor besluitvorming over de terugkeer van afgewezen "
        "asielzoekers. De vragen die het beantwoordt, zijn vastgelegd in de Terms of Reference "
        f"({_md_text(tor.requested_by)}, {long_date(tor.date, 'nl')}).\n"
        "\n"
        "## Verslagperiode {#sec-verslagperiode}\n"
        "\n"
        f"Dit ambtsbericht beslaat de periode van {long_date(start, 'nl')} tot en met "
        f"{long_date(date, 'nl')}.\n"
        "\n"
        "## Werkwijze en bronnen {#sec-werkwijze}\n"
        "\n"
        "::: intern\n"
        "Beschrijf hier de werkwijze en de soorten bronnen. Dit hoofdstuk heeft claims: false: "
        "alinea's hoeven geen bron te noemen. Verwijder dit blok als de tekst staat.\n"
        ":::\n"
    )


def _theme_md(theme: models.Theme, ids: set[str]) -> str:
    def unique(base: str) -> str:
        cand, n = base, 2
        while cand in ids:
            cand, n = f"{base}-{n}", n + 1
        ids.add(cand)
        return cand

    hid = unique("h-" + (slugify(theme.title) or slugify(theme.id) or "thema"))
    out = [f"# {_md_text(theme.title)} {{#{hid}}}", ""]
    for q in theme.questions:
        sid = unique("sec-" + (slugify(q.id) or "vraag"))
        out += [
            f'## Vraag {_md_text(q.id)} {{#{sid} tor="{q.id}"}}',
            "",
            "::: intern",
            f"ToR-vraag {_md_text(q.id)}: {_md_text(q.text)}",
            "",
            "Beantwoord de vraag in deze paragraaf en geef de paragraaf een eigen titel. Elke alinea "
            "noemt een bron. Is er niets gevonden, zet dan .geen-informatie in de kop en schrijf "
            '"Er is geen informatie gevonden over ...". Verwijder dit blok als het antwoord staat.',
            ":::",
            "",
        ]
    return "\n".join(out)


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
    country = (opts.country or "").strip() or _country_from_dir(report_dir.resolve())
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
        "report.yaml": _report_yaml(_schema_line(final, root, "report"), opts, title, country, date),
        "tor.yaml": _tor_copy(_schema_line(final, root, "tor"), tor_text),
        "sources.yaml": _sources_yaml(_schema_line(final, root, "sources")),
        "glossary.yaml": _glossary_yaml(_schema_line(final, root, "glossary")),
        "chapters/00-inleiding.md": _intro_md(tor, country, date, opts.language),
    }
    ids: set[str] = {"inleiding", "sec-verslagperiode", "sec-werkwijze"}
    width = max(2, len(str(len(tor.themes))))
    for i, theme in enumerate(tor.themes, start=1):
        name = slugify(theme.title) or slugify(theme.id) or "thema"
        files[f"chapters/{i:0{width}d}-{name}.md"] = _theme_md(theme, ids)

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
    return NewResult(report_dir, [Path(rel) for rel in files], sum(len(t.questions) for t in tor.themes))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
