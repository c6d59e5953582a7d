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
import sys
import tempfile
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


def staging_of(out: Path) -> Path:
    """Where a render into ``out`` stages its files (render/atomic.py)."""
    return out.resolve().parent / ".abuild-staging"


def leftovers(out: Path) -> list[str]:
    """Temporary files in the output directory, and anything in the staging area."""
    inside = [
        p.name
        for p in out.iterdir()
        if p.name.startswith(".abuild-tmp-") or p.name.endswith((".part", ".zip-part")) or ".abuild-part-" in p.name
    ]
    staged = staging_of(out)
    staged_files = [p.relative_to(staged).as_posix() for p in staged.rglob("*")] if staged.exists() else []
    return inside + [name for name in staged_files if name != ".gitignore"]  # the area's own "*": git ignores it


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


LOGS = Path(tempfile.gettempdir())  # the module's own directory, set by the fixture below


@pytest.fixture(scope="module", autouse=True)
def _logs(tmp_path_factory):
    """Where :func:`render` puts abuild's output: beside, never inside, a
    test's output directory and its parent (test_sigkill_... lists those)."""
    global LOGS
    LOGS = tmp_path_factory.mktemp("render-logs")


def render(report: Path, out: Path, env: dict | None = None, **kw) -> subprocess.Popen:
    """Start ``abuild render``. Its output goes to a file, not a pipe: the
    test waits for abuild itself to end (:func:`finish`), never for a pipe
    that a process abuild left behind could hold open, and then asserts
    that no process holds the file (:func:`holders`)."""
    fd, log = tempfile.mkstemp(prefix="abuild-render-", suffix=".log", dir=LOGS)
    try:
        p = subprocess.Popen(
            # -X faulthandler (abuild only, not inherited by its children): on
            # a hang, SIGABRT makes abuild print every thread's stack (finish)
            [sys.executable, "-X", "faulthandler", *abuild_cmd(), "render", str(report), "--out", str(out)],
            stdout=fd,
            stderr=fd,
            env={**os.environ, **(env or {})},
            **kw,
        )
    finally:
        os.close(fd)
    p.log = Path(log)  # type: ignore[attr-defined]
    return p


