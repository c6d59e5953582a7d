"""A YAML file's values and positions, kept between checks.

The benchmark report's sources.yaml (350 sources, 9,300 scalars) took
0.10 s of CPU to parse and build (:func:`.yamlpos.load_yaml`), about a
tenth of ``abuild check`` after a one-paragraph edit; read back as JSON
from ``build/.cache/checks/`` (cache/checks.py, when the check has a
cache) it takes about a fifth of that. The values are plain JSON already
(a scalar keeps its text, a key is always text: yamlpos.py), but the store
writes JSON with its keys sorted, and a mapping's order is part of what the
parse gives (the order of a source's fields is the order of the forbidden
values the audit looks for, and of its memo's signature: sorted, every
render after the first matched everything again). So a mapping is kept as
``{"m": [[key, value], ...]}`` and a list as ``{"l": [...]}``, which JSON
gives back in order. The entry is keyed by the text and abuild's code and
tools, and only a file that parsed is kept (an error is found again, with
its message and position, every time).
"""

from __future__ import annotations

from ..block_memo import context
from .yamlpos import MAX_DEPTH, Path_, Positions, load_yaml


def kept_yaml(text: str) -> tuple[object, Positions]:
    """:func:`.yamlpos.load_yaml` of ``text``, or what it gave in an earlier check."""
    from ..cache.checks import Codec, current

    kept = current()
    if kept is None:
        return load_yaml(text)
    return kept.part(context("yaml/2", text), Codec(_dump, _load), lambda: load_yaml(text), pure=True)


def _dump(parsed: tuple[object, Positions]) -> object:
    data, positions = parsed
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
    data = _unordered(raw["data"])
    if keys is None or values is None or data is _BAD or not _plain(data):
        return None
    return data, Positions(keys, values)


_BAD = object()


def _ordered(value: object) -> object:
    """``value`` with every mapping and list wrapped, so that sorted JSON keeps their order
    (depth is bounded by the YAML loader: yamlpos.MAX_DEPTH)."""
    if isinstance(value, dict):
        return {"m": [[k, _ordered(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"l": [_ordered(v) for v in value]}
    return value


def _unordered(raw: object, depth: int = 0) -> object:
    """What :func:`_ordered` made, unwrapped (``_BAD``: anything else)."""
    if depth > 2 * MAX_DEPTH:
        return _BAD
    if isinstance(raw, dict):
        if raw.keys() == {"m"} and isinstance(raw["m"], list):
            out: dict[str, object] = {}
            for pair in raw["m"]:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)) or pair[0] in out:
                    return _BAD
                v = _unordered(pair[1], depth + 1)
                if v is _BAD:
                    return _BAD
                out[pair[0]] = v
            return out
        if raw.keys() == {"l"} and isinstance(raw["l"], list):
            items = [_unordered(v, depth + 1) for v in raw["l"]]
            return _BAD if any(v is _BAD for v in items) else items
        return _BAD
    if isinstance(raw, list):
        return _BAD
    return raw


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
