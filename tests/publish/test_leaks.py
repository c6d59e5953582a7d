"""Nothing confidential leaves: real renders of the leaky fixture report,
read byte by byte without abuild's own extractor."""

from __future__ import annotations

import getpass
import json
import zipfile

import pikepdf
import pytest

from ambtsbericht_build.commands.check import CheckOptions
from ambtsbericht_build.render.pipeline import RenderOptions, render_report

from .conftest import ACTIVE, SECRETS, abuild_cmd, make_leaky_repo, occurrences

ISSUER = "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten"


def test_the_byte_search_sees_the_text_of_every_format(leaky):
    """Control: what is printed is found in every format by the search the
    other tests rely on (so its silence about the secrets means something)."""
    _, _, outputs = leaky
    for fmt, path in outputs.items():
        assert occurrences([path], ["Lekland Mensenrechtenwacht", "Vertrouwelijke bron"]) != [], fmt
        found = {
            o.rsplit(": ", 1)[1] for o in occurrences([path], ["Lekland Mensenrechtenwacht", "Vertrouwelijke bron"])
        }
        assert found == {"Lekland Mensenrechtenwacht", "Vertrouwelijke bron"}, fmt


def test_no_confidential_value_in_any_output(leaky):
    _, _, outputs = leaky
    assert occurrences(outputs.values(), SECRETS) == []


def test_no_path_of_the_build_in_any_output(leaky):
    result, report, outputs = leaky
    root = report.parent.parent
    paths = [str(root), str(root.resolve()), str(outputs["html"].parent), "file:/", "/home/", "/root/"]
    import tempfile

    paths.append(tempfile.gettempdir() + "/")
    assert occurrences(outputs.values(), paths, case=True) == []


def test_no_user_name_in_any_output(leaky):
    _, _, outputs = leaky
    names = ["Fixture Author", "fixture@example.invalid"]
    login = getpass.getuser()
    found = occurrences(outputs.values(), names)
    assert found == []
    # a login like "root" is an ordinary word: look for it where metadata is
    with pikepdf.open(outputs["pdf"]) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert login not in json.dumps(info) and f">{login}<" not in xmp
    for fmt, part in (("docx", "docProps/core.xml"), ("docx", "docProps/app.xml"), ("odt", "meta.xml")):
        with zipfile.ZipFile(outputs[fmt]) as z:
            assert f">{login}<" not in z.read(part).decode("utf-8"), (fmt, part)


def test_author_metadata_is_the_issuer(leaky):
    _, _, outputs = leaky
    with pikepdf.open(outputs["pdf"]) as pdf:
        assert str(pdf.docinfo["/Author"]) == ISSUER
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:creator") == [ISSUER]
    with zipfile.ZipFile(outputs["docx"]) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        assert f"<dc:creator>{ISSUER}</dc:creator>" in core
        assert "lastModifiedBy" not in core or f"<cp:lastModifiedBy>{ISSUER}<" in core
    with zipfile.ZipFile(outputs["odt"]) as z:
        meta = z.read("meta.xml").decode("utf-8")
        assert f"<meta:initial-creator>{ISSUER}</meta:initial-creator>" in meta
        assert f"<dc:creator>{ISSUER}</dc:creator>" in meta
    assert f'<meta name="author" content="{ISSUER}">' in outputs["html"].read_text(encoding="utf-8")


def test_confidential_source_printed_only_as_vertrouwelijke_bron(leaky):
    _, _, outputs = leaky
    html = outputs["html"].read_text(encoding="utf-8")
    # day and month tied by a non-breaking space (render/typography.py)
    assert "Vertrouwelijke bron, 4\u00a0november\u00a02025" in html
    assert "Vertrouwelijke bron, 1\u00a0december\u00a02025" in html


def test_no_active_content_in_any_output(leaky):
    """<script>, event handlers and javascript: links in a chapter never reach an output."""
    _, _, outputs = leaky
    assert occurrences(outputs.values(), ACTIVE) == []


def test_raw_html_is_a_diagnostic(leaky):
    result, _, _ = leaky
    raw = [d for d in result.diagnostics if d.code == "AB402"]
    assert {m for d in raw for m in ("<script>", "onerror", "onclick", "javascript:") if m in d.message} == {
        "<script>",
        "onerror",
        "onclick",
        "javascript:",
    }


def test_remote_and_escaping_images_are_diagnostics_and_not_embedded(leaky):
    result, _, outputs = leaky
    ab401 = [d.message for d in result.diagnostics if d.code == "AB401"]
    assert any("tegels.example" in m and "remote" in m for m in ab401)
    assert any("etc/passwd" in m and "outside the repository" in m for m in ab401)
    html = outputs["html"].read_text(encoding="utf-8")
    assert "tegels.example" not in html and "root:x:0:0" not in html
    assert 'class="missing-image"' in html


def test_local_links_carry_no_path_into_the_pdf(leaky):
    """A relative link would resolve against the templates directory and
    put an absolute file:// path into a PDF link annotation."""
    _, _, outputs = leaky
    uris = []
    with pikepdf.open(outputs["pdf"]) as pdf:
        for page in pdf.pages:
            for a in page.obj.get("/Annots") or []:
                act = a.get("/A")
                if act is not None and act.get("/URI") is not None:
                    uris.append(str(act.URI))
    assert "https://mensenrechtenwacht.example/" in uris
    assert not [u for u in uris if not u.startswith("https://")]


def test_script_never_reaches_an_output_even_without_checks(tmp_path):
    """With every check skipped, the sanitising of the document still drops raw HTML."""
    report = make_leaky_repo(tmp_path, real_git=False)
    result = render_report(
        report,
        RenderOptions(
            out_dir=tmp_path / "out", formats=("html", "docx", "odt", "pdf"), check=CheckOptions(select=set())
        ),
    )
    assert len(result.diagnostics) == 0  # nothing was checked
    assert occurrences(result.outputs.values(), ACTIVE) == []
    assert occurrences(result.outputs.values(), SECRETS) == []


def test_abuild_audit_finds_the_rendered_outputs_clean(leaky):
    import subprocess

    _, report, outputs = leaky
    proc = subprocess.run(
        [*abuild_cmd(), "audit", str(outputs["html"].parent), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 file(s) clean" in proc.stderr  # four outputs and the manifest


@pytest.mark.parametrize("status", ["vastgesteld", "gepubliceerd"])
def test_final_report_with_todo_or_intern_is_refused(tmp_path, status):
    """AB502 through render: a final report with TODO/FIXME or ::: intern renders nothing."""
    from .conftest import with_status

    report = make_leaky_repo(tmp_path, real_git=False, report_yaml=with_status(status))
    out = tmp_path / "out"
    result = render_report(report, RenderOptions(out_dir=out))
    assert result.refused
    ab502 = [d.message for d in result.diagnostics if d.code == "AB502"]
    assert any("TODO" in m for m in ab502) and any("intern" in m for m in ab502)
    assert not result.outputs
    assert not out.exists() or not any(out.iterdir())


def test_final_report_refused_through_the_cli(tmp_path):
    import subprocess

    from .conftest import with_status

    report = make_leaky_repo(tmp_path, real_git=False, report_yaml=with_status("vastgesteld"))
    proc = subprocess.run(
        [*abuild_cmd(), "render", str(report), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "AB502" in proc.stderr and "refused" in proc.stderr
