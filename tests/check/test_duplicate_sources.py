"""AB108: a source id defined twice, anywhere in the report's bibliography.

Before AB108 ``abuild check`` said nothing, and pandoc printed the later entry
in every footnote citing the id (the render test is in
tests/render/test_duplicate_sources.py).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from tests.fixtures.report_kit import SOURCES_YAML, make_report

OTHER = """\

- id: hrw-2025
  type: report
  author: [{literal: Amnesty International}]
  title: Een andere bron
  issued: 2025-01-16
"""

SECOND_LINE = SOURCES_YAML.count("\n") + 2  # the "- id:" line of OTHER


def test_twice_in_sources_yaml(report):
    report.write("sources.yaml", SOURCES_YAML + OTHER)
    d = report.expect("AB108", "sources.yaml", SECOND_LINE, 3)
    assert "source hrw-2025 is defined twice: also at reports/testland/sources.yaml:1:3" in d.message
    assert "give one another id" in d.message


def test_a_report_source_that_shadows_a_shared_one(report):
    report.write_root(
        "bibliography/gedeeld.yaml",
        """\
        - id: ai-2025
          type: report
          author: [{literal: Amnesty International}]
          title: Testland 2025
          issued: 2025-04-29

        - id: hrw-2025
          type: report
          author: [{literal: Human Rights Watch}]
          title: World Report 2025 – Testland
          issued: 2025-01-16
        """,
    )
    # the report's own entry comes first in the bibliography, and is the one reported
    d = report.expect("AB108", "sources.yaml", 1, 3)
    assert "has the same id as the shared source at bibliography/gedeeld.yaml:7:3" in d.message


def test_two_shared_files(report):
    for name in ("a.yaml", "b.yaml"):
        report.write_root(
            f"bibliography/{name}",
            """\
            - id: un-2025
              type: report
              author: [{literal: Verenigde Naties}]
              title: Testland
              issued: 2025-04-29
            """,
        )
    diags = [d for d in report.check() if d.code == "AB108"]
    assert len(diags) == 1
    assert Path(diags[0].file) == report.root / "bibliography" / "b.yaml"
    assert "also at bibliography/a.yaml:1:3" in diags[0].message


def test_csl_json_and_bibtex_files_the_report_lists(report):
    report.write(
        "extra.json",
        json.dumps(
            [{"id": "hrw-2025", "type": "report", "title": "JSON", "author": [{"literal": "X"}], "issued": "2025"}],
            indent=1,
        ),
    )
    report.write("extra.bib", "@report{hrw-2025,\n  title = {BibTeX},\n  author = {{X}},\n  year = {2025}\n}\n")
    report.write(
        "report.yaml", report.path("report.yaml").read_text() + "bibliography: [sources.yaml, extra.json, extra.bib]\n"
    )
    found = sorted((Path(d.file).name, d.line, d.column) for d in report.check() if d.code == "AB108")
    assert found == [("extra.bib", 1, 1), ("extra.json", 3, 3)]


def test_three_entries_two_findings_and_none_for_distinct_ids(report):
    report.write("sources.yaml", SOURCES_YAML + OTHER + OTHER)
    assert report.codes().count("AB108") == 2
    report.write("sources.yaml", SOURCES_YAML + OTHER.replace("id: hrw-2025", "id: hrw-2025-b"))
    assert "AB108" not in report.codes()


def test_a_confidential_and_a_public_entry_with_one_id(report):
    report.write_root(
        "bibliography/gedeeld.yaml",
        """\
        - id: vb-2025-11-04
          type: report
          author: [{literal: Human Rights Watch}]
          title: Iets anders
          issued: 2025-01-16
        """,
    )
    d = report.expect("AB108", "sources.yaml", 9, 3)
    # one of them is confidential: its key may say too much (CI logs); the places say which
    assert "vb-2025-11-04" not in d.message and "bibliography/gedeeld.yaml:1:3" in d.message


def test_the_render_uses_neither_entry(report):
    report.write("sources.yaml", SOURCES_YAML + OTHER)
    lr = load_report(report.dir, Diagnostics())
    assert lr is not None
    assert lr.duplicate_source_ids() == {"hrw-2025"}
    assert [s.source.id for s in lr.unambiguous_sources()] == ["vb-2025-11-04"]


_ENTRY = "- id: {id}\n  type: report\n  author: [{{literal: X}}]\n  title: T\n  issued: 2025-01-16\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=7))
def test_one_finding_per_later_entry(ids):
    with tempfile.TemporaryDirectory() as tmp:
        report = make_report(Path(tmp))
        report.write("sources.yaml", "\n".join(_ENTRY.format(id=i) for i in ids))
        cited = "".join(f"[@{i}]" for i in sorted(set(ids)))
        report.chapter(f'# Politiek\n\n## V {{tor="1.1 1.2"}}\n\nTekst.{cited}\n')
        found = [d for d in report.check() if d.code == "AB108"]
        assert len(found) == len(ids) - len(set(ids))
        lr = load_report(report.dir, Diagnostics())
        assert lr is not None
        usable = [s.source.id for s in lr.unambiguous_sources()]
        assert sorted(usable) == sorted(i for i in set(ids) if ids.count(i) == 1)
