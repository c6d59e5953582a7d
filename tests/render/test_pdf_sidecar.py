"""The print HTML (the PDF's page text for the render's audit) is written
before the layout starts, so the audit reads it while the PDF is laid out;
after a pass that changed the HTML it holds the HTML laid out last."""

import pytest

pytest.importorskip("weasyprint")

from ambtsbericht_build.render import pdf  # noqa: E402

HTML = '<html lang="nl"><head><title>t</title></head><body><p class="x">Tekst</p></body></html>'


def test_print_html_written_before_the_layout(tmp_path, monkeypatch):
    out = tmp_path / "r.pdf"
    sidecar = tmp_path / "r.pdf.print.html"
    seen: list[str | None] = []
    layout = pdf._layout

    def watched(html, fetcher):
        seen.append(sidecar.read_text(encoding="utf-8") if sidecar.exists() else None)
        return layout(html, fetcher)

    def revise(document, html):  # one pass that changes the HTML, as keep_notes_with_calls may
        return html.replace('class="x"', 'class="note-break x"')

    monkeypatch.setattr(pdf, "_layout", watched)
    pdf.html_to_pdf(HTML, out, sidecars=True, revise=revise, max_passes=2)
    assert seen[0] == HTML, "the audit's page text exists before the first layout"
    assert len(seen) == 2
    assert sidecar.read_text(encoding="utf-8") == HTML.replace('class="x"', 'class="note-break x"')
    assert out.read_bytes().startswith(b"%PDF")
