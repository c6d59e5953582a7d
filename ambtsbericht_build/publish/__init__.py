"""Publication safety: nothing confidential leaves, nothing is fetched, every
build is verifiable.

- :mod:`.forbidden` collects what must never appear in an output (the
  ``internal`` fields of sources, ``::: intern`` blocks, HTML comments, file
  system paths, user names, the report's deny list);
- :mod:`.extract` pulls every string out of a rendered file (HTML, PDF, DOCX,
  ODT), part by part;
- :mod:`.audit` matches the two and reports findings without repeating the
  confidential value;
- :mod:`.office` rewrites DOCX/ODT packages deterministically (entry order,
  timestamps, document dates from the source epoch);
- :mod:`.manifest` writes and verifies ``<slug>.manifest.json``.

See ``docs/publication-safety.md``.
"""
