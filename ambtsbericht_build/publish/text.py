"""Text normalisation shared by the forbidden values and the extracted strings.

Both sides are folded the same way before they are compared, so typography
added by the renderers (curly quotes, non-breaking spaces, soft hyphens,
ligature-free Unicode forms, line breaks) cannot hide a leak.
"""

from __future__ import annotations

import re
import unicodedata

_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    # invisible characters that renderers insert or that may hide a value
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
}
_SPECIAL = re.compile("[" + "".join(_MAP) + "]")
_WS = re.compile(r"\s+")


def fold(s: str) -> str:
    """Case-folded, NFKC-normalised text with unified quotes/dashes and
    whitespace runs (any Unicode space) collapsed to one space."""
    if not s.isascii():
        if not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
        s = _SPECIAL.sub(lambda m: _MAP[m.group(0)], s)
    return " ".join(s.casefold().split())


def squash_ws(s: str) -> str:
    return " ".join(s.split())


def redact(value: str) -> str:
    """How a forbidden value is shown in a finding: never in full."""
    v = squash_ws(value)
    return f'"{v[:3]}…" ({len(v)} chars)'
