"""Shared fixtures for the check and load tests.

The helpers live in ``tests/fixtures/report_kit.py`` (imported by that name:
a test importing from ``conftest`` could get another directory's conftest).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

from report_kit import ReportDir, make_report  # noqa: E402


@pytest.fixture
def report(tmp_path) -> ReportDir:
    """A valid report (no findings) in ``tmp_path/repo/reports/testland``."""
    return make_report(tmp_path)
