"""Stage 4, render: the resolved document written as HTML, PDF, DOCX and ODT.

:func:`render_report` checks the report first, builds the document once
(:mod:`.document`), writes every format in its own process (:mod:`.worker`)
into a temporary directory beside the outputs, and only then moves the new
files over the old ones, so a failed or interrupted render leaves the previous
outputs as they were.
"""
