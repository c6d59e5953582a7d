"""One Markdown lexer, two policies, and every former reader going through it.

The PANDOC policy (``parse_chapter``: what pandoc prints, what the checks
see) and the DRAFTER policy (``lexer.drafter_hidden``: what the audit
forbids) differ on purpose; the property here is the direction: whatever
pandoc reads as an ``::: intern`` block or an HTML comment, the drafter
reading finds too, so nothing render drops is missing from the audit's
needles.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.commands.check import check_report
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load.markdown import Policy, hidden, image_targets, parse_chapter
from ambtsbericht_build.load.markdown.lexer import code_ranges, comment_spans, fence_ranges
from ambtsbericht_build.publish.forbidden import INTERN, chapter_needles, scan_chapter
from ambtsbericht_build.publish.manifest import input_files

# --- random chapters from the report format's constructs ---------------------------------

WORD = st.sampled_from(["Tekst", "geheim", "bron", "o.a.", "Nr. 3", "de", "minister", "`code`", "*nadruk*"])
INLINE = st.one_of(
    WORD,
    st.just("[@hrw-2025]"),
    st.just("^[Noot [@a].]"),
    st.just("<!-- notitie -->"),
    st.just("`<!-- code -->`"),
    st.just("``"),
    st.just("`"),
    st.just("<!--"),
    st.just("-->"),
    st.just("![kaart](media/k.png)"),
)
LINE_TEXT = st.lists(INLINE, min_size=1, max_size=5).map(" ".join)
FENCE_OPEN = st.sampled_from(
    [
        "::: intern",
        "::: {.intern}",
        "::: {#x .intern}",
        "::: {.geen-bron .intern}",
        "::: geen-bron",
        '::: {tor="1.1"}',
        "::: intern notitie",
        ":::: intern ::::",
    ]
)
LINE = st.one_of(
    LINE_TEXT,
    FENCE_OPEN,
    st.sampled_from([":::", "::::", "```", "~~~", "````", "```python", "```a`b"]),
    st.sampled_from(["    ::: intern", "  :::", "    :::", ">     :::"]),
    st.sampled_from(["", "", "# Kop", '## Kop {tor="1.1"}', "---", "<!-- een", "regel -->", "[^1]: Noot."]),
    LINE_TEXT.map(lambda t: "- " + t),
    LINE_TEXT.map(lambda t: "  - " + t),
    LINE_TEXT.map(lambda t: "> " + t),
    LINE_TEXT.map(lambda t: "    " + t),
    FENCE_OPEN.map(lambda t: "> " + t),
    FENCE_OPEN.map(lambda t: "    " + t),
    FENCE_OPEN.map(lambda t: "  " + t),
)
CHAPTER = st.lists(LINE, max_size=30).map("\n".join)

PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lines_of(blocks) -> set[int]:
    """The lines between each block's fences (a comment: all its lines)."""
    return {k for h in blocks for k in range(h.line, h.end_line + 1)}


