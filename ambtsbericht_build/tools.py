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
