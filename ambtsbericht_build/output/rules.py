"""The rule registry as a drafter reads it: ``abuild rules``, docs/checks.md, SARIF rule help.

Everything is written from each rule's :class:`~ambtsbericht_build.check.RuleDoc`
(what it finds, why it matters, an example, the fix), so the terminal, the
documentation and GitHub code scanning say the same thing.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..diagnostics import Severity

if TYPE_CHECKING:  # the registry is imported when needed: it loads the whole check stage
    from ..check import Rule, Snippet

FAMILY_TITLES = {
    "load": "reading the report",
    "structure": "structure",
    "claims": "claims and citations",
    "notes": "footnotes",
    "citations": "citations",
    "sources": "sources",
    "confidential_sources": "confidential sources",
    "confidential": "secrets in the public text",
    "tor": "Terms of Reference",
    "content": "content",
    "dates": "dates",
    "publication": "publication",
}

# the sections of a rule's explanation, in order, as headed in every output
FINDS, WHY, EXAMPLE, FIX = "What it finds", "Why it matters", "Example", "Fix"

# said of every rule whose findings refuse every render (Rule.confidentiality)
CONFIDENTIALITY = "Confidentiality: refuses every render, whatever the status"


def prose(text: str) -> str:
    """A prose field as plain paragraphs: indentation removed, each paragraph on one line."""
    text = inspect.cleandoc(text)
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def rule_doc(rule: Rule) -> str:
    """What the rule finds, as plain paragraphs (Markdown code spans kept)."""
    return prose(rule.doc.finds)


def rule_level(rule: Rule) -> str:
    return "error" if rule.severity is Severity.ERROR else "warning"


def family_title(rule: Rule) -> str:
    return FAMILY_TITLES.get(rule.family, rule.family)


def _plain(text: str) -> str:
    """Text without Markdown code marks, for SARIF short descriptions."""
    return text.replace("`", "")


def _rules(registry: Mapping[str, Rule] | None = None) -> list[Rule]:
    if registry is None:
        from ..check import REGISTRY

        registry = REGISTRY
    return [r for _, r in sorted(registry.items())]


# --- text ---------------------------------------------------------------------------


def _fill(para: str, width: int, indent: str = "    ") -> str:
    # keep `code spans` on one line: protect their spaces while wrapping
    para = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\x00"), para)
    filled = textwrap.fill(
        para,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return filled.replace("\x00", " ")


def _text_prose(text: str, width: int) -> list[str]:
    out: list[str] = []
    for i, para in enumerate(prose(text).split("\n\n")):
        if i:
            out.append("")
        out.append(_fill(para, width))
    return out


def _text_snippets(snippets: tuple[Snippet, ...]) -> list[str]:
    out: list[str] = []
    for s in snippets:
        out += ["", f"    {s.where.replace('`', '')}:", ""]
        out += [f"        {line}".rstrip() for line in s.text.splitlines()]
    return out


def render_rule_text(rule: Rule, *, width: int = 79) -> str:
    """One rule in full, for the terminal (``abuild rules CODE``)."""
    doc = rule.doc
    out = [_list_line(rule), ""]
    if rule.confidentiality:
        out += [f"{CONFIDENTIALITY}.", ""]
    out += [FINDS, *_text_prose(doc.finds, width), ""]
    out += [WHY, *_text_prose(doc.why, width), ""]
    out += [EXAMPLE, *_text_snippets(doc.example)[1:], ""]
    out += [FIX, *_text_prose(doc.fix, width)]
    if doc.fixed:
        out += _text_snippets(doc.fixed)
    return "\n".join(out) + "\n"


def render_rules_list(registry: Mapping[str, Rule] | None = None) -> str:
    """Every rule on one line: code, severity, summary (``abuild rules``)."""
    return "".join(_list_line(r) + "\n" for r in _rules(registry))


def _list_line(rule: Rule) -> str:
    # the same line opens the rule's explanation, so a listing and an explanation align
    return f"{rule.code}  {rule_level(rule):<7}  {rule.summary}"


def render_rules_text(registry: Mapping[str, Rule] | None = None, *, width: int = 79) -> str:
    """Rules in full, separated by a blank line."""
    return "\n".join(render_rule_text(r, width=width) for r in _rules(registry))


# --- Markdown -----------------------------------------------------------------------


def _md_text(text: str) -> str:
    """Escape what Markdown would take as HTML or table syntax, outside code spans."""
    parts = re.split(r"(`[^`]*`)", text)
    for i, p in enumerate(parts):
        if i % 2 == 0:
            parts[i] = p.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(parts)


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|")


def _md_prose(text: str) -> str:
    return "\n\n".join(_md_text(p) for p in prose(text).split("\n\n"))


def _md_snippets(snippets: tuple[Snippet, ...]) -> list[str]:
    out: list[str] = []
    for s in snippets:
        out += ["", f"{s.where}:", "", f"```{s.lang}", s.text.replace("\r\n", "\n").rstrip("\n"), "```"]
    return out


def render_rule_markdown(rule: Rule, *, heading: str = "##") -> str:
    """One rule as a Markdown section (docs/checks.md, SARIF help)."""
    doc = rule.doc
    out = [
        f"{heading} {rule.code}",
        "",
        f"**{_md_text(rule.summary)}** ({rule_level(rule)}; {family_title(rule)})",
        "",
        *([f"**{CONFIDENTIALITY}.**", ""] if rule.confidentiality else []),
        f"**{FINDS}.** {_md_prose(doc.finds)}",
        "",
        f"**{WHY}.** {_md_prose(doc.why)}",
        "",
        f"**{EXAMPLE}.**",
        *_md_snippets(doc.example),
        "",
        f"**{FIX}.** {_md_prose(doc.fix)}",
        *_md_snippets(doc.fixed),
    ]
    return "\n".join(out) + "\n"


MARKDOWN_INTRO = """\
`abuild check` reports every finding with a code, a severity, the place in the
file the drafter edits (`file:line:column`) and a message. An **error** makes
`abuild check` exit with status 1; a **warning** does so only with `--strict`
(which `make check` and CI use). A report whose status is `vastgesteld` or
`gepubliceerd` is not rendered while it has errors. A finding of a rule marked
**Confidentiality: refuses every render** stops every render, a concept's too:
concepts circulate outside the team for review, so a leak in a concept is a
leak.

