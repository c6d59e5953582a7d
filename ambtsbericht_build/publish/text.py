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


# --- Markdown to plain text (approximately: what a renderer would print) -------------

_CITE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
_NOTE_REF = re.compile(r"\[\^[^\]]*\]")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ATTRS = re.compile(r"\{[^{}]*\}")
_LINE_MARKUP = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s?|\|)+", re.M)
_INLINE_MARKUP = re.compile(r"[*_`~|]+|\^\[|!\[|[\[\]]")


def markdown_to_text(md: str) -> str:
    """Drop Markdown syntax (citations, note references, link targets,
    attributes, list/heading markers, emphasis) and keep the words."""
    s = _CITE.sub(" ", md)
    s = _NOTE_REF.sub(" ", s)
    s = _LINK_TARGET.sub(" ", s)
    s = _ATTRS.sub(" ", s)
    s = _LINE_MARKUP.sub("", s)
    s = _INLINE_MARKUP.sub(" ", s)
    return s


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")


def segments(text: str, min_len: int) -> list[str]:
    """The whole text and its sentences/clauses, whitespace-collapsed, each at
    least ``min_len`` characters: a leak of one sentence is caught as well as
    a leak of the whole paragraph."""
    out: list[str] = []
    whole = squash_ws(text)
    if len(whole) >= min_len:
        out.append(whole)
    for part in _SENTENCE_SPLIT.split(text):
        part = squash_ws(part).strip(" .;:!?")
        if len(part) >= min_len and part not in out:
            out.append(part)
    return out


def redact(value: str) -> str:
    """How a forbidden value is shown in a finding: never in full."""
    v = squash_ws(value)
    return f'"{v[:3]}…" ({len(v)} chars)'
