"""Incremental builds: a cache under ``build/.cache/`` that lets a render
reuse what it made before for the very same inputs.

- :mod:`.store`: the entries on disk (atomic, checked, bounded);
- :mod:`.inputs`: the hash of everything a render depends on, made without
  importing the loader, pandoc glue or WeasyPrint;
- :mod:`.fast`: "nothing changed since the last render" (the recorded
  render, its findings, and its outputs verified on disk);
- :mod:`.chapters`: pandoc's reading of each chapter, reused while the
  chapter's text, pandoc and abuild's reader are the same;
- :mod:`.blocks`: each chapter's assembly and preparation and each block's
  resolved citations (render/chapter_parts.py, :mod:`..block_memo`);
- :mod:`.html_parts`: the screen HTML's blocks and subset fonts, and the
  PDF's print HTML's blocks, reused block by block after an edit.
- :mod:`.odt_parts`: the ODT's pieces (the cover, each chapter) as pandoc
  wrote them, numbered within the piece, reused piece by piece after an edit.
- :mod:`.docx_parts`: pandoc's DOCX of each chapter, reused chapter by
  chapter after an edit (render/formats/docx_pieces.py).
- :mod:`.outputs`: a written format, reused (copied, then audited again) when
  its writer's input and code are byte for byte the same.
- :mod:`.checks`: the check's findings by chapter and rule, and each YAML
  file's values, reused while their inputs are the same (check/memo.py).

The cache is an optimisation only: a render with it is byte-identical to one
without it (tests/cache/), and ``abuild render --no-cache`` bypasses it.
"""
