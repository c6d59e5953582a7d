"""The matcher's memo of matched text (publish/match_memo.py) finds exactly
what one run over the whole text finds, in every writing of a secret the
index knows, wherever the text is cut into windows; and its store
(cache/audits.py) is read only for the very matcher that wrote it.

No render: parts are built from text here (the render-time wiring and a leak
planted in a real output are in tests/render/test_audit_memo.py).
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache import audits
from ambtsbericht_build.cache.store import Store
from ambtsbericht_build.publish import match_memo
from ambtsbericht_build.publish import text as text_mod
from ambtsbericht_build.publish.audit import Matcher
from ambtsbericht_build.publish.extract import Part
from ambtsbericht_build.publish.forbidden import DENY, GENERIC_PATHS, Forbidden, phrase
from ambtsbericht_build.publish.text import token_texts

SECRETS = [
    "Wielewaal",
    "Karel Smit",
    "0612345670",
    "Moerbeiboom",
    "ABC-2025-0218",
    # a phrase of many words (an intern block's sentence): the longest match, which sets the windows' size
    "de bron woont sinds maart bij haar zuster in Lindenhoven",
]


def forbidden(secrets: list[str] = SECRETS) -> Forbidden:
    return Forbidden([phrase(DENY, v, f"deny[{i}]") for i, v in enumerate(secrets)], [])


# every writing the index reads: as is, letter by letter, in pieces, split,
# backwards, over a line end, spoken, in digit groups
WRITINGS = [
    "Wielewaal",
    "W i e l e w a a l",
    "Wi el ew aal",
    "Wiele-waal",
    "moobiebreoM",
    "Wiele-\nwaal",
    "Oudmoerbeibooms",
    "Moerbeiboomstraat",
    "Moerbeiьoom",
    "K a r e l Smit",
    "Karel Smit",
    "Ka rel Sm it",
    "K a r e l\nS m i t",
    "0612345670",
    "06-1234 5670",
    "06 12 34 56 70",
    "nul zes twaalf vierendertig zesenvijftig zeventig",
    "nul zes een twee drie vier vijf zes zeven nul",
    "0765432160",
    "Moerbei-boom",
    "Moer bei boom",
    "ABC-2025-0218",
    "A B C 2025 0218",
    "De bron woont sinds maart\nbij haar zuster in Lindenhoven",
    "de bron woont sinds maart bij haar zuster in L i n d e n h o v e n",
]
FILLER = [
    "rapport",
    "woning",
    "situatie",
    "overheid",
    "demonstratie",
    "provincie",
    "de",
    "en",
    "op",
    "te",
    "a",
    "x",
    "een",
    "twee",
    "twaalf",
    "nul",
    "12",
    "2025",
    "7",
    "Kar",
    "Wie",
]
# ... and words of a larger vocabulary: cuts fall where a pair of tokens hashes so (match_memo.cuts)
_rng = random.Random(11)
WORDS = ["".join(_rng.choice("abcdefghijklmnoprstuvwz") for _ in range(_rng.randint(4, 9))) for _ in range(300)]
SEPS = [" ", " ", " ", "\n", ", ", ". ", "-", "/", "\n\n"]


def text_of(items: list[str], seps: list[str]) -> str:
    return "".join(item + seps[i % len(seps)] for i, item in enumerate(items))


@contextmanager
def cuts_at(mode: str) -> Iterator[None]:
    """The memo's own cuts ("real"), or a chunk at every hard token it may
    start at ("dense"): a real cut falls inside a secret of several words
    about once in :func:`.match_memo.span` of its pairs, a dense one often."""
    if mode == "real":
        yield
        return
    with mock.patch.object(match_memo, "cuts", _dense_cuts):
        yield


def _dense_cuts(texts: list[str], least: int, cls: bytes | None = None) -> list[int]:
    """:func:`.match_memo.cuts` were every pair a cut: a chunk at each hard token ``least // 2`` apart."""
    return _cuts_before(texts, least, lambda prev, code, every: True)


