"""Schema errors (AB002) in plain words.

pydantic says "Input should be a valid dictionary or instance of Period",
"Input should be a valid date or datetime, invalid character in year",
"Extra inputs are not permitted". A drafter needs to hear what was written,
what is expected instead, and, for a near miss, the word that was meant
("statsu" -> status, "conept" -> concept). ``plain()`` turns one pydantic
error into that sentence; ``load._validate`` puts the file and field in front.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, RootModel

Loc = tuple[int | str, ...]

_DATE_FIELDS = {"date", "start", "end", "previous", "issued", "accessed"}
_CSL_DATE_FIELDS = {"issued", "accessed"}


def near(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells, if any (case aside)."""
    folded = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(word.casefold(), folded, n=1, cutoff=0.7)
    return folded[match[0]] if match else None


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model of the mapping at ``loc`` in ``model``'s data, if there is one."""
    cls: type[BaseModel] | None = model
    for part in loc:
        if cls is None:
            return None
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part) or next((f for f in cls.model_fields.values() if f.alias == part), None)
        cls = _model_in(info.annotation) if info is not None else None
    return cls


def fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys (aliases where they have one) of the mapping at ``loc``."""
    cls = model_at(model, loc)
    if cls is None or issubclass(cls, RootModel):
        return []
    return [info.alias or name for name, info in cls.model_fields.items()]


def forbids_extra(model: type[BaseModel], loc: Loc) -> bool:
    cls = model_at(model, loc)
    return cls is not None and cls.model_config.get("extra") == "forbid"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation (``list[Theme]``, ``Period | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def data_at(data: object, loc: Loc) -> object:
    for part in loc:
        if isinstance(data, Mapping) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def misspelt_key(model: type[BaseModel], data: object, loc: Loc) -> str | None:
    """For a missing field at ``loc``: a key beside it that misspells it."""
    parent = data_at(data, loc[:-1])
    missing = loc[-1]
    if not isinstance(parent, Mapping) or not isinstance(missing, str):
        return None
    known = fields_at(model, loc[:-1])
    strangers = [k for k in parent if isinstance(k, str) and k not in known]
    for key in strangers:
        if near(key, [missing]) is not None:
            return key
    return None


def _shown(value: object) -> str:
    text = " ".join(str(value).split())
    return f"'{text}'" if len(text) <= 40 else f"'{text[:39]}…'"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "fields (key: value)"
    return f"the text {_shown(value)}"


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date_message(value: object, csl: bool) -> str:
    """Why ``value`` is not a date, and what to write."""
    forms = 'write 2025-03-01, 2025-03, 2025 or "undated"' if csl else "write year-month-day, such as 2026-03-01"
    if value is None or value == "":
        return f"no date given: {forms}"
    if not isinstance(value, str):
        return f"{_kind(value)} is not a date: {forms}"
    text = value.strip()
    m = _DMY.match(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return f"{text} is not a date: that day does not exist; {forms}"
        return f"{text} is not a date: write the year first, {iso}"
    m = _YMD.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            return f"{text} is not a date: that day does not exist; {forms}"
        if iso != text:
            return f"{text} is not a date: write two digits for the month and the day, {iso}"
    shown = text if re.fullmatch(r"[\w./-]{1,40}", text) else _shown(text)
    return f"{shown} is not a date: {forms}"


def _choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def plain(err: Mapping[str, Any], loc: Loc, data: object, model: type[BaseModel]) -> str:
    """One pydantic error in a drafter's words (without the file and field)."""
    kind = err["type"]
    value = err.get("input")
    field = loc[-1] if loc else ""
    ctx = err.get("ctx") or {}
    if field in _DATE_FIELDS and kind not in ("missing", "extra_forbidden"):
        return date_message(value, csl=field in _CSL_DATE_FIELDS)
    if kind == "extra_forbidden":
        guess = near(str(field), fields_at(model, loc[:-1]))
        return f"unknown field; did you mean {guess}?" if guess else "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind in ("enum", "literal_error"):
        words = _choices(str(ctx.get("expected", "")))
        guess = near(str(value), words) if isinstance(value, str) else None
        hint = f" (did you mean {guess}?)" if guess else ""
        return f"{_shown(value)} is not allowed: write {_listed(words)}{hint}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        names = fields_at(model, loc)[:3]
        example = f", such as {', '.join(n + ': ...' for n in names)}" if names else ""
        if isinstance(value, list):
            return f"expected fields (key: value){example}, not a list: remove the '- ' before them"
        return f"expected fields (key: value){example} on the lines below it, indented; not {_kind(value)}"
    if kind == "list_type":
        if field == "author" and isinstance(value, str):
            return f"expected a list of names, not {_kind(value)}: write author: [{{literal: {value}}}]"
        if isinstance(value, Mapping):
            return "expected a list, not fields (key: value): start each item with '- '"
        return f"expected a list, not {_kind(value)}: write each item on a line of its own, starting with '- '"
    if kind == "string_type":
        if value is None:
            return "is empty: write a value"
        if isinstance(value, Mapping):
            return "expected text, not fields (key: value); text with ': ' goes between double quotes"
        return f"expected text, not {_kind(value)}"
    if kind == "string_too_short":
        return "is empty: write a value"
    if kind == "too_short":
        return "needs at least one item"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"write true or false, not {_shown(value)}"
    if kind == "string_pattern_mismatch":
        if field == "id":
            return (
                f"{_shown(value)} is not a valid id: use letters, digits, '.', '_' and '-', starting with a letter"
                " or a digit"
            )
        if field == "sha256":
            return "write the file's SHA-256 as 64 hexadecimal digits (0-9, a-f)"
        return f"{_shown(value)} has characters that are not allowed here"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])
