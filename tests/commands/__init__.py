"""Tests of the commands (a package, so that test_tor.py here and tests/check/test_tor.py can both exist)."""
