"""Where a URL printed as a link's text may break, in the screen HTML and
the HTML WeasyPrint lays out alike.

A URL has no words, so the line breaker's rules do not fit it: Chromium and
Pango may not break after a slash before a digit ("vbl51/8812": the 390 px
read broke it mid-word as "vbl5|1/8812" through ``overflow-wrap``), and both
break after a hyphen that belongs to the URL ("data-|export-tool" in the
PDF reads like a word broken at a syllable). So on screen each URL gets a
``<wbr>`` after every slash of its path and before each "?", "#", "&" and
"=", and each hyphen goes with its neighbours in a ``<span
class="url-part">`` that may not break (CSS ``white-space: nowrap``; a
copied URL has no extra character; see ``_HYPHEN``). For WeasyPrint the break
is a U+200B in the text and a WORD JOINER follows each hyphen: its own
``<wbr>`` was not taken, nor one right after a nowrap span (it broke
"voorbeeldla|nd/" by ``overflow-wrap`` instead). Neither character is in the
PDF's extracted words as a letter, and the audit's folding drops both (format
characters), as the joiner after "://" (formats/pdf.py). The link's target is not
touched, nor a link whose text is not a URL.
"""

from __future__ import annotations

import re

# a link whose whole text is a URL (pandoc escapes & as &amp; in both);
# the PDF's text has a word joiner after "://" (formats/pdf.py)
_URL_LINK = re.compile(r"(<a\s[^>]*>)((?:https?|ftp):\u2060?//[^<\s]+|www\.[^<\s]+)(</a>)")
# after a slash of the path, before ? # & =; "https://" itself stays whole
_BREAK = re.compile(r"(?<=[^/:\u2060]/)(?=[^/])|(?=[?#=]|&amp;)")
WBR = "<wbr>"


WORD_JOINER = "\u2060"
# on screen a hyphen and the character on each side of it may not break: a
# span of three characters never makes a line too wide, where a whole part
# kept together did ("convention-against-torture-and-other-cruel-…", 95
# characters, made the page 535 px wide at 390 px); a part longer than the
# line still breaks by overflow-wrap, as a last resort (an entity such as
# "&amp;" goes in whole or stays out: it is not cut)
_HYPHEN = re.compile(r"[^-&;]?-+(?:&#?\w+;|[^-&;])?")
# WeasyPrint's own <wbr> (its user-agent CSS: wbr::before { content: "\200B" })
# is a box of its own, and Pango did not break there ("…practices/voorbeeldla|nd/");
# the same character in the link's text is a break it takes
ZWSP = "\u200b"


def url_text(url: str, mode: str = "screen") -> str:
    """The (HTML-escaped) text of a URL with its break opportunities, for
    ``mode`` "screen" or "print"."""
    start = url.find("//") + 2 if "//" in url else 0
    head, rest = url[:start], url[start:]
    parts: list[str] = []
    for p in _BREAK.split(rest):
        if parts and parts[-1].endswith("-"):
            parts[-1] += p  # no break right after a hyphen ("/-=")
        elif p:
            parts.append(p)
    if mode == "print":
        return head + ZWSP.join(p.replace("-", "-" + WORD_JOINER) for p in parts)
    return head + WBR.join(_HYPHEN.sub(lambda m: f'<span class="url-part">{m[0]}</span>', p) for p in parts)


def break_urls(body: str, mode: str = "screen") -> str:
    """``body`` (pandoc's HTML) with every URL link's text set by :func:`url_text`."""
    if "//" not in body and "www." not in body:
        return body
    return _URL_LINK.sub(lambda m: m[1] + url_text(m[2], mode) + m[3], body)
