"""A YAML file's values and positions, kept between checks.

The benchmark report's sources.yaml (350 sources, 9,300 scalars) took
0.10 s of CPU to parse and build (:func:`.yamlpos.load_yaml`), about a
tenth of ``abuild check`` after a one-paragraph edit; read back as JSON
from ``build/.cache/checks/`` (cache/checks.py, when the check has a
cache) it takes about a fifth of that. The values are plain JSON already
(a scalar keeps its text, a key is always text: yamlpos.py), so JSON gives
them back exactly; the entry is keyed by the text and abuild's code and
tools, and only a file that parsed is kept (an error is found again, with
its message and position, every time). A file whose aliases repeat its
values is not kept: JSON writes each repeat out in full (a 1 MB scalar
named 200 times made a 200 MB entry and 0.45 GB of memory; the 5 MB limit
and 200,000 values would allow a terabyte), where the parse shares it.
A mapping is kept as its pairs, in the file's order: the store writes JSON
objects with their keys sorted, and a glossary read back sorted printed
"UN" where the file's first abbreviation of "Verenigde Naties" is "VN"
(render/csl_items.py: the first in glossary order wins), and a source's
fields read back sorted gave the audit its forbidden values in another
order: another memo signature, so every render after the first matched
all its text again (16 of 168 parts reused instead of 157).
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
    return kept.part(
        context("yaml/2", text), Codec(lambda p: _dump(p, len(text)), _load), lambda: load_yaml(text), pure=True
    )


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


def _dump(parsed: tuple[object, Positions], size: int) -> object:
    """The entry; None when the values hold more characters than the text
    (``size``) they were read from: only an alias repeats a value, escapes
    and folding only shorten it."""
    data, positions = parsed
    if _chars(data, size) > size:
        return None
    return {
        "data": _ordered(data),
        "keys": [[list(path), *at] for path, at in positions.keys.items()],
        "values": [[list(path), *at] for path, at in positions.values.items()],
    }


def _load(raw: object) -> tuple[object, Positions] | None:
    """What :func:`_dump` made (None: anything else)."""
    if not (isinstance(raw, dict) and raw.keys() == {"data", "keys", "values"}):
        return None
    keys, values = _positions(raw["keys"]), _positions(raw["values"])
    try:
        data = _unordered(raw["data"])
    except (_NotKept, RecursionError):
        return None
    if keys is None or values is None:
        return None
    return data, Positions(keys, values)


class _NotKept(Exception):
    """An entry's value is not what :func:`_ordered` makes."""


def _ordered(value: object) -> object:
    """``value`` (mappings of text, lists, text and None: what yamlpos
    builds) with each mapping as ``{"pairs": [[key, value], ...]}``."""
    if isinstance(value, dict):
        return {"pairs": [[k, _ordered(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _unordered(value: object) -> object:
    """What :func:`_ordered` was given; :class:`_NotKept` for anything it does not make."""
    if isinstance(value, dict):
        pairs = value.get("pairs")
        if value.keys() != {"pairs"} or not isinstance(pairs, list):
            raise _NotKept
        out: dict[str, object] = {}
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)) or pair[0] in out:
                raise _NotKept
            out[pair[0]] = _unordered(pair[1])
        return out
    if isinstance(value, list):
        return [_unordered(v) for v in value]
    if value is not None and not isinstance(value, str):
        raise _NotKept
    return value


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


def _chars(value: object, bound: int) -> int:
    """The characters of the keys and scalars of ``value``, counted up to just past ``bound``."""
    total, stack = 0, [value]
    while stack and total <= bound:
        v = stack.pop()
        if isinstance(v, dict):
            total += sum(len(k) for k in v)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str):
            total += len(v)
    return total
