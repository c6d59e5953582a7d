"""document.json: written a block a line (pipeline.write_document), read a
block at a time (worker.read_document), and the HTML writer that reads it so
(HtmlWriter.write_path) writes what it writes from the whole document."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats.html import HtmlWriter
from ambtsbericht_build.render.pipeline import write_document
from ambtsbericht_build.render.worker import load_document, read_document
from tests.fixtures.report_kit import make_report
from tests.render.test_html_notes import CHAPTER, resolved

# text a line-based reader could trip over: newlines, "]}", commas, quotes, NUL
hostile = st.text(alphabet=st.sampled_from(list('a ]},\n\r"\\\x00\u2028{[é')), max_size=12)
inlines = st.lists(st.builds(lambda s: {"t": "Str", "c": s}, hostile), max_size=4)
blocks = st.lists(
    st.one_of(
        st.builds(lambda i: {"t": "Para", "c": i}, inlines),
        st.builds(lambda s: {"t": "RawBlock", "c": ["html", s]}, hostile),
        st.builds(lambda i: {"t": "Div", "c": [["", [], []], [{"t": "Plain", "c": i}]]}, inlines),
    ),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(blocks, st.dictionaries(hostile, st.builds(lambda s: {"t": "MetaString", "c": s}, hostile), max_size=2))
def test_the_document_file_reads_back_as_written(tmp_path_factory, doc_blocks, meta):
    path = tmp_path_factory.mktemp("doc") / "document.json"
    doc = {"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": doc_blocks}
    write_document(path, doc)
    assert json.loads(path.read_text(encoding="utf-8")) == doc  # still one JSON value, for pandoc
    written = path.read_bytes()  # the same with some blocks' texts given (block_memo.py's, Document.texts)
    write_document(path, doc, [json.dumps(b) if i % 2 else None for i, b in enumerate(doc_blocks)])
    assert path.read_bytes() == written
    assert load_document(path) == doc
    head, lines = read_document(path)
    assert head == {"pandoc-api-version": [1, 23, 1], "meta": meta}
    assert [json.loads(line) for line in lines] == doc_blocks


def test_a_document_in_one_line_is_read_too(tmp_path):
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": []}]}
    (tmp_path / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    assert load_document(tmp_path / "d.json") == doc


def test_a_cut_off_document_is_an_error_not_a_shorter_document(tmp_path):
    path = tmp_path / "document.json"
    write_document(path, {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [{"t": "Para", "c": []}] * 3})
    path.write_text(path.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8")
    try:
        load_document(path)
    except ValueError as exc:
        assert "ends before its last block" in str(exc)
    else:
        raise AssertionError("a cut-off document was read")


def test_the_html_writer_writes_the_same_from_the_file_a_block_at_a_time(tmp_path):
    """Notes in headings, lists, quotes, tables and notes, tables with and
    without captions, an author's id that a made-up one would have taken:
    the same page from the file as from the whole document."""
    report = make_report(tmp_path / "repo")
    report.chapter(CHAPTER + "\n\n::: {#caption-1}\nEen eigen id.\n:::\n")
    doc, facts = resolved(report.dir, tmp_path)
    path = tmp_path / "document.json"
    write_document(path, doc)
    HtmlWriter().write(copy.deepcopy(doc), facts, tmp_path / "whole.html")
    HtmlWriter().write_path(path, facts, tmp_path / "file.html")
    whole = (tmp_path / "whole.html").read_text(encoding="utf-8")
    assert (tmp_path / "file.html").read_text(encoding="utf-8") == whole
    assert 'id="caption-2"' in whole and whole.count('id="caption-1"') == 1
