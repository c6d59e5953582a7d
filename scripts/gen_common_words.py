"""Generate ambtsbericht_build/publish/data/common_words.txt.gz from wordfreq.

The secret fingerprints (publish/fingerprint.py) must tell a rare word (a code
name, a family name, a street) from a common one. wordfreq
(https://pypi.org/project/wordfreq/, 3.1.1, data frozen since 2024) has the
frequencies, but its wheel is 57 MB and pulls in regex, ftfy, langcodes and
msgpack; abuild needs only "how common is this word", for Dutch and English.
So the list is generated once, with wordfreq installed beside abuild (not a
dependency of it):

    pip install --target /tmp/wf wordfreq==3.1.1
    PYTHONPATH=/tmp/wf python scripts/gen_common_words.py

Each line: ``word<TAB>zipf*10`` (the higher of the Dutch and English Zipf
frequency; 3.0 = once per million words), for every word of the 'large'
lists with a Zipf frequency of at least 2.5 in either language. Words are
folded the way the fingerprints fold text (publish/text.py ``fold_token``).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import wordfreq  # noqa: E402

from ambtsbericht_build.publish.text import fold_token  # noqa: E402

MIN_ZIPF = 2.5
OUT = Path(__file__).resolve().parent.parent / "ambtsbericht_build/publish/data/common_words.txt.gz"


def main() -> None:
    best: dict[str, float] = {}
    for lang in ("nl", "en"):
        for word in wordfreq.iter_wordlist(lang, "large"):
            z = wordfreq.zipf_frequency(word, lang, "large")
            if z < MIN_ZIPF:
                break  # the list is sorted by frequency
            w = fold_token(word)
            if w.isalpha() and len(w) >= 2:
                best[w] = max(best.get(w, 0.0), z)
    lines = [f"{w}\t{round(z * 10)}" for w, z in sorted(best.items())]
    # mtime=0: the same list gives the same bytes
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(lines)} words")


if __name__ == "__main__":
    main()
