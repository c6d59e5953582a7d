"""The checker reads chapters the way pandoc publishes them.

For each chapter, the real pandoc (the render's reader, ``READER``) and the
checker's reading (:func:`parse_chapter`, then pandoc's AST placed on it by
:func:`reconcile`, as ``abuild check`` does) must agree on the citations
(every Cite, nested ones in a suffix included, a key cited twice counted
twice, a note's once per reference), the number of footnotes, the headings
(level and identifier), the ``tor`` attributes, the paragraphs and list
items the claims rules look at with the divs around them, and the positions:
each block's line and column is where its text starts. Figure captions are
counted once (the Figure, not its caption and its image).

Run on the fixtures in ``tests/fixtures/markdown``, ``reports/voorbeeldland``,
the synthetic benchmark report, random chapters, and the corpus in
``tests/corpus`` (real pandoc Markdown and one file a disagreement class).
Constructs the report format does not have are refused with AB005; the
corpus figures count them.
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.markdown import parse_chapter
from ambtsbericht_build.load.markdown.pandoc_ast import (
    ALNUM,
    READER,
    Source,
    block_signature,
    parse,
    reconcile,
    signature,
)
from ambtsbericht_build.tools import pandoc_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "markdown" / "chapters").glob("*.md"))
EXAMPLE = sorted((ROOT / "reports" / "voorbeeldland" / "chapters").glob("*.md"))


# --- what pandoc sees -------------------------------------------------------------


def pandoc_facts(text: str) -> dict:
    proc = subprocess.run(
        [pandoc_path(), "--sandbox", "-f", READER, "-t", "json"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    facts = {
        "cites": Counter(),
        "notes": 0,
        "headings": [],
        "tor": [],
        "paragraphs": 0,
        "lists": [],
        "blocks": [],
        "refused": 0,
    }
    _walk(json.loads(proc.stdout)["blocks"], facts, outside=True)
    return facts


def _plain(node) -> str:
    """Letters and digits of inlines, as pandoc prints them (a Cite's own text, no notes)."""
    out: list[str] = []

    def go(x):
        if isinstance(x, list):
            for y in x:
                go(y)
        elif isinstance(x, dict):
            t, c = x.get("t"), x.get("c")
            if t == "Str":
                out.append(c)
            elif t in ("Code", "Math"):
                out.append(c[1])
            elif t == "Cite":
                go(c[1])
            elif t in ("Link", "Image", "Quoted", "Span"):
                go(c[1])
            elif t in ("Note", "RawInline"):
                pass
            elif c is not None:
                go(c)

    go(node)
    return signature("".join(out))


def _walk(node, facts: dict, outside: bool, divs: tuple = (), first_in_item: bool = False, cell: bool = False) -> None:
    """``outside``: not inside a note, table or figure (where the claims rules
    do not look); ``cell``: inside a table cell or a definition list, where
    the report format has no heading (a heading there is refused)."""
    if isinstance(node, list):
        for x in node:
            _walk(x, facts, outside, divs, cell=cell)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Cite":
        # every citation counts, nested ones too ([@a, @b] puts b in a's suffix: walked below)
        facts["cites"].update(c["citationId"] for c in content[0])
        for c in content[0]:
            _walk(c["citationPrefix"], facts, outside, divs, cell=cell)
            _walk(c["citationSuffix"], facts, outside, divs, cell=cell)
        return
    elif kind in ("LineBlock", "DefinitionList"):
        facts["refused"] += 1
        _walk(content, facts, False, divs, cell=True)
        return
    elif kind == "Note":
        facts["notes"] += 1
        _walk(content, facts, False)
        return
    elif kind == "Header" and cell:
        facts["refused"] += 1
        _walk(content[2], facts, False, divs, cell=cell)
        return
    elif kind == "Header":
        level, (ident, _classes, kv), _ = content
        facts["headings"].append((level, ident))
        facts["tor"] += [v for k, v in kv if k == "tor"]
        if outside:
            facts["blocks"].append(("heading", divs, _plain(content[2])[:2]))
    elif kind == "Div":
        facts["tor"] += [v for k, v in content[0][2] if k == "tor"]
        _walk(content[1], facts, outside, (*divs, tuple(content[0][1])), cell=cell)
        return
    elif kind == "Figure":
        # once: its caption (the image's alt text is the same text)
        _walk(content[1], facts, False, divs, cell=cell)
        return
    elif kind == "Table":
        _walk(content[1], facts, False, divs, cell=cell)  # the caption
        _walk(content[2:], facts, False, divs, cell=True)
        return
    elif kind in ("Para", "Plain") and outside:
        facts["paragraphs"] += 1
        # the first two letters only: an entity (&amp;) or a code span prints
        # other letters than the source has; where the block starts is
        # checked by "positions"
        facts["blocks"].append(("item" if first_in_item else "para", divs, _plain(content)[:2]))
    elif kind in ("BulletList", "OrderedList") and outside:
        items = content if kind == "BulletList" else content[1]
        n = sum(1 for item in items if item and item[0]["t"] in ("Para", "Plain"))
        if n:
            facts["lists"].append(n)
        for item in items:
            for k, b in enumerate(item):
                _walk(b, facts, outside, divs, first_in_item=k == 0, cell=cell)
        return
    _walk(content, facts, outside, divs, cell=cell)


# --- what the scanner sees --------------------------------------------------------


def _div_chain(d) -> tuple:
    out = []
    while d is not None:
        out.append(tuple(d.attrs.classes))
        d = d.parent
    return tuple(reversed(out))


def scanner_facts(path: Path, text: str, with_pandoc: bool = True) -> dict:
    """The checker's reading (``with_pandoc=False``: the scanner's alone, as
    before pandoc's AST was used)."""
    ch = parse_chapter(path, text)
    problems = reconcile(ch, parse(text, pandoc_path())) if with_pandoc else []
    # pandoc keeps the last definition of a label, drops unused ones and
    # copies a note's content to every reference
    defs = {nd.label: nd for nd in ch.notes}
    refs = Counter(r.label for b in ch.blocks for r in b.note_refs if r.label in defs)
    cites: Counter = Counter()
    notes = 0
    for b in ch.blocks:
        cites.update(c.key for c in b.cites)
        notes += len(b.inline_notes) + sum(1 for r in b.note_refs if r.label in defs)
    for label, n in refs.items():
        for b in defs[label].blocks:
            for c in b.cites:  # a key cited twice in the note counts twice
                cites[c.key] += n
            notes += n * len(b.inline_notes)
    lists = Counter(b.list_id for b in ch.blocks if b.kind == "item")
    return {
        "cites": cites,
        "notes": notes,
        "headings": [(h.level, h.id) for h in ch.headings],
        "tor": [h.attrs.kv["tor"] for h in ch.headings if "tor" in h.attrs.kv]
        + [d.attrs.kv["tor"] for d in ch.divs if "tor" in d.attrs.kv],
        "paragraphs": sum(1 for b in ch.blocks if b.kind in ("para", "item")),
        "lists": list(lists.values()),
        "blocks": [
            (b.kind, _div_chain(b.div), block_signature(b)[:2])
            for b in ch.blocks
            if b.kind in ("para", "item", "heading")
        ],
        "refused": sum(1 for p in problems if p.code == "AB005"),
        "positions": misplaced(ch, text),
    }


def misplaced(ch, text: str) -> list:
    """Blocks whose line and column are not where their text starts."""
    src = Source(text)
    out = []
    for b in ch.all_blocks():
        if b.kind not in ("para", "item", "heading", "caption", "figure"):
            continue
        # its first word (markup in the block may be left out of its signature)
        m = ALNUM.search(b.text)
        sig = m.group(0) if m else ""
        at = src.stream_index(src.offset(b.line, b.column))
        if sig and not src.stream.startswith(sig, at):
            out.append((b.line, b.column, sig))
    return out


CLASSES = ("cites", "notes", "headings", "tor", "paragraphs", "lists", "blocks", "refused", "positions")


def disagreements(path: Path, text: str, with_pandoc: bool = True) -> dict[str, int]:
    """Per class, how many facts the checker and pandoc disagree on."""
    want, got = pandoc_facts(text), scanner_facts(path, text, with_pandoc)
    want["positions"] = []
    out: dict[str, int] = {}
    for key in CLASSES:
        w, g = want[key], got[key]
        if key in ("notes", "paragraphs", "refused"):
            out[key] = abs(w - g)
        else:
            wc, gc = (
                Counter(w if isinstance(w, Counter) else map(repr, w)),
                Counter(g if isinstance(g, Counter) else map(repr, g)),
            )
            out[key] = sum(((wc - gc) + (gc - wc)).values())
        if key in ("headings", "blocks") and not out[key] and w != g:
            out[key] = 1  # same facts in another order
    return out


def assert_same(path: Path, text: str) -> None:
    bad = {k: v for k, v in disagreements(path, text).items() if v}
    assert not bad, f"{path.name}: checker and pandoc disagree: {bad}"


# --- the corpora ------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_chapters(path):
    assert_same(path, path.read_text(encoding="utf-8"))


@pytest.mark.skipif(not EXAMPLE, reason="reports/voorbeeldland is not there yet")
@pytest.mark.parametrize("path", EXAMPLE, ids=lambda p: p.name)
def test_example_report(path):
    assert_same(path, path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def benchmark_chapters(tmp_path_factory) -> list[Path]:
    script = ROOT / "benchmarks" / "generate.py"
    if not script.exists():
        pytest.skip("benchmarks/generate.py is not there")
    spec = importlib.util.spec_from_file_location("abuild_bench_generate", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("bench")
    module.generate(out, 1)
    return sorted(out.glob("reports/*/chapters/*.md"))


def test_benchmark_report(benchmark_chapters):
    assert benchmark_chapters
    for path in benchmark_chapters:
        assert_same(path, path.read_text(encoding="utf-8"))


# Realistic blocks, in random order and nesting: the scanner must agree with
# pandoc on every combination, not only on the hand-written fixtures.
BLOCKS = [
    "Een alinea met een bron.[@a]",
    "Een alinea over\ntwee regels [@b, p. 3] en een noot.^[Zie [@c].]",
    "Zonder bron, met een referentienoot.[^1]",
    "Volgens @a is het zo. Daarna [zie @b; @c] meer.",
    "- item [@a]\n- item zonder bron\n    - genest [@b]",
    "1. een [@a]\n\n2. twee\n\n   tweede alinea [@b]",
    "De groepen:\n\n- een [@a]\n- twee [@b]",
    '## Kop {#sec-x tor="1.1"}',
    "### Kop met [@a] citaat",
    "Setext\n------",
    "::: geen-bron\nVrijgesteld.\n:::",
    '::: {tor="2.1"}\nIn een div [@a].\n\n- item in div [@b]\n:::',
    "```\n[@code]\n```",
    "    ingesprongen [@code]",
    "> Citaat [@a]\n> over twee regels",
    "| a | b |\n|---|---|\n| [@a] | 2 |\n\n: Bijschrift [@b] {#tbl-x}",
    "![Kaart](media/kaart.png){#fig-k}",
    "<!-- commentaar [@nee] -->",
    "Tekst\n<!-- midden -->\nloopt door [@a].",
    "[^2]: Noot met [@d].\n\n    Tweede alinea [@e].",
]


def random_chapter(rng: random.Random) -> str:
    parts = ["# Hoofdstuk"]
    for _ in range(rng.randrange(3, 12)):
        block = rng.choice(BLOCKS)
        if rng.random() < 0.2 and not block.startswith(("[^", "<!--")):  # inside a list item
            block = "- " + block.replace("\n", "\n  ")
        parts.append(block)
    text = "\n\n".join(parts) + "\n"
    if "[^1]" in text:
        text += "\n[^1]: Noot [@f].\n"
    return text + ("\nVerwijzing.[^2]\n" if "[^2]:" in text else "")


@pytest.mark.parametrize("seed", range(40))
def test_random_chapters(seed):
    text = random_chapter(random.Random(seed))
    assert_same(Path(f"random-{seed}.md"), text)


# --- the corpus: real pandoc Markdown and the disagreement classes -------------------

CORPUS = sorted((ROOT / "tests" / "corpus").rglob("*.md"))
CORPUS = [p for p in CORPUS if p.name != "README.md"]


# Disagreements left; each file must still fail, so a fix is noticed (strict
# xfail). None since the md-refusals branch: a definition list nested in a
# definition (MANUAL.md) and headings in grid-table cells
# (markdown-reader-more.md) are refused.
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus(path):
    """0 disagreements with pandoc on every corpus file; what the report
    format does not have is refused (AB005), counted as pandoc counts it."""
    if path.name in KNOWN:
        bad = {k: v for k, v in disagreements(path, path.read_text(encoding="utf-8")).items() if v}
        assert bad, f"{path.name} agrees with pandoc now: take it out of KNOWN"
        pytest.xfail(f"{KNOWN[path.name]}: {bad}")
    assert_same(path, path.read_text(encoding="utf-8"))


# --- regressions: one snippet a fix of the corpus disagreements -------------------

REGRESSIONS = {
    # "<!--" in a list item whose "-->" lies past the item: pandoc prints it
    "comment-leaves-item": "- een [@a]\n  <!-- begin\n- twee [@b]\n  -->\n- drie [@a, @b]\n",
    "comment-leaves-item-after-blank": "- een\n\n  <!-- begin\n\nbuiten [@a]\n\n-->\n",
    "comment-on-marker-line": "- een <!-- begin\n- twee [@a] -->\n- drie\n",
    # a key cited twice in a reference note, referred to twice: four citations
    "key-twice-in-reference-note": "Een.[^1] Twee.[^1]\n\n[^1]: @a [p. 12] en zonder plaats [@a].\n",
    # an entity in an autolink is printed as its character
    "entity-in-autolink": "Zie <http://g&ouml;&ouml;gle.com> [@a].\n\n<me@ex&auml;mple.com>\n\nEn <https://x.nl/&#233;>.\n",
    "comment-stays-in-item": "- een\n  <!-- begin\n  - twee [@a]\n  -->\n- drie [@b]\n",
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression(name):
    assert_same(Path(f"{name}.md"), REGRESSIONS[name])


# The two once in KNOWN, as snippets: refused (AB005) where pandoc reads them.
def test_definition_list_in_a_definition_is_refused():
    text = "Term\n  ~ Definitie.\n\n    Sub\n      ~ genest [@a].\n"
    assert_same(Path("dl-in-dl.md"), text)
    ch = parse_chapter(Path("dl-in-dl.md"), text)
    problems = reconcile(ch, parse(text, pandoc_path()))
    assert [(p.code, p.line, p.column) for p in problems] == [("AB005", 1, 1), ("AB005", 4, 5)]
    assert [c.key for b in ch.blocks for c in b.cites] == ["a"]  # counted once, in the nested list


def test_heading_in_a_grid_table_cell():
    text = (
        "Tabel:\n\n+-------+-------+\n| # een | twee  |\n+-------+-------+\n| a     | b [@a]|\n+-------+-------+\n"
        "\n# Een\n\nTekst [@b].\n"
    )
    assert_same(Path("heading-in-cell.md"), text)
    ch = parse_chapter(Path("heading-in-cell.md"), text)
    problems = reconcile(ch, parse(text, pandoc_path()))
    assert [(p.code, p.line) for p in problems] == [("AB005", 4)]
    assert "heading in a table cell" in problems[0].message
    # the cell's heading takes the id "een" in pandoc's output: the chapter's
    # own "# Een" is "een-1", as published
    assert [h.id for h in ch.headings] == ["een-1"]


def corpus_figures() -> tuple[dict[str, int], dict[str, int]]:
    """Disagreements per class over the corpus: the scanner alone (before)
    and the checker's reading (after). ``python -m tests.load.test_markdown_vs_pandoc``."""
    before: Counter = Counter()
    after: Counter = Counter()
    for p in CORPUS:
        text = p.read_text(encoding="utf-8")
        before.update(disagreements(p, text, with_pandoc=False))
        after.update(disagreements(p, text))
    return dict(before), dict(after)


if __name__ == "__main__":
    b, a = corpus_figures()
    print(f"{len(CORPUS)} files, {sum(p.stat().st_size for p in CORPUS):,} bytes")
    for k in CLASSES:
        print(f"{k:12} before {b.get(k, 0):5}  after {a.get(k, 0):5}")


def test_the_checker_reads_with_the_renders_reader():
    from ambtsbericht_build.render.document import READER as RENDER_READER

    assert RENDER_READER == READER


# --- the class: what is inside a definition or a grid table's cell ----------------------

# blocks a definition or a cell may hold, as lines (the report format refuses
# a heading and a definition list there; their citations still count)
INNER = [
    ["tekst [@a]"],
    ["# Kop [@b]"],
    ["- punt [@a]", "- punt twee"],
    ["1. een [@c]"],
    ["> citaat [@b]"],
    ["Term", ": definitie [@a]"],
    ["| regel [@c]"],
    ["## Kop"],
]
# (Not a note: in a refused construct whose text the scanner reads as other
# blocks, pandoc's notes count as citations, not as notes; see the report of
# the md-refusals branch.)


@st.composite
def inner_blocks(draw, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for k in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:  # a definition list, nested
            block = ["Sub", ": " + "\n  ".join(draw(inner_blocks(depth + 1)))]
            block = "\n".join(block).split("\n")
        else:
            block = draw(st.sampled_from(INNER))
        lines += ([""] if k else []) + block
    return lines


def _definition_list(lines: list[str]) -> str:
    body = "\n".join("    " + s if s else "" for s in lines).lstrip()
    return "Term [@e]\n\n:   " + body + "\n"


def _grid_table(cells: list[list[str]]) -> str:
    width = max(len(s) for c in cells for s in c) + 2
    rule = "+" + "+".join(["-" * width] * 2) + "+"
    out = [rule]
    for row in (cells[:2], cells[2:]):
        height = max(len(c) for c in row)
        for k in range(height):
            out.append("|" + "|".join(" " + (c[k] if k < len(c) else "").ljust(width - 1) for c in row) + "|")
        out.append(rule)
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inner_blocks(), st.lists(inner_blocks(), min_size=4, max_size=4), st.booleans())
def test_what_a_definition_or_cell_holds_is_read_as_pandoc_reads_it(definition, cells, table_first):
    """Headings and definition lists at any depth in a definition or a grid
    table's cell are refused one by one (AB005), the citations in them
    counted once, as pandoc reads them."""
    parts = [_definition_list(definition), _grid_table(cells)]
    # (a paragraph between them: ": ..." right before a table is its caption)
    text = "# Hoofdstuk\n\n" + "\nTussen [@a].\n\n".join(parts[::-1] if table_first else parts) + "\nSlot [@a].\n"
    assert_same(Path("inner.md"), text)
