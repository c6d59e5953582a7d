"""``abuild status``: where a report stands on the path to vaststelling, and
``--advance``: each transition, each refusal, report.yaml's comments kept.

The report lives in a real Git repository (git init, commit): the step
records the commit, and a dirty tree is refused."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambtsbericht_build.cli import main
from ambtsbericht_build.load.yamlpos import load_yaml
from ambtsbericht_build.models import Report
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, REPORT_YAML, ReportDir, make_report

TODAY = dt.date.today().isoformat()


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def commit(report: ReportDir, message: str = "wip") -> str:
    git(report.root, "add", "-A")
    git(report.root, "commit", "-q", "--allow-empty", "-m", message)
    return git(report.root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> ReportDir:
    """The kit's valid report, in a real Git repository with one commit."""
    for key, value in {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }.items():
        monkeypatch.setenv(key, value)
    report = make_report(tmp_path)
    (report.root / ".git").rmdir()
    git(report.root, "init", "-q")
    commit(report, "init")
    monkeypatch.chdir(report.root)
    return report


def status(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["status", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def advance(report: ReportDir, step: str, by: str = "A. de Vries", *more: str) -> tuple[int, str, str]:
    return status(report.rel, "--advance", step, "--by", by, *more)


def recorded(report: ReportDir) -> Report:
    data, _ = load_yaml(report.path("report.yaml").read_text(encoding="utf-8"))
    return Report.model_validate(data)


def test_a_new_report_stands_before_intern_review(repo):
    code, out, _ = status(repo.rel)
    assert code == 0
    assert "status: concept\nsteps done: none recorded\nnext step: intern-review\n" in out
    assert "blocking it: nothing" in out


def test_every_transition_in_order(repo):
    steps = [("intern-review", "review"), ("jenv-review", "review"), ("vastgesteld", "vastgesteld")]
    steps.append(("gepubliceerd", "gepubliceerd"))
    for n, (step, new_status) in enumerate(steps):
        head = git(repo.root, "rev-parse", "HEAD")
        code, out, err = advance(repo, step, f"Persoon {n}", "--role", "toetser")
        assert code == 0, err
        r = recorded(repo)
        assert r.status.value == new_status
        assert [(s.step, s.by, s.role, s.commit) for s in r.review][-1] == (step, f"Persoon {n}", "toetser", head)
        assert r.review[-1].date.isoformat() == TODAY
        assert f"status is now {new_status}" in out
        assert ("git tag testland/v1.0" in out) == (step == "vastgesteld")
        # the history and the status agree: abuild check has nothing to say
        assert repo.codes() == []
        commit(repo, step)
    code, out, _ = status(repo.rel)
    assert code == 0 and "next step: none (the report is published)" in out
    assert [s.step for s in recorded(repo).review] == [s for s, _ in steps]


@pytest.mark.parametrize(
    "step, message",
    [
        ("jenv-review", "step jenv-review cannot be recorded before intern-review: no step of the path is skipped"),
        ("vastgesteld", "step vastgesteld cannot be recorded before intern-review"),
        ("review", "unknown step 'review'; the steps are, in order: intern-review, jenv-review"),
        ("Collegiale toetsing", "unknown step 'Collegiale toetsing'"),
    ],
)
def test_an_unknown_or_skipped_step_is_refused(repo, step, message):
    before = repo.path("report.yaml").read_bytes()
    code, out, err = advance(repo, step)
    assert code == 1 and out == ""
    assert f"abuild status: refused: {message}" in err
    assert repo.path("report.yaml").read_bytes() == before


def test_a_repeated_step_is_refused(repo):
    assert advance(repo, "intern-review", "A. de Vries")[0] == 0
    commit(repo)
    before = repo.path("report.yaml").read_bytes()
    code, _, err = advance(repo, "intern-review", "B. Jansen")
    assert code == 1
    assert f"step intern-review is already recorded ({TODAY}, by A. de Vries); a step is recorded once" in err
    assert repo.path("report.yaml").read_bytes() == before


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda r: r.chapter(CHAPTER_MD + "\nNieuw.[@hrw-2025]\n"), "reports/testland/chapters/02-politiek.md"),
        (lambda r: r.write("media/kaart.txt", "nieuw"), "reports/testland/media/kaart.txt"),
        (lambda r: r.write_root("bibliography/gedeeld.yaml", "[]\n"), "bibliography/gedeeld.yaml"),
    ],
    ids=["modified chapter", "untracked file", "shared bibliography"],
)
def test_a_dirty_tree_is_refused(repo, change, shown):
    change(repo)
    before = repo.path("report.yaml").read_bytes()
    code, _, err = advance(repo, "intern-review")
    assert code == 1
    assert f"abuild status: refused: uncommitted changes: {shown} (commit them" in err
    assert repo.path("report.yaml").read_bytes() == before
    code, out, _ = status(repo.rel)
    assert code == 0 and f"blocking it:\n  - uncommitted changes: {shown}" in out


