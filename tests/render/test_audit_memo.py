"""The render-time audit's memo through its store (cache/audits.py), on the
example report's real HTML (the session's render, not rendered again): a
leak planted in an output with the same name and mtime is found although
every other stretch of text comes from the store, and a ``public_terms``
entry is another matcher whose store entry is not read.

The render's own use of the store (every stretch of an unchanged output
served from it) is asserted in tests/cache/test_render_cache.py, on a
render that test makes anyway.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ambtsbericht_build.cache import audits
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.commands.check import check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import LoadedReport
from ambtsbericht_build.publish import forbidden
from ambtsbericht_build.publish.audit import AuditFinding, Matcher, finding
from ambtsbericht_build.publish.extract import extract

EXAMPLE = Path(__file__).resolve().parents[2] / "reports" / "voorbeeldland"
ARCHIVE = "AMB-VB/2025/0218"  # internal.archief (and notes) of source vb-2025-02-18


def _report() -> LoadedReport:
    lr = check_report(EXAMPLE, Diagnostics())
    assert lr is not None and lr.report is not None
    return lr


def _audited(store: Store, fb: forbidden.Forbidden, html: Path) -> tuple[Matcher, list[AuditFinding]]:
    """The render's audit of one output: the store's findings loaded, every part matched, saved."""
    m = Matcher(fb, memo=True)
    assert m.memo is not None
    audits.load(store, m.memo)
    out = [finding(html.name, p.name, n, kind) for p in extract(html).parts for n, kind in m.match(p)]
    audits.save(store, m.memo)
    return m, out


def test_a_leak_planted_in_an_unchanged_looking_output_is_found(example, tmp_path: Path) -> None:
    lr = _report()
    fb = forbidden.collect(lr, paths=[example["html"].parent])
    store = Store(tmp_path / "cache")
    first, clean = _audited(store, fb, example["html"])
    assert clean == [] and first.memo is not None and first.memo.matched > 3

    # the same file name, size class and mtime; one paragraph says the archive number
    planted = tmp_path / "out" / example["html"].name
    planted.parent.mkdir()
    shutil.copy2(example["html"], planted)
    html = planted.read_text(encoding="utf-8")
    at = html.index("<p>", len(html) // 2) + 3
    planted.write_text(html[:at] + f"Zie verslag {ARCHIVE}. " + html[at:], encoding="utf-8")
    st = example["html"].stat()
    os.utime(planted, ns=(st.st_atime_ns, st.st_mtime_ns))

    again, found = _audited(store, fb, planted)
    assert again.memo is not None and again.memo.reused > 3  # the rest of the text: from the store
    assert again.memo.matched >= 1  # the planted paragraph's stretch: matched
    origins = {f.origin for f in found if f.kind == forbidden.INTERNAL}
    assert any("source vb-2025-02-18 internal." in o for o in origins), origins


def test_a_public_term_is_another_matcher(example, tmp_path: Path) -> None:
    """``public_terms`` drops fingerprints: the entry of the matcher without
    the term is not read by the one with it (nor the other way round)."""
    lr = _report()
    store = Store(tmp_path / "cache")
    before, _ = _audited(store, forbidden.collect(lr, paths=[example["html"].parent]), example["html"])
    lr.report.public_terms.append("Lindenplein")  # a rare word of internal.notes
    m = Matcher(forbidden.collect(lr, paths=[example["html"].parent]), memo=True)
    assert m.memo is not None and before.memo is not None
    assert m.memo.signature != before.memo.signature
    assert audits.load(store, m.memo) == 0 and not m.memo.results
