"""An SVG written anew with only what a renderer draws (red-team NL5), and
the audit's side: what such a rebuild would remove from an SVG.

:func:`clean` works on the parsed tree (``xml.etree``: comments and
processing instructions are already gone) and returns what it changed;
an SVG that came out of it comes out unchanged, so the audit
(:func:`findings`) names nothing in a published SVG and names every hiding
place in one that bypassed the rebuild. What goes:

- elements outside the SVG drawing vocabulary (``<metadata>``, editor
  namespaces, other vocabularies, ``<foreignObject>``, animation), every
  child of a ``<switch>`` but the first (the one drawn once the conditional
  attributes are gone), ``<title>``/``<desc>`` other than the picture's own
  (the root's: its accessible name; a nested one is a tooltip no output
  shows), and character data outside ``<text>``;
- ``<style>``: its rules are parsed (tinycss2; comments and at-rules such
  as ``@media`` drop out), matched to the elements (cssselect2, as
  WeasyPrint does) and written onto each element as its ``style`` in
  cascade order (specificity, order, ``!important``, the ``style``
  attribute), so no style sheet and no ``class`` is left; only the
  properties and attributes of the allow lists below stay (``aria-*``,
  ``data-*``, ``lang``, unknown names go), and a paint or length that does
  not parse (``fill="Pietersberg"``) goes too;
- ``id``: only ids something refers to stay, renamed ``a1``, ``a2``, ...
  in document order; a reference to no element goes;
- what is defined but never drawn: a ``<symbol>``, a child of ``<defs>``,
  a gradient, pattern, marker, clip path, mask or filter no drawn element
  refers to;
- text that is not drawn: in an element with ``display: none`` (or an
  ancestor with it), with ``visibility: hidden``, under ``opacity: 0``,
  with neither fill nor stroke (``none``, opacity 0, stroke width 0),
  a font size of 0 or under a thousandth of the picture (a degenerate
  ``transform`` such as ``scale(0)`` included), or with its anchor further
  outside the picture (viewBox) than the picture's own size plus the
  text's length (``x="-9999"``).

Not found: text a renderer draws where a reader cannot see it (behind a
shape, clipped, in the background colour). It is drawn, so the render's
audit reads it like all drawn text and finds an internal value in it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from xml.etree import ElementTree as ET

import cssselect2
import tinycss2
from tinycss2.color3 import parse_color

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_FE = (
    "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting"
    " feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR"
    " feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight"
    " feSpecularLighting feSpotLight feTile feTurbulence"
).split()
_ELEMENTS = {
    *"svg g defs symbol use image switch a path rect circle ellipse line polyline polygon".split(),
    *"text tspan textPath title desc style linearGradient radialGradient stop pattern".split(),
    *"clipPath mask marker filter".split(),
    *_FE,
}
# drawn only when something refers to them (as is every child of <defs>)
_TEMPLATES = {"symbol", "linearGradient", "radialGradient", "pattern", "clipPath", "mask", "marker", "filter"}
_TEXT = {"text", "tspan", "textPath"}
# elements whose own character data is drawn (<a> only inside <text>)
_RUNS = _TEXT | {"a"}

_PAINT = {"fill", "stroke", "color", "stop-color", "flood-color", "lighting-color"}
_PROPERTIES = {
    *_PAINT,
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
_LENGTHS = {
    *"x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height dx dy rotate textLength startOffset".split(),
    *"refX refY markerWidth markerHeight offset pathLength stroke-width font-size".split(),
    *"stroke-dashoffset letter-spacing word-spacing stroke-miterlimit opacity fill-opacity".split(),
    *"stroke-opacity stop-opacity flood-opacity".split(),
}
_ATTRIBUTES = {
    *_PROPERTIES,
    *_LENGTHS,
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
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_LENGTH_LIST = re.compile(rf"^[\s,]*(?:{_NUMBER}(?:px|pt|pc|mm|cm|in|em|ex|rem|%|deg)?[\s,]*)*$")
_PATH = re.compile(r"^[MmZzLlHhVvCcSsQqTtAa\d\s,.eE+-]*$")
_LOCAL_REF = re.compile(r"^\s*#([^\s)]*)\s*$")
_URL_REF = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]*)\1\s*\)")
_FONT_KEYWORDS = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "larger", "smaller"}
_REFERRING = {"fill", "stroke", "clip-path", "mask", "filter", "marker", "marker-start", "marker-mid", "marker-end"}

# a rebuild walks at most this many drawn elements (<use> can multiply them)
MAX_DRAWN = 200_000


class SvgError(ValueError):
    """The SVG cannot be rebuilt; ``str()`` says why."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _href(el: ET.Element) -> str | None:
    return el.get("href", el.get(f"{{{XLINK_NS}}}href"))


