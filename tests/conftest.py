"""Shared fixtures for the check and load tests.

The helpers live in ``tests/fixtures/report_kit.py``; tests import them as
``from tests.fixtures.report_kit import ...`` (``tests`` is a package).
"""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import ReportDir, make_report


@pytest.fixture
def report(tmp_path) -> ReportDir:
    """A valid report (no findings) in ``tmp_path/repo/reports/testland``."""
    return make_report(tmp_path)
