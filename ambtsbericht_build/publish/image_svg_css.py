"""An SVG's presentation, for :mod:`.image_svg`: the attributes and CSS
properties a drawing uses (allow lists), values that parse as what they
are (a colour, a length: ``fill="Pietersberg"`` is neither), and the style
sheet written onto the elements (tinycss2 parses it, cssselect2 matches
its rules as WeasyPrint does), so no ``<style>``, CSS comment or ``class``
is left.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from xml.etree import ElementTree as ET

import cssselect2
import tinycss2
from tinycss2.color3 import parse_color

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

PAINT = {"fill", "stroke", "color", "stop-color", "flood-color", "lighting-color"}
PROPERTIES = {
    *PAINT,
    *"fill-opacity fill-rule stroke-width stroke-opacity stroke-linecap stroke-linejoin".split(),
    *"stroke-miterlimit stroke-dasharray stroke-dashoffset opacity display visibility".split(),
    *"font font-family font-size font-style font-weight font-variant font-stretch font-size-adjust".split(),
    *"text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing".split(),
    *"text-decoration writing-mode direction unicode-bidi clip clip-path clip-rule mask marker".split(),
    *"marker-start marker-mid marker-end stop-opacity flood-opacity filter paint-order".split(),
    *"vector-effect shape-rendering text-rendering image-rendering color-rendering".split(),
    *"color-interpolation color-interpolation-filters mix-blend-mode isolation overflow".split(),
    *"transform transform-origin transform-box white-space font-kerning".split(),
}
LENGTHS = {
    *"x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height dx dy rotate textLength startOffset".split(),
    *"refX refY markerWidth markerHeight offset pathLength stroke-width font-size".split(),
    *"stroke-dashoffset letter-spacing word-spacing stroke-miterlimit opacity fill-opacity".split(),
    *"stroke-opacity stop-opacity flood-opacity".split(),
}
ATTRIBUTES = {
    *PROPERTIES,
    *LENGTHS,
    *"viewBox preserveAspectRatio d points transform href lengthAdjust".split(),
    *"gradientUnits gradientTransform spreadMethod patternUnits patternContentUnits".split(),
    *"patternTransform clipPathUnits maskUnits maskContentUnits markerUnits orient method".split(),
    *"spacing side filterUnits primitiveUnits in in2 result stdDeviation operator k1 k2 k3 k4".split(),
    *"mode type values tableValues slope intercept amplitude exponent scale xChannelSelector".split(),
    *"yChannelSelector baseFrequency numOctaves seed stitchTiles radius kernelMatrix order".split(),
    *"divisor bias targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant".split(),
    *"specularConstant specularExponent kernelUnitLength azimuth elevation pointsAtX".split(),
    *"pointsAtY pointsAtZ limitingConeAngle".split(),
}
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
LENGTH_LIST = re.compile(rf"^[\s,]*(?:{NUMBER}(?:px|pt|pc|mm|cm|in|em|ex|rem|%|deg)?[\s,]*)*$")
PATH_DATA = re.compile(r"^[MmZzLlHhVvCcSsQqTtAa\d\s,.eE+-]*$")
FONT_KEYWORDS = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "larger", "smaller"}


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def href_of(el: ET.Element) -> str | None:
    return el.get("href", el.get(f"{{{XLINK_NS}}}href"))


def numbers(text: str) -> list[float]:
    """The numbers in ``text``; one that overflows (``1e400``) is left out
    (:func:`value_ok` drops such a value: renderers ignore it too)."""
    return [f for f in map(float, re.findall(NUMBER, text)) if math.isfinite(f)]


def value_ok(name: str, value: str) -> bool:
    """A value a renderer reads as the property's type: free text in a
    colour or a length (``fill="Pietersberg"``) is not drawn."""
    v = value.strip()
    if name in PAINT:
        if v.lower() in ("none", "currentcolor", "inherit", "transparent") or parse_color(v) is not None:
            return True
        m = re.match(r"^url\(\s*(['\"]?)#[^'\")\s]*\1\s*\)\s*(.*)$", v)
        return m is not None and (not m.group(2) or value_ok(name, m.group(2)))
    if len(numbers(v)) != len(re.findall(NUMBER, v)):
        return False  # a number that overflows
    if name in LENGTHS:
        return (
            v.lower() == "inherit" or bool(LENGTH_LIST.match(v)) or (name == "font-size" and v.lower() in FONT_KEYWORDS)
        )
    if name == "d":
        return bool(PATH_DATA.match(v))
    if name in ("points", "viewBox"):
        return bool(LENGTH_LIST.match(v))
    return True


def declarations(tokens: object) -> Iterator[tuple[str, str, bool]]:
    for d in tinycss2.parse_declaration_list(tokens, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            yield d.lower_name, " ".join(tinycss2.serialize(d.value).split()), bool(d.important)


class Change:
    def __init__(self) -> None:
        self.found: list[str] = []

    def __call__(self, what: str) -> None:
        self.found.append(what)


def inline_styles(root: ET.Element, note: Change) -> None:
    sheets = [el for el in root.iter() if local_name(el.tag) == "style"]
    matcher = cssselect2.Matcher()
    order = 0
    for sheet in sheets:
        text = "".join(sheet.itertext())
        note("SVG <style> (its rules are written onto the elements)")
        if "/*" in text:
            note("SVG comment in a <style>")
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule":
                note(f"SVG style sheet rule @{rule.lower_at_keyword}")
            if rule.type != "qualified-rule":
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue  # renderers ignore the rule too
            decls = list(declarations(rule.content))
            for sel in selectors:
                if sel.pseudo_element is None:
                    matcher.add_selector(sel, (order, decls))
                    order += 1
    for parent in list(root.iter()):
        for child in list(parent):
            if child in sheets:
                parent.remove(child)
    wrapped = cssselect2.ElementWrapper.from_xml_root(root)
    for w in wrapped.iter_subtree():
        el = w.etree_element
        matched = (
            sorted(((spec, payload[0]), payload[1]) for spec, _o, _p, payload in matcher.match(w)) if sheets else []
        )
        own = list(declarations(el.get("style", "")))
        cascade = (
            [d for _k, ds in matched for d in ds if not d[2]]
            + [d for d in own if not d[2]]
            + [d for _k, ds in matched for d in ds if d[2]]
            + [d for d in own if d[2]]
        )
        props: dict[str, str] = {}
        for name, value, _imp in cascade:
            if name not in PROPERTIES:
                note(f"SVG style property {name}")
            elif not value_ok(name, value):
                note(f"SVG style {name} that is not a {name}")
            else:
                props[name] = value
        style = ";".join(f"{k}:{v}" for k, v in props.items())
        if el.get("style") != (style or None):
            note("SVG style attribute written anew")
        if style:
            el.set("style", style)
        elif "style" in el.attrib:
            del el.attrib["style"]
