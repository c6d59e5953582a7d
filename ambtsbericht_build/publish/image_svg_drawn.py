"""What a renderer draws of an SVG, for :mod:`.image_svg`: the picture
walked from its root and through every reference (``<use>``, ``url(#id)``),
with the properties that hide text (``display``, ``visibility``,
``opacity``, fill and stroke, the font size) and the transforms that move
it, so each text element is known to be drawn or why not, and each
definition to be used or not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import accumulate
from xml.etree import ElementTree as ET

from .image_svg_css import NUMBER, PROPERTIES, SVG_NS, declarations, href_of, local_name, numbers

# drawn only when something refers to them (as is every child of <defs>)
TEMPLATES = {"symbol", "linearGradient", "radialGradient", "pattern", "clipPath", "mask", "marker", "filter"}
TEXT = {"text", "tspan", "textPath"}
LOCAL_REF = re.compile(r"^\s*#([^\s)]*)\s*$")
URL_REF = re.compile(r"url\(\s*(['\"]?)#([^'\")\s]*)\1\s*\)")
REFERRING = {"fill", "stroke", "clip-path", "mask", "filter", "marker", "marker-start", "marker-mid", "marker-end"}

# a rebuild walks at most this many drawn elements (<use> can multiply them)
MAX_DRAWN = 200_000


class SvgError(ValueError):
    """The SVG cannot be rebuilt; ``str()`` says why."""


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


def _transform(text: str) -> _Matrix:
    m = _IDENTITY
    for name, args in re.findall(r"([A-Za-z]+)\s*\(([^)]*)\)", text):
        v = numbers(args)
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
    points: tuple[tuple[float, float], ...] = ()  # where its characters are placed (x/y/dx/dy lists)


_FONT_UNITS = {"px": 1.0, "": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "rem": 16.0}


def _font_size(value: str, parent: float) -> float:
    m = re.match(rf"^\s*({NUMBER})\s*([a-z%]*)\s*$", value.lower())
    if not m:
        return parent
    n, unit = float(m.group(1)), m.group(2)
    if unit in ("em", "%", "ex"):
        return n * parent * {"em": 1.0, "%": 0.01, "ex": 0.5}[unit]
    return n * _FONT_UNITS.get(unit, 1.0)


def _props(el: ET.Element) -> dict[str, str]:
    """The element's properties: presentation attributes, then its style
    (which holds the style sheet's rules by now)."""
    props = {k: v.strip() for k, v in el.attrib.items() if k in PROPERTIES}
    for name, value, _imp in declarations(el.get("style", "")):
        props[name] = value
    return props


def _zero(value: str) -> bool:
    v = numbers(value)
    return bool(v) and v[0] <= 0


class Drawn:
    """Walks the picture as a renderer does, from the root and through every
    reference, and records which text is drawn and which elements are used."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.ids: dict[str, ET.Element] = {}
        for el in root.iter():  # the first element with an id is the one a reference means
            if el.get("id"):
                self.ids.setdefault(el.get("id", ""), el)
        self.text: dict[ET.Element, str | None] = {}  # text element -> None (drawn) or why not
        self.used: set[ET.Element] = set()
        self.visits = 0
        vb = numbers(root.get("viewBox", ""))
        if len(vb) == 4 and vb[2] > 0 and vb[3] > 0:
            self.box: tuple[float, float, float, float] | None = (vb[0], vb[1], vb[2], vb[3])
        else:
            w, h = (numbers(root.get(k, "")) for k in ("width", "height"))
            ok = w and h and w[0] > 0 and h[0] > 0 and "%" not in root.get("width", "") + root.get("height", "")
            self.box = (0.0, 0.0, w[0], h[0]) if ok else None
        self.walk(root, _State(), set())

    def refs(self, el: ET.Element, props: dict[str, str]) -> Iterator[ET.Element]:
        href = href_of(el)
        if href is not None and (m := LOCAL_REF.match(href)) and m.group(1) in self.ids:
            yield self.ids[m.group(1)]
        for name, value in props.items():
            if name in REFERRING:
                for m in URL_REF.finditer(value):
                    if m.group(2) in self.ids:
                        yield self.ids[m.group(2)]

    def walk(self, el: ET.Element, st: _State, path: set[int]) -> None:
        self.visits += 1
        if self.visits > MAX_DRAWN:
            raise SvgError(f"the SVG draws more than {MAX_DRAWN:,} elements (<use> within <use>)")
        local = local_name(el.tag)
        props = _props(el)
        if props.get("display", "").lower() == "none":
            for t in el.iter():
                if local_name(t.tag) in TEXT:
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
                x, y = (numbers(el.get(k, "0") or "0") or [0.0] for k in ("x", "y"))
                sub = replace(st, ctm=_mul(st.ctm, (1, 0, 0, 1, x[0], y[0])))
            if local != "textPath":
                self.walk_children(target, sub, path | {id(el)}, include_self=local_name(target.tag) not in TEMPLATES)
        if local in TEXT or (local == "a" and st.text_len >= 0):
            # drawn along one path is drawn (a tspan is judged on its own:
            # it may undo its parent's visibility: hidden)
            if self.text.get(el, "") is not None:
                self.text[el] = self.why_not(el, st)
        if local in TEMPLATES or local == "defs" or local in ("title", "desc", "style"):
            return
        for child in el:
            self.walk(child, st, path)

    def walk_children(self, target: ET.Element, st: _State, path: set[int], include_self: bool) -> None:
        if include_self:
            self.walk(target, st, path | {id(target)})
        else:
            props = _props(target)
            st = self.state(target, local_name(target.tag), props, st)
            for child in target:
                self.walk(child, st, path | {id(target)})

    def path_extent(self, text_path: ET.Element) -> bool:
        """Does the path a ``<textPath>`` follows have a length? Its
        ``path=`` (SVG 2) or the ``<path>`` its href names; none, a reference
        to no path or path data of moves only or of one point: no."""
        d = text_path.get("path")
        if d is None:
            href = href_of(text_path)
            m = LOCAL_REF.match(href) if href is not None else None
            target = self.ids.get(m.group(1)) if m else None
            if target is None or local_name(target.tag) != "path":
                return False
            d = target.get("d", "")
        return _has_length(d)

    def state(self, el: ET.Element, local: str, props: dict[str, str], st: _State) -> _State:
        ctm = st.ctm
        if "transform" in props:
            ctm = _mul(ctm, _transform(props["transform"]))
        if local in ("svg", "symbol"):
            x, y = (numbers(el.get(k, "0") or "0") or [0.0] for k in ("x", "y"))
            if el is not self.root or local == "symbol":
                ctm = _mul(ctm, (1, 0, 0, 1, x[0], y[0]))
            vb = numbers(el.get("viewBox", ""))
            w, h = (numbers(el.get(k, "")) for k in ("width", "height"))
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
        points = st.points
        if local in TEXT:
            x, y = (numbers(el.get(k, "")) for k in ("x", "y"))
            dx, dy = (list(accumulate(numbers(el.get(k, "")) or [0.0])) for k in ("dx", "dy"))
            anchor = ((x[0] if x else anchor[0]) + dx[0], (y[0] if y else anchor[1]) + dy[0])
            # a list of positions places each character: x="1 -9999" hides all but the first
            xs, ys = x or [anchor[0] - dx[0]], y or [anchor[1] - dy[0]]
            n = max(len(xs), len(ys), len(dx), len(dy))
            points = tuple(
                (xs[min(i, len(xs) - 1)] + dx[min(i, len(dx) - 1)], ys[min(i, len(ys) - 1)] + dy[min(i, len(dy) - 1)])
                for i in range(min(n, 10_000))
            )
        return _State(ctm, font_size, hidden, erased, fill, stroke, anchor, text_len, points)

    def why_not(self, el: ET.Element, st: _State) -> str | None:
        if st.erased or st.hidden:
            return st.erased or st.hidden
        if not (st.fill or st.stroke):
            return "neither fill nor stroke"
        scale = math.sqrt(abs(st.ctm[0] * st.ctm[3] - st.ctm[1] * st.ctm[2]))
        size = st.font_size * scale
        if size <= 0:
            return "a font size of 0"
        # without a viewBox or a width and height in user units the picture
        # is 300×150 in a browser; a box of 10,000 keeps any text near it
        box = self.box or (0.0, 0.0, 10_000.0, 10_000.0)
        bw, bh = box[2], box[3]
        if self.box is not None and size <= max(bw, bh) / 1000:
            return "a font size too small to see"
        if local_name(el.tag) == "textPath":
            # drawn along its path, wherever x and y are: if the path draws
            # something (red team pass 3, S15: d="M0 0" kept the text)
            return None if self.path_extent(el) else "along a path that draws nothing"
        if el.find(f"{{{SVG_NS}}}textPath") is not None:
            return None  # its textPath is judged on its own
        a, b, c, d, e, f = st.ctm
        # the text may run its whole length (any direction) into the picture
        margin = max(bw, bh) + size * max(st.text_len, 1)
        for x, y in st.points or (st.anchor,):
            px, py = a * x + c * y + e, b * x + d * y + f
            if not (box[0] - margin <= px <= box[0] + bw + margin and box[1] - margin <= py <= box[1] + bh + margin):
                return "outside the picture"
        return None


# the number of coordinates each path command takes, and which of them are
# points (x, y pairs) the pen passes or is pulled towards
_PATH_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
_PATH_TOKEN = re.compile(rf"([MmZzLlHhVvCcSsQqTtAa])|({NUMBER})")


def _has_length(d: str) -> bool:
    """Does path data ``d`` go anywhere? True as soon as a drawing command
    moves the pen off its start or pulls a curve away from it (a curve's
    control points count: conservative, the text then stays); a move alone,
    or lines to the same point, draw nothing."""
    cmd = ""
    args: list[float] = []
    x = y = 0.0
    seen: set[tuple[float, float]] = set()
    for m in _PATH_TOKEN.finditer(d[:100_000]):
        if m.group(1):
            cmd, args = m.group(1), []
            continue
        if not cmd or cmd in "Zz":
            return False  # numbers without a command: renderers stop there
        args.append(float(m.group(2)))
        low = cmd.lower()
        if len(args) < _PATH_ARGS[low]:
            continue
        rel = cmd.islower()
        if low == "h":
            pts = [(args[0] + (x if rel else 0), y)]
        elif low == "v":
            pts = [(x, args[0] + (y if rel else 0))]
        elif low == "a":
            pts = [(args[5] + (x if rel else 0), args[6] + (y if rel else 0))]
        else:
            pts = [(args[k] + (x if rel else 0), args[k + 1] + (y if rel else 0)) for k in range(0, len(args), 2)]
        if low != "m":
            seen.add((x, y))
            seen.update(pts)
            if len(seen) > 1:
                return True
        x, y = pts[-1]
        args = []
        if low == "m":
            cmd = "l" if rel else "L"  # further pairs after a move are lines
    return False
