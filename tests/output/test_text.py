"""Compiler-style text: ``file:line:col: AB101 error: message`` and a summary line;
colour only when asked for or on a terminal, never when piped or NO_COLOR is set."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.output import render
from ambtsbericht_build.output.text import render_text

LINE = re.compile(
    r"^(?P<file>[^:]+)(:(?P<line>\d+)(:(?P<col>\d+))?)?: (?P<code>AB\d{3}) (?P<sev>error|warning): (?P<msg>.+)$"
)
ESC = "\x1b["


def _diags() -> Diagnostics:
    d = Diagnostics()
    d.error("AB101", "reports/x/chapters/02-veiligheid.md", 14, 1, "paragraph cites no source")
    d.warning("AB105", "reports/x/sources.yaml", 3, 3, "source a is never cited")
    d.error("AB003", "reports/x/tor.yaml", 0, 0, "tor.yaml is missing")
    d.error("AB104", "reports/x/chapters/02-veiligheid.md", 9, 0, "no column known")
    return d


def test_compiler_style_lines_sorted_with_summary():
    out = render_text(_diags(), color=False)
    assert out == (
        "reports/x/chapters/02-veiligheid.md:9: AB104 error: no column known\n"
        "reports/x/chapters/02-veiligheid.md:14:1: AB101 error: paragraph cites no source\n"
        "reports/x/sources.yaml:3:3: AB105 warning: source a is never cited\n"
        "reports/x/tor.yaml: AB003 error: tor.yaml is missing\n"
        "3 errors, 1 warning\n"
    )


def test_summary_wording():
    assert render_text(Diagnostics()) == "no findings\n"
    d = Diagnostics()
    d.error("AB101", "a.md", 1, 1, "m")
    assert render_text(d).splitlines()[-1] == "1 error, 0 warnings"
    d.warning("AB103", "a.md", 2, 1, "m")
    d.warning("AB103", "a.md", 3, 1, "m")
    assert render_text(d).splitlines()[-1] == "1 error, 2 warnings"


def test_absolute_paths_are_shown_relative_to_the_current_directory(tmp_path):
    d = Diagnostics()
    d.error("AB101", tmp_path / "reports" / "x" / "a.md", 2, 1, "m")
    assert render_text(d, cwd=tmp_path).startswith("reports/x/a.md:2:1: AB101 error: m\n")
    assert render_text(d, cwd=tmp_path / "reports" / "y").startswith("../x/a.md:2:1: ")


def test_colour_only_when_asked():
    plain = render_text(_diags(), color=False)
    coloured = render_text(_diags(), color=True)
    assert ESC not in plain
    assert ESC in coloured
    # the same text once the escapes are removed
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b[31merror" in coloured and "\x1b[33mwarning" in coloured
    assert render("text", _diags()) == plain  # the default is plain


def test_real_check_output(bad_report, abuild, workdir, findings):
    proc = abuild("check", "reports/bad", cwd=workdir)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    expected = findings("reports/bad")
    assert expected.errors > 5 and expected.warnings > 1
    assert lines[-1] == f"{expected.errors} errors, {expected.warnings} warnings"
    assert len(lines) == len(expected) + 1
    assert ESC not in proc.stdout  # piped
    for line in lines[:-1]:
        m = LINE.match(line)
        assert m, line
        assert m["file"].startswith("reports/bad/")
        assert Path(m["file"]).exists()
    assert "reports/bad/chapters/01-veiligheid.md:7:1: AB101 error: paragraph cites no source" in lines
    assert proc.stderr == ""


def test_color_flag_forces_colour_when_piped(bad_report, abuild, workdir):
    proc = abuild("check", "--color", "reports/bad", cwd=workdir)
    assert ESC in proc.stdout
    proc = abuild("check", "--no-color", "reports/bad", cwd=workdir)
    assert ESC not in proc.stdout


def _run_on_terminal(args: list[str], cwd: Path, env: dict) -> tuple[int, str]:
    """Run abuild with stdout on a pseudo-terminal; return (exit status, output)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from ambtsbericht_build.cli import main; main(prog_name='abuild')", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            r, _, _ = select.select([master], [], [], 60)
            if not r:
                break
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
        proc.stderr.close()
        return proc.returncode, b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(extra)
    return env


def test_colour_on_a_terminal(bad_report, workdir):
    code, out = _run_on_terminal(["check", "reports/bad"], workdir, _env())
    assert code == 1
    assert ESC in out
    assert "AB101" in out


def test_no_colour_on_a_terminal_when_no_color_is_set(bad_report, workdir):
    code, out = _run_on_terminal(["check", "reports/bad"], workdir, _env(NO_COLOR="1"))
    assert code == 1
    assert "AB101" in out
    assert ESC not in out


def test_empty_no_color_is_ignored(bad_report, workdir):
    # no-color.org: NO_COLOR counts only when it is set to a non-empty value
    code, out = _run_on_terminal(["check", "reports/bad"], workdir, _env(NO_COLOR=""))
    assert code == 1
    assert ESC in out


def test_no_colour_on_a_terminal_with_no_color_flag(bad_report, workdir):
    code, out = _run_on_terminal(["check", "--no-color", "reports/bad"], workdir, _env())
    assert "AB101" in out
    assert ESC not in out


def test_no_colour_when_piped_even_from_a_terminal_session(bad_report, abuild, workdir):
    proc = abuild("check", "reports/bad", cwd=workdir, env=_env(TERM="xterm-256color"))
    assert ESC not in proc.stdout


def test_explicit_color_flag_wins_over_no_color(bad_report, abuild, workdir):
    # NO_COLOR turns off colour by default; an explicit --color is the user's choice
    proc = abuild("check", "--color", "reports/bad", cwd=workdir, env=_env(NO_COLOR="1"))
    assert ESC in proc.stdout
    proc = abuild("check", "reports/bad", cwd=workdir, env=_env(NO_COLOR="1"))
    assert ESC not in proc.stdout


def test_other_formats_never_coloured(bad_report, abuild, workdir):
    for fmt in ("json", "sarif", "github"):
        proc = abuild("check", "--color", "--format", fmt, "reports/bad", cwd=workdir)
        assert ESC not in proc.stdout, fmt
