"""A format that is not abuild's: plain text, for the registry test.

Not registered on import (the session's other renders must not write it):
the test registers it, and the worker process finds the class by
``module:Class``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ambtsbericht_build.render.facts import RenderFacts
from ambtsbericht_build.render.formats import Writer
from ambtsbericht_build.render.formats.base import pandoc
from ambtsbericht_build.render.formats.transforms import unwrap_citations


class TextWriter(Writer):
    name = "txt"
    suffix = ".txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        doc["blocks"] = unwrap_citations(doc["blocks"])
        body = pandoc(["-t", "plain", "--wrap=none"], doc, "text")
        out.write_text(facts.meta.title + "\n\n" + body, encoding="utf-8")


class LeakyTextWriter(TextWriter):
    """Writes what must never be published: the audit must refuse it."""

    name = "leaky-txt"
    suffix = ".leak.txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        out.write_text("Gesproken met geheime gesprekspartner Kwartel.\n", encoding="utf-8")


class GreedyTextWriter(TextWriter):
    """Takes 64 MB more every 20 ms, up to 2 GB (under a writer's own 3 GiB
    ceiling), before it writes: a render whose writers together outgrow the
    render's memory ceiling (tests/render/test_memory_ceiling.py)."""

    name = "greedy-txt"
    suffix = ".greedy.txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        import time

        held = []
        for _ in range(32):
            held.append(bytearray(64_000_000))  # zero pages that are touched: resident
            held[-1][::4096] = b"x" * len(range(0, 64_000_000, 4096))
            time.sleep(0.02)
        out.write_text(f"{len(held)} blocks\n", encoding="utf-8")


class GcTextWriter(TextWriter):
    """Writes whether what its process imported is out of the collector's
    reach (render/worker.py freezes it once the writer is prepared)."""

    name = "gc-txt"
    suffix = ".gc.txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        import gc
        import sys

        frozen = gc.get_freeze_count()
        out.write_text(f"{frozen > len(sys.modules)}\n", encoding="utf-8")


class LateLeakTextWriter(TextWriter):
    """Writes a clean file, then (a thread the worker's exit waits for)
    waits for the audit's reading of it (publish/reading.py) and writes what
    must never be published into the file after it was read: the reading is
    of other bytes than those the render would publish. With ``forged`` it
    also rewrites the reading as a clean one of the new bytes' size, but not
    their sha256."""

    name = "late-txt"
    suffix = ".late.txt"
    forged = False

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        import json
        import threading
        import time

        from ambtsbericht_build.publish.reading import reading_path

        out.write_text("Een schone tekst.\n", encoding="utf-8")
        target = reading_path(out)

        def later() -> None:
            for _ in range(500):  # at most 5 s: the hook runs right after this write
                if target.exists():
                    break
                time.sleep(0.01)
            with out.open("a", encoding="utf-8") as fh:
                fh.write("Gesproken met geheime gesprekspartner Kwartel.\n")
            if self.forged:
                data = json.loads(target.read_text(encoding="utf-8"))
                data["size"] = out.stat().st_size
                target.write_text(json.dumps(data), encoding="utf-8")

        threading.Thread(target=later).start()


class ForgedReadingTextWriter(LateLeakTextWriter):
    name = "forged-txt"
    suffix = ".forged.txt"
    forged = True


class ProbeTextWriter(TextWriter):
    """Writes, as JSON, what its process is: parent, group, session, name,
    priority, memory ceiling, frozen objects (tests/render/test_zygote.py)."""

    name = "probe-txt"
    suffix = ".probe.txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        import gc
        import json
        import os
        import resource
        import sys

        out.write_text(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "ppid": os.getppid(),
                    "pgid": os.getpgid(0),
                    "sid": os.getsid(0),
                    "comm": Path("/proc/self/comm").read_text().strip(),
                    "nice": os.nice(0),
                    "data": resource.getrlimit(resource.RLIMIT_DATA)[0],
                    "frozen": gc.get_freeze_count() > len(sys.modules),
                }
            ),
            encoding="utf-8",
        )


class CrashingTextWriter(TextWriter):
    """Dies of SIGABRT in the middle of its write (tests/render/test_zygote.py)."""

    name = "crash-txt"
    suffix = ".crash.txt"

    def write(self, doc: dict[str, Any], facts: RenderFacts, out: Path) -> None:
        import os

        out.write_text("half", encoding="utf-8")
        os.abort()
