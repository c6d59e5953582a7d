"""Where the external programs are, and their versions.

pandoc comes from the ``pypandoc-binary`` wheel, so ``pip install`` brings it;
``ABUILD_PANDOC`` overrides it (for testing another pandoc).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path


class ToolMissing(RuntimeError):
    pass


@functools.cache
def pandoc_path() -> str:
    env = os.environ.get("ABUILD_PANDOC")
    if env:
        return env
    # find the wheel's binary without importing pypandoc (which is slow to import)
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                cand = Path(loc) / "files" / name
                if cand.is_file():
                    return str(cand)
    found = shutil.which("pandoc")
    if found:
        return found
    raise ToolMissing("pandoc not found: install the project (pip install -e .) to get pypandoc-binary")


@functools.cache
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True).stdout
    return out.split("\n", 1)[0].split()[-1]


def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


class PandocError(RuntimeError):
    """pandoc failed; the message is pandoc's own first line, without its backtrace."""


def pandoc_message(stderr: str) -> str:
    lines = []
    for line in stderr.strip().splitlines():
        if line.startswith("HasCallStack") or line.startswith("  "):
            break
        lines.append(line.strip())
    return " ".join(lines) or "pandoc failed"


def run_pandoc(args: list[str], stdin: str, what: str, *, env: dict[str, str] | None = None, timeout: int = 900) -> str:
    """Run pandoc in its sandbox (it reads only the files named in ``args``)."""
    try:
        proc = subprocess.run(
            [pandoc_path(), "--sandbox", *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        raise PandocError(f"{what}: pandoc took longer than {timeout} s") from None
    if proc.returncode != 0:
        raise PandocError(f"{what}: {pandoc_message(proc.stderr)}")
    return proc.stdout


class PatchVersionError(RuntimeError):
    """A patch of a library's internals was written for other versions than
    the one installed: rendering with it unapplied would silently change the
    output, so the render stops (one line, for the drafter)."""


def require_version(dist: str, installed: str, supported: tuple[str, ...], patch: str) -> None:
    """Raise :class:`PatchVersionError` unless ``installed`` is one of ``supported``."""
    if installed not in supported:
        raise PatchVersionError(
            f"{patch} is written for {dist} {' or '.join(supported)}, but {dist} {installed} is installed: "
            f"install the pinned versions (make, or pip install --require-hashes -r requirements.lock)"
        )
