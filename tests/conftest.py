"""Shared fixtures for the check and load tests.

The helpers live in ``tests/fixtures/report_kit.py``; tests import them as
``from tests.fixtures.report_kit import ...`` (``tests`` is a package).
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.fixtures.report_kit import ReportDir, make_report

# abuild render and check read and write build/.cache/ by default. The suite
# tests what they do with every input (faults, signals, memory ceilings), so
# its renders go without the cache, child processes too; tests/cache/ turns
# it on where the cache itself is tested.
os.environ["ABUILD_CACHE"] = "off"

# A shell starts a background job (`make test &`, a CI step in the
# background) with SIGINT ignored, and an ignored signal stays ignored in
# every child: the tests that interrupt a render, a diff or a preview with
# SIGINT then saw it finish (exit 0). With a handler here, the children this
# suite starts get the default again (a handler does not survive exec).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def report(tmp_path) -> ReportDir:
    """A valid report (no findings) in ``tmp_path/repo/reports/testland``."""
    return make_report(tmp_path)
