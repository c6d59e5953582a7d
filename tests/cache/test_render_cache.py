"""A render with the cache is byte-identical to one without it.

Real renders (pandoc, WeasyPrint, all four formats and the manifest),
through the command line (``abuild render``, in process): the example
report cold, warm with nothing changed and after a chapter edit; a small
report after a template change and after a (simulated) tool-version change.
The fast path must also see a deleted or tampered output, and a damaged
cache entry is ignored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambtsbericht_build.cache import inputs
from ambtsbericht_build.cli import main
from tests.fixtures.report_kit import git_in
from tests.render.conftest import make_mini_report

REPO = Path(__file__).resolve().parents[2]
FILES = ("html", "pdf", "docx", "odt", "manifest.json")
UNCHANGED = "nothing changed since the last render"


def render(report: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["render", str(report), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def outputs(out: Path, slug: str) -> dict[str, bytes]:
    return {f: (out / f"{slug}.{f}").read_bytes() for f in FILES}


def assert_same(a: Path, b: Path, slug: str) -> None:
    got, want = outputs(a, slug), outputs(b, slug)
    for f in FILES:
        assert got[f] == want[f], f"{slug}.{f} with the cache differs from the one without"


def committed(root: Path) -> None:
    (root / ".gitignore").write_text("build/\n")
    git_in(root, "init", "-q")
    git_in(root, "add", "-A")
    git_in(root, "commit", "-qm", "report")


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "reports" / "voorbeeldland", root / "reports" / "voorbeeldland")
    shutil.copytree(REPO / "bibliography", root / "bibliography")
    committed(root)
    return root / "reports" / "voorbeeldland"


def test_example_cold_warm_and_after_a_chapter_edit(example_repo: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "with-cache", tmp_path / "without"
    cold = render(example_repo, a)
    assert UNCHANGED not in cold
    warm = render(example_repo, a)
    assert UNCHANGED in warm and "document" not in warm, warm
    assert warm.splitlines()[-5:] == cold.splitlines()[-5:]  # the same outputs listed

    chapter = example_repo / "chapters" / "02-mensenrechten.md"
    chapter.write_text(chapter.read_text().replace("\n\n", "\n\nEen nieuwe alinea over de mensenrechten.\n\n", 1))
    edited = render(example_repo, a)
    assert UNCHANGED not in edited and "the cache's" not in edited  # a new text: every format written
    render(example_repo, b, "--no-cache")
    assert_same(a, b, "voorbeeldland")
    assert not (example_repo.parents[1] / "build").exists() or (example_repo.parents[1] / "build" / ".cache").is_dir()

    # what a render says about an output tampered with or deleted: rendered again
    (a / "voorbeeldland.odt").write_bytes(b"not the ODT")
    again = render(example_repo, a)
    assert UNCHANGED not in again and "odt" in again and "the cache's" in again  # all four: the same input
    assert_same(a, b, "voorbeeldland")
    (a / "voorbeeldland.pdf").unlink()
    assert UNCHANGED not in render(example_repo, a)
    assert_same(a, b, "voorbeeldland")
    assert UNCHANGED in render(example_repo, a)


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    report = make_mini_report(tmp_path / "repo")
    shutil.rmtree(tmp_path / "repo" / ".git")
    committed(tmp_path / "repo")
    return report


def test_after_a_template_change_and_a_tool_version_change(
    mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = mini_repo.parents[1]
    a, b = tmp_path / "with-cache", tmp_path / "without"
    render(mini_repo, a)
    render(mini_repo, b, "--no-cache")
    assert_same(a, b, "testland")

    # a house-style override: document.json and facts.json are the same,
    # the HTML and PDF are not
    css = root / "templates" / "css" / "print.css"
    css.parent.mkdir(parents=True)
    shutil.copy(REPO / "ambtsbericht_build" / "templates" / "css" / "print.css", css)
    with css.open("a") as fh:
        fh.write("\nh1 { letter-spacing: 0.2em; }\n")
    said = render(mini_repo, a)
    assert UNCHANGED not in said
    assert "pdf" in said and not any(line.startswith("pdf") and "the cache's" in line for line in said.splitlines())
    render(mini_repo, b, "--no-cache")
    assert_same(a, b, "testland")
    before = outputs(a, "testland")

    # another WeasyPrint (the version the key reads): nothing is reused
    real = inputs._distributions
    monkeypatch.setattr(inputs, "_distributions", lambda: [*real(), "weasyprint-999.dist-info"])
    said = render(mini_repo, a)
    assert UNCHANGED not in said and "the cache's" not in said, said
    assert outputs(a, "testland") == before
    assert UNCHANGED in render(mini_repo, a)


def test_a_damaged_cache_is_ignored_and_a_refusal_is_not_cached(mini_repo: Path, tmp_path: Path) -> None:
    root = mini_repo.parents[1]
    a, b = tmp_path / "with-cache", tmp_path / "without"
    render(mini_repo, a)
    for entry in (root / "build" / ".cache").rglob("*"):
        if entry.is_file():
            data = entry.read_bytes()
            entry.write_bytes(data[: len(data) // 2] + b"x" + data[len(data) // 2 + 1 :])
    said = render(mini_repo, a)
    assert UNCHANGED not in said and "the cache's" not in said
    render(mini_repo, b, "--no-cache")
    assert_same(a, b, "testland")
    assert UNCHANGED in render(mini_repo, a)

    # a confidentiality finding (AB401, a remote image): refused, every time
    chapter = mini_repo / "chapters" / "01-politiek.md"
    chapter.write_text(chapter.read_text() + "\n![Kaart](https://example.org/kaart.png)\n")
    for _ in range(2):
        result = CliRunner().invoke(main, ["render", str(mini_repo), "--out", str(a)])
        assert result.exit_code == 1 and UNCHANGED not in result.output and "AB401" in result.output
