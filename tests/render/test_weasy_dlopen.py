"""WeasyPrint is imported only where a PDF is laid out, and without running a
compiler (render/weasy_dlopen.py): each run of ``gcc``/``ldconfig`` under
``ctypes.util.find_library`` cost the render's processes CPU and wall time."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sonames are Linux's")

# the libraries WeasyPrint opens, as mapped into the process (/proc/self/maps)
_MAPPED = """
import sys
libs = set()
for line in open("/proc/self/maps"):
    path = line.split()[-1]
    if any(n in path for n in ("pango", "harfbuzz", "fontconfig", "gobject")):
        libs.add(path)
print(sorted(libs))
"""

# every process started while importing, by its program
_SPAWNS = """
import subprocess, sys
started = []
real = subprocess.Popen.__init__
def spy(self, args, *a, **kw):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    return real(self, args, *a, **kw)
subprocess.Popen.__init__ = spy
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_only_the_pdf_writer_imports_weasyprint() -> None:
    # abuild itself and the HTML/DOCX/ODT writers import every format's module
    code = "import sys, ambtsbericht_build.render.pipeline, ambtsbericht_build.render.formats.pdf; "
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'))"
    assert _run(code) == "[]"


def test_no_compiler_runs_and_the_same_libraries_open() -> None:
    quick = _run(_SPAWNS + "import ambtsbericht_build.render.pdf\nprint(started)")
    assert quick == "[]", "processes started while importing WeasyPrint"
    ours = _run("import ambtsbericht_build.render.pdf\n" + _MAPPED)
    theirs = _run("import weasyprint\n" + _MAPPED)
    assert "libpango" in ours
    assert ours == theirs


def test_falls_back_to_the_ordinary_import() -> None:
    # a system where no soname opens: the shortcut's import fails, the ordinary one runs
    code = """
import importlib, sys, ctypes.util
from ambtsbericht_build.render import weasy_dlopen
calls = []
real = weasy_dlopen.import_module
def flaky(name):
    calls.append(ctypes.util.find_library is weasy_dlopen._not_found)
    if len(calls) == 1:
        importlib.import_module("weasyprint.css")  # half imported, as a failed dlopen leaves it
        raise OSError("cannot load library 'libpango-1.0.so.0'")
    return real(name)
weasy_dlopen.import_module = flaky
mod = weasy_dlopen.import_weasyprint()
print([calls, ctypes.util.find_library is weasy_dlopen._not_found, mod.__name__, "weasyprint.css" in sys.modules])
"""
    assert _run(code) == "[[True, False], False, 'weasyprint', True]"
