"""abuild review import (issue #12): a DOCX rendered by abuild, edited here the
way Word does (comments, tracked changes), each item mapped to its source."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.review.docx_package import DocxRefused
from ambtsbericht_build.review.importing import import_review
from tests.fixtures.report_kit import CHAPTER, make_report

CHAPTER_MD = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]
De oppositie boycotte de stemming in drie provincies.[^boycot]

[^boycot]: Volgens waarnemers was de opkomst daar lager dan tien procent.[@hrw-2025]

| Provincie | Opkomst    |
|-----------|------------|
| Noord     | 41 procent |
| Zuid      | 63 procent |

Table: Opkomst per provincie.[@hrw-2025]

## Veiligheid {#sec-veiligheid tor="1.2"}

Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#sec-verkiezingen)).[@vb-2025-11-04]
"""

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DATE = "2026-11-20T10:00:00Z"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


_RUN = re.compile(r"<w:r>((?:<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?)<w:t(?: [^>]*)?>([^<]*)</w:t></w:r>", re.S)


def isolate(xml: str, phrase: str, start: int = 0) -> tuple[str, int, int]:
    """Split the run holding ``phrase`` so that the phrase is a run of its own,
    as Word does where a comment or a change begins or ends; returns the XML
    and where that run is."""
    for m in _RUN.finditer(xml, start):
        props, text = m[1], m[2]
        at = text.find(phrase)
        if at < 0:
            continue
        runs = [
            f'<w:r>{props}<w:t xml:space="preserve">{part}</w:t></w:r>'
            for part in (text[:at], phrase, text[at + len(phrase) :])
        ]
        before = runs[0] if text[:at] else ""
        after = runs[2] if text[at + len(phrase) :] else ""
        xml = xml[: m.start()] + before + runs[1] + after + xml[m.end() :]
        begin = m.start() + len(before)
        return xml, begin, begin + len(runs[1])
    raise AssertionError(f"no run holds {phrase!r}")


def comment_around(xml: str, first: str, last: str, cid: int) -> str:
    """What Word writes for a comment on the text from ``first`` to ``last``."""
    xml, s1, _ = isolate(xml, first)
    xml, _, e2 = isolate(xml, last, s1)
    end = (
        f'<w:commentRangeEnd w:id="{cid}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
        f'<w:commentReference w:id="{cid}"/></w:r>'
    )
    return xml[:s1] + f'<w:commentRangeStart w:id="{cid}"/>' + xml[s1:e2] + end + xml[e2:]


