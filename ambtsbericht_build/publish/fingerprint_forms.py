"""Other writings of a reference number or a phone number, and dates
written as digits (never a fingerprint alone).

Split out of fingerprint.py: a reference's segments glued, in another order,
with its year short; a Dutch phone number national and international.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .fingerprint_words import token_seq


def _reference_forms(chunk: str, seq: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Other writings of the reference ``chunk`` (tokens ``seq``): its letter
    groups glued (``AMBVB20250218``, ``AMBVB/2025/0218``) and its last 2+
    segments when they hold letters and a number of 4+ digits
    (``VB/2025/0218`` of ``AMB-VB/2025/0218``; not ``2025/0218``, a date)."""
    glued: list[str] = []
    for t in seq:
        if glued and t.isalpha() and glued[-1].isalpha():
            glued[-1] += t
        else:
            glued.append(t)
    yield tuple(glued)
    segs = re.split(r"[-/._:#]", chunk)
    for k in range(2, len(segs)):
        tail = segs[len(segs) - k :]
        if _distinctive(tail):
            yield token_seq("/".join(tail))
    # its segments in another order (4471-TR-2026 of TR/2026/4471) and a year
    # written short (TR/26/4471): red team pass 4, R07. Every order of up to 3
    # segments; a longer reference reversed only (AMB-VB/2025/0218 has 24
    # orders, each a print: 24 per reference cost the benchmark's check 0.1 s),
    # and its tails above in their order
    shorts = [segs[:k] + [g[2:]] + segs[k + 1 :] for k, g in enumerate(segs) if _YEAR.fullmatch(g)]
    if len(segs) <= MAX_REORDERED:
        orders = [p for base in [segs, *shorts] for p in itertools.permutations(base)]
    else:
        orders = [tuple(base) for base in [*shorts]] + [tuple(reversed(base)) for base in [segs, *shorts]]
    # (dict, not set: the prints' order, so the findings', stays the same run to run)
    for form in dict.fromkeys(orders):
        if _distinctive(form):
            yield token_seq("/".join(form))


# a reference's segments are looked for in any order up to this many
MAX_REORDERED = 3
_YEAR = re.compile(r"(?:19|20)\d\d")


def _distinctive(segs: list[str] | tuple[str, ...]) -> bool:
    """Segments that identify a reference alone: letters and 4+ digits."""
    text = "".join(segs)
    return any(c.isalpha() for c in text) and sum(c.isdigit() for c in text) >= 4


def _phone_forms(digits: str, plus: bool) -> list[str]:
    """A Dutch number in its other writings: national 06 12345670 as
    +31 6 12345670, 0031 6 12345670 and +31 (0)6 12345670, and back."""
    if digits.startswith("0031"):
        national = "0" + digits[4:].removeprefix("0")
    elif plus and digits.startswith("31"):
        national = "0" + digits[2:].removeprefix("0")
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits
    else:
        return []
    rest = national[1:]
    return [f for f in (national, "31" + rest, "0031" + rest, "310" + rest, "00310" + rest) if f != digits]


def _contains(hay: tuple[str, ...], seq: tuple[str, ...]) -> bool:
    k = len(seq)
    return any(hay[i : i + k] == seq for i in range(len(hay) - k + 1))


def _date_digits(digits: str) -> bool:
    """Digits that a date prints as once its separators are gone (20260428,
    28042026, 202604): in the report's dates and its sources' dates, so a
    number like this is never a fingerprint alone (the reference
    AMB-ML/2026/0428 it came from still is)."""
    import datetime as dt

    def ok(y: str, m: str, d: str = "01") -> bool:
        try:
            dt.date(int(y), int(m), int(d))
        except ValueError:
            return False
        return 1900 <= int(y) <= 2100

    if len(digits) == 8:
        return ok(digits[:4], digits[4:6], digits[6:]) or ok(digits[4:], digits[2:4], digits[:2])
    if len(digits) == 6:
        return ok(digits[:4], digits[4:]) or ok(digits[2:], digits[:2])
    return False
