"""Property: a URL's text keeps every character, in order, and gets break
opportunities only after a slash of its path or before ? # & =, never after
its own hyphen (render/formats/url_breaks.py); the link's target is kept."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.render.formats.url_breaks import WBR, WORD_JOINER, ZWSP, break_urls, url_text

path = st.text(alphabet="abz09-/?#&=._~%", max_size=40)
url = st.builds(lambda host, p: f"https://{host}/{p}", st.sampled_from(["x.org", "un-habitat.org", "a.b.gov"]), path)


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace(ZWSP, "").replace(WORD_JOINER, "")


@settings(max_examples=300, deadline=None)
@given(url)
def test_screen_breaks_only_after_slashes_and_before_query_marks(u):
    escaped = html.escape(u, quote=False)
    out = url_text(escaped, "screen")
    assert _plain(out) == u
    # a <wbr> only after a slash (not of "https://") or before ? # & =
    for m in re.finditer(re.escape(WBR), out):
        before, after = _plain(out[: m.start()]), _plain(out[m.end() :])
        assert (before.endswith("/") and len(before) > len("https://")) or after[:1] in "?#&=", out
    # every hyphen is inside a nowrap part, with what follows it
    outside = re.sub(r'<span class="url-part">[^<]*</span>', "", out)
    assert "-" not in re.sub(r"<[^>]+>", "", outside), out
    assert not re.search(r"-(?:</span>)?" + re.escape(WBR), out), out  # no break right after a hyphen
    # nor between a hyphen and what follows it: the character after it is in its span
    assert all(m.end() == len(out) for m in re.finditer("-</span>", out)), out


@settings(max_examples=300, deadline=None)
@given(url)
def test_print_breaks_only_after_slashes_and_never_at_a_hyphen(u):
    escaped = html.escape(u, quote=False)
    out = url_text(escaped, "print")
    assert _plain(out) == u
    plain = html.unescape(out)
    for i, ch in enumerate(plain):
        if ch == "-" and i + 1 < len(plain):
            assert plain[i + 1] == WORD_JOINER, plain  # no break after the URL's hyphen
        if ch == ZWSP:
            assert plain[i - 1] == "/" or plain[i + 1] in "?#&=", plain


def test_only_a_link_whose_text_is_a_url_changes():
    body = (
        '<p><a href="https://x.org/a-b/c">https://x.org/a-b/c</a> and '
        '<a href="https://x.org/a-b/c">the report</a> at https://x.org/d/e</p>'
    )
    out = break_urls(body)
    assert out.count('href="https://x.org/a-b/c"') == 2  # targets as written
    assert ">the report</a>" in out and "at https://x.org/d/e" in out
    assert 'https://x.org/<wbr><span class="url-part">a-b</span>/<wbr>c</a>' in out, out