def _cuts_before(texts: list[str], least: int, cut_before: Callable[[int, int, int], bool]) -> list[int]:
    """:func:`.match_memo.cuts` as it was: a step per hard token."""
    out, n, every, apart = [0], len(texts), max(1, least), max(1, least // 2)
    codes = [zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in texts]
    nxt = apart
    for i in range(n):
        if match_memo.hard(texts[i]) and i >= nxt and cut_before(codes[i - 1], codes[i], every):
            out.append(i)
            nxt = i + apart
    return [*out, n]


_CUT_TOKENS = ["abcd", "efgh", "wiel", "een", "vier", "a", "12", "ab", "Kéré", "1234", "zzzz", "twintig"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_CUT_TOKENS), max_size=200),
    st.integers(1, 12),
)
def test_cuts_are_the_cuts_made_a_step_per_hard_token(texts: list[str], least: int) -> None:
    """The cuts found at C speed are those the loop over the hard tokens made."""
    assert match_memo.cuts(texts, least) == _cuts_before(texts, least, match_memo.cut_before)


def found(m: Matcher, text: str, name: str = "HTML text") -> set[tuple[str, str]]:
    return {(n.origin if n is not None else "", kind) for n, kind in m.match(Part(name, text))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FILLER + WORDS + WRITINGS), min_size=50, max_size=1500),
    st.lists(st.sampled_from(SEPS), min_size=1, max_size=7),
    st.sampled_from(["real", "dense"]),
)
def test_windows_find_what_the_whole_text_finds(items: list[str], seps: list[str], mode: str) -> None:
    text = text_of(items, seps)
    whole = found(Matcher(forbidden()), text)
    with cuts_at(mode):
        memo = Matcher(forbidden(), memo=True)
        assert found(memo, text) == whole
        assert found(memo, text) == whole  # ... again, every window from the memo


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FILLER + WORDS + WRITINGS), min_size=50, max_size=1500),
    st.lists(st.sampled_from(SEPS), min_size=1, max_size=7),
    st.sampled_from(["real", "dense"]),
    st.sets(st.integers(0, 40)),
)
def test_each_window_keeps_what_it_finds_alone(items: list[str], seps: list[str], mode: str, known: set[int]) -> None:
    """New windows that follow each other are matched as one stretch: each
    keeps exactly what matching it alone finds (what the store keeps for a
    later render), with any of them already in the memo."""
    with cuts_at(mode):
        _each_window_alone(text_of(items, seps), known)


def _each_window_alone(text: str, known: set[int]) -> None:
    m = Matcher(forbidden(), memo=True)
    memo = m.memo
    assert memo is not None
    for texts, glue in token_texts(text):
        at = match_memo.cuts(texts, memo.span)
        windows = []
        for i in range(len(at) - 1):
            b = match_memo.window_end(texts, at[i + 1] + memo.span) if i + 2 < len(at) else len(texts)
            windows.append((texts[at[i] : b], glue[at[i] : b]))
        alone = {match_memo.window_key(t, g): m.index.payloads(t, g) for t, g in windows}
        for i, (t, g) in enumerate(windows):
            if i in known:  # matched before (by an earlier reading or render)
                memo.results[match_memo.window_key(t, g)] = alone[match_memo.window_key(t, g)]
        assert memo.find(texts, glue) == frozenset().union(*alone.values())
        assert {k: memo.results[k] for k in alone} == alone


@pytest.mark.parametrize("mode", ["real", "dense"])
def test_a_secret_across_a_cut_is_found(mode: str) -> None:
    """One secret in a long text, in every writing, at offsets that put it
    before, across and after the cuts: found as the whole text finds it."""
    rng = random.Random(7)
    items = [rng.choice(FILLER + WORDS) for _ in range(700)]
    for writing in WRITINGS:
        hits = 0
        for at in range(300, 460, 9):
            text = text_of([*items[:at], writing, *items[at:]], SEPS)
            whole = found(Matcher(forbidden()), text)
            with cuts_at(mode):
                m = Matcher(forbidden(), memo=True)
                assert found(m, text) == whole, (writing, at)
                _each_window_alone(text, {1, 3} if at % 2 else set())
            assert m.memo is not None and m.memo.matched >= (3 if mode == "dense" else 1)
            hits += len(whole) == 1
        # (not each time: after a lone letter, "K a r e l" is read as part of a longer run)
        assert hits >= 15, writing


