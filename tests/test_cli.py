"""The command line as a whole: exit statuses, usage errors, no tracebacks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ambtsbericht_build.cli import main

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "output" / "data"


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("good", "bad"):
        shutil.copytree(DATA / name, tmp_path / "reports" / name)
    return tmp_path


def abuild(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from ambtsbericht_build.cli import main; main(prog_name='abuild')", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_exit_0_for_a_clean_report(workdir):
    for fmt in ("text", "json", "sarif", "github"):
        res = _invoke("check", "--format", fmt, "reports/good")
        assert res.exit_code == 0, (fmt, res.output)
    assert _invoke("check", "--strict", "reports/good").exit_code == 0


def test_exit_1_for_findings(workdir):
    for fmt in ("text", "json", "sarif", "github"):
        assert _invoke("check", "--format", fmt, "reports/bad").exit_code == 1, fmt
    # one bad report among good ones is enough
    assert _invoke("check", "reports/good", "reports/bad").exit_code == 1


def test_strict_counts_warnings(workdir):
    with (workdir / "reports/good/sources.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "- id: ongebruikt\n  type: report\n  author: [{literal: HRW}]\n  title: Ongebruikt\n  issued: 2025-01-01\n"
        )
    res = _invoke("check", "reports/good")
    assert res.exit_code == 0
    assert "AB105 warning" in res.output and res.output.splitlines()[-1] == "0 errors, 1 warning"
    assert _invoke("check", "--strict", "reports/good").exit_code == 1
    assert _invoke("check", "--strict", "--format", "json", "reports/good").exit_code == 1


def test_default_is_every_report_in_reports(workdir):
    res = _invoke("check")
    assert res.exit_code == 1
    assert "reports/bad/" in res.output
    shutil.rmtree(workdir / "reports" / "bad")
    assert _invoke("check").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--bogus", "reports/good"],
        ["check", "--format", "xml", "reports/good"],
        ["check", "--format"],
        ["check", "--max-file-size", "veel", "reports/good"],
        ["bestaat-niet"],
        ["tor", "--format", "sarif", "reports/good"],
        ["rules", "--format", "json"],
        ["new", "reports/nieuw"],
        ["render", "reports/good", "--to", "pdf,xps"],
        ["schemas", "--bogus"],
    ],
)
def test_exit_2_for_usage_errors(workdir, args):
    res = _invoke(*args)
    assert res.exit_code == 2, res.output
    assert "Error" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_check_without_reports_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = _invoke("check")
    assert res.exit_code == 2
    assert "no report given" in res.output


def test_missing_directory_no_traceback(workdir):
    proc = abuild("check", "reports/bestaat-niet", cwd=workdir)
    assert proc.returncode == 1
    assert proc.stdout == "reports/bestaat-niet: AB003 error: report directory does not exist\n1 error, 0 warnings\n"
    assert "Traceback" not in proc.stderr


def test_broken_files_no_traceback(workdir):
    report = workdir / "reports" / "good"
    (report / "report.yaml").write_bytes(b"title: [onaf\n\xff")
    (report / "tor.yaml").write_text("- lijst\n", encoding="utf-8")
    (report / "chapters" / "01-veiligheid.md").write_bytes(b"\x00\x01binary")
    (workdir / "reports" / "bestand").write_text("geen map", encoding="utf-8")
    for args in (
        ["check", "reports/good", "reports/bestand"],
        ["check", "--format", "sarif", "reports/good"],
        ["tor", "reports/good"],
        ["tor", "reports/bestand"],
    ):
        proc = abuild(*args, cwd=workdir)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr, args


def test_usage_error_in_a_real_process(workdir):
    proc = abuild("check", "--format", "xml", "reports/good", cwd=workdir)
    assert proc.returncode == 2
    assert "Invalid value for '--format'" in proc.stderr
    assert proc.stdout == ""


def test_help_for_every_command(workdir):
    res = _invoke("--help")
    assert res.exit_code == 0
    for name in main.commands:
        assert re.search(rf"^  {name}\b", res.output, flags=re.M), name
        sub = _invoke(name, "--help")
        assert sub.exit_code == 0, name
        assert "Usage: " in sub.output


def test_version():
    res = _invoke("--version")
    assert res.exit_code == 0 and res.output.startswith("abuild, version ")


def test_every_command_is_documented():
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"^## `abuild {name}`", doc, flags=re.M), f"docs/cli.md has no section for abuild {name}"


def test_commands_are_thin_click_commands():
    for name, cmd in main.commands.items():
        assert isinstance(cmd, click.Command), name
