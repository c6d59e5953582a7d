"""``abuild diff``: two revisions of a report compared as documents.

:mod:`.revisions` exports a Git revision's files, :mod:`.sides` builds each
side as the render does, :mod:`.compare` aligns the two documents and marks
what changed, :mod:`.outputs` writes, audits and places the HTML and DOCX.
"""
