"""The preview's HTTP server: 127.0.0.1 only, and exactly two addresses:
``/`` (the page) and ``/events`` (the reload channel, Server-Sent Events).
Everything else is 404: there is no directory listing and no file is ever
read from a path in a request."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# the reload channel sends a comment line this often, so that a closed tab
# is noticed (the write fails) and its thread ends within these seconds
HEARTBEAT_SECONDS = 10.0


class Current:
    """The page being served and the number of the build it is from;
    the reload channel waits on it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.page = b""
        self.build = 0
        self.stopping = False
        self.built = threading.Event()  # set once there is a page

    def publish(self, page: str) -> int:
        with self._cond:
            self.build += 1
            self.page = page.encode("utf-8")
            self._cond.notify_all()
            self.built.set()
            return self.build

    def get(self) -> tuple[int, bytes]:
        with self._cond:
            return self.build, self.page

    def wait_newer(self, build: int, timeout: float) -> int:
        """The current build once it is newer than ``build`` (or after
        ``timeout`` seconds, or when the server stops)."""
        with self._cond:
            self._cond.wait_for(lambda: self.build != build or self.stopping, timeout)
            return self.build

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a reload channel still open never holds the stop up
    allow_reuse_address = False

    def __init__(self, port: int, current: Current, csp: str) -> None:
        self.current = current
        self.csp = csp
        self.serving = threading.Event()
        super().__init__(("127.0.0.1", port), _Handler)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.serving.set()
        super().serve_forever(poll_interval)

    def stop(self) -> None:
        """Stop serving and close the port. ``shutdown`` waits for
        ``serve_forever`` to end, and would wait for ever if it never ran
        (Ctrl-C during the first build): then there is nothing to wait for."""
        self.current.stop()
        if self.serving.is_set():
            self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "abuild-preview"
    sys_version = ""

    def version_string(self) -> str:
        return "abuild-preview"

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Requests are not logged: the terminal is for the findings."""

    def _host_ok(self) -> bool:
        """Only the addresses this server is reached at: a page of another
        site that points a name of its own at 127.0.0.1 (DNS rebinding)
        sends its own name as the Host and is refused."""
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self._page(body=False)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        if not self._host_ok():
            self._plain(403, "Forbidden")
        elif path == "/":
            self._page(body=True)
        elif path == "/events":
            self._events()
        else:
            self._plain(404, "Not Found")

    def _plain(self, status: int, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _page(self, body: bool) -> None:
        if urlsplit(self.path).path != "/" or not self._host_ok():
            self._plain(404, "Not Found")
            return
        build, page = self.server.current.get()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Content-Security-Policy", self.server.csp)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Abuild-Preview-Build", str(build))
        self.end_headers()
        if body:
            self.wfile.write(page)

    def _events(self) -> None:
        """``event: build`` with the current build's number, at once and
        whenever it changes, until the browser goes or the server stops."""
        current = self.server.current
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        build = -1
        try:
            while not current.stopping:
                now = current.wait_newer(build, HEARTBEAT_SECONDS)
                if current.stopping:
                    break
                message = f"event: build\ndata: {now}\n\n" if now != build else ": still here\n\n"
                build = now
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded
