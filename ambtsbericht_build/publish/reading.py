"""An output as the render-time audit reads it, read in its writer's own process.

On the benchmark report the last two writers (ODT, HTML) end within 0.1 s of
each other, and the render's one audit thread then normalised, extracted,
tokenised and matched both alone, ~0.9 s with the other core idle. Of an
output's audit (CPU, benchmark report) normalising takes 0.08-0.11 s (DOCX,
ODT), extracting 0.06-0.15 s and tokenising 0.14-0.21 s: none of it needs
the values the audit looks for. So the writer's process, right after its
write (render/worker.py), does that part, :func:`read_written`: it makes the
file deterministic (:meth:`.Writer.normalise`), reads the late parts
:meth:`.Writer.audit_parts` names with the audit's own code
(:mod:`.extract`), tokenises each (:func:`.text.token_texts`) and leaves a
:class:`Reading` beside the file (JSON, written whole). The last outputs are
thus read on two cores at once, and the main process only matches. The
forbidden values never reach a writer's process.

The audit still judges the bytes on disk: a reading names the size and
sha256 of the file it read, and :func:`load` gives it only for a file that
has those now (hashing the benchmark report's DOCX: ~3 ms). A reading that
is missing, unreadable, not of this shape, of another format or of other
bytes is ignored, and the main process normalises and reads the file itself,
as it always did: a writer whose reading fails cannot make a dirty output
pass, only a slower audit.

A reading is a hidden file (``.meetland.odt.reading.json``) so that the
output cache, which keeps every ``meetland.odt.*`` beside an output, does not
keep it: a restored output is read by the main process.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .extract import Extracted, Part
from .text import token_texts

if TYPE_CHECKING:
    from ..render.facts import RenderFacts
    from ..render.formats import Writer

VERSION: Literal[1] = 1


class ReadPart(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    name: str
    text: str
    meta: bool
    # text.token_texts(text): (folded tokens, glue flags) per reading
    readings: list[tuple[list[str], list[bool]]]


class Reading(BaseModel):
    """What the audit reads of one written file, and which bytes it read."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    version: Literal[1]
    format: str
    file: str  # the output's name, not its path
    size: int
    sha256: str
    parts: list[ReadPart]
    problems: list[tuple[str, str, str]]


def reading_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.reading.json")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(writer: Writer, out: Path) -> Reading:
    """Read ``out`` (already normalised) the way the render's audit does."""
    data = out.read_bytes()
    parts: list[ReadPart] = []
    problems: list[tuple[str, str, str]] = []
    for late in writer.audit_parts(out):
        if late.early:  # audited by the main process as soon as it appears
            continue
        ex = late.extract()
        problems += ex.problems
        parts += [ReadPart(name=p.name, text=p.text, meta=p.meta, readings=token_texts(p.text)) for p in ex.parts]
    if out.read_bytes() != data:
        raise OSError(f"{out.name} changed while it was read")
    return Reading(
        version=VERSION,
        format=writer.name,
        file=out.name,
        size=len(data),
        sha256=_sha256(data),
        parts=parts,
        problems=problems,
    )


def read_written(writer: Writer, facts: RenderFacts, out: Path) -> bool:
    """In the writer's process, after the write: normalise ``out`` and leave
    its :class:`Reading` beside it. False (and no reading) if anything
    failed: the main process then reads the file itself."""
    target = reading_path(out)
    part = target.with_name(target.name + ".part")
    try:
        target.unlink(missing_ok=True)
        writer.normalise(out, facts)
        text = read(writer, out).model_dump_json()
        part.write_text(text, encoding="utf-8")
        os.replace(part, target)
        return True
    except Exception:  # the main process reads it (and says what is wrong with it)
        part.unlink(missing_ok=True)
        return False


def load(writer: Writer, out: Path) -> Extracted | None:
    """The reading of ``out`` as it is now on disk, or None (the main
    process must normalise and read it itself)."""
    try:
        text = reading_path(out).read_text(encoding="utf-8")
        reading = Reading.model_validate_json(text)
        data = out.read_bytes()
    except (OSError, ValueError, ValidationError):
        return None
    if (
        reading.format != writer.name
        or reading.file != out.name
        or reading.size != len(data)
        or reading.sha256 != _sha256(data)
    ):
        return None
    ex = Extracted(out, problems=list(reading.problems))
    ex.parts = [Part(p.name, p.text, p.meta, readings=p.readings) for p in reading.parts]
    return ex
