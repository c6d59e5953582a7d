"""Nothing is fetched: a report full of remote references is checked and
rendered while a local HTTP server counts every connection it receives."""

from __future__ import annotations

import base64
import os
import re
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


# --- the HTML output forbids every request itself (Content-Security-Policy) -----------------

CHROMIUM = Path(os.environ.get("ABUILD_CHROMIUM", "/usr/bin/chromium"))


def _hostile(base: str) -> str:
    """Everything a browser loads by itself, as if it had slipped past the audit."""
    return f"""
<img src="{base}/img.png" alt="a"><img srcset="{base}/srcset.png 1x" alt="b">
<picture><source srcset="{base}/source.png"><img alt="c" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></picture>
<link rel="stylesheet" href="{base}/style.css"><link rel="preload" as="image" href="{base}/preload.png">
<link rel="icon" href="{base}/favicon.ico"><link rel="prefetch" href="{base}/prefetch">
<style>@import url("{base}/import.css"); .x {{ background: url({base}/bg.png) }}
@font-face {{ font-family: F; src: url({base}/font.woff) }} .f {{ font-family: F }}</style>
<p class="x f">x</p><p style="background-image: image-set('{base}/set.png' 1x)">y</p>
<script src="{base}/script.js"></script><script>fetch("{base}/fetch"); new Image().src = "{base}/js.png";</script>
<object data="{base}/object"></object><embed src="{base}/embed">
<video poster="{base}/poster.png" src="{base}/video.mp4"></video><audio src="{base}/audio.mp3" autoplay></audio>
<svg><image href="{base}/svg.png" width="10" height="10"/></svg>
<form action="{base}/form"><input type="image" src="{base}/input.png" alt="d"></form>
"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make browser)")
def test_the_html_output_lets_a_browser_request_nothing(server, tmp_path):
    """The rendered HTML's Content-Security-Policy, tested in Chromium: with
    every kind of loading markup added to the page, 0 connections; the same
    page without the policy makes many (so the test can fail)."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = make_remote_report(tmp_path, base)
    # AB401 (remote) refuses a render; this tests the defence behind it
    result = render_report(
        report, RenderOptions(out_dir=tmp_path / "out", formats=("html",), refuse_confidentiality=False)
    )
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in html
    pages = {
        "with.html": html.replace("</main>", _hostile(base) + "</main>"),
        # Chromium opens a TCP connection for an <iframe> (0 bytes sent, no
        # request) even under frame-src 'none': the audit refuses <iframe>
        # (active content), and the render never writes one
        "iframe.html": html.replace("</main>", f'<iframe src="{base}/frame"></iframe></main>'),
    }
    pages["without.html"] = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", pages["with.html"])
    connections, requests = {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        try:
            for name, text in pages.items():
                (tmp_path / name).write_text(text, encoding="utf-8")
                before = server.connections
                page = browser.new_page()
                page.goto((tmp_path / name).as_uri(), wait_until="load")
                page.wait_for_timeout(1500)  # late loads: fonts, preloads, script fetches
                page.close()
                connections[name] = server.connections - before
                requests[name] = list(server.paths)
                server.paths.clear()
        finally:
            browser.close()
    assert connections["with.html"] == 0 and requests["with.html"] == []
    assert requests["iframe.html"] == []
    assert len(requests["without.html"]) >= 15, requests  # what the policy stopped


_SPELLINGS = [
    "background: url(http://h.example/a.png)",
    "background: URL( 'http://h.example/a.png' )",
    "background: u\\72l(http://h.example/a.png)",
    "background: \\75 rl(http://h.example/a.png)",
    "background: &#117;rl(http://h.example/a.png)",
    "background: u&#x5c;72l(http://h.example/a.png)",
    "background:/**/url(//h.example/a.png)",
    "background: url(a.png)",  # relative: still a load, and not ours
    "background: url(data:image/png;base64,AAAA)",  # nothing of ours has a style attribute with a url
    "background-image: image-set('http://h.example/a.png' 1x)",
    "background-image: -webkit-image-set(url(http://h.example/a.png) 1x)",
    "mask: image(http://h.example/a.png)",
    "content: src('http://h.example/a.png')",
]


@pytest.mark.parametrize("css", _SPELLINGS)
def test_a_style_attribute_that_loads_anything_is_refused(css):
    from ambtsbericht_build.publish.extract import Extracted, extract_html

    ex = Extracted(Path("x.html"))
    extract_html(f'<p style="{css}">x</p>', ex)
    assert any(kind == "remote resource" for _, kind, _ in ex.problems), (css, ex.problems)


@pytest.mark.parametrize(
    "css",
    [
        '@import "http://h.example/x.css";',
        "@\\69mport url(x.css);",
        "@IMPORT url(//h.example/x.css);",
        "p { background: u\\72l(https://h.example/a.png) }",
        "@font-face { src: url(http://h.example/f.woff) }",
    ],
)
def test_a_style_element_that_loads_anything_remote_is_refused(css):
    from ambtsbericht_build.publish.extract import Extracted, extract_html

    ex = Extracted(Path("x.html"))
    extract_html(f"<style>{css}</style><p>x</p>", ex)
    assert any(kind == "remote resource" for _, kind, _ in ex.problems), (css, ex.problems)


def test_our_own_css_is_not_refused():
    from ambtsbericht_build.publish.extract import Extracted, extract_html

    ex = Extracted(Path("x.html"))
    extract_html(
        '<style>@font-face { src: url("NotoSans-Regular.ttf") } @page { background: url("data:image/svg+xml,x") }'
        '</style><svg><rect fill="url(#g)" style="fill: url(#g)"/></svg>',
        ex,
    )
    assert ex.problems == []


def test_an_escaped_url_in_a_style_attribute_refuses_the_render(server, tmp_path):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    report = make_remote_report(tmp_path, base)
    chapter = report / "chapters" / "01-afstand.md"
    chapter.write_text(
        '# Stijl {#stijl}\n\n## Sectie {#sec-stijl tor="1.1"}\n\n'
        f'[Achtergrond]{{style="background-image: u\\\\72l({base}/bg.png)"}}.[@ngo-rapport]\n',
        encoding="utf-8",
    )
    with pytest.raises(AuditFailed) as err:
        render_report(report, RenderOptions(out_dir=tmp_path / "out", formats=("html",), refuse_confidentiality=False))
    assert any(f.kind == "remote resource" for f in err.value.findings)
    assert server.connections == 0, server.paths


@pytest.mark.parametrize("target_exists", [True, False])
def test_a_symlinked_report_directory_is_refused(tmp_path, target_exists):
    """reports/x committed as a symlink to a report elsewhere: nothing there is
    read, the render is refused, and the message is the same whether the
    target exists or not (it says nothing about the outside)."""
    from ambtsbericht_build.commands.check import check_reports
    from ambtsbericht_build.render.errors import RenderFailed

    outside = tmp_path / "outside" / "geheim"
    if target_exists:
        shutil.copytree(LEAKY, outside)
    root = tmp_path / "repo"
    (root / "reports").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "reports" / "leaky").symlink_to(outside, target_is_directory=True)
    diags = list(check_reports([root / "reports" / "leaky"]))
    assert [(d.code, d.message) for d in diags] == [
        ("AB003", "report directory leaves the repository (a symlink); it is not read")
    ]
    assert "outside" not in str(diags[0]) and "geheim" not in str(diags[0])
    with pytest.raises(RenderFailed):
        render_report(root / "reports" / "leaky", RenderOptions(out_dir=tmp_path / "out"))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("element", ["image", "use", "feImage"])
