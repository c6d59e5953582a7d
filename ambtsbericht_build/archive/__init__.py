"""The source archive: ``abuild archive`` captures each public source's
page into a WARC file (:mod:`.fetch`, :mod:`.warc`, :mod:`.capture`),
records the copy in sources.yaml (:mod:`.record`) and re-reads every copy
(:mod:`.verify`). The only part of abuild that uses the network; ``abuild
check`` verifies the archive offline (AB109, AB111)."""
