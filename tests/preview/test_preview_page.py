"""The preview page: the render's CSP replaced by the preview's own (one
script, by hash), the findings panel escaped whatever a finding says."""

from __future__ import annotations

import base64
import hashlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diagnostics import Diagnostic, Severity
from ambtsbericht_build.preview.page import PREVIEW_CSP, SCRIPT, findings_panel, preview_page
from ambtsbericht_build.render.formats.html import CONTENT_SECURITY_POLICY

PAGE = (
    '<!DOCTYPE html>\n<html lang="nl">\n<head>\n'
    f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
    '</head>\n<body>\n<main><h2 id="sec-a">A</h2><p>Tekst.</p></main>\n</body>\n</html>\n'
)


def test_the_script_is_allowed_by_its_hash_and_nothing_else_is_loosened():
    page = preview_page(PAGE, 7, [], "", {})
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in PREVIEW_CSP
    assert f'content="{PREVIEW_CSP}"' in page and CONTENT_SECURITY_POLICY not in page
    assert "'unsafe-eval'" not in PREVIEW_CSP and "script-src 'unsafe-inline'" not in PREVIEW_CSP
    assert re.findall(r"<script>(.*?)</script>", page, re.S) == [SCRIPT]
    assert '<html data-preview-build="7" lang="nl">' in page
    assert "<aside" not in page  # no findings, no panel


def test_panel_lists_place_code_message_and_links_to_the_section(tmp_path):
    chapter = str(tmp_path / "02.md")
    d = Diagnostic(chapter, 9, 3, "AB104", Severity.ERROR, "citation key @x is not in the bibliography")
    page = preview_page(PAGE, 2, [d], "", {(chapter, 1): "h-top", (chapter, 5): "sec-a", (chapter, 12): "sec-b"})
    panel = page[page.index('<aside id="abuild-preview-findings"') :]
    assert 'role="region"' in panel and 'aria-live="polite"' in panel
    assert re.search(r'<a href="#sec-a">[^<]*02\.md:9:3</a></code>: AB104 citation key @x', panel)
    assert "1 fout(en), 0 waarschuwing(en)" in panel


def test_no_good_page_yet_gives_a_page_with_the_panel_only():
    page = preview_page(None, 1, [], "the report could not be loaded", {})
    assert "Geen nieuw voorbeeld" in page and "the report could not be loaded" in page
    assert f'content="{PREVIEW_CSP}"' in page


@settings(max_examples=200, deadline=None)
@given(file=st.text(max_size=40), message=st.text(max_size=80), code=st.text(max_size=8), problem=st.text(max_size=40))
def test_whatever_a_finding_says_it_makes_no_markup(file, message, code, problem):
    """A message or a file name is the drafter's text (a citation key, a
    heading): it must never become an element or an attribute of the page."""
    d = Diagnostic(file or "x.md", 1, 1, code, Severity.WARNING, message)
    panel = findings_panel([d], problem, {(file or "x.md", 1): 'a"b<c'})
    tags = re.findall(r"<(/?[a-zA-Z0-9]+)", panel)
    assert set(tags) <= {
        "aside",
        "/aside",
        "h2",
        "/h2",
        "ul",
        "/ul",
        "li",
        "/li",
        "code",
        "/code",
        "a",
        "/a",
        "strong",
        "/strong",
    }
    assert tags.count("li") == (2 if problem else 1)
    assert tags.count("a") <= 1 and "<script" not in panel.lower()