def test_a_file_outside_the_report_does_not_make_it_dirty(repo):
    (repo.root / "NOTES.txt").write_text("elders", encoding="utf-8")
    assert advance(repo, "intern-review")[0] == 0


def test_vastgesteld_needs_a_report_without_errors(repo):
    for step in ("intern-review", "jenv-review"):
        assert advance(repo, step)[0] == 0
        commit(repo, step)
    # a drafters' note is no finding in a report under review; in a vastgesteld one it is (AB502)
    repo.chapter(CHAPTER_MD + "\n::: intern\nNog navragen bij de ambassade.\n:::\n")
    commit(repo, "note")
    assert repo.codes() == []
    code, out, _ = status(repo.rel)
    assert "next step: vastgesteld\nblocking it:\n  - 1 error(s): 1 ::: intern block or TODO marker\n" in out
    assert f"\n    {repo.rel}/{CHAPTER}:11:1: AB502 ::: intern block in a vastgesteld report\n" in out
    before = repo.path("report.yaml").read_bytes()
    code, out, err = advance(repo, "vastgesteld")
    assert code == 1 and out == ""
    assert f"{repo.rel}/{CHAPTER}:" in err and "AB502 error: ::: intern block in a vastgesteld report" in err
    assert "abuild status: refused: 1 error(s)" in err
    assert repo.path("report.yaml").read_bytes() == before


def test_a_confidentiality_finding_blocks_even_intern_review(repo):
    repo.chapter(CHAPTER_MD + "\nVolgens een medewerker VN-organisatie, Genève was het rustig.[@hrw-2025]\n")
    commit(repo)
    code, _, err = advance(repo, "intern-review")
    assert code == 1
    assert "AB302 error" in err and "confidentiality or review-history error" in err


def test_vastgesteld_of_an_edition_already_tagged_is_refused(repo):
    for step in ("intern-review", "jenv-review"):
        assert advance(repo, step)[0] == 0
        commit(repo, step)
    git(repo.root, "tag", "testland/v1.0")
    code, _, err = advance(repo, "vastgesteld")
    assert code == 1
    assert "edition testland/v1.0 is already tagged: raise version in report.yaml" in err


def test_outside_git_is_refused(tmp_path, monkeypatch):
    report = make_report(tmp_path)  # a .git directory that is no repository
    (report.root / ".git").rmdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(report.root)
    code, _, err = advance(report, "intern-review")
    assert code == 1
    assert "is not in a Git repository; a step records the commit reviewed" in err


