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


def _c_nodes(text: str) -> Node | None:
    """The document's nodes by libyaml, or :class:`_Fallback` when they could
    differ from the pure-Python path's (which alone gives the error messages)."""
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
    if root is not None and _has_empty_plain(root):
        # an empty value's mark is placed differently by libyaml
        raise _Fallback
    return root


def _has_empty_plain(root: Node) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.value == "" and not node.style:
                return True
        else:
            stack.extend(_children(node))
    return False


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
        root = _c_nodes(text)
    except _Fallback:
        pass
    else:
        try:
            return _build(root, first_line)
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
        message, line_no, column = _Explainer(text, first_line).explain(exc)
        raise YamlError(f"invalid YAML: {message}", line_no, column) from None
    except ReaderError as exc:
        raise _reader_error(exc, text) from None
    except yaml.YAMLError:
        raise YamlError(f"invalid YAML: {_GENERIC}", 1, 1) from None
    except RecursionError:
        raise YamlError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", 1, 1) from None
    return root


def _build(root: Node | None, first_line: int) -> tuple[object, Positions]:
    positions = Positions()
    if root is None:
        return None, positions
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

_KEY = re.compile(r"""(?P<key>"[^"]*"|'[^']*'|[^\s#"'][^#]*?)[ \t]*:(?=[ \t]|$)""")
_DASHES = re.compile(r"(?:-[ \t]+)*")
_FOUND = re.compile(r"(?:found|got) '(.*)'$", re.DOTALL)


@dataclass
class _Line:
    """One line of the file as a drafter sees it."""

    text: str
    indent: int  # spaces before the first character
    item: int | None  # column (0-based) of a leading '- ', if any
    body: int  # column of the text after the indentation and any '- '
    key: str | None = None  # the key of a 'key: value' line
    colon: int = -1  # column of that key's colon
    value: str = ""  # what follows the colon, stripped

    @property
    def content(self) -> bool:
        stripped = self.text.strip()
        return bool(stripped) and not stripped.startswith("#")


def _line(text: str) -> _Line:
    text = text.rstrip("\r")
    indent = len(text) - len(text.lstrip(" "))
    dashes = _DASHES.match(text, indent)
    body = dashes.end() if dashes else indent
    out = _Line(text, indent, indent if body > indent else None, body)
    m = _KEY.match(text, body)
    if m:
        out.key = m.group("key").strip("\"'")
        out.colon = m.end() - 1
        out.value = text[m.end() :].strip()
    return out


def _plural(n: int) -> str:
    return f"{n} space" if n == 1 else f"{n} spaces"


def _indent_to(n: int) -> str:
    return "start it at the beginning of the line" if n == 0 else f"indent it {_plural(n)}"


