"""The cache's entries on disk: what is read back is what was written, or nothing."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.cache.store import FORMAT, Store, digest

KEY = digest("a key")
OTHER = digest("another key")


def test_round_trip_and_miss(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.get("chapter", KEY) is None
    store.put("chapter", KEY, b"pandoc's JSON\n\x00\xff")
    assert store.get("chapter", KEY) == b"pandoc's JSON\n\x00\xff"
    assert store.get("output", KEY) is None  # another kind
    assert (store.hits, store.misses) == (1, 2)


def test_a_foreign_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("chapter", KEY, b"for KEY")
    # copied to another key's place: its header names KEY
    other = tmp_path / "chapter" / OTHER[:2] / OTHER
    other.parent.mkdir(parents=True)
    shutil.copy(tmp_path / "chapter" / KEY[:2] / KEY, other)
    assert store.get("chapter", OTHER) is None
    store.put("chapter", OTHER, b"for OTHER")
    assert store.get("chapter", OTHER) == b"for OTHER"


def test_an_entry_of_another_version_is_ignored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("chapter", KEY, b"payload")
    path = tmp_path / "chapter" / KEY[:2] / KEY
    head, payload = path.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    header["format"] = FORMAT + 1
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    assert store.get("chapter", KEY) is None


def test_not_a_key_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, KEY[:-1]):
        try:
            store.get("chapter", bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was taken as a key")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=300), cut=st.integers(min_value=0), flip=st.integers(min_value=0))
def test_a_damaged_entry_is_never_trusted(tmp_path: Path, payload: bytes, cut: int, flip: int) -> None:
    """Any truncation or any changed byte of an entry: the payload as it was
    written, or nothing -- never other bytes."""
    store = Store(tmp_path)
    store.put("output", KEY, payload)
    path = tmp_path / "output" / KEY[:2] / KEY
    whole = path.read_bytes()
    path.write_bytes(whole[: cut % (len(whole) + 1)])
    assert store.get("output", KEY) in (None, payload)
    damaged = bytearray(whole)
    damaged[flip % len(whole)] ^= 1 + flip % 255
    path.write_bytes(bytes(damaged))
    # a changed byte of the payload or its digest reads as nothing; one in the
    # entry's JSON header may leave it meaning the same (a space made '\r',
    # found by hypothesis): then the payload as written, never other bytes
    assert store.get("output", KEY) in (None, payload)


def test_the_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    store = Store(tmp_path, limit=10_000)
    keys = [digest(str(i)) for i in range(6)]
    for i, k in enumerate(keys):
        store.put("output", k, bytes(3000))
        os.utime(tmp_path / "output" / k[:2] / k, (1000 + i, 1000 + i))
    assert store.get("output", keys[0]) is not None  # read now: the most recently used
    store.evict()
    kept = [k for k in keys if (tmp_path / "output" / k[:2] / k).exists()]
    total = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert total <= 8_000
    assert keys[0] in kept and keys[-1] in kept and keys[1] not in kept


def _writer(root: str, n: int, marker: int) -> None:
    store = Store(Path(root))
    for i in range(n):
        store.put("output", KEY, bytes([marker]) * (20_000 + i))


def test_two_writers_at_once_leave_whole_entries(tmp_path: Path) -> None:
    """Two processes storing the same key while it is read: every read is
    one writer's whole payload."""
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), 150, m)) for m in (1, 2)]
    for p in procs:
        p.start()
    store = Store(tmp_path)
    seen = 0
    while any(p.is_alive() for p in procs):
        got = store.get("output", KEY)
        if got is not None:
            assert len(set(got)) == 1 and len(got) >= 20_000, "a mixed or partial entry"
            seen += 1
    for p in procs:
        p.join()
        assert p.exitcode == 0
    assert store.get("output", KEY) is not None
    assert not [p for p in tmp_path.rglob(".tmp-*")], "a temporary file was left behind"


def test_a_killed_writers_temporary_file_is_removed_once_stale(tmp_path: Path) -> None:
    """A render killed between writing an entry's temporary file and
    renaming it leaves ``.tmp-*`` beside the entries: the next eviction pass
    removes it once it is an hour old, and nothing that only looks like one."""
    store = Store(tmp_path, limit=10_000_000)
    store.put("chapter", KEY, b"payload")
    sub = tmp_path / "chapter" / KEY[:2]
    stale, fresh, target = sub / ".tmp-abc123", sub / ".tmp-def456", tmp_path / "elsewhere"
    stale.write_bytes(b"x" * 100)
    fresh.write_bytes(b"y")
    target.write_bytes(b"keep me")
    link, folder = sub / ".tmp-link01", sub / ".tmp-dir001"
    link.symlink_to(target)
    folder.mkdir()
    for p in (stale, target, folder):
        os.utime(p, (1000, 1000))
    os.utime(link, (1000, 1000), follow_symlinks=False)
    store.evict()
    assert not stale.exists(), "a stale temporary file was left"
    assert fresh.exists(), "a temporary file still being written was removed"
    assert link.is_symlink() and target.read_bytes() == b"keep me" and folder.is_dir()
    assert store.get("chapter", KEY) == b"payload"
