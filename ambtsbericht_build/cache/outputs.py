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

import json
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
            "output/1",
            file_hash(doc),
            file_hash(facts),
            json.dumps(files),
            json.dumps(tree(templates), sort_keys=True),
            writer_environment(),
        )
        self.reused: list[str] = []

    def key(self, fmt: str) -> str:
        return digest(self._base, fmt)

    def restore(self, fmt: str, target: Path) -> bool:
        """Write the cached output of ``fmt`` to ``target``; False when there is none."""
        data = self.store.get("output", self.key(fmt))
        if data is None:
            return False
        target.write_bytes(data)
        self.reused.append(fmt)
        return True

    def keep(self, fmt: str, path: Path) -> None:
        if fmt in self.reused or path.stat().st_size > self.store.limit // 8:
            return
        self.store.put("output", self.key(fmt), path.read_bytes())
