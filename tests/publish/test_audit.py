"""abuild audit finds what must not be there, in every part of every format,
and says where without repeating the value."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest

from ambtsbericht_build.commands.audit import audit_outputs
from ambtsbericht_build.publish.forbidden import scan_chapter

from .conftest import abuild_cmd

WHO = "Informant Wielewaal-7731 bij de havenpolitie van Noordstad"
NOTE = "De bron vreest represailles tegen zijn familie in Zuiddorp"
INTERN = "De informant wil absoluut niet herkend worden"
COMMENT = "de passage over Zuiddorp is gecontroleerd door bron Kwikstaart"


@pytest.fixture()
def copies(leaky, tmp_path):
    """Fresh copies of the leaky report's outputs, to tamper with."""
    _, report, outputs = leaky
    out = {fmt: Path(shutil.copy(p, tmp_path / p.name)) for fmt, p in outputs.items()}
    return report, out


def run(files, report=None, deny=()):
    return audit_outputs([Path(f) for f in files], report, deny).findings


def kinds(findings):
    return {(f.part, f.kind) for f in findings}


def test_clean_copies_are_clean(copies):
    report, out = copies
    assert run(out.values(), report) == []


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, inject, part",
    [
        ("text", f"<p>{WHO}</p>", "HTML text"),
        ("attribute", f'<span title="{WHO}">x</span>', "HTML attribute title"),
        ("comment", f"<!-- {WHO} -->", "HTML comments"),
    ],
)
def test_html_internal_value_found_in_text_attribute_comment(copies, where, inject, part):
    report, out = copies
    html = out["html"]
    html.write_text(html.read_text(encoding="utf-8").replace("</main>", inject + "</main>"), encoding="utf-8")
    findings = run([html], report)
    assert (part, "internal field") in kinds(findings), findings
    f = next(f for f in findings if f.part == part)
    assert f.file.endswith("leaky.html")
    assert WHO not in str(f) and "Wielewaal" not in str(f)
    # no part of the value, not its first characters, not its length
    assert "Inf" not in str(f) and str(len(WHO)) not in str(f.what)
    assert f.what in {"rare word", "reference number", "run of words", "name", "whole value"}
    assert "internal.who" in f.origin and "source " in f.origin
    assert "sources.yaml" in f.origin and "internal.who" in f.origin


def test_html_one_sentence_of_a_long_internal_note_is_found(copies):
    report, out = copies
    html = out["html"]
    # typography the renderers add must not hide it: curly quotes, nbsp, soft hyphen
    text = NOTE.replace(" ", "\u00a0", 2).replace("represailles", "repre\u00adsailles")
    html.write_text(
        html.read_text(encoding="utf-8").replace("</main>", f"<p><em>{text}</em>.</p></main>"), encoding="utf-8"
    )
    assert ("HTML text", "internal field") in kinds(run([html], report))


def test_html_intern_block_and_comment_text_found(copies):
    report, out = copies
    html = out["html"]
    html.write_text(
        html.read_text(encoding="utf-8").replace("</main>", f"<p>{INTERN}.</p><p>Redactie: {COMMENT}.</p></main>"),
        encoding="utf-8",
    )
    k = kinds(run([html], report))
    assert ("HTML text", "::: intern block") in k and ("HTML text", "HTML comment") in k


def test_no_false_positive_for_a_path_inside_a_url(copies):
    report, out = copies
    html = out["html"]
    html.write_text(
        html.read_text(encoding="utf-8").replace(
            "</main>", '<p><a href="https://example.org/tmp/root/home/x">https://example.org/tmp/x</a></p></main>'
        ),
        encoding="utf-8",
    )
    assert run([html], report) == []


def test_html_paths_and_active_content(copies, tmp_path):
    report, out = copies
    html = out["html"]
    html.write_text(
        html.read_text(encoding="utf-8").replace(
            "</main>",
            f"<p>Gebouwd in {report.parent.parent}/build</p><script>x()</script>"
            '<img src="https://tracker.example/p.gif" alt=""><div onclick="y()">z</div>'
            '<a href="javascript:z()">a</a></main>',
        ),
        encoding="utf-8",
    )
    findings = run([html], report)
    k = {f.kind for f in findings}
    assert {"file system path", "active content", "remote resource"} <= k
    active = " ".join(f.what for f in findings if f.kind == "active content")
    assert "<script>" in active and "onclick" in active and "javascript" in active


def test_deny_list_from_report_and_command_line(copies):
    report, out = copies
    html = out["html"]
    html.write_text(
        html.read_text(encoding="utf-8").replace("</main>", "<p>Operatie  Zilvermeeuw</p></main>"), encoding="utf-8"
    )
    assert ("HTML text", "deny list") in kinds(run([html], report))
    # without the report only --deny counts
    assert run([html]) == []
    assert ("HTML text", "deny list") in kinds(run([html], deny=["zilvermeeuw"]))
    assert run([html], deny=["Zilver"]) == []  # whole words only: "Zilver" is not "Zilvermeeuw"


