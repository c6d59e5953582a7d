"""A rule's documentation, kept beside the rule: what it finds, why, an example, the fix.

Every rule registers a :class:`RuleDoc` with :func:`~ambtsbericht_build.check.rule`.
``abuild rules``, docs/checks.md and the SARIF rule help are all written from
it, so there is one text to keep right.

Examples are :class:`Snippet` objects rather than free text because the test
suite runs them (tests/check/test_rule_examples.py): each example is put into
a small valid report and must make ``abuild check`` report its code; a fix
that is a snippet must make the code go away. A documented example cannot rot.

Where a snippet goes (``target``):

- ``chapter``: a chapter of its own, added to the report;
- ``report.yaml``, ``tor.yaml``: its top-level keys replace the report's;
- ``sources.yaml``: its entries are added to the report's sources;
- ``glossary.yaml``: the report's list of abbreviations (the whole file);
- ``media/<name>``, ``archive/<name>``, ``bibliography/<name>``: a file of
  that name is written (an SVG image, an archived copy of a source, a BibTeX
  or CSL-JSON bibliography that a ``report.yaml`` snippet lists);
  ``translations/<lang>/chapters/<name>.po``: a PO file of a translation.

A fix's snippet replaces the example's snippet for the same target and is
added for another target.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = ("chapter", "report.yaml", "tor.yaml", "sources.yaml", "glossary.yaml")


@dataclass(frozen=True)
class Snippet:
    target: str  # one of TARGETS
    text: str

    def __post_init__(self) -> None:
        if self.target not in TARGETS and not _report_file(self.target):
            raise ValueError(f"unknown snippet target {self.target!r}")

    @property
    def lang(self) -> str:
        """The fenced code block's language."""
        if self.target == "chapter":
            return "markdown"
        if self.target.endswith(".svg"):
            return "xml"
        if self.target.endswith(".bib"):
            return "bibtex"
        if self.target.endswith(".json"):
            return "json"
        if self.target.endswith(".po"):
            return "po"
        return "text" if _report_file(self.target) else "yaml"

    @property
    def where(self) -> str:
        """Where the snippet goes, as a reader is told."""
        return "In a chapter" if self.target == "chapter" else f"In `{self.target}`"


FILE_DIRS = ("media/", "archive/", "bibliography/", "translations/")


def _report_file(target: str) -> bool:
    """``media/<name>`` or ``archive/<name>``: one file name, no directories, no way out;
    ``translations/<lang>/[chapters/]<name>.po``: a PO file."""
    folder, _, name = target.partition("/")
    if folder == "translations":
        parts = name.split("/")
        return 2 <= len(parts) <= 3 and name.endswith(".po") and not {".", "..", ""} & set(parts)
    return folder + "/" in FILE_DIRS and bool(name) and "/" not in name and name not in (".", "..")


def chapter(text: str) -> Snippet:
    return Snippet("chapter", _clean(text))


def yaml_in(target: str, text: str) -> Snippet:
    return Snippet(target, _clean(text))


def _clean(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n") + "\n"


@dataclass(frozen=True)
class RuleDoc:
    """What a drafter needs to know about one check code.

    ``finds``, ``why`` and a text ``fix`` are prose (Markdown code spans
    allowed, paragraphs separated by a blank line); ``example`` and a
    snippet ``fix`` are run by the test suite.
    """

    finds: str  # what the rule reports, precisely enough to predict it
    why: str  # why it matters for an ambtsbericht
    example: tuple[Snippet, ...]  # together trigger the code
    fix: str  # what to do, in words
    fixed: tuple[Snippet, ...] = ()  # the example corrected; empty when the fix is only in words

    def __post_init__(self) -> None:
        if not self.example:
            raise ValueError("a rule needs an example")
