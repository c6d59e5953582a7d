"""Typed models for the YAML files of a report (SPEC §2–§4, §6).

The JSON Schemas in ``schemas/`` are generated from these models
(``abuild schemas``), and a test keeps them identical.

The YAML loader (``load.yamlpos``) gives every scalar as the text written
(or None): the models turn text into dates and booleans where a field has
that type, and leave every other value as written.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, model_validator
from yaml.resolver import Resolver

from ..confidentiality import confidential_flag


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


# a date field takes an ISO date; pydantic would also read a number as seconds
# since 1970 ("date: 0" is 1 January 1970), which no drafter means
_NUMBER = re.compile(r"^[+-]?[0-9_.]+(?:[eE][+-]?[0-9]+)?$")
_DATE_MESSAGE = "not a date: write 2026-03-01"


def _no_timestamp(value: Any) -> Any:
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.match(value.strip())):
        raise ValueError(_DATE_MESSAGE)
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_no_timestamp)]


class Period(_Strict):
    start: IsoDate
    end: IsoDate


# the path to vaststelling, in order (review/history.py; docs/format.md §2.1)
REVIEW_PATH = ("intern-review", "jenv-review", "vastgesteld", "gepubliceerd")


class ReviewStep(_Strict):
    step: str = Field(
        min_length=1,
        description=(
            "A step of the path to vaststelling (intern-review, jenv-review, vastgesteld, gepubliceerd);"
            ' in a history kept before abuild, a step as the colofon names it: "Collegiale toetsing"'
        ),
    )
    date: IsoDate = Field(description="When the step was completed")
    role: str | None = Field(default=None, min_length=1, description="Role of the person who signed the step off")
    by: str | None = Field(default=None, min_length=1, description="Name of the person who signed the step off")
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,64}$", description="The git commit reviewed")

    @model_validator(mode="after")
    def _signed_steps_are_path_steps(self) -> ReviewStep:
        # a signature on a free-text step would be a path step misspelt
        if self.step not in REVIEW_PATH and (self.role or self.by or self.commit):
            raise ValueError(f"step {self.step!r} is signed off, so it must be one of: {', '.join(REVIEW_PATH)}")
        return self


class Report(_Strict):
    """report.yaml: the report's metadata."""

    title: str = Field(min_length=1, description="Title as printed on the cover")
    kind: Kind = Field(description="algemeen | thematisch | kort")
    country: str = Field(min_length=1)
    language: Literal["nl", "en"] = Field(default="nl", description="Language of the output documents")
    date: IsoDate = Field(description="Date of the report (colofon)")
    reference_period: Period
    status: Status
    version: str = Field(
        min_length=1, description='Version as text, e.g. "1.0" (an unquoted 1.0 is read as the text 1.0 too)'
    )
    issuer: str = Field(min_length=1)
    previous: IsoDate | None = Field(default=None, description="Date of the previous report on this country")
    place: str | None = Field(default=None, min_length=1, description='Place of issue (colofon): "Den Haag"')
    responsible_unit: str | None = Field(
        default=None, min_length=1, description="The unit responsible for the report (colofon)"
    )
    information_cutoff: IsoDate | None = Field(
        default=None,
        description="Last date the information was updated (colofon disclaimer); default: end of reference_period",
    )
    review: list[ReviewStep] = Field(
        default_factory=list,
        description="The review history, in order (abuild status --advance records it; the colofon prints it)",
    )
    chapters: list[str] | None = Field(
        default=None, description="Chapter files in order; default: chapters/*.md sorted by name"
    )
    bibliography: list[str] | None = Field(
        default=None, description="Source files; default: sources.yaml and ../../bibliography/*.yaml"
    )
    deny: list[str] = Field(
        default_factory=list,
        description="Extra strings that must never appear in an output (abuild audit)",
    )
    public_terms: list[str] = Field(
        default_factory=list,
        description=(
            "Reviewed allow list: words and names that occur in a source's internal fields but are public"
            " (a city, a party): not looked for alone (AB302, abuild audit)"
        ),
    )


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
    date: IsoDate
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
    date_parts: list[list[int | str]] | None = Field(default=None, alias="date-parts")
    literal: str | None = None
    raw: str | None = None


_CSL_DATE_MESSAGE = 'not a date: write 2025-03-01, 2025-03, 2025 or "undated"'