def word_edit(docx: Path, out: Path) -> None:
    """Edit ``docx`` as Word does: a comment on a body sentence, one in a
    footnote, a tracked insertion in a table cell, a tracked deletion of two runs."""
    with zipfile.ZipFile(docx) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = parts["word/document.xml"].decode()
    notes = parts["word/footnotes.xml"].decode()
    doc = comment_around(doc, "oppositie", "provincies.", 1)
    notes = comment_around(notes, "opkomst", "lager", 2)
    doc, _, cell = isolate(doc, "63\u00a0procent")
    after_cell = doc.index("</w:p>", cell)
    ins = (
        f'<w:ins w:id="901" w:author="Piet Pieters" w:date="{DATE}">'
        '<w:r><w:t xml:space="preserve"> (geschat)</w:t></w:r></w:ins>'
    )
    doc = doc[:after_cell] + ins + doc[after_cell:]
    # two runs deleted at once: "in" and " het" of "gevechten in het noorden"
    doc, start, _ = isolate(doc, "in het noorden")
    doc, s1, _ = isolate(doc, "in", start)
    doc, _, e2 = isolate(doc, " het", s1)
    runs = doc[s1:e2].replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
    assert runs.count("<w:r>") == 2
    doc = doc[:s1] + f'<w:del w:id="902" w:author="Piet Pieters" w:date="{DATE}">{runs}</w:del>' + doc[e2:]
    parts["word/document.xml"] = doc.encode()
    parts["word/footnotes.xml"] = notes.encode()
    comment = (
        '<w:comment w:id="{id}" w:author="Jan Jansen" w:date="' + DATE + '" w:initials="JJ">'
        "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"
    )
    parts["word/comments.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W_NS}>'
        + comment.format(id=1, text="Welke provincies?")
        + comment.format(id=2, text="Bron voor dit cijfer?")
        + "</w:comments>"
    ).encode()
    types = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/word/comments.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
        )
    )
    parts["[Content_Types].xml"] = types.encode()
    rels = (
        parts["word/_rels/document.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/comments" Target="comments.xml"/></Relationships>',
        )
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    base = tmp_path_factory.mktemp("review-import")
    report = make_report(base)
    report.write(CHAPTER, CHAPTER_MD)
    out = base / "out"
    proc = report.cli("render", report.rel, "--to", "docx,html", "--out", str(out), timeout=300)
    assert proc.returncode == 0, proc.stderr
    reviewed = base / "reviewed.docx"
    word_edit(out / "testland.docx", reviewed)
    return report, out, reviewed


def test_each_item_maps_to_its_file_and_line(rendered: tuple) -> None:
    report, _, reviewed = rendered
    proc = report.cli("review", "import", str(reviewed), "--report", report.rel, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)["diagnostics"]
    text = CHAPTER_MD
    where = {(d["kind"], d["text"]): (d["file"], d["line"], d["column"], d["reviewer"], d["matched"]) for d in items}
    chapter = f"{report.rel}/{CHAPTER}"
    body = line_of(text, "De oppositie boycotte")
    assert where[("comment", "Welke provincies?")] == (chapter, body, 4, "Jan Jansen", "anchor")
    note = line_of(text, "[^boycot]: Volgens")
    col = text.splitlines()[note - 1].index("opkomst") + 1
    assert where[("comment", "Bron voor dit cijfer?")][:3] == (chapter, note, col)
    row = line_of(text, "| Zuid")
    assert where[("insertion", " (geschat)")][:2] == (chapter, row)
    assert where[("insertion", " (geschat)")][3] == "Piet Pieters"
    sentence = line_of(text, "Een vertrouwelijke bron")
    col = text.splitlines()[sentence - 1].index("in het noorden") + 1
    assert where[("deletion", "in het")][:3] == (chapter, sentence, col)
    assert len(items) == 4
    assert all(d["code"] == "REVIEW" and d["severity"] == "note" and d["date"] == DATE for d in items)


def _import(report, docx: Path, *args: str):
    proc = report.cli("review", "import", str(docx), "--report", report.rel, *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_formats_for_ci(rendered: tuple) -> None:
    report, _, reviewed = rendered
    text = _import(report, reviewed)
    assert text.returncode == 0
    where = f"{report.rel}/{CHAPTER}:{line_of(CHAPTER_MD, 'De oppositie')}:4"
    assert f'{where}: comment by Jan Jansen (2026-11-20): "Welke provincies?" on' in text.stdout
    github = _import(report, reviewed, "--format", "github").stdout.splitlines()
    assert len(github) == 4 and all(g.startswith(f"::notice file={report.rel}/{CHAPTER},line=") for g in github)
    sarif = json.loads(_import(report, reviewed, "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert [r["level"] for r in results] == ["note"] * 4
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results} == {
        line_of(CHAPTER_MD, s) for s in ("De oppositie", "[^boycot]:", "| Zuid", "Een vertrouwelijke")
    }


def _without_anchor(docx: Path, out: Path, containing: str) -> None:
    """The reviewer deleted the block's bookmark (Word drops one whose text
    was cut and pasted back)."""
    with zipfile.ZipFile(docx) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = parts["word/document.xml"].decode()
    at = doc.index(containing)
    start = doc.rfind('<w:bookmarkStart w:id="', 0, at)
    m = re.compile(r'<w:bookmarkStart w:id="(\d+)" w:name="(ab_[^"]+)"\s*/>').match(doc, start)
    assert m, doc[start : start + 100]
    doc = re.sub(rf'<w:bookmarkEnd w:id="{m[1]}"\s*/>', "", doc.replace(m[0], ""))
    assert m[2] not in doc
    parts["word/document.xml"] = doc.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_anchor_deleted_matched_by_text(rendered: tuple, tmp_path: Path) -> None:
    report, _, reviewed = rendered
    edited = tmp_path / "no-anchor.docx"
    _without_anchor(reviewed, edited, "oppositie")
    placed = {p.item.text: p for p in import_review(edited, report.dir)[1]}
    p = placed["Welke provincies?"]
    assert (p.file.name, p.line, p.column) == (Path(CHAPTER).name, line_of(CHAPTER_MD, "De oppositie"), 4)
    assert "anchor was deleted" in p.how


def test_changed_chapter_is_said(rendered: tuple) -> None:
    report, _, reviewed = rendered
    changed = "<!-- twee regels erbij -->\n\n" + CHAPTER_MD
    report.write(CHAPTER, changed)
    try:
        placed = {p.item.text: p for p in import_review(reviewed, report.dir)[1]}
    finally:
        report.write(CHAPTER, CHAPTER_MD)
    p = placed["Welke provincies?"]
    assert p.line == line_of(changed, "De oppositie") == line_of(CHAPTER_MD, "De oppositie") + 2
    assert "changed since the DOCX was made" in p.how


def test_another_report_refused(rendered: tuple) -> None:
    report, _, reviewed = rendered
    other = report.root / "reports" / "anderland"
    other.mkdir(exist_ok=True)
    (other / "report.yaml").write_text((report.dir / "report.yaml").read_text())
    proc = report.cli("review", "import", str(reviewed), "--report", "reports/anderland")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "made from report 'testland', not from reports/anderland" in proc.stderr


def test_docx_not_made_by_abuild_refused(tmp_path: Path) -> None:
    import pypandoc

    plain = tmp_path / "plain.docx"
    pypandoc.convert_text("Een gewoon document.", "docx", format="markdown", outputfile=str(plain))
    with pytest.raises(DocxRefused, match="not made by abuild"):
        import_review(plain, None)
    (tmp_path / "junk.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(DocxRefused, match="not a DOCX"):
        import_review(tmp_path / "junk.docx", None)


def test_zip_bomb_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("docProps/custom.xml", (_custom("testland")).encode())
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(1024):  # 1 GiB of zeros
                fh.write(zeros)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    tracemalloc.start()
    t0 = time.monotonic()
    with pytest.raises(DocxRefused, match="would inflate"):
        import_review(bomb, None)
    elapsed = time.monotonic() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 16 * 1024 * 1024, peak


def _custom(slug: str, extra: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{extra}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="abuild-report"><vt:lpwstr>{slug}'
        "</vt:lpwstr></property></Properties>"
    )


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("part", ["docProps/custom.xml", "word/document.xml"])
def test_xml_entities_refused(rendered: tuple, tmp_path: Path, part: str) -> None:
    report, _, reviewed = rendered
    with zipfile.ZipFile(reviewed) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    if part == "docProps/custom.xml":
        parts[part] = _custom("testland&lol9;", LAUGHS).encode()
    else:
        doc = parts[part].decode()
        body = doc.index("<w:document")
        parts[part] = (doc[:body] + LAUGHS + doc[body:]).replace("oppositie", "&lol9;", 1).encode()
    hostile = tmp_path / "laughs.docx"
    with zipfile.ZipFile(hostile, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    t0 = time.monotonic()
    proc = report.cli("review", "import", str(hostile), "--report", report.rel)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"part {part} declares a DOCTYPE or entities" in proc.stderr
    assert time.monotonic() - t0 < 30


def test_anchors_only_in_the_docx(rendered: tuple, tmp_path: Path) -> None:
    """HTML and PDF are byte for byte the same with and without the anchors;
    the DOCX has one bookmark per chapter block."""
    import dataclasses

    from ambtsbericht_build.diagnostics import Diagnostics
    from ambtsbericht_build.load import load_report
    from ambtsbericht_build.render.facts import SourceAnchors
    from ambtsbericht_build.render.formats import writer_class
    from ambtsbericht_build.render.pipeline import build_document

    report, out, _ = rendered
    lr = load_report(report.dir, Diagnostics())
    built = build_document(lr, tmp_path, lambda _: None, time.monotonic())
    with_anchors = built.facts
    assert with_anchors.anchors.report == "testland" and with_anchors.anchors.blocks
    without = dataclasses.replace(with_anchors, anchors=SourceAnchors(), sidecars=False)
    with_anchors = dataclasses.replace(with_anchors, sidecars=False)
    for fmt in ("html", "pdf", "docx"):
        writer = writer_class(fmt)()
        writer.prepare()
        outputs = []
        for name, facts in (("with", with_anchors), ("without", without)):
            path = tmp_path / f"{name}{writer.suffix}"
            writer.write(json.loads(built.doc_path.read_text()), facts, path)
            writer.normalise(path, facts)
            outputs.append(path.read_bytes())
        if fmt == "docx":
            assert outputs[0] != outputs[1], "the DOCX carries the anchors"
        else:
            assert outputs[0] == outputs[1], fmt
    with zipfile.ZipFile(out / "testland.docx") as z:
        names = re.findall(r'w:name="(ab_\d+_\d+_\d+)"', z.read("word/document.xml").decode())
    # the chapter is file 1 (after the introduction): each heading, paragraph and the table at its own line
    starts = ("# Politiek", "## Verkiezingen", "Op 1 maart", "| Provincie", "## Veiligheid", "Een vertrouwelijke")
    assert [int(n.split("_")[2]) for n in names if n.startswith("ab_1_")] == [line_of(CHAPTER_MD, s) for s in starts]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_anchors_survive_a_libreoffice_round_trip(rendered: tuple, tmp_path: Path) -> None:
    """LibreOffice rewrites every part of the package it saves: the bookmarks
    and the custom properties stay, and the items keep their lines. (The
    comment in a note is left out: LibreOffice 7 cannot open a DOCX with a
    comment reference inside a footnote at all.)"""
    report, out, reviewed = rendered
    with zipfile.ZipFile(reviewed) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(out / "testland.docx") as z:
        parts["word/footnotes.xml"] = z.read("word/footnotes.xml")
    edited = tmp_path / "edited.docx"
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx:MS Word 2007 XML"]
        + ["--outdir", str(tmp_path / "lo"), str(edited)],
        capture_output=True,
        timeout=300,
        check=True,
    )
    saved = tmp_path / "lo" / "edited.docx"
    with zipfile.ZipFile(saved) as z:
        assert z.read("word/document.xml") != parts["word/document.xml"]
    placed = import_review(saved, report.dir)[1]
    assert [(p.item.kind, p.file.name, p.line, p.how) for p in placed] == [
        ("comment", Path(CHAPTER).name, line_of(CHAPTER_MD, "De oppositie"), ""),
        ("insertion", Path(CHAPTER).name, line_of(CHAPTER_MD, "| Zuid"), ""),
        ("deletion", Path(CHAPTER).name, line_of(CHAPTER_MD, "Een vertrouwelijke"), ""),
    ]


_FRAGMENTS = [
    "<w:p>",
    "</w:p>",
    "<w:r><w:t>woord</w:t></w:r>",
    '<w:ins w:author="A" w:date="2026">',
    "</w:ins>",
    "<w:del>",
    "</w:del>",
    "<w:r><w:delText>weg</w:delText></w:r>",
    '<w:commentRangeStart w:id="1"/>',
    '<w:commentRangeEnd w:id="1"/>',
    '<w:commentReference w:id="1"/>',
    '<w:bookmarkStart w:id="7" w:name="ab_0_1_1"/>',
    '<w:bookmarkStart w:id="8" w:name="ab_99_999999_1"/>',
    '<w:bookmarkEnd w:id="7"/>',
    '<w:footnoteReference w:id="2"/>',
    '<w:bookmarkStart w:id="9" w:name="ref-x"/>',
    "<w:rPr>",
    "</w:rPr>",
    "&amp;",
    "\u00ad",
]
_WORDISH = st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map(
    lambda parts: f"<w:document {W_NS}><w:body>{''.join(parts)}</w:body></w:document>".encode()
)


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(st.binary(max_size=400), _WORDISH),
    st.sampled_from(["word/document.xml", "word/footnotes.xml", "word/comments.xml"]),
)
def test_any_part_is_read_or_refused(tmp_path_factory: pytest.TempPathFactory, data: bytes, part: str) -> None:
    """Whatever a part holds (bytes, or Word's elements in any order and
    nesting), the import returns items or refuses with a message: never
    another exception."""
    path = tmp_path_factory.mktemp("fuzz") / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/custom.xml", _custom("testland"))
        if part != "word/document.xml":
            z.writestr("word/document.xml", f"<w:document {W_NS}><w:body/></w:document>")
        z.writestr(part, data)
    try:
        import_review(path, None)
    except DocxRefused as exc:
        assert str(exc).startswith(str(path))


def test_annex_items_map_to_their_yaml(rendered: tuple, tmp_path: Path) -> None:
    """A comment on an entry of the list of sources maps to its entry in
    sources.yaml; one on a ToR question to the question in tor.yaml."""
    report, out, _ = rendered
    with zipfile.ZipFile(out / "testland.docx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = parts["word/document.xml"].decode()
    doc = comment_around(doc, "World Report 2025", "World Report 2025", 1)
    doc = comment_around(doc, "Hoe is de veiligheidssituatie?", "Hoe is de veiligheidssituatie?", 2)
    parts["word/document.xml"] = doc.encode()
    edited = tmp_path / "annex.docx"
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    placed = import_review(edited, report.dir)[1]
    sources = (report.dir / "sources.yaml").read_text()
    tor = (report.dir / "tor.yaml").read_text()
    assert [(p.file.name, p.line, p.column) for p in placed] == [
        ("sources.yaml", line_of(sources, "- id: hrw-2025"), 1),
        ("tor.yaml", line_of(tor, 'id: "1.2"'), 7),
    ]


def test_a_secret_in_a_reviewers_comment_is_never_echoed(rendered: tuple, tmp_path: Path) -> None:
    """Red team pass 5: a reviewer who names the source's reference number in
    a comment had it printed by every format (a CI annotation, SARIF). Every
    piece of a secret of the report is shown as "[vertrouwelijk]". Pass 6:
    the comment's and the change's author, initials and date are free text
    that is printed as well."""
    report, _, reviewed = rendered
    with zipfile.ZipFile(reviewed) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    comments = parts["word/comments.xml"].decode().replace("Welke provincies?", "Staat dit in AMB-TL/2025/1104?")
    comments = comments.replace('w:author="Jan Jansen"', 'w:author="Jan AMB-TL/2025/1104"', 1)
    parts["word/comments.xml"] = comments.replace('w:initials="JJ"', 'w:initials="AMB-TL/2025/1104"').encode()
    doc = parts["word/document.xml"].decode().replace('w:author="Piet Pieters"', 'w:author="AMB-TL/2025/1104"', 1)
    parts["word/document.xml"] = doc.replace(f'w:date="{DATE}"', 'w:date="AMB-TL/2025/1104"').encode()
    leaky = tmp_path / "leaky.docx"
    with zipfile.ZipFile(leaky, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    for fmt in ("text", "json", "sarif", "github"):
        proc = _import(report, leaky, "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        assert "AMB-TL" not in proc.stdout and "1104" not in proc.stdout, fmt
        assert "[vertrouwelijk]" in proc.stdout, fmt
