"""Tests of the diagnostic outputs (a package, so that its conftest is never the
module other tests import as ``conftest``)."""
