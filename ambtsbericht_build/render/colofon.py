"""The colofon: its rows and its disclaimer, the same in every format.

:func:`colofon_facts` runs once, in the main process, when the render facts
are built; the HTML/PDF template and the DOCX/ODT writers print what it
gives (``facts.meta.colofon``, ``.disclaimer_title``, ``.disclaimer``), so no
format can list a field another leaves out.

One row cannot be known beforehand: the number of pages (:data:`PAGES`). Its
value is empty and each format fills it in: the PDF with the page number of
the document's last element (``target-counter``, after layout), DOCX and ODT
with a page-count field that the word processor computes; the screen HTML
has no pages and leaves the row out.

The disclaimer's wording is the house style's (``colofon.yaml``): a
repository may override it like any other house-style file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from ..house_style import HouseStyle, HouseStyleError
from .labels import labels, long_date

if TYPE_CHECKING:
    import datetime as dt

    from ..load import LoadedReport

# the key of the row whose value each format fills in itself
PAGES = "pages"
# the house-style file with the disclaimer's wording
WORDING = "colofon.yaml"

# the wording is a few paragraphs (abuild's: 1.6 kB); a larger file is not
# wording, and is not read into memory
MAX_WORDING_BYTES = 64 * 1024

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def _date(d: dt.date, lang: str) -> str:
    """The long date with day and month tied ("1\u00a0september 2026"), as the
    typography pass ties them in the text (docs/house-style.md): the colofon
    and the disclaimer are generated outside the document it typesets."""
    return re.sub(r"^(\d{1,2}) ", "\\1\u00a0", long_date(d, lang))


def colofon_rows(lr: LoadedReport, lang: str, annexes: int) -> list[tuple[str, str, str]]:
    """(key, label, value) of every colofon row, in print order; a field the
    report does not give is left out (the review steps, place, unit)."""
    r = lr.report
    if r is None:
        return []
    L = labels(lang)
    rows = [
        ("country", L["country"], r.country),
        ("date", L["date"], _date(r.date, lang)),
        (
            "period",
            L["period"],
            f"{_date(r.reference_period.start, lang)} {L['to']} {_date(r.reference_period.end, lang)}",
        ),
    ]
    if r.place:
        rows.append(("place", L["place"], r.place))
    rows.append(("issuer", L["issuer"], r.issuer))
    if r.responsible_unit:
        rows.append(("unit", L["unit"], r.responsible_unit))
    rows += [
        ("version", L["version"], r.version),
        ("status", L["status"], L["statuses"].get(r.status.value, r.status.value)),
        (PAGES, L["pages"], ""),
        ("annexes", L["annexes"], str(annexes)),
    ]
    # imported here: review.history imports the models (pydantic), which the
    # writer processes, importing this module for PAGES, never use
    from ..review.history import colofon_steps

    for name, day in colofon_steps(r, lang):  # the path's steps in the report's language
        rows.append(("review", name, _date(day, lang)))
    if r.previous:
        rows.append(("previous", L["previous"], _date(r.previous, lang)))
    return rows


def disclaimer(lr: LoadedReport, lang: str, style: HouseStyle) -> tuple[str, list[str]]:
    """The disclaimer's title and paragraphs in the report's language, from
    the house style's ``colofon.yaml``, placeholders filled in.

    Raises :class:`HouseStyleError` (one line, for the drafter) when the file
    is not what docs/house-style.md describes."""
    r = lr.report
    if r is None:
        return "", []
    path = style.path(WORDING)
    where = WORDING if style.root is None or not path.is_relative_to(style.root) else path.relative_to(style.root)
    try:
        if path.stat().st_size > MAX_WORDING_BYTES:
            raise HouseStyleError(f"{where}: larger than {MAX_WORDING_BYTES // 1024} kB; it holds a few paragraphs")
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise HouseStyleError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise HouseStyleError(f"{where}{at}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    entry = data.get(lang) if isinstance(data, dict) else None
    if not isinstance(entry, dict):
        raise HouseStyleError(
            f"{where}: no wording for the report language {lang!r} (write '{lang}: {{title: ..., paragraphs: [...]}}')"
        )
    title, paragraphs = entry.get("title"), entry.get("paragraphs")
    if not isinstance(title, str) or not (
        isinstance(paragraphs, list) and paragraphs and all(isinstance(p, str) for p in paragraphs)
    ):
        raise HouseStyleError(f"{where}: '{lang}' needs a title (text) and paragraphs (a list of texts)")
    cutoff = r.information_cutoff or r.reference_period.end
    values = {
        "country": r.country,
        "title": r.title,
        "issuer": r.issuer,
        "cutoff": _date(cutoff, lang),
        "period_end": _date(r.reference_period.end, lang),
    }

    def fill(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            if m.group(1) not in values:
                known = ", ".join("{" + k + "}" for k in values)
                raise HouseStyleError(f"{where}: unknown placeholder {m.group(0)} in '{lang}' (known: {known})")
            return values[m.group(1)]

        # one pass: a value that itself reads "{cutoff}" stays as written
        return _PLACEHOLDER.sub(one, text).strip()

    return fill(title), [fill(p) for p in paragraphs]


def colofon_facts(lr: LoadedReport, lang: str, annexes: int, style: HouseStyle) -> dict[str, Any]:
    """The colofon fields of :class:`.facts.ReportMeta`."""
    title, paragraphs = disclaimer(lr, lang, style)
    return {
        "colofon": [list(row) for row in colofon_rows(lr, lang, annexes)],
        "disclaimer_title": title,
        "disclaimer": paragraphs,
    }
