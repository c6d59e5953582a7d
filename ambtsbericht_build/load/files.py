"""Reading report files safely.

Every file a report names is read through :func:`read_text`, which refuses
what a drafter did not mean to give us (a directory, a binary, a file behind a
symlink that leaves the repository, a file larger than the limit) with a
diagnostic instead of an exception, and accepts what editors produce (a UTF-8
BOM, CRLF line endings) without shifting line numbers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Repo:
    """The repository a report lives in: nothing outside ``root`` is read."""

    root: Path

    @classmethod
    def for_report(cls, report_dir: Path) -> Repo:
        """The repository the report directory is in *as written*: its
        parents are not reached through symlinks, so a report directory that
        is a symlink to somewhere else is not inside the repository it is in
        (:meth:`report_escapes`), instead of making that somewhere the
        repository."""
        absolute = Path(os.path.abspath(report_dir))  # ".." folded, no symlink followed
        for parent in (absolute, *absolute.parents):
            if parent.is_symlink():
                continue  # its .git would be the link target's
            if (parent / ".git").exists():
                return cls(parent.resolve())
        if absolute.parent.name == "reports":
            return cls(absolute.parent.parent.resolve())
        return cls(absolute.resolve())

    def report_escapes(self, report_dir: Path) -> bool:
        """True when the report directory, with its symlinks resolved, lies
        outside the repository (a committed symlink to another directory)."""
        return not self.contains(report_dir)

    def contains(self, path: Path) -> bool:
        """True when ``path``, with every symlink resolved, is inside the repository."""
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):
            return False
        return True


def read_text(
    path: Path,
    repo: Repo,
    diags: Diagnostics,
    *,
    code: str = "AB001",
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_empty: bool = False,
) -> str | None:
    """Return the file's text with BOM removed and CRLF/CR folded to LF.

    On any problem, add one ``code`` diagnostic for ``path`` and return None.
    """

    def fail(message: str, line: int = 0, column: int = 0) -> None:
        diags.error(code, path, line, column, message)

    if not repo.contains(path):
        fail("file is outside the repository (a symlink or '..' path leaves it); it is not read")
        return None
    try:
        st = path.stat()
    except FileNotFoundError:
        fail("file does not exist")
        return None
    except OSError as exc:
        fail(f"file cannot be read: {exc.strerror or exc}")
        return None
    if path.is_dir():
        fail("is a directory, not a file")
        return None
    if not path.is_file():
        fail("is not a regular file")
        return None
    if st.st_size > max_bytes:
        fail(f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes (see --max-file-size)")
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        fail(f"file cannot be read: {exc.strerror or exc}")
        return None
    if len(data) > max_bytes:
        fail(f"file is over the limit of {max_bytes:,} bytes (see --max-file-size)")
        return None
    if b"\x00" in data:
        line, col = _byte_position(data, data.index(b"\x00"))
        fail("file is binary (contains NUL bytes), not UTF-8 text", line, col)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        fail(f"file is not UTF-8: invalid byte 0x{data[exc.start]:02x}", line, col)
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not allow_empty and not text.strip():
        fail("file is empty")
        return None
    return text


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as an editor counts) of a byte."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    if line == 1 and prefix.startswith("\ufeff"):
        prefix = prefix[1:]
    return line, len(prefix) + 1


def relpath_inside(base: Path, target: str) -> Path:
    """Join a report-relative path; the result is not yet checked for containment."""
    return Path(os.path.normpath(base / target))


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (an archived copy or a
    rendered output can be large): one helper for the check (AB109) and the
    manifest."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
