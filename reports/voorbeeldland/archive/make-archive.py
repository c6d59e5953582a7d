#!/usr/bin/env python3
"""Capture the (fictional) sources of the example report into this archive.

Usage: python reports/voorbeeldland/archive/make-archive.py [REPORT_DIR]
(from the repository root, with abuild importable; default REPORT_DIR: the
report this script is in).

Voorbeeldland does not exist, so neither do the pages its sources cite. This
script serves a small made-up page for every public source with a URL from
a local HTTP server (127.0.0.1 only) and runs abuild archive's own capture
on them, the address connected to being the local server's while the
request and the WARC records keep the source's URL (as a test proxy would).
Every capture is recorded in sources.yaml the way ``abuild archive``
records it. Nothing leaves the machine. tests/archive/test_example.py runs
this script on a copy of the report.
"""

from __future__ import annotations

import html
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from ambtsbericht_build.archive.capture import capture_all, targets
from ambtsbericht_build.archive.fetch import Limits
from ambtsbericht_build.archive.record import record
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report


def _key(url: str) -> str:
    parts = urlsplit(url)
    return f"/{parts.hostname}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _page(title: str, who: str, issued: str) -> bytes:
    t, w = html.escape(title), html.escape(who)
    return (
        f"<!doctype html>\n<html lang=en><meta charset=utf-8><title>{t}</title>\n"
        f"<h1>{t}</h1>\n<p>{w}, {html.escape(issued)}.</p>\n"
        "<p>Fictional page of the abuild example report: Voorbeeldland does not exist.</p>\n</html>\n"
    ).encode()


def main(report_dir: Path) -> int:
    diags = Diagnostics()
    lr = load_report(report_dir, diags)
    if lr is None:
        print(f"{report_dir} cannot be read", file=sys.stderr)
        return 1
    todo = targets(lr)
    pages: dict[str, bytes] = {}
    for s in todo:
        src = s.source
        who = src.publisher or next((a.literal or a.family or "" for a in src.author or []), "") or ""
        pages[_key(str(src.URL))] = _page(src.title or src.id, who, str(src.issued or "undated"))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            body = body or b"not found\n"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        where = report_dir / "archive"
        where.mkdir(exist_ok=True)
        outcomes = capture_all(lr, todo, where, Limits(proxies={}), route=lambda url: base + _key(url))
    finally:
        srv.shutdown()
        srv.server_close()
    records: dict[Path, dict[str, dict[str, object]]] = {}
    for o in outcomes:
        print(f"{'captured' if o.ok else 'FAILED'} {o.entry.source.id}: {o.message}", file=sys.stderr)
        if o.record is not None:
            records.setdefault(o.record_in, {})[o.entry.source.id] = o.record
    record(records)
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]))
