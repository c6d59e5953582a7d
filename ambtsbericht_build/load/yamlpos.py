"""Safe YAML loading that remembers where every key and value stands.

PyYAML's safe *composer* gives node marks; we build plain Python values from
the nodes ourselves so that we can

* record the (line, column) of every mapping key and value by its path,
* refuse duplicate keys (PyYAML silently keeps the last one),
* bound the work an alias can cause (an "alias bomb" expands exponentially),
* bound nesting depth (deep documents would otherwise hit Python's recursion
  limit inside the composer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES = 200_000
MAX_DEPTH = 64

# the YAML core types; anything else ("!!python/object", "!custom") is refused
_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

Path_ = tuple  # a path into the document: keys (str) and indices (int)


class YamlError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Positions:
    """(line, column), 1-based, of each key (``keys``) and value (``values``) by path."""

    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_) -> tuple[int, int]:
        """Best position for ``path``: its key, else its value, else the nearest parent."""
        path = tuple(path)
        while True:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path[:-1]


class _Scalars(SafeConstructor):
    """Only used for scalars: gives them the same types as ``yaml.safe_load``."""


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(text: str) -> tuple[object, Positions]:
    """Parse ``text``; raise :class:`YamlError` with a position on any problem."""
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's message for them is cryptic.
        for i, line in enumerate(text.split("\n"), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(
                    "tab character used for indentation; YAML needs spaces",
                    i,
                    len(line) - len(stripped) + 1,
                )
    _check_flow_depth(text)
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            # "found unexpected end of stream": the place to fix is where the
            # unclosed quote or bracket opens, not the end of the file
            mark = exc.context_mark
            problem = f"{exc.context} that is never closed" if exc.context else problem
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 1, 1) from None
    except RecursionError:
        raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", 1, 1) from None
    positions = Positions()
    if root is None:
        return None, positions
    _check_expansion(root)
    builder = _Builder(positions)
    return builder.build(root, (), 0), positions


_BRACKETS = re.compile(r"[^\[\]{}]+")


def _check_flow_depth(text: str) -> None:
    """Refuse absurdly deep ``[[[[...`` before PyYAML sees it: its scanner
    takes time quadratic in the flow depth (seconds for 10,000 levels).
    Brackets in quoted text count too; no real file comes near the limit."""
    if "[" not in text and "{" not in text:
        return
    depth = 0
    for ch in _BRACKETS.sub("", text):
        depth = depth + 1 if ch in "[{" else max(depth - 1, 0)
        if depth > _FLOW_LIMIT:
            raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", 1, 1)


_FLOW_LIMIT = 2 * MAX_DEPTH


def _check_expansion(root: Node) -> None:
    """Refuse a document whose aliases expand it beyond MAX_NODES values.

    An alias is the anchored node itself, shared; sizes are memoised per node,
    so this costs one visit per distinct node however large the expansion
    (building the values would take seconds before the builder's own limit)."""
    size: dict[int, int] = {}
    entered: set[int] = set()
    reused: Node | None = None
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            total = 1 + sum(size[id(k)] for k in _children(node))
            if total > MAX_NODES:
                line, col = _mark(reused or node)
                raise YamlError(
                    f"YAML aliases expand to more than {MAX_NODES:,} values (an alias bomb?); refused", line, col
                )
            size[key] = total
            continue
        if key in size:
            reused = reused or node
            continue
        if key in entered:
            line, col = _mark(node)
            raise YamlError("YAML alias refers to a node that contains it", line, col)
        entered.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in reversed(_children(node)))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Builder:
    def __init__(self, positions: Positions):
        self.positions = positions
        self.count = 0
        self.scalars = _Scalars()

    def build(self, node: Node, path: Path_, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _mark(node)
            raise YamlError(
                f"YAML expands to more than {MAX_NODES:,} values (an alias bomb?); refused",
                line,
                col,
            )
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", line, col)
        self.positions.values.setdefault(path, _mark(node))
        if node.tag not in _TAGS and node.tag != "tag:yaml.org,2002:merge":
            line, col = _mark(node)
            raise YamlError(f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported", line, col)
        if isinstance(node, ScalarNode):
            try:
                return self.scalars.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                line, col = _mark(node)
                raise YamlError(f"invalid YAML value: {getattr(exc, 'problem', exc)}", line, col) from None
            except ValueError as exc:  # e.g. a timestamp like 2025-13-45
                line, col = _mark(node)
                raise YamlError(f"invalid YAML value {node.value!r}: {exc}", line, col) from None
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _mark(key_node)
                    raise YamlError("YAML merge keys ('<<') are not supported", line, col)
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    line, col = _mark(key_node)
                    raise YamlError("mapping key must be a plain value", line, col)
                key = str(key) if not isinstance(key, str) else key
                if key in result:
                    line, col = _mark(key_node)
                    first = self.positions.keys.get(path + (key,), (0, 0))[0]
                    raise YamlError(f"duplicate key {key!r} (first defined on line {first})", line, col)
                self.positions.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        line, col = _mark(node)
        raise YamlError("unsupported YAML node", line, col)
