"""A local HTTP server with the answers abuild archive must handle: pages, a
PDF, redirects (also to ``file:``), a 404, a slow answer, oversized ones
(with and without Content-Length), a 503 that asks to retry.

Only 127.0.0.1 is listened on; nothing leaves the machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"<!doctype html><html lang=en><title>Testland 2025</title><h1>Testland 2025</h1><p>Events of 2024.</p></html>\n"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SLOW_SECONDS = 3.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: TestServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the slow answer)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path
        self.server.seen.append((path, dict(self.headers)))
        if path == "/page":
            self._send(200, PAGE)
        elif path == "/report.pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/moved":
            self._send(301, b"moved\n", Location="/page")
        elif path == "/to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        elif path == "/loop":
            self._send(302, b"", Location="/loop")
        elif path == "/missing":
            self._send(404, b"<h1>Not Found</h1>\n")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, PAGE)
        elif path.startswith("/sized/"):
            self._send(200, b"x" * int(path.rsplit("/", 1)[1]), "text/plain")
        elif path.startswith("/chunked/"):
            self._chunked(int(path.rsplit("/", 1)[1]))
        elif path == "/busy":
            self.server.busy += 1
            if self.server.busy == 1:
                self._send(503, b"busy\n", Retry_After="1")
            else:
                self._send(200, PAGE)
        elif path == "/busy-long":
            self._send(503, b"busy\n", Retry_After="3600")
        else:
            self._send(404, b"<h1>Not Found</h1>\n")

    def _chunked(self, size: int) -> None:
        """``size`` bytes without a Content-Length: only reading shows how many."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        left = size
        try:
            while left:
                n = min(left, 8192)
                self.wfile.write(f"{n:x}\r\n".encode() + b"y" * n + b"\r\n")
                left -= n
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its limit


class TestServer(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[tuple[str, dict[str, str]]]
    busy: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving() -> Iterator[TestServer]:
    srv = TestServer(("127.0.0.1", 0), Handler)
    srv.seen, srv.busy = [], 0
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
