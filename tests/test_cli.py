"""The command line as a whole: exit statuses, usage errors, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ambtsbericht_build.cli import main

from .fixtures.report_kit import ABUILD, make_report

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


# --- relative report paths and interrupts: real processes ----------------------------------


def test_commands_work_from_inside_the_report_directory(tmp_path):
    """``abuild render .`` used to fail with a traceback: the slug of "." is ""."""
    rd = make_report(tmp_path)
    for args, cwd in (
        (["check", "."], rd.dir),
        (["tor", "."], rd.dir),
        (["check", "../testland"], rd.dir),
        (["check", ".."], rd.dir / "chapters"),
        (["tor", "../testland"], rd.dir),
    ):
        proc = rd.cli(*args, cwd=cwd)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr, args
    proc = rd.cli("check", ".", cwd=rd.dir)
    assert proc.stdout.splitlines()[-1] in ("no findings", "0 errors, 1 warning"), proc.stdout
    for arg, cwd in ((".", rd.dir), ("../testland", rd.dir), ("..", rd.dir / "chapters")):
        proc = rd.cli("render", arg, "--to", "html", cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        up = os.path.relpath(rd.root, cwd)
        assert proc.stdout.splitlines() == [
            f"{up}/build/testland/testland.html",
            f"{up}/build/testland/testland.manifest.json",
        ]
    manifest = rd.root / "build" / "testland" / "testland.manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["slug"] == "testland"
    proc = rd.cli("verify", "../../build/testland/testland.manifest.json", cwd=rd.dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _render_process(rd, out: Path, *extra: str, script: str | None = None) -> subprocess.Popen:
    cmd = [str(ABUILD)] if script is None else [sys.executable, "-c", script]
    return subprocess.Popen(
        [*cmd, "render", str(rd.dir), "--out", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=rd.root,
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_an_interrupted_render_names_the_signal(tmp_path, sig):
    rd = make_report(tmp_path)
    out = tmp_path / "out"
    p = _render_process(rd, out)
    end = time.monotonic() + 60
    staging = out.resolve().parent / ".abuild-staging"
    while not any(staging.glob("*/facts.json")) and time.monotonic() < end and p.poll() is None:
        time.sleep(0.01)
    assert p.poll() is None, "the render ended before it could be interrupted"
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 1, err
    assert f"abuild render: interrupted by {sig.name}; previous outputs left as they were" in err
    assert "Traceback" not in err and "Aborted" not in err
    assert [p.name for p in out.iterdir()] == []


# a signal right after the new outputs are in place: the render must not
# claim that the previous outputs were left as they were
_SIGNAL_AFTER = """
import os, signal, sys
from ambtsbericht_build import cli
from ambtsbericht_build.render import pipeline
where = sys.argv.pop(1)
if where == "cleanup":
    real = pipeline.replace_outputs
    def replace_outputs(*args):
        real(*args)
        os.kill(os.getpid(), signal.SIGTERM)  # the render still stops its writers and removes its directory
    pipeline.replace_outputs = replace_outputs
else:
    from ambtsbericht_build.commands import render
    real = render.run
    def run(*args):
        result = real(*args)
        os.kill(os.getpid(), signal.SIGHUP)  # the command line has still to print the paths
        return result
    render.run = run
cli.main(prog_name="abuild")
"""


@pytest.mark.parametrize("where, sig", [("cleanup", "SIGTERM"), ("printing", "SIGHUP")])
def test_a_signal_after_the_replacement_says_the_new_outputs_are_in_place(tmp_path, where, sig):
    rd = make_report(tmp_path)
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, "-c", _SIGNAL_AFTER, where, "render", str(rd.dir), "--to", "html", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=rd.root,
        timeout=120,
    )
    assert p.returncode == 1, p.stderr
    assert f"abuild render: interrupted by {sig} after the new outputs were in place" in p.stderr
    assert "Traceback" not in p.stderr
    assert sorted(f.name for f in out.iterdir()) == ["testland.html", "testland.manifest.json"]
