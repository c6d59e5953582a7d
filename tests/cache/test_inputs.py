"""The key of a render: it changes with every input, and with nothing else the render writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ambtsbericht_build.cache import inputs
from ambtsbericht_build.load.files import Repo
from tests.fixtures.report_kit import CHAPTER, ReportDir


def key(report: ReportDir, out: Path) -> str:
    return inputs.key(inputs.fingerprint(report.dir, out, {"to": None}))


def test_repo_root_is_the_loaders(tmp_path: Path) -> None:
    plain = tmp_path / "a" / "reports" / "x"
    plain.mkdir(parents=True)
    in_git = tmp_path / "b" / "deep" / "reports" / "y"
    in_git.mkdir(parents=True)
    (tmp_path / "b" / ".git").mkdir()
    loose = tmp_path / "c" / "z"
    loose.mkdir(parents=True)
    link = tmp_path / "d" / "reports"
    link.mkdir(parents=True)
    (link / "w").symlink_to(plain)
    for d in (plain, in_git, loose, link / "w", Path(os.path.relpath(plain))):
        assert inputs.repo_root(d) == Repo.for_report(d).root, d


def test_every_input_changes_the_key(report: ReportDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = report.root / "build" / "testland"
    seen = {key(report, out)}

    def changed(what: str) -> None:
        k = key(report, out)
        assert k not in seen, f"the key did not change with {what}"
        seen.add(k)

    report.write(CHAPTER, report.path(CHAPTER).read_text() + "\nEen zin.\n")
    changed("a chapter")
    report.write("media/kaart.png", b"\x89PNG not really")
    changed("an image")
    report.write_root("bibliography/gedeeld.yaml", "[]\n")
    changed("the shared bibliography")
    report.write_root("templates/css/print.css", "h1 { color: red }\n")
    changed("a house-style override")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    changed("SOURCE_DATE_EPOCH")
    monkeypatch.setenv("ABUILD_WRITER_MEMORY", "3G")
    changed("an abuild setting")
    monkeypatch.setenv("USER", "iemand-anders")
    changed("the user the audit looks for")
    real = inputs._distributions
    monkeypatch.setattr(inputs, "_distributions", lambda: [*real(), "weasyprint-71.0.dist-info"])
    changed("another WeasyPrint")
    libs = tmp_path / "lib"
    libs.mkdir()
    monkeypatch.setattr(inputs, "_library_dirs", lambda: [libs])
    changed("no system library found where they were")
    (libs / "libharfbuzz-subset.so.0").write_bytes(b"\x7fELF")
    changed("HarfBuzz's subsetter installed (WeasyPrint then subsets the PDF's fonts with it)")
    (libs / "libpango-1.0.so.0").write_bytes(b"\x7fELF")
    changed("Pango")
    (libs / "libpango-1.0.so.0").write_bytes(b"\x7fELF, upgraded")
    changed("Pango upgraded")
    package = tmp_path / "package"
    shutil.copytree(inputs.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs, "PACKAGE", package)
    seen.add(key(report, out))
    (package / "render" / "labels.py").write_text("# another abuild\n", encoding="utf-8")
    changed("abuild's own code")
    assert inputs.key(inputs.fingerprint(report.dir, out, {"to": "html"})) not in seen, "the options"

    # what the render itself writes is no input
    before = key(report, out)
    (out / "testland.html").parent.mkdir(parents=True)
    (out / "testland.html").write_text("<html>")
    (report.root / "build" / ".cache" / "chapter").mkdir(parents=True)
    assert key(report, out) == before


def test_git_state_is_part_of_the_key(report: ReportDir) -> None:
    from tests.fixtures.report_kit import git_in

    shutil.rmtree(report.root / ".git")
    git_in(report.root, "init", "-q")
    out = report.root / "build" / "testland"
    k0 = key(report, out)
    git_in(report.root, "add", "-A")
    k1 = key(report, out)
    git_in(report.root, "commit", "-qm", "x")
    k2 = key(report, out)
    assert len({k0, k1, k2}) == 3
    out.mkdir(parents=True)
    (out / "testland.pdf").write_bytes(b"%PDF")  # build/ is not ignored here: still no input
    assert key(report, out) == k2
