"""One plain function per CLI command; usable without click."""
