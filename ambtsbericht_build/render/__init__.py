"""Stage 4, render: the resolved document written as HTML, PDF, DOCX and ODT.

:func:`.pipeline.render_report` runs the stages in order: start the writer
processes (:mod:`.processes`, :mod:`.worker`), check the report, build the
document once (:mod:`.document`, :mod:`.citations`, :mod:`.facts`), write
every format in its own process into a temporary directory beside the
outputs, audit what was written (:mod:`.audit_stage`), and only then move the
new files over the old ones (:mod:`.atomic`), so a failed or interrupted
render leaves the previous outputs as they were. The formats are classes in
one registry (:mod:`.formats`).
"""
