"""A YAML file's values and positions, kept between checks.

The benchmark report's sources.yaml (350 sources, 9,300 scalars) took
0.10 s of CPU to parse and build (:func:`.yamlpos.load_yaml`), about a
tenth of ``abuild check`` after a one-paragraph edit; read back as JSON
from ``build/.cache/checks/`` (cache/checks.py, when the check has a
cache) it takes about a fifth of that. The values are plain JSON already
(a scalar keeps its text, a key is always text: yamlpos.py), so JSON gives
them back exactly; the entry is keyed by the text and abuild's code and
tools, and only a file that parsed is kept (an error is found again, with
its message and position, every time).
"""

from __future__ import annotations

from ..block_memo import context
from .yamlpos import Path_, Positions, load_yaml


def kept_yaml(text: str) -> tuple[object, Positions]:
    """:func:`.yamlpos.load_yaml` of ``text``, or what it gave in an earlier check."""
    from ..cache.checks import Codec, current

    kept = current()
    if kept is None:
        return _in_memo(text)
    return kept.part(context("yaml/1", text), Codec(_dump, _load), lambda: load_yaml(text), pure=True)


def _in_memo(text: str) -> tuple[object, Positions]:
    """Without the cache (``ABUILD_CACHE=off``, as the preview benchmark
    runs): the parse kept in the preview's memo (block_memo.py) as
    :mod:`marshal` bytes, each build given objects of its own (the loader
    may change what it is given). The benchmark report's sources.yaml,
    measured alone: 0.06 s of CPU parsed, 0.002 s from marshal's bytes."""
    import marshal

    from ..block_memo import current as memo_now

    memo = memo_now()
    if memo is None:
        return load_yaml(text)
    key = context("yaml/1", text)
    kept = memo.kept(key)
    if isinstance(kept, bytes):
        data, keys, values = marshal.loads(kept)
        return data, Positions(keys, values)
    data, positions = load_yaml(text)  # an error is not kept: found again, with its position, every time
    try:
        memo.keep(key, marshal.dumps((data, positions.keys, positions.values)))  # type: ignore[arg-type]
    except ValueError:
        pass  # nested deeper than marshal goes: parsed again next time
    return data, positions


def _dump(parsed: tuple[object, Positions]) -> object:
    data, positions = parsed
    return {
        "data": data,
        "keys": [[list(path), *at] for path, at in positions.keys.items()],
        "values": [[list(path), *at] for path, at in positions.values.items()],
    }


def _load(raw: object) -> tuple[object, Positions] | None:
    """What :func:`_dump` made (None: anything else)."""
    if not (isinstance(raw, dict) and raw.keys() == {"data", "keys", "values"}):
        return None
    keys, values = _positions(raw["keys"]), _positions(raw["values"])
    if keys is None or values is None or not _plain(raw["data"]):
        return None
    return raw["data"], Positions(keys, values)


def _positions(raw: object) -> dict[Path_, tuple[int, int]] | None:
    if not isinstance(raw, list):
        return None
    out: dict[Path_, tuple[int, int]] = {}
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], list)):
            return None
        path, line, column = item
        if not all(type(p) in (str, int) for p in path) or type(line) is not int or type(column) is not int:
            return None
        out[tuple(path)] = (line, column)
    return out


def _plain(value: object) -> bool:
    """Only what yamlpos builds: mappings of text, lists, text and None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif v is not None and not isinstance(v, str):
            return False
    return True
