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
import dataclasses
import datetime as dt
import json
import os
import subprocess
import typing
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .. import tools
from ..house_style import HouseStyle

if TYPE_CHECKING:
    from ..load import LoadedReport
    from .document import Document


def default_house_style() -> HouseStyle:
    """abuild's own house style, without any repository's overrides."""
    return HouseStyle.for_repo(None)


def house_style_of(lr: LoadedReport) -> HouseStyle:
    """The house style a render of ``lr`` uses: abuild's files with the
    repository's overrides, resolved once (:class:`..house_style.HouseStyle`;
    raises :class:`..house_style.HouseStyleError` for an override that may
    not be read)."""
    return HouseStyle.for_repo(lr.repo.root)


class FactsError(ValueError):
    """facts.json is not what the render writes (a field missing, extra or of another type)."""


@dataclass(frozen=True)
class ReportMeta:
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
    lang: str  # BCP 47: "nl-NL"
    previous: str = ""
    # render/colofon.py: [key, label, value] rows; the "pages" row's value is
    # filled in by each format
    colofon: list[list[str]] = dataclasses.field(default_factory=list)
    disclaimer_title: str = ""
    disclaimer: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class HeadingFact:
    level: int
    number: str
    ident: str
    title: str
    annex: bool = False
    # a title still in the report's language in a translated edition
    # ("nl-NL", render/untranslated.py): its entry in the contents says so
    lang: str = ""


@dataclass(frozen=True)
class SourceAnchors:
    """The DOCX's review anchors (formats/docx_anchors.py): ``blocks`` holds
    ``[block index, file number, line, column]``, ``files`` holds
    ``"<chapter path relative to the report> <sha256 of its text>"``."""

    report: str = ""
    files: list[str] = dataclasses.field(default_factory=list)
    blocks: list[list[int]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class RenderFacts:
    """Typed, and checked field by field when loaded (:meth:`from_json`).

    Plain dataclasses rather than pydantic: the worker loads this once, and
    importing pydantic and building the models cost each writer process
    50 ms of CPU (0.2 s for the four, beside the check on two cores; measured
    +0.2 s on the example render's wall time)."""

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
    # the DOCX's review anchors: which block came from which chapter line (formats/docx_anchors.py)
    anchors: SourceAnchors = dataclasses.field(default_factory=SourceAnchors)
    # the render cache the PDF writer keeps its parts in: [build/.cache, the
    # repository]; empty: no cache (--no-cache, ABUILD_CACHE=off) (cache/pdf_parts.py)
    pdf_cache: list[str] = dataclasses.field(default_factory=list)

    def to_json(self) -> str:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["meta"] = asdict(self.meta)
        data["headings"] = [asdict(h) for h in self.headings]
        data["house_style"] = self.house_style.to_json()
        data["anchors"] = asdict(self.anchors)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> RenderFacts:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise FactsError(f"facts: not JSON ({exc})") from None
        facts: RenderFacts = _load(cls, data, "facts")
        return facts

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderFacts:
        facts: RenderFacts = _load(cls, data, "facts")
        return facts


def _load(tp: Any, value: Any, where: str) -> Any:
    """``value`` (parsed JSON) as type ``tp``, checked strictly (no coercion)."""
    if tp is HouseStyle:
        if not isinstance(value, dict):
            raise FactsError(f"{where}: expected an object")
        try:
            return HouseStyle.from_json(value)
        except (KeyError, TypeError, ValueError) as exc:
            raise FactsError(f"{where}: not a house style ({exc})") from None
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise FactsError(f"{where}: expected an object")
        hints = typing.get_type_hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp)}
        extra = sorted(set(value) - set(fields))
        if extra:
            raise FactsError(f"{where}: unexpected field(s) {', '.join(extra)}")
        missing = [
            n
            for n, f in fields.items()
            if n not in value and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise FactsError(f"{where}: missing field(s) {', '.join(missing)}")
        make: Any = tp  # a dataclass type (is_dataclass narrows to instance or type)
        return make(**{n: _load(hints[n], v, f"{where}.{n}") for n, v in value.items()})
    origin = typing.get_origin(tp)
    if origin is list:
        if not isinstance(value, list):
            raise FactsError(f"{where}: expected a list")
        (item,) = typing.get_args(tp)
        return [_load(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise FactsError(f"{where}: expected an object")
        _, item = typing.get_args(tp)
        return {k: _load(item, v, f"{where}.{k}") for k, v in value.items()}
    # bool is a subclass of int: an int field must not take true/false
    if tp in (str, bool, int) and type(value) is tp:
        return value
    raise FactsError(f"{where}: expected {getattr(tp, '__name__', tp)}, got {type(value).__name__}")


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
        proc = tools.run(["git", "-C", str(lr.repo.root), "log", "-1", "--format=%ct"], timeout=10)
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip()), "commit"
    except (OSError, subprocess.TimeoutExpired):
        pass
    d = lr.report.date if lr.report else None
    return (calendar.timegm(d.timetuple()), "report date") if d else (0, "none")


def source_epoch(lr: LoadedReport) -> int:
    return source_epoch_info(lr)[0]


def render_facts(
    lr: LoadedReport, doc: Document, epoch: int, style: HouseStyle, *, anchors: bool = True
) -> RenderFacts:
    """``anchors=False``: without the DOCX's review anchors (the preview
    writes HTML only; placing the benchmark report's blocks took 50 ms)."""
    from .colofon import colofon_facts
    from .formats.docx_anchors import source_anchors
    from .labels import month_year

    annexes = sum(1 for h in doc.headings if h.annex)
    return RenderFacts(
        meta=ReportMeta(**doc.meta, **colofon_facts(lr, doc.lang, annexes, style)),
        lang=doc.lang,
        headings=[HeadingFact(**asdict(h)) for h in doc.headings],
        glossary=lr.glossary,
        epoch=epoch,
        created=created_iso(epoch),
        month_year=month_year(lr.report.date, doc.lang) if lr.report else "",
        notes=doc.notes,
        sidecars=True,
        house_style=style,
        anchors=source_anchors(lr, doc) if anchors else SourceAnchors(),
    )
