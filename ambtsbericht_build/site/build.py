"""``abuild publish``: the publication site, in named stages.

The site directory is the record of what was published. An edition already
in it is never rendered again: its files are verified against its manifest
and its metadata (a changed file stops the build), and kept byte for byte.
An edition not yet in it is rendered, from its tag's tree (with the tag's
commit time as SOURCE_DATE_EPOCH) or from the working tree, by ``abuild
render`` in a child process, so that findings refuse it exactly as they
refuse a render. The new site is built beside the old one and takes its
place at the end: an interrupted build leaves the old site as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..diff.revisions import DiffRefused, Revision, export
from ..load import LoadOptions
from ..load.files import sha256_file
from ..load.yamlpos import load_yaml
from ..models import Report
from ..models.site import Download, EditionRecord, PublicationStyle
from ..publish.manifest import ManifestError, verify
from .editions import CONCEPT, Edition, EditionError, current_edition, tagged_editions
from .metadata import MEDIA_TYPES, diwoo, publication_style
from .pages import Pages
from .revision import RevisionError


class SiteFailed(Exception):
    """The site cannot be built (one line, for the user)."""


@dataclass
class SiteOptions:
    out: Path
    base_url: str | None = None
    include_concepts: bool = False
    progress: Callable[[str], None] = lambda line: None


@dataclass
class SiteResult:
    rendered: list[str] = field(default_factory=list)  # "<slug>/<version>" rendered by this build
    kept: list[str] = field(default_factory=list)  # verified and kept
    reports: int = 0


MARKER = ".abuild-site"  # in the site directory: it is one, and may be replaced


def build_site(root: Path, report_dirs: list[Path], opts: SiteOptions) -> SiteResult:
    """Find the editions, keep the published ones, render the new ones,
    write the pages, put the new site in place."""
    refuse_foreign(opts.out)
    style = _style(root)
    editions = find_editions(root, report_dirs, opts.include_concepts)
    published = verify_published(opts.out)
    result = SiteResult()
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".abuild-site-", dir=opts.out.parent) as tmp:
        new = Path(tmp) / "site"
        records = keep_published(published, new, result)
        for e in editions:
            if e.path in records:
                continue
            opts.progress(f"render     {e.path}" + (f" (tag {e.tag})" if e.tag else " (working tree)"))
            records[e.path] = render_edition(root, e, new / e.slug / e.version, style)
            result.rendered.append(e.path)
        write_pages(new, records, style, opts.base_url)
        (new / MARKER).write_text("a publication site written by abuild publish\n", encoding="utf-8")
        result.reports = len({r.slug for r in records.values()})
        replace_site(new, opts.out)
    return result


def refuse_foreign(out: Path) -> None:
    """The site directory is replaced as a whole: never a directory that
    holds anything else (``--out build`` by mistake)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise SiteFailed(f"{out} is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteFailed(f"{out} holds other files and is no site of abuild publish: choose an empty or new directory")


def _style(root: Path) -> PublicationStyle:
    try:
        return publication_style(root)
    except (OSError, ValueError) as exc:
        raise SiteFailed(f"publication style: {exc}") from None


def find_editions(root: Path, report_dirs: list[Path], include_concepts: bool) -> list[Edition]:
    reports: dict[str, Report] = {}
    for d in report_dirs:
        path = d / "report.yaml"
        try:
            data, _ = load_yaml(path.read_text(encoding="utf-8"))
            reports[d.name] = Report.model_validate(data)
        except (OSError, UnicodeDecodeError, ValueError, ValidationError) as exc:
            raise SiteFailed(f"{path}: cannot be read ({str(exc).splitlines()[0]}); `abuild check` says why") from None
    try:
        tagged = tagged_editions(root, set(reports))
    except (EditionError, RevisionError) as exc:
        raise SiteFailed(str(exc)) from None
    current = [current_edition(slug, r, tagged, include_concepts) for slug, r in sorted(reports.items())]
    return tagged + [e for e in current if e is not None]


def verify_published(out: Path) -> dict[str, tuple[Path, EditionRecord]]:
    """The editions already in the site, each verified: every file its
    manifest and its metadata name has the sha256 they record."""
    found: dict[str, tuple[Path, EditionRecord]] = {}
    if not out.is_dir():
        return found
    for meta in sorted(out.glob("*/*/metadata.json")):
        edition = meta.parent
        rel = f"{edition.parent.name}/{edition.name}"
        if edition.name == CONCEPT:
            continue  # a concept is rebuilt every time, never an edition of record
        try:
            record = EditionRecord.model_validate_json(meta.read_bytes())
            checks = verify(edition / record.manifest.file, inputs=False)
        except (OSError, ValueError, ManifestError) as exc:
            raise SiteFailed(f"{rel}: the published edition cannot be read ({str(exc).splitlines()[0]})") from None
        bad = [str(c).strip() for c in checks if c.status != "ok"]
        for d in [*record.downloads, record.manifest]:
            f = edition / d.file
            if not f.is_file():
                bad.append(f"{d.file}: missing")
            elif sha256_file(f) != d.sha256:
                bad.append(f"{d.file}: sha256 differs from metadata.json")
        if bad:
            raise SiteFailed(
                f"{rel}: a published file changed: {'; '.join(map(str, bad))}; published editions never change"
            )
        found[rel] = (edition, record)
    return found


def keep_published(
    published: dict[str, tuple[Path, EditionRecord]], new: Path, result: SiteResult
) -> dict[str, EditionRecord]:
    records = {}
    for rel, (edition, record) in published.items():
        files = [d.file for d in [*record.downloads, record.manifest]] + ["metadata.json"]
        (new / rel).mkdir(parents=True)
        for name in files:
            shutil.copy2(edition / name, new / rel / name)
        records[rel] = record
        result.kept.append(rel)
    return records


def render_edition(root: Path, e: Edition, dest: Path, style: PublicationStyle) -> EditionRecord:
    """Render one edition with ``abuild render`` into ``dest``."""
    with tempfile.TemporaryDirectory(prefix="abuild-edition-") as tmp:
        env = dict(os.environ)
        report_dir = root / "reports" / e.slug
        if e.tag is not None and e.commit is not None and e.epoch is not None:
            tree = Path(tmp) / "tree"
            try:
                report_dir = export(
                    root, Revision(e.tag, e.commit, e.epoch), f"reports/{e.slug}", tree, LoadOptions.max_bytes
                )
            except DiffRefused as exc:
                raise SiteFailed(f"{e.path}: {exc}") from None
            env["SOURCE_DATE_EPOCH"] = str(e.epoch)
            env["GIT_CEILING_DIRECTORIES"] = tmp  # the tree is no repository; git must not look above it
        rendered = Path(tmp) / "out"
        proc = subprocess.run(
            [sys.executable, "-m", "ambtsbericht_build", "render", str(report_dir), "--out", str(rendered)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
            raise SiteFailed(f"{e.path}: the render was refused: {lines[-1] if lines else 'no message'}")
        dest.mkdir(parents=True)
        downloads = []
        for fmt in ("html", "pdf", "docx", "odt"):
            f = rendered / f"{e.slug}.{fmt}"
            if f.is_file():
                shutil.copy2(f, dest / f.name)
                downloads.append(_download(dest / f.name, fmt))
        manifest = rendered / f"{e.slug}.manifest.json"
        shutil.copy2(manifest, dest / manifest.name)
    r = e.report
    record = EditionRecord(
        slug=e.slug,
        version=e.version,
        title=r.title,
        country=r.country,
        kind=r.kind.value,
        language=r.language,
        status=r.status.value,
        date=r.date,
        reference_period=(r.reference_period.start, r.reference_period.end),
        tag=e.tag,
        commit=e.commit,
        downloads=downloads,
        manifest=_download(dest / manifest.name, "json"),
        diwoo={},
    )
    record.diwoo = diwoo(record, style, r.issuer, r.responsible_unit)
    (dest / "metadata.json").write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8", newline="\n")
    return record


def _download(path: Path, fmt: str) -> Download:
    return Download(
        format=fmt,
        file=path.name,
        bytes=path.stat().st_size,
        sha256=sha256_file(path),
        media_type=MEDIA_TYPES.get(fmt, "application/json"),
    )


def write_pages(new: Path, records: dict[str, EditionRecord], style: PublicationStyle, base_url: str | None) -> None:
    pages = Pages(new, style, base_url)
    by_slug: dict[str, list[EditionRecord]] = defaultdict(list)
    for record in records.values():
        pages.edition(record)
        by_slug[record.slug].append(record)
    for slug, recs in by_slug.items():
        pages.report(slug, recs)
    pages.index(by_slug.items())


def replace_site(new: Path, out: Path) -> None:
    """The new site takes the old one's place: two renames, the old site
    removed only once the new one is there."""
    old = new.parent / "old"
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)
