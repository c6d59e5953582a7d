"""The print HTML's tokenizer with its regular expressions kept, in tinyhtml5 2.1.0.

WeasyPrint 70 parses each part's HTML with tinyhtml5, whose tokenizer asks
``HTMLUnicodeInputStream.chars_until(characters)`` for every run of text and
every attribute value. That method keeps the regular expression it builds
for ``characters`` in a cache, but under the wrong key: the assignment
``characters = cache[(characters, opposite)] = regex`` rebinds
``characters`` to the regex before the cache's key is made, so the cache
never answers and every call builds the pattern's text again and looks it up
in ``re``'s own cache. Parsing the benchmark report's print HTML (1 MB):
0.33 -> 0.19 s of CPU (mean of 3).

:func:`chars_until` keeps the regex under the characters asked for, and
hands it to tinyhtml5's own method under the key tinyhtml5 then looks for
(the regex itself), which finds it and reads the stream as before: the same
text, so the same document.

The patch applies only with the tinyhtml5 it was written against
(:data:`TINYHTML5`; elsewhere tinyhtml5's own method stays) and the
WeasyPrint versions it was tested with (:data:`SUPPORTED`; on any other
:func:`apply` raises).
"""

from __future__ import annotations

import re
from typing import Any

import tinyhtml5  # type: ignore[import-untyped]  # no type information
from tinyhtml5 import inputstream as _inputstream

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
TINYHTML5 = ("2.1.0",)
_original = _inputstream.HTMLUnicodeInputStream.chars_until
_kept: dict[tuple[Any, bool], re.Pattern[str]] = {}


def _pattern(characters: Any, opposite: bool) -> re.Pattern[str]:
    """tinyhtml5's regex for ``characters``: a run of them (``opposite``), or of any other character."""
    regex = "".join([f"\\x{ord(character):02x}" for character in characters])
    if not opposite:
        regex = f"^{regex}"
    return re.compile(f"[{regex}]+")


def chars_until(self: Any, characters: Any, opposite: bool = False) -> str:
    """tinyhtml5's ``chars_until``, its regex built once per ``characters``."""
    try:
        regex = _kept[(characters, opposite)]
    except KeyError:
        regex = _kept[(characters, opposite)] = _pattern(characters, opposite)
        _inputstream.characters_until_regex[(regex, opposite)] = regex  # where tinyhtml5's method looks
    text: str = _original(self, regex, opposite)
    return text


_SWAPS = Swaps(
    "abuild's tokenizer regexes (render/weasy_html_parse.py)",
    [(_inputstream.HTMLUnicodeInputStream, "chars_until", chars_until)],
    SUPPORTED,
    ready=lambda: getattr(tinyhtml5, "__version__", None) in TINYHTML5,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