def test_an_edit_matches_only_the_windows_around_it() -> None:
    rng = random.Random(3)
    items = [rng.choice(FILLER + WORDS) for _ in range(20000)]
    text = text_of(items, SEPS)
    m = Matcher(forbidden(), memo=True)
    assert found(m, text) == set()
    assert m.memo is not None
    before = m.memo.matched
    edited = text_of(items[:9000] + ["Een nieuwe alinea over de woning."] + items[9000:], SEPS)
    assert found(m, edited) == set()
    assert m.memo.matched - before <= 4 < before // 4  # the edited window and its neighbours, no more
    # a secret in that paragraph: its windows are new text, matched
    leaky = text_of(items[:9000] + ["Een nieuwe alinea over Karel Smit."] + items[9000:], SEPS)
    assert found(m, leaky) == {("deny[1]", DENY)}


def test_cuts_fall_only_before_hard_tokens() -> None:
    rng = random.Random(1)
    texts, _ = token_texts(text_of([rng.choice(FILLER + WORDS + WRITINGS) for _ in range(5000)], SEPS))[0]
    least = 40
    at = match_memo.cuts(texts, least)
    assert len(at) > 10 and at[0] == 0 and at[-1] == len(texts)
    for a, b in zip(at[1:-1], at[2:], strict=False):
        assert match_memo.hard(texts[a]) and b - a >= least // 2 or b == len(texts)


# --- the store -------------------------------------------------------------------------------


def _matched(store: Store, secrets: list[str], text: str) -> Matcher:
    """A render's matcher: the store's findings loaded, the text matched, saved."""
    m = Matcher(forbidden(secrets), memo=True)
    assert m.memo is not None
    audits.load(store, m.memo)
    found(m, text)
    audits.save(store, m.memo)
    return m


def _long_text() -> str:
    rng = random.Random(5)
    return text_of([rng.choice(FILLER + WORDS) for _ in range(8000)], SEPS)


def test_the_store_serves_the_same_matcher(tmp_path) -> None:
    store, text = Store(tmp_path / "cache"), _long_text()
    first = _matched(store, SECRETS, text)
    again = _matched(store, SECRETS, text)
    assert first.memo is not None and again.memo is not None
    assert first.memo.matched > 5 and again.memo.matched == 0  # the part from the store, whole
    assert again.memo.parts_reused == 1
    # one paragraph more: the part is new, its stretches but one or two are the store's
    edited = _matched(store, SECRETS, text.replace("\n\n", "\n\nEen nieuwe alinea.\n\n", 1))
    assert edited.memo is not None and edited.memo.parts_reused == 0
    assert 1 <= edited.memo.matched <= 2 < edited.memo.reused


def test_a_changed_secret_reads_nothing(tmp_path) -> None:
    store, text = Store(tmp_path / "cache"), _long_text()
    _matched(store, SECRETS, text)
    changed = _matched(store, [*SECRETS, "Lindenplein"], text)
    assert changed.memo is not None and changed.memo.reused == 0 and changed.memo.matched > 5
    # ... and the secret it adds is found in text the old matcher had seen
    assert found(changed, text + " aan het Lindenplein.") == {("deny[6]", DENY)}


def test_a_changed_matcher_reads_nothing(tmp_path, monkeypatch) -> None:
    """Another version of the matcher's code or data (its digest) is another signature."""
    store, text = Store(tmp_path / "cache"), _long_text()
    _matched(store, SECRETS, text)
    monkeypatch.setattr(match_memo, "_code_digest", "0" * 64)
    other = _matched(store, SECRETS, text)
    assert other.memo is not None and other.memo.reused == 0


