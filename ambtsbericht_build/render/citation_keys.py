"""The keys of the sources as citeproc sees them, and the ids that hold them.

A confidential source's key may say more than it should ("vb-minister-x"),
and so may a mistyped one (a key in no bibliography, AB104): before
anything reaches pandoc each gets a neutral name ("vertrouwelijk-1",
"onbekende-bron-1"), in the citations and in every id pandoc derived from
a heading's text (``## Veiligheid [@vb-informant]``). The names are made
from the keys cited, in citing order (:func:`named`), before the blocks are
walked, so that each chapter can be renamed on its own
(chapter_parts.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .ast import LEAVES

if TYPE_CHECKING:
    from ..load import LoadedReport
    from .document import Document

__all__ = ["SourceKeys", "_neutral_blocks", "_neutral_ids", "named", "source_keys"]


@dataclass
class SourceKeys:
    """The keys of the report's sources as citeproc may see them."""

    neutral: dict[str, str]  # a confidential source's key -> its neutral one
    raw: list[dict[str, Any]]  # the sources' entries, under those keys
    known: set[str]  # every key in a bibliography


def source_keys(lr: LoadedReport) -> SourceKeys:
    # Confidential keys may say more than they should ("vb-minister-x"): they
    # are replaced by neutral ones before anything reaches pandoc.
    neutral = {
        s.source.id: f"vertrouwelijk-{i}" for i, s in enumerate((s for s in lr.sources if s.source.confidential), 1)
    }
    # the load stage's decision stands: a BibTeX entry's `confidential` is
    # gone from its raw item (pandoc dropped it), a broken entry's may be `ja`
    raw = [
        dict(s.raw, id=neutral[s.source.id], confidential=True) if s.source.id in neutral else dict(s.raw)
        for s in lr.unambiguous_sources()  # AB108
    ]
    known = {str(item["id"]) for item in raw if "id" in item} | set(neutral)
    return SourceKeys(neutral, raw, known)


def named(keys: SourceKeys, order: list[str], unknown: str) -> dict[str, str]:
    """The neutral name of every key to rename, given every key cited, in
    citing order: :func:`_prepare_cites`'s names, made before the blocks
    are walked (chapter_parts.py)."""
    neutral = dict(keys.neutral)
    taken = len(neutral)
    for key in order:
        if key not in keys.known and key not in neutral:
            neutral[key] = f"{unknown}-{len(neutral) - taken + 1}"
    return neutral


# pandoc elements whose first content item is an Attr ([id, classes, attributes])
_ATTR_FIRST = {"Div", "Span", "Code", "CodeBlock", "Figure", "Table", "Link", "Image"}


def _neutral_ids(doc: Document, neutral: dict[str, str], blocks: bool = True) -> None:
    """pandoc derives a heading's id from its text, a citation's key
    included: ``## Veiligheid [@vb-informant]`` gets the id
    ``veiligheid-vb-informant``, which would reach HTML anchors, the table of
    contents, DOCX bookmarks and the ToR annex's links. Every id (and every
    ``#id`` link) that holds a confidential key, in any form pandoc may give
    it, gets the neutral name instead (``blocks=False``: the headings and
    the ToR only, the blocks had it: :func:`_neutral_blocks`)."""
    if not neutral:
        return
    fix = _fixer(neutral)
    if blocks:
        _neutral_blocks(doc.pandoc["blocks"], neutral)
    for h in doc.headings:
        h.ident = fix(h.ident)
    for entry in doc.tor:
        entry.answers = [(fix(ident), label, geen) for ident, label, geen in entry.answers]


def _fixer(neutral: dict[str, str]) -> Callable[[str], str]:
    forms: dict[str, str] = {}
    for key, name in neutral.items():
        for form in (key, key.lower(), re.sub(r"[^\w.-]", "", key.lower())):
            if form:
                forms[form] = name
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))

    def fix(ident: str) -> str:
        return pattern.sub(lambda m: forms[m.group(0)], ident)

    return fix


def _neutral_blocks(blocks: list[Any], neutral: dict[str, str]) -> None:
    """:func:`_neutral_ids` of the ids and ``#id`` links in ``blocks``."""
    if not neutral:
        return
    fix = _fixer(neutral)

    def attr(a: Any) -> None:
        if isinstance(a, list) and a and isinstance(a[0], str):
            a[0] = fix(a[0])

    def go(o: Any) -> None:
        if isinstance(o, list):
            for x in o:
                # a leaf (a word, a space: 96 % of the nodes) holds no id and no link
                if type(x) is not str and not (type(x) is dict and x.get("t") in LEAVES):
                    go(x)
        elif isinstance(o, dict):
            t, c = o.get("t"), o.get("c")
            if t == "Header" and isinstance(c, list) and len(c) == 3:
                attr(c[1])
            elif t in _ATTR_FIRST and isinstance(c, list) and c:
                attr(c[0])
                if t in ("Link", "Image") and len(c) == 3 and isinstance(c[2], list) and c[2]:
                    target = c[2][0]
                    if isinstance(target, str) and target.startswith("#"):
                        c[2][0] = "#" + fix(target[1:])
            if isinstance(c, (list, dict)):
                go(c)

    go(blocks)
