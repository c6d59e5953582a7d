"""``abuild rules``: every check code with its severity, summary and explanation.

``abuild rules --format markdown`` is docs/checks.md (a test keeps the file up
to date).
"""

from __future__ import annotations

from ..output.rules import render_rules_markdown, render_rules_text

FORMATS = ("text", "markdown")


class UnknownCode(ValueError):
    pass


def list_rules(fmt: str = "text", codes: list[str] | tuple[str, ...] = ()) -> str:
    """The rules (all, or those in ``codes``) in ``fmt``: text or markdown."""
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
        return render_rules_text(registry)
    raise ValueError(f"unknown format {fmt!r}")
