"""The cache is off for the rest of the suite (tests/conftest.py); here it is what is tested."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ABUILD_CACHE", raising=False)
