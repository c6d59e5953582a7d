"""What a writer knows about the report besides the document itself.

The render builds one :class:`RenderFacts` in the main process and hands it
to each writer process as JSON beside the document (``facts.json`` in the
temporary directory); the worker validates it on load, so a field a writer
needs cannot silently be missing or of the wrong type.

The house style is read through :class:`..house_style.HouseStyle` only: the
render resolves it once per report (:func:`house_style_of`, the repository's
overrides included), the document build and every writer ask it for their
files (``facts.house_style``), and the manifest records the same files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import subprocess
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, field_serializer, field_validator

from ..house_style import HouseStyle

if TYPE_CHECKING:
    from ..load import LoadedReport
    from .document import Document


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def default_house_style() -> HouseStyle:
    """abuild's own house style, without any repository's overrides."""
    return HouseStyle.for_repo(None)


def house_style_of(lr: LoadedReport) -> HouseStyle:
    """The house style a render of ``lr`` uses: abuild's files with the
    repository's overrides, resolved once (:class:`..house_style.HouseStyle`;
    raises :class:`..house_style.HouseStyleError` for an override that may
    not be read)."""
    return HouseStyle.for_repo(lr.repo.root)


class ReportMeta(_Facts):
    """The report's metadata as printed (dates already written out in the report's language)."""

    title: str
    kind: str
    country: str
    date: str
    period: str
    issuer: str
    version: str
    status: str
    draft: bool
    previous: str = ""
    lang: str  # BCP 47: "nl-NL"


class HeadingFact(_Facts):
    level: int
    number: str
    ident: str
    title: str
    annex: bool = False


class RenderFacts(_Facts):
    meta: ReportMeta
    lang: str  # the report's language: "nl"
    headings: list[HeadingFact]
    glossary: dict[str, str]
    epoch: int  # the source epoch: every date written into an output
    created: str  # the source epoch as ISO 8601 UTC
    month_year: str  # running header of the PDF: "mei 2026"
    notes: int
    # render/pdf.py: write the HTML given to WeasyPrint and the library
    # versions beside the PDF, for the audit and the manifest
    sidecars: bool
    # the files the main process resolved (and the manifest records): a
    # writer process does not look at the repository again
    house_style: HouseStyle

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @field_validator("house_style", mode="before")
    @classmethod
    def _style_from_json(cls, value: Any) -> Any:
        return HouseStyle.from_json(value) if isinstance(value, dict) else value

    @field_serializer("house_style")
    def _style_to_json(self, style: HouseStyle) -> dict[str, object]:
        return style.to_json()


def created_iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_epoch_info(lr: LoadedReport) -> tuple[int, str]:
    """Timestamp for everything dated inside outputs, and where it came from:
    SOURCE_DATE_EPOCH, else the commit time of HEAD, else the report date;
    never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env), "SOURCE_DATE_EPOCH"
    try:
        proc = subprocess.run(
            ["git", "-C", str(lr.repo.root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip()), "commit"
    except (OSError, subprocess.TimeoutExpired):
        pass
    d = lr.report.date if lr.report else None
    return (calendar.timegm(d.timetuple()), "report date") if d else (0, "none")


def source_epoch(lr: LoadedReport) -> int:
    return source_epoch_info(lr)[0]


def render_facts(lr: LoadedReport, doc: Document, epoch: int, style: HouseStyle) -> RenderFacts:
    from .labels import month_year

    return RenderFacts(
        meta=ReportMeta.model_validate(doc.meta),
        lang=doc.lang,
        headings=[HeadingFact(**asdict(h)) for h in doc.headings],
        glossary=lr.glossary,
        epoch=epoch,
        created=created_iso(epoch),
        month_year=month_year(lr.report.date, doc.lang) if lr.report else "",
        notes=doc.notes,
        sidecars=True,
        house_style=style,
    )
