"""HTML comments are dropped; "<!--" inside code is code, as pandoc reads it."""

from pathlib import Path

from ambtsbericht_build.load.markdown import parse_chapter


def test_comments_outside_code_only():
    text = "\n".join(
        [
            "# Titel",
            "",
            "Tekst <!-- een opmerking --> en `<!-- in een code span -->`.",
            "",
            "```",
            "<!-- in een codeblok -->",
            "```",
            "",
            "<!-- meerdere",
            "regels -->",
        ]
    )
    ch = parse_chapter(Path("x.md"), text)
    assert [(c.line, c.column, c.text) for c in ch.comments] == [
        (3, 7, "<!-- een opmerking -->"),
        (9, 1, "<!-- meerdere\nregels -->"),
    ]
    code = [b for b in ch.blocks if b.kind == "code"]
    assert code and "<!-- in een codeblok -->" in code[0].text


def test_unclosed_fence_does_not_hide_comments():
    ch = parse_chapter(Path("x.md"), "```\nniet gesloten\n\n<!-- opmerking -->\n")
    assert [c.line for c in ch.comments] == [4]
