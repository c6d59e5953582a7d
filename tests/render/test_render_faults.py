"""Faults around the render: which findings refuse which render, and what
is left running when ``abuild`` itself is killed. Real ``abuild render``
processes, real pandoc and WeasyPrint."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from ambtsbericht_build.tools import pandoc_path
from tests.fixtures.report_kit import ABUILD, CHAPTER_MD, ReportDir
from tests.render.render_outputs import read_pdf

MISSING = "\n![Kaart van het noorden](media/ontbreekt.png){#fig-kaart}\n"
REMOTE = "\n![Kaart van het noorden](https://tegels.example/noord.png){#fig-kaart}\n"


def render(report: ReportDir, *formats: str):
    return report.cli("render", report.rel, "--to", ",".join(formats), timeout=300)


def test_a_missing_local_image_does_not_refuse_a_concept(report):
    """AB408 is an ordinary error: the concept renders, with the placeholder
    where the image would be, in the HTML and in the PDF."""
    report.chapter(CHAPTER_MD + MISSING)
    proc = render(report, "html", "pdf")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "AB408" in proc.stdout + proc.stderr
    out = report.root / "build" / "testland"
    html = (out / "testland.html").read_text(encoding="utf-8")
    assert '<span class="missing-image">[afbeelding ontbreekt: Kaart van het noorden]</span>' in html
    text = " ".join(" ".join(page.text.split()) for page in read_pdf(out / "testland.pdf"))
    assert "[afbeelding ontbreekt: Kaart van het noorden]" in text


def test_a_missing_local_image_refuses_a_final_report(report):
    final = report.path("report.yaml").read_text().replace("status: concept", "status: vastgesteld")
    report.write("report.yaml", final)
    report.chapter(CHAPTER_MD + MISSING)
    proc = render(report, "html")
    assert proc.returncode != 0
    assert "AB408" in proc.stdout + proc.stderr and "final" in proc.stderr
    assert not (report.root / "build" / "testland" / "testland.html").exists()


def test_a_remote_image_refuses_even_a_concept(report):
    report.chapter(CHAPTER_MD + REMOTE)
    proc = render(report, "html")
    assert proc.returncode != 0
    assert "confidentiality finding(s) (AB401)" in proc.stderr, proc.stderr[-2000:]
    assert not (report.root / "build" / "testland" / "testland.html").exists()


# --- nothing outlives a SIGKILLed abuild ------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, zombies included."""
    table = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            table[int(d.name)] = (int(fields[1]), fields[0])
    return table


def _descendants(pid: int) -> set[int]:
    table = _proc_table()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pids: set[int]) -> set[int]:
    table = _proc_table()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def _marked(pid: int) -> set[int]:
    """Processes whose environment says they work for abuild ``pid``."""
    marker = f"ABUILD_RENDER_PID={pid}".encode()
    found = set()
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and marker in (d / "environ").read_bytes().split(b"\0"):
                found.add(int(d.name))
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def test_sigkill_in_the_document_stage_leaves_nothing_running(report, tmp_path):
    """abuild is SIGKILLed while its document stage waits for pandoc's
    citeproc (a pandoc that sleeps instead, so the stage lasts): pandoc, the
    writers and everything they started are gone within seconds. Before every
    child asked for PR_SET_PDEATHSIG (tools.popen) the citeproc pandoc ran
    on, orphaned, until its job was done."""
    fake = tmp_path / "pandoc"
    fake.write_text(
        f'#!/bin/sh\nfor a in "$@"; do [ "$a" = "--citeproc" ] && exec sleep 600; done\nexec "{pandoc_path()}" "$@"\n'
    )
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "ABUILD_RENDER_PID"}
    env["ABUILD_PANDOC"] = str(fake)
    with open(tmp_path / "out.txt", "w") as out:
        p = subprocess.Popen(
            [str(ABUILD), "render", report.rel, "--to", "html,pdf"], cwd=report.root, stdout=out, stderr=out, env=env
        )
    started: set[int] = set()
    try:
        end = time.monotonic() + 180
        while not any(_cmdline(c).startswith("sleep 600") for c in _descendants(p.pid)):
            assert p.poll() is None, (tmp_path / "out.txt").read_text()
            assert time.monotonic() < end, "the document stage never ran citeproc"
            time.sleep(0.05)
        started = _descendants(p.pid) | _marked(p.pid)
        assert len(started) >= 3  # the sleeping "pandoc", two writers, the guard
        p.kill()
        p.wait()
        end = time.monotonic() + 15  # the guard waits up to 10 s for the writers' groups
        while _running(started | _marked(p.pid)) and time.monotonic() < end:
            time.sleep(0.1)
        left = {pid: _cmdline(pid) for pid in _running(started | _marked(p.pid))}
        assert left == {}, left
    finally:
        for pid in _running(started):
            if _cmdline(pid).startswith("sleep 600"):
                os.kill(pid, signal.SIGKILL)  # what this test started, should the assertion fail


def test_a_child_started_by_a_short_lived_thread_outlives_the_thread(monkeypatch):
    """PR_SET_PDEATHSIG fires when the *thread* that forked the child ends:
    tools.popen has children of other threads forked by one thread that
    lives as long as abuild (pandoc_batch starts a new pandoc from a reader
    thread that ends right after)."""
    from ambtsbericht_build import tools

    def started_by_a_thread() -> subprocess.Popen:
        box: list[subprocess.Popen] = []
        t = threading.Thread(target=lambda: box.append(tools.popen(["sleep", "30"])))
        t.start()
        t.join()
        return box[0]

    p = started_by_a_thread()
    try:
        time.sleep(0.5)
        assert p.poll() is None, "the child died with the thread that asked for it"
        assert f"ABUILD_RENDER_PID={os.getpid()}".encode() in Path(f"/proc/{p.pid}/environ").read_bytes()
    finally:
        p.kill()
        p.wait()
    # the same without the long-lived thread: the kernel kills the child as the thread ends
    monkeypatch.setattr(tools._SPAWNER, "call", lambda fn: fn())
    q = started_by_a_thread()
    try:
        assert q.wait(timeout=10) == -signal.SIGKILL
    finally:
        q.kill()
        q.wait()