def assert_drafter_covers_pandoc(text: str) -> None:
    """Every comment and every intern line of the PANDOC reading is in the DRAFTER one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as both readings number lines
    p_interns, p_comments = hidden(text, Policy.PANDOC)
    d_interns, d_comments = hidden(text, Policy.DRAFTER)
    # comments: the same lexer function under both policies
    assert {(c.line, c.text) for c in p_comments} <= {(c.line, c.text) for c in d_comments}
    # intern blocks: every line pandoc drops as intern is in a drafter block
    # (or in a drafter comment: "::: intern\n<!--\n:::\n..." is a div that
    # pandoc never sees closed, the drafter a div and a comment; either way
    # every word is a needle)
    drafter_lines = lines_of(d_interns) | lines_of(d_comments)
    lines = text.split("\n")
    for block in p_interns:
        for k in range(block.line + 1, block.end_line):
            assert k in drafter_lines or not lines[k - 1].strip(), (k, block)


@PROPERTY
@given(text=CHAPTER)
def test_drafter_finds_every_intern_block_and_comment_pandoc_reads(text):
    assert_drafter_covers_pandoc(text)


def test_a_comment_that_hides_the_closing_fence_from_pandoc_keeps_the_rest_internal():
    # found by the property above: for pandoc the ':::' is inside the comment,
    # so the intern block runs on to 'Tekst'; the drafter's reading covers it
    text = "::: intern\n<!--\n:::\n<!-- notitie -->\nTekst"
    assert_drafter_covers_pandoc(text)
    assert any("Tekst" in h.text for h in hidden(text, Policy.DRAFTER)[0])


@PROPERTY
@given(text=CHAPTER)
def test_lexer_ranges_are_ordered_and_comments_lie_outside_code(text):
    code = code_ranges(text)
    assert all(a < b for a, b in code) and all(b1 <= a2 for (_, b1), (a2, _) in zip(code, code[1:], strict=False))
    for a, b in comment_spans(text):
        assert text[a : a + 4] == "<!--" and text[b - 3 : b] == "-->"
        assert not any(s <= a < e for s, e in code)
    assert set(fence_ranges(text)) <= set(code)


# --- the policies where they differ (docstring examples of the lexer) ---------------------------


def test_intern_fence_glued_to_a_paragraph_is_text_for_pandoc_intern_for_the_drafter():
    text = "Openbare tekst.\n::: intern\nDe bron woont in Noordstad.\n:::\n"
    assert hidden(text, Policy.PANDOC)[0] == []
    assert [(h.line, h.text) for h in hidden(text, Policy.DRAFTER)[0]] == [(2, "De bron woont in Noordstad.")]


def test_intern_fence_in_a_code_block_is_code_under_both_policies():
    text = "```\n::: intern\nvoorbeeld\n:::\n```\n\nTekst <!-- echt commentaar -->.\n"
    for policy in Policy:
        interns, comments = hidden(text, policy)
        assert interns == []
        assert [c.text for c in comments] == [" echt commentaar "]


def test_an_unclosed_code_fence_hides_nothing():
    # pandoc reads an unclosed fence as text; the audit's old scanner took
    # everything after it for code and lost this comment and block
    text = "```\nniet gesloten\n\n<!-- notitie voor de redactie -->\n\n::: intern\nInterne notitie hier.\n:::\n"
    interns, comments = scan_chapter(text)
    assert [t for _, t in comments] == [" notitie voor de redactie "]
    assert [(line, t) for line, t in interns] == [(6, "Interne notitie hier.")]


def test_code_inside_code_does_not_swallow_the_comment_after_it():
    text = "Zie `<!--` in de bron <!-- weg ermee --> en verder.\n"
    assert [c.text for c in parse_chapter(Path("x.md"), text).comments] == ["<!-- weg ermee -->"]
    assert [t for _, t in scan_chapter(text)[1]] == [" weg ermee "]


def test_a_fence_in_an_indented_code_block_does_not_close_the_intern_block():
    # "    :::" is an indented code block inside the div (pandoc): the block
    # goes on, and so does the audit's
    text = "::: intern\nGeheim een.\n\n    :::\n\nGeheim twee.\n:::\n\nOpenbaar.\n"
    for policy in Policy:
        assert [(h.line, h.end_line) for h in hidden(text, policy)[0]] == [(1, 7)], policy


def test_drafter_reads_intern_fences_in_quotes_and_nested_items():
    text = "> ::: intern\n> Notitie in citaat.\n> :::\n\n- a\n  - b\n\n    ::: intern\n    Notitie in lijst.\n    :::\n"
    texts = [h.text for h in hidden(text, Policy.DRAFTER)[0]]
    assert texts == ["> Notitie in citaat.", "    Notitie in lijst."]


# --- every former reader goes through the lexer --------------------------------------------------


def test_image_in_code_or_comment_is_no_manifest_input(report):
    for name in ("tekst.png", "code.png", "commentaar.png", "span.png"):
        report.write_root(f"beelden/{name}", "x")
    report.chapter(
        """\
        # Politiek {#sec-politiek}

        ## Ontwikkelingen {tor="1.1"}

        ![Kaart](../../beelden/tekst.png)

        ```
        ![Kaart](../../beelden/code.png)
        ```

        <!-- ![Kaart](../../beelden/commentaar.png) -->

        Zie `![x](../../beelden/span.png)`.[@hrw-2025]
        """
    )
    lr = check_report(report.dir, Diagnostics())
    assert lr is not None
    names = {p.name for p in input_files(lr)}
    assert "tekst.png" in names
    assert not names & {"code.png", "commentaar.png", "span.png"}
    chapter = next(lc.chapter for lc in lr.chapters if "tekst.png" in lc.chapter.text)
    assert image_targets(chapter) == ["../../beelden/tekst.png"]


def test_intern_needles_come_from_the_drafter_reading(report):
    report.chapter(
        """\
        # Politiek {#sec-politiek}

        ## Ontwikkelingen {tor="1.1"}

        Openbare tekst.[@hrw-2025]
        ::: intern
        De informant woont in Noordstad, bijv. bij de haven.
        :::

        ```
        ::: intern
        Voorbeeldcode die gedrukt wordt.
        :::
        ```
        """
    )
    lr = check_report(report.dir, Diagnostics())
    assert lr is not None
    values = {n.value for n in chapter_needles(lr, lambda p: p.name) if n.kind == INTERN}
    # the glued fence counts (pandoc would print it, the audit forbids it);
    # "bijv." does not cut the sentence
    assert "De informant woont in Noordstad, bijv. bij de haven" in values
    assert not any("Voorbeeldcode" in v for v in values)


def test_a_code_fence_over_a_dash_line_is_code_not_a_setext_heading():
    # pandoc tries fenced code before a setext heading (pandoc 3.9:
    # CodeBlock "---\nTekst\n\n::: intern")
    ch = parse_chapter(Path("x.md"), "```\n---\nTekst\n\n::: intern\n```\n")
    assert [b.kind for b in ch.blocks] == ["code"] and not ch.headings and not ch.divs


def test_front_matter_is_yaml_for_code_but_its_comments_count():
    text = "---\ntitle: a ``\nnote: <!--\n---\nTekst <!-- notitie voor later --> ``.\n"
    assert [c.text for c in hidden(text, Policy.PANDOC)[1]] == [" notitie voor later "]
    assert [c.text for c in hidden(text, Policy.DRAFTER)[1]] == [" notitie voor later "]
    text = "---\ntitle: x <!-- geheim -->\n---\nTekst.\n"
    assert [(c.line, c.text) for c in hidden(text, Policy.DRAFTER)[1]] == [(2, " geheim ")]
    assert hidden(text, Policy.PANDOC)[1] == []


def test_a_fence_inside_a_comment_is_no_fence():
    text = "<!--\n~~~\n-->\n::: intern\nNotitie.\n:::\n~~~\n"
    for policy in Policy:
        assert [h.text for h in hidden(text, policy)[0]] == ["Notitie."], policy
