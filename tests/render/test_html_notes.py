"""The screen HTML's notes written by abuild (render/formats/html_notes.py)
are byte for byte the notes pandoc's own HTML writer writes.

The reference is the real pandoc with the notes left in the document (the
screen writer before html_notes.py): the example report, a small report with
notes in every place a drafter can put one, an English report, and random
documents (hypothesis) must all come out the same.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render import pipeline
from ambtsbericht_build.render.formats.base import pandoc
from ambtsbericht_build.render.formats.html import (
    HTML_ARGS,
    HtmlWriter,
    html_page,
    label_note_links,
    pandoc_in_pieces,
)
from ambtsbericht_build.render.formats.html_blocks import screen_tables_and_figures
from ambtsbericht_build.render.formats.html_notes import notes_section, take_notes
from ambtsbericht_build.render.formats.transforms import add_abbr, unwrap_citations
from ambtsbericht_build.render.labels import labels
from tests.fixtures.report_kit import ABUILD, make_report

REPO = Path(__file__).resolve().parents[2]
PANDOC_SECTION = '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\n'


def pandoc_notes(body: str, title: str) -> str:
    """pandoc's own notes section, under the ``<h1>`` the screen HTML gives it."""
    return body.replace(PANDOC_SECTION + "<hr />\n<ol>", PANDOC_SECTION + f'<h1 class="notes-title">{title}</h1>\n<ol>')


def reference_page(doc: dict, facts) -> str:
    """The screen HTML as pandoc writes it with the notes in its hands."""
    L = labels(facts.lang)
    blocks = add_abbr(unwrap_citations(doc["blocks"]), facts.glossary)
    doc["blocks"] = screen_tables_and_figures(blocks, L)
    body = pandoc_notes(pandoc(HTML_ARGS, doc, "HTML"), L["notes"])
    return html_page(facts, label_note_links(body, facts.lang), "screen")


def resolved(report_dir: Path, tmp: Path):
    lr, result = pipeline.check(report_dir, pipeline.RenderOptions())
    assert not result.refused, [str(d) for d in result.diagnostics]
    inputs = pipeline.build_document(lr, tmp, lambda _: None, 0.0)
    return json.loads(inputs.doc_path.read_text(encoding="utf-8")), inputs.facts


def assert_same_as_pandoc(report_dir: Path, tmp: Path, notes: range) -> str:
    doc, facts = resolved(report_dir, tmp)
    out = tmp / "new.html"
    HtmlWriter().write(copy.deepcopy(doc), facts, out)
    new = out.read_text(encoding="utf-8")
    old = reference_page(doc, facts)
    assert len(re.findall(r'<li id="fn\d+">', old)) in notes  # the reference has the notes to compare
    if new != old:  # the first difference, not two pages of HTML
        at = next(i for i, (a, b) in enumerate(zip(new, old, strict=False)) if a != b) if new[:200] else 0
        pytest.fail(f"differs at {at}:\nabuild: {new[at - 200 : at + 200]!r}\npandoc: {old[at - 200 : at + 200]!r}")
    return new


def test_example_report_as_pandoc_writes_it(tmp_path):
    html = assert_same_as_pandoc(REPO / "reports" / "voorbeeldland", tmp_path, notes=range(200, 1000))
    assert 'aria-label="noot 1"' in html


CHAPTER = """\
# Politiek en veiligheid[^kop] {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025] Een *nadruk*[^a] en een
[zie](#sec-veiligheid)[^b].[^c]

- een item[^d]
  - genest[^e]

> Een citaat.[^f]

| Plaats | Aantal |
|--------|-------:|
| Noord[^g] | 12 |

: Gevechten per regio[^h] {#tbl-gevechten}

## Veiligheid {#sec-veiligheid tor="1.2"}

Een vertrouwelijke bron meldde gevechten in het noorden.[@vb-2025-11-04]

---

#. een lijst na een lijn
#. twee

[^kop]: Een noot in een kop.
[^a]: Eerste alinea.

    Tweede alinea.

    Derde alinea.
[^b]: Een lijst:

    - een
    - twee
[^c]: [@hrw-2025]
[^d]: Een citaat in een noot:

    > geciteerd
[^e]: Noot in een geneste lijst.
[^f]: Noot in een citaat.
[^g]: Noot in een tabel.
[^h]: Noot in een bijschrift.
"""


