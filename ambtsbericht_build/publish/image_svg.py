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
  ``transform`` such as ``scale(0)`` included), or with its anchor (or a
  character an ``x``/``y``/``dx``/``dy`` list places) further outside the
  picture (viewBox; without one, 10,000 units square) than the picture's
  own size plus the text's length (``x="-9999"``).

Not found: text a renderer draws where a reader cannot see it (behind a
shape, clipped, in the background colour). It is drawn, so the render's
audit reads it like all drawn text and finds an internal value in it.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from .image_svg_css import ATTRIBUTES, XLINK_NS, XML_NS, Change, href_of, inline_styles, local_name, namespace, value_ok
from .image_svg_drawn import LOCAL_REF, TEMPLATES, TEXT, URL_REF, Drawn, SvgError

__all__ = ["SvgError", "clean"]

# walks of a rebuild: a text removed may leave a definition only it used,
# which the next walk removes; what no drawn element reaches goes in the same
# walk, so 2 passes settle every picture of the tests; 8 bound a hostile one
MAX_PASSES = 8

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


def _vocabulary(root: ET.Element, note: Change) -> None:
    svg_ns = namespace(root.tag)
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        el, in_text = stack.pop()
        local = local_name(el.tag)
        runs = local in TEXT or (in_text and local == "a") or local in ("title", "desc", "style")
        if not runs and el.text and el.text.strip():
            note(f"SVG text inside <{local}>, which is not drawn")
        if not runs:
            el.text = None
        first_drawn = True
        for child in list(el):
            name = local_name(child.tag)
            keep = namespace(child.tag) == svg_ns and name in _ELEMENTS
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
            stack.append((child, in_text or local in TEXT))
        for key in list(el.attrib):
            ns, name = namespace(key), local_name(key)
            value = el.attrib[key]
            ok = (ns == "" and (name in ATTRIBUTES or name in ("id", "class", "style"))) or (
                ns == XLINK_NS and name == "href"
            )
            ok = ok or (ns == XML_NS and name == "space" and value in ("default", "preserve"))
            if not ok:
                note(f"SVG attribute {name}= that is not drawn")
                del el.attrib[key]
            elif ns == "" and not value_ok(name, value):
                note(f"SVG attribute {name}= that is not a {name}")
                del el.attrib[key]


def _prune(root: ET.Element, drawn: Drawn, note: Change) -> None:
    """Remove text that is not drawn and definitions nothing uses."""

    def has_drawn(el: ET.Element) -> bool:
        return any(drawn.text.get(t, "") is None for t in el.iter())

    def is_run(el: ET.Element) -> bool:
        return local_name(el.tag) in TEXT or el in drawn.text

    stack = [root]
    while stack:
        el = stack.pop()
        local = local_name(el.tag)
        for child in list(el):
            name = local_name(child.tag)
            template = name in TEMPLATES or local == "defs"
            if template and child not in drawn.used:
                note(f"SVG <{name}> that is never used")
                if "".join(child.itertext()).strip():
                    note(f"SVG text that is not drawn (in a <{name}> nothing uses)")
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


def _ids(root: ET.Element, note: Change, rename: bool) -> None:
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
            href = href_of(el)
            if href is not None and (m := LOCAL_REF.match(href)):
                wanted.add(m.group(1))
            for value in el.attrib.values():
                wanted.update(m.group(2) for m in URL_REF.finditer(value))
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
            if local_name(key) == "href" and (m := LOCAL_REF.match(value)):
                if m.group(1) in names:
                    el.set(key, f"#{names[m.group(1)]}")
                else:
                    note("SVG reference to no element")
                    del el.attrib[key]
            elif "url(" in value:
                new = URL_REF.sub(url, value)
                if any(m.group(2) not in names for m in URL_REF.finditer(value)):
                    note("SVG reference to no element")
                el.set(key, new)


def clean(root: ET.Element) -> list[str]:
    """Rebuild the parsed SVG in place (see the module); what was removed or
    changed, for the audit (empty: the SVG is its own rebuild)."""
    note = Change()
    # the style sheet first: a rule may select by an attribute the allow list drops ([data-x])
    inline_styles(root, note)
    _vocabulary(root, note)
    for el in root.iter():
        if "class" in el.attrib:  # its rules are on the element now
            note("SVG class=")
            del el.attrib["class"]
    _ids(root, note, rename=False)  # before the walk: a missing paint is no paint
    # removing text may leave a definition only it used (red team pass 3,
    # S01: a marker of a text that is not drawn, which the audit of the
    # rebuild then refused): walk again until nothing more goes. Each pass
    # removes an element or ends, so a picture of n elements takes at most
    # n passes; MAX_PASSES bounds it
    for _ in range(MAX_PASSES):
        size = sum(1 for _ in root.iter())
        _prune(root, Drawn(root), note)
        if sum(1 for _ in root.iter()) == size:
            break
    else:
        raise SvgError(f"the SVG is not rebuilt after {MAX_PASSES} passes (definitions within definitions)")
    _ids(root, note, rename=True)
    return note.found
