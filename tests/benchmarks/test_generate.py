"""The benchmark report generator: deterministic, the promised size, and a
report that ``abuild check`` reads (and finds nothing in).

The report is generated once per module; counting words and notes uses
pandoc's own AST, not the generator's bookkeeping.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks import generate as gen

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    stats = gen.generate(root, seed=1)
    return root, Path(stats["report"]), stats


@pytest.fixture(scope="module")
def report(generated):
    return generated[1]


def _files(top: Path) -> dict[str, bytes]:
    return {str(p.relative_to(top)): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ast(report):
    """pandoc's AST of all chapters, in report order, as one document."""
    from ambtsbericht_build.tools import pandoc_path

    chapters = [str(report / c) for c in _yaml(report / "report.yaml")["chapters"]]
    out = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "json", *chapters], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


# --- determinism --------------------------------------------------------------


def test_same_seed_same_files(generated, tmp_path):
    root, report, _ = generated
    again = gen.generate(tmp_path, seed=1)
    assert _files(Path(again["report"])) == _files(report)
    assert (tmp_path / ".git").is_dir()


def test_other_seed_other_text(generated, tmp_path):
    _, report, _ = generated
    other = Path(gen.generate(tmp_path, seed=2)["report"])
    a, b = _files(report), _files(other)
    # the same files, but for the archived copies, named by their sources' ids
    assert {k for k in a if not k.startswith("archive/")} == {k for k in b if not k.startswith("archive/")}
    assert a["chapters/04-rechtsstaat.md"] != b["chapters/04-rechtsstaat.md"]


def test_regenerating_replaces_the_report(tmp_path):
    gen.generate(tmp_path, seed=3)
    stray = tmp_path / "reports" / gen.SLUG / "chapters" / "99-stray.md"
    stray.write_text("# Stray\n", encoding="utf-8")
    gen.generate(tmp_path, seed=3)
    assert not stray.exists()


# --- counts -------------------------------------------------------------------


def test_layout(generated):
    root, report, _ = generated
    assert (root / ".git").is_dir()
    assert report == root / "reports" / gen.SLUG
    for name in ("report.yaml", "tor.yaml", "sources.yaml", "glossary.yaml", "media/fig.png"):
        assert (report / name).is_file(), name
    assert (report / "media" / "fig.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    meta = _yaml(report / "report.yaml")
    assert meta["status"] == "concept"
    assert meta["reference_period"]["end"] <= meta["date"]


def test_twelve_chapters(report):
    chapters = _yaml(report / "report.yaml")["chapters"]
    assert len(chapters) == 12
    assert sorted(p.name for p in (report / "chapters").glob("*.md")) == sorted(Path(c).name for c in chapters)
    for c in chapters:
        text = (report / c).read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        assert body.lstrip().startswith("# "), c


def test_sources(report):
    sources = _yaml(report / "sources.yaml")
    assert len(sources) == 350
    assert len({s["id"] for s in sources}) == 350
    confidential = [s for s in sources if s.get("confidential")]
    assert 25 <= len(confidential) <= 35
    for s in confidential:
        assert s["type"] == "interview" and "issued" in s and set(s["internal"]) == {"who", "notes", "archief"}
        assert not {"author", "title", "URL"} & set(s)
    for s in sources:
        if not s.get("confidential"):
            assert s.get("author") and s.get("title") and s.get("issued"), s["id"]
            if "URL" in s:
                assert s["accessed"] >= s["issued"], s["id"]


def test_questions_all_answered(report):
    tor = _yaml(report / "tor.yaml")
    assert len(tor["themes"]) == 8
    qids = [q["id"] for t in tor["themes"] for q in t["questions"]]
    assert len(qids) == 48 and len(set(qids)) == 48
    text = "\n".join(p.read_text(encoding="utf-8") for p in (report / "chapters").glob("*.md"))
    for q in qids:
        assert f'tor="{q}"' in text, q
    assert 1 <= text.count(".geen-informatie") <= 2


def _walk(node, fn, in_note=False):
    if isinstance(node, dict):
        t = node.get("t")
        fn(node, in_note)
        if t == "Cite":
            return  # its content repeats the citation's source text
        _walk(node.get("c"), fn, in_note or t == "Note")
    elif isinstance(node, list):
        for x in node:
            _walk(x, fn, in_note)


def test_footnotes(ast):
    """Notes as pandoc sees them: explicit notes plus citations outside notes
    (the note-style CSL turns each into a footnote)."""
    counts = {"Note": 0, "Cite": 0}

    def fn(node, in_note):
        if node.get("t") == "Note":
            counts["Note"] += 1
        elif node.get("t") == "Cite" and not in_note:
            counts["Cite"] += 1

    _walk(ast["blocks"], fn)
    total = counts["Note"] + counts["Cite"]
    assert 900 <= total <= 1020, counts
    assert counts["Note"] >= 100, counts  # inline and reference notes are both there


def test_words(ast):
    words = 0

    def fn(node, in_note):
        nonlocal words
        if node.get("t") == "Str" and any(ch.isalpha() for ch in node["c"]):
            words += 1

    _walk(ast["blocks"], fn)
    assert 63_000 <= words <= 77_000, words


def test_every_source_cited(report):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (report / "chapters").glob("*.md"))
    for s in _yaml(report / "sources.yaml"):
        assert f"@{s['id']}" in text, s["id"]


def test_tables_figure_and_crossrefs(ast, report):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (report / "chapters").glob("*.md"))
    kinds = {"Table": 0, "Figure": 0, "BulletList": 0, "OrderedList": 0}

    def fn(node, in_note):
        if node.get("t") in kinds:
            kinds[node["t"]] += 1

    _walk(ast["blocks"], fn)
    assert kinds["Table"] >= 3 and kinds["Figure"] == 1 and kinds["BulletList"] + kinds["OrderedList"] >= 3, kinds
    assert "[](#tbl-1)" in text and "[](#fig-1)" in text
    for marker in ("o.a.", "art. 12", "J.K. Doe", "^[Zie ook [@", "[^c", "::: geen-bron", "::: intern", "<!--"):
        assert marker in text, marker


# --- abuild check on it -----------------------------------------------------------


def test_abuild_check_json(generated):
    root, report, _ = generated
    exe = Path(sys.executable).with_name("abuild")
    cmd = (
        [str(exe)]
        if exe.exists()
        else [sys.executable, "-c", "import sys; from ambtsbericht_build.cli import main; main()"]
    )
    proc = subprocess.run(
        [*cmd, "check", "--format", "json", "--strict", str(report.relative_to(root))],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["version"] == 1
    assert set(out["summary"]) >= {"errors", "warnings"}
    assert isinstance(out["diagnostics"], list)
    # the generator writes a clean report: any finding is a generator or checker bug
    assert out["diagnostics"] == [], out["diagnostics"][:5]
    assert proc.returncode == 0
