"""An SVG image drawn on many pages is drawn once, in WeasyPrint 70.

A concept's CONCEPT watermark is an SVG ``@page`` background
(:func:`.formats.pdf.watermark_path`: one path of ~400 numbers), and
WeasyPrint parses and draws it again on every page: on the benchmark report
(234 pages) 0.6-0.8 s of the PDF writer's ~16 s of CPU, every page's path
parsed number by number (``svg.utils.size``: 90,000 calls).

Drawing an SVG is a function of the image, its size and the stream's state
when it starts (colour, opacity, transformation): the first draw records the
operators it appended to the stream, the opacity states it added to the
stream's resources and the state it left; a later draw of the same image at
the same size from the same state appends the same operators, adds the same
states and leaves the same state, without parsing anything. The PDF is byte
for byte the one WeasyPrint writes without this (the tests compare).

A draw that adds anything else to the resources (an image, a pattern, a
gradient, a font, a soft mask: objects WeasyPrint writes once per use) is
not recorded and is drawn every time, as before.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.images import SVGImage
from weasyprint.matrix import Matrix

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = SVGImage.draw

_STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)
_MEMO = "_abuild_drawn"


def _matrices(stream: Any) -> tuple[tuple[tuple[float, ...], ...], ...]:
    return tuple(tuple(tuple(row) for row in m) for m in stream._ctm_stack)


def _state(stream: Any) -> tuple[Any, ...]:
    """What a draw may read of the stream before it starts (hashable): its
    graphics state, its transformations, the opacity states it already has."""
    gstates = frozenset(stream._resources["ExtGState"])
    return (*(getattr(stream, name) for name in _STATE), _matrices(stream), gstates)


def _resources(stream: Any) -> tuple[Any, ...]:
    """How much the stream has of everything a draw may add (to tell what it added)."""
    res = stream._resources
    counts = tuple(len(res.get(kind) or ()) for kind in ("XObject", "Pattern", "Shading"))
    tags = len(stream._tags) if stream._tags is not None else 0
    return (*counts, len(stream._fonts), len(stream._images), tags)


def draw(self: Any, stream: Any, concrete_width: float, concrete_height: float, style: Any) -> None:
    """WeasyPrint's ``SVGImage.draw``, replayed from the first draw of this
    image at this size from this state."""
    memo: dict[Any, Any] = self.__dict__.setdefault(_MEMO, {})
    try:
        key = (concrete_width, concrete_height, _state(stream))
        hash(key)
    except (AttributeError, TypeError):  # not the stream this was written for: draw as WeasyPrint does
        _original(self, stream, concrete_width, concrete_height, style)
        return
    recorded = memo.get(key)
    if recorded is not None:
        ops, states, after = recorded
        stream.stream.extend(ops)
        stream._resources["ExtGState"].update(states)
        for name, value in zip(_STATE, after[0], strict=True):
            setattr(stream, name, value)
        stream._ctm_stack[:] = [Matrix(matrix=[list(row) for row in m]) for m in after[1]]
        return
    start, had, before = len(stream.stream), dict(stream._resources["ExtGState"]), _resources(stream)
    _original(self, stream, concrete_width, concrete_height, style)
    added = {k: v for k, v in stream._resources["ExtGState"].items() if k not in had}
    if _resources(stream) != before or any("SMask" in v for v in added.values()):
        return  # it added objects of its own: drawn every time
    after = (tuple(getattr(stream, name) for name in _STATE), _matrices(stream))
    memo[key] = (list(stream.stream[start:]), added, after)


_SWAPS = Swaps("abuild's SVG drawing (render/weasy_svg_memo.py)", [(SVGImage, "draw", draw)], SUPPORTED)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