def test_a_history_out_of_order_is_refused_until_fixed(repo):
    repo.write(
        "report.yaml",
        REPORT_YAML.replace("status: concept", "status: review")
        + "review:\n  - {step: jenv-review, date: 2026-02-01, by: B. Jansen, commit: 1234567}\n",
    )
    commit(repo)
    code, _, err = advance(repo, "intern-review")
    assert code == 1
    assert "the review history in report.yaml is not in order (step jenv-review is recorded where intern-review" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--advance", "intern-review"], "--advance needs --by NAME"),
        (["--by", "A. de Vries"], "--by, --role and --date go with --advance STEP"),
    ],
)
def test_usage_errors(repo, args, message):
    code, _, err = status(repo.rel, *args)
    assert code == 2 and message in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "A.\nde Vries"], "--by must be a name on one line"),
        (["--by", "   "], "--by must be a name on one line"),
        (["--by", "A", "--role", "x" * 201], "--role must be a name on one line, at most 200 characters"),
        (["--by", "A", "--date", "2999-01-01"], "--date 2999-01-01 is in the future"),
    ],
)
def test_bad_names_and_dates_are_refused(repo, args, message):
    code, _, err = status(repo.rel, "--advance", "intern-review", *args)
    assert code == 1 and message in err


def test_a_report_that_cannot_be_read(repo):
    repo.write("report.yaml", "title: [niet gesloten\n")
    commit(repo)
    code, out, err = status(repo.rel)
    assert code == 1 and out == ""
    assert "AB001" in err and "report.yaml cannot be read; fix it first" in err
    code, _, err = advance(repo, "intern-review")
    assert code == 1 and "report.yaml cannot be read; fix it first" in err


COMMENTED = """\
# yaml-language-server: $schema=../../schemas/report.schema.json
# Ambtsbericht Testland: metadata.   Dit commentaar blijft staan.
title: Algemeen ambtsbericht Testland   # titel zoals op het omslag
kind: algemeen
country: Testland
language: nl
date: 2026-03-01
reference_period: {start: 2024-09-01, end: 2026-01-31}  # afgesproken met J&V
status: concept                # concept | review | vastgesteld | gepubliceerd
version: "1.0"
issuer: 'Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten'

# colofon
place: Den Haag
review:
  # stappen van voor abuild
  - {step: Collegiale toetsing, date: 2026-01-10}   # door de afdeling
# hoofdstukken, in volgorde
chapters:
  - chapters/01-inleiding.md     # zonder bronnen
  - chapters/02-politiek.md
# einde
"""


def test_comments_key_order_and_quoting_are_kept(repo):
    repo.write("report.yaml", COMMENTED, dedent_text=False)
    head = commit(repo)
    code, _, err = advance(repo, "intern-review", "A. de Vries", "--role", "collegiaal toetser")
    assert code == 0, err
    new = repo.path("report.yaml").read_text(encoding="utf-8")
    expected = COMMENTED.replace(
        "status: concept                # concept", "status: review                 # concept"
    ).replace(
        "  - {step: Collegiale toetsing, date: 2026-01-10}   # door de afdeling\n",
        "  - {step: Collegiale toetsing, date: 2026-01-10}   # door de afdeling\n"
        # in the style of the items before it; "# hoofdstukken" stays above chapters
        f"  - {{step: intern-review, date: {TODAY}, role: collegiaal toetser, by: A. de Vries, commit: {head}}}\n",
    )
    assert new == expected


def test_a_history_is_added_below_the_colofon_keys_when_there_is_none(repo):
    # the kit's report without its place and unit (this report gives its place below)
    kit = "".join(
        line for line in REPORT_YAML.splitlines(keepends=True) if not line.startswith(("place:", "responsible_unit:"))
    )
    text = kit + "place: Den Haag\n# hoofdstukken\nchapters:\n- chapters/01-inleiding.md\n- chapters/02-politiek.md\n"
    repo.write("report.yaml", text, dedent_text=False)
    head = commit(repo)
    assert advance(repo, "intern-review", "A. de Vries")[0] == 0
    new = repo.path("report.yaml").read_text(encoding="utf-8")
    # the sequence style of the file ("- " under the key) is kept; the comment stays above its key
    assert new == text.replace("status: concept", "status: review").replace(
        "issuer: Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten\n",
        "issuer: Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten\n"
        f"review:\n- step: intern-review\n  date: {TODAY}\n  by: A. de Vries\n  commit: {head}\n",
    )


