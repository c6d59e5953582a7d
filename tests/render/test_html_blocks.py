"""Screen-HTML tables and figures (render/formats/html_blocks.py) with any
id and classes an author can give them: well-formed HTML whose references
all resolve, written by the real pandoc."""

from __future__ import annotations

import copy
import json

import lxml.html
import pypandoc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats.base import pandoc
from ambtsbericht_build.render.formats.html import HTML_ARGS
from ambtsbericht_build.render.formats.html_blocks import screen_tables_and_figures
from ambtsbericht_build.render.labels import labels

MARKDOWN = """\
| a | b |
|---|---|
| 1 | 2 |

: Cijfers {#tbl-a}

![Kaart](data:image/png;base64,iVBORw0KGgo=){#fig-a}

- | c |
  |---|
  | 3 |

  : In een lijst
"""

BASE = json.loads(pypandoc.convert_text(MARKDOWN, "json", format="markdown"))

# ids and classes as an author could write them, and worse (quotes, angle
# brackets, the ids abuild makes up itself)
NAME = st.one_of(
    st.sampled_from(["caption-1", "full-size-1", "figure-1", "fn1", "footnotes", 'x"y', "<b>", "a&b"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12),
)


@settings(max_examples=25, deadline=None)
@given(table_id=NAME, figure_id=st.one_of(st.just(""), NAME), other_id=NAME, cls=NAME)
@example(table_id='x"y', figure_id="", other_id="caption-1", cls="<b>")
@example(table_id="a&b", figure_id="figure-1", other_id="full-size-1", cls='q"><script>')
def test_any_ids_give_wellformed_html_with_resolving_references(table_id, figure_id, other_id, cls):
    doc = copy.deepcopy(BASE)
    blocks = doc["blocks"]
    table, figure, lst = blocks
    table["c"][0] = [table_id, [cls], []]
    figure["c"][0][0] = figure_id
    # an author's id that is also a name abuild makes up
    blocks.insert(0, {"t": "Div", "c": [[other_id, [], []], [{"t": "Para", "c": [{"t": "Str", "c": "x"}]}]]})
    if len({table_id, figure_id, other_id} - {""}) < len([i for i in (table_id, figure_id, other_id) if i]):
        return  # document.py makes an author's ids unique before this
    doc["blocks"] = screen_tables_and_figures(blocks, labels("nl"))
    out = pandoc(HTML_ARGS, doc, "HTML")
    root = lxml.html.fromstring(f"<main>{out}</main>")

    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), ids
    for e in root.iter():
        for attr in ("aria-labelledby",):
            if e.get(attr):
                assert e.get(attr) in ids, (attr, e.get(attr))
        if e.tag == "a" and (e.get("href") or "").startswith("#"):
            assert e.get("href")[1:] in ids, e.get("href")
    figures = root.xpath("//figure[contains(@class,'table-figure')]")
    assert len(figures) == 2  # the table in the list too
    assert figures[0].get("id") == table_id and cls in figures[0].get("class").split(" ")
    for fig in figures:
        assert [c.tag for c in fig] == ["figcaption", "div"]
        assert fig[1].get("class") == "table-scroll" and fig[1][0].tag == "table"
    assert root.xpath("//table//caption") == []
    enlarge = root.xpath("//a[@class='figure-enlarge']")
    assert len(enlarge) == 1 and enlarge[0].text == "Op ware grootte"
