"""The publication site (``abuild publish``): every published edition of
every report, its downloads, checksums, manifest and metadata, as a static
site that a web team can put on the government website as it is.

Stages, one way: :mod:`.editions` finds what is to be published (Git tags
``<slug>/v<version>``, the working tree), :mod:`.build` renders or verifies
each edition's files, :mod:`.metadata` describes each edition (DiWoo,
schema.org), :mod:`.pages` writes the HTML."""
