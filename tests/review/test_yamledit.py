"""Recording a step in report.yaml in place (review/yamledit.py): any name
reads back as written, every other line stays, the file is replaced whole
or not at all."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.yamlpos import load_yaml
from ambtsbericht_build.models import Report
from ambtsbericht_build.render import atomic
from ambtsbericht_build.review import yamledit
from tests.fixtures.report_kit import REPORT_YAML

COMMIT = "0123456789abcdef0123456789abcdef01234567"
DAY = dt.date(2026, 3, 2)

# one line of text a drafter could type as a name or role: any character but
# line breaks and control or format characters (advance.py refuses those)
LINE = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
COMMENT = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(by=LINE, role=st.none() | LINE)
def test_any_name_reads_back_as_written(by, role):
    """Quotes, colons, '#', '- ', '{', 'yes', '2026-01-01', leading '&' or
    '!': ruamel quotes what needs quoting, and abuild's loader reads exactly
    the name back."""
    entry = yamledit.step_entry("intern-review", DAY, by, role, COMMIT)
    new = yamledit.recorded(REPORT_YAML, "review", entry)
    data, _ = load_yaml(new)
    step = Report.model_validate(data).review[-1]
    assert (step.step, step.date, step.by, step.role, step.commit) == ("intern-review", DAY, by, role, COMMIT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comments=st.lists(st.tuples(st.integers(0, 12), st.booleans(), COMMENT), max_size=6))
def test_every_comment_and_line_stays(comments):
    """Comments at line ends and on lines of their own, anywhere: the edit
    only changes the status line and adds the step, or refuses."""
    lines = (
        REPORT_YAML + "review:\n  - {step: Collegiale toetsing, date: 2026-01-10}\nchapters:\n  - a.md\n"
    ).splitlines()
    for at, own_line, text in comments:
        at = min(at, len(lines) - 1)
        if own_line:
            lines.insert(at, "# " + text)
        elif "#" not in lines[at]:
            lines[at] += "  # " + text
    text = "\n".join(lines) + "\n"
    try:
        new = yamledit.recorded(text, "review", yamledit.step_entry("intern-review", DAY, "A", None, COMMIT))
    except yamledit.EditRefused:
        return  # refused: nothing is written, the step is written by hand
    old_lines = [x for x in text.splitlines() if not x.startswith("status:")]
    new_lines = iter(x for x in new.splitlines() if not x.startswith("status:"))
    assert all(any(x == y for y in new_lines) for x in old_lines), new
    data, _ = load_yaml(new)
    assert Report.model_validate(data).review[-1].by == "A"


def test_replace_is_whole_or_nothing(tmp_path, monkeypatch):
    path = tmp_path / "report.yaml"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o640)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)  # the one atomic writer (render/atomic.py)
    with pytest.raises(KeyboardInterrupt):
        yamledit.replace(path, "old\n", "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.yaml"], "no temporary file is left"
    monkeypatch.undo()
    yamledit.replace(path, "old\n", "new\n")
    assert path.read_text(encoding="utf-8") == "new\n" and (path.stat().st_mode & 0o777) == 0o640


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text("edited by a drafter\n", encoding="utf-8")
    with pytest.raises(yamledit.EditRefused, match="changed while the step was being recorded"):
        yamledit.replace(path, "old\n", "new\n")
    assert path.read_text(encoding="utf-8") == "edited by a drafter\n"


def test_a_symbolic_link_is_not_replaced_by_a_file(tmp_path):
    target = tmp_path / "gedeeld.yaml"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.yaml"
    link.symlink_to(target)
    with pytest.raises(yamledit.EditRefused, match="is a symbolic link"):
        yamledit.replace(link, "old\n", "new\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_windows_line_ends_and_a_byte_order_mark_are_kept(bom):
    text = bom + (REPORT_YAML + "# einde\n").replace("\n", "\r\n")
    new = yamledit.recorded(text, "review", yamledit.step_entry("intern-review", DAY, "A", None, COMMIT))
    assert new.startswith(bom + "title:") and new.count("\r\n") == new.count("\n")
    assert new.endswith("\r\n# einde\r\n")
    data, _ = load_yaml(new.removeprefix("\ufeff").replace("\r\n", "\n"))
    assert Report.model_validate(data).review[-1].by == "A"
