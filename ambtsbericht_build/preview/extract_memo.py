"""The preview page read for its audit stretch by stretch, each stretch's
reading kept between rebuilds: exactly what ``extract(page)`` gives
(publish/extract.py; tests/preview/test_extract_memo.py compares both on
random pages and edits), with only the stretches an edit changed parsed
again. The whole page's parse took 0.11 s of CPU a rebuild of the
benchmark report (1.4 MB of HTML).

The page is cut before a ``<`` that starts a line. A stretch is parsed by
a parser of its own (``html.parser`` through the audit's ``_HtmlStrings``)
that starts as the whole page's parser is at the cut: outside any tag,
comment or ``<style>``/``<script>`` content (none is pending), and in or
out of ``<head>``, ``<title>`` and ``<style>`` as the stretch before left
it. A stretch that ends inside a construct (a tag, comment or style that
runs over the next cut: something is pending) is read on into the next,
as one stretch (to the page's end, if need be: such a reading is reused
only where it ends the page again). At a cut the whole page's parser has handled all the
text before the ``<`` in one piece (it looks for the next ``<``), so a
stretch's reading ends with its last text handed over as the whole
page's parser hands it over. A stretch's reading is kept under the state
it starts in and its exact text: the findings of the audit are those of
the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..publish.extract import Extracted, _HtmlStrings, extract, html_parts
from ..publish.match_pieces import cut_at

# a cut before a line's "<" in one of EVERY (by the CRC-32 of the 32
# characters before it: an edit moves no cut outside its own stretch), and
# only after MIN_STRETCH characters: about 500 stretches on the benchmark report's page
EVERY = 8
MIN_STRETCH = 2048
WHERE = "HTML"


def cut(source: str) -> list[str]:
    """``source`` in pieces, each but the first starting with the ``<`` of a line."""
    return cut_at(source, "\n<", EVERY, MIN_STRETCH)


class State(NamedTuple):
    in_head: bool
    in_title: bool
    in_style: bool


@dataclass
class Reading:
    """What one stretch gave, and the state it left the parser in."""

    text: str  # the stretch's source
    pieces: int  # how many of :func:`cut`'s pieces it is
    found: _HtmlStrings
    problems: list[tuple[str, str, str]]
    end: State
    # nothing pending at its end (else it ran to the page's end, where the
    # parser's close() ends what is pending: a reading to reuse only there)
    clean: bool


@dataclass
class Memo:
    """Readings by (state, first piece): of the last page and this one only."""

    _last: dict[tuple[State, str], Reading] = field(default_factory=dict)
    _now: dict[tuple[State, str], Reading] = field(default_factory=dict)
    parsed: int = 0  # stretches parsed (not found in the memo)

    def readings(self, source: str) -> list[Reading]:
        pieces = cut(source)
        out: list[Reading] = []
        state = State(False, False, False)
        k = 0
        try:
            while k < len(pieces):
                key = (state, pieces[k])
                got = self._now.get(key) or self._last.get(key)
                if (
                    got is None
                    or "".join(pieces[k : k + got.pieces]) != got.text
                    or (not got.clean and k + got.pieces != len(pieces))
                ):
                    got = self._read(state, pieces, k)
                self._now[key] = got
                out.append(got)
                state, k = got.end, k + got.pieces
        finally:
            self._last, self._now = self._now, {}
        return out

    def _read(self, state: State, pieces: list[str], k: int) -> Reading:
        self.parsed += 1
        scratch = Extracted(Path(WHERE))
        p = _HtmlStrings(scratch, WHERE)
        p.in_head, p.in_title, p.in_style = state
        start = k
        while True:
            p.feed(pieces[k])
            k += 1
            clean = p.cdata_elem is None and "<" not in p.rawdata
            if clean or k == len(pieces):
                break
        p.close()  # the text after the last tag, as the whole page's parser hands it over at the next "<"
        end = State(p.in_head, p.in_title, p.in_style)
        return Reading("".join(pieces[start:k]), k - start, p, scratch.problems, end, clean)


def extract_page(path: Path, memo: Memo) -> Extracted:
    """``extract(path)`` of the preview's HTML page, stretch by stretch."""
    source = path.read_text(encoding="utf-8", errors="replace")
    try:
        readings = memo.readings(source)
    except Exception:  # noqa: BLE001 - the parser failed on a stretch: the whole page, as the audit reads it
        return extract(path, full=True)
    ex = Extracted(path)
    whole = _HtmlStrings(ex, WHERE)
    for r in readings:
        ex.problems.extend(r.problems)
        f = r.found
        whole.text += f.text
        whole.comments += f.comments
        whole.head += f.head
        for name, values in f.attrs.items():
            whole.attrs.setdefault(name, []).extend(values)
        whole.embedded += f.embedded
        whole.css += f.css
        whole.style_attrs += f.style_attrs
    html_parts(whole, ex, WHERE)
    ex.add("file name", path.name)
    return ex


__all__ = ["Memo", "cut", "extract_page"]
