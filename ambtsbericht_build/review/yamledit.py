"""Recording a step in report.yaml in place: the drafters' comments, key
order and quoting stay as they were.

ruamel.yaml's round-trip mode edits the file (PyYAML, and the project's
own loader, keep no comments); reading report.yaml stays
:mod:`ambtsbericht_build.load.yamlpos`'s, which reads the result back before
it replaces the file. ruamel does not keep a file's indentation, so the
indentation that reproduces the file unchanged is looked for first, and the
edit is refused when none does, or when the new text loses or rewrites any
line other than ``status`` and ``review``: a step can always be written by
hand, a drafter's comment cannot be brought back.

The file is replaced atomically (a temporary file beside it, then
:func:`os.replace`), so an interrupted edit leaves the old report.yaml.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.tokens import CommentToken

from ..render.atomic import write_text_atomically

# the indentations report.yaml files are written in: mapping, sequence,
# offset of the dash (``  - item`` under a key is 2, 4, 2; ``- item`` is 2, 2, 0)
_INDENTS = [(m, s, o) for m in (2, 4) for s in (2, 4, 6) for o in (0, 2, 4) if o <= s - 2]
# where the history goes when report.yaml has none: after the first of
# these keys that is followed by no comment line (a comment is about the
# key below it, and must stay above that key)
_AFTER = ("information_cutoff", "responsible_unit", "place", "previous", "issuer", "version", "status")
_CHANGED = re.compile(r"^(status|review)\s*:")


class EditRefused(Exception):
    """report.yaml cannot be edited without changing more than the step."""


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt", pure=True)
    y.preserve_quotes = True
    y.width = 1 << 16  # never fold a long line the drafter wrote on one
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def recorded(text: str, status: str, step: dict[str, Any]) -> str:
    """``text`` (report.yaml) with ``status`` set and ``step`` appended to
    its review history. Raises :class:`EditRefused`.

    A file with Windows line ends (an editor's, or Git's autocrlf) or a byte
    order mark keeps them: ruamel is given the text without, and they are
    put back."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix(bom)
    if "\r\n" in text and text.count("\r\n") == text.count("\n"):
        return bom + _recorded(text.replace("\r\n", "\n"), status, step).replace("\n", "\r\n")
    return bom + _recorded(text, status, step)


def _load_exactly(text: str, make: Callable[[tuple[int, int, int]], YAML], what: str) -> tuple[YAML, Any]:
    """The round-trip reader (of the indentations in :data:`_INDENTS`) that
    writes ``text`` back byte for byte, and what it read; EditRefused when
    none does (an edit would reformat the file) or the text is no YAML."""
    try:
        y = next((y for y in map(make, _INDENTS) if _dump(y, y.load(text)) == text), None)
    except RuamelError as exc:
        raise EditRefused(f"{what} cannot be read for editing ({exc.__class__.__name__})") from None
    if y is None:
        raise EditRefused(f"{what} is laid out in a way that cannot be edited without reformatting it")
    return y, y.load(text)


def _recorded(text: str, status: str, step: dict[str, Any]) -> str:
    y, data = _load_exactly(text, _yaml, "report.yaml")
    if not isinstance(data, CommentedMap):
        raise EditRefused("report.yaml is not a mapping")
    data["status"] = status
    entry = CommentedMap(step)
    history = data.get("review")
    if history is None:
        history = CommentedSeq()
        keys = list(data)
        after = next((k for k in _AFTER if k in data and not _comment_lines_after(data, k)), keys[-1])
        data.insert(keys.index(after) + 1, "review", history)
    elif not isinstance(history, CommentedSeq):
        raise EditRefused("review in report.yaml is not a list")
    if history and isinstance(history[-1], CommentedMap) and history[-1].fa.flow_style():
        # the style of the items before it; ruamel also misplaces a block
        # mapping's line breaks after a flow mapping with a comment
        entry.fa.set_flow_style()
    history.append(entry)
    _comments_follow(history)
    new = _dump(y, data)
    _only_status_and_review(text, new)
    return new


def _comments_follow(history: CommentedSeq) -> None:
    """Move the comment lines below the item before the new entry (ruamel
    keeps them with that item: "# hoofdstukken" above the next key) below
    the new entry, so that they stay above the key they are about; that item
    keeps its own end-of-line comment."""
    if len(history) < 2:
        return
    at, last, entry = len(history) - 2, history[-2], history[-1]
    slots: list[tuple[list[Any], int]] = []
    if history.ca.items.get(at):
        slots.append((history.ca.items[at], 0))  # a flow mapping's, or a scalar's
    if isinstance(last, CommentedMap) and len(last) and last.ca.items.get(list(last)[-1]):
        slots.append((last.ca.items[list(last)[-1]], 2))  # a block mapping's last key
    for tokens, i in slots:
        token = tokens[i] if len(tokens) > i else None
        if not isinstance(token, CommentToken) or "\n" not in token.value:
            continue
        own, _, rest = token.value.partition("\n")
        if not rest.strip():
            continue
        tokens[i] = CommentToken(own + "\n", token.start_mark) if own else None
        moved = CommentToken("\n" + rest, token.start_mark)
        if entry.fa.flow_style():
            history.ca.items[at + 1] = [moved, None, None, None]
        else:
            entry.ca.items[list(entry)[-1]] = [None, None, moved, None]
        return


