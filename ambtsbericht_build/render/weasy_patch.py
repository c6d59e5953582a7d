"""A WeasyPrint patch's life: what it replaces, installed, asked, removed.

Each ``render/weasy_*.py`` module replaces one or more of WeasyPrint 70's
functions with its own and offers ``require``, ``enabled``, ``apply`` and
``remove``; seventeen modules spelled those four out alike (duplicates
--change), so they describe their replacements with a :class:`Swaps` and
take its four methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def _always() -> bool:
    return True


def _nothing() -> None:
    return None


class Swaps:
    """Attributes of WeasyPrint's modules or classes replaced together.

    ``swaps``: (owner, name, ours); the originals are what the owners hold
    when the Swaps is made (the module's import). ``ready``: False when the
    patch must not be installed on this machine (WeasyPrint's own stays, and
    :meth:`apply` says False). ``cleared``: what :meth:`remove` forgets too
    (a memo)."""

    def __init__(
        self,
        what: str,
        swaps: Sequence[tuple[object, str, object]],
        supported: tuple[str, ...],
        *,
        ready: Callable[[], bool] = _always,
        cleared: Callable[[], None] = _nothing,
    ) -> None:
        self.what = what
        self.supported = supported
        self.swaps = [(owner, name, ours, getattr(owner, name)) for owner, name, ours in swaps]
        self.ready = ready
        self.cleared = cleared

    def require(self) -> None:
        """PatchVersionError on any WeasyPrint but the supported ones."""
        import weasyprint

        from ..tools import require_version

        require_version("WeasyPrint", weasyprint.__version__, self.supported, self.what)

    def enabled(self) -> bool:
        # the owner's own attribute: a class that inherits WeasyPrint's is not patched
        return all(vars(owner).get(name) is ours for owner, name, ours, _ in self.swaps)

    def apply(self) -> bool:
        """Install the patch (True), unless it is not ready here (False);
        PatchVersionError, and nothing changed, on any WeasyPrint but the
        supported ones."""
        self.require()
        if not self.ready():
            return False
        for owner, name, ours, _ in self.swaps:
            setattr(owner, name, ours)
        return True

    def remove(self) -> None:
        for owner, name, _, original in self.swaps:
            setattr(owner, name, original)
        self.cleared()
