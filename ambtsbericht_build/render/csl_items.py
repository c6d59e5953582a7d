"""Turn abuild source entries into CSL-JSON items for pandoc's citeproc.

The sources of a report (SPEC §4: ``sources.yaml``, ``bibliography/*.yaml``,
CSL-JSON, BibTeX) are CSL items with a few abuild fields on top.  Before they
reach ``pandoc --citeproc --csl templates/csl/ambtsbericht.csl`` they pass
through :func:`to_csl_items`, a pure function (no I/O, input never mutated)
that applies these rules, in this order, to every entry:

1. **Confidential sources.**  An entry whose ``confidential`` is not clearly
   false (:func:`ambtsbericht_build.confidentiality.confidential_flag`, the
   function the load stage decides with: ``ja``, ``nee``, ``n`` are
   confidential here, and an error there) becomes exactly::

       {"id": <id>, "type": "personal_communication",
        "genre": "Vertrouwelijke bron", "issued": <date>}

   Everything else -- ``internal``, ``author``, ``title``, ``URL``, ``note``,
   the original ``type`` -- is dropped.  Without an ``issued`` that is a
   plain date (:func:`~ambtsbericht_build.confidentiality.plain_date`: a
   ``literal``, ``raw`` or worded date is free text, AB304) the date is
   ``{"literal": "ongedateerd"}``.  The style prints such an item as
   "Vertrouwelijke bron, 4 november 2025." and prints nothing for it in the
   bibliography; in an English edition the genre is "Confidential source".

2. **abuild-only fields.**  ``archive``, ``confidential`` and ``internal``
   never reach pandoc (abuild's ``archive: {file, sha256}`` would otherwise
   also clash with the CSL ``archive`` variable).

3. **Names.**  Every CSL name variable (``author``, ``editor``, ...) becomes a
   list of name objects: a bare string becomes ``[{"literal": s}]``, a single
   name object is wrapped in a list.  A ``literal`` (organisation) name is
   matched against the glossary (abbreviation -> full form, SPEC §6):

   - literal equal to a full form (case-insensitive, whitespace normalised),
     e.g. "Human Rights Watch" -> ``"Human Rights Watch (HRW)"``;
   - literal equal to an abbreviation (exact), e.g. "HRW" -> the same.

   The printed full form is the glossary's spelling.  When several
   abbreviations share one full form the first in glossary order wins.  A
   literal that already reads "Full form (ABBR)" matches neither rule and is
   kept.  Personal names (``family``/``given``) are never touched.

   In a translated edition the glossary's meanings are translated
   (:class:`EditionGlossary`), but ``sources.yaml`` is not, and an
   organisation's name is a proper name, which stays as the report's
   language writes it (docs/translation.md): names are matched and printed
   with the meanings as the report's own language writes them, so a
   drafter's "Verenigde Naties" and "VN" both print "Verenigde Naties (VN)",
   as in the Dutch edition (the English meaning, "United Nations (English:
   UN)", matched nothing, and the entry lost its "(VN)"; "VN" printed
   "United Nations (English: UN) (VN)").  A name written as the edition's
   meaning is matched too, and printed in that spelling.

4. **Publisher.**  ``publisher`` gets the same glossary treatment, and is
   dropped when it repeats an author literal or the ``container-title`` (so a
   report by HRW published by HRW does not print the organisation twice).

5. **Dates.**  Every CSL date variable (``issued``, ``accessed``,
   ``original-date``, ``event-date``, ``submitted``, ``available-date``):

   - ``undated`` / ``ongedateerd`` (any case) -> ``{"literal": "ongedateerd"}``;
   - ``datetime.date`` / ``datetime.datetime`` -> ``{"date-parts": [[y, m, d]]}``;
   - an ISO string ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (also an interval
     ``A/B`` of those) or an integer year -> ``date-parts``;
   - an existing CSL date object (``date-parts``, ``literal``, ``raw``) is
     kept (numeric strings inside ``date-parts`` become integers);
   - ``None`` (empty YAML value) -> the variable is left out;
   - anything else -> ``{"literal": str(value)}`` (the checker reports bad
     dates; rendering does not crash on them).

6. **Typography.**  Apostrophes, straight double quotes and spaced hyphens
   in titles, publishers and organisation names become ’, ‘…’ and –
   (:func:`~ambtsbericht_build.render.typography.straight_marks`).

7. **A date the title already gives.**  A title that ends with its own
   ``issued`` date as the style prints it ("Wetboek van Strafrecht,
   geconsolideerde tekst per 1 januari 2025", issued 2025-01-01; "Jaarverslag
   2025", issued 2025) gets ``"abuild-date-in-title": "true"``, and the style
   then prints no date after it (the annex printed "... per 1 januari 2025,
   1 januari 2025"). The date stays in the item, for sorting. Compared: the
   long date in Dutch and English ("1 januari 2025", "1 January 2025",
   "January 1, 2025", "januari 2025", "2025") and ISO ("2025-01-01").

8. **JSON safety.**  Other values are copied deeply; dates elsewhere become
   ISO strings, tuples and sets lists, mapping keys strings, ``id`` a string.
   The result can be written with ``json.dump`` and passed to pandoc as
   ``--bibliography items.json``.  (Pass CSL-JSON, not YAML ``references``
   metadata: pandoc parses YAML metadata strings as Markdown.)

Order of the entries is preserved.  Non-dict entries raise ``TypeError``
(validation happens earlier, in ``abuild check``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from ..confidentiality import confidential_flag, plain_date
from .typography import straight_marks

__all__ = ["to_csl_items", "EditionGlossary", "CONFIDENTIAL_GENRE", "CONFIDENTIAL_GENRE_EN", "UNDATED_LITERAL"]

CONFIDENTIAL_GENRE = "Vertrouwelijke bron"
CONFIDENTIAL_GENRE_EN = "Confidential source"
UNDATED_LITERAL = "ongedateerd"

#: abuild fields beyond CSL that must never reach pandoc.
ABUILD_ONLY_FIELDS = frozenset({"archive", "confidential", "internal"})

#: CSL 1.0.2 date variables.
DATE_FIELDS = (
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
)

#: CSL 1.0.2 name variables.
NAME_FIELDS = frozenset(
    {
        "author",
        "chair",
        "co-investigator",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editor-translator",
        "editorial-director",
        "executive-producer",
        "guest",
        "host",
        "illustrator",
        "interviewer",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "principal-investigator",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
    }
)

#: text the annex and the notes print as it is typed: its apostrophes and
#: spaced hyphens are set as the house style prints them before citeproc
#: (which would read the apostrophe of "'s lands" as an opening quote)
TEXT_FIELDS = ("title", "title-short", "container-title", "collection-title", "publisher", "genre", "event-title")

#: set on an item whose title ends with its issued date (rule 7): the
#: style's ``issued`` macro then prints nothing (citeproc keeps unknown
#: variables, and ``<if variable>`` tests them)
DATE_IN_TITLE = "abuild-date-in-title"
_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "January February March April May June July August September October November December".split(),
)

_UNDATED_WORDS = frozenset({"undated", UNDATED_LITERAL})
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def to_csl_items(sources: list[dict[str, Any]], glossary: dict[str, str], lang: str = "nl") -> list[dict[str, Any]]:
    """Return CSL-JSON-ready copies of ``sources`` (see the module docstring).

    ``sources``: source entries as loaded from YAML/JSON (plain dicts; dates
    may be ``datetime.date``).  ``glossary``: abbreviation -> full form.
    ``lang``: the report's language; an English report says "undated".
    """
    expand = _OrgExpander(glossary or {})
    english = lang.lower().startswith("en")
    items: list[dict[str, Any]] = []
    for index, source in enumerate(sources):
        if not isinstance(source, Mapping):
            raise TypeError(f"source entry {index} is {type(source).__name__}, not a mapping")
        if _is_confidential(source.get("confidential")):
            # an English edition prints "Confidential source, 14 February 2026"
            items.append(_confidential_item(source, CONFIDENTIAL_GENRE_EN if english else CONFIDENTIAL_GENRE))
        else:
            item = _public_item(source, expand)
            if _title_ends_with_date(item.get("title"), item.get("issued")):
                item[DATE_IN_TITLE] = "true"
            items.append(item)
    if english:
        for item in items:
            for key in DATE_FIELDS:
                if item.get(key) == {"literal": UNDATED_LITERAL}:
                    item[key] = {"literal": "undated"}
    return items


# --------------------------------------------------------------------------
# confidential / public


def _is_confidential(value: Any) -> bool:
    return confidential_flag(value)[0]


def _confidential_item(source: Mapping[str, Any], genre: str = CONFIDENTIAL_GENRE) -> dict[str, Any]:
    raw_issued = source.get("issued")
    issued = _csl_date(raw_issued) if plain_date(raw_issued) else None
    if issued is None:
        issued = {"literal": UNDATED_LITERAL}
    return {
        "id": _id(source.get("id")),
        "type": "personal_communication",
        "genre": genre,
        "issued": issued,
    }


def _public_item(source: Mapping[str, Any], expand: _OrgExpander) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for key, value in source.items():
        key = str(key)
        if key in ABUILD_ONLY_FIELDS:
            continue
        if key == "id":
            item[key] = _id(value)
        elif key in DATE_FIELDS:
            date = _csl_date(value)
            if date is not None:
                item[key] = date
        elif key in NAME_FIELDS:
            names = _names(value, expand)
            if names:
                item[key] = names
        elif key == "publisher" and isinstance(value, str):
            item[key] = expand(value)
        else:
            item[key] = _json_safe(value)

    for key in TEXT_FIELDS:
        if isinstance(item.get(key), str):
            item[key] = straight_marks(item[key])
    for key in NAME_FIELDS:
        for name in item.get(key, []) if isinstance(item.get(key), list) else []:
            if isinstance(name, dict) and isinstance(name.get("literal"), str):
                name["literal"] = straight_marks(name["literal"])

    publisher = item.get("publisher")
    if isinstance(publisher, str):
        literals = {
            _norm(name["literal"])
            for name in item.get("author", [])
            if isinstance(name, dict) and isinstance(name.get("literal"), str)
        }
        container = item.get("container-title")
        if isinstance(container, str):
            literals.add(_norm(container))
        if _norm(publisher) in literals:
            del item["publisher"]
    return item


def _id(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


# --------------------------------------------------------------------------
# names and the glossary


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class EditionGlossary(dict[str, str]):
    """A translated edition's glossary: abbreviation -> meaning in the
    edition's language (what the list of abbreviations prints), with
    ``written``: the meanings as the report's own language writes them, the
    language ``sources.yaml`` is written in (rule 3)."""

    def __init__(self, meanings: Mapping[str, str], written: Mapping[str, str]) -> None:
        super().__init__(meanings)
        self.written = dict(written)


class _OrgExpander:
    """Map an organisation name to "Full form (ABBR)" using the glossary."""

    def __init__(self, glossary: Mapping[str, str]) -> None:
        self._by_abbr: dict[str, str] = {}
        self._by_full: dict[str, str] = {}
        # an edition names an organisation as the report's language does;
        # a name a drafter wrote as the edition's meaning is matched too
        written = glossary.written if isinstance(glossary, EditionGlossary) else glossary
        for meanings in (written, glossary):
            for abbr, full in meanings.items():
                if not isinstance(abbr, str) or not isinstance(full, str):
                    continue
                abbr, full = " ".join(abbr.split()), " ".join(full.split())
                if not abbr or not full:
                    continue
                printed = f"{full} ({abbr})"
                self._by_abbr.setdefault(abbr, printed)
                self._by_full.setdefault(full.casefold(), printed)

    def __call__(self, name: str) -> str:
        key = " ".join(name.split())
        if key in self._by_abbr:
            return self._by_abbr[key]
        return self._by_full.get(key.casefold(), name)


def _names(value: Any, expand: _OrgExpander) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        value = [value]
    names = []
    for name in value:
        if isinstance(name, str):
            name = {"literal": name}
        name = _json_safe(name)
        if isinstance(name, dict) and isinstance(name.get("literal"), str):
            name["literal"] = expand(name["literal"])
        names.append(name)
    return names


# --------------------------------------------------------------------------
# dates


def _csl_date(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, bool):
        return {"literal": str(value)}
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in _UNDATED_WORDS:
            return {"literal": UNDATED_LITERAL}
        parts = [_iso_parts(piece) for piece in text.split("/")]
        if 1 <= len(parts) <= 2 and all(p is not None for p in parts):
            return {"date-parts": parts}
        return {"literal": text}
    if isinstance(value, Mapping):
        date: dict[str, Any] = _json_safe(value)
        if "date-parts" in date:
            date["date-parts"] = _int_parts(date["date-parts"])
            return date
        if "literal" in date or "raw" in date:
            return date
        return {"literal": str(value)}
    return {"literal": str(value)}


def _title_ends_with_date(title: Any, issued: Any) -> bool:
    """Whether ``title`` ends with the date ``issued`` (a single CSL date)
    in any of the forms rule 7 lists (case, spaces and closing marks aside)."""
    if not isinstance(title, str) or not isinstance(issued, Mapping):
        return False
    parts = issued.get("date-parts")
    if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], list)):
        return False
    ymd = parts[0]
    if not (1 <= len(ymd) <= 3 and all(isinstance(x, int) and not isinstance(x, bool) for x in ymd)):
        return False
    if len(ymd) > 1 and not 1 <= ymd[1] <= 12:
        return False
    forms = {str(ymd[0])} if len(ymd) == 1 else set()
    iso = "-".join(f"{x:02d}" if i else str(x) for i, x in enumerate(ymd))
    forms.add(iso)
    for months in _MONTHS:
        if len(ymd) == 2:
            forms.add(f"{months[ymd[1] - 1]} {ymd[0]}")
        elif len(ymd) == 3:
            month = months[ymd[1] - 1]
            forms.update({f"{ymd[2]} {month} {ymd[0]}", f"{month} {ymd[2]}, {ymd[0]}"})
    end = " ".join(title.split()).rstrip(" .)]’'\"”").casefold()
    return any(end == f.casefold() or end.endswith((" " + f.casefold(), "(" + f.casefold())) for f in forms)


def _iso_parts(text: str) -> list[int] | None:
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


def _int_parts(parts: Any) -> Any:
    if not isinstance(parts, list):
        return parts
    out = []
    for part in parts:
        if isinstance(part, list):
            out.append([int(x) if isinstance(x, str) and x.strip().isdigit() else x for x in part])
        else:
            out.append(part)
    return out


# --------------------------------------------------------------------------
# JSON safety


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_json_safe(v) for v in items]
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
