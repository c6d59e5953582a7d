"""The preview session in this process: one build at a time, a build that
a newer save overtook is not served, and a fault of abuild's own in a
build leaves the preview serving the last good page."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from ambtsbericht_build.preview import session
from ambtsbericht_build.preview.session import Preview
from tests.fixtures.report_kit import CHAPTER_MD

WAIT = 120


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def wait_until(pred, seconds: float = WAIT) -> None:
    deadline = time.monotonic() + seconds
    while not pred():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.05)


@pytest.fixture
def running(report, monkeypatch):
    """A started preview whose builds (the real ones) are counted."""
    active, most, calls = [0], [0], []
    lock = threading.Lock()
    real = session.build_page

    def counted(*args):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
            calls.append(time.monotonic())
        try:
            return real(*args)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(session, "build_page", counted)
    p = Preview(report.dir, 5 << 20)
    url = p.start()
    yield p, url, most, calls
    p.stop()
    assert not [t for t in p._threads if t.is_alive()]


def test_saves_in_a_row_one_build_at_a_time_the_overtaken_ones_not_served(report, running):
    p, url, most, calls = running
    served_before = p.current.build
    for k in range(6):
        report.chapter(CHAPTER_MD + f"\nVersie {k} van de laatste alinea.[@hrw-2025]\n")
        time.sleep(0.03)  # faster than a build, even with the preview's memo (~0.15 s on this report)
    # "Versie" is tied to its number (a no-break space: docs/house-style.md)
    wait_until(lambda: "Versie\u00a05 van de laatste" in fetch(url))
    time.sleep(1.0)  # nothing more is coming
    assert most[0] == 1
    served = p.current.build - served_before
    # six saves 0.03 s apart, a build takes longer (two pandoc runs at
    # least): some build was overtaken by a save, and its page not served
    assert 1 <= served < len(calls) - 1, (served, len(calls))
    assert "Versie\u00a05 van de laatste" in fetch(url)


def test_a_fault_in_a_build_keeps_the_last_good_page(report, running, monkeypatch):
    p, url, _most, _calls = running
    good = fetch(url)
    assert "vonden in Testland verkiezingen" in good

    def broken(*args):
        raise KeyError("a bug")

    monkeypatch.setattr(session, "build_page", broken)
    before = p.current.build
    report.chapter(CHAPTER_MD + "\nNog een alinea.[@hrw-2025]\n")
    wait_until(lambda: p.current.build > before)
    page = fetch(url)
    assert "vonden in Testland verkiezingen" in page and "Nog een alinea" not in page
    assert "abuild could not build the page (KeyError" in page
    assert all(t.is_alive() for t in p._threads)


def test_a_save_before_the_watcher_watches_is_built(report, monkeypatch):
    """The address is printed before the watcher watches (its thread starts
    with it): a save in between made no event, and under a load of 10 the
    benchmark's first save came then and no page ever followed. The
    watcher compares the files with those of the first build once it
    watches."""
    import watchfiles

    real = watchfiles.watch
    saved = []

    def late(*paths, **kw):  # the save lands before the watch begins
        if not saved:
            saved.append(report.chapter(CHAPTER_MD.replace("in het noorden", "in het Vroegewesten")))
        return real(*paths, **kw)

    monkeypatch.setattr(watchfiles, "watch", late)
    p = Preview(report.dir, 5 << 20)
    url = p.start()
    try:
        wait_until(lambda: "Vroegewesten" in fetch(url), 30)
    finally:
        p.stop()
