"""``abuild translate extract``: write or update the PO files of a language.

An existing PO file is merged the way msgmerge merges it (``po.merge``); one
that cannot be read is reported (AB603) and left as it is, never overwritten:
it may hold a translator's week of work that a broken quote made unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from ..diagnostics import Diagnostics
from ..load import LoadedReport
from ..load.files import DEFAULT_MAX_BYTES
from .catalog import catalogs, translations_dir
from .po import merge, read_po, write_po


@dataclass
class Written:
    path: Path
    written: bool  # False: unchanged, or left alone because it cannot be read
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    refused: bool = False


def extract(lr: LoadedReport, lang: str, diags: Diagnostics, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Written]:
    root = translations_dir(lr, lang)
    # a symlinked translations/ that leaves the repository is not written through
    probe = root
    while not probe.exists() and probe != lr.dir:
        probe = probe.parent
    if not lr.repo.contains(probe):
        diags.error(
            "AB603", root, 0, 0, "the translations directory leaves the repository (a symlink); nothing written"
        )
        return []
    out: list[Written] = []
    for cat in catalogs(lr, lang):
        old: polib.POFile | None = None
        if cat.po.exists() or cat.po.is_symlink():
            old, _text = read_po(cat.po, lr.repo, diags, max_bytes)
            if old is None:
                out.append(Written(cat.po, False, refused=True))
                continue
        merged = merge(old, cat.entries, lang, f"{lr.slug} {lang}")
        live = [e for e in merged if not e.obsolete]
        fuzzy = sum("fuzzy" in e.flags for e in live)
        done = sum(bool(e.msgstr) and "fuzzy" not in e.flags for e in live)
        w = Written(cat.po, False, done, fuzzy, len(live) - done - fuzzy, sum(e.obsolete for e in merged))
        w.written = write_po(cat.po, merged)
        out.append(w)
    return out
