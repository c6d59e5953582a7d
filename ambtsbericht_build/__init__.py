"""abuild: build toolchain for ambtsberichten (country-of-origin reports)."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # looked up on first use: importing importlib.metadata costs every
    # command ~20 ms, and only --version, the manifest and HTML need it
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        # the version of the installed distribution (pyproject.toml), so the
        # wheel, the editable install and the manifest all say the same
        value = version("ambtsbericht-build")
    except PackageNotFoundError:  # a checkout on sys.path that was never installed
        value = "0+unknown"
    globals()["__version__"] = value
    return value
