"""A ``<style>`` sheet parsed once per process, not once per document, in WeasyPrint 70.

The PDF is laid out in parts (:mod:`.pdf_layout_parts`), and every part's
HTML carries the whole print CSS in its ``<style>``: WeasyPrint tokenised it,
validated every declaration and compiled every selector again for each of
the benchmark report's 16 parts: 0.30 s of the two layout workers' ~9.9 s of
CPU (tinycss2's parse 0.004 s and WeasyPrint's preprocessing 0.028 s a
part). With this memo, and the writer parsing the print CSS once before it
forks the workers (:func:`prime`, 0.015 s), the workers parse only each
part's ``<link>``ed fonts.css (0.005 s in all).

:func:`css` stands in for ``weasyprint.CSS`` where WeasyPrint reads a
document's stylesheets (``weasyprint.css``). For a ``<style>`` text it has
seen before, with the same base URL, media type and starting state (page
rules, layers, counter styles and colour profiles so far), it gives a sheet
with the same compiled selectors and replays what parsing did to the
document: the same page rules appended, the same ``@font-face`` rules added
to this document's font configuration, with this document's URL fetcher
(so a font is fetched, or refused, per document as before). Anything else
goes to WeasyPrint's own ``CSS``, and a sheet is kept only when its parse
did nothing else: no URL fetched (``@import``, ``@color-profile``), no
counter style, colour profile or layer added. What is kept is only read
afterwards (cssselect2's matcher, the declarations, the page rules' tuples).

The patch applies only to the WeasyPrint version it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import weasyprint
from weasyprint import css as _css_module

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = weasyprint.CSS
# the print CSS is one text per report (and the parts' own small sheets):
# a handful of entries, each the print CSS's selectors (~1 MB)
_MAX = 8


@dataclass(frozen=True)
class _Parsed:
    base_url: str | None
    matcher: Any
    page_rules: tuple[Any, ...]
    font_faces: tuple[Any, ...]


_memo: dict[tuple[Any, ...], _Parsed] = {}
stats = {"parsed": 0, "reused": 0}


class _Watched:
    """A URL fetcher that counts its calls (a sheet that fetched is not kept)."""

    def __init__(self, fetcher: Any) -> None:
        self._fetcher = fetcher
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self._fetcher(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fetcher, name)


class _FontFaces:
    """A font configuration that records the ``@font-face`` rules it is given
    and adds them to the real one (if any) with the document's own fetcher."""

    def __init__(self, real: Any, fetcher: Any) -> None:
        self._real = real
        self._fetcher = fetcher
        self.faces: list[Any] = []

    def add_font_face(self, descriptors: Any, _fetcher: Any) -> Any:
        self.faces.append(descriptors)
        return None if self._real is None else self._real.add_font_face(descriptors, self._fetcher)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def css(*args: Any, **kwargs: Any) -> Any:
    """``weasyprint.CSS(*args, **kwargs)``, a ``<style>`` text seen before without parsing it again."""
    string = kwargs.get("string")
    fetcher = kwargs.get("url_fetcher")
    page_rules, layers = kwargs.get("page_rules"), kwargs.get("layers")
    counter_style, profiles = kwargs.get("counter_style"), kwargs.get("color_profiles")
    if (
        args
        or not isinstance(string, str)
        or fetcher is None
        or page_rules is None
        or layers is None
        or counter_style is None
        or profiles is None
        or set(kwargs) - _STYLE_ARGS
    ):
        return _original(*args, **kwargs)
    key = (
        string,
        kwargs.get("base_url"),
        kwargs.get("media_type", "print"),
        len(page_rules),
        tuple(layers),
        frozenset(counter_style),
        frozenset(profiles),
    )
    font_config = kwargs.get("font_config")
    parsed = _memo.get(key)
    if parsed is None:
        return _parse(key, kwargs)
    stats["reused"] += 1
    if font_config is not None:
        for descriptors in parsed.font_faces:
            font_config.add_font_face(descriptors, fetcher)
    page_rules.extend(parsed.page_rules)
    sheet = _original.__new__(_original)
    sheet.base_url = parsed.base_url
    sheet.matcher = parsed.matcher
    sheet.page_rules = page_rules
    sheet.layers = layers
    return sheet


# the arguments WeasyPrint 70's find_stylesheets gives a <style>'s CSS
_STYLE_ARGS = frozenset(
    ("string", "base_url", "url_fetcher", "media_type", "font_config", "counter_style", "page_rules")
    + ("color_profiles", "layers")
)


def _parse(key: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """WeasyPrint's own parse, watched; kept when it did nothing but selectors, page rules and font faces."""
    stats["parsed"] += 1
    page_rules, layers = kwargs["page_rules"], kwargs["layers"]
    counter_style, profiles = kwargs["counter_style"], kwargs["color_profiles"]
    before = (list(page_rules), list(layers), dict(counter_style), dict(profiles))
    watched = _Watched(kwargs["url_fetcher"])
    faces = _FontFaces(kwargs.get("font_config"), kwargs["url_fetcher"])
    sheet = _original(**{**kwargs, "url_fetcher": watched, "font_config": faces})
    unchanged = (
        watched.calls == 0
        and list(layers) == before[1]
        and _same(counter_style, before[2])
        and _same(profiles, before[3])
        and len(page_rules) >= len(before[0])
        and all(now is was for now, was in zip(page_rules, before[0], strict=False))  # only appended to
    )
    if unchanged:
        if len(_memo) >= _MAX:
            _memo.pop(next(iter(_memo)))
        _memo[key] = _Parsed(sheet.base_url, sheet.matcher, tuple(page_rules[len(before[0]) :]), tuple(faces.faces))
    return sheet


def _same(now: dict[Any, Any], before: dict[Any, Any]) -> bool:
    return now.keys() == before.keys() and all(now[k] is before[k] for k in before)


def prime(html: str, base_url: str, fetcher: Any) -> int:
    """Parse the ``<style>`` sheets of ``html`` as WeasyPrint will when it lays
    it out (the same base URL, media type and starting state), so that the
    layout workers forked after this find them parsed; the number of sheets
    kept. Whatever the parse fetched or refused is forgotten (the fetcher's
    ``refused``: each part's layout records its own)."""
    if not enabled():
        return 0
    from weasyprint import HTML
    from weasyprint.css import counters, find_stylesheets

    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    counter_style = counters.CounterStyle()
    for style in document._ua_counter_style():  # as get_all_computed_styles starts
        for key, value in style.items():
            counter_style[key] = value
    refused = getattr(fetcher, "refused", None)
    had = list(refused) if refused is not None else None
    before = len(_memo)
    try:
        for _ in find_stylesheets(
            document.wrapper_element, document.media_type, fetcher, document.base_url, None, counter_style, {}, [], []
        ):
            pass
    finally:
        if refused is not None and had is not None:
            refused[:] = had
    return len(_memo) - before


def clear() -> None:
    _memo.clear()


_SWAPS = Swaps(
    "abuild's stylesheet memo (render/weasy_css_memo.py)",
    [(_css_module, "CSS", css)],
    SUPPORTED,
    cleared=_memo.clear,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