# --- DOCX / ODT -------------------------------------------------------------------------------


def rewrite_zip(path: Path, name: str, fn) -> None:
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, fn(data) if info.filename == name else data)
    path.write_bytes(buf.getvalue())


def test_docx_intern_text_split_over_runs_is_found(copies):
    report, out = copies
    a, b = INTERN[:17], INTERN[17:]
    runs = f'<w:p><w:r><w:t xml:space="preserve">{a}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{b}</w:t></w:r></w:p>'
    rewrite_zip(out["docx"], "word/document.xml", lambda d: d.replace(b"</w:body>", runs.encode() + b"</w:body>"))
    findings = run([out["docx"]], report)
    assert ("word/document.xml text", "::: intern block") in kinds(findings), findings


def test_docx_core_properties_user_and_path(copies):
    report, out = copies
    root = str(report.parent.parent)

    def fn(d):
        return d.replace(
            b"</cp:coreProperties>",
            f"<cp:lastModifiedBy>Fixture Author</cp:lastModifiedBy><dc:subject>{root}</dc:subject>"
            "</cp:coreProperties>".encode(),
        )

    rewrite_zip(out["docx"], "docProps/core.xml", fn)
    k = kinds(run([out["docx"]], report))
    assert ("docProps/core.xml text", "user name") in k
    assert ("docProps/core.xml text", "file system path") in k


def test_docx_generic_login_found_only_in_metadata(copies):
    """A login like "root" is looked for in metadata, not in body text."""
    import getpass

    report, out = copies
    login = getpass.getuser()
    rewrite_zip(
        out["docx"],
        "docProps/core.xml",
        lambda d: d.replace(
            b"</cp:coreProperties>", f"<cp:lastModifiedBy>{login}</cp:lastModifiedBy></cp:coreProperties>".encode()
        ),
    )
    assert ("docProps/core.xml text", "user name") in kinds(run([out["docx"]], report))


def test_odt_comment_text_in_content_and_macro_part(copies):
    report, out = copies
    rewrite_zip(
        out["odt"],
        "content.xml",
        lambda d: d.replace(b"</office:text>", f"<text:p>{COMMENT}</text:p></office:text>".encode()),
    )
    with zipfile.ZipFile(out["odt"], "a") as z:
        z.writestr("Basic/Standard/Module1.xml", "<script/>")
    findings = run([out["odt"]], report)
    k = kinds(findings)
    assert ("content.xml text", "HTML comment") in k
    assert any(f.kind == "active content" and f.part.startswith("Basic/") for f in findings)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_metadata_xmp_outline_annotation_attachment(copies):
    report, out = copies
    pdf_path = out["pdf"]
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:description"] = f"built in {report.parent.parent}"
        pdf.docinfo["/Author"] = "Fixture Author"
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(INTERN, 0))
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[0, 0, 10, 10],
                Contents=pikepdf.String("Operatie Zilvermeeuw"),
            )
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, f"{NOTE}.".encode())
        pdf.save(pdf_path)
    findings = run([pdf_path], report)
    k = kinds(findings)
    assert ("PDF document info", "user name") in k
    assert ("PDF XMP metadata", "file system path") in k
    assert ("PDF outline", "::: intern block") in k
    assert ("PDF annotations on page 1", "deny list") in k
    assert any(f.part.startswith("PDF attachment") and f.kind == "internal field" for f in findings), findings


def test_pdf_page_text_is_extracted_in_full(copies, tmp_path):
    """abuild audit reads the PDF's text: a confidential value printed on a page is found."""
    from ambtsbericht_build.render.pdf import html_to_pdf

    report, out = copies
    pdf = tmp_path / "printed.pdf"
    html_to_pdf(f"<html><body><p>Zo staat het er: {WHO}.</p></body></html>", pdf)
    findings = run([pdf], report)
    assert ("PDF page 1 text", "internal field") in kinds(findings), findings


def test_pdf_javascript_is_active_content(copies):
    report, out = copies
    with pikepdf.open(out["pdf"], allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )
        pdf.save(out["pdf"])
    assert any(f.kind == "active content" for f in run([out["pdf"]], report))


# --- the command ---------------------------------------------------------------------------------


