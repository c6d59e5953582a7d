"""The house style: HTML template, CSS, CSL citation style, fonts and the
DOCX/ODT reference documents, shipped as package data in
``ambtsbericht_build/templates/``, and the overrides a report repository may
put in its own ``templates/``.

Every reader of a house-style file goes through this module, so that an
installed abuild (a wheel, pipx) finds its files as the checkout does, and a
repository's own file wins where it has one:

    style = HouseStyle.for_repo(lr.repo.root)
    style.path("css/screen.css")   # templates/css/screen.css of the repository if present, else abuild's

Only the files the renderer reads can be overridden (:data:`OVERRIDABLE`),
and an override is used only when it is a regular file inside the
repository, reached without a symbolic link: a link could make a render read
(and embed) a file from outside the repository, which the publication safety
rules forbid. Such an override is refused with :class:`HouseStyleError`
rather than silently replaced by abuild's file, so a drafter never publishes
a report in a style other than the one they committed.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

# an ordinary installation unpacks the package, so its files are real paths
# that pandoc and WeasyPrint can be given
TEMPLATES = Path(str(files("ambtsbericht_build") / "templates"))

# the directory of a report repository that holds its overrides
REPO_DIR = "templates"

# Every house-style file the renderer reads, relative to the templates
# directory. The fonts are fetched by WeasyPrint through the URLs in
# fonts/fonts.css (relative to fonts/), so an override of a font keeps its
# name. The README and licence of the fonts are not read by a render.
OVERRIDABLE: tuple[str, ...] = (
    "colofon.yaml",
    "csl/ambtsbericht.csl",
    "css/common.css",
    "css/print.css",
    "css/screen.css",
    "fonts/NotoSans-Bold.ttf",
    "fonts/NotoSans-BoldItalic.ttf",
    "fonts/NotoSans-Italic.ttf",
    "fonts/NotoSans-Regular.ttf",
    "fonts/fonts.css",
    "html/report.html.j2",
    "reference.docx",
    "reference.odt",
)

# read by `abuild publish`, not by a render (site/metadata.py): a repository
# overrides it there, so a render does not call it unused
PUBLICATION_FILES: tuple[str, ...] = ("publication.yaml",)
# the publication site's own pages and style (site/pages.py), abuild's only
SITE_DIR = "site"


def template_path(rel: str) -> Path:
    """abuild's own house-style file ``rel`` (a path relative to the templates
    directory), whatever the repository overrides; see :class:`HouseStyle`."""
    return TEMPLATES / rel


class HouseStyleError(Exception):
    """An override the render may not read (one line, for the drafter)."""


@dataclass(frozen=True)
class StyleFile:
    """One house-style file a render uses."""

    rel: str  # relative to the templates directory: "css/screen.css"
    path: Path  # the file read
    origin: str  # "repository" (an override) or "abuild" (the installed package)


def _override(root: Path, rel: str) -> Path | None:
    """``root/templates/rel`` when the repository overrides ``rel``; None when
    it has no such file; HouseStyleError when the file may not be read."""
    shown = f"{REPO_DIR}/{rel}"
    path = root / REPO_DIR
    for part in rel.split("/"):
        try:
            st = path.lstat()
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(st.st_mode):
            raise HouseStyleError(
                f"{shown}: {path.relative_to(root).as_posix()} is a symbolic link;"
                " an override must be a file in the repository"
            )
        if not stat.S_ISDIR(st.st_mode):
            return None  # e.g. a file named templates: nothing is overridden below it
        path = path / part
    try:
        st = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(st.st_mode):
        raise HouseStyleError(f"{shown} is a symbolic link; an override must be a file in the repository")
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        raise HouseStyleError(f"{shown} is not a regular file")
    return path


@dataclass(frozen=True)
class HouseStyle:
    """The house style of one render: abuild's files, with the repository's
    overrides where it has them. Resolved once, when created, so every
    reader of a render sees the same files."""

    root: Path | None
    _files: dict[str, StyleFile] = field(repr=False)

    @classmethod
    def for_repo(cls, root: Path | None) -> HouseStyle:
        """The house style for the repository at ``root`` (``lr.repo.root``);
        None: abuild's own files only."""
        resolved: dict[str, StyleFile] = {}
        for rel in OVERRIDABLE:
            own = _override(root, rel) if root is not None else None
            if own is not None:
                resolved[rel] = StyleFile(rel, own, "repository")
            else:
                resolved[rel] = StyleFile(rel, TEMPLATES / rel, "abuild")
        return cls(root, resolved)

    def to_json(self) -> dict[str, object]:
        """The resolved style, for a writer process: it gets the files the
        main process resolved (and recorded), not a second look at the
        repository that could differ."""
        return {
            "root": None if self.root is None else str(self.root),
            "files": {rel: [str(f.path), f.origin] for rel, f in self._files.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HouseStyle:
        root = data.get("root")
        resolved = {}
        for rel in OVERRIDABLE:
            path, origin = data["files"][rel]
            resolved[rel] = StyleFile(rel, Path(path), origin)
        return cls(None if root is None else Path(root), resolved)

    def path(self, rel: str) -> Path:
        """The file to read for ``rel`` (one of :data:`OVERRIDABLE`)."""
        try:
            return self._files[rel].path
        except KeyError:
            raise KeyError(f"{rel!r} is not a house-style file (see house_style.OVERRIDABLE)") from None

    def read_text(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def files(self) -> list[StyleFile]:
        """Every file of the style, in :data:`OVERRIDABLE` order: what the
        manifest records."""
        return [self._files[rel] for rel in OVERRIDABLE]

    def overrides(self) -> list[StyleFile]:
        return [f for f in self.files() if f.origin == "repository"]

    def unused(self) -> list[str]:
        """Files in the repository's ``templates/`` that override nothing (a
        misspelt name, a file abuild does not read), relative to it; the
        README and scripts a repository keeps there are not listed."""
        if self.root is None:
            return []
        base = self.root / REPO_DIR
        if base.is_symlink() or not base.is_dir():
            return []
        out = []
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base).as_posix()
            if (
                p.is_file()
                and rel not in self._files
                and rel not in PUBLICATION_FILES
                and p.suffix not in (".py", ".md", ".txt", ".pyc")
            ):
                out.append(rel)
        return out

    def fetch_path(self, path: Path) -> Path | None:
        """For WeasyPrint's fetcher: the file to serve for ``path``, a file of
        abuild's templates directory as URLs relative to the base URL name it
        (the fonts of fonts.css); None when ``path`` is not a house-style file."""
        try:
            rel = Path(path).resolve().relative_to(TEMPLATES.resolve()).as_posix()
        except ValueError:
            return None
        return self._files[rel].path if rel in self._files else None

    def jinja_loader(self) -> jinja2.BaseLoader:
        """A loader that serves the HTML templates of this style by their name
        in ``html/`` (``report.html.j2``), and nothing else."""
        import jinja2

        def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
            rel = f"html/{name}"
            if rel not in self._files:
                return None
            path = self._files[rel].path
            mtime = path.stat().st_mtime
            return path.read_text(encoding="utf-8"), str(path), lambda: path.stat().st_mtime == mtime

        return jinja2.FunctionLoader(load)
