"""abuild: build toolchain for ambtsberichten (country-of-origin reports)."""

from importlib.metadata import PackageNotFoundError, version

try:
    # the version of the installed distribution (pyproject.toml), so the
    # wheel, the editable install and the manifest all say the same
    __version__ = version("ambtsbericht-build")
except PackageNotFoundError:  # a checkout on sys.path that was never installed
    __version__ = "0+unknown"
