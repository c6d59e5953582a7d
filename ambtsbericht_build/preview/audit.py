"""The audit of the preview's page: publish/audit.py's ``audit_files`` of the
one HTML file (every part of it extracted and matched against every
forbidden value, the same findings), with each part's verdict kept between
rebuilds (a :class:`~..block_memo.BlockMemo` is active) under the part's
exact text and the forbidden values.

A part whose text an edit did not change (the head, each kind of attribute,
the comments; the whole text after a save that changed nothing printed) is
not matched again; the text of a page an edit changed is matched again in
the pieces the edit touched (publish/match_pieces.py). On
the benchmark report the parts besides the text took 0.07 s of a rebuild's
0.69 s of audit, and the matcher (built from 6,000 needles) 0.02 s."""

from __future__ import annotations

from pathlib import Path

from .. import block_memo
from ..publish import match_pieces
from ..publish.audit import AuditFinding, Matcher, audit_files, finding
from ..publish.extract import Part
from ..publish.forbidden import Forbidden, Needle
from . import extract_memo
from .extract_memo import extract_page
from .stages import Stages

__all__ = ["audit_page", "matcher"]


def matcher(forbid: Forbidden) -> Matcher:
    """``Matcher(forbid)``, or the one of an earlier build with the same
    forbidden values (shared: a Matcher is not changed by matching)."""
    memo = block_memo.current()
    if memo is None:
        return Matcher(forbid)
    # with the render audit's window memo (publish/match_memo.py): the text of
    # a page an edit changed is matched again only in the stretches the edit
    # touched, not whole (1.05 of the rebuild's 1.2 s of audit, previewfast's
    # profile); the memo belongs to this matcher, so to these forbidden values
    return memo.value(_key(forbid), lambda: Matcher(forbid, memo=True))


def _key(forbid: Forbidden) -> bytes:
    # every needle's every field, in order (dataclasses of strings and tuples)
    return block_memo.context("audit: forbidden", repr(forbid.needles), repr(forbid.public))


def audit_page(out: Path, forbid: Forbidden, name: str, stages: Stages | None = None) -> list[AuditFinding]:
    memo = block_memo.current()
    if memo is None:
        return audit_files([out], forbid, names={out: name})
    stages = stages or Stages()
    with stages("audit: extract"):
        # stretch by stretch, the unchanged ones from the memo (extract_memo.py)
        ex = extract_page(out, memo.value(block_memo.context("audit: page readings"), extract_memo.Memo))
    forbidden_key = _key(forbid)
    with stages("audit: matcher"):
        m = matcher(forbid)
    found: set[AuditFinding] = set()
    for part_name, kind, what in ex.problems:
        found.add(AuditFinding(name, part_name, kind, what))
    with stages("audit: match"):
        for part in ex.parts:
            key = block_memo.context("audit: part", forbidden_key, part.name, str(part.meta), part.text)
            for needle, kind in memo.value(key, lambda part=part: _match(m, forbidden_key, part)):  # type: ignore[misc]
                found.add(finding(name, part.name, needle, kind))
    return sorted(found)


def _match(m: Matcher, forbidden_key: bytes, part: Part) -> list[tuple[Needle | None, str]]:
    """``m.match(part)``; the page's text (750,000 characters on the
    benchmark report) piece by piece, only the pieces an edit changed read
    again (publish/match_pieces.py): 0.28 s -> 0.03 s of CPU a rebuild."""
    memo = block_memo.current()
    if memo is None or not part.name.endswith(" text"):
        return m.match(part)
    # the pieces' tokens whatever is looked for, the windows' findings by the forbidden values
    tokens = memo.value(block_memo.context("audit: tokens", part.name), match_pieces.Tokens)
    pieces = memo.value(
        block_memo.context("audit: pieces", forbidden_key, part.name), lambda: match_pieces.Memo(m, tokens)
    )
    return match_pieces.match(pieces, part)
