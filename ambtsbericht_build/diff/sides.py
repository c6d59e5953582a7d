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
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .revisions import DiffRefused

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..house_style import HouseStyle
    from ..load import LoadedReport
    from ..publish.forbidden import Forbidden
    from ..render.document import Document


@dataclass
class Side:
    label: str  # "OLD v1.0 (0123456789)", for messages
    lr: LoadedReport
    doc: Document
    style: HouseStyle
    diagnostics: Diagnostics


def build_side(report_dir: Path, label: str, max_bytes: int) -> Side:
    from ..commands.check import CheckOptions
    from ..house_style import HouseStyleError
    from ..load.limits import over_limits
    from ..render import document
    from ..render.errors import RenderFailed
    from ..render.facts import house_style_of
    from ..render.pipeline import RenderOptions, check

    try:
        lr, result = check(report_dir, RenderOptions(check=CheckOptions(max_bytes=max_bytes)))
    except RenderFailed as exc:
        raise DiffRefused(f"{label}: {exc}") from None
    if result.refused:
        raise DiffRefused(f"{label}: refused: {result.reason}")
    over = over_limits((lc.file, lc.chapter.text, 1) for lc in lr.chapters)  # as the render: before pandoc
    if over:
        raise DiffRefused(f"{label}: the report cannot be built:\n  " + "\n  ".join(over))
    try:
        style = house_style_of(lr)
        doc = document.build_document(lr, style)
    except (HouseStyleError, document.RenderError) as exc:
        raise DiffRefused(f"{label}: {exc}") from None
    return Side(label, lr, doc, style, result.diagnostics)


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
    """OLD, being built by ``python -m ambtsbericht_build.diff.sides``."""

    def __init__(self, proc: subprocess.Popen[bytes], out: Path, err: Path, label: str):
        self.proc, self.out, self.err, self.label = proc, out, err, label

    def result(self) -> OldSide:
        self.proc.wait()
        said = self.err.read_text(encoding="utf-8", errors="replace").strip()
        if self.proc.returncode != 0 or not self.out.exists():
            from ..render.processes import _out_of_memory
            from ..render.worker import MEMORY_ENV, describe_limit, memory_limit

            last = said.splitlines()[-1] if said else f"the process ended with status {self.proc.returncode}"
            if memory_limit() and _out_of_memory(said, self.proc.returncode):  # as the render says it of a writer
                limit = describe_limit(memory_limit())
                last = f"it ran out of its {limit} memory limit (raise it with {MEMORY_ENV}, e.g. {MEMORY_ENV}=6G)"
            raise DiffRefused(f"{self.label}: the build failed: {last}")
        with self.out.open("rb") as fh:
            kind, *rest = pickle.load(fh)  # noqa: S301 - our own child's file, in our own temporary directory
        if kind == "refused":
            raise DiffRefused(*rest)
        side: OldSide = rest[0]
        return side


@contextlib.contextmanager
def old_side_process(report_dir: Path, label: str, max_bytes: int, work: Path) -> Iterator[PendingSide]:
    """Start building OLD in a process of its own (``work``: a temporary
    directory for its result); on leaving, it and everything it started
    (pandoc) are stopped, whether or not the result was taken."""
    from .. import tools

    out, err = work / "old-side.pickle", work / "old-side.err"
    with err.open("wb") as err_fh:
        proc = tools.popen(  # dies with abuild (PR_SET_PDEATHSIG)
            [sys.executable, "-m", "ambtsbericht_build.diff.sides", str(report_dir), label, str(max_bytes), str(out)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err_fh,
            start_new_session=os.name == "posix",  # its own group: stopped with the pandoc it runs
        )
    try:
        yield PendingSide(proc, out, err, label)
    finally:
        if proc.poll() is None and os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        elif proc.poll() is None:
            proc.kill()
        proc.wait()


def main(argv: list[str]) -> int:
    """``python -m ambtsbericht_build.diff.sides REPORT_DIR LABEL MAX_BYTES OUT``:
    build one side, under the writers' memory ceiling, and pickle what the
    diff uses of it (or why it is refused) into OUT."""
    from ..render.worker import _cap_memory, memory_limit

    _cap_memory(memory_limit())
    report_dir, label, max_bytes, out = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3])
    try:
        result: tuple[Any, ...] = ("ok", old_side(build_side(report_dir, label, max_bytes)))
    except DiffRefused as exc:
        result = ("refused", str(exc), exc.status)
    except MemoryError:
        print("MemoryError", file=sys.stderr)
        return 1
    part = out.with_name(out.name + ".part")
    with part.open("wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, out)  # whole or not at all
    return 0


if __name__ == "__main__":  # the module's own name, so that OldSide pickles as ambtsbericht_build.diff.sides.OldSide
    from ambtsbericht_build.diff.sides import main as side_main

    sys.exit(side_main(sys.argv[1:]))
