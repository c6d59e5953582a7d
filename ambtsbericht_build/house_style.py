"""The house style: HTML template, CSS, CSL citation style, fonts and the
DOCX/ODT reference documents, shipped as package data in
``ambtsbericht_build/templates/``.

Every reader of a house-style file goes through this module, so that an
installed abuild (a wheel, pipx) finds its files as the checkout does.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# an ordinary installation unpacks the package, so its files are real paths
# that pandoc and WeasyPrint can be given
TEMPLATES = Path(str(files("ambtsbericht_build") / "templates"))


def template_path(rel: str) -> Path:
    """The house-style file ``rel`` (a path relative to the templates directory)."""
    return TEMPLATES / rel
