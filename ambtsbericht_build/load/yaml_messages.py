"""Plain-words messages for YAML that does not parse: PyYAML's scanner,
parser, composer and reader errors, caught by :func:`.yamlpos.load_yaml`, are
translated here into a sentence that says what is wrong and what to do, at
the place the drafter must look (often the line above the one PyYAML names).
A property test keeps PyYAML's own words out of every message."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.reader import ReaderError

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


class Explainer:
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
            return GENERIC, 1, 1
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
        return self.done(GENERIC, *at)

    def char(self, index: int) -> str:
        return self.text[index] if 0 <= index < len(self.text) else ""

    @staticmethod
    def done(message: str, line: int, column: int) -> tuple[str, int, int]:
        return message, line + 1, column + 1

    def starts_with(self, char: str, line: int, column: int) -> tuple[str, int, int]:
        if not char or not char.isprintable():
            return self.done(GENERIC, line, column)
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
            return self.done(GENERIC, line, column)
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
        return self.done(GENERIC, line, column)

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


GENERIC = (
    "this is not valid YAML: check the indentation, the colons and the quotes on this line and the line above;"
    " a value with ': ' or a special character at its start goes between double quotes"
)


def reader_error(exc: ReaderError, text: str) -> tuple[str, int, int]:
    """(message, line, column) for a character YAML does not allow."""
    index = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return (
        f"invalid YAML: the file contains a control character (U+{ord(char):04X}) that YAML does not allow; remove it",
        line,
        column,
    )
