"""``abuild preview`` as a drafter runs it: the real command in a process of
its own, the real pandoc, a real HTTP client on the page and on the reload
channel; a chapter saved, a finding made, a file broken, then Ctrl-C."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from ambtsbericht_build.tools import MARKER
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, REPORT_YAML, make_report

WAIT = 120  # seconds for one build on a machine shared with the whole suite


class Running:
    def __init__(self, report, root: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ambtsbericht_build", "preview", report.rel],
            cwd=root,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self.wait_line(r"serving .* at (http://127\.0\.0\.1:\d+/)").group(1)

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_line(self, pattern: str, start: int = 0) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                m = re.search(pattern, line)
                if m:
                    return m
            assert self.proc.poll() is None, "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no line {pattern!r} in:\n" + "".join(self.lines))

    def stop(self, sig: int = signal.SIGINT, seconds: float = 30) -> int:
        """Send ``sig``; the exit status (a preview that hangs is killed, never left behind)."""
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(seconds)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def page(self) -> tuple[int, str]:
        with urllib.request.urlopen(self.url, timeout=30) as r:
            return int(r.headers["X-Abuild-Preview-Build"]), r.read().decode("utf-8")


class Events:
    """The reload channel, read in a thread: the build numbers it said."""

    def __init__(self, url: str) -> None:
        m = re.match(r"http://127\.0\.0\.1:(\d+)/", url)
        self.conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=WAIT * 3)
        self.conn.request("GET", "/events")
        self.resp = self.conn.getresponse()
        self.builds: list[int] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.resp:
                if line.startswith(b"data: "):
                    self.builds.append(int(line[6:]))
        except (OSError, ValueError):
            pass

    def wait_beyond(self, build: int) -> int:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.builds and self.builds[-1] > build:
                return self.builds[-1]
            time.sleep(0.05)
        raise AssertionError(f"no reload beyond build {build}: {self.builds}")


def children_of(pid: int) -> list[int]:
    """Every process started by abuild ``pid`` (tools.popen marks them), even one reparented after it ended."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                env = (d / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"{MARKER}={pid}".encode() in env:
                out.append(int(d.name))
    return out


@pytest.mark.skipif(sys.platform != "linux", reason="inotify and /proc")
def test_serves_reloads_shows_findings_survives_a_broken_file_and_stops(tmp_path):
    report = make_report(tmp_path)
    run = Running(report, report.root)
    try:
        build, html = run.page()
        assert "vonden in Testland verkiezingen" in html, "".join(run.lines)
        assert "Vertrouwelijke bron" in html and "medewerker VN-organisatie" not in html  # as the render prints it
        events = Events(run.url)
        events.wait_beyond(build - 1)

        # one paragraph edited: the channel says there is a new build, the page has the change
        n = len(run.lines)
        edited = CHAPTER_MD.replace("verkiezingen plaats", "verkiezingen en een referendum plaats")
        report.chapter(edited)
        build = events.wait_beyond(build)
        now, html = run.page()
        assert now == build and "verkiezingen en een referendum" in html
        run.wait_line(r"abuild preview: rebuilt in \d+\.\d\d s", n)

        # a citation of a source that is not in the bibliography: in the page and in the terminal
        n = len(run.lines)
        report.chapter(edited + "\nNieuwe zin over het noorden.[@onbekend-2026]\n")
        build = events.wait_beyond(build)
        _, html = run.page()
        panel = html[html.index('<aside id="abuild-preview-findings"') :]
        where = f"{report.rel}/{CHAPTER}:11:"
        link = rf'<a href="#sec-veiligheid">{re.escape(where)}\d+</a></code>: AB104 [^<]*onbekend-2026'
        assert re.search(link, panel)
        run.wait_line(rf"^{re.escape(where)}\d+: .*AB104", n)

        # report.yaml half-written: the finding, and the last good page stays
        n = len(run.lines)
        report.write("report.yaml", REPORT_YAML[:60] + '\nversion: "1.', dedent_text=False)
        build = events.wait_beyond(build)
        _, html = run.page()
        assert "verkiezingen en een referendum" in html and "Nieuwe zin" in html
        panel = html[html.index('<aside id="abuild-preview-findings"') :]
        assert "Geen nieuw voorbeeld" in panel and f"{report.rel}/report.yaml:" in panel
        run.wait_line(r"no new page .* the last good page stays", n)

        # fixed again
        report.write("report.yaml", REPORT_YAML)
        build = events.wait_beyond(build)
        assert "Geen nieuw voorbeeld" not in run.page()[1]
        assert run.proc.poll() is None
    finally:
        pid = run.proc.pid
        status = run.stop()
    assert status == 0, "".join(run.lines)
    assert "Traceback" not in "".join(run.lines)
    run.wait_line(r"abuild preview: stopped")
    assert children_of(pid) == []


