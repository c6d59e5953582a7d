"""A Pango layout set up from what was made before for the same font, in WeasyPrint 70.

WeasyPrint makes a Pango layout for every run of text it breaks into lines and
again for every line it draws (``text/line_break.py`` ``Layout.setup``: 42,700
times for the benchmark report's 234 pages). Each time it creates a new Pango
context, builds the font description from eight style values (with a C
string for the family list), computes the OpenType feature string, and, for
underlined text, asks Pango for the font's metrics: 2.6 s of the 39 s
profiled whole-document layout, for a few hundred distinct fonts.

The context depends only on the font map, the direction and the language;
the description, the features and the metrics only on the style values they
are made from. :func:`setup` keeps each of them, keyed by exactly those
values, and makes the layout from them: the same Pango calls on equal
arguments, so the same lines, glyphs and PDF (the tests compare the bytes).
What a layout changes later is its own: the attribute list, which
``Layout.set_text`` extends in place, is still made new for each layout, and
Pango copies the description it is given.

The patch applies only to the WeasyPrint versions it was written and tested
against (:data:`SUPPORTED`); on any other :func:`apply` raises.
"""

from __future__ import annotations

from typing import Any

from weasyprint.text import line_break as _line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

from .weasy_patch import Swaps

SUPPORTED = ("70.0",)
_original = _line_break.Layout.setup

_FONT = (
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
)
_FEATURES = (
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_caps",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)


class _Memo:
    """What one font configuration's layouts share; keeps every key's objects alive."""

    def __init__(self) -> None:
        self.contexts: dict[Any, tuple[Any, Any]] = {}
        self.descriptions: dict[Any, Any] = {}
        self.features: dict[Any, bytes | None] = {}
        self.metrics: dict[Any, tuple[float, float, float, float, float]] = {}


def _memo(font_config: Any) -> _Memo:
    memo: _Memo | None = font_config.__dict__.get("_abuild_layout_memo")
    if memo is None:
        memo = font_config.__dict__["_abuild_layout_memo"] = _Memo()
    return memo


def _language(style: Any) -> str | None:
    override = style["font_language_override"]
    if override != "normal":
        return str(LST_TO_ISO.get(override.lower(), override))
    lang = style["lang"]
    return str(lang) if lang else None


def setup(self: Any, style: Any) -> None:
    """WeasyPrint's ``Layout.setup``, from kept contexts, descriptions, features and metrics."""
    font_map = style.font_config.font_map
    lang = _language(style)
    context_key = (font_map, style["direction"], lang)
    font_key = (  # _FONT, spelled out: a generator here cost 1 % of the layout
        style["font_family"],
        style["font_style"],
        style["font_stretch"],
        style["font_weight"],
        style["font_size"],
        style["font_variant_caps"],
        style["font_variation_settings"],
    )
    features_key = (  # _FEATURES
        style["font_kerning"],
        style["font_variant_ligatures"],
        style["font_variant_position"],
        style["font_variant_caps"],
        style["font_variant_numeric"],
        style["font_variant_alternates"],
        style["font_variant_east_asian"],
        style["font_feature_settings"],
    )
    try:
        hash((context_key, font_key, features_key))
    except TypeError:  # a value WeasyPrint 70 never computes (a list): no key, its own set-up
        _original(self, style)
        return
    self.style = style
    self.first_line_direction = 0
    memo = _memo(style.font_config)
    kept = memo.contexts.get(context_key)
    if kept is None:
        pango_context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(pango_context, False)
        pango.pango_context_set_base_dir(pango_context, PANGO_DIRECTION[style["direction"]])
        if lang:
            lang_p, _ = unicode_to_char_p(lang)
            language = pango.pango_language_from_string(lang_p)
            pango.pango_context_set_language(pango_context, language)
        else:
            language = pango.pango_language_get_default()
        kept = memo.contexts[context_key] = (pango_context, language)
    pango_context, self.language = kept

    assert not isinstance(style["font_family"], str), "font_family should be a list"
    font_description = memo.descriptions.get(font_key)
    if font_description is None:
        font_description = memo.descriptions[font_key] = get_font_description(style)
    self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)

    if style["text_decoration_line"] != "none":
        metrics_key = (context_key, font_key)
        values = memo.metrics.get(metrics_key)
        if values is None:
            metrics = ffi.gc(
                pango.pango_context_get_metrics(pango_context, font_description, self.language),
                pango.pango_font_metrics_unref,
            )
            values = memo.metrics[metrics_key] = (
                FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics),
                FROM_UNITS * pango.pango_font_metrics_get_underline_position(metrics),
                FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(metrics),
                FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(metrics),
                FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(metrics),
            )
        (
            self.ascent,
            self.underline_position,
            self.strikethrough_position,
            self.underline_thickness,
            self.strikethrough_thickness,
        ) = values
    else:
        self.ascent = None
        self.underline_position = None
        self.strikethrough_position = None

    if features_key in memo.features:
        features = memo.features[features_key]
    else:
        found = font_features(*features_key)
        features = ",".join(f"{key} {value}" for key, value in found.items()).encode() if found else None
        memo.features[features_key] = features
    if features:
        # WeasyPrint keeps one attribute per feature string for the whole document
        attr = style.font_config.font_features.setdefault(features, pango.pango_attr_font_features_new(features))
        attr_list = pango.pango_attr_list_new()  # the layout's own: set_text adds to it
        pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)


_SWAPS = Swaps(
    "abuild's Pango layout set-up (render/weasy_layout_memo.py)",
    [(_line_break.Layout, "setup", setup)],
    SUPPORTED,
)
require, enabled, apply, remove = _SWAPS.require, _SWAPS.enabled, _SWAPS.apply, _SWAPS.remove
