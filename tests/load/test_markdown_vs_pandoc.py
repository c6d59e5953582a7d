"""The position-keeping scanner reads chapters the way pandoc does.

For each chapter, the real pandoc (``-f markdown -t json``) and
:func:`ambtsbericht_build.load.markdown.parse_chapter` must agree on the
citations (ids of Cite elements), the number of footnotes (Note elements),
the headings (level and identifier), the ``tor`` attributes, and the
paragraphs and list items the claims rules look at. Run on the fixtures in
``tests/fixtures/markdown``, on ``reports/voorbeeldland`` and on the
synthetic benchmark report.
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

from ambtsbericht_build.load.markdown import parse_chapter
from ambtsbericht_build.tools import pandoc_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "markdown" / "chapters").glob("*.md"))
EXAMPLE = sorted((ROOT / "reports" / "voorbeeldland" / "chapters").glob("*.md"))


# --- what pandoc sees -------------------------------------------------------------


def pandoc_facts(text: str) -> dict:
    proc = subprocess.run(
        [pandoc_path(), "--sandbox", "-f", "markdown", "-t", "json"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    facts = {"cites": Counter(), "notes": 0, "headings": [], "tor": [], "paragraphs": 0, "lists": []}
    _walk(json.loads(proc.stdout)["blocks"], facts, outside=True)
    return facts


def _walk(node, facts: dict, outside: bool) -> None:
    """``outside``: not inside a note, table or figure (where the claims rules do not look)."""
    if isinstance(node, list):
        for x in node:
            _walk(x, facts, outside)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Cite":
        facts["cites"].update(c["citationId"] for c in content[0])
    elif kind == "Note":
        facts["notes"] += 1
        _walk(content, facts, False)
        return
    elif kind == "Header":
        level, (ident, _classes, kv), _ = content
        facts["headings"].append((level, ident))
        facts["tor"] += [v for k, v in kv if k == "tor"]
    elif kind == "Div":
        facts["tor"] += [v for k, v in content[0][2] if k == "tor"]
    elif kind in ("Table", "Figure"):
        _walk(content, facts, False)
        return
    elif kind in ("Para", "Plain") and outside:
        facts["paragraphs"] += 1
    elif kind in ("BulletList", "OrderedList") and outside:
        items = content if kind == "BulletList" else content[1]
        n = sum(1 for item in items if item and item[0]["t"] in ("Para", "Plain"))
        if n:
            facts["lists"].append(n)
    _walk(content, facts, outside)


# --- what the scanner sees --------------------------------------------------------


def scanner_facts(path: Path, text: str) -> dict:
    ch = parse_chapter(path, text)
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
            cites.update({c.key: n for c in b.cites})
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
    }


def assert_same(path: Path, text: str) -> None:
    want, got = pandoc_facts(text), scanner_facts(path, text)
    for facts in (want, got):
        facts["tor"].sort()
        facts["lists"].sort()
    for key in want:
        assert got[key] == want[key], f"{path.name}: {key}: scanner {got[key]} != pandoc {want[key]}"


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
