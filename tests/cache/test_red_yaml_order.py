"""Red team (session 7): a YAML file's values read back from the check's
cache (load/yaml_kept.py) came with every mapping's keys sorted (the store
writes JSON objects sorted), where the file's order counts: the glossary's
first abbreviation of a full form is the one printed (render/csl_items.py).
A render with the cache printed "UN" where one without printed "VN". The
property (every mapping's order, any values) is test_check_parts.py's
round-trip test, which compares the order too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ambtsbericht_build.commands.check import CheckOptions, check_report
from ambtsbericht_build.diagnostics import Diagnostics
from tests.cache.test_check_parts import settled
from tests.fixtures.report_kit import ReportDir


def test_the_glossary_keeps_its_order_through_the_cache(report: ReportDir, monkeypatch: pytest.MonkeyPatch) -> None:
    report.write("glossary.yaml", "VN: Verenigde Naties\nUN: Verenigde Naties\nAB: Alfa\n")
    settled(report)
    monkeypatch.chdir(report.root)
    orders = []
    for cache in (False, True, True):  # from nothing, kept, read back
        lr = check_report(Path(os.path.relpath(report.dir)), Diagnostics(), CheckOptions(cache=cache))
        assert lr is not None
        orders.append(list(lr.glossary))
    assert orders == [["VN", "UN", "AB"]] * 3
