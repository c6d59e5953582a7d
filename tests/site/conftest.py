"""The site tests' fixture repository: two tagged editions of one report,
a concept of another, and the site built from it (once per session)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fixtures.report_kit import ABUILD, CHAPTER, REPORT_YAML, git_in, make_report


def _abuild(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ABUILD), *args], cwd=repo, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    """testland v1.0 and v1.1 (vastgesteld, tagged; v1.1 changes a sentence),
    conceptland (a concept)."""
    rd = make_report(tmp_path_factory.mktemp("publish"))
    root = rd.root
    (root / ".git").rmdir()
    final = REPORT_YAML.replace("status: concept", "status: vastgesteld")
    rd.write("report.yaml", final)
    git_in(root, "init", "-q", "-b", "main")
    git_in(root, "add", "-A")
    git_in(root, "commit", "-q", "-m", "testland 1.0 vastgesteld")
    git_in(root, "tag", "testland/v1.0")
    chapter = rd.path(CHAPTER)
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("Testland", "Testland (herzien)", 1), encoding="utf-8"
    )
    rd.write(
        "report.yaml", final.replace('version: "1.0"', 'version: "1.1"').replace("date: 2026-03-01", "date: 2026-03-15")
    )
    git_in(root, "commit", "-q", "-am", "testland 1.1 vastgesteld")
    git_in(root, "tag", "testland/v1.1")
    shutil.copytree(rd.dir, root / "reports" / "conceptland")
    (root / "reports" / "conceptland" / "report.yaml").write_text(
        REPORT_YAML.replace("Testland", "Conceptland"), encoding="utf-8"
    )
    git_in(root, "add", "-A")
    git_in(root, "commit", "-q", "-m", "conceptland begonnen")
    return root


@pytest.fixture(scope="session")
def site(repo) -> Path:
    proc = _abuild(repo, "publish", "--out", "build/site")
    assert proc.returncode == 0, proc.stderr
    assert "2 edition(s) rendered, 0 kept" in proc.stdout
    return repo / "build" / "site"
