"""abuild archive's HTTP: one bounded GET per hop, against a local server
(tests/archive/server.py) with every answer the issue lists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.archive.fetch import FetchFailed, Limits, fetch

from .server import PAGE, PDF, serving


def limits(**kw) -> Limits:
    waits: list[float] = []
    base = {"proxies": {}, "timeout": 1.0, "max_bytes": 10_000, "sleep": waits.append}
    return Limits(**{**base, **kw})


@pytest.fixture(scope="module")
def srv():
    with serving() as s:
        yield s


def test_a_page_and_a_pdf_are_fetched_as_sent(srv):
    [page] = fetch(srv.base + "/page", limits())
    assert (page.status, page.body) == (200, PAGE)
    assert ("Content-Type", "text/html; charset=utf-8") in page.headers
    assert page.request_line == "GET /page HTTP/1.1"
    [pdf] = fetch(srv.base + "/report.pdf", limits())
    assert (pdf.status, pdf.body) == (200, PDF)


def test_a_redirect_is_followed_and_each_hop_kept(srv):
    hops = fetch(srv.base + "/moved", limits())
    assert [(h.url, h.status) for h in hops] == [(srv.base + "/moved", 301), (srv.base + "/page", 200)]
    assert hops[1].body == PAGE


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/to-file", "'file:///etc/passwd' is not an http(s) address"),
        ("/loop", "redirects in a circle"),
        ("/slow", "could not be reached (no answer in time)"),
        ("/sized/10001", "is 10,001 bytes, more than the limit of 10,000 bytes"),
        ("/chunked/10001", "sends more than the limit of 10,000 bytes"),
        ("/busy-long", "asks to wait 3600 s, more than the 30 s"),
    ],
)
def test_each_hostile_answer_fails_with_a_reason(srv, path, said):
    with pytest.raises(FetchFailed, match=said.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        fetch(srv.base + path, limits(timeout=0.5))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "data:text/plain,x", "http:///x"])
def test_only_http_addresses_are_opened(url):
    with pytest.raises(FetchFailed, match="not an http"):
        fetch(url, limits())


def test_a_404_is_an_answer_not_a_success(srv):
    [hop] = fetch(srv.base + "/missing", limits())
    assert hop.status == 404  # capture.py refuses to record it (test_archive_command)


def test_503_is_retried_after_the_wait_it_asks_for(srv):
    srv.busy = 0
    waits: list[float] = []
    hops = fetch(srv.base + "/busy", limits(sleep=waits.append))
    assert [h.status for h in hops] == [200]
    assert waits == [1.0]


def test_the_slow_server_is_left_within_the_timeout(srv):
    import time

    t = time.monotonic()
    with pytest.raises(FetchFailed):
        fetch(srv.base + "/slow", limits(timeout=0.3))
    assert time.monotonic() - t < 2.0  # the server answers after 3 s


def test_proxies_come_from_the_environment(srv, monkeypatch):
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", srv.base)
    monkeypatch.setenv("HTTP_PROXY", srv.base)
    [hop] = fetch("http://bron.invalid/page", limits(proxies=None))
    assert hop.status == 404  # answered by the proxy (the test server), which knows no such path
    assert srv.seen[-1][0] == "http://bron.invalid/page"  # the absolute form: a proxy request


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=0, max_value=3000), chunked=st.booleans(), limit=st.integers(1000, 2000))
def test_a_body_is_kept_up_to_the_limit_and_refused_past_it(srv, size, chunked, limit):
    url = f"{srv.base}/{'chunked' if chunked else 'sized'}/{size}"
    if size <= limit:
        [hop] = fetch(url, limits(max_bytes=limit))
        assert len(hop.body) == size
    else:
        with pytest.raises(FetchFailed, match=f"limit of {limit:,} bytes"):
            fetch(url, limits(max_bytes=limit))
