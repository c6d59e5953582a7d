"""The preview page read stretch by stretch (preview/extract_memo.py) gives
exactly what the audit's ``extract`` gives for the whole page: the same
parts, in the same order, and the same problems; after any sequence of
edits with one memo, wherever the page is cut (here: before every line's
``<``), whatever the HTML (constructs over a cut, a style or comment over
many lines, text with ``&`` and ``<``, scripts and event handlers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.preview import extract_memo
from ambtsbericht_build.publish.extract import extract

FRAGMENTS = [
    "<!DOCTYPE html>\n", "<html lang=\"nl\">\n", "<head>\n", "</head>\n", "<body>\n", "</body>\n", "</html>\n",
    "<title>Meetland", "</title>\n", "<meta name=\"author\" content=\"Jan\">\n", "<style>\n", "</style>\n",
    "p { color: red }\n", "@font-face { src: url(data:font/woff2;base64,d29mMg==) }\n", "<p>", "</p>\n",
    "<p id=\"a\" title=\"een\n<b>\">", "<a href=\"https://example.org/x\">", "</a>", "<img src=\"http://x/y.png\">",
    "<!-- intern\n<p>verborgen</p>\n-->\n", "<!-- kort -->", "<script>\nvar a = '<p>';\n</script>\n",
    "<div onclick=\"x()\">", "</div>\n", "Tekst over Meetland ", "Zw&#97;rtvoet ", "&amp; ", "a &lt; b ",
    "&amp", "x < y ", "<", "\n", "\n", "\n<", "<br>", "<br/>\n", "<span style=\"color:red\">", "</span>",
    "<?php echo 1 ?>", "<![CDATA[x]]>", "<p title='a\n<'>", "<svg><use href=\"https://x/s.svg#a\"/></svg>\n",
    "<link rel=\"stylesheet\" href=\"https://x/a.css\">\n", "Kwartel Noordkaap\n", "06-1234 5670\n",
]  # fmt: skip

pages = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=80).map("".join)


@contextmanager
def every_line() -> Iterator[None]:
    with mock.patch.object(extract_memo, "EVERY", 1), mock.patch.object(extract_memo, "MIN_STRETCH", 0):
        yield


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(pages, min_size=1, max_size=5), st.booleans())
# a <style> left open at the page's end, then the same stretch in the middle of the page
@example(
    [
        "<p>a</p>\n<br>\n<style>\n</p>\n<br>b\n",
        "<style>\n</p>\n<br>b\n",
    ],
    True,
)
def test_stretches_read_what_the_whole_page_reads(tmp_path: Path, edits: list[str], dense: bool) -> None:
    memo = extract_memo.Memo()
    page = tmp_path / "page.html"
    base = edits[0]
    for k, edit in enumerate(edits):
        text = base[: len(base) // 2] + edit + base[len(base) // 2 :] if k else base
        page.write_text(text, encoding="utf-8")
        whole = extract(page, full=True)
        if dense:
            with every_line():
                got = extract_memo.extract_page(page, memo)
        else:
            got = extract_memo.extract_page(page, memo)
        assert got.parts == whole.parts
        assert got.problems == whole.problems
        base = text


def test_an_edit_parses_one_stretch(tmp_path: Path) -> None:
    line = '<p id="p{0}">Alinea {0} over de toestand in het land, met wat meer tekst.</p>\n'
    body = "".join(line.format(i) for i in range(3000))
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html>\n<html>\n<head>\n<title>T</title>\n</head>\n<body>\n{body}</body>\n</html>\n")
    memo = extract_memo.Memo()
    extract_memo.extract_page(page, memo)
    first = memo.parsed
    assert first > 20
    text = page.read_text()
    page.write_text(text.replace("Alinea 1500 over", "Alinea 1500 (bewerkt) over"))
    got = extract_memo.extract_page(page, memo)
    assert memo.parsed - first == 1
    assert got.parts == extract(page, full=True).parts