def _comment_lines_after(data: CommentedMap, key: str) -> bool:
    """Whether comment lines follow ``key``'s line (ruamel keeps them, with
    the line's own comment, in the third slot of the key's comment record)."""
    tokens = data.ca.items.get(key) or [None, None, None, None]
    after = getattr(tokens[2], "value", None) if len(tokens) > 2 else None
    return isinstance(after, str) and "#" in after.partition("\n")[2]


def _only_status_and_review(old: str, new: str) -> None:
    """Every line of ``old`` but the status and review keys is in ``new``, in order."""
    lines = iter(new.splitlines())
    for line in old.splitlines():
        if _CHANGED.match(line):
            continue
        if not any(line == other for other in lines):
            raise EditRefused(f"the edit would change this line of report.yaml: {line.strip()[:80]!r}")


def step_entry(step: str, date: dt.date, by: str, role: str | None, commit: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"step": step, "date": date}
    if role:
        entry["role"] = role
    entry.update(by=by, commit=commit)
    return entry


def replace(path: Path, expected: str, new: str, what: str = "the step") -> None:
    """Write ``new`` over ``path`` atomically, if it still holds ``expected``.

    A symbolic link is refused: the rename would put a file in its place."""
    if path.is_symlink():
        raise EditRefused(f"{path} is a symbolic link; {what} is recorded in the file it points to, by hand")
    if path.read_bytes().decode("utf-8", "replace") != expected:
        raise EditRefused(f"{path} changed while {what} was being recorded; run the command again")
    write_text_atomically(path, new, path.stat().st_mode & 0o7777)


# --- sources.yaml: abuild archive records a source's archived copy ----------

# the lines an archive record may replace (an earlier record of the same source)
_ARCHIVE_LINE = re.compile(r"^\s*(archive|file|sha256|captured|status)\s*:")


def archived(text: str, records: dict[str, dict[str, Any]]) -> str:
    """``text`` (a CSL YAML list) with ``archive: records[id]`` set on each
    source whose id is a key of ``records``, after its last key (an earlier
    ``archive`` is replaced where it stands). Raises :class:`EditRefused`;
    line ends and a byte order mark are kept as :func:`recorded` keeps them."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix(bom)
    if "\r\n" in text and text.count("\r\n") == text.count("\n"):
        return bom + _archived(text.replace("\r\n", "\n"), records).replace("\n", "\r\n")
    return bom + _archived(text, records)


def _source_yaml(indent: tuple[int, int, int]) -> YAML:
    y = _yaml(indent)
    # authors are written [{literal: Human Rights Watch}]; ruamel would drop the braces
    y.brace_single_entry_mapping_in_flow_sequence = True
    return y


def _archived(text: str, records: dict[str, dict[str, Any]]) -> str:
    y, data = _load_exactly(text, _source_yaml, "the file")
    if not isinstance(data, CommentedSeq):
        raise EditRefused("the file is not a list of sources")
    todo = dict(records)
    rewritten: set[int] = set()  # the lines of flow-style sources, which gain the record on their line
    for i, item in enumerate(data):
        if not isinstance(item, CommentedMap) or str(item.get("id")) not in todo:
            continue
        entry = CommentedMap(todo.pop(str(item.get("id"))))
        old = item.get("archive")
        if old is not None:
            if isinstance(old, CommentedMap) and old.fa.flow_style():
                entry.fa.set_flow_style()
            elif isinstance(old, CommentedMap):
                _move_trailing_comment(old, entry)  # the blank line or comment after the old record
            item["archive"] = entry  # where it stood
            continue
        if item.fa.flow_style():
            entry.fa.set_flow_style()
            rewritten.add(data.lc.item(i)[0])
        else:
            _move_trailing_comment(item, entry)
        item["archive"] = entry
    if todo:
        raise EditRefused(f"no source with id {next(iter(todo))} in the file")
    new = _dump(y, data)
    lines = iter(new.splitlines())
    for n, line in enumerate(text.splitlines()):
        if n in rewritten or _ARCHIVE_LINE.match(line):
            continue
        if not any(line == other for other in lines):
            raise EditRefused(f"the edit would change this line: {line.strip()[:80]!r}")
    return new


def _move_trailing_comment(item: CommentedMap, entry: CommentedMap) -> None:
    """The comment and blank lines after a source (or after the record it replaces) (ruamel keeps them with its
    last key: "# Internationale organisaties" above the next source) go after
    the new ``archive`` block, so that they stay above what they are about;
    the last key keeps its own end-of-line comment."""
    node: Any = item
    while isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        value = node[key]
        tokens = node.ca.items.get(key)
        if tokens and len(tokens) > 2 and isinstance(tokens[2], CommentToken):
            mark = tokens[2].start_mark
            own, _, rest = tokens[2].value.partition("\n")
            if rest:
                tokens[2] = CommentToken(own + "\n", mark) if own else None
                entry.ca.items[list(entry)[-1]] = [None, None, CommentToken("\n" + rest, mark), None]
            return
        node = value
