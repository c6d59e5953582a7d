"""abuild: build toolchain for ambtsberichten (country-of-origin reports)."""

__version__ = "0.1.0"