def building(run: Running) -> None:
    """Return once a build of the preview runs pandoc (a build of the small
    report does for ~0.05-0.15 s; a fixed delay after a save fell before or
    after it as builds got faster)."""
    deadline = time.monotonic() + WAIT
    while not children_of(run.proc.pid):
        assert run.proc.poll() is None, "".join(run.lines)
        assert time.monotonic() < deadline, "no build ran pandoc after the save:\n" + "".join(run.lines)
        time.sleep(0.002)


@pytest.mark.skipif(sys.platform != "linux", reason="/proc")
def test_sigterm_in_the_middle_of_a_build_stops_it_with_no_process_left(tmp_path):
    report = make_report(tmp_path)
    run = Running(report, report.root)
    n = len(run.lines)
    for k in range(3):  # saves in a row, each while a build runs (superseded), one running when the signal comes
        report.chapter(CHAPTER_MD + f"\nZin {k}.[@hrw-2025]\n")
        building(run)
    assert run.stop(signal.SIGTERM, 60) == 0, "".join(run.lines)
    assert children_of(run.proc.pid) == []
    assert "Traceback" not in "".join(run.lines[n:])


def test_not_a_report_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "ambtsbericht_build", "preview", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert proc.returncode == 1 and "is not a report directory (no report.yaml in it)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_port_in_use_is_a_clear_error_before_any_build(tmp_path):
    import socket

    report = make_report(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        t0 = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "ambtsbericht_build", "preview", report.rel, "--port", str(port)],
            cwd=report.root,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
    assert proc.returncode == 1, proc.stderr
    assert f"abuild preview: cannot serve on 127.0.0.1:{port}: Address already in use" in proc.stderr
    assert "rebuilt" not in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - t0 < 30


@pytest.mark.skipif(sys.platform != "linux", reason="/proc")
def test_ctrl_c_during_the_first_build_stops_it(tmp_path):
    """The signal comes while the first build's pandoc runs, before the
    server serves: the preview ends at once, no process left."""
    report = make_report(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ambtsbericht_build", "preview", report.rel],
        cwd=report.root,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + WAIT
    while not children_of(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # it hung: not left behind by the test
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert err.splitlines()[-1] == "abuild preview: stopped" and "Traceback" not in err
    assert "serving" not in err
    assert children_of(proc.pid) == []


def _stop_signals_blocked(pid: int) -> bool:
    """The main thread of ``pid`` holds SIGINT back (preview/stopping.py's first step)."""
    try:
        status = Path(f"/proc/{pid}/task/{pid}/status").read_text()
    except OSError:
        return False
    mask = int(next(ln for ln in status.splitlines() if ln.startswith("SigBlk:")).split()[1], 16)
    return bool(mask & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(sys.platform != "linux", reason="/proc")
def test_ctrl_c_while_the_preview_starts_stops_it_cleanly(tmp_path):
    """The signal comes as soon as the command runs, while its modules are
    still being imported. Before, a KeyboardInterrupt raised there ended
    the preview with "Aborted!" (status 1), or with status -2 when it left
    a dataclass's exec (4 in 20 runs, signal 0.1-1.0 s after the start);
    now it waits until the preview takes it, and the preview stops as from
    a first build: status 0, "stopped", nothing left running."""
    report = make_report(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ambtsbericht_build", "preview", report.rel],
        cwd=report.root,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + WAIT
    while not _stop_signals_blocked(proc.pid):
        assert proc.poll() is None and time.monotonic() < deadline, "the stop signals were never held back"
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert err.splitlines()[-1] == "abuild preview: stopped", err
    assert "Traceback" not in err and "Aborted" not in err and "serving" not in err
    assert children_of(proc.pid) == []
