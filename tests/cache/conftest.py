"""The cache is off for the rest of the suite (tests/conftest.py); here it is what is tested."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures.report_kit import git_in
from tests.render.conftest import make_mini_report


@pytest.fixture(autouse=True)
def cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ABUILD_CACHE", raising=False)


def committed(root: Path) -> None:
    (root / ".gitignore").write_text("build/\n")
    git_in(root, "init", "-q")
    git_in(root, "add", "-A")
    git_in(root, "commit", "-qm", "report")


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """The small report of tests/render/conftest.py in a repository of its own, committed."""
    report = make_mini_report(tmp_path / "repo")
    shutil.rmtree(tmp_path / "repo" / ".git")
    committed(tmp_path / "repo")
    return report
