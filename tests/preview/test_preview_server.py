"""The preview server serves its page and its reload channel, on 127.0.0.1,
and nothing else: every other path, however spelt, is 404."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.preview.server import Current, PreviewServer


@pytest.fixture
def server(tmp_path):
    (tmp_path / "secret.txt").write_text("geheim")
    current = Current()
    current.publish("<!DOCTYPE html><html><body>pagina een</body></html>")
    srv = PreviewServer(0, current, "default-src 'none'")
    t = threading.Thread(target=srv.serve_forever)
    t.start()
    yield srv
    srv.stop()
    t.join(10)
    assert not t.is_alive()


def get(srv, path, host=None, method="GET"):
    port = srv.server_address[1]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest(method, path, skip_host=True)
    c.putheader("Host", host or f"127.0.0.1:{port}")
    c.endheaders()
    r = c.getresponse()
    body = r.read() if not path.startswith("/events") else b""
    return r, body


def test_bound_to_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1"


def test_serves_the_page_with_its_policy(server):
    r, body = get(server, "/")
    assert r.status == 200 and body == b"<!DOCTYPE html><html><body>pagina een</body></html>"
    assert r.getheader("Content-Security-Policy") == "default-src 'none'"
    assert r.getheader("Cache-Control") == "no-store"
    assert get(server, "/?scroll=1")[0].status == 200
    assert get(server, "/", host=f"localhost:{server.server_address[1]}")[0].status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/secret.txt",
        "/index.html",
        "/./",
        "/%2F",
        "/events/../../etc/passwd",
        "/\\..\\etc\\passwd",
        "http://127.0.0.1/etc/passwd",
    ],
)
def test_nothing_else_is_served(server, path):
    r, body = get(server, path)
    assert r.status == 404, path
    assert b"geheim" not in body and b"root:" not in body


def test_another_host_name_is_refused(server):
    """DNS rebinding: a site that resolves its own name to 127.0.0.1."""
    r, body = get(server, "/", host="evil.example:80")
    assert r.status == 403 and b"pagina" not in body


def test_reload_channel_says_the_current_build_and_the_next(server):
    port = server.server_address[1]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/events")
    r = c.getresponse()
    assert r.status == 200 and r.getheader("Content-Type").startswith("text/event-stream")
    assert r.readline() == b"event: build\n" and r.readline() == b"data: 1\n" and r.readline() == b"\n"
    server.current.publish("<html><body>pagina twee</body></html>")
    assert r.readline() == b"event: build\n" and r.readline() == b"data: 2\n"
    assert get(server, "/")[1] == b"<html><body>pagina twee</body></html>"
    c.close()


PATH_CHARS = "/.\\%2eEfF5cC0a-z?#&=;:@~+!$'()*,"


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    current = Current()
    current.publish("<html><body>de pagina</body></html>")
    srv = PreviewServer(0, current, "default-src 'none'")
    t = threading.Thread(target=srv.serve_forever)
    t.start()
    yield srv
    srv.stop()
    t.join(10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rest=st.text(alphabet=PATH_CHARS, max_size=40))
def test_any_path_is_the_page_or_404(shared_server, rest):
    """Whatever the path: the page (only for "/" itself, with any query) or
    404 with two words, never a file, a listing or an error page."""
    path = "/" + rest
    # http.server reads "//x" as "/x" (CPython's fix of an open redirect, gh-87389)
    seen = urlsplit("/" + path.lstrip("/")).path
    if seen == "/events":
        return  # the reload channel streams: tested above
    r, body = get(shared_server, path)
    if seen == "/":
        assert r.status == 200 and body == b"<html><body>de pagina</body></html>"
    else:
        assert (r.status, body) == (404, b"Not Found\n"), path
