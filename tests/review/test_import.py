"""abuild review import (issue #12): a DOCX rendered by abuild, edited here the
way Word does (comments, tracked changes), each item mapped to its source."""

from __future__ import annotations

import json
import re
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

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
    ins = f'<w:ins w:id="901" w:author="Piet Pieters" w:date="{DATE}"><w:r><w:t xml:space="preserve"> (geschat)</w:t></w:r></w:ins>'
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
        '<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>'
    )
    parts["word/comments.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W_NS}>'
        + comment.format(id=1, text="Welke provincies?")
        + comment.format(id=2, text="Bron voor dit cijfer?")
        + "</w:comments>"
    ).encode()
    types = parts["[Content_Types].xml"].decode().replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["word/_rels/document.xml.rels"].decode().replace(
        "</Relationships>",
        '<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/comments" Target="comments.xml"/></Relationships>',
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
    assert where[("comment", "Bron voor dit cijfer?")][:3] == (chapter, note, text.splitlines()[note - 1].index("opkomst") + 1)
    row = line_of(text, "| Zuid")
    assert where[("insertion", " (geschat)")][:2] == (chapter, row)
    assert where[("insertion", " (geschat)")][3] == "Piet Pieters"
    sentence = line_of(text, "Een vertrouwelijke bron")
    col = text.splitlines()[sentence - 1].index("in het noorden") + 1
    assert where[("deletion", "in het")][:3] == (chapter, sentence, col)
    assert len(items) == 4
    assert all(d["code"] == "REVIEW" and d["severity"] == "note" and d["date"] == DATE for d in items)
