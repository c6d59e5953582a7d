"""A near-miss of a confidential source's key in a value that is printed.

A confidential key (``vb-informant-wielewaal``) is never printed: the
citation is renamed before the render. A drafter who copies it into a heading
id or another attribute, with a letter dropped (``vb-informant-wielewal``),
its separators changed (``vb_informant.wielewaal``) or a prefix or suffix
added (``sec-vb-informant-wielewaal-2``), prints it in the HTML ids, the
table of contents, DOCX bookmarks and PDF anchors, where the fingerprints do
not look (a rare word with one letter changed is another word).

The rule: the value's letters and digits, folded by the shared normaliser
(:func:`.text.tokens`: look-alikes, case, accents, invisible characters),
contain the key's, with at most one letter or digit changed, dropped or
added. Only for keys of :data:`MIN_KEY` to :data:`MAX_KEY` letters and
digits: a shorter key is one edit away from too many ordinary ids.
"""

from __future__ import annotations

import re

from .text import tokens

# "vb-2025-1" is 7: one edit from "vb20251x" ids a report may well have;
# the red team's key and every key of the example report are 12 or more
MIN_KEY = 8
# a longer key is looked for as written only (AB302's key print): the
# near-miss regex grows with the square of a key's length, and a hostile
# sources.yaml could give a key of a megabyte
MAX_KEY = 64


def squashed(text: str) -> str:
    """The folded letters and digits of ``text``, separators dropped."""
    return "".join(t.text for t in tokens(text))


class Keys:
    """The confidential keys, ready to find a near-miss of any of them."""

    def __init__(self, keys: list[str]):
        self.keys: dict[str, str] = {}  # squashed key -> key
        for key in keys:
            k = squashed(key)
            if MIN_KEY <= len(k) <= MAX_KEY:
                self.keys.setdefault(k, key)
        # one edit leaves one half of the key as it is: a search for the
        # halves of all keys first (the benchmark report's 279 ids and
        # attributes: 0.1 ms, against 9 ms for the near-miss regexes of its
        # 30 keys), then the near-miss regex of each key whose half is there
        self._by_half: dict[str, list[str]] = {}
        for k in self.keys:
            for half in (k[: len(k) // 2], k[len(k) // 2 :]):
                self._by_half.setdefault(half, []).append(k)
        halves = sorted(self._by_half, key=len, reverse=True)
        self._halves = re.compile("|".join(re.escape(h) for h in halves)) if halves else None
        self._near: dict[str, re.Pattern[str]] = {}

    def __bool__(self) -> bool:
        return self._halves is not None

    def find(self, value: str) -> str | None:
        """The key ``value`` is a near-miss of, or None."""
        if self._halves is None or len(value) < MIN_KEY - 1:
            return None
        s = squashed(value)
        if self._halves.search(s) is None:
            return None
        for half, keys in self._by_half.items():
            if half in s:
                for k in keys:
                    if self._regex(k).search(s):
                        return self.keys[k]
        return None

    def _regex(self, k: str) -> re.Pattern[str]:
        """``k`` with at most one letter or digit changed, dropped or added:
        3 alternatives per position, so at most 3 x MAX_KEY."""
        rx = self._near.get(k)
        if rx is None:
            alts = [re.escape(k)]
            for i in range(len(k)):
                head, tail = re.escape(k[:i]), re.escape(k[i + 1 :])
                alts += [f"{head}.{tail}", f"{head}{tail}", f"{head}.{re.escape(k[i:])}"]
            rx = self._near[k] = re.compile("|".join(alts))
        return rx
