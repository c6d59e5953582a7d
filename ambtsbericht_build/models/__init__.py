"""Typed models for the YAML files of a report (SPEC §2–§4, §6).

The JSON Schemas in ``schemas/`` are generated from these models
(``abuild schemas``), and a test keeps them identical.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- report.yaml -----------------------------------------------------------


class Kind(str, Enum):
    algemeen = "algemeen"
    thematisch = "thematisch"
    kort = "kort"


class Status(str, Enum):
    concept = "concept"
    review = "review"
    vastgesteld = "vastgesteld"
    gepubliceerd = "gepubliceerd"

    @property
    def final(self) -> bool:
        return self in (Status.vastgesteld, Status.gepubliceerd)


class Period(_Strict):
    start: dt.date
    end: dt.date


class Report(_Strict):
    """report.yaml: the report's metadata."""

    title: str = Field(min_length=1, description="Title as printed on the cover")
    kind: Kind = Field(description="algemeen | thematisch | kort")
    country: str = Field(min_length=1)
    language: Literal["nl", "en"] = Field("nl", description="Language of the output documents")
    date: dt.date = Field(description="Date of the report (colofon)")
    reference_period: Period
    status: Status
    version: str = Field(min_length=1, description='Version, quoted: "1.0"')
    issuer: str = Field(min_length=1)
    previous: dt.date | None = Field(None, description="Date of the previous report on this country")
    chapters: list[str] | None = Field(
        None, description="Chapter files in order; default: chapters/*.md sorted by name"
    )
    bibliography: list[str] | None = Field(
        None, description="Source files; default: sources.yaml and ../../bibliography/*.yaml"
    )
    deny: list[str] = Field(
        default_factory=list,
        description="Extra strings that must never appear in an output (abuild audit)",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        if isinstance(v, (int, float)):
            raise ValueError('version must be quoted text, e.g. version: "1.0"')
        return v


# --- tor.yaml --------------------------------------------------------------

_ID = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"


class Question(_Strict):
    id: str = Field(pattern=_ID, description='Question id, unique in the ToR: "2.1"')
    text: str = Field(min_length=1)


class Theme(_Strict):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class Tor(_Strict):
    """tor.yaml: the Terms of Reference."""

    title: str = Field(min_length=1)
    requested_by: str = Field(min_length=1)
    date: dt.date
    themes: list[Theme] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Tor:
        seen: set[str] = set()
        for theme in self.themes:
            for q in theme.questions:
                if q.id in seen:
                    raise ValueError(f"question id {q.id!r} is used twice")
                seen.add(q.id)
        return self


# --- sources ---------------------------------------------------------------

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DateParts(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    date_parts: list[list[int | str]] | None = Field(None, alias="date-parts")
    literal: str | None = None
    raw: str | None = None


def _year_as_text(value: Any) -> Any:
    # YAML reads "issued: 2025" as the number 2025: a drafter means the year
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


CslDate = Annotated[
    dt.date | Literal["undated"] | Annotated[str, Field(pattern=_PARTIAL_DATE.pattern)] | DateParts,
    BeforeValidator(_year_as_text),
    Field(description='ISO date, "undated", "2025" / "2025-03", or a CSL date object'),
]


class Name(BaseModel):
    model_config = ConfigDict(extra="allow")
    literal: str | None = None
    family: str | None = None
    given: str | None = None


class Archive(_Strict):
    file: str = Field(description="Archived copy, relative to the report directory")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Source(BaseModel):
    """A CSL item plus abuild's own fields (confidential, internal, archive).

    Any other CSL variable is accepted as is.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*$", description="Citation key")
    type: str = Field(description="CSL item type: report, article-newspaper, webpage, legislation, interview ...")
    title: str | None = None
    author: list[Name] | None = None
    publisher: str | None = None
    container_title: str | None = Field(None, alias="container-title")
    issued: CslDate | None = None
    accessed: CslDate | None = None
    URL: str | None = None
    confidential: bool = False
    internal: dict[str, Any] | None = Field(None, description="Never printed in any output")
    archive: Archive | None = None


class SourceList(RootModel[list[Source]]):
    """sources.yaml / bibliography/*.yaml: a list of CSL items."""


class Glossary(RootModel[dict[str, str]]):
    """glossary.yaml: abbreviation -> full form."""


class ChapterMeta(_Strict):
    """Front matter of a chapter file."""

    title: str | None = None
    claims: bool = Field(True, description="false: introduction, method, summary (no citation rules)")
    numbered: bool = Field(True, description="false: chapter and its sections are not numbered")


def date_of(value: Any) -> dt.date | None:
    """The most precise date a CSL date value gives, or None ("undated", literal)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _PARTIAL_DATE.match(value):
        parts = [int(p) for p in value.split("-")]
        try:
            return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            return None
    if isinstance(value, DateParts) and value.date_parts:
        try:
            parts = [int(p) for p in value.date_parts[0]]
            return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            return None
    return None


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "report": Report,
    "tor": Tor,
    "sources": SourceList,
    "glossary": Glossary,
    "chapter-front-matter": ChapterMeta,
}
