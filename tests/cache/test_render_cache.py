"""A render with the cache is byte-identical to one without it.

Real renders (pandoc, WeasyPrint, all four formats and the manifest),
through the command line (``abuild render``, in process): the example report
after a chapter edit (its other chapters read by pandoc from the cache) and
warm with nothing changed; a small report from a cold cache, after a
template change, after a (simulated) tool-version change and with every
entry damaged. The fast path must also see a deleted or tampered output,
and replay the findings as the render printed them. Each scenario renders
once with the cache and compares with a render without it (CPU: the example
report costs ~9 s a render, the small one ~4 s).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambtsbericht_build.cache import inputs
from ambtsbericht_build.cli import main
from tests.cache.conftest import committed

REPO = Path(__file__).resolve().parents[2]
FILES = ("html", "pdf", "docx", "odt", "manifest.json")
# the small report's scenarios: the formats the house style shapes (the
# example covers all four; a DOCX and ODT writer cost ~2 s of CPU a render)
SMALL = ("--to", "html,pdf")
SMALL_FILES = ("html", "pdf", "manifest.json")
UNCHANGED = "nothing changed since the last render"


def render(report: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["render", str(report), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def outputs(out: Path, slug: str, files: tuple[str, ...] = FILES) -> dict[str, bytes]:
    return {f: (out / f"{slug}.{f}").read_bytes() for f in files}


def assert_same(a: Path, b: Path, slug: str, files: tuple[str, ...] = FILES) -> None:
    got, want = outputs(a, slug, files), outputs(b, slug, files)
    for f in files:
        assert got[f] == want[f], f"{slug}.{f} with the cache differs from the one without"


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "reports" / "voorbeeldland", root / "reports" / "voorbeeldland")
    shutil.copytree(REPO / "bibliography", root / "bibliography")
    committed(root)
    return root / "reports" / "voorbeeldland"


def test_example_after_a_chapter_edit_then_warm(example_repo: Path, tmp_path: Path) -> None:
    """The example report: pandoc's reading of its chapters cached by a check,
    one chapter edited, rendered with the cache and without; then nothing
    changed; then an output tampered with and another deleted."""
    a, b = tmp_path / "with-cache", tmp_path / "without"
    checked = CliRunner().invoke(main, ["check", str(example_repo)])
    assert checked.exit_code == 0, checked.output
    chapter = example_repo / "chapters" / "02-mensenrechten.md"
    chapter.write_text(chapter.read_text().replace("\n\n", "\n\nEen nieuwe alinea over de mensenrechten.\n\n", 1))
    edited = render(example_repo, a)
    assert UNCHANGED not in edited and "the cache's" not in edited  # a new text: every format written
    render(example_repo, b, "--no-cache")
    assert_same(a, b, "voorbeeldland")

    warm = render(example_repo, a)
    assert UNCHANGED in warm and "document" not in warm, warm
    assert warm.splitlines()[-5:] == edited.splitlines()[-5:]  # the same outputs listed

    # an output tampered with, another deleted: rendered again, every format
    # the cache's (the same document), audited and byte for byte the same
    (a / "voorbeeldland.odt").write_bytes(b"not the ODT")
    (a / "voorbeeldland.pdf").unlink()
    again = render(example_repo, a)
    assert UNCHANGED not in again and again.count("the cache's") == 4, again
    # ... whose text the audit matched in the render before: every part of
    # them from the audit's store (cache/audits.py); only the manifest is
    # matched (it is audited after the store is written)
    reused = re.search(r"matched before: (\d+) of (\d+) parts", again)
    assert reused is not None and int(reused.group(2)) - int(reused.group(1)) == 1, again
    assert_same(a, b, "voorbeeldland")
    assert UNCHANGED in render(example_repo, a)


def test_after_a_template_change_and_a_tool_version_change(
    mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = mini_repo.parents[1]
    a, b = tmp_path / "with-cache", tmp_path / "without"
    real = render(mini_repo, a, *SMALL)
    render(mini_repo, b, "--no-cache", *SMALL)
    assert_same(a, b, "testland", SMALL_FILES)
    replayed = render(mini_repo, a, *SMALL)
    assert UNCHANGED in replayed
    found = [line for line in real.splitlines() if ": AB" in line]
    assert found, "the small report has findings (an uncited source)"
    assert [line for line in replayed.splitlines() if ": AB" in line] == found, "findings replayed as printed"

    # a house-style override: document.json and facts.json are the same,
    # the HTML and PDF are not
    css = root / "templates" / "css" / "print.css"
    css.parent.mkdir(parents=True)
    shutil.copy(REPO / "ambtsbericht_build" / "templates" / "css" / "print.css", css)
    with css.open("a") as fh:
        fh.write("\nh1 { letter-spacing: 0.2em; }\n")
    said = render(mini_repo, a, *SMALL)
    assert UNCHANGED not in said
    assert "pdf" in said and not any(line.startswith("pdf") and "the cache's" in line for line in said.splitlines())
    render(mini_repo, b, "--no-cache", *SMALL)
    assert_same(a, b, "testland", SMALL_FILES)
    before = outputs(a, "testland", SMALL_FILES)

    # another WeasyPrint (the version the key reads): nothing is reused
    real_dists = inputs._distributions
    monkeypatch.setattr(inputs, "_distributions", lambda: [*real_dists(), "weasyprint-999.dist-info"])
    said = render(mini_repo, a, *SMALL)
    assert UNCHANGED not in said and "the cache's" not in said, said
    assert outputs(a, "testland", SMALL_FILES) == before
    assert UNCHANGED in render(mini_repo, a, *SMALL)

    # every entry damaged: ignored, the render is made again and is the same.
    # The middle byte is inverted, never set: set to "x", it left each entry
    # whose middle byte was an "x" already as it was (which one depends on
    # the lengths of the temporary paths the entries hold)
    for entry in (root / "build" / ".cache").rglob("*"):
        if entry.is_file() and entry.stat().st_size:
            data = bytearray(entry.read_bytes())
            data[len(data) // 2] ^= 0xFF
            entry.write_bytes(bytes(data))
    said = render(mini_repo, a, *SMALL)
    assert UNCHANGED not in said and "the cache's" not in said
    assert_same(a, b, "testland", SMALL_FILES)
    last = render(mini_repo, a, *SMALL)
    assert UNCHANGED in last, f"the render after the damage said:\n{said}\nand the next one:\n{last}"


def test_a_refusal_is_not_cached(mini_repo: Path, tmp_path: Path) -> None:
    """A confidentiality finding (AB401, a remote image): refused, every time."""
    chapter = mini_repo / "chapters" / "01-politiek.md"
    chapter.write_text(chapter.read_text() + "\n![Kaart](https://example.org/kaart.png)\n")
    for _ in range(2):
        result = CliRunner().invoke(main, ["render", str(mini_repo), "--to", "html", "--out", str(tmp_path / "out")])
        assert result.exit_code == 1 and UNCHANGED not in result.output and "AB401" in result.output
