"""The document stage: citations resolved in parallel pieces give exactly
what one citeproc pass over the whole document gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ambtsbericht_build.commands.check import CheckOptions, check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.render import citations as C
from ambtsbericht_build.render import document as D
from ambtsbericht_build.render.facts import default_house_style
from ambtsbericht_build.tools import run_pandoc

REPO = Path(__file__).resolve().parents[2]
CSL = default_house_style().path(D.CSL)


def _one_pass(pandoc: dict, bib: Path, lang: str) -> dict:
    """The reference: the whole document, bibliography included, in one pandoc run."""
    doc = dict(pandoc, meta={"lang": {"t": "MetaString", "c": lang}, "link-citations": {"t": "MetaBool", "c": False}})
    out = json.loads(
        run_pandoc(
            ["-f", "json", "-t", "json", "--citeproc", "--csl", str(CSL), "--bibliography", str(bib)],
            json.dumps(doc),
            "citations",
        )
    )
    out["meta"] = {}
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    lr = check_report(REPO / "reports" / "voorbeeldland", Diagnostics(), CheckOptions())
    doc = D.assemble(lr, D.parse_chapters(lr))
    neutral = {
        s.source.id: f"vertrouwelijk-{i}" for i, s in enumerate((s for s in lr.sources if s.source.confidential), 1)
    }
    items = C.to_csl_items([dict(s.raw, id=neutral.get(s.source.id, s.source.id)) for s in lr.sources], lr.glossary)
    cited = C._prepare_cites(doc.pandoc["blocks"], neutral)
    bib = tmp_path_factory.mktemp("bib") / "bibliography.json"
    bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return doc.pandoc, bib, cited


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_pieces_give_the_one_pass_result_on_the_example_report(example, parts):
    pandoc, bib, cited = example
    expected = _one_pass(pandoc, bib, "nl-NL")
    got = C._citeproc(pandoc, bib, CSL, "nl-NL", cited, parts=parts)
    assert json.dumps(got) == json.dumps(expected)
    refs = next(b for b in got["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs")
    assert len(refs["c"][1]) == len(cited)  # one entry per cited source (confidential ones dropped later)


@pytest.mark.parametrize("parts", [1, 3])
def test_each_piece_finished_as_it_is_resolved_gives_the_whole_finished(example, parts):
    """``then`` on each piece in its own thread (as soon as its pandoc is
    done) gives what ``then`` on every block after the last piece gave: the
    finishing (source annex grouped, notes punctuated, typography) does each
    top-level block on its own; the pieces come back in document order."""
    import copy

    from ambtsbericht_build.render.note_punctuation import punctuate_note_references
    from ambtsbericht_build.render.typography import typeset

    pandoc, bib, cited = example
    calls: list[int] = []

    def finish(blocks: list) -> list:
        calls.append(len(blocks))
        punctuate_note_references(blocks, "nl")
        return typeset(blocks, lang="nl")

    whole = C._citeproc(copy.deepcopy(pandoc), bib, CSL, "nl-NL", cited, parts=parts)
    expected = finish(whole["blocks"])
    calls.clear()
    got = C._citeproc(copy.deepcopy(pandoc), bib, CSL, "nl-NL", cited, parts=parts, then=finish)
    assert json.dumps(got["blocks"]) == json.dumps(expected)
    assert len(calls) == parts + 1  # the body's pieces and the source annex, each once


def _cite(key: str) -> dict:
    return {
        "t": "Cite",
        "c": [
            [
                {
                    "citationId": key,
                    "citationPrefix": [],
                    "citationSuffix": [],
                    "citationMode": {"t": "NormalCitation"},
                    "citationNoteNum": 0,
                    "citationHash": 0,
                }
            ],
            [{"t": "Str", "c": f"[@{key}]"}],
        ],
    }


@pytest.mark.parametrize("order", [("b-later", "a-eerst"), ("a-eerst", "b-later")])
def test_bibliography_ties_sort_as_in_one_pass(tmp_path, order):
    # two sources the style cannot tell apart, cited in either order in
    # different pieces: the source list comes out as one pass makes it
    same = {
        "type": "webpage",
        "author": [{"literal": "Ministerie"}],
        "title": "Bericht",
        "issued": {"date-parts": [[2026, 1, 2]]},
    }
    bib = tmp_path / "bib.json"
    bib.write_text(json.dumps([dict(same, id="a-eerst"), dict(same, id="b-later")]), encoding="utf-8")
    pandoc = {
        "pandoc-api-version": [1, 23, 1, 1],
        "meta": {},
        "blocks": [
            {"t": "Para", "c": [{"t": "Str", "c": "Een."}, _cite(order[0])]},
            {"t": "Para", "c": [{"t": "Str", "c": "Twee."}, _cite(order[1])]},
            {"t": "Div", "c": [["refs", [], []], []]},
        ],
    }
    expected = _one_pass(pandoc, bib, "nl-NL")
    got = C._citeproc(pandoc, bib, CSL, "nl-NL", list(order), parts=2)
    assert json.dumps(got) == json.dumps(expected)
    assert len(got["blocks"][2]["c"][1]) == 2


def test_a_document_without_citations_keeps_an_empty_source_list(tmp_path):
    bib = tmp_path / "bib.json"
    bib.write_text("[]", encoding="utf-8")
    pandoc = {
        "pandoc-api-version": [1, 23, 1],
        "meta": {},
        "blocks": [
            {"t": "Para", "c": [{"t": "Str", "c": "Niets."}]},
            {"t": "Div", "c": [["refs", [], []], []]},
        ],
    }
    got = C._citeproc(pandoc, bib, CSL, "nl-NL", [], parts=2)
    assert got["blocks"] == pandoc["blocks"]


@pytest.mark.parametrize("parts", [2, 3, 5])
def test_print_html_written_in_pieces_is_the_html_of_one_run(example, parts):
    from ambtsbericht_build.render.formats import base as W
    from ambtsbericht_build.render.formats import transforms as T

    pandoc, bib, cited = example
    doc = C._citeproc(pandoc, bib, CSL, "nl-NL", cited)
    doc["blocks"] = T.captions_above_tables(T.notes_to_spans(T.unwrap_citations(doc["blocks"])))
    args = ["-t", "html5", "--wrap=none", "--no-highlight", "--email-obfuscation=none"]
    one = W.pandoc(args, doc, "PDF (HTML)")
    assert W.pandoc_fragments(args, doc, "PDF (HTML)", parts=parts) == one
    assert one.count('class="footnote"') > 200
