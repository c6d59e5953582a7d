"""The kinds of finding, as the audit names them.

A module of its own so that reading an output (:mod:`.extract`, in each
writer's process: publish/reading.py) does not import :mod:`.forbidden` and,
through it, the Markdown loader and the sentence analyser (~0.1 s of CPU per
writer process).
"""

INTERNAL = "internal field"
CONFIDENTIAL_FIELD = "confidential source field"
CONFIDENTIAL_KEY = "confidential source key"
INTERN = "::: intern block"
COMMENT = "HTML comment"
PATH = "file system path"
USER = "user name"
DENY = "deny list"
ACTIVE = "active content"
REMOTE = "remote resource"