@pytest.mark.parametrize("attr", ["unidata_version", "version"])
def test_another_python_reads_nothing(tmp_path, monkeypatch, attr: str) -> None:
    """Folding is Python's Unicode tables: U+1E030 (Unicode 15.0, Python
    3.12+) folds to a Cyrillic a, "Wielew\U0001e030al" to the secret; Python
    3.11 has no such letter and reads "wielew al". A memo 3.11 filled would
    tell 3.12 the text holds nothing: another Python is another signature."""
    store, text = Store(tmp_path / "cache"), _long_text()
    _matched(store, SECRETS, text)
    module = match_memo.unicodedata if attr == "unidata_version" else match_memo.sys
    monkeypatch.setattr(module, attr, getattr(module, attr) + ".1")
    other = _matched(store, SECRETS, text)
    assert other.memo is not None and other.memo.reused == 0 and other.memo.parts_reused == 0


def test_a_corrupt_entry_is_ignored(tmp_path) -> None:
    store, text = Store(tmp_path / "cache"), _long_text()
    m = _matched(store, SECRETS, text)
    assert m.memo is not None
    key = audits.entry_key(m.memo.signature)
    entry = tmp_path / "cache" / "audit" / key[:2] / key
    windows = {w: sorted(m.memo.results[w]) for w in m.memo.used}
    # a finding removed by hand, under a valid seal: a payload out of range,
    # a window that is no digest, a list that is no list
    for bad in ({w: [999] for w in windows}, {"x": []}, {w: 1 for w in windows}):
        store.put_json(audits.KIND, key, {"signature": m.memo.signature, "windows": bad, "parts": {}})
        fresh = Matcher(forbidden(), memo=True)
        assert fresh.memo is not None and audits.load(store, fresh.memo) == 0 and not fresh.memo.results
    # ... a part's findings: a key's place out of range, a payload that is no number
    parts = {p: [sorted(h), k, list(m.memo.part_windows[p])] for p, (h, k) in m.memo.parts.items()}
    for bad_parts in (
        {p: [h, 5, w] for p, (h, k, w) in parts.items()},
        {p: [["x"], k, w] for p, (h, k, w) in parts.items()},
        {p: [h, k, ["0" * 40]] for p, (h, k, w) in parts.items()},  # a window the entry does not hold
    ):
        store.put_json(audits.KIND, key, {"signature": m.memo.signature, "windows": windows, "parts": bad_parts})
        fresh = Matcher(forbidden(), memo=True)
        assert fresh.memo is not None and audits.load(store, fresh.memo) == 0 and not fresh.memo.results
    # bytes changed on disk: the store's sha256 refuses the entry
    audits.save(store, m.memo)
    raw = bytearray(entry.read_bytes())
    raw[-3] ^= 0x01
    entry.write_bytes(bytes(raw))
    fresh = Matcher(forbidden(), memo=True)
    assert fresh.memo is not None and audits.load(store, fresh.memo) == 0


# --- fold_text's set tests (text.py): what they skip changes nothing --------------------------

_FOLD_ALPHABET = sorted(
    set(text_mod._DIGIT_SYMBOLS) | text_mod._CONFUSABLE_SET | set("aeo06 \nÉé-")  # noqa: SLF001
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_FOLD_ALPHABET), max_size=30))
def test_fold_texts_set_tests_skip_only_what_changes_nothing(s: str) -> None:
    assert text_mod._DIGIT_SYMBOL_SET.isdisjoint(s) == (text_mod._DIGIT_SYMBOL_RE.search(s) is None)  # noqa: SLF001
    if text_mod._CONFUSABLE_SET.isdisjoint(s):  # noqa: SLF001
        assert s.translate(text_mod.CONFUSABLES) == s


# --- the spoken reading, read only around its runs (Index.payloads) --------------------------

# short secrets: a small span (89 tokens), so that a text holds stretches the
# spoken reading skips
_SHORT = ["0612345670", "Wielewaal", "ABC-2025-0218", "Karel Smit", "Moerbeiboom Lindenhoven 0218"]
_NUMBERS = ["een", "twee", "drie", "zes", "twaalf", "nul", "zeventig", "eenentwintig", "0218", "2025", "abc", "ABC"]
# two hard words, then the number spoken: a hit that starts two hard tokens before the run
_SPOKEN_AFTER_WORDS = ["Moerbeiboom Lindenhoven nul twee een acht", "Lindenhoven nul twee een acht"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FILLER + WORDS + WRITINGS + _NUMBERS + _SPOKEN_AFTER_WORDS), min_size=20, max_size=1200),
    st.lists(st.sampled_from(SEPS), min_size=1, max_size=7),
)
def test_the_spoken_reading_around_its_runs_finds_what_the_whole_finds(items: list[str], seps: list[str]) -> None:
    index = Matcher(forbidden(_SHORT)).index
    for texts, glue in token_texts(text_of(items, seps)):
        assert index.payloads(texts, glue) == frozenset(p for _, _, p in index.find_texts(texts, glue))


