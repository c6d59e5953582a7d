"""One side of a diff: the report checked and built exactly as ``abuild render``
builds it (the render's own check and ``build_document``), so that both
sides are the documents a render would write, and a report the render
refuses (a confidentiality finding, an unreadable bibliography, a final
report with errors) is refused here too.

OLD is built in a process of its own while NEW is built in abuild's
(:func:`old_side_process`): two threads took 5.3 s for the two sides of the
benchmark report, which the GIL serialises, against 2.9 s for the render's
one. Of OLD the diff uses only its blocks, its note count, the check's lines
and what the audit must not find (:class:`OldSide`); only that comes back.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

from .revisions import DiffRefused
from .side_fork import ForkedSide, fork_side, forks, load_side_modules

if TYPE_CHECKING:
    from ..block_memo import BlockMemo
    from ..diagnostics import Diagnostics
    from ..house_style import HouseStyle
    from ..load import LoadedReport
    from ..load.markdown.pandoc_batch import Shared
    from ..publish.audit import AuditFinding
    from ..publish.forbidden import Forbidden
    from ..render.document import Document

# OLD's process: forked from abuild's (side_fork.py), or spawned
Process = Union["subprocess.Popen[bytes]", ForkedSide]


@dataclass
class Side:
    label: str  # "OLD v1.0 (0123456789)", for messages
    lr: LoadedReport
    doc: Document
    style: HouseStyle
    diagnostics: Diagnostics


def build_side(
    report_dir: Path,
    label: str,
    max_bytes: int,
    memo: BlockMemo | None = None,
    readings: Shared | None = None,
    checked: Callable[[], None] = lambda: None,
) -> Side:
    """``memo``, ``readings``: pandoc's citeproc outputs and chapter readings
    shared with the other side (:mod:`.shared`); ``checked`` is called once
    the check has read every chapter."""
    from ..commands.check import CheckOptions
    from ..house_style import HouseStyleError
    from ..load.limits import over_limits
    from ..load.markdown import pandoc_batch
    from ..render import document
    from ..render.errors import RenderFailed
    from ..render.facts import house_style_of
    from ..render.pipeline import RenderOptions, check

    try:
        with pandoc_batch.sharing(readings) if readings is not None else contextlib.nullcontext():
            lr, result = check(report_dir, RenderOptions(check=CheckOptions(max_bytes=max_bytes)))
    except RenderFailed as exc:
        raise DiffRefused(f"{label}: {_in_repository(str(exc), report_dir)}") from None
    checked()
    if result.refused:
        raise DiffRefused(f"{label}: refused: {_in_repository(result.reason, report_dir)}")
    over = over_limits((lc.file, lc.chapter.text, 1) for lc in lr.chapters)  # as the render: before pandoc
    if over:
        raise DiffRefused(f"{label}: the report cannot be built:\n  " + "\n  ".join(over))
    try:
        style = house_style_of(lr)
        with memo.build() if memo is not None else contextlib.nullcontext():
            doc = document.build_document(lr, style)
    except (HouseStyleError, document.RenderError) as exc:
        raise DiffRefused(f"{label}: {exc}") from None
    return Side(label, lr, doc, style, result.diagnostics)


def _in_repository(text: str, report_dir: Path) -> str:
    """``text`` with the places it names written from the repository's root:
    a side is checked in a temporary export (``abuild-diff-.../old/``), which
    is gone by the time the drafter reads where the finding is."""
    from ..cache.inputs import repo_root
    from ..diagnostics import display_path

    root = repo_root(report_dir)
    for prefix in (display_path(root), root.as_posix(), str(root)):
        if prefix not in ("", "."):
            text = text.replace(prefix.rstrip("/") + "/", "")
    return text


def finding_lines(side: Side, limit: int = 10) -> list[str]:
    """The check's errors on this side, at their paths in the repository
    (an exported side is in a temporary directory), then a count of the
    rest and of the warnings: a side is built despite them when the render
    would render it (a concept), as the render prints them."""
    diags = side.diagnostics
    if not diags.errors and not diags.warnings:
        return []
    root = side.lr.repo.root
    lines = []
    for d in [d for d in diags if d.severity.value == "error"][:limit]:
        try:  # not resolved: a refused symlink may point anywhere
            where = Path(os.path.abspath(d.file)).relative_to(root).as_posix()
        except ValueError:
            where = d.display_path()
        lines.append(f"{side.label}: {where}:{d.line}:{d.column}: {d.code} {d.message}")
    lines.append(
        f"{side.label}: {diags.errors} error(s), {diags.warnings} warning(s) in the check (abuild check lists them)"
    )
    return lines


@dataclass
class OldSide:
    """What the diff uses of OLD: built in another process, sent back pickled."""

    label: str
    blocks: list[Any]
    notes: int
    lines: list[str]  # finding_lines()
    forbidden: Forbidden  # for the audit: its sources, chapters and paths


def old_side(side: Side) -> OldSide:
    from ..publish import forbidden as F

    return OldSide(side.label, side.doc.pandoc["blocks"], side.doc.notes, finding_lines(side), F.collect(side.lr))


class PendingSide:
    """OLD, being built by ``python -m ambtsbericht_build.diff.sides``; once
    built, the same process writes the DOCX when asked (:meth:`write_docx`)."""

    def __init__(self, proc: Process, out: Path, err: Path, label: str):
        self.proc, self.out, self.err, self.label = proc, out, err, label
        self.shared = self.read = False

    def _tell(self, line: bytes, close: bool = False) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line + b"\n")
            self.proc.stdin.flush()
            if close:
                self.proc.stdin.close()
        except (OSError, ValueError):  # it ended (refused, failed: result() says why)
            pass

    def build(self, report_dir: Path, label: str, max_bytes: int) -> None:
        """Build OLD: ``report_dir`` (exported), named ``label`` in messages."""
        self.label = label
        self._tell(b"build " + json.dumps([os.fspath(report_dir), label, max_bytes]).encode())

    def readings(self, made: dict[Any, tuple[bytes, str]]) -> None:
        """Give OLD's process NEW's chapter readings (pandoc_batch.Shared), once;
        it waits for them before its check (and later for NEW's citeproc anyway)."""
        if self.read:
            return
        self.read = True
        self._tell(b"parses " + self._file("new-readings.pickle", made))

    def _file(self, name: str, data: dict[Any, Any]) -> bytes:
        if not data:
            return b""
        where = self.out.with_name(name)
        with where.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return os.fsencode(where)

    def share(self, outputs: dict[bytes, str]) -> None:
        """Give OLD's process NEW's citeproc outputs (:mod:`.shared`), once;
        an empty dict: none (it then waits no longer)."""
        self.readings({})
        if self.shared:
            return
        self.shared = True
        self._tell(b"memo " + self._file("new-citeproc.pickle", outputs))

    def _wait_for(self, word: bytes) -> bool:
        """True when the process said ``word`` (its result is written);
        False when it ended without."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # anything else a library may print there is passed over
            if line == word + b"\n":
                return True
        return False

    def _failure(self, what: str) -> DiffRefused:
        self.proc.wait()
        said = self.err.read_text(encoding="utf-8", errors="replace").strip()
        from ..render.processes import _out_of_memory
        from ..render.worker import MEMORY_ENV, describe_limit, memory_limit

        last = said.splitlines()[-1] if said else f"the process ended with status {self.proc.returncode}"
        if memory_limit() and _out_of_memory(said, self.proc.returncode):  # as the render says it of a writer
            limit = describe_limit(memory_limit())
            last = f"it ran out of its {limit} memory limit (raise it with {MEMORY_ENV}, e.g. {MEMORY_ENV}=6G)"
        return DiffRefused(f"{what}: {last}")

    def result(self) -> OldSide:
        if not self._wait_for(b"old") or not self.out.exists():
            raise self._failure(f"{self.label}: the build failed")
        with self.out.open("rb") as fh:
            kind, *rest = pickle.load(fh)  # noqa: S301 - our own child's file, in our own temporary directory
        if kind == "refused":
            raise DiffRefused(*rest)
        side: OldSide = rest[0]
        return side

    def write_docx(self, job: tuple[Any, ...]) -> PendingDocx:
        """Have the process write the DOCX (``outputs._write_docx(*job)``),
        while this one writes the HTML: the DOCX's 0.9 s of Python (writing,
        tracked changes, audit; benchmark report) no longer wait for the
        GIL that the HTML's 2.5 s hold, and its modules are loaded already."""
        path = self.out.with_name("docx-job.pickle")
        with path.open("wb") as fh:
            pickle.dump(job, fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.share({})
        self._tell(b"docx " + os.fsencode(path), close=True)
        return PendingDocx(self, path.with_name("docx-findings.pickle"))

    def done(self) -> None:
        """No DOCX to write: the process ends."""
        self.share({})
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()


class PendingDocx:
    def __init__(self, side: PendingSide, out: Path):
        self.side, self.out = side, out

    def result(self) -> list[AuditFinding]:
        """The audit's findings on the DOCX written."""
        if not self.side._wait_for(b"docx") or not self.out.exists():
            raise self.side._failure("the DOCX could not be written")
        with self.out.open("rb") as fh:
            findings: list[AuditFinding] = pickle.load(fh)  # noqa: S301 - as above
        return findings

    def stop(self) -> None:
        """Stop writing it (abuild was interrupted): before its directory is removed."""
        _stop(self.side.proc)


@contextlib.contextmanager
def old_side_process(work: Path) -> Iterator[PendingSide]:
    """Start the process that will build OLD (``work``: a temporary directory
    for its result), at once: forked from this one (side_fork.py: abuild's
    modules loaded first, :func:`.side_fork.load_side_modules`), else
    spawned, loading them while abuild asks git for the revisions;
    :meth:`PendingSide.build` says what to build. On leaving, it and
    everything it started (pandoc) are stopped, whether or not the result
    was taken."""
    from .. import tools

    out, err = work / "old-side.pickle", work / "old-side.err"
    if forks():
        forked = fork_side(err, lambda stdin, stdout: serve(out, stdin, stdout))
        try:
            yield PendingSide(forked, out, err, "OLD")
        finally:
            _stop(forked)
        return
    with err.open("wb") as err_fh:
        proc = tools.popen(  # dies with abuild (PR_SET_PDEATHSIG)
            [sys.executable, "-m", "ambtsbericht_build.diff.sides", str(out)],
            stdin=subprocess.PIPE,  # what to build, NEW's citeproc outputs, the DOCX job; its end: no more
            stdout=subprocess.PIPE,  # "old", "docx": each result written
            stderr=err_fh,
            start_new_session=os.name == "posix",  # its own group: stopped with the pandoc it runs
        )
    try:
        yield PendingSide(proc, out, err, "OLD")
    finally:
        _stop(proc)


def _stop(proc: Process) -> None:
    """Stop the process and the pandoc it runs, and wait for it."""
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    if proc.poll() is None and os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    elif proc.poll() is None:
        proc.kill()
    proc.wait()


def main(argv: list[str]) -> int:
    """``python -m ambtsbericht_build.diff.sides OUT``: load what a side's
    build needs, then build the side standard input names (``build
    [REPORT_DIR, LABEL, MAX_BYTES]``), under the writers' memory ceiling,
    and pickle what the diff uses of it (or why it is refused) into OUT,
    then say "old" on standard output. Then, when standard input gives the path of a DOCX
    job (:meth:`PendingSide.write_docx`), write that DOCX, pickle the
    audit's findings beside the job and say "docx"; its end: nothing more."""
    from ..render.worker import _cap_memory, memory_limit

    _cap_memory(memory_limit())
    try:
        load_side_modules()  # loaded before they are needed, while abuild runs git
    except MemoryError:
        print("MemoryError", file=sys.stderr)
        return 1
    return serve(Path(argv[0]), sys.stdin.buffer, sys.stdout.buffer)


def serve(out: Path, stdin: IO[bytes], stdout: IO[bytes]) -> int:
    """:func:`main` once the modules are loaded (the forked process's start:
    side_fork.py, which takes the ceiling here), on ``stdin`` and ``stdout``."""
    from ..gc_pause import frozen_imports, without_cyclic_gc
    from ..load.markdown import pandoc_batch
    from ..render.worker import _cap_memory, memory_limit
    from .shared import Given

    _cap_memory(memory_limit())
    line = stdin.readline()
    if not line.startswith(b"build "):
        return 0  # abuild gave up (a usage error, git refused, ...)
    where, label, max_bytes = json.loads(line.removeprefix(b"build "))
    report_dir = Path(where)
    memo = Given(lambda: _given(stdin, b"memo "))
    readings = pandoc_batch.Shared(_given(stdin, b"parses "), {})  # NEW's, once its check has read them
    try:
        with frozen_imports(), without_cyclic_gc():  # as NEW's side is built (commands/diff.py)
            result: tuple[Any, ...] = ("ok", old_side(build_side(report_dir, label, max_bytes, memo, readings)))
    except DiffRefused as exc:
        result = ("refused", str(exc), exc.status)
    except MemoryError:
        print("MemoryError", file=sys.stderr)
        return 1
    _put(result, out, stdout, "old")
    if result[0] != "ok":
        return 0
    from . import outputs  # the DOCX writer's modules load while abuild compares

    outputs.load_docx_writer()
    memo.fetch()  # abuild's line about NEW's outputs, if no citeproc read it
    job = stdin.readline().rstrip(b"\n").removeprefix(b"docx ")
    if not job:
        return 0
    with open(job, "rb") as fh:
        args = pickle.load(fh)  # noqa: S301 - abuild's own file, in its own temporary directory
    try:
        findings = outputs._write_docx(*args)
    except MemoryError:
        print("MemoryError", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a writer's failure, said in one line (abuild says it was the DOCX)
        print(f"{type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    _put(findings, Path(os.fsdecode(job)).with_name("docx-findings.pickle"), stdout, "docx")
    return 0


def _given(stdin: IO[bytes], word: bytes) -> dict[Any, Any]:
    """What NEW shares, when abuild says where it is (``memo PATH``,
    ``parses PATH``; waits for the line); {} for none."""
    path = stdin.readline().rstrip(b"\n").removeprefix(word)
    if not path or path.startswith((b"memo", b"parses", b"docx")):
        return {}
    with open(path, "rb") as fh:
        given: dict[Any, Any] = pickle.load(fh)  # noqa: S301 - abuild's own file, in its own temporary directory
    return given


def _put(result: Any, out: Path, stdout: IO[bytes], word: str) -> None:
    part = out.with_name(out.name + ".part")
    with part.open("wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, out)  # whole or not at all
    stdout.write(word.encode() + b"\n")
    stdout.flush()


if __name__ == "__main__":  # the module's own name, so that OldSide pickles as ambtsbericht_build.diff.sides.OldSide
    from ambtsbericht_build.diff.sides import main as side_main

    sys.exit(side_main(sys.argv[1:]))
