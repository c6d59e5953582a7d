"""``abuild rules``: the check codes, listed or explained.

Without codes it lists every code with its severity and summary, one a line;
with codes it explains each (what it finds, why it matters, an example, the
fix). ``abuild rules --format markdown`` is docs/checks.md (``make docs``
writes it; a test keeps the file up to date).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..output.rules import render_rules_list, render_rules_markdown, render_rules_text

FORMATS = ("text", "markdown")


class UnknownCode(ValueError):
    pass


def list_rules(fmt: str = "text", codes: Sequence[str] = ()) -> str:
    """The rules in ``fmt`` (text or markdown): all of them, or those in ``codes`` explained."""
    from ..check import REGISTRY

    registry = REGISTRY
    if codes:
        wanted = [c.strip().upper() for c in codes]
        unknown = [c for c in wanted if c not in REGISTRY]
        if unknown:
            raise UnknownCode(f"no such check code: {', '.join(unknown)} (abuild rules lists them all)")
        registry = {c: REGISTRY[c] for c in wanted}
    if fmt == "markdown":
        return render_rules_markdown(registry)
    if fmt == "text":
        return render_rules_text(registry) if codes else render_rules_list(registry)
    raise ValueError(f"unknown format {fmt!r}")