@pytest.mark.parametrize("attr", ["href", "xlink:href"])
def test_an_embedded_svg_that_refers_outside_is_refused_by_the_audit(element, attr):
    from ambtsbericht_build.publish.extract import Extracted, extract_html

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<{element} {attr}="https://h.example/x.svg#a"/></svg>'
    )
    ex = Extracted(Path("x.html"))
    extract_html(f'<img alt="x" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">', ex)
    assert any(kind == "remote resource" for _, kind, _ in ex.problems), ex.problems


def test_messages_do_not_say_whether_a_path_outside_exists(tmp_path):
    """An image or link out of the repository, by '..' or by a symlink, gets
    the same message whether its target exists or not."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "er.png").write_bytes(_png_with_text("x"))
    root = tmp_path / "repo"
    report = root / "reports" / "escape"
    shutil.copytree(LEAKY, report)
    (root / ".git").mkdir()
    (report / "media" / "link-er.png").symlink_to(outside / "er.png")
    (report / "media" / "link-weg.png").symlink_to(outside / "weg.png")
    (report / "chapters" / "01-veiligheid.md").write_text(
        '# Ontsnapping {#ontsnapping}\n\n## Sectie {#sec-s tor="1.1"}\n\nTekst.[@ngo-rapport]\n\n'
        "![A](../../../outside/er.png)\n\n![B](../../../outside/weg.png)\n\n"
        "![C](media/link-er.png)\n\n![D](media/link-weg.png)\n",
        encoding="utf-8",
    )
    diags = [d for d in check_reports([report]) if d.code in ("AB401", "AB405")]
    messages = [re.sub(r"target \S+ ", "target X ", d.message) for d in diags]
    assert len(messages) == 4 and len(set(messages)) == 1, messages
    assert all(d.code == "AB401" for d in diags)
