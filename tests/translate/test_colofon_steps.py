"""The colofon's review steps in a translated edition: a path step is
named by abuild's labels, a free-text step is a report.po entry."""

from __future__ import annotations

import polib

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.translate.extract import extract
from tests.fixtures.report_kit import make_report


def test_free_text_review_steps_are_translated_and_path_steps_are_labels(tmp_path):
    """The colofon prints each review step: a path step by abuild's label
    ("Internal review"), a free-text one as the drafter wrote it, so that is
    a report.po entry ("review 2") and the English colofon prints its translation."""
    from ambtsbericht_build.render.colofon import colofon_rows
    from ambtsbericht_build.translate import translate_report
    from ambtsbericht_build.translate.catalog import catalogs
    from tests.fixtures.report_kit import REPORT_YAML

    rd = make_report(tmp_path)
    steps = "review:\n  - {step: intern-review, date: 2026-01-05}\n  - {step: Collegiale toetsing, date: 2026-01-10}\n"
    rd.write("report.yaml", REPORT_YAML.replace("status: concept", "status: review") + steps, dedent_text=False)
    diags = Diagnostics()
    lr = load_report(rd.dir, diags)
    (report,) = [c for c in catalogs(lr, "en") if c.kind == "report"]
    review = {e.msgctxt: e for e in report.entries if e.msgctxt.startswith("review")}
    assert list(review) == ["review 2"] and review["review 2"].msgid == "Collegiale toetsing"
    assert review["review 2"].occurrences == [("report.yaml", str(REPORT_YAML.count("\n") + 3))]
    extract(lr, "en", diags)
    po = polib.pofile(str(report.po))
    po.find("Collegiale toetsing", msgctxt="review 2").msgstr = "Peer review"
    po.save(str(report.po))
    tr = translate_report(load_report(rd.dir, diags), "en", diags)
    rows = [(label, value) for key, label, value in colofon_rows(tr.report, "en", 0) if key == "review"]
    assert rows == [("Internal review", "5\u00a0January 2026"), ("Peer review", "10\u00a0January 2026")]
    assert not diags.errors, diags.sorted()