def _csl_date_text(value: Any) -> Any:
    """Text and numbers as a drafter means them, before the union decides.

    YAML text ``2025-01-16`` becomes a date (as YAML 1.1 made it, so that
    AB501 compares it day by day); ``2025`` and ``2025-03`` stay text; an
    impossible date (``2025-13-45``, ``2025-02-30``) is refused here, where
    the partial-date pattern would have let it through. A number from
    CSL-JSON that is a year becomes its text; other text and numbers are not
    dates (pydantic would read ``0`` as 1 January 1970)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 1000 <= value <= 9999:
            return str(value)
        raise ValueError(_CSL_DATE_MESSAGE)
    if isinstance(value, float):
        raise ValueError(_CSL_DATE_MESSAGE)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "undated":
        return text
    m = _DATE_SHAPE.match(text)
    if m is None:
        raise ValueError(_CSL_DATE_MESSAGE)
    year, month, day, rest = m.groups()
    try:
        full = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f'{text} is not a date: write 2025-03-01, 2025-03, 2025 or "undated"') from None
    if day is None:
        return text  # "2025", "2025-03"
    # "2025-01-16 00:00" still reads as the date (pydantic refuses a time of day)
    return full if not rest else value


_DATE_SHAPE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})([T ].*)?)?)?$")


CslDate = Annotated[
    dt.date | Literal["undated"] | Annotated[str, Field(pattern=_PARTIAL_DATE.pattern)] | DateParts,
    BeforeValidator(_csl_date_text),
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
    # written by abuild archive (archive/record.py)
    captured: dt.datetime | None = Field(default=None, description="When the copy was made (UTC)")
    status: int | None = Field(default=None, ge=100, le=599, description="HTTP status of the captured response")


def _confidential_value(value: object) -> bool:
    secret, valid = confidential_flag(value)
    if not valid:
        raise ValueError("write true or false")
    return secret


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
    container_title: str | None = Field(default=None, alias="container-title")
    issued: CslDate | None = None
    accessed: CslDate | None = None
    URL: str | None = None
    confidential: Annotated[bool, BeforeValidator(_confidential_value)] = False
    internal: dict[str, Any] | None = Field(
        default=None, description="Never printed in any output; every value is kept as written"
    )
    archive: Archive | None = None


class SourceList(RootModel[list[Source]]):
    """sources.yaml / bibliography/*.yaml: a list of CSL items."""


class Glossary(RootModel[dict[Annotated[str, Field(min_length=1)], str]]):
    """glossary.yaml: abbreviation -> full form, both as written (``NO: Noorwegen``)."""


class ChapterMeta(_Strict):
    """Front matter of a chapter file."""

    title: str | None = None
    claims: bool = Field(default=True, description="false: introduction, method, summary (no citation rules)")
    numbered: bool = Field(default=True, description="false: chapter and its sections are not numbered")


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


def _yaml11_pattern(kind: str) -> re.Pattern[str]:
    return next(
        rx
        for resolvers in Resolver.yaml_implicit_resolvers.values()
        for tag, rx in resolvers
        if tag == f"tag:yaml.org,2002:{kind}"
    )


_YAML11_BOOL = _yaml11_pattern("bool")
_YAML11_TIMESTAMP = _yaml11_pattern("timestamp")


def yaml11_date_or_bool(value: object) -> bool:
    """Whether ``value`` is text that YAML 1.1 (PyYAML's default) read as a
    date or a boolean (``2025-03-04``, ``yes``, ``False``).

    The loader keeps such text as written. The publication audit never
    looked for dates and booleans under ``internal`` (a date or a yes/no is
    printed all over a report and identifies nobody: ``gesprek: 2026-09-01``
    on the report's date would refuse every render); with this it can keep
    leaving them out."""
    return isinstance(value, str) and bool(_YAML11_BOOL.match(value) or _YAML11_TIMESTAMP.match(value))


from .site import EditionRecord, PublicationStyle  # noqa: E402 (the site's models, generated with these)

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "report": Report,
    "tor": Tor,
    "sources": SourceList,
    "glossary": Glossary,
    "chapter-front-matter": ChapterMeta,
    "publication": PublicationStyle,
    "edition": EditionRecord,
}
