"""What ``abuild publish`` publishes: the editions of each report.

An edition is a report at one version. A *published* edition is fixed by a
Git tag ``<slug>/v<version>`` on the commit that was adopted (``abuild status
--advance vastgesteld`` prints the command); the working tree adds the
current version when it is vastgesteld or gepubliceerd but not tagged yet,
and, with ``--include-concepts``, a concept (published under
``<slug>/concept/`` with a CONCEPT banner, for preview sites)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..diff.revisions import DiffRefused, resolve
from ..load.yamlpos import load_yaml
from ..models import Report
from .revision import RevisionError, git

# <slug>/v<version>: the slug as `abuild new` makes it, the version as
# report.yaml writes it ("1.0", "2.1-en")
TAG = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)/v(?P<version>[0-9][0-9A-Za-z.-]*)$")
CONCEPT = "concept"  # the directory of a concept edition (no version is called that)


class EditionError(Exception):
    """An edition that cannot be published as it is (one line, for the user)."""


@dataclass(frozen=True)
class Edition:
    slug: str
    version: str  # "1.0"; CONCEPT for a concept
    report: Report  # report.yaml of the edition
    tag: str | None  # the Git tag, None for the working tree
    commit: str | None  # the tag's commit
    epoch: int | None  # its commit time (SOURCE_DATE_EPOCH of the render)

    @property
    def concept(self) -> bool:
        return self.version == CONCEPT

    @property
    def path(self) -> str:
        """Where the edition lives in the site: ``<slug>/<version>``."""
        return f"{self.slug}/{self.version}"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of versions: 1.9 before 1.10; a concept last."""
    if version == CONCEPT:
        return ((2, 0),)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.-]", version))


def _report_at(root: Path, rev: str, slug: str) -> Report:
    rel = f"reports/{slug}/report.yaml"
    try:
        text = git(root, "show", f"{rev}:{rel}")
        data, _ = load_yaml(text)
        return Report.model_validate(data)
    except RevisionError as exc:
        raise EditionError(f"tag {rev}: {rel} cannot be read ({exc})") from None
    except (ValidationError, ValueError) as exc:
        first = str(exc).splitlines()[0]
        raise EditionError(f"tag {rev}: {rel} is not a valid report.yaml ({first})") from None


def tagged_editions(root: Path, slugs: set[str]) -> list[Edition]:
    """The editions fixed by tags, for the reports named; a tag whose
    version or status disagrees with its report.yaml is refused: the tag
    would publish a text under a version it does not carry."""
    out = []
    for tag in sorted(git(root, "tag", "--list").split("\n")):
        m = TAG.match(tag)
        if not m or m["slug"] not in slugs:
            continue
        report = _report_at(root, tag, m["slug"])
        if report.version != m["version"]:
            raise EditionError(f"tag {tag}: report.yaml there says version {report.version}, not {m['version']}")
        if not report.status.final:
            raise EditionError(f"tag {tag}: the report there is {report.status.value}, not vastgesteld or gepubliceerd")
        try:
            rev = resolve(root, tag)
        except DiffRefused as exc:
            raise EditionError(f"tag {tag}: {exc}") from None
        out.append(Edition(m["slug"], m["version"], report, tag, rev.commit, rev.epoch))
    return out


def current_edition(slug: str, report: Report, tagged: list[Edition], include_concepts: bool) -> Edition | None:
    """The working tree's edition of a report, when it adds one: a
    vastgesteld version not tagged yet, or (asked for) a concept."""
    if report.status.final:
        if any(e.slug == slug and e.version == report.version for e in tagged):
            return None  # the tag is the edition
        return Edition(slug, report.version, report, None, None, None)
    if include_concepts:
        return Edition(slug, CONCEPT, report, None, None, None)
    return None
