"""pandoc's reading of the chapters: one ``pandoc lua`` process for them all.

One pandoc process a chapter cost as much CPU again as the reading itself
(pandoc's start-up: 12 chapters of the benchmark report took 0.53 s user +
0.56 s system in 12 processes, 0.49 s + 0.04 s in one). So a
:class:`Batch` runs ``pandoc lua parse_chapters.lua READER TAG`` once and
gives it the chapters on stdin as they become known; pandoc reads them in
order while Python does its own work, and :meth:`Batch.result` waits for a
chapter only when it is needed. See ``parse_chapters.lua`` for the protocol.

The reader runs in pandoc's sandbox (no file, no network), as ``--sandbox``
did. The text pandoc is given is what ``pandoc -f READER`` makes of its
input (:func:`cli_text`), so the AST is the render's (a test compares them
byte for byte).

A chapter pandoc reads slowly (:func:`hostile`) is not given to it; a
chapter pandoc takes longer than ``timeout`` seconds over, or that makes it
fail or die, gets an error, and the chapters after it are read by a new
process.

Reading ahead: :func:`reading_ahead` opens a batch for the duration of a
check; while it is open, :func:`offer` (called by the scanner for each
chapter text it reads) hands the text to pandoc at once, so pandoc reads the
chapters while the loader validates and scans them.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
import secrets
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import IO, Any

from ... import signals, tools
from ...cache.chapters import current as chapter_cache

# The render's reader (render/document.py READER); a test keeps them equal.
READER = (
    "markdown-raw_tex-raw_attribute-native_divs-native_spans-markdown_in_html_blocks"
    "-tex_math_dollars-tex_math_single_backslash"
)

Json = Any  # pandoc's JSON AST: nested lists and dicts

TIMEOUT = 30  # seconds pandoc may take over one chapter
# pandoc processes reading ahead. Two (chapters to the one with fewer bytes
# to read) were not measurably faster than one on 2 loaded cores: while the
# report loads, Python has one core and pandoc the other.
PROCESSES = 1


@dataclass
class Parsed:
    """pandoc's reading of one chapter: its AST (None when pandoc refused the
    text) and its warnings."""

    ast: Json
    warnings: str
    error: str = ""


# Shapes pandoc reads slowly (measured with pandoc 3.9 on 2 shared cores: each
# of the hostile chapters of tests/load/test_bad_input.py took over 10 s, the
# one of 50,000 unclosed fences too), and that no report has: the chapter is
# then read by the scanner alone, with an AB006 that says so.
_LONG_LINE = 20_000  # characters; a long real paragraph is ~3,000
_MARKUP_RUN = re.compile(r"[\[<`^]")  # more than 500 on one line
_DEEP = re.compile(r"^[ \t]{160}|^(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])[ \t]+){40}", re.M)
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)


def hostile(text: str) -> str:
    """Why pandoc is not asked to read ``text`` (empty: it is)."""
    from ..limits import limits_of

    if limits_of(text):  # nesting pandoc takes minutes over: AB008 says where
        return "nested too deeply for pandoc"
    for line in text.split("\n"):
        if len(line) > _LONG_LINE:
            return f"a line of more than {_LONG_LINE:,} characters"
        if len(line) > 500 and len(_MARKUP_RUN.findall(line)) > 500:
            return "a line with more than 500 brackets, backticks or '<'"
    if _DEEP.search(text):
        return "lists or quotes nested more than 40 deep"
    if len(_FENCE_LINE.findall(text)) > 2_000:
        return "more than 2,000 code fences"
    return ""


def _refused(why: str) -> Parsed:
    return Parsed(None, "", f"abuild reads it without pandoc ({why}); split it up")


def cli_text(text: str) -> str:
    """``text`` as pandoc's command line hands it to the reader: carriage
    returns dropped, tabs expanded to stops of 4 and a final newline
    (``Text.Pandoc.App.Input``: ``tabFilter 4``, which is ``T.unlines .
    map expand . T.lines``). ``pandoc.read`` in Lua does neither."""
    text = text.replace("\r", "")
    if "\t" in text:
        text = text.expandtabs(4)
    if text and not text.endswith("\n"):
        text += "\n"
    return text


def _decode(ast_line: bytes, warnings: str) -> Parsed:
    try:
        return Parsed(json.loads(ast_line), warnings)
    except (RecursionError, ValueError):
        return Parsed(None, warnings, "pandoc's reading of it is nested too deeply for abuild")


_ABBREVIATIONS: dict[str, bytes] = {}  # pandoc -> its default abbreviations


def default_abbreviations(pandoc: str) -> bytes:
    """pandoc's default ``abbreviations`` data file, which its command line
    reads with (``pandoc.read`` in Lua has a shorter list). Kept once read;
    a failure is not kept: a process that could not start once (a loaded
    machine: EAGAIN, a timeout) must not change every later reading of a
    long-lived process (a test worker, a render after its check)."""
    hit = _ABBREVIATIONS.get(pandoc)
    if hit is not None:
        return hit
    try:
        proc = tools.run([pandoc, "--print-default-data-file", "abbreviations"], timeout=60, text=False)
    except (OSError, subprocess.TimeoutExpired):
        return b""
    data: bytes = proc.stdout
    if proc.returncode != 0:
        return b""
    _ABBREVIATIONS[pandoc] = data
    return data


# pandoc's JSON of a chapter of the benchmark report is ~275 KB, and a pipe
# holds 64 KB: pandoc then waits for the reader thread, which waits for the
# GIL while the main thread loads, fingerprints and reconciles. A pipe of
# 1 MB (Linux's limit for a user, /proc/sys/fs/pipe-max-size) and reads as
# large let pandoc write a whole chapter at once. Measured on the benchmark
# report (2 cores, the check at raised priority): pandoc's last chapter came
# at 0.65-0.72 s instead of 0.83-0.84 s, as soon as its 0.53 s of CPU allow.
# (A user's pipes may hold 64 MB in all, /proc/sys/fs/pipe-user-pages-soft;
# a check holds one such pipe, two after a chapter that made pandoc fail.)
_PIPE_SIZE = 1 << 20


def _widen(pipe: IO[bytes] | None) -> None:
    try:
        import fcntl  # not on Windows
    except ImportError:
        return
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if pipe is None or setpipe is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setpipe, _PIPE_SIZE)


def _record(data: bytes) -> bytes:
    return str(len(data)).encode() + b"\n" + data


def _script() -> contextlib.AbstractContextManager[Any]:
    return resources.as_file(resources.files(__package__).joinpath("parse_chapters.lua"))


class _Run:
    """One ``pandoc lua`` process and the chapters (batch indices) given to it."""

    def __init__(self, batch: Batch, script: str):
        self.batch = batch
        self.tag = "@@abuild-" + secrets.token_hex(8)
        self.indices: list[int] = []
        self.sizes: dict[int, int] = {}  # batch index -> bytes
        self.input_closed = False
        self.current = -1  # batch index of the chapter pandoc is reading
        self.since = time.monotonic()  # of the last progress
        self.dead = False
        self.proc = tools.popen(  # dies with abuild (PR_SET_PDEATHSIG)
            # the reader's garbage collector (tools.PANDOC_READ_RTS: a 4 MB
            # young generation, not the binary's -H64m; the writers' 1 MB
            # took more here): the benchmark report's 12 chapters 0.59 ->
            # 0.50 s of CPU, 22,700 -> 16,300 minor faults (median of 5).
            # Before, -A32m took more than -A4m (0.555 against 0.495 s;
            # 100,000 notes 13.4 against 11.2 s). The AST is the same.
            [batch.pandoc, *tools.PANDOC_READ_RTS, "lua", script, batch.reader, self.tag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=_PIPE_SIZE,
        )
        _widen(self.proc.stdout)
        self.queue: list[bytes | None] = []
        self.wake = threading.Condition()
        signals.start(threading.Thread(target=self._write, daemon=True))
        signals.start(threading.Thread(target=self._read, daemon=True))

    def give(self, index: int, data: bytes) -> None:
        self.indices.append(index)
        self.sizes[index] = len(data) + 1
        with self.wake:
            self.queue.append(_record(data))
            self.wake.notify()

    def close_input(self) -> None:
        with self.wake:
            if not self.input_closed:
                self.input_closed = True
                self.queue.append(None)
                self.wake.notify()

    def _write(self) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(_record(default_abbreviations(self.batch.pandoc)))
            while True:
                with self.wake:
                    while not self.queue:
                        self.wake.wait()
                    item = self.queue.pop(0)
                if item is None:
                    break
                stdin.write(item)
                stdin.flush()
        except OSError:
            pass  # pandoc died: the reader sees it
        with contextlib.suppress(OSError):
            stdin.close()

    def _read(self) -> None:
        stdout: IO[bytes] | None = self.proc.stdout
        assert stdout is not None
        tag = self.tag.encode()
        warnings: list[bytes] = []
        for line in stdout:
            if not line.startswith(tag + b" "):
                warnings.append(line)
                continue
            _, k, kind, *rest = line.rstrip(b"\n").split(b" ", 3)
            index = self.indices[int(k)]
            if kind == b"begin":
                warnings = []
                self.batch._progress(self, index)
                continue
            text = b"".join(warnings).decode("utf-8", "replace")
            if kind == b"ast":
                parsed = _decode(rest[0] if rest else b"", text)
                self.batch._store(index, rest[0] if rest else b"", parsed)
            else:
                message = (rest[0] if rest else b"pandoc failed").decode("utf-8", "replace")
                parsed = Parsed(None, text, message)
            self.batch._done(self, index, parsed)
            warnings = []
        self.proc.wait()
        tail = b"".join(warnings).decode("utf-8", "replace")
        self.batch._died(self, tail)

    def kill(self) -> None:
        self.dead = True
        with contextlib.suppress(OSError):
            self.proc.kill()


class Batch:
    """pandoc's reading of chapters given one by one (:meth:`add`), by one
    ``pandoc lua`` process (another after a chapter that made it fail)."""

    def __init__(self, pandoc: str, reader: str = READER, timeout: float = TIMEOUT, processes: int = 1):
        self.pandoc, self.reader, self.timeout = pandoc, reader, timeout
        self.texts: list[str] = []
        self.results: dict[int, Parsed] = {}
        self.lock = threading.Condition()
        self._files = contextlib.ExitStack()
        self._script = str(self._files.enter_context(_script()))
        # the processes; a chapter goes to the one with the fewest bytes to read
        self.runs: list[_Run | None] = [None] * max(1, processes)
        self.closed = False
        self.cache = chapter_cache()  # None unless a render or check opened one
        self.shared = _SHARED.get()  # readings made elsewhere, and where this batch's go (abuild diff)
        self._to_store: dict[int, bytes] = {}  # batch index -> the text given to pandoc, to be cached

    def add(self, text: str) -> int:
        """Give pandoc ``text``; the index to ask :meth:`result` for."""
        with self.lock:
            index = len(self.texts)
            self.texts.append(text)
            why = hostile(text)
            if why:
                self.results[index] = _refused(why)
            elif not self._from_cache(index):
                self._give(index)
        return index

    def _from_cache(self, index: int) -> bool:
        """Take the reading of an unchanged chapter from the render's cache
        (cache/chapters.py); True when it was there."""
        if self.cache is None and self.shared is None:
            return False
        data = cli_text(self.texts[index]).encode("utf-8", "surrogateescape")
        if self.shared is not None:
            given = self.shared.given.get((self.pandoc, self.reader, data))
            if given is not None:
                self.results[index] = _decode(*given)
                self.lock.notify_all()
                return True
            self._to_store[index] = data
            if self.cache is None:
                return False
        assert self.cache is not None
        hit = self.cache.get(self.pandoc, self.reader, data)
        if hit is None:
            self._to_store[index] = data
            return False
        self.results[index] = _decode(*hit)
        self.lock.notify_all()
        return True

    def _store(self, index: int, ast_line: bytes, parsed: Parsed) -> None:
        data = self._to_store.pop(index, None)
        if data is None or parsed.ast is None or parsed.error:
            return
        if self.cache is not None:
            self.cache.put(self.pandoc, self.reader, data, ast_line, parsed.warnings)
        if self.shared is not None:
            self.shared.made[(self.pandoc, self.reader, data)] = (ast_line, parsed.warnings)

    def start(self) -> None:
        """Start the pandoc processes now, before the first chapter (with a
        cache: when the first chapter the cache does not have is given)."""
        if self.cache is not None:
            return
        with self.lock:
            for slot, run in enumerate(self.runs):
                if run is None or run.dead:
                    with contextlib.suppress(OSError):
                        self.runs[slot] = _Run(self, self._script)

    def _pending(self, run: _Run | None) -> int:
        if run is None or run.dead:
            return 0
        return sum(n for i, n in run.sizes.items() if i not in self.results)

    def _give(self, index: int) -> None:
        open_ = [k for k, r in enumerate(self.runs) if r is None or r.dead or not r.input_closed]
        if not open_:  # after close(), a chapter to read again: a process of its own
            self.runs.append(None)
            open_ = [len(self.runs) - 1]
        slot = min(open_, key=lambda k: self._pending(self.runs[k]))
        run = self.runs[slot]
        if run is None or run.dead:
            try:
                run = self.runs[slot] = _Run(self, self._script)
            except OSError as exc:
                self.results[index] = Parsed(None, "", f"pandoc could not read the chapter: {exc}")
                self.lock.notify_all()
                return
        # surrogateescape: a byte that was not UTF-8 goes back as it was, and
        # pandoc refuses that chapter alone
        if run.current < 0 and not self._pending(run):
            run.since = time.monotonic()  # pandoc was waiting for it
        run.give(index, cli_text(self.texts[index]).encode("utf-8", "surrogateescape"))

    def result(self, index: int) -> Parsed:
        """pandoc's reading of chapter ``index``, waiting for it."""
        with self.lock:
            while index not in self.results:
                late = [
                    r
                    for r in self.runs
                    if r is not None and not r.dead and self._pending(r) and time.monotonic() - r.since > self.timeout
                ]
                for run in late:
                    self._timed_out(run)
                if not late:
                    self.lock.wait(0.2)
            return self.results[index]

    def has(self, indices: list[int]) -> bool:
        """Whether pandoc's reading of every chapter of ``indices`` is there (not waiting)."""
        with self.lock:
            return all(i in self.results for i in indices)

    def close(self) -> None:
        """No more chapters: pandoc ends when it has read those it has."""
        with self.lock:
            if not self.closed:
                for run in self.runs:
                    if run is not None:
                        run.close_input()
            self.closed = True

    def abandon(self) -> None:
        """Stop pandoc, whatever it is reading."""
        with self.lock:
            self.closed = True
            for run in self.runs:
                if run is not None:
                    run.kill()
        self._files.close()

    # called by the run's threads -------------------------------------------------

    def _progress(self, run: _Run, index: int) -> None:
        with self.lock:
            run.current = index
            run.since = time.monotonic()

    def _done(self, run: _Run, index: int, parsed: Parsed) -> None:
        with self.lock:
            if run.dead:
                return
            self.results.setdefault(index, parsed)
            run.current = -1
            run.since = time.monotonic()
            self.lock.notify_all()

    def _timed_out(self, run: _Run) -> None:
        index = run.current if run.current >= 0 else next((i for i in run.indices if i not in self.results), -1)
        run.kill()
        if index >= 0:
            self.results[index] = Parsed(None, "", f"pandoc took longer than {self.timeout:g} s over it")
        self._again(run)

    def _died(self, run: _Run, tail: str) -> None:
        with self.lock:
            if run.dead:
                return  # killed: handled by whoever killed it
            run.dead = True
            pending = [i for i in run.indices if i not in self.results]
            if not pending:
                return
            first = next((ln.strip() for ln in tail.splitlines() if ln.strip()), "pandoc failed")
            if run.current >= 0:
                # the chapter pandoc was reading made it fail; the rest are read again
                self.results[run.current] = Parsed(None, tail, first)
                self._again(run)
            else:
                for i in pending:  # pandoc itself does not work
                    self.results[i] = Parsed(None, tail, first)
            self.lock.notify_all()

    def _again(self, run: _Run) -> None:
        """The chapters ``run`` had not read go to a new process."""
        for slot, r in enumerate(self.runs):
            if r is run:
                self.runs[slot] = None
        for i in run.indices:
            if i not in self.results:
                self._give(i)
        if self.closed:
            for r in self.runs:
                if r is not None and not r.dead:
                    r.close_input()
        self.lock.notify_all()


