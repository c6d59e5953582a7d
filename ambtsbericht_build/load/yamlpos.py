"""Safe YAML loading that remembers where every key and value stands.

PyYAML's safe *composer* gives node marks; we build plain Python values from
the nodes ourselves so that we can

* record the (line, column) of every mapping key and value by its path,
* refuse duplicate keys (PyYAML silently keeps the last one),
* bound the work an alias can cause (an "alias bomb" expands exponentially),
* bound nesting depth (deep documents would otherwise hit Python's recursion
  limit inside the composer),
* keep every scalar's text as written.

Scalars keep their text. YAML 1.1 (PyYAML's default) reads ``NO`` as
``False``, ``0612345670`` as an octal number, ``1.10`` as ``1.1`` and
``2025-03-04`` as a date: a glossary entry ``NO: Noorwegen`` became the key
``False``, a telephone number in ``internal`` became a number the audit then
looked for in the wrong form, ToR id ``1.10`` became ``1.1``. Here a plain
scalar is a string, exactly as written, except the null forms (empty, ``~``,
``null``, ``Null``, ``NULL``: YAML 1.1 and 1.2 agree on them). Where a field
has a type (a date, a boolean) the models convert the text and say so in
plain words when they cannot. Explicit type tags (``!!int 12``) are accepted
and keep their text too; the models decide what the value means.

Mapping keys are always text: a key that is a list or a mapping, or an empty
key, is refused at its position.

A file that does not parse is refused with a sentence a drafter understands,
at the place to fix (see "YAML errors in plain words" below), never with
PyYAML's own message.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .yaml_messages import GENERIC, Explainer, reader_error

# libyaml's C parser and composer (None when PyYAML is built without it):
# the fast path, see _c_nodes
_CParser: Any
try:
    _CParser = importlib.import_module("yaml._yaml").CParser
except ImportError:  # pragma: no cover
    _CParser = None

MAX_NODES = 200_000
MAX_DEPTH = 64

_YAML = "tag:yaml.org,2002:"
_NULL = _YAML + "null"
_MERGE = _YAML + "merge"
# the YAML core types; anything else ("!!python/object", "!custom", "!!binary",
# "!!set") is refused. int/float/bool/timestamp only ever come from an explicit
# tag (the resolver below never gives them) and keep their text.
_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

# a path into the document: keys (str) and indices (int)
Path_: TypeAlias = tuple[str | int, ...]


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


class _Resolver(BaseResolver):
    """Resolves a plain scalar to null (the forms YAML 1.1 and 1.2 share) or
    merge (``<<``, refused below); everything else stays a string."""


_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_MERGE, re.compile(r"^<<$"), ["<"])


class _Loader(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's safe pipeline up to nodes (no constructor: we build values)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


if _CParser is not None:

    class _CLoader(_CParser, _Resolver):  # type: ignore[misc]
        """libyaml's parser and composer with our resolver: the same nodes as
        :class:`_Loader`, with marks, about ten times faster."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)


# inputs where libyaml's positions or acceptance may differ from PyYAML's:
# tabs (trailing tabs), a BOM anywhere, line breaks other than "\n",
# characters PyYAML's reader refuses
_C_UNSAFE = re.compile("[\t\r\ufeff\x85\u2028\u2029]")
# block nesting needs indentation, so a short line bounds the depth libyaml's
# (recursive, unchecked) composer reaches
_C_MAX_LINE = 1000


class _Fallback(Exception):
    """The C nodes may differ from PyYAML's: use the pure-Python path."""


def _c_nodes(text: str) -> tuple[Node | None, int | None]:
    """The document's nodes by libyaml, or :class:`_Fallback` when they could
    differ from the pure-Python path's (which alone gives the error messages);
    and their number when they are a tree (:func:`_shape`)."""
    if (
        _CParser is None
        or _C_UNSAFE.search(text)
        or Reader.NON_PRINTABLE.search(text)
        or max(map(len, text.split("\n"))) > _C_MAX_LINE
    ):
        raise _Fallback
    try:
        loader = _CLoader(text)
        try:
            root: Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except Exception:
        raise _Fallback from None
    if root is None:
        return None, None
    tree, empty_plain = _shape(root)
    if empty_plain:
        # an empty value's mark is placed differently by libyaml
        raise _Fallback
    return root, tree