def _value_ok(name: str, value: str) -> bool:
    """A value a renderer reads as the property's type: free text in a
    colour or a length (``fill="Pietersberg"``) is not drawn."""
    v = value.strip()
    if name in _PAINT:
        if v.lower() in ("none", "currentcolor", "inherit", "transparent") or parse_color(v) is not None:
            return True
        m = re.match(r"^url\(\s*(['\"]?)#[^'\")\s]*\1\s*\)\s*(.*)$", v)
        return m is not None and (not m.group(2) or _value_ok(name, m.group(2)))
    if len(_numbers(v)) != len(re.findall(_NUMBER, v)):
        return False  # a number that overflows
    if name in _LENGTHS:
        return (
            v.lower() == "inherit"
            or bool(_LENGTH_LIST.match(v))
            or (name == "font-size" and v.lower() in _FONT_KEYWORDS)
        )
    if name == "d":
        return bool(_PATH.match(v))
    if name in ("points", "viewBox"):
        return bool(_LENGTH_LIST.match(v))
    return True


# --- style sheet onto the elements ----------------------------------------------------------


def _declarations(tokens: object) -> Iterator[tuple[str, str, bool]]:
    for d in tinycss2.parse_declaration_list(tokens, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            yield d.lower_name, " ".join(tinycss2.serialize(d.value).split()), bool(d.important)


class _Change:
    def __init__(self) -> None:
        self.found: list[str] = []

    def __call__(self, what: str) -> None:
        self.found.append(what)


def _inline_styles(root: ET.Element, note: _Change) -> None:
    sheets = [el for el in root.iter() if _local(el.tag) == "style"]
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
            decls = list(_declarations(rule.content))
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
        own = list(_declarations(el.get("style", "")))
        cascade = (
            [d for _k, ds in matched for d in ds if not d[2]]
            + [d for d in own if not d[2]]
            + [d for _k, ds in matched for d in ds if d[2]]
            + [d for d in own if d[2]]
        )
        props: dict[str, str] = {}
        for name, value, _imp in cascade:
            if name not in _PROPERTIES:
                note(f"SVG style property {name}")
            elif not _value_ok(name, value):
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


# --- elements and attributes outside the drawing vocabulary ---------------------------------------


def _drop(parent: ET.Element, child: ET.Element, keep_tail: bool) -> None:
    """Remove ``child``; its tail is the parent's text (drawn in a <text>)."""
    if keep_tail and child.tail:
        kids = list(parent)
        at = kids.index(child)
        if at:
            kids[at - 1].tail = (kids[at - 1].tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _vocabulary(root: ET.Element, note: _Change) -> None:
    svg_ns = _ns(root.tag)
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        el, in_text = stack.pop()
        local = _local(el.tag)
        runs = local in _TEXT or (in_text and local == "a") or local in ("title", "desc", "style")
        if not runs and el.text and el.text.strip():
            note(f"SVG text inside <{local}>, which is not drawn")
        if not runs:
            el.text = None
        first_drawn = True
        for child in list(el):
            name = _local(child.tag)
            keep = _ns(child.tag) == svg_ns and name in _ELEMENTS
            if name in ("title", "desc") and el is not root:
                keep = False
            if local == "switch" and keep:
                keep, first_drawn = first_drawn, False
            if not keep:
                note(f"SVG element <{name}> that is not drawn")
                if child.tail and child.tail.strip() and not runs:
                    note(f"SVG text after <{name}>, which is not drawn")
                _drop(el, child, keep_tail=runs)
                continue
            if not (runs and local != "style"):
                if child.tail and child.tail.strip():
                    note(f"SVG text after <{name}>, which is not drawn")
                child.tail = None
            stack.append((child, in_text or local in _TEXT))
        for key in list(el.attrib):
            ns, name = _ns(key), _local(key)
            value = el.attrib[key]
            ok = (ns == "" and (name in _ATTRIBUTES or name in ("id", "class", "style"))) or (
                ns == XLINK_NS and name == "href"
            )
            ok = ok or (ns == XML_NS and name == "space" and value in ("default", "preserve"))
            if not ok:
                note(f"SVG attribute {name}= that is not drawn")
                del el.attrib[key]
            elif ns == "" and not _value_ok(name, value):
                note(f"SVG attribute {name}= that is not a {name}")
                del el.attrib[key]


# --- what is drawn ----------------------------------------------------------------------------------

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _numbers(text: str) -> list[float]:
    """The numbers in ``text``; one that overflows (``1e400``) is left out
    (:func:`_value_ok` drops such a value: renderers ignore it too)."""
    return [f for f in map(float, re.findall(_NUMBER, text)) if math.isfinite(f)]


def _transform(text: str) -> _Matrix:
    m = _IDENTITY
    for name, args in re.findall(r"([A-Za-z]+)\s*\(([^)]*)\)", text):
        v = _numbers(args)
        name = name.lower()
        if name == "matrix" and len(v) == 6:
            n: _Matrix = (v[0], v[1], v[2], v[3], v[4], v[5])
        elif name == "translate" and v:
            n = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale" and v:
            n = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate" and v:
            t = math.radians(v[0])
            n = (math.cos(t), math.sin(t), -math.sin(t), math.cos(t), 0, 0)
            if len(v) == 3:
                n = _mul(_mul((1, 0, 0, 1, v[1], v[2]), n), (1, 0, 0, 1, -v[1], -v[2]))
        elif name in ("skewx", "skewy") and v:
            t = math.tan(math.radians(v[0]))
            n = (1, 0, t, 1, 0, 0) if name == "skewx" else (1, t, 0, 1, 0, 0)
        else:
            continue
        m = _mul(m, n)
    return m


@dataclass(frozen=True)
class _State:
    ctm: _Matrix = _IDENTITY
    font_size: float = 16.0
    hidden: str | None = None  # visibility: hidden (inherited, a child may undo it)
    erased: str | None = None  # opacity 0 or a flat transform: nothing below is seen
    fill: bool = True
    stroke: bool = False
    anchor: tuple[float, float] = (0.0, 0.0)  # where the current text run starts
    text_len: int = -1  # characters of the enclosing <text>; -1: not in a text


_FONT_UNITS = {"px": 1.0, "": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "rem": 16.0}


def _font_size(value: str, parent: float) -> float:
    m = re.match(rf"^\s*({_NUMBER})\s*([a-z%]*)\s*$", value.lower())
    if not m:
        return parent
    n, unit = float(m.group(1)), m.group(2)
    if unit in ("em", "%", "ex"):
        return n * parent * {"em": 1.0, "%": 0.01, "ex": 0.5}[unit]
    return n * _FONT_UNITS.get(unit, 1.0)


def _props(el: ET.Element) -> dict[str, str]:
    """The element's properties: presentation attributes, then its style
    (which holds the style sheet's rules by now)."""
    props = {k: v.strip() for k, v in el.attrib.items() if k in _PROPERTIES}
    for name, value, _imp in _declarations(el.get("style", "")):
        props[name] = value
    return props


def _zero(value: str) -> bool:
    v = _numbers(value)
    return bool(v) and v[0] <= 0


class _Drawn:
    """Walks the picture as a renderer does, from the root and through every
    reference, and records which text is drawn and which elements are used."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.ids = {el.get("id"): el for el in root.iter() if el.get("id")}
        self.text: dict[ET.Element, str | None] = {}  # text element -> None (drawn) or why not
        self.used: set[ET.Element] = set()
        self.visits = 0
        vb = _numbers(root.get("viewBox", ""))
        if len(vb) == 4 and vb[2] > 0 and vb[3] > 0:
            self.box: tuple[float, float, float, float] | None = (vb[0], vb[1], vb[2], vb[3])
        else:
            w, h = (_numbers(root.get(k, "")) for k in ("width", "height"))
            ok = w and h and w[0] > 0 and h[0] > 0 and "%" not in root.get("width", "") + root.get("height", "")
            self.box = (0.0, 0.0, w[0], h[0]) if ok else None
        self.walk(root, _State(), set())

    def refs(self, el: ET.Element, props: dict[str, str]) -> Iterator[ET.Element]:
        href = _href(el)
        if href is not None and (m := _LOCAL_REF.match(href)) and m.group(1) in self.ids:
            yield self.ids[m.group(1)]
        for name, value in props.items():
            if name in _REFERRING:
                for m in _URL_REF.finditer(value):
                    if m.group(2) in self.ids:
                        yield self.ids[m.group(2)]

    def walk(self, el: ET.Element, st: _State, path: set[int]) -> None:
        self.visits += 1
        if self.visits > MAX_DRAWN:
            raise SvgError(f"the SVG draws more than {MAX_DRAWN:,} elements (<use> within <use>)")
        local = _local(el.tag)
        props = _props(el)
        if props.get("display", "").lower() == "none":
            for t in el.iter():
                if _local(t.tag) in _TEXT:
                    self.text.setdefault(t, "display: none")
            return
        st = self.state(el, local, props, st)
        targets = list(self.refs(el, props))
        for target in targets:
            if id(target) in path:
                continue  # a reference to itself: renderers draw nothing there
            self.used.add(target)
            sub = st
            if local == "use":
                x, y = (_numbers(el.get(k, "0") or "0") or [0.0] for k in ("x", "y"))
                sub = replace(st, ctm=_mul(st.ctm, (1, 0, 0, 1, x[0], y[0])))
            if local != "textPath":
                self.walk_children(target, sub, path | {id(el)}, include_self=_local(target.tag) not in _TEMPLATES)
        if local in _TEXT or (local == "a" and st.text_len >= 0):
            # drawn along one path is drawn (a tspan is judged on its own:
            # it may undo its parent's visibility: hidden)
            if self.text.get(el, "") is not None:
                self.text[el] = self.why_not(el, st)
        if local in _TEMPLATES or local == "defs" or local in ("title", "desc", "style"):
            return
        for child in el:
            self.walk(child, st, path)

    def walk_children(self, target: ET.Element, st: _State, path: set[int], include_self: bool) -> None:
        if include_self:
            self.walk(target, st, path | {id(target)})
        else:
            props = _props(target)
            st = self.state(target, _local(target.tag), props, st)
            for child in target:
                self.walk(child, st, path | {id(target)})

    def state(self, el: ET.Element, local: str, props: dict[str, str], st: _State) -> _State:
        ctm = st.ctm
        if "transform" in props:
            ctm = _mul(ctm, _transform(props["transform"]))
        if local in ("svg", "symbol") and el is not None:
            x, y = (_numbers(el.get(k, "0") or "0") or [0.0] for k in ("x", "y"))
            if el is not self.root or local == "symbol":
                ctm = _mul(ctm, (1, 0, 0, 1, x[0], y[0]))
            vb = _numbers(el.get("viewBox", ""))
            w, h = (_numbers(el.get(k, "")) for k in ("width", "height"))
            if el is not self.root and len(vb) == 4 and vb[2] > 0 and vb[3] > 0 and w and h:
                ctm = _mul(ctm, (w[0] / vb[2], 0, 0, h[0] / vb[3], -vb[0] * w[0] / vb[2], -vb[1] * h[0] / vb[3]))
        erased = st.erased
        if "opacity" in props and _zero(props["opacity"]):
            erased = "opacity: 0"
        if abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) < 1e-12:
            erased = erased or "a transform that flattens it"
        hidden = st.hidden
        vis = props.get("visibility", "").lower()
        if vis in ("hidden", "collapse"):
            hidden = f"visibility: {vis}"
        elif vis == "visible":
            hidden = None
        fill, stroke = st.fill, st.stroke
        if "fill" in props:
            fill = props["fill"].lower() not in ("none", "transparent")
        if "fill-opacity" in props and _zero(props["fill-opacity"]):
            fill = False
        if "stroke" in props:
            stroke = props["stroke"].lower() not in ("none", "transparent")
        for k in ("stroke-opacity", "stroke-width"):
            if k in props and _zero(props[k]):
                stroke = False
        font_size = _font_size(props["font-size"], st.font_size) if "font-size" in props else st.font_size
        anchor, text_len = st.anchor, st.text_len
        if local == "text":
            anchor, text_len = (0.0, 0.0), len("".join(el.itertext()))
        if local in _TEXT:
            x, y = (_numbers(el.get(k, "")) for k in ("x", "y"))
            dx, dy = (_numbers(el.get(k, "")) or [0.0] for k in ("dx", "dy"))
            anchor = ((x[0] if x else anchor[0]) + dx[0], (y[0] if y else anchor[1]) + dy[0])
        return _State(ctm, font_size, hidden, erased, fill, stroke, anchor, text_len)

    def why_not(self, el: ET.Element, st: _State) -> str | None:
        if st.erased or st.hidden:
            return st.erased or st.hidden
        if not (st.fill or st.stroke):
            return "neither fill nor stroke"
        scale = math.sqrt(abs(st.ctm[0] * st.ctm[3] - st.ctm[1] * st.ctm[2]))
        size = st.font_size * scale
        if self.box is None:
            return None if size > 0 else "font size 0"
        bw, bh = self.box[2], self.box[3]
        if size <= max(bw, bh) / 1000:
            return "a font size of 0" if size <= 0 else "a font size too small to see"
        if _local(el.tag) == "textPath" or el.find(f"{{{SVG_NS}}}textPath") is not None:
            return None  # drawn along its path, wherever x and y are
        (x, y), (a, b, c, d, e, f) = st.anchor, st.ctm
        px, py = a * x + c * y + e, b * x + d * y + f
        # the text may run its whole length (any direction) into the picture
        margin = max(bw, bh) + size * max(st.text_len, 1)
        x0, y0 = self.box[0] - margin, self.box[1] - margin
        if not (x0 <= px <= self.box[0] + bw + margin and y0 <= py <= self.box[1] + bh + margin):
            return "outside the picture"
        return None


def _prune(root: ET.Element, drawn: _Drawn, note: _Change) -> None:
    """Remove text that is not drawn and definitions nothing uses."""

    def has_drawn(el: ET.Element) -> bool:
        return any(drawn.text.get(t, "") is None for t in el.iter())

    def is_run(el: ET.Element) -> bool:
        return _local(el.tag) in _TEXT or el in drawn.text

    stack = [root]
    while stack:
        el = stack.pop()
        local = _local(el.tag)
        for child in list(el):
            name = _local(child.tag)
            template = name in _TEMPLATES or local == "defs"
            if template and child not in drawn.used:
                note(f"SVG <{name}> that is never used")
                _drop(el, child, keep_tail=is_run(el))
                continue
            if is_run(child) and drawn.text.get(child, "never used") is not None and not has_drawn(child):
                note(f"SVG text that is not drawn ({drawn.text.get(child) or 'never used'})")
                _drop(el, child, keep_tail=is_run(el))
                continue
            stack.append(child)
        if is_run(el) and drawn.text.get(el, "never used") is not None:
            # not drawn itself, but a child is: keep the child, lose the runs
            if (el.text and el.text.strip()) or any(c.tail and c.tail.strip() for c in el):
                note(f"SVG text that is not drawn ({drawn.text.get(el) or 'never used'})")
            el.text = None
            for c in el:
                c.tail = None


def _ids(root: ET.Element, note: _Change, rename: bool) -> None:
    """A reference to no element goes (``url(#x)`` becomes ``none``, as
    renderers read it); with ``rename``, only ids something refers to stay,
    renamed a1, a2, ... in document order."""
    names: dict[str, str] = {}
    if not rename:
        for el in root.iter():
            old = el.get("id")
            if old is not None:
                names.setdefault(old, old)
    else:
        wanted: set[str] = set()
        for el in root.iter():
            href = _href(el)
            if href is not None and (m := _LOCAL_REF.match(href)):
                wanted.add(m.group(1))
            for value in el.attrib.values():
                wanted.update(m.group(2) for m in _URL_REF.finditer(value))
        for el in root.iter():
            old = el.get("id")
            if old is None:
                continue
            if old in wanted and old not in names:
                names[old] = f"a{len(names) + 1}"
                if names[old] != old:
                    note("SVG id= written anew")
                el.set("id", names[old])
            else:
                note("SVG id= that nothing refers to")
                del el.attrib["id"]

    def url(m: re.Match[str]) -> str:
        return f"url(#{names[m.group(2)]})" if m.group(2) in names else "none"

    for el in root.iter():
        for key in list(el.attrib):
            value = el.attrib[key]
            if _local(key) == "href" and (m := _LOCAL_REF.match(value)):
                if m.group(1) in names:
                    el.set(key, f"#{names[m.group(1)]}")
                else:
                    note("SVG reference to no element")
                    del el.attrib[key]
            elif "url(" in value:
                new = _URL_REF.sub(url, value)
                if any(m.group(2) not in names for m in _URL_REF.finditer(value)):
                    note("SVG reference to no element")
                el.set(key, new)


def clean(root: ET.Element) -> list[str]:
    """Rebuild the parsed SVG in place (see the module); what was removed or
    changed, for the audit (empty: the SVG is its own rebuild)."""
    note = _Change()
    _vocabulary(root, note)
    _inline_styles(root, note)
    for el in root.iter():
        if "class" in el.attrib:  # its rules are on the element now
            note("SVG class=")
            del el.attrib["class"]
    _ids(root, note, rename=False)  # before the walk: a missing paint is no paint
    drawn = _Drawn(root)
    _prune(root, drawn, note)
    _ids(root, note, rename=True)
    return note.found