@dataclass
class Shared:
    """Chapter readings shared by the builds of one command (``abuild diff``'s
    two sides), in memory, with or without the cache: ``given`` are used
    instead of asking pandoc, what pandoc reads goes into ``made``; both by
    (pandoc, reader, the text pandoc is given), as the cache keys them."""

    given: dict[tuple[str, str, bytes], tuple[bytes, str]]
    made: dict[tuple[str, str, bytes], tuple[bytes, str]]


_SHARED: contextvars.ContextVar[Shared | None] = contextvars.ContextVar("abuild_shared_readings", default=None)


@contextlib.contextmanager
def sharing(shared: Shared) -> Iterator[Shared]:
    """Batches made while open use ``shared`` (:class:`Shared`)."""
    token = _SHARED.set(shared)
    try:
        yield shared
    finally:
        _SHARED.reset(token)


def parse_batch(texts: Sequence[str], pandoc: str, timeout: float = TIMEOUT) -> list[Parsed]:
    """pandoc's reading of every text, by one pandoc process."""
    batch = Batch(pandoc, timeout=timeout)
    try:
        indices = [batch.add(t) for t in texts]
        batch.close()
        return [batch.result(i) for i in indices]
    finally:
        batch.abandon()


def parse(text: str, pandoc: str, timeout: float = TIMEOUT) -> Parsed:
    """pandoc's reading of one text."""
    return parse_batch([text], pandoc, timeout)[0]


