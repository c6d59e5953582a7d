"""The order of the source annex: natural, Dutch collation (docs/house-style.md).

citeproc sorts the bibliography by comparing strings: "Wet nr. 31/2025"
before "Wet nr. 7/2025" (the character 3 before 7), "De Standaard" under D.
A reader looks a source up as a Dutch library catalogues it, so the annex is
sorted here, after citeproc, on the one document every format is written
from (so HTML, PDF, DOCX and ODT list the sources in the same order):

1. by the name the entry starts with: the first author (a person by family
   name without "van", "de", "van der", ... then given name; an
   organisation by its name), else the editor, for news and web items
   without an author the newspaper or website, else the publisher, else
   the title; then by title; then by date;
2. each of these compared without a leading article ("de", "het", "een",
   "'t"; "the", "a", "an"), without accents and case ("Ärzte" with
   "arzte"), and without punctuation: as a Dutch library catalogue files,
   punctuation and symbols count as a space between words at the first
   level ("Meetland – X", "Meetland: X" and "Meetland X" file together,
   before "Meetland: Y"; before, "Meetland – Z" came before "Meetland: A",
   because a space, after "Meetland", sorts before a colon), an apostrophe
   as nothing ("Women’s" with "Womens");
3. numbers by their value: "nr. 7" before "nr. 31", "2025" after "999";
4. only entries equal in all of that are ordered by the texts as written
   (punctuation, accents and case: code point by code point), then by
   their id, which no two entries share: the order is total, and the same
   whatever order the sources were listed or cited in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# a leading article is no part of the name a reader looks for
_ARTICLE = re.compile(r"^[\"'‘’“”„«»]*(?:de|het|een|['’‘]t|the|an?)\s+", re.I)
# a Dutch family name is sorted without its prefix ("Berg, J. van den")
_PARTICLES = re.compile(r"^(?:(?:van|de|der|den|het|ten|ter|te|in|op|'t|’t)\s+)+", re.I)
_NUMBER = re.compile(r"(\d+)")
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`´](?=\w)")  # Women’s, ’s-Gravenhage within a name
_NEWS_WEB = {"article-newspaper", "article-magazine", "webpage", "post-weblog", "post", "broadcast"}

Collation = tuple[tuple[int, int, str], ...]
SortKey = tuple[Collation, Collation, Collation, tuple[str, str, str], str]


def _unpunctuated(s: str) -> str:
    """``s`` with its apostrophes between letters dropped, every other mark
    of punctuation and every symbol a space (Unicode categories P* and S*)."""
    s = _APOSTROPHE.sub("", s)
    return "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in s)


def collation(text: str) -> Collation:
    """``text`` as a key that compares the way the house style sorts (the
    first level: see the module's docstring)."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = " ".join(s.replace("\u00a0", " ").split())
    s = _ARTICLE.sub("", s, count=1).lstrip("\"'‘’“”„«»‹›([{¿¡-–—.,;: ")
    s = " ".join(_unpunctuated(s).split())
    parts: list[tuple[int, int, str]] = []
    for i, chunk in enumerate(_NUMBER.split(s)):
        if i % 2:
            parts.append((0, int(chunk), ""))  # a number before any word at the same place
        elif chunk:
            parts.append((1, 0, chunk))
    return tuple(parts)


def _name(name: Any) -> str:
    if not isinstance(name, Mapping):
        return str(name)
    if isinstance(name.get("literal"), str):
        return str(name["literal"])
    family = _PARTICLES.sub("", str(name.get("family", "")))
    return f"{family} {name.get('given', '')}".strip()


def _creator(item: Mapping[str, Any]) -> str:
    for field in ("author", "editor"):
        names = item.get(field)
        if isinstance(names, list) and names:
            return _name(names[0])
    if item.get("type") in _NEWS_WEB and isinstance(item.get("container-title"), str):
        return str(item["container-title"])
    for field in ("publisher", "title"):
        if isinstance(item.get(field), str):
            return str(item[field])
    return ""


def _date(item: Mapping[str, Any]) -> str:
    issued = item.get("issued")
    if isinstance(issued, Mapping) and isinstance(issued.get("date-parts"), list) and issued["date-parts"]:
        first = issued["date-parts"][0]
        if isinstance(first, list):
            return "-".join(f"{int(p):04d}" for p in first if isinstance(p, int))
    return ""


def sort_key(item: Mapping[str, Any]) -> SortKey:
    """The annex's sort key of a CSL item (as :func:`.csl_items.to_csl_items` made it)."""
    title = str(item["title"]) if isinstance(item.get("title"), str) else ""
    creator, date = _creator(item), _date(item)
    written = (unicodedata.normalize("NFC", creator), unicodedata.normalize("NFC", title), date)
    return (collation(creator), collation(title), collation(date), written, str(item.get("id")))