The hundreds group the checks: 0xx reading the report, 1xx citations and
sources, 2xx Terms of Reference, 3xx confidentiality, 4xx content, 5xx dates and
publication.

Every example below is run by the test suite (`tests/check/test_rule_examples.py`):
put into a small valid report, it makes `abuild check` report its code, and the
corrected snippet under **Fix** leaves no finding at all. A snippet "in a
chapter" is a chapter of its own; in `report.yaml` or `tor.yaml` its keys
replace the report's; in `sources.yaml` its entries are added; in a file under
`media/`, `archive/` or `bibliography/` it is that file of the report. A fix replaces
the example's snippet for the same file and comes on top of it for another.
The example report cites `hrw-2025`, answers ToR questions 1.1 and 1.2, and has
`media/kaart.png` and the heading `{#sec-verkiezingen}`.
"""


def render_rules_markdown(registry: Mapping[str, Rule] | None = None) -> str:
    rules = _rules(registry)
    out = [
        "# Checks",
        "",
        "<!-- Generated by `abuild rules --format markdown > docs/checks.md` from the rule",
        "     registry (each rule's RuleDoc, beside the rule in ambtsbericht_build/check/);",
        "     edit the rules, not this file. A test fails when this file is out of date. -->",
        "",
        MARKDOWN_INTRO,
        "| Code | Severity | Rule |",
        "|------|----------|------|",
    ]
    for r in rules:
        out.append(f"| [{r.code}](#{r.code.lower()}) | {rule_level(r)} | {_md_cell(r.summary)} |")
    text = "\n".join(out) + "\n"
    return text + "".join("\n" + render_rule_markdown(r) for r in rules)


# --- SARIF --------------------------------------------------------------------------


def render_rule_help_text(rule: Rule) -> str:
    """The SARIF ``help.text``: the same sections, as plain text."""
    return render_rule_text(rule)


def render_rule_help_markdown(rule: Rule) -> str:
    """The SARIF ``help.markdown``: the rule's docs/checks.md section, without its heading."""
    return render_rule_markdown(rule).split("\n", 2)[2]
