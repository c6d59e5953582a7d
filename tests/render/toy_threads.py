"""A format whose module starts a thread when imported: the writers' start-up
(render/zygote.py) must not fork then, and abuild starts the writers itself."""

from __future__ import annotations

import threading

from tests.render.toy_format import TextWriter

_stop = threading.Event()
threading.Thread(target=_stop.wait, name="toy-threads", daemon=True).start()


class ThreadyTextWriter(TextWriter):
    name = "thready-txt"
    suffix = ".thready.txt"
