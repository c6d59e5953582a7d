"""Faults around the render: which findings refuse which render, and what
is left running when ``abuild`` itself is killed. Real ``abuild render``
processes, real pandoc and WeasyPrint."""

from __future__ import annotations

from tests.fixtures.report_kit import CHAPTER_MD, ReportDir
from tests.render.render_outputs import read_pdf

MISSING = "\n![Kaart van het noorden](media/ontbreekt.png){#fig-kaart}\n"
REMOTE = "\n![Kaart van het noorden](https://tegels.example/noord.png){#fig-kaart}\n"


def render(report: ReportDir, *formats: str):
    return report.cli("render", report.rel, "--to", ",".join(formats), timeout=300)


def test_a_missing_local_image_does_not_refuse_a_concept(report):
    """AB408 is an ordinary error: the concept renders, with the placeholder
    where the image would be, in the HTML and in the PDF."""
    report.chapter(CHAPTER_MD + MISSING)
    proc = render(report, "html", "pdf")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "AB408" in proc.stdout + proc.stderr
    out = report.root / "build" / "testland"
    html = (out / "testland.html").read_text(encoding="utf-8")
    assert '<span class="missing-image">[afbeelding ontbreekt: Kaart van het noorden]</span>' in html
    text = " ".join(" ".join(page.text.split()) for page in read_pdf(out / "testland.pdf"))
    assert "[afbeelding ontbreekt: Kaart van het noorden]" in text


def test_a_missing_local_image_refuses_a_final_report(report):
    final = report.path("report.yaml").read_text().replace("status: concept", "status: vastgesteld")
    report.write("report.yaml", final)
    report.chapter(CHAPTER_MD + MISSING)
    proc = render(report, "html")
    assert proc.returncode != 0
    assert "AB408" in proc.stdout + proc.stderr and "final" in proc.stderr
    assert not (report.root / "build" / "testland" / "testland.html").exists()


def test_a_remote_image_refuses_even_a_concept(report):
    report.chapter(CHAPTER_MD + REMOTE)
    proc = render(report, "html")
    assert proc.returncode != 0
    assert "confidentiality finding(s) (AB401)" in proc.stderr, proc.stderr[-2000:]
    assert not (report.root / "build" / "testland" / "testland.html").exists()
