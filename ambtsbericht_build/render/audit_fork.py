"""One output matched in a forked child while the audit thread matches another.

On the benchmark report the last two writers (ODT, HTML) end within ~0.1 s
of each other; matching each (after its writer's process read and tokenised
it: publish/reading.py) takes 0.15-0.2 s of CPU, one after the other in the
audit's one thread, with the other core idle. When an output is ready while
the audit thread is still busy, :func:`start` forks the render's main
process (from its main thread, which lives as long as the render, so that
``PR_SET_PDEATHSIG`` holds) and the child matches that output with the same
matcher and memo, on the other core. The forbidden values stay in abuild's
own processes: the child is the main process's copy.

The child reports its findings and what it added to the memo (the windows
and parts it matched, so that the render's cache keeps them,
cache/audits.py) as one JSON object on a pipe. A child that fails, dies or
says anything else is ignored and the output is matched in the main process
(:meth:`ForkedMatch.result` returns None): fail-closed.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import time
from typing import TYPE_CHECKING, Any

from .. import signals, tools

if TYPE_CHECKING:
    from ..publish.audit import AuditFinding, Matcher
    from ..publish.extract import Extracted

# the child's report: findings and ~1,000 window digests; far below this
_MAX_REPORT = 64 << 20
# A child forked from a process with threads can block for ever on a lock
# another thread held at the fork (OpenSSL's, in the audit thread's sha256
# of a file). Matching never waits on anything, so a child that says nothing
# and uses no CPU for this long is stuck: it is killed and the output is
# matched in the main process. The benchmark report's child uses 0.15-0.2 s.
STALLED_AFTER = 2.0
_POLL = 0.2


class ForkedMatch:
    def __init__(self, pid: int, fd: int, matcher: Matcher) -> None:
        self.pid, self.fd, self.matcher = pid, fd, matcher
        self.cpu = 0.0  # the child's CPU seconds, once reaped

    def result(self) -> list[AuditFinding] | None:
        """The child's findings (its memo merged into the matcher's), or None
        if it failed: the caller matches the output itself."""
        from ..publish.audit import AuditFinding

        chunks: list[bytes] = []
        size = 0
        cpu, since = _cpu_ticks(self.pid), time.monotonic()
        while size <= _MAX_REPORT:
            if not select.select([self.fd], [], [], _POLL)[0]:
                now, used = time.monotonic(), _cpu_ticks(self.pid)
                if used != cpu:
                    cpu, since = used, now
                elif now - since > STALLED_AFTER:
                    self.stop()  # stuck: the caller matches the output itself
                    return None
                continue
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            since = time.monotonic()
        self.stop()
        try:
            said = json.loads(b"".join(chunks))
            findings = [AuditFinding(**f) for f in said["findings"]]
            _merge(self.matcher, said["memo"])
        except (ValueError, TypeError, KeyError):
            return None
        return findings

    def stop(self) -> None:
        """End the child if it still runs and reap it (idempotent)."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                _, _, usage = os.wait4(self.pid, 0)
                self.cpu = usage.ru_utime + usage.ru_stime
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _cpu_ticks(pid: int) -> int | None:
    """The child's CPU time in clock ticks (/proc), None once it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def start(matcher: Matcher, shown: str, ex: Extracted) -> ForkedMatch | None:
    """Fork a child that matches ``ex`` (from the main thread only); None if it cannot be forked."""
    prctl, parent = tools.before_fork()  # the child only calls prctl
    r, w = os.pipe()
    try:
        with signals.held():
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child: tested through its results
                os.close(r)
                _child(matcher, shown, ex, w, parent, prctl)
    except OSError:
        os.close(r)
        os.close(w)
        return None
    os.close(w)
    return ForkedMatch(pid, r, matcher)


def _child(matcher: Matcher, shown: str, ex: Extracted, w: int, parent: int, prctl: Any) -> None:
    """Match, say what was found on ``w``, and leave (never returns)."""
    from ..publish.audit import AuditFinding, finding

    try:
        gc.disable()  # a collection would touch (and copy) every page of the parent's heap
        if prctl is not None:
            prctl(tools.PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
        for s in signals.HELD:  # the parent handles an interrupt, and kills this child
            signal.signal(s, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals.HELD)
        memo = matcher.memo
        before = _sizes(matcher)
        out = [AuditFinding(shown, part, kind, what) for part, kind, what in ex.problems]
        for part in ex.parts:
            out += [finding(shown, part.name, needle, kind) for needle, kind in matcher.match(part)]
        added = _added(matcher, before) if memo is not None else None
        data = json.dumps({"findings": [f.to_json() for f in out], "memo": added}).encode()
        while data:
            data = data[os.write(w, data) :]
    finally:
        os._exit(0)


_COUNTS = ("matched", "reused", "parts_seen", "parts_reused")


def _sizes(matcher: Matcher) -> dict[str, int]:
    m = matcher.memo
    if m is None:
        return {}
    return {"results": len(m.results), "parts": len(m.parts), **{c: getattr(m, c) for c in _COUNTS}}


def _added(matcher: Matcher, before: dict[str, int]) -> dict[str, Any]:
    """What the child's matching added to the memo (dicts keep their order of insertion)."""
    m = matcher.memo
    assert m is not None
    results = list(m.results.items())[before["results"] :]
    parts = list(m.parts.items())[before["parts"] :]
    return {
        "results": [[k, sorted(v)] for k, v in results],
        "parts": [[k, sorted(hits), key, list(m.part_windows.get(k, ()))] for k, (hits, key) in parts],
        "used": sorted(m.used),
        "used_parts": sorted(m.used_parts),
        **{c: getattr(m, c) - before[c] for c in _COUNTS},
    }


def _merge(matcher: Matcher, added: dict[str, Any] | None) -> None:
    """Take into the parent's memo what the child added to its copy."""
    m = matcher.memo
    if m is None or added is None:
        return
    for k, hits in added["results"]:
        m.results.setdefault(str(k), frozenset(int(h) for h in hits))
    for k, hits, key, windows in added["parts"]:
        m.parts.setdefault(str(k), (frozenset(int(h) for h in hits), int(key)))
        m.part_windows.setdefault(str(k), tuple(str(x) for x in windows))
    m.used.update(str(k) for k in added["used"])
    m.used_parts.update(str(k) for k in added["used_parts"])
    for c in _COUNTS:
        setattr(m, c, getattr(m, c) + int(added[c]))
