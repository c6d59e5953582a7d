"""A written format, reused when its writer would write the same bytes.

A writer's output is a function of what it is given -- ``document.json``,
``facts.json`` -- of the files they point at (images, the house style) and of
its code and tools. :func:`output_key` hashes all of that: the two files by
content, every input file of the render except the chapters (their text
reaches the writer only through ``document.json``), the repository's
``templates/``, abuild's package and the installed tools. A format whose key
is in the cache is copied into the staging directory instead of being
written, and then audited like a written one: the audit looks for the
confidential values of *these* inputs, which the key does not cover.

Outputs over an eighth of the cache's limit (62 MiB by default: the PDF of
100,000 notes) are not kept: one of them would push out everything else.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .inputs import environment, file_hash, tree
from .store import Store, digest


def writer_environment() -> str:
    """The tools and abuild's code (not who runs it: that is the audit's business)."""
    env = environment()
    env.pop("identity", None)
    return json.dumps(env, sort_keys=True)


class OutputCache:
    """The formats of one render: :meth:`restore` before writing, :meth:`keep` after."""

    def __init__(self, store: Store, doc: Path, facts: Path, inputs: Iterable[Path], templates: Path):
        self.store = store
        files = sorted((str(p), file_hash(p)) for p in inputs)
        self._base = digest(
            "output/2",
            file_hash(doc),
            file_hash(facts),
            json.dumps(files),
            json.dumps(tree(templates, templates.parent), sort_keys=True),
            writer_environment(),
        )
        self.reused: list[str] = []

    def key(self, fmt: str) -> str:
        return digest(self._base, fmt)

    def restore(self, fmt: str, target: Path) -> bool:
        """Write the cached output of ``fmt`` to ``target``, with the files its
        writer writes beside it (the PDF's print HTML and tools, which the
        audit and the manifest read); False when there is none."""
        files = _unpack(self.store.get("output", self.key(fmt)))
        if files is None:
            return False
        try:
            for suffix, data in files:
                target.with_name(target.name + suffix).write_bytes(data)
        except OSError:  # a full disk: the writer writes it, and says so if it cannot
            return False
        self.reused.append(fmt)
        return True

    def keep(self, fmt: str, path: Path) -> None:
        """Keep ``path`` as its writer left it (before it is normalised: the
        render normalises a restored one the same way) and its side files."""
        if fmt in self.reused:
            return
        files = [path, *sorted(path.parent.glob(glob.escape(path.name) + ".*"))]
        try:
            if sum(f.stat().st_size for f in files) > self.store.limit // 8:
                return
            payload = _pack([(f.name[len(path.name) :], f.read_bytes()) for f in files])
        except OSError:
            return
        self.store.put("output", self.key(fmt), payload)


_SUFFIX = re.compile(r"(?:\.[A-Za-z0-9_-]+)*")  # "", ".print.html": never a path


def _pack(files: list[tuple[str, bytes]]) -> bytes:
    head = json.dumps([[suffix, len(data)] for suffix, data in files]).encode()
    return head + b"\n" + b"".join(data for _suffix, data in files)


def _unpack(payload: bytes | None) -> list[tuple[str, bytes]] | None:
    """The files of :func:`_pack`; None for anything else."""
    if payload is None:
        return None
    head, _, rest = payload.partition(b"\n")
    try:
        listed = json.loads(head)
        files, at = [], 0
        for suffix, size in listed:
            if not isinstance(suffix, str) or not _SUFFIX.fullmatch(suffix) or not isinstance(size, int) or size < 0:
                return None
            files.append((suffix, rest[at : at + size]))
            at += size
    except (ValueError, TypeError, RecursionError):
        return None
    if at != len(rest) or not files or files[0][0] != "":
        return None
    return files
