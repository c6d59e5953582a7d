"""The CI files that ship with the repository: valid against their published
schemas, running only `make` targets that this test suite runs too, and the
pre-commit hook the same in the manifest and in the repository's own config."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.fixtures.report_kit import git_in

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GITHUB = ROOT / ".github" / "workflows" / "abuild.yml"
GITLAB = ROOT / ".gitlab-ci.yml"

# every target CI may run, with the test that runs it for real
TESTED_TARGETS = {
    "test": "CI itself (.ci/run runs make test)",
    "ci-check": "test_make_ci_check_writes_sarif_codequality_and_annotations",
    "ci-render": "test_make_ci_render_renders_the_changed_reports_only",
    "ci-diff": "test_make_ci_render_renders_the_changed_reports_only",
    "site-fetch": "tests/site/test_publish.py::test_the_site_of_record_lives_on_the_branch_publication",
    "site-release": "the same",
    "site-push": "the same",
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")], ids=["github", "gitlab"]
)
def test_ci_files_are_valid_against_their_published_schemas(path, schema):
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _github_runs() -> list[str]:
    jobs = _load(GITHUB)["jobs"]
    return [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]


def _gitlab_runs() -> list[str]:
    data = _load(GITLAB)
    out = []
    for job in data.values():
        if isinstance(job, dict) and "script" in job:
            out += job.get("before_script", []) + job["script"] + job.get("after_script", [])
    return out


@pytest.mark.parametrize("runs", [_github_runs, _gitlab_runs], ids=["github", "gitlab"])
def test_ci_runs_only_make_targets_that_the_tests_run(runs):
    commands = runs()
    assert commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "make" and len(words) == 2, f"CI runs {command!r}: only `make <target>`"
        assert words[1] in TESTED_TARGETS, f"make {words[1]} is run by CI but by no test"
        assert re.search(rf"^{re.escape(words[1])}:", makefile, re.M), f"no target {words[1]} in the Makefile"


def test_github_actions_are_pinned_and_permissions_minimal():
    data = _load(GITHUB)
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        assert set(job.get("permissions", {}).values()) <= {"read", "write"}
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), f"{name}: {step['uses']} is not pinned"
            if step.get("uses", "").startswith("actions/checkout@"):
                # only the publishing job keeps the token: it pushes the branch publication
                assert step["with"]["persist-credentials"] is (name == "publish")
            # no ${{ }} expression inside a shell command: a branch name is
            # text from outside (script injection); it goes through env:
            assert "${{" not in step.get("run", "")
    writes = {n: j["permissions"] for n, j in data["jobs"].items() if "write" in j.get("permissions", {}).values()}
    assert writes == {
        "check": {"contents": "read", "security-events": "write"},
        "publish": {"contents": "write", "pages": "write", "id-token": "write"},
    }
    # the publishing job runs only for a tag, after the check and the tests
    assert data["jobs"]["publish"]["if"] == "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')"
    assert data["jobs"]["publish"]["needs"] == ["check", "test"]


def test_pre_commit_files_are_valid_for_pre_commit():
    for command in (["validate-manifest", ".pre-commit-hooks.yaml"], ["validate-config", ".pre-commit-config.yaml"]):
        proc = subprocess.run([str(BIN / "pre-commit"), *command], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_repositorys_hook_is_the_published_hook():
    (published,) = _load(ROOT / ".pre-commit-hooks.yaml")
    (local,) = [
        h for r in _load(ROOT / ".pre-commit-config.yaml")["repos"] for h in r["hooks"] if h["id"] == published["id"]
    ]
    for key in ("name", "description", "files", "pass_filenames", "require_serial"):
        assert local[key] == published[key], key
    assert local["entry"] == ".venv/bin/" + published["entry"]


def _make(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_make_ci_check_writes_sarif_codequality_and_annotations(tmp_path):
    out = tmp_path / "ci"
    proc = _make("ci-check", f"CI_OUT={out}")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the repository's reports are clean
    sarif = (out / "abuild.sarif").read_text(encoding="utf-8")
    assert '"version": "2.1.0"' in sarif
    assert (out / "codequality.json").read_text(encoding="utf-8").strip() == "[]"


def test_make_ci_render_renders_the_changed_reports_only(tmp_path):
    """In a copy of the repository's reports as a Git repository: a branch
    that changes one chapter of one report renders that report, and only it."""
    from tests.fixtures.report_kit import make_report

    rd = make_report(tmp_path)
    repo = rd.root
    (repo / ".git").rmdir()
    shutil.copytree(rd.dir, repo / "reports" / "bland")
    git_in(repo, "init", "-q", "-b", "main")
    git_in(repo, "add", "-A")
    git_in(repo, "commit", "-q", "-m", "twee rapporten")
    base = git_in(repo, "rev-parse", "HEAD")
    chapter = repo / "reports" / "bland" / "chapters" / "02-politiek.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git_in(repo, "commit", "-q", "-am", "bland gewijzigd")
    out = tmp_path / "ci"
    # the repository's Makefile and environment, run from the fixture
    # repository (its set-up files are the repository's, so .venv is current)
    for name in ("pyproject.toml", "requirements.lock"):
        (repo / name).symlink_to(ROOT / name)
    proc = _make(
        "-f",
        str(ROOT / "Makefile"),
        "ci-render",
        f"VENV={ROOT / '.venv'}",
        f"CI_OUT={out}",
        cwd=repo,
        env={"BASE": base},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ci-render: 1 report(s) rendered" in proc.stdout
    # (.abuild-staging beside the outputs is the render's own; artifacts leave hidden files out)
    assert sorted(p.name for p in (out / "render").iterdir() if not p.name.startswith(".")) == ["bland"]
    assert {p.suffix for p in (out / "render" / "bland").iterdir()} >= {".html", ".pdf", ".docx", ".odt"}
    proc = _make(
        "-f", str(ROOT / "Makefile"), "ci-diff", f"VENV={ROOT / '.venv'}", f"CI_OUT={out}", cwd=repo, env={"BASE": base}
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ci-diff: 1 redline(s)" in proc.stdout
    assert sorted(p.name for p in (out / "diff" / "bland").iterdir()) == ["bland.diff.docx", "bland.diff.html"]


def test_abuild_changed_lists_what_a_branch_changed(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ambtsbericht_build.cli import main
    from tests.fixtures.report_kit import make_report

    rd = make_report(tmp_path)
    repo = rd.root
    (repo / ".git").rmdir()
    shutil.copytree(rd.dir, repo / "reports" / "bland")
    (repo / "bibliography").mkdir()
    (repo / "bibliography" / "gedeeld.yaml").write_text("[]\n", encoding="utf-8")
    git_in(repo, "init", "-q", "-b", "main")
    git_in(repo, "add", "-A")
    git_in(repo, "commit", "-q", "-m", "start")
    base = git_in(repo, "rev-parse", "HEAD")
    monkeypatch.chdir(repo)

    def changed(*args: str) -> tuple[int, list[str]]:
        result = CliRunner().invoke(main, ["changed", *args])
        return result.exit_code, result.output.split()

    assert changed(base) == (0, [])
    assert changed() == (0, ["reports/bland", "reports/testland"])
    (repo / "reports" / "testland" / "media").mkdir()
    (repo / "reports" / "testland" / "media" / "kaart.svg").write_text("<svg/>", encoding="utf-8")
    git_in(repo, "add", "-A")
    git_in(repo, "commit", "-q", "-m", "kaart")
    assert changed(base) == (0, ["reports/testland"])
    (repo / "bibliography" / "gedeeld.yaml").write_text("[] # gewijzigd\n", encoding="utf-8")
    git_in(repo, "commit", "-q", "-am", "gedeeld")
    assert changed(base) == (0, ["reports/bland", "reports/testland"])
    shutil.rmtree(repo / "reports" / "bland")
    git_in(repo, "commit", "-q", "-am", "bland weg")
    assert changed(base) == (0, ["reports/testland"])
    code, _ = changed("geen-revisie")
    assert code == 1
