"""AB503/AB504: the review history in report.yaml keeps the path to
vaststelling in order and agrees with the status, found by ``abuild check``
at the key that is wrong; and the colofon of a real render lists the steps."""

from __future__ import annotations

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import REPORT_YAML
from tests.render.render_outputs import Docx, Html, norm

SIGNED = {
    "intern-review": "{step: intern-review, date: 2026-02-10, role: toetser, by: A. de Vries, commit: 3f9c2e1}",
    "jenv-review": "{step: jenv-review, date: 2026-02-20, role: toetser JenV, by: B. Jansen, commit: 8d41a07}",
    "vastgesteld": "{step: vastgesteld, date: 2026-03-01, role: afdelingshoofd, by: C. Bakker, commit: 8d41a07}",
    "gepubliceerd": "{step: gepubliceerd, date: 2026-03-02, by: D. Smit, commit: 8d41a07}",
}


def history(report, status: str, *items: str) -> None:
    """report.yaml with ``status`` and a review list of ``items``: line 10 is
    ``review:``, item n on line 10 + n."""
    text = REPORT_YAML.replace("status: concept", f"status: {status}")
    # the kit's colofon fields (AB505) after the review list, so its lines stay where they were
    colofon = "".join(
        line for line in text.splitlines(keepends=True) if line.startswith(("place:", "responsible_unit:"))
    )
    text = text.replace(colofon, "")
    if items:
        text += "review:\n" + "".join(f"  - {SIGNED.get(i, i)}\n" for i in items)
    report.write("report.yaml", text + colofon, dedent_text=False)


@pytest.mark.parametrize(
    "status, steps",
    [
        ("concept", []),
        ("review", []),
        ("review", ["intern-review"]),
        ("concept", ["intern-review"]),  # drafters rework the text after a review
        ("review", ["intern-review", "jenv-review"]),
        ("vastgesteld", ["intern-review", "jenv-review", "vastgesteld"]),
        ("gepubliceerd", ["intern-review", "jenv-review", "vastgesteld", "gepubliceerd"]),
        ("concept", ["{step: Collegiale toetsing, date: 2026-01-10}"]),
    ],
)
def test_a_history_in_order_passes(report, status, steps):
    history(report, status, *steps)
    report.expect_none()


def test_ab503_a_final_report_without_history_is_accepted_with_a_warning(report):
    history(report, "vastgesteld", "{step: Collegiale toetsing, date: 2026-01-10}")
    d = report.expect("AB503", "report.yaml", 7, 1)
    assert d.severity.value == "warning"
    assert d.message.startswith("the report is vastgesteld but records no review history")
    report.write("report.yaml", REPORT_YAML.replace("status: concept", "status: gepubliceerd"))
    report.expect("AB503", "report.yaml", 7, 1)


@pytest.mark.parametrize(
    "status, steps, where, message",
    [
        (
            "review",
            ["jenv-review"],
            (11, 6),
            "step jenv-review is recorded where intern-review belongs; the order is intern-review, jenv-review,",
        ),
        (
            "review",
            ["intern-review", "intern-review"],
            (12, 6),
            "step intern-review is recorded twice (also as review item 1)",
        ),
        (
            "review",
            ["intern-review", "{step: jenv-review, date: 2026-02-01, by: B. Jansen}"],
            (12, 25),
            "step jenv-review (2026-02-01) is dated before intern-review (2026-02-10)",
        ),
        (
            "review",
            ["{step: intern-review, date: 2026-02-10}"],
            (11, 6),
            "step intern-review is not signed off: add by: <name>",
        ),
        (
            "concept",
            ["intern-review", "jenv-review", "vastgesteld"],
            (7, 1),
            "status concept disagrees with the last recorded step, vastgesteld (2026-03-01),"
            " after which the status is vastgesteld",
        ),
        (
            "vastgesteld",
            ["intern-review", "jenv-review"],
            (7, 1),
            "status vastgesteld disagrees with the last recorded step, jenv-review (2026-02-20),"
            " after which the status is review",
        ),
        (
            "gepubliceerd",
            ["intern-review", "jenv-review", "vastgesteld"],
            (7, 1),
            "status gepubliceerd disagrees with the last recorded step, vastgesteld",
        ),
    ],
    ids=[
        "skipped",
        "repeated",
        "dated back",
        "unsigned",
        "concept after vastgesteld",
        "final too early",
        "published unrecorded",
    ],
)
def test_ab504_at_the_key_that_is_wrong(report, status, steps, where, message):
    history(report, status, *steps)
    d = report.expect("AB504", "report.yaml", *where)
    assert d.severity.value == "error"
    assert d.message.startswith(message), d.message


def test_a_signed_step_must_be_a_step_of_the_path(report):
    history(report, "review", "{step: Intern review, date: 2026-02-10, by: A. de Vries}")
    d = report.expect("AB002", "report.yaml", 11, 5)
    assert "must be one of: intern-review, jenv-review, vastgesteld, gepubliceerd" in d.message


def test_the_colofon_lists_the_steps_completed(report, tmp_path):
    """The real HTML and DOCX: each step in Dutch with its date; who signed
    it off and the commit are not printed."""
    history(report, "review", "{step: Collegiale toetsing, date: 2026-01-10}", "intern-review", "jenv-review")
    result = render_report(report.dir, RenderOptions(formats=("html", "docx"), out_dir=tmp_path / "out"))
    assert not result.refused, result.diagnostics
    rows = [
        ("Collegiale toetsing", "10 januari 2026"),
        ("Interne toetsing", "10 februari 2026"),
        ("Toetsing door JenV", "20 februari 2026"),
    ]
    html = Html(result.outputs["html"])
    dts = [norm(x.text_content()) for x in html.xpath("//section[@class='colofon']//dt")]
    dds = [norm(x.text_content()) for x in html.xpath("//section[@class='colofon']//dd")]
    pairs = list(zip(dts, dds, strict=True))
    assert [p for p in pairs if p in rows] == rows
    docx = [t for _, t in Docx(result.outputs["docx"]).paragraphs]
    for label, value in rows:
        assert label in docx and value in docx, label
    for output in (result.outputs["html"], result.outputs["docx"]):
        data = output.read_bytes()
        assert b"intern-review" not in data and b"3f9c2e1" not in data
    assert "A. de Vries" not in result.outputs["html"].read_text(encoding="utf-8")


def test_the_colofon_names_the_steps_in_the_report_language():
    from ambtsbericht_build.load.yamlpos import load_yaml
    from ambtsbericht_build.models import Report
    from ambtsbericht_build.review.history import colofon_steps

    text = REPORT_YAML.replace("language: nl", "language: en").replace("status: concept", "status: vastgesteld")
    text += "review:\n" + "".join(f"  - {SIGNED[s]}\n" for s in ("intern-review", "jenv-review", "vastgesteld"))
    report = Report.model_validate(load_yaml(text)[0])
    assert [name for name, _ in colofon_steps(report, "en")] == [
        "Internal review",
        "Review by the Ministry of Justice and Security",
        "Adopted",
    ]
    assert [name for name, _ in colofon_steps(report, "nl")] == [
        "Interne toetsing",
        "Toetsing door JenV",
        "Vastgesteld",
    ]