def test_the_spoken_reading_is_read_around_its_run_only() -> None:
    """A number spoken in a long text: found, and the reading matched again
    only around it, not whole (the point of Index.payloads)."""
    rng = random.Random(13)
    items = [rng.choice(WORDS) for _ in range(3000)]
    spoken = "nul zes een twee drie vier vijf zes zeven nul"
    texts, glue = token_texts(
        text_of([*items[:1500], spoken, *items[1500:2000], _SPOKEN_AFTER_WORDS[0], *items[2000:]], [" "])
    )[0]
    index = Matcher(forbidden(_SHORT)).index
    assert index.payloads(texts, glue) == {0, 4} == {p for _, _, p in index.find_texts(texts, glue)}
    read = []
    real = index.find_texts
    with mock.patch.object(index, "find_texts", lambda t, g, *a, **k: read.append(len(t)) or real(t, g, *a, **k)):
        index.payloads(texts, glue)
    assert read[0] == len(texts) and 10 < max(read[1:]) < 400  # the whole once, the spoken reading around the run


_DRIVE_BEHIND = re.compile(r"(?<=[A-Za-z]):\\(?:Users|Documents and Settings)\\[^\\\s\"'<>]+")


@example(["x", "C", ":", "\\", "Users", "\\", "x", " ", "c", ":", "\\", "Documents and Settings", "\\", "é"])
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["C", "c", "1", ":", "\\", "Users", "Documents and Settings", "x", " ", "é", '"']), max_size=20
    )
)
def test_a_windows_home_is_found_from_its_colon_as_before(parts: list[str]) -> None:
    text = "".join(parts)
    led = GENERIC_PATHS[1]
    spans = [m.span() for m in led.finditer(text)]
    assert spans == [m.span() for m in _DRIVE_BEHIND.finditer(text)]


def test_both_windows_homes_are_found() -> None:
    text = "xC:\\Users\\x c:\\Documents and Settings\\é"
    assert len(list(GENERIC_PATHS[1].finditer(text))) == 2


# text.py's patterns as they were, with a look-around first (tried at every character)
_TEXT_BEFORE = {
    "_PERCENT": re.compile(r"(?:%[0-9A-Fa-f]{2})+"),
    "_LONE_DIGIT": re.compile(r"(?![0-9])\d(?<=[^\W\d_]\d)(?=[^\W\d_])"),
}
_BESIDE_BEFORE = re.compile(r"(?<=[0-9])(?:(?:[^\w\n]{0,4}|\[\^[^\]\s]{1,12}\])[OolI\u3007]+(?![^\W_]))+")


@example(["%", "2f", "x", "\u0663", "x", " ", "6", "-", "O", "O", " ", "0", "[^", "12", "]", "l"])
@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "%",
                "2f",
                "A",
                "g",
                "0",
                "6",
                "O",
                "o",
                "l",
                "I",
                "\u3007",
                "\u0663",
                "\ua620",
                "x",
                " ",
                "-",
                "[^",
                "12",
                "]",
                "\n",
                "é",
            ]
        ),
        max_size=30,
    )
)
def test_text_patterns_led_by_a_character_match_as_before(parts: list[str]) -> None:
    text = "".join(parts)
    for name, before in _TEXT_BEFORE.items():
        assert [m.span() for m in getattr(text_mod, name).finditer(text)] == [m.span() for m in before.finditer(text)]
    as_digits = text_mod._AS_DIGITS  # noqa: SLF001
    assert text_mod._LETTERS_BESIDE_A_NUMBER.sub(lambda m: m.group(0).translate(as_digits), text) == _BESIDE_BEFORE.sub(  # noqa: SLF001
        lambda m: m.group(0).translate(as_digits), text
    )
