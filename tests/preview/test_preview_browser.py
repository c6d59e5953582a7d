"""The preview in headless Chromium: the page's own script runs under the
preview's Content-Security-Policy (no violation), a save reloads the open
page by itself, and the reader stays where they were."""

from __future__ import annotations

import time

from tests.fixtures.report_kit import INTRO, INTRO_MD, make_report
from tests.preview.test_preview_cli import Running
from tests.render.test_accessibility import ARGS, CHROMIUM, _missing, browser  # noqa: F401 (a fixture)


def wait_for(page, expression: str, seconds: float = 120) -> None:
    """page.wait_for_function evaluates its predicate with eval(), which
    the page's policy forbids (as it should): poll from here instead."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while True:
        try:
            if page.evaluate(expression):
                return
        except Error as exc:  # asked while the page reloads: ask the new one
            if "context was destroyed" not in str(exc):
                raise
        assert time.monotonic() < deadline, f"not true after {seconds} s: {expression}"
        time.sleep(0.05)


LONG_INTRO = INTRO_MD + "".join(f"\nAlinea {k} van de inleiding, lang genoeg om te scrollen.\n" for k in range(60))


def test_a_save_reloads_the_open_page_at_the_same_place(browser, tmp_path):
    report = make_report(tmp_path)
    report.write(INTRO, LONG_INTRO)
    run = Running(report, report.root)
    try:
        page = browser.new_page(viewport={"width": 800, "height": 500})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(run.url)
        build = page.evaluate("document.documentElement.dataset.previewBuild")
        wait_for(page, "document.body.innerText.includes('Alinea 59')")
        page.evaluate("window.scrollTo(0, 900)")
        page.wait_for_timeout(300)  # the channel is open (EventSource connects at once)
        report.write(INTRO, LONG_INTRO.replace("Alinea 30 van", "Alinea dertig van"))
        wait_for(
            page,
            f"document.documentElement.dataset.previewBuild !== '{build}'"
            " && document.body.innerText.includes('Alinea dertig')",
        )
        wait_for(page, "document.readyState === 'complete'", 10)
        page.wait_for_timeout(300)
        assert abs(page.evaluate("window.scrollY") - 900) <= 2
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
        assert not problems, problems
    finally:
        assert run.stop() == 0
