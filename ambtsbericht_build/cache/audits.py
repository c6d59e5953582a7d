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

An entry keeps the windows one render used (the benchmark report: about
600, 60 kB), so it does not grow from render to render.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .store import digest

if TYPE_CHECKING:
    from ..publish.match_memo import WindowMemo
    from .store import Store

KIND = "audit"
_WINDOW = re.compile(r"[0-9a-f]{40}")


def entry_key(signature: str) -> str:
    return digest("abuild-audit-windows", signature)


def load(store: Store, memo: WindowMemo) -> int:
    """Fill ``memo`` with the findings stored for its signature; how many."""
    data = store.get_json(KIND, entry_key(memo.signature))
    if not isinstance(data, dict) or data.get("signature") != memo.signature:
        return 0
    windows = data.get("windows")
    if not isinstance(windows, dict):
        return 0
    bound = memo.payloads
    loaded: dict[str, frozenset[int]] = {}
    for key, hits in windows.items():
        if not (
            isinstance(key, str)
            and _WINDOW.fullmatch(key)
            and isinstance(hits, list)
            and all(type(p) is int and 0 <= p < bound for p in hits)
        ):
            return 0  # not what save wrote: none of it is trusted
        loaded[key] = frozenset(hits)
    for key, hits in loaded.items():
        memo.results.setdefault(key, hits)
    return len(loaded)


def save(store: Store, memo: WindowMemo) -> None:
    """Store the findings of the windows this render used (and only those)."""
    windows = {key: sorted(memo.results[key]) for key in sorted(memo.used) if key in memo.results}
    store.put_json(KIND, entry_key(memo.signature), {"signature": memo.signature, "windows": windows})
