"""The render-time audit's remembered findings (:mod:`..publish.match_memo`)
across renders: one entry per matcher, ``build/.cache/audit/``.

The entry's key is the matcher's signature (every token sequence it looks
for and the code that matches them), so a changed secret, ``public_terms``
entry or matcher reads no entry at all and the whole of every output is
matched again. Inside it, findings are keyed by the digest of the tokens
matched, never by a file name or mtime: a leak planted in an output is
text that was never matched, and is matched. An entry that is corrupt,
truncated or not of this shape is ignored (:class:`.store.Store` checks
its sha256; :func:`load` its shape), which costs a full audit, nothing more.

Besides windows, an entry keeps each whole part's findings (its phrases,
the confidential key a line of it is a near-miss of, by place), so that a
part whose text did not change (a font's strings, styles.xml) is not even
tokenised again. An entry keeps what one render used (the benchmark report:
about 640 windows and 140 parts, 70 kB), so it does not grow from render
to render.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .store import digest

if TYPE_CHECKING:
    from ..publish.match_memo import WindowMemo
    from .store import Store

KIND = "audit"
_DIGEST = re.compile(r"[0-9a-f]{40}")


def entry_key(signature: str) -> str:
    return digest("abuild-audit-windows", signature)


def load(store: Store, memo: WindowMemo) -> int:
    """Fill ``memo`` with the findings stored for its signature; how many."""
    data = store.get_json(KIND, entry_key(memo.signature))
    if not isinstance(data, dict) or data.get("signature") != memo.signature:
        return 0
    windows, parts = data.get("windows"), data.get("parts")
    if not isinstance(windows, dict) or not isinstance(parts, dict):
        return 0
    loaded: dict[str, frozenset[int]] = {}
    for key, hits in windows.items():
        if not (isinstance(key, str) and _DIGEST.fullmatch(key) and _payloads(hits, memo.payloads)):
            return 0  # not what save wrote: none of it is trusted
        loaded[key] = frozenset(hits)
    known: dict[str, tuple[frozenset[int], int, tuple[str, ...]]] = {}
    for key, value in parts.items():
        if not (
            isinstance(key, str)
            and _DIGEST.fullmatch(key)
            and isinstance(value, list)
            and len(value) == 3
            and _payloads(value[0], memo.payloads)
            and type(value[1]) is int
            and -1 <= value[1] < memo.keys
            and isinstance(value[2], list)
            and all(isinstance(w, str) and w in windows for w in value[2])
        ):
            return 0
        known[key] = (frozenset(value[0]), value[1], tuple(value[2]))
    for key, hits in loaded.items():
        memo.results.setdefault(key, hits)
    for key, (hits, found, used) in known.items():
        if key not in memo.parts:
            memo.parts[key] = (hits, found)
            memo.part_windows[key] = used
    return len(loaded) + len(known)


def _payloads(hits: object, bound: int) -> bool:
    return isinstance(hits, list) and all(type(p) is int and 0 <= p < bound for p in hits)


def save(store: Store, memo: WindowMemo) -> None:
    """Store the findings of the windows and parts this render used (and only those)."""
    windows = {key: sorted(memo.results[key]) for key in sorted(memo.used) if key in memo.results}
    parts = {
        key: [sorted(memo.parts[key][0]), memo.parts[key][1], list(memo.part_windows.get(key, ()))]
        for key in sorted(memo.used_parts)
    }
    value = {"signature": memo.signature, "windows": windows, "parts": parts}
    store.put_json(KIND, entry_key(memo.signature), value)