def test_a_layout_the_editor_cannot_keep_is_refused_not_reformatted(repo):
    text = REPORT_YAML + "chapters:\n   -   chapters/01-inleiding.md\n   -   chapters/02-politiek.md\n"
    repo.write("report.yaml", text, dedent_text=False)
    commit(repo)
    code, _, err = advance(repo, "intern-review")
    assert code == 1
    assert "cannot be edited without reformatting it; record the step by hand" in err
    assert f' - {{step: "intern-review", date: {TODAY}, by: "A. de Vries", commit: "' in err
    assert repo.path("report.yaml").read_text(encoding="utf-8") == text


def test_the_real_command_line(repo):
    """No traceback, the files named relative to the repository."""
    proc = repo.cli("status", repo.rel, "--advance", "intern-review", "--by", "A. de Vries")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"recorded intern-review for commit {git(repo.root, 'rev-parse', 'HEAD')[:12]}")
    assert f'next: git commit -m "testland: intern-review" {repo.rel}/report.yaml' in proc.stdout
    proc = repo.cli("status", repo.rel)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "blocking it:\n  - uncommitted changes: reports/testland/report.yaml" in proc.stdout


def test_an_unsigned_step_blocks_the_next(repo):
    repo.write(
        "report.yaml",
        REPORT_YAML.replace("status: concept", "status: review")
        + "review:\n  - {step: intern-review, date: 2026-02-01}\n",
    )
    commit(repo)
    code, out, _ = status(repo.rel)
    assert code == 0
    assert "steps done:\n  intern-review  2026-02-01  not signed off\nnext step: jenv-review\n" in out
    assert "blocking it:\n  - 1 confidentiality or review-history error(s): 1 review-history problem" in out
    code, _, err = advance(repo, "jenv-review")
    assert code == 1 and "step intern-review is not signed off: add by: <name>" in err


def test_a_report_yaml_with_windows_line_ends(repo):
    text = "\ufeff" + REPORT_YAML.replace("\n", "\r\n")
    repo.write("report.yaml", text.encode("utf-8"))
    head = commit(repo)
    code, _, err = advance(repo, "intern-review")
    assert code == 0, err
    new = repo.path("report.yaml").read_bytes().decode("utf-8")
    assert new == text.replace("status: concept", "status: review") + (
        f"review:\r\n- step: intern-review\r\n  date: {TODAY}\r\n  by: A. de Vries\r\n  commit: {head}\r\n"
    )


def test_a_review_step_does_not_wait_for_every_finding(repo):
    """A concept under review may still have open findings; they block vastgesteld only."""
    repo.chapter(CHAPTER_MD + "\nEen alinea zonder bron.\n")
    commit(repo)
    assert "AB101" in repo.codes()
    code, out, _ = status(repo.rel)
    assert "blocking it: nothing" in out
    assert "other findings: 1 error(s), 0 warning(s), not blocking intern-review (abuild check reports/testland" in out
    code, out, err = advance(repo, "intern-review")
    assert code == 0, err
    assert "AB101" not in err


def test_file_names_are_not_patterns(repo):
    """A bibliography file named like a pattern ("[x].yaml") is that file: an
    untracked x.yaml, which the report does not read, does not block."""
    repo.write("report.yaml", REPORT_YAML + 'bibliography: [sources.yaml, "../../refs/[x].yaml"]\n', dedent_text=False)
    repo.write_root("refs/[x].yaml", "[]\n")
    commit(repo)
    repo.write_root("refs/x.yaml", "[]\n")
    code, _, err = advance(repo, "intern-review")
    assert code == 0, err


def test_inside_the_report_directory(repo, monkeypatch):
    monkeypatch.chdir(repo.dir)
    for step in ("intern-review", "jenv-review"):
        assert status(".", "--advance", step, "--by", "A")[0] == 0
        commit(repo, step)
    code, out, err = status(".", "--advance", "vastgesteld", "--by", "C. Bakker")
    assert code == 0, err
    assert (
        'next: git commit -m "testland: vastgesteld" report.yaml\nthen tag the edition: git tag testland/v1.0\n' in out
    )