def finish(p: subprocess.Popen, timeout: float) -> str:
    """Wait for abuild to end; its output (stdout and stderr). If it does not
    end in ``timeout`` seconds, that is a hang of abuild itself: it is made
    to print every thread's stack (SIGABRT, faulthandler) and the test fails
    with them."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGABRT)
        p.wait()
        raise AssertionError(f"abuild hung for {timeout} s:\n{p.log.read_text(errors='replace')[-8000:]}") from None
    text = p.log.read_text(encoding="utf-8", errors="replace")
    return text


def holders(path: Path) -> list[str]:
    """Processes that hold ``path`` open (a child that inherited abuild's output)."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) == str(path) for fd in (d / "fd").iterdir()):
                found.append((d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
        except OSError:
            continue
    return found


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
    err = finish(p, 300)
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


def _process(pid: str) -> tuple[int, str, bytes] | None:
    """(parent pid, command line, environment) of a running process, None if it is gone or a zombie."""
    d = Path("/proc") / pid
    try:
        fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        env = (d / "environ").read_bytes()
    except OSError:
        return None
    return (int(fields[1]), cmd, env) if fields[0] != "Z" else None


def stage_of(p: subprocess.Popen) -> str | None:
    """The stage the render ``p`` is in, by the processes it runs now (polled
    instead of a fixed delay: the small report's render takes ~1.4 s, and a
    delay that once fell in a stage falls in another as the render gets
    faster):

    - ``writing``: a writer (``render.worker``) runs pandoc, i.e. has its input;
    - ``document``: the document child (render/early_document.py: forked
      by abuild, so its command line is abuild's) is building the document;
    - ``check``: the check's pandoc (``pandoc lua``, load/markdown/pandoc_batch.py)
      reads the chapters;
    - ``importing``: the writers are started, and none runs pandoc;
    - None: none of these (before the writers start, or after the render)."""
    marker = f"ABUILD_RENDER_PID={p.pid}".encode()
    mine = _process(str(p.pid))
    procs = {int(d.name): _process(d.name) for d in Path("/proc").iterdir() if d.name.isdigit()}
    procs = {pid: info for pid, info in procs.items() if info is not None}
    writers = {pid for pid, (_, cmd, env) in procs.items() if "render.worker" in cmd and marker in env.split(b"\0")}
    if any(parent in writers and "pandoc" in cmd for parent, cmd, _ in procs.values()):
        return "writing"
    if mine is not None and any(parent == p.pid and cmd == mine[1] for parent, cmd, _ in procs.values()):
        return "document"
    if any(parent == p.pid and "pandoc" in cmd and " lua" in cmd for parent, cmd, _ in procs.values()):
        return "check"
    return "importing" if writers else None


def interrupt_in(p: subprocess.Popen, stage: str, sig: int, timeout: float = 120) -> None:
    """Send ``sig`` to the render ``p`` as soon as it is in ``stage`` (:func:`stage_of`)."""
    end = time.monotonic() + timeout
    while (now := stage_of(p)) != stage:
        assert p.poll() is None, f"the render ended before it was {stage}: {p.log.read_text(errors='replace')}"
        assert time.monotonic() < end, f"the render was never seen {stage} (last seen: {now})"
        time.sleep(0.005)
    p.send_signal(sig)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_interrupt_while_writing_keeps_previous_outputs(previous, sig):
    report, out, before = previous
    p = render(report, out)
    interrupt_in(p, "writing", sig)
    err = finish(p, 120)
    assert holders(p.log) == []
    assert p.returncode != 0
    assert "interrupted" in err and "previous outputs left as they were" in err
    assert digest(out) == before
    assert leftovers(out) == []
    assert processes_mentioning(str(out)) == []
    assert writers_of(p) == []


@pytest.mark.parametrize("stage", ["importing", "check", "document"])
def test_early_sigterm_keeps_previous_outputs(previous, stage):
    # early: while the writers import, the report is checked, the document is built
    report, out, before = previous
    p = render(report, out)
    interrupt_in(p, stage, signal.SIGTERM)
    finish(p, 120)
    assert holders(p.log) == []
    assert p.returncode != 0
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
    err = finish(p, 300)
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
    """A deny-list entry that only the render prints (the colofon's title,
    in no chapter, so the check cannot find it: the check finds a deny-list
    entry in the text since 29 November 2026): the render writes everything,
    audits it, and refuses to replace the old outputs."""
    report, out, before = previous
    other = make_leaky_repo(
        tmp_path / "repo",
        real_git=False,
        report_yaml=with_status("concept", "  - Colofon\n"),
        cli=True,
    )
    p = render(other, out)
    err = finish(p, 300)
    assert p.returncode == 1, err
    assert "the audit of the new outputs found" in err
    assert "deny list (whole value) [reports/leaky/report.yaml deny[" in err
    assert "Colofon" not in err.split("found", 1)[1]
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
        err = finish(p, 300)
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
    err = finish(p, 300)
    assert p.returncode != 0
    assert ("refused" if case == "refused" else "could not be loaded") in err
    wait_for(lambda: writers_of(p) == [], timeout=30)
    assert not out.exists() or leftovers(out) == []


def guards_of(p: subprocess.Popen) -> list[int]:
    """The pid of a render's guard (render/guard.py), while it runs."""
    marker = f"ABUILD_RENDER_PID={p.pid}".encode()
    found = []
    for d in Path("/proc").iterdir():
        try:
            if (
                d.name.isdigit()
                and b"guard.py" in (d / "cmdline").read_bytes()
                and marker in (d / "environ").read_bytes().split(b"\0")
            ):
                found.append(int(d.name))
        except OSError:
            continue
    return found


def new_files(out: Path, before: dict[str, str]) -> list[str]:
    """Every file under the output directory's parent (output directory and
    staging area) that is not one of the previous outputs."""
    old = {out / name for name in before}
    return sorted(
        str(p)
        for p in out.parent.rglob("*")
        if p.is_file() and p not in old and "repo" not in p.parts and p.name != ".gitignore"
    )


@pytest.mark.parametrize("also_guard", [False, True], ids=["abuild", "abuild-and-guard"])
def test_sigkill_of_abuild_leaves_no_new_output(previous, also_guard):
    """SIGKILL of ``abuild`` while the PDF is laid out, after another writer
    finished its (complete, unaudited) file: no file of the new render stays
    anywhere once its writers are gone; the guard removes the staging
    directory. With the guard killed too, the writers still die with abuild
    (PR_SET_PDEATHSIG) and the next render removes the stale directory."""
    report, out, before = previous
    p = render(report, out)
    staged = staging_of(out)
    # the first writer to finish (which one depends on the machine: on the
    # kit report the PDF may now come first), while others still write
    formats = ("html", "docx", "odt", "pdf")
    wait_for(lambda: any(any(staged.glob(f"*/leaky.{ext}")) for ext in formats) or p.poll() is not None)
    assert p.poll() is None, "the render ended before it could be killed"
    done = [ext for ext in formats if any(staged.glob(f"*/leaky.{ext}"))]
    assert len(done) < len(formats), "every writer was done before the kill: the test proves nothing"
    guards = guards_of(p)
    assert len(guards) == 1
    if also_guard:
        os.kill(guards[0], signal.SIGKILL)
    p.kill()
    finish(p, 60)
    wait_for(lambda: writers_of(p) == [] and guards_of(p) == [], timeout=30)
    assert digest(out) == before
    if also_guard:
        assert any(staged.glob("*/facts.json"))  # nobody cleaned up: the next render must
        again = render(report, out)
        err = finish(again, 300)
        assert again.returncode == 0, err
        assert digest(out) == before  # reproducible: the same files again
    assert leftovers(out) == []
    assert new_files(out, before) == []


def test_next_render_removes_stale_staging(previous):
    """Staging directories of dead renders (a pid that is gone) and a
    ``.abuild-tmp-*`` of an older abuild inside the output directory are
    removed by the next render; one of a live render is left alone."""
    report, out, before = previous
    staged = staging_of(out)
    staged.mkdir(mode=0o700)
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = staged / "out-dead"
    stale.mkdir()
    (stale / "owner").write_text(f"{dead.pid} 1\n")
    (stale / "leaky.html").write_text("<p>unaudited</p>")
    alive = staged / "out-alive"
    alive.mkdir()
    (alive / "owner").write_text(f"{os.getpid()} \n")
    legacy = out / ".abuild-tmp-old"
    legacy.mkdir()
    (legacy / "leaky.docx").write_bytes(b"PK")
    os.utime(legacy, (time.time() - 3600, time.time() - 3600))
    p = render(report, out)
    err = finish(p, 300)
    assert p.returncode == 0, err
    assert not stale.exists() and not legacy.exists()
    assert alive.exists()
    assert leftovers(out) == ["out-alive", "out-alive/owner"]


def test_writer_memory_ceiling_fails_the_render_plainly(previous):
    """A writer that exceeds ABUILD_WRITER_MEMORY fails the render with one
    plain line naming the limit; the previous outputs stay."""
    report, out, before = previous
    # 40 MiB of heap: the PDF writer cannot import WeasyPrint (measured: it
    # needs ~60 MiB; a writer with 100 MiB renders this report)
    p = render(report, out, env={"ABUILD_WRITER_MEMORY": "40M"})
    err = finish(p, 300)
    assert p.returncode == 1, err
    assert "writer ran out of its 40 MiB memory limit" in err or "most likely at its 40 MiB memory limit" in err, err
    assert "ABUILD_WRITER_MEMORY" in err
    assert "Traceback" not in err
    assert digest(out) == before
    assert leftovers(out) == []
    assert writers_of(p) == []
