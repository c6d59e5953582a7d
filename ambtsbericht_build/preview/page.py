"""The preview page: the render's screen HTML with, added for the preview
only, a findings panel and a small script that reloads the page when a new
build is served and keeps the reader's scroll position.

The published HTML forbids every script (render/formats/html.py's
Content-Security-Policy). The preview's copy gets its own policy, which
allows exactly this one script (by its SHA-256) and a connection back to
the preview server for the reload channel; nothing else is loosened, and
the published file itself is never touched."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence

from ..diagnostics import Diagnostic, display_path
from ..render.formats.html import CONTENT_SECURITY_POLICY
from .build import anchor_for

# The page remembers its scroll position when it is about to be replaced
# and scrolls back after the reload; the reload channel (Server-Sent
# Events) says which build is current, and a page of an older build
# reloads. EventSource reconnects by itself after a server restart. The
# browser's own restoring is switched off, so that one rule decides (and a
# test can see it does): a rebuilt page is another page, and browsers
# differ in whether they restore a reloaded one.
SCRIPT = """\
(function () {
  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
  var key = "abuild-preview-scroll:" + location.pathname;
  var build = document.documentElement.getAttribute("data-preview-build");
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = parseInt(saved, 10);
    if (!isNaN(y)) { window.scrollTo(0, y); }
  }
  var events = new EventSource("/events");
  events.addEventListener("build", function (e) {
    if (e.data !== build) {
      sessionStorage.setItem(key, String(Math.round(window.scrollY)));
      events.close();
      location.reload();
    }
  });
})();
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

PREVIEW_CSP = (
    f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    f"script-src '{SCRIPT_HASH}'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)

# fixed at the bottom of the window, at most 40% of its height (scrolling on
# its own when there are many findings); the page gets as much room below
# its end, so that its last lines can be scrolled clear of the panel
PANEL_CSS = """\
#abuild-preview-findings { position: fixed; left: 0; right: 0; bottom: 0; max-height: 40vh; overflow: auto;
  margin: 0; padding: 0.5em 1em; background: #fff8e1; color: #1a1a1a; border-top: 3px solid #b35900;
  font: 0.9rem/1.4 sans-serif; z-index: 1000; }
body:has(#abuild-preview-findings) { padding-bottom: 40vh; }
#abuild-preview-findings h2 { font-size: 1rem; margin: 0 0 0.3em; }
#abuild-preview-findings ul { margin: 0; padding-left: 1.2em; }
#abuild-preview-findings .error { color: #8b0000; }
#abuild-preview-findings code { font-family: monospace; }
"""

_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'


class PageError(ValueError):
    """The page is not the render's screen HTML as this module knows it."""


def preview_page(
    page: str | None,
    build: int,
    findings: Sequence[Diagnostic],
    problem: str,
    anchors: dict[tuple[str, int], str],
    lang: str = "nl",
) -> str:
    """The page to serve: ``page`` (the last good screen HTML; None: there
    is none yet) with the findings panel and the reload script."""
    if page is None:
        page = (
            f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n{_META}\n'
            "<title>abuild preview</title>\n</head>\n<body>\n<main><h1>abuild preview</h1>"
            "<p>Er is nog geen voorbeeld: het rapport kan niet worden opgebouwd.</p></main>\n</body>\n</html>\n"
        )
    if page.count(_META) != 1 or page.count("</body>") != 1 or page.count("<html") != 1:
        raise PageError("the page has not exactly one Content-Security-Policy, <html> and </body>")
    page = page.replace(_META, _META.replace(CONTENT_SECURITY_POLICY, PREVIEW_CSP))
    page = page.replace("<html", f'<html data-preview-build="{build}"', 1)
    extra = (
        f"<style>{PANEL_CSS}</style>\n{findings_panel(findings, problem, anchors)}<script>{SCRIPT}</script>\n</body>"
    )
    return page.replace("</body>", extra)


def findings_panel(findings: Sequence[Diagnostic], problem: str, anchors: dict[tuple[str, int], str]) -> str:
    """An accessible region listing each finding as ``file:line:column: CODE
    message``, linked to its section where the section is known. Empty when
    there is nothing to say."""
    if not findings and not problem:
        return ""
    items = []
    if problem:
        items.append(
            f'<li class="error"><strong>Geen nieuw voorbeeld</strong> (het vorige blijft staan): '
            f"{html.escape(problem)}</li>"
        )
    for d in findings:
        where = f"{display_path(d.file)}:{d.line}:{d.column}"
        ident = anchor_for(anchors, d)
        place = f'<a href="#{html.escape(ident)}">{html.escape(where)}</a>' if ident else html.escape(where)
        items.append(
            f'<li class="{d.severity.value}"><code>{place}</code>: {html.escape(d.code)} {html.escape(d.message)}</li>'
        )
    errors = sum(d.severity.value == "error" for d in findings)
    head = f"{errors} fout(en), {len(findings) - errors} waarschuwing(en)"
    return (
        '<aside id="abuild-preview-findings" role="region" aria-live="polite" aria-label="Bevindingen">\n'
        f"<h2>Bevindingen: {head}</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</aside>\n"
    )