def _show(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Explainer:
    def __init__(self, text: str, first_line: int = 1):
        self.text = text
        self.lines = [_line(t) for t in text.split("\n")]
        self.first_line = first_line

    def no(self, i: int) -> int:
        """Line ``i`` (0-based) as the drafter's editor numbers it."""
        return i + self.first_line

    def line(self, i: int) -> _Line:
        return self.lines[i] if 0 <= i < len(self.lines) else _Line("", 0, None, 0)

    def previous(self, i: int) -> int | None:
        """The nearest line before ``i`` with content (not blank, not a comment)."""
        for j in range(min(i, len(self.lines)) - 1, -1, -1):
            if self.lines[j].content:
                return j
        return None

    def name(self, i: int, item: bool = False) -> str:
        """How to refer to line ``i``: its key, or its text (``item``: as a list item)."""
        ln = self.line(i)
        if ln.key is not None and not (item and ln.item is not None):
            return f"'{_show(ln.key)}'"
        if ln.item is not None:
            return f"the list item '{_show(ln.text.strip(), 30)}'"
        return f"'{_show(ln.text.strip(), 30)}'"

    # -- the catalogue --------------------------------------------------------

    def explain(self, exc: yaml.MarkedYAMLError) -> tuple[str, int, int]:
        problem = exc.problem or ""
        context = exc.context or ""
        pm = exc.problem_mark or exc.context_mark
        cm = exc.context_mark or pm
        if pm is None or cm is None:
            return _GENERIC, 1, 1
        at = (pm.line, pm.column)
        opened = (cm.line, cm.column)
        found = _FOUND.search(problem)
        what = found.group(1) if found else ""
        if problem == "mapping values are not allowed here":
            return self.colon(*at)
        if problem.startswith("could not find expected ':'"):
            return self.no_colon(*opened)
        if problem.startswith("expected <block end>"):
            return self.block_end(what, *at)
        if problem.startswith("expected '<document start>'"):
            return self.after_document(*at)
        if problem == "but found another document":
            return self.done("a second document starts here ('---'); a file holds one: remove this line", *at)
        if context.startswith("while scanning a quoted scalar"):
            quote = self.text[cm.index] if cm.index < len(self.text) else '"'
            return self.done(f"the quote ({quote}) that opens here is never closed: add the closing {quote}", *opened)
        if "escape" in problem:
            return self.done(
                "in double quotes a backslash (\\) starts a special character: write \\\\ for a backslash,"
                " or put the value between single quotes",
                *at,
            )
        if context.startswith("while scanning a block scalar"):
            return self.done(
                "'|' or '>' starts a block of text: write nothing after it on its line and the text on the"
                " lines below, indented; a value that starts with '|' or '>' goes between double quotes",
                *opened,
            )
        if problem == "sequence entries are not allowed here":
            return self.done(
                "a list item ('- ') cannot stand here: write the key alone ('key:') and the items on the lines"
                " below it, indented; if the '-' is part of the text, put the value between double quotes",
                *at,
            )
        if context.startswith(("while parsing a flow sequence", "while parsing a flow mapping")):
            return self.flow(context, what, exc)
        if problem.startswith("expected the node content"):
            if what in ("<document end>", "<document start>"):
                return self.done("a line '...' or '---' ends the document here: remove it", *at)
            return self.starts_with(what, *at)
        if context.startswith(("while scanning an alias", "while scanning an anchor")):
            return self.starts_with(self.char(cm.index), *opened)
        if problem.startswith("found undefined alias"):
            name = problem.split("'")[1] if "'" in problem else ""
            return self.done(
                f"'*{name}' refers to '&{name}', which is not defined above; a value that starts with '*'"
                " goes between double quotes",
                *at,
            )
        if context.startswith(("while scanning a directive", "while parsing a tag", "while scanning a tag")):
            return self.starts_with(self.char(cm.index), *opened)
        if "cannot start any token" in problem:
            if self.char(pm.index) == "\t":
                return self.done("a tab character: YAML needs spaces here; replace the tab with a space", *at)
            return self.starts_with(self.char(pm.index), *at)
        if problem == "mapping keys are not allowed here":
            return self.starts_with("?", *at)
        return self.done(_GENERIC, *at)

    def char(self, index: int) -> str:
        return self.text[index] if 0 <= index < len(self.text) else ""

    @staticmethod
    def done(message: str, line: int, column: int) -> tuple[str, int, int]:
        return message, line + 1, column + 1

    def starts_with(self, char: str, line: int, column: int) -> tuple[str, int, int]:
        if not char or not char.isprintable():
            return self.done(_GENERIC, line, column)
        return self.done(
            f"text cannot start with '{char}' in YAML: put the whole value between double quotes", line, column
        )

    def colon(self, line: int, column: int) -> tuple[str, int, int]:
        """A ': ' where PyYAML allows no new key."""
        ln = self.line(line)
        if ln.key is not None and ln.colon < column:
            value = ln.text[ln.colon + 1 :].strip()
            example = f": {ln.key}: {_quoted(value)}" if len(value) <= 60 else ""
            return self.done(
                f"the value of '{_show(ln.key)}' contains ': ' (a colon and a space), which YAML reads as a"
                f" new key; put the whole value between double quotes{example}",
                line,
                column,
            )
        where = ln.body if ln.key is not None else column
        p = self.previous(line)
        if p is not None:
            prev = self.line(p)
            prev_col = prev.body
            if prev.content and where > prev_col and (prev.value or (prev.key is None and prev.item is not None)):
                return self.done(
                    f"{self.name(line)} is indented further than {self.name(p)} on line {self.no(p)}, which already"
                    f" has a value: {_indent_to(prev_col)}, like {self.name(p)}; if it is part of that"
                    " value, put the whole value between double quotes",
                    line,
                    where,
                )
            if prev.key is None and prev.item is None and prev.indent <= ln.indent:
                return self.no_colon(p, prev.indent)
        return self.done(
            "a ':' here is not allowed: if it is part of the text, put the whole value between double quotes;"
            " otherwise check the indentation of this line against the line above",
            line,
            column,
        )

    def no_colon(self, line: int, column: int) -> tuple[str, int, int]:
        """A line that is neither 'key: value' nor a list item."""
        text = _show(self.line(line).text.strip())
        if not text:
            return self.done(_GENERIC, line, column)
        if ":" in text:
            return self.done(
                f"'{text}' is not 'key: value': the colon after a key needs a space after it", line, column
            )
        above = (
            "; if the line continues the value above, indent it further than that value's key"
            if self.previous(line) is not None
            else ""
        )
        return self.done(
            f"'{text}' is not 'key: value' and not a list item ('- '): add ': ' after the key{above}",
            line,
            column,
        )

    def block_end(self, what: str, line: int, column: int) -> tuple[str, int, int]:
        """Something at a place where a list or mapping should have ended."""
        ln = self.line(line)
        before = ln.text[:column]
        p = self.previous(line)
        if what == "?":
            item = next((j for j in range(line - 1, -1, -1) if self.lines[j].item == ln.indent), p)
            seen = f" (line {self.no(item)})" if item is not None else ""
            return self.done(
                f"{self.name(line)} stands among the items of a list{seen} but does not start with '- ': start"
                " a new item with '- ', or indent it to belong to the item above",
                line,
                column,
            )
        if what == "-":
            prev = f": {self.name(p)} on line {self.no(p)} already has a value" if p is not None else ""
            return self.done(
                f"a list item ('- ') stands among 'key: value' lines{prev}; write the key alone ('key:') and"
                " its items on the lines below, or remove the '- '",
                line,
                column,
            )
        if what == ":":
            return self.done("a key is empty; write the key before the colon", line, column)
        if what in ("]", "}", ","):
            return self.done(
                f"'{what}' here belongs to no list or mapping: remove it, or put the whole value between double quotes",
                line,
                column,
            )
        if not before.strip(" -"):
            return self.misaligned(line)
        stripped = before.rstrip()
        if stripped.endswith(("'", '"')):
            quote = stripped[-1]
            inside = (
                "an apostrophe inside single quotes is written twice ('')"
                if quote == "'"
                else 'a double quote inside double quotes is written \\"'
            )
            return self.done(
                f"text follows the closing quote ({quote}) of the value: {inside}, or put the value between"
                " the other kind of quotes",
                line,
                len(stripped) - 1,
            )
        return self.done(
            f"the value ends before '{_show(ln.text[column:], 20)}': put the whole value between double quotes",
            line,
            column,
        )

    def misaligned(self, line: int) -> tuple[str, int, int]:
        """A line indented between two levels: say which lines it can line up with."""
        ln = self.line(line)
        item = ln.item is not None

        def col(x: _Line) -> int | None:
            return x.item if item else (x.body if x.key is not None else None)

        mine = col(ln)
        mine = ln.indent if mine is None else mine
        inner: tuple[int, int] | None = None
        outer: tuple[int, int] | None = None
        for j in range(line - 1, -1, -1):
            other = self.lines[j]
            c = col(other)
            if not other.content or c is None:
                continue
            if c > mine and inner is None and outer is None:
                inner = (j, c)
            elif c < mine:
                outer = (j, c)
                break
        options = [
            f"{_plural(c)} to line up with {self.name(j, item)} (line {self.no(j)})"
            for j, c in filter(None, (inner, outer))
        ]
        advice = " or ".join(options) if options else "as far as the lines it belongs with"
        return self.done(
            f"{self.name(line, item)} is indented {_plural(mine)}, which lines up with no line above:"
            f" indent it {advice}",
            line,
            mine,
        )

    def after_document(self, line: int, column: int) -> tuple[str, int, int]:
        """The document's top level ended before the file did."""
        for j in range(min(line, len(self.lines) - 1), -1, -1):
            stripped = self.lines[j].text.strip()
            if stripped == "..." or stripped.startswith("... "):
                return self.done("a line '...' ends the document here: remove it", j, 0)
            if self.lines[j].text.startswith("%"):
                return self.starts_with("%", j, 0)
        first = next((j for j, x in enumerate(self.lines) if x.content), None)
        ln = self.line(line)
        if first is not None and first < line and self.lines[first].indent > ln.indent:
            top = self.lines[first]
            return self.done(
                f"the first line is indented {_plural(top.indent)}, further than line {self.no(line)}: the top-level"
                f" lines all start at the same column; remove the spaces before {self.name(first)}",
                first,
                top.indent,
            )
        return self.done(_GENERIC, line, column)

    def flow(self, context: str, what: str, exc: yaml.MarkedYAMLError) -> tuple[str, int, int]:
        """Inside [ ] or { }."""
        pm, cm = exc.problem_mark, exc.context_mark
        assert pm is not None and cm is not None
        opener, closer, kind = ("[", "]", "list") if "sequence" in context else ("{", "}", "mapping")
        if what == "<stream end>" or (pm.line > cm.line and closer not in self.text[cm.index : pm.index]):
            return self.done(
                f"the '{opener}' that opens here is never closed: add '{closer}' at the end of the {kind}",
                cm.line,
                cm.column,
            )
        if what in ("]", "}"):
            return self.done(
                f"the '{opener}' at line {self.no(cm.line)}, column {cm.column + 1} is closed with '{what}':"
                f" close it with '{closer}'",
                pm.line,
                pm.column,
            )
        if what == ":":
            return self.done(
                f"a ',' is missing between two entries of the {kind} in '{opener} {closer}', or an entry"
                " contains ': ' (put such text between double quotes)",
                pm.line,
                pm.column,
            )
        return self.done(
            f"a ',' is missing before this entry: separate the entries of a {kind} in '{opener} {closer}' with ', '",
            pm.line,
            pm.column,
        )


_GENERIC = (
    "this is not valid YAML: check the indentation, the colons and the quotes on this line and the line above;"
    " a value with ': ' or a special character at its start goes between double quotes"
)


def _reader_error(exc: ReaderError, text: str) -> YamlError:
    index = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return YamlError(
        f"invalid YAML: the file contains a control character (U+{ord(char):04X}) that YAML does not allow; remove it",
        line,
        column,
    )
