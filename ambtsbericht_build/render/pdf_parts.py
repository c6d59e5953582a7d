"""The print HTML cut into parts that WeasyPrint can lay out one by one.

Every ``h1`` starts a new page (print.css: ``h1 { break-before: page }``),
so a chapter laid out on its own gives the very pages it gives within the
whole document. Part 0 is everything before the body (cover, colofon,
TOC); then one part per ``h1`` of ``<main>`` (chapters, the summary, the
annexes). Each part is a whole HTML page: the same ``<head>`` (CSS, fonts,
metadata), the same ``<body>`` with the watermark's running element, and
its blocks inside a ``<main>`` (``id`` on the first part's only: an id
names one place). Three things that ran across the whole document are
carried over:

- a link to an id in another part becomes ``PART_LINK + id`` (the merge,
  :mod:`.pdf_merge`, points it at the page that holds the id);
- the note numbers (``counter(footnote)``): a later part starts its counter
  where the parts before it ended (``counter-set``);
- ``@page :first`` is the document's first page (the cover, no running
  header): a later part's first page gets the running header and footer of
  any other page (``continuation_css``).

The page numbers themselves are written after the layout
(:mod:`.page_numbers`), when every part's number of pages is known.

Nothing is guessed: when the HTML is not of the shape above (no ``<main>``,
two of them, an ``h1`` nested in another element, tags that do not balance),
the document is one part, laid out as a whole, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# in a part's HTML, a link to an id in another part (render/pdf_merge.py turns it into a link within the file)
PART_LINK = "https://abuild-part.invalid/#"

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.S)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_ID = re.compile(r"""\bid="([^"]*)\"""")
_HREF = re.compile(r'href="#([^"]*)"')
_NOTE = re.compile(r'<span class="footnote"')
_WATERMARK = re.compile(r'<div class="watermark"[^>]*>\s*<div>\s*</div>\s*</div>')


@dataclass(frozen=True)
class Part:
    """One part's HTML, and how many levels of its first structure chain
    continue the previous part's last one (render/pdf_merge.py's ``PartFile``)."""

    html: str
    continues: int = 0


def _h1_cuts(content: str) -> list[int] | None:
    """The offsets of the ``<h1`` that are children of ``<main>`` (whose
    content is ``content``); None when its tags do not balance or an ``h1``
    sits deeper."""
    depth = 0
    cuts: list[int] = []
    for m in _TAG.finditer(content):
        if m.group(0).startswith("<!--"):
            continue
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth -= 1
            if depth < 0:
                return None
        elif name in _VOID or selfclosing:
            continue
        else:
            if name == "h1":
                if depth:
                    return None
                cuts.append(m.start())
            depth += 1
    return cuts if depth == 0 else None


def split(html: str, continuation_css: str = "") -> list[Part]:
    """``html`` cut into parts (see the module's text); one part when it
    cannot be cut safely or has no ``h1``."""
    whole = [Part(html)]
    body = re.search(r"<body\b[^>]*>", html)
    mains = list(re.finditer(r"<main\b[^>]*>", html))
    head_end = html.find("</head>")
    if body is None or len(mains) != 1 or html.count("</main>") != 1 or head_end < 0 or head_end > body.start():
        return whole
    main = mains[0]
    main_end = html.index("</main>")
    if main_end < main.end():
        return whole
    content = html[main.end() : main_end]
    cuts = _h1_cuts(content)
    before = html[body.end() : main.start()]
    after = html[main_end + len("</main>") :]
    close = after.rfind("</body>")
    if not cuts or close < 0 or _h1_cuts(before) != [] or _h1_cuts(after[:close]) != []:
        return whole
    watermark = _WATERMARK.search(before)
    wm = watermark.group(0) + "\n" if watermark else ""
    main_plain = re.sub(r'\sid="[^"]*"', "", main.group(0))
    chapters = [content[a:b] for a, b in zip(cuts, cuts[1:] + [len(content)], strict=True)]
    lead = content[: cuts[0]]  # white space, normally; kept with the first chapter
    bodies = [before]
    bodies += [
        (main.group(0) if i == 0 else main_plain) + (lead if i == 0 else "") + chapter + "</main>"
        for i, chapter in enumerate(chapters)
    ]
    bodies[-1] += after[:close]  # what follows <main> (the colofon's end anchor) stays last
    ids = [set(_ID.findall(b)) for b in bodies]
    owner = {name: i for i, names in enumerate(ids) for name in names}
    notes = 0
    parts: list[Part] = []
    head, body_tag, tail = html[:head_end], body.group(0), after[close:]
    for i, text in enumerate(bodies):

        def link(m: re.Match[str], i: int = i) -> str:
            name = m.group(1)
            elsewhere = owner.get(name, i) != i
            return f'href="{PART_LINK}{name}"' if elsewhere else m.group(0)

        text = _HREF.sub(link, text)
        css = ""
        if i:
            css = f"<style>\nhtml {{ counter-set: footnote {notes}; }}\n{continuation_css}</style>\n"
        parts.append(
            Part(
                html[: body.end()] + "\n" + text + tail
                if i == 0
                else head + css + html[head_end : body.start()] + body_tag + "\n" + wm + text + tail,
                # 0 for every part: WeasyPrint 70 tags each page's piece of
                # <main> as a /Part of its own, so a part that starts on a new
                # page continues no structure element of the one before
                # (render/pdf_merge.py; a single layout of the benchmark
                # report: 423 /Document kids, 227 /Part, as joined with 0)
                continues=0,
            )
        )
        notes += len(_NOTE.findall(text))
    return parts
