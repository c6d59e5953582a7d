"""WeasyPrint imported without compiling anything: :func:`import_weasyprint`.

WeasyPrint 70 opens Pango, HarfBuzz, fontconfig and GObject by trying a list
of names per library (``weasyprint/text/ffi.py``: "libpango-1.0-0",
"pango-1.0-0", ..., "libpango-1.0.so.0"). cffi answers every name that is not
a file it can open with :func:`ctypes.util.find_library`, which on Linux runs
``ldconfig -p``, then ``gcc`` (with ``collect2`` and ``ld``), then ``ld``:
about 20 look-ups, 40 processes, per ``import weasyprint``. Measured on the
benchmark machine: 0.73 s of CPU and 1.0-2.2 s of wall time for the import,
0.36 s of CPU and 0.4 s of wall time without them, in the PDF writer, which
imports it while the report is checked.

On Linux every list ends in the library's soname ("libpango-1.0.so.0"),
which the dynamic loader opens directly; so during the import
``find_library`` answers "not found" at once, and WeasyPrint goes on to that
name and opens the very library the look-up would have named. Should that
fail (a system without the sonames), the import is done again the ordinary
way: the libraries found are never different from WeasyPrint's own choice.
"""

from __future__ import annotations

import ctypes.util
import sys
from importlib import import_module
from types import ModuleType


def _not_found(name: str) -> None:
    return None


def import_weasyprint() -> ModuleType:
    """``weasyprint``, its libraries opened by their sonames (see the module's text)."""
    if "weasyprint.text.ffi" in sys.modules or not sys.platform.startswith("linux"):
        return import_module("weasyprint")
    original = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        return import_module("weasyprint")
    except OSError:  # no soname answered: forget the half import, and let find_library look
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = original
    return import_module("weasyprint")
