"""The files of a new report: report.yaml, the ToR copy, sources.yaml, glossary.yaml, chapters.

Pure text generation (no file system access), so that
:func:`~ambtsbericht_build.scaffold.scaffold_report` can build every file
before it writes any.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import yaml

from .. import models

KIND_TITLES = {
    "algemeen": "Algemeen ambtsbericht",
    "thematisch": "Thematisch ambtsbericht",
    "kort": "Kort ambtsbericht",
}


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


def schema_line(report_dir: Path, root: Path, name: str) -> str:
    """The editor's schema comment, or "" when the repository has no such schema:
    a path that leads nowhere makes the YAML language server flag every file."""
    target = root / "schemas" / f"{name}.schema.json"
    if not target.is_file():
        return ""
    rel = Path(os.path.relpath(target, report_dir)).as_posix()
    return f"# yaml-language-server: $schema={rel}\n"


def country_from_dir(report_dir: Path) -> str:
    words = [w for w in re.split(r"[-_\s]+", report_dir.name) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)


# --- file contents ----------------------------------------------------------------


def report_yaml(schema: str, *, title: str, kind: str, country: str, language: str, date: dt.date, issuer: str) -> str:
    rows = [
        (f"title: {_yaml_scalar(title)}", ""),
        (f"kind: {kind}", "algemeen | thematisch | kort"),
        (f"country: {_yaml_scalar(country)}", ""),
        (f"language: {language}", "nl | en"),
        (f"date: {date.isoformat()}", "date of the report (colofon)"),
        (f"reference_period: {{start: {_year_before(date).isoformat()}, end: {date.isoformat()}}}", ""),
        ("status: concept", "concept | review | vastgesteld | gepubliceerd"),
        ('version: "0.1"', ""),
        (f"issuer: {_yaml_scalar(issuer)}", ""),
        # the colofon of a vastgesteld report needs both (AB505)
        ("place: Den Haag", "place of issue (colofon)"),
        (f"responsible_unit: {_yaml_scalar(issuer)}", "the unit responsible (colofon)"),
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


def sources_yaml(schema: str) -> str:
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
        "#   # abuild archive captures the page and records its copy here (archive: ...)\n"
        "#\n"
        "# - id: vb-2025-11-04\n"
        "#   type: interview\n"
        "#   confidential: true\n"
        "#   issued: 2025-11-04\n"
        "#   internal: {who: ..., notes: ..., archief: ...}   # never printed; archief: where it is archived\n"
    )


def glossary_yaml(schema: str) -> str:
    return schema + (
        '# Abbreviations used in this report -> full form (the "Lijst van afkortingen").\n'
        "#\n"
        "# HRW: Human Rights Watch\n"
        "# ToR: Terms of Reference\n"
    )


def tor_copy(schema: str, text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# yaml-language-server:"):
        lines.pop(0)
    body = "".join(lines)
    if body and not body.endswith("\n"):
        body += "\n"
    return schema + body


def intro_md(tor: models.Tor, country: str, date: dt.date, lang: str) -> str:
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


def theme_md(theme: models.Theme, ids: set[str]) -> str:
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
