"""Red team (session 7): a YAML file's values read back from the check's
cache (load/yaml_kept.py) came with every mapping's keys sorted (the store
writes JSON objects sorted), where the file's order counts: the glossary's
first abbreviation of a full form is the one printed (render/csl_items.py).
A render with the cache printed "UN" where one without printed "VN"."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import checks
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.commands.check import CheckOptions, check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load.yaml_kept import kept_yaml
from ambtsbericht_build.load.yamlpos import YamlError, load_yaml
from tests.cache.test_check_parts import settled
from tests.fixtures.report_kit import ReportDir

KEYS = st.text("ZYXVUNBA_1é", min_size=1, max_size=3)
VALUES = st.recursive(
    st.one_of(st.none(), st.text("ab é", max_size=4)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=10,
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=2, max_size=5))
def test_a_kept_yaml_file_keeps_the_order_of_every_mapping(tmp_path_factory: pytest.TempPathFactory, value) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps(value, ensure_ascii=False, indent=1)  # JSON is YAML, in flow style
    try:
        expected = load_yaml(text)
    except YamlError:
        return
    root = tmp_path_factory.mktemp("yaml")
    (root / ".git").mkdir()
    store = Store(root / "build" / ".cache", repo=root)
    for _ in range(2):  # parsed and kept (as cache/checks.py writes it), then read back
        p = checks.Persisted(store, "tools")
        token = checks._CURRENT.set(p)
        try:
            data, positions = kept_yaml(text)
        finally:
            checks._CURRENT.reset(token)
        for k, v in p.pure.items():
            store.put_json(checks.KIND, k, v)
        # json.dumps without sort_keys: the order of every mapping compared
        assert json.dumps(data) == json.dumps(expected[0])
        assert list(positions.keys.items()) == list(expected[1].keys.items())
    assert p.hits == 1


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
