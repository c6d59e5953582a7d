"""Robust under faults: interrupts, a crashing writer, two renders at once
and a failing audit leave the previous outputs as they were and no
temporary files behind. Real ``abuild render`` processes throughout."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from ambtsbericht_build.tools import pandoc_path

from .conftest import abuild_cmd, make_leaky_repo, with_status


def digest(out: Path) -> dict[str, str]:
    """sha256 of every file in the output directory, hidden ones included."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return [
        p.name for p in out.iterdir() if p.name.startswith(".abuild-tmp-") or p.name.endswith((".part", ".zip-part"))
    ]


def processes_mentioning(text: str) -> list[str]:
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmd:
            found.append(cmd)
    return found


def writers_of(p: subprocess.Popen) -> list[str]:
    """Processes still running that a render started (writers and the pandoc
    they run carry ``ABUILD_RENDER_PID`` in their environment)."""
    marker = f"ABUILD_RENDER_PID={p.pid}".encode()
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if (
                marker in (d / "environ").read_bytes().split(b"\0")
                and (d / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
            ):
                found.append((d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
        except OSError:
            continue
    return found


def render(report: Path, out: Path, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [*abuild_cmd(), "render", str(report), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        **kw,
    )


def wait_for(cond, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A good render of the leaky report: (report, out dir, digest)."""
    root = tmp_path_factory.mktemp("faults")
    report = make_leaky_repo(root / "repo", real_git=False, cli=True)
    out = root / "good"
    p = render(report, out)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    return report, out, digest(out)


@pytest.fixture()
def previous(baseline, tmp_path):
    """A copy of the good outputs, to render over."""
    report, out, before = baseline
    mine = tmp_path / "out"
    shutil.copytree(out, mine)
    assert digest(mine) == before
    return report, mine, before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_interrupt_while_writing_keeps_previous_outputs(previous, sig):
    report, out, before = previous
    p = render(report, out)
    # the writers are running once their input is in the temporary directory
    wait_for(lambda: any(out.glob(".abuild-tmp-*/facts.json")))
    # the writers import before they get their paths, so this small report's
    # PDF is done about 1 s after its input: interrupt well within that
    time.sleep(0.2)
    assert p.poll() is None, "the render ended before it could be interrupted"
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    assert p.returncode != 0
    assert "interrupted" in err and "previous outputs left as they were" in err
    assert digest(out) == before
    assert leftovers(out) == []
    assert processes_mentioning(str(out)) == []
    assert writers_of(p) == []


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9])
def test_early_sigterm_keeps_previous_outputs(previous, delay):
    # early: while the writers import, the report is checked, the document is
    # built (the whole render of this report takes about 2 s)
    report, out, before = previous
    p = render(report, out)
    time.sleep(delay)
    assert p.poll() is None, "the render ended before it could be interrupted"
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=120)
    assert digest(out) == before
    assert leftovers(out) == []
    assert processes_mentioning(str(out)) == []
    assert writers_of(p) == []


def _fake_pandoc(tmp_path: Path, fmt: str, action: str) -> Path:
    """A pandoc that, when asked to write ``fmt``, crashes its caller (the
    writer process) or fails; anything else goes to the real pandoc."""
    script = tmp_path / "pandoc"
    script.write_text(f"""#!/bin/sh
for a in "$@"; do
  if [ "$a" = "{fmt}" ]; then
    {"kill -9 $PPID; sleep 5" if action == "crash" else "echo 'pandoc: simulated failure' >&2"}
    exit 3
  fi
done
exec "{pandoc_path()}" "$@"
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.mark.parametrize("fmt, action", [("docx", "crash"), ("odt", "fail")])
def test_a_failing_writer_keeps_previous_outputs(previous, tmp_path, fmt, action):
    report, out, before = previous
    p = render(report, out, env={"ABUILD_PANDOC": str(_fake_pandoc(tmp_path, fmt, action))})
    _, err = p.communicate(timeout=300)
    assert p.returncode == 1
    assert f"{fmt}:" in err and "previous outputs left as they were" in err
    if action == "crash":
        assert "killed by SIGKILL" in err
    else:
        assert "simulated failure" in err
    assert digest(out) == before
    assert leftovers(out) == []
    assert processes_mentioning(str(out)) == []
    assert writers_of(p) == []


def test_failing_audit_keeps_previous_outputs(previous, tmp_path):
    """A deny-list entry that appears in the report: the render writes
    everything, audits it, and refuses to replace the old outputs."""
    report, out, before = previous
    other = make_leaky_repo(
        tmp_path / "repo",
        real_git=False,
        report_yaml=with_status("concept", "  - Lekland Mensenrechtenwacht\n"),
        cli=True,
    )
    p = render(other, out)
    _, err = p.communicate(timeout=300)
    assert p.returncode == 1, err
    assert "the audit of the new outputs found" in err
    assert "deny list (whole value) [reports/leaky/report.yaml deny[" in err and "Lek" not in err.split("found", 1)[1]
    assert digest(out) == before
    assert leftovers(out) == []


def test_two_renders_at_once_never_mix_or_corrupt(previous):
    """Two renders of the same report into the same directory, with
    different dates (so their files differ): both succeed, and what is left
    is one render's complete set, matching its manifest."""
    report, out, before = previous
    a = render(report, out, env={"SOURCE_DATE_EPOCH": "1000000000"})
    b = render(report, out, env={"SOURCE_DATE_EPOCH": "1100000000"})
    for p in (a, b):
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert leftovers(out) == []
    verify = subprocess.run(
        [*abuild_cmd(), "verify", str(out / "leaky.manifest.json"), "--outputs-only"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    for name in ("leaky.docx", "leaky.odt"):
        with zipfile.ZipFile(out / name) as z:
            assert z.testzip() is None
    with pikepdf.open(out / "leaky.pdf") as pdf:
        assert len(pdf.pages) > 0
    assert digest(out) != before


@pytest.mark.parametrize("case", ["refused", "unloadable"])
def test_writers_started_early_end_with_a_render_that_stops_early(tmp_path, case):
    """The writers start before the report is checked; when the render goes
    no further (a final report with errors, a report that cannot be loaded)
    they end with it and write nothing."""
    report = make_leaky_repo(
        tmp_path / "repo",
        real_git=False,
        report_yaml=with_status("vastgesteld") if case == "refused" else "title: [unclosed\n",
    )
    out = tmp_path / "out"
    p = render(report, out)
    _, err = p.communicate(timeout=300)
    assert p.returncode != 0
    assert ("refused" if case == "refused" else "could not be loaded") in err
    wait_for(lambda: writers_of(p) == [], timeout=30)
    assert not out.exists() or leftovers(out) == []
