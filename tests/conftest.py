"""Shared fixtures for the check and load tests.

The helpers live in ``tests/fixtures/report_kit.py``; tests import them as
``from tests.fixtures.report_kit import ...`` (``tests`` is a package).
"""

from __future__ import annotations

import os

import pytest

from tests.fixtures.report_kit import ReportDir, make_report

# abuild render and check read and write build/.cache/ by default. The suite
# tests what they do with every input (faults, signals, memory ceilings), so
# its renders go without the cache, child processes too; tests/cache/ turns
# it on where the cache itself is tested.
os.environ["ABUILD_CACHE"] = "off"


@pytest.fixture
def report(tmp_path) -> ReportDir:
    """A valid report (no findings) in ``tmp_path/repo/reports/testland``."""
    return make_report(tmp_path)
