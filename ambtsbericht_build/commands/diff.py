"""``abuild diff``: build two revisions of a report as the render does,
compare them as documents (:mod:`..diff`), write the HTML and DOCX."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diff.revisions import SHARED, DiffRefused, Revision, export, repository, resolve, uncommitted
from .render import parse_formats as render_formats

if TYPE_CHECKING:
    from ..diff.compare import Changes
    from ..publish.audit import AuditFinding

__all__ = ["DiffRefused", "DiffResult", "FORMATS", "parse_formats", "run"]

FORMATS = ("html", "docx")


@dataclass
class DiffResult:
    changes: Changes
    outputs: dict[str, Path] = field(default_factory=dict)
    findings: list[AuditFinding] = field(default_factory=list)

    def summary(self) -> str:
        from ..diff.compare import DEL, INS

        c = self.changes
        return (
            f"{c.count(INS)} insertion(s), {c.count(DEL)} deletion(s), {c.notes} changed note(s) "
            f"({c.notes_added} added, {c.notes_deleted} deleted, {c.notes_changed} changed)"
        )


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``--to html,docx``: the redline formats asked for (ValueError for another)."""
    return render_formats(text, FORMATS)


def run(
    report: Path,
    old_name: str,
    new_name: str | None,
    formats: tuple[str, ...],
    out_dir: Path | None,
    max_bytes: int,
    progress: Callable[[str], None] = lambda line: None,
) -> DiffResult:
    """Raises :class:`DiffRefused` with the message and exit status."""
    from ..diff.compare import compare
    from ..diff.outputs import write_outputs
    from ..diff.shared import Publishing
    from ..diff.side_fork import forks, load_side_modules
    from ..diff.sides import build_side, finding_lines, old_side_process
    from ..gc_pause import frozen_imports, without_cyclic_gc
    from ..load.markdown import pandoc_batch

    if forks():  # OLD's process is forked with them (diff/side_fork.py), and they are frozen with the rest
        load_side_modules()
    # OLD's process starts before git is asked for the revisions (diff/sides.py);
    # no cyclic collection while the sides are built (gc_pause.py: 1.2-1.4 s of 9 s)
    with (
        frozen_imports(),
        without_cyclic_gc(),
        tempfile.TemporaryDirectory(prefix="abuild-diff-") as tmp,
        old_side_process(Path(tmp)) as pending,
    ):
        root, rel = repository(report)
        old = resolve(root, old_name)
        if new_name is None:
            dirty = uncommitted(root, [rel, *SHARED])
            if dirty:
                shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
                raise DiffRefused(
                    f"the working tree has uncommitted changes to the report ({shown}): commit them, or name NEW"
                )
            head = resolve(root, "HEAD")
            new = Revision("HEAD", head.commit, head.epoch)
        else:
            new = resolve(root, new_name)
        pending.build(export(root, old, rel, Path(tmp) / "old", max_bytes), f"OLD {old.label}", max_bytes)
        new_dir = export(root, new, rel, Path(tmp) / "new", max_bytes) if new_name is not None else root / rel
        # side by side: OLD in that process, NEW in this one; OLD reuses NEW's citeproc (diff/shared.py)
        readings = pandoc_batch.Shared({}, {})  # NEW's chapter readings, for OLD (diff/shared.py)
        new_side = build_side(
            new_dir,
            f"NEW {new.label}",
            max_bytes,
            Publishing(pending.share),
            readings,
            lambda: pending.readings(readings.made),
        )
        pending.share({})  # none, if NEW ran no citeproc: OLD waits no longer
        old_side = pending.result()
        for line in old_side.lines + finding_lines(new_side):
            progress(line)
        progress(f"built      OLD {old_side.notes} notes, NEW {new_side.doc.notes} notes")
        blocks, changes = compare(old_side.blocks, new_side.doc.pandoc["blocks"])
        target = out_dir if out_dir is not None else root / "build" / new_side.lr.slug / "diff"
        # OLD's process, its side built, writes the DOCX beside the HTML (diff/sides.py)
        outputs, findings = write_outputs(
            blocks, changes, old_side, new_side, (old.label, new.label), new.epoch, formats, target, pending.write_docx
        )
        pending.done()
    return DiffResult(changes, outputs, findings)
