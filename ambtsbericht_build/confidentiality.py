"""What makes a source confidential, and what of it may print: decided here
once, for the load stage, the checks and the render (``render/csl_items.py``).

No imports beyond the standard library: the render's processes use it too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

__all__ = ["confidential_flag", "plain_date"]

_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})


def confidential_flag(value: object) -> tuple[bool, bool]:
    """``(secret, valid)`` for a source's ``confidential`` value as written.

    Valid are the booleans (``true``/``false``, also ``yes``/``no``,
    ``on``/``off``, ``1``/``0``, in any case) and no value at all (not
    confidential). Anything else -- ``ja``, ``nee``, ``n``, ``f``, ``2``,
    ``""``, a list -- is not valid, and is *secret*: when the drafter's intent
    is not clearly "public", the source is treated as confidential while the
    error is reported (AB303)."""
    if value is None:
        return False, True
    if isinstance(value, bool):
        return value, True
    if isinstance(value, int):
        return value != 0, value in (0, 1)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True, True
        if word in _FALSE_WORDS:
            return False, True
    return True, False


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
UNDATED_WORDS = frozenset({"undated", "ongedateerd"})


def _iso_ok(text: str) -> bool:
    m = _ISO.fullmatch(text.strip())
    if m is None:
        return False
    y, mo, d = m.groups()
    try:
        dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return False
    return True


def plain_date(value: object) -> bool:
    """Whether ``value`` (an ``issued`` as written) is a plain date and nothing
    else: an ISO date, year or month, ``undated``, a year number, or a CSL
    ``date-parts`` of numbers only. A ``literal`` or ``raw`` date, or
    ``date-parts`` holding words, is free text: "3 maart 2025, hotel
    Centraal" would print beside "Vertrouwelijke bron"."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    if isinstance(value, int):
        return 1000 <= value <= 9999
    if isinstance(value, str):
        return value.strip().casefold() in UNDATED_WORDS or _iso_ok(value)
    if isinstance(value, Mapping):
        if set(value) != {"date-parts"}:
            return False
        parts = value["date-parts"]
        if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
            return False
        for part in parts:
            if not isinstance(part, list) or not 1 <= len(part) <= 3:
                return False
            if not all(
                (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, str) and x.strip().isdigit())
                for x in part
            ):
                return False
            nums = [int(x) for x in part]
            try:
                dt.date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1)
            except ValueError:
                return False
        return True
    return False
