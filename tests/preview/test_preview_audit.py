"""The preview's audit keeps each part's verdict between rebuilds
(preview/audit.py) and still finds a forbidden value in any part that
changed: in the text after an edit, in an attribute while the text stays
as it was, and again in the text when it comes back."""

from __future__ import annotations

from ambtsbericht_build.block_memo import BlockMemo
from ambtsbericht_build.preview.audit import audit_page
from ambtsbericht_build.publish.audit import audit_files
from ambtsbericht_build.publish.forbidden import INTERNAL, Forbidden, phrase

SECRET = "Kwartel Noordkaap"
PAGES = [
    '<html><head><title>T</title></head><body><p id="a">Gevechten in het noorden.</p></body></html>',
    f'<html><head><title>T</title></head><body><p id="a">Gevechten bij {SECRET}.</p></body></html>',
    '<html><head><title>T</title></head><body><p id="a">Gevechten in het noorden.</p></body></html>',
    '<html><head><title>T</title></head><body><p id="kwartel-noordkaap">Gevechten in het noorden.</p></body></html>',
    f'<html><head><title>T</title></head><body><p id="a">Gevechten bij {SECRET}.</p></body></html>',
]


def test_each_build_finds_what_a_full_audit_finds(tmp_path):
    forbid = Forbidden([phrase(INTERNAL, SECRET, "vb-1 internal.who")], [])
    memo = BlockMemo()
    out = tmp_path / "page.html"
    verdicts = []
    for html in PAGES:
        out.write_text(html, encoding="utf-8")
        with memo.build():
            kept = audit_page(out, forbid, "preview")
        assert kept == audit_files([out], forbid, names={out: "preview"})
        verdicts.append(bool(kept))
    assert verdicts == [False, True, False, True, True]
    assert memo.value_hits > 0  # the head and the unchanged parts were not matched again