def test_cli_exit_status_and_redacted_findings(copies):
    report, out = copies
    cmd = [*abuild_cmd(), "audit"]
    ok = subprocess.run([*cmd, str(out["html"]), "--report", str(report)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    html = out["html"]
    html.write_text(html.read_text(encoding="utf-8").replace("</main>", f"<p>{WHO}</p></main>"), encoding="utf-8")
    bad = subprocess.run(
        [*cmd, str(html), "--report", str(report), "--deny", "Lekland Mensenrechtenwacht"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert re.search(r"leaky\.html: HTML text: internal field \([a-z -]+\) \[source \S+ internal\.who ", bad.stdout)
    assert "deny list (whole value) [--deny #1]" in bad.stdout
    assert "Inf…" not in bad.stdout and "Lek" not in bad.stdout and "chars)" not in bad.stdout
    assert "Wielewaal" not in bad.stdout + bad.stderr and "Mensenrechtenwacht" not in bad.stdout + bad.stderr
    js = subprocess.run(
        [*cmd, str(html), "--report", str(report), "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert js.returncode == 1 and '"kind": "internal field"' in js.stdout and "Wielewaal" not in js.stdout
    usage = subprocess.run([*cmd, str(html.with_name("missing.pdf"))], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2


# --- what the scanner takes from chapters -------------------------------------------------------------


def test_scan_chapter_intern_blocks_and_comments():
    text = "\n".join(
        [
            "Tekst <!-- een opmerking van de redactie -->.",
            "",
            "::: {.intern}",
            "Buitenste notitie.",
            "::: geen-bron",
            "Binnenste notitie.",
            ":::",
            ":::",
            "",
            "```",
            "<!-- geen commentaar: code -->",
            "::: intern",
            "```",
            "`<!-- ook code -->`",
            "::: {#x .intern}",
            "Niet gesloten.",
        ]
    )
    interns, comments = scan_chapter(text)
    assert [t for _, t in comments] == [" een opmerking van de redactie "]
    assert [(line, re.sub(r"\s+", " ", t).strip()) for line, t in interns] == [
        (3, "Buitenste notitie. Binnenste notitie."),
        (15, "Niet gesloten."),
    ]


# --- pieces of secrets, disguised, in real rendered files (issue #10) --------------------------------

# pieces of the leaky report's internal fields, as a drafter might paste them
# and as a renderer or an editor might change them: a reference number with
# other separators, a phone number grouped otherwise, a name with a zero-width
# space and Cyrillic look-alikes, an e-mail address percent-encoded in a link
PIECES = [
    ("dossier ZX 99812", "reference number"),
    ("bel 06-98765432", "number"),
    ("bron Wiele\u200bwаal", "rare word"),  # Cyrillic а
    ('<a href="mailto:wielewaal-7731%40veilig.example">mail</a>', None),
]


@pytest.mark.parametrize("fmt", ["html", "docx", "odt", "pdf"])
def test_disguised_pieces_of_internal_values_are_found_in_every_format(copies, fmt):
    """Fails on a main that matched whole internal values only: none of these
    is a whole value."""
    report, out = copies
    path = out[fmt]
    if fmt == "html":
        html = "".join(f"<p>{p}</p>" for p, _ in PIECES)
        path.write_text(path.read_text(encoding="utf-8").replace("</main>", html + "</main>"), encoding="utf-8")
    elif fmt in ("docx", "odt"):
        texts = [re.sub(r"<[^>]+>", "", p) for p, _ in PIECES[:3]]
        if fmt == "docx":
            xml = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
            rewrite_zip(path, "word/document.xml", lambda d: d.replace(b"</w:body>", xml.encode() + b"</w:body>"))
        else:
            xml = "".join(f"<text:p>{t}</text:p>" for t in texts)
            rewrite_zip(path, "content.xml", lambda d: d.replace(b"</office:text>", xml.encode() + b"</office:text>"))
    else:
        # the PDF's own strings: a bookmark and a link annotation's URI
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            with pdf.open_outline() as outline:
                outline.root.append(pikepdf.OutlineItem("dossier ZX 99812 en bel 06-98765432", 0))
            annot = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 10, 10],
                    A=pikepdf.Dictionary(
                        S=pikepdf.Name.URI, URI=pikepdf.String("https://x.example/?q=Wiele%E2%80%8Bwaal")
                    ),
                )
            )
            pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
            pdf.save(path)
    findings = [f for f in run([path], report) if f.kind == "internal field"]
    assert findings, fmt
    whats = {f.what for f in findings}
    if fmt != "pdf":
        assert {"reference number", "number", "rare word"} <= whats, findings
    if fmt == "html":
        assert "e-mail address" in whats, findings
    for f in findings:
        # the origin names the source by its id (here a telling one, on purpose)
        assert f.origin.startswith("source vb-informant-wielewaal internal.")
        shown = str(f).replace("vb-informant-wielewaal", "")
        assert "99812" not in shown and "9876" not in shown and "ielewaal" not in shown
