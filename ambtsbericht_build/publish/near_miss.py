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
added. Only for keys of at least :data:`MIN_KEY` letters and digits: a
shorter key is one edit away from too many ordinary ids.
"""

from __future__ import annotations

import re

from .text import tokens

# "vb-2025-1" is 7: one edit from "vb20251x" ids a report may well have;
# the red team's key and every key of the example report are 12 or more
MIN_KEY = 8


def squashed(text: str) -> str:
    """The folded letters and digits of ``text``, separators dropped."""
    return "".join(t.text for t in tokens(text))


class Keys:
    """The confidential keys, ready to find a near-miss of any of them."""

    def __init__(self, keys: list[str]):
        alts: list[str] = []
        self.keys: dict[str, str] = {}  # squashed key -> key
        for key in keys:
            k = squashed(key)
            if len(k) < MIN_KEY or k in self.keys:
                continue
            self.keys[k] = key
            alts.append(re.escape(k))
            for i in range(len(k)):
                head, tail = re.escape(k[:i]), re.escape(k[i + 1 :])
                alts += [f"{head}.{tail}", f"{head}{tail}", f"{head}.{re.escape(k[i:])}"]
        # one regex for all: 3 alternatives per position of a key (changed,
        # dropped, one added); longest first, so a match is the nearest key
        self._near = re.compile("|".join(sorted(set(alts), key=len, reverse=True))) if alts else None
        # one edit leaves one half of the key as it is: a search for the
        # halves first (the benchmark report's 279 ids and attributes: 0.1 ms
        # instead of 9 ms for the regex above)
        halves = {k[: len(k) // 2] for k in self.keys} | {k[len(k) // 2 :] for k in self.keys}
        self._halves = re.compile("|".join(re.escape(h) for h in sorted(halves, key=len, reverse=True)))

    def __bool__(self) -> bool:
        return self._near is not None

    def find(self, value: str) -> str | None:
        """The key ``value`` is a near-miss of, or None."""
        if self._near is None or len(value) < MIN_KEY - 1:
            return None
        s = squashed(value)
        if self._halves.search(s) is None:
            return None
        m = self._near.search(s)
        return None if m is None else self.keys[min(self.keys, key=lambda k: _distance(k, m.group(0)))]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
