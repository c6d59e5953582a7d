"""Where a preview rebuild spends its time: each stage's wall seconds and
CPU seconds (the process's, all threads, plus the pandoc runs it waited
for), kept on the build and printed after it when ``ABUILD_PREVIEW_STAGES``
is set (``ABUILD_PREVIEW_STAGES=1 abuild preview REPORT``).

Timing is always on: two clock reads a stage, a dozen stages a build."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "ABUILD_PREVIEW_STAGES"


def _cpu() -> float:
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


class Stages:
    """``with stages("name"):`` adds the block's wall and CPU seconds to ``name``."""

    def __init__(self) -> None:
        self.seconds: dict[str, tuple[float, float]] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t0, c0 = time.monotonic(), _cpu()
        try:
            yield
        finally:
            wall, cpu = self.seconds.get(name, (0.0, 0.0))
            self.seconds[name] = (wall + time.monotonic() - t0, cpu + _cpu() - c0)

    def line(self) -> str:
        """``stage wall/CPU s, ...`` in the order the stages ran."""
        return ", ".join(f"{name} {wall:.2f}/{cpu:.2f}" for name, (wall, cpu) in self.seconds.items())


def wanted() -> bool:
    return bool(os.environ.get(ENV))


__all__ = ["ENV", "Stages", "wanted"]