def _shape(root: Node) -> tuple[int | None, bool]:
    """One walk over the distinct nodes: their number when none is reached
    twice (no alias: :func:`_check_expansion` has nothing to find in a tree
    of at most MAX_NODES nodes), else None; and whether a plain scalar is
    empty. (Two walks before: the benchmark report's sources.yaml, 9,300
    nodes, 0.020 s of its 0.048 s load; now 0.035 s.)"""
    seen: set[int] = set()
    shared = empty_plain = False
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared = True
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.value == "" and not node.style:
                empty_plain = True
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for pair in node.value:
                stack.extend(pair)
    return (None if shared else len(seen)), empty_plain


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(text: str, first_line: int = 1) -> tuple[object, Positions]:
    """Parse ``text``; raise :class:`YamlError` with a position on any problem.

    ``first_line``: the line of the file ``text`` starts on (a chapter's
    front matter), for line numbers inside messages; positions stay
    relative to ``text``."""
    if "\t" in text:
        # YAML forbids tabs for indentation; PyYAML's message for them is cryptic.
        for i, line in enumerate(text.split("\n"), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(
                    "tab character used for indentation; YAML needs spaces: replace the tab with spaces",
                    i,
                    len(line) - len(stripped) + 1,
                )
    _check_flow_depth(text)
    try:
        root, tree = _c_nodes(text)
    except _Fallback:
        pass
    else:
        try:
            return _build(root, first_line, tree)
        except YamlError:
            pass  # the message and position come from the pure-Python path
    return _build(_py_nodes(text, first_line), first_line)


def _py_nodes(text: str, first_line: int) -> Node | None:
    try:
        loader = _Loader(text)
        try:
            root: Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        message, line_no, column = Explainer(text, first_line).explain(exc)
        raise YamlError(f"invalid YAML: {message}", line_no, column) from None
    except ReaderError as exc:
        raise YamlError(*reader_error(exc, text)) from None
    except yaml.YAMLError:
        raise YamlError(f"invalid YAML: {GENERIC}", 1, 1) from None
    except RecursionError:
        raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", 1, 1) from None
    return root


def _build(root: Node | None, first_line: int, tree: int | None = None) -> tuple[object, Positions]:
    """The value and its positions; ``tree``: the number of nodes, known to
    be a tree (no alias), else None."""
    positions = Positions()
    if root is None:
        return None, positions
    if tree is None or tree > MAX_NODES:
        _check_expansion(root)
    builder = _Builder(positions, first_line)
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
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _tag_message(tag: str) -> str:
    if tag.startswith(_YAML):
        return f"YAML tag {tag.replace(_YAML, '!!')} is not supported"
    # "title: !Belangrijk" : a drafter's '!' rather than a tag
    return f"YAML tag {tag} is not supported; a value that starts with '!' goes between double quotes"


_KIND: dict[type[Node], str] = {MappingNode: "a mapping", SequenceNode: "a list"}


class _Builder:
    def __init__(self, positions: Positions, first_line: int = 1):
        self.positions = positions
        self.shift = first_line - 1
        self.count = 0

    def _counted(self, node: Node) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(
                f"YAML expands to more than {MAX_NODES:,} values (an alias bomb?); refused",
                *_mark(node),
            )

    def build(self, node: Node, path: Path_, depth: int) -> object:
        self._counted(node)
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", *_mark(node))
        self.positions.values.setdefault(path, _mark(node))
        if node.tag not in _TAGS and node.tag != _MERGE:
            raise YamlError(_tag_message(node.tag), *_mark(node))
        if isinstance(node, ScalarNode):
            # the text as written; see the module docstring
            return None if node.tag == _NULL else str(node.value)
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[str, object] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                if key in result:
                    first = self.positions.keys.get(path + (key,), (0, 0))[0]
                    raise YamlError(
                        f"duplicate key {key!r} (first defined on line {first + self.shift})", *_mark(key_node)
                    )
                self.positions.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        raise YamlError("unsupported YAML node", *_mark(node))

    def _key(self, node: Node) -> str:
        """A mapping key: always its text as written (``NO``, ``0123``, ``1e3``,
        ``2025-01-01``, ``~`` stay what they say)."""
        self._counted(node)
        if node.tag == _MERGE:
            raise YamlError("YAML merge keys ('<<') are not supported", *_mark(node))
        if not isinstance(node, ScalarNode):
            kind = _KIND.get(type(node), "not text")
            raise YamlError(f"a key must be text, not {kind}; write the key as a word or a quoted string", *_mark(node))
        if node.tag not in _TAGS:
            raise YamlError(_tag_message(node.tag), *_mark(node))
        if not node.value:  # `: x`, `? : x` or `"": x`
            raise YamlError("a key is empty; write the key before the colon", *_mark(node))
        return str(node.value)


# --- YAML errors in plain words ------------------------------------------------
#
# PyYAML's messages name its internals ("expected <block end>, but found
# '<block mapping start>'", "while scanning a simple key"). A drafter needs
# to know what is wrong and what to write instead, at the place to change,
# which is not always where PyYAML stopped: an unclosed quote or bracket is
# fixed where it opens, a key without its colon on the line before the one
# PyYAML complains about. _explain() maps each of PyYAML's errors (the
# catalogue: ScannerError, ParserError, ComposerError by problem and context)
# to a sentence and a position; tests/load/test_yaml_messages.py holds an
# example of each and a property test that no message uses PyYAML's words.