def test_notes_everywhere_as_pandoc_writes_them(tmp_path):
    report = make_report(tmp_path)
    report.chapter(CHAPTER)
    html = assert_same_as_pandoc(report.dir, tmp_path, notes=range(11, 12))
    # a rule and a list in the text stay what they are: only the notes
    # section has a title instead of pandoc's rule
    assert "<hr />\n<ol>\n<li>een lijst na een lijn</li>" in html
    assert html.count('<h1 class="notes-title">Noten</h1>') == 1


def test_english_report_as_pandoc_writes_it(tmp_path):
    report = make_report(tmp_path)
    report.write("report.yaml", report.path("report.yaml").read_text().replace("language: nl", "language: en"))
    report.chapter(CHAPTER)
    html = assert_same_as_pandoc(report.dir, tmp_path, notes=range(11, 12))
    assert '<h1 class="notes-title">Notes</h1>' in html and 'aria-label="note 1"' in html


# --- any arrangement of notes -----------------------------------------------------------

WORD = st.sampled_from(["tekst", "*nadruk*", "`code`", "[link](https://x.nl)", "**vet**", "a&b", "<i>"])
INLINE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
NOTE_BLOCK = st.one_of(
    INLINE,
    INLINE.map(lambda s: "- " + s + "\n- twee"),
    INLINE.map(lambda s: "> " + s),
    st.just("    code()"),
    st.just("---"),
    st.just("| a |\n|---|\n| 1 |"),
    st.just("![beeld](data:image/png;base64,iVBORw0KGgo=)"),
)
NOTE = st.lists(NOTE_BLOCK, min_size=1, max_size=3)
PLACE = st.sampled_from(
    ["{t}", "- {t}", "> {t}", "# Kop {t}", "| {t} |\n|---|\n| x |", "1. a\n\n   {t}", "![{t}](x.png)"]
)


@st.composite
def documents(draw) -> str:
    paras, notes = [], []
    for _ in range(draw(st.integers(1, 6))):
        calls = []
        for _ in range(draw(st.integers(0, 3))):
            notes.append(draw(NOTE))
            calls.append(f"{draw(INLINE)}[^n{len(notes)}]")
        paras.append(draw(PLACE).format(t=" ".join(calls) or draw(INLINE)))
    defs = []
    for k, blocks in enumerate(notes, 1):
        first, *rest = blocks
        defs.append(
            f"[^n{k}]: {first}" + "".join("\n\n" + "\n".join("    " + ln for ln in b.split("\n")) for b in rest)
        )
    return "\n\n".join(paras + defs) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown=documents())
def test_any_notes_as_pandoc_writes_them(markdown):
    doc = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    old = pandoc_notes(pandoc(HTML_ARGS, copy.deepcopy(doc), "HTML"), "Noten")
    doc["blocks"], token = take_notes(doc["blocks"])
    assert '"t": "Note"' not in json.dumps(doc)  # pandoc's writer never sees one: it is linear without them
    in_pieces = copy.deepcopy(doc)
    new = notes_section(pandoc(HTML_ARGS, doc, "HTML"), token, "Noten")
    assert new == old, markdown
    # written in pieces of a few blocks each (a large report's are 8 MB), the same
    assert notes_section(pandoc_in_pieces(in_pieces, piece_bytes=400), token, "Noten") == old, markdown


def test_html_of_20000_notes_ends(tmp_path):
    """A chapter with 20,000 notes: ``abuild render --to html`` ends and
    writes every note (hang guard: 5 minutes, not a speed test; measured
    figures up to 100,000 notes are in docs/render.md and
    ``benchmarks/run.py --notes-only``)."""
    from benchmarks.run import make_notes_report

    report = make_notes_report(tmp_path / "repo", 20_000)
    proc = subprocess.run(
        [str(ABUILD), "render", str(report), "--to", "html", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path / "repo",
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]
    html = (tmp_path / "out" / "notenland.html").read_text(encoding="utf-8")
    assert html.count('class="footnote-ref"') == html.count('class="footnote-back"') == 20_000
    assert '<li id="fn20000"><p>Zie' in html