# --- reading ahead ----------------------------------------------------------------------


class ReadAhead:
    """The chapters offered to pandoc before the analysis asks for them."""

    def __init__(self, pandoc_path: Callable[[], str]):
        self._pandoc_path = pandoc_path
        self.batch: Batch | None = None
        self.failed = False
        self.given: dict[str, list[int]] = {}  # text -> batch indices

    def start(self) -> None:
        """Start pandoc now: it gets ready while the report is loaded."""
        try:
            self.batch = Batch(self._pandoc_path(), processes=PROCESSES)
        except Exception:  # noqa: BLE001 - no pandoc: the analysis says so
            self.failed = True
            return
        self.batch.start()

    def offer(self, text: str) -> None:
        if self.failed:
            return
        if self.batch is None:
            self.start()
            if self.batch is None:
                return
        self.given.setdefault(text, []).append(self.batch.add(text))

    def offered(self, text: str) -> bool:
        return bool(self.given.get(text)) and self.batch is not None

    def read_all(self, texts: list[str]) -> bool:
        """Whether pandoc has read every one of ``texts``, each offered (not waiting)."""
        if self.batch is None or not all(self.offered(t) for t in texts):
            return False
        return self.batch.has([i for t in set(texts) for i in self.given[t]])

    def take(self, text: str) -> Parsed:
        """pandoc's reading of ``text``, which was offered (once per offer)."""
        assert self.batch is not None
        return self.batch.result(self.given[text].pop(0))

    def close(self) -> None:
        if self.batch is not None:
            self.batch.close()

    def abandon(self) -> None:
        if self.batch is not None:
            self.batch.abandon()


_AHEAD: contextvars.ContextVar[ReadAhead | None] = contextvars.ContextVar("abuild_read_ahead", default=None)


@contextlib.contextmanager
def reading_ahead(pandoc_path: Callable[[], str]) -> Iterator[ReadAhead]:
    """While open, every chapter text the scanner reads (:func:`offer`) is
    read by pandoc at once, in one process."""
    ahead = ReadAhead(pandoc_path)
    ahead.start()
    token = _AHEAD.set(ahead)
    try:
        yield ahead
    finally:
        _AHEAD.reset(token)
        ahead.abandon()


def offer(text: str) -> None:
    """Hand a chapter text to the open :func:`reading_ahead`, if any."""
    ahead = _AHEAD.get()
    if ahead is not None:
        ahead.offer(text)


def read_ahead() -> ReadAhead | None:
    return _AHEAD.get()
