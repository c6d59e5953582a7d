"""The output formats: one :class:`~.base.Writer` class per format, in one
registry (:data:`WRITERS`). Importing this package registers the built-in
formats in their default order: HTML, PDF, DOCX, ODT.

To add a format, write a module with a ``Writer`` subclass decorated with
:func:`register` and import it below (see docs/render.md).
"""

from __future__ import annotations

from . import html, pdf  # noqa: F401 - registers the formats, in this order
from . import office as _office  # noqa: F401
from .base import WRITERS, AuditPart, Priority, Writer, WriterError, register

__all__ = [
    "WRITERS",
    "AuditPart",
    "Priority",
    "Writer",
    "WriterError",
    "formats",
    "register",
    "writer_class",
    "writer_ref",
]


def formats() -> tuple[str, ...]:
    """The registered formats, in registration order (the default of ``--to``)."""
    return tuple(WRITERS)


def writer_class(ref: str) -> type[Writer]:
    """A writer by its name, or by ``module:Class`` for a format registered
    outside this package (the worker is told which so it can import it)."""
    if ":" in ref:
        import importlib

        module, _, qualname = ref.partition(":")
        obj: object = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        if not (isinstance(obj, type) and issubclass(obj, Writer)):
            raise KeyError(ref)
        return obj
    return WRITERS[ref]


def writer_ref(cls: type[Writer]) -> str:
    """How a worker process finds ``cls``: its name when it is built in, else ``module:Class``."""
    if cls.__module__.startswith(__name__ + ".") and WRITERS.get(cls.name) is cls:
        return cls.name
    return f"{cls.__module__}:{cls.__qualname__}"
