"""Nothing is fetched: a report full of remote references is checked and
rendered while a local HTTP server counts every connection it receives."""

from __future__ import annotations

import base64
import shutil
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ambtsbericht_build.commands.check import check_reports
from ambtsbericht_build.render.pdf import LocalOnlyFetcher, html_to_pdf
from ambtsbericht_build.render.pipeline import AuditFailed, RenderOptions, render_report

from .conftest import LEAKY, occurrences


class _Counting(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.connections = 0
        self.paths: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request, client_address):
        self.connections += 1  # counted before any bytes are read: TLS attempts too
        return True


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    srv = _Counting()
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def remote_chapter(base: str) -> str:
    return f"""# Bronnen op afstand {{#afstand}}

## Situatie {{#sec-situatie tor="1.1"}}

Kaart van het gebied.[@ngo-rapport]

![Kaart via http]({base}/img.png)

![Kaart zonder schema](//{base.split("//", 1)[1]}/img2.png){{width=50%}}

![Kaart via https](https://{base.split("//", 1)[1]}/img3.png)

![Kaart via verwijzing][kaart]

[kaart]: {base}/ref.png

Zie de [website]({base}/link) en <{base}/auto>.[@ngo-rapport]

In de tekst: background: url({base}/css.png) en @import "{base}/imp.css";[@ngo-rapport]

<img src="{base}/raw.png" alt="ruw">

<link rel="stylesheet" href="{base}/style.css">

<iframe src="{base}/frame"></iframe>

<object data="{base}/object"></object>

<video poster="{base}/poster.png"></video>

<svg><image href="{base}/svg.png"/></svg>

<style>@import url("{base}/style2.css");</style>
"""


def make_remote_report(root: Path, base: str) -> Path:
    report = root / "reports" / "afstand"
    shutil.copytree(LEAKY, report)
    (root / ".git").mkdir()
    for ch in (report / "chapters").iterdir():
        ch.unlink()
    (report / "chapters" / "01-afstand.md").write_text(remote_chapter(base), encoding="utf-8")
    sources = (report / "sources.yaml").read_text(encoding="utf-8")
    (report / "sources.yaml").write_text(
        sources.replace("https://mensenrechtenwacht.example/jaarrapport-2025", f"{base}/source"), encoding="utf-8"
    )
    return report


def test_check_and_render_make_no_request(server, tmp_path):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = make_remote_report(tmp_path, base)
    diags = check_reports([report])
    assert sum(d.code == "AB401" for d in diags) >= 5
    assert sum(d.code == "AB402" for d in diags) >= 5
    result = render_report(report, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    assert set(result.outputs) == {"html", "pdf", "docx", "odt"}
    assert server.connections == 0, server.paths
    # and nothing in the outputs makes a reader's browser or viewer fetch it
    html = result.outputs["html"].read_text(encoding="utf-8")
    for attr in ("src=", "poster=", "data=", "srcset="):
        assert f'{attr}"{base}' not in html
    assert "<iframe" not in html and '<link rel="stylesheet"' not in html and "@import url" not in html
    assert (
        occurrences(
            [result.outputs["docx"], result.outputs["odt"]],
            ['TargetMode="External" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image'],
        )
        == []
    )


def test_a_remote_url_in_a_style_attribute_is_refused_by_the_audit(server, tmp_path):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = make_remote_report(tmp_path, base)
    chapter = report / "chapters" / "01-afstand.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + f'\n[Achtergrond]{{style="background-image: url({base}/bg.png)"}}.[@ngo-rapport]\n',
        encoding="utf-8",
    )
    with pytest.raises(AuditFailed) as err:
        render_report(
            report, RenderOptions(out_dir=tmp_path / "out", formats=("html", "pdf"), refuse_confidentiality=False)
        )
    assert any(f.kind == "remote resource" for f in err.value.findings)
    assert server.connections == 0, server.paths
    assert not (tmp_path / "out" / "afstand.html").exists()


def test_weasyprint_fetches_nothing(server, tmp_path):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    html = f"""<html><head><link rel="stylesheet" href="{base}/a.css">
<style>@import url("{base}/b.css"); body {{ background: url("{base}/c.png"); }}
@font-face {{ font-family: X; src: url("{base}/font.ttf"); }} p {{ font-family: X }}</style></head>
<body><p>Tekst</p><img src="{base}/d.png" alt="d"><img src="file:///etc/passwd" alt="e">
<object data="{base}/e.svg"></object><svg><image href="{base}/f.png"/></svg></body></html>"""
    html_to_pdf(html, tmp_path / "x.pdf")
    assert (tmp_path / "x.pdf").stat().st_size > 0
    assert server.connections == 0, server.paths


def test_fetcher_refuses_without_requesting(server, tmp_path):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    fetcher = LocalOnlyFetcher([tmp_path / "allowed"])
    (tmp_path / "allowed").mkdir()
    (tmp_path / "allowed" / "ok.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("geheim")
    (tmp_path / "allowed" / "link.css").symlink_to(tmp_path / "secret.txt")
    for url in (
        f"{base}/x.css",
        f"https://127.0.0.1:{server.server_address[1]}/y",
        "ftp://127.0.0.1/z",
        (tmp_path / "secret.txt").as_uri(),
        (tmp_path / "allowed" / "link.css").as_uri(),
        (tmp_path / "allowed" / ".." / "secret.txt").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch((tmp_path / "allowed" / "ok.css").as_uri()).read() == b"p {}"
    assert len(fetcher.refused) == 6
    assert server.connections == 0


def _png_with_text(text: str) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\x10\x20\x30"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00" + text.encode())
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_paths_escaping_the_repository_are_never_read(tmp_path):
    """A symlink out of the repository, '..' and an absolute path: each is a
    diagnostic, and the file's bytes reach no output."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = _png_with_text("OUTSIDE-MARKER-4711")
    (outside / "secret.png").write_bytes(secret)
    root = tmp_path / "repo"
    report = root / "reports" / "escape"
    shutil.copytree(LEAKY, report)
    (root / ".git").mkdir()
    (report / "media" / "escape.png").symlink_to(outside / "secret.png")
    (report / "chapters" / "01-veiligheid.md").write_text(
        '# Ontsnapping {#ontsnapping}\n\n## Sectie {#sec-s tor="1.1"}\n\n'
        "Tekst.[@ngo-rapport]\n\n![Via een symlink](media/escape.png)\n\n"
        "![Via dubbele punten](../../../outside/secret.png)\n\n"
        f"![Absoluut pad]({outside / 'secret.png'})\n\n"
        "[Link naar buiten](../../../outside/secret.png).[@ngo-rapport]\n",
        encoding="utf-8",
    )
    result = render_report(report, RenderOptions(out_dir=tmp_path / "out", refuse_confidentiality=False))
    ab401 = [d.message for d in result.diagnostics if d.code == "AB401"]
    assert sum("outside the repository" in m for m in ab401) >= 3, ab401
    assert any("absolute path" in m for m in ab401), ab401
    marker = base64.b64encode(secret).decode()[:40]
    assert occurrences(result.outputs.values(), ["OUTSIDE-MARKER-4711", marker], case=True) == []
