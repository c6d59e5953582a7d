"""How the preview is stopped: Ctrl-C (SIGINT), SIGTERM and SIGHUP are
taken by the main thread when it asks for them, never raised into whatever
it happens to be running.

Why: a KeyboardInterrupt raised asynchronously ended 1 run in 5 of a test
with "stopped" and then death by SIGINT (status -2), and a Ctrl-C at start-up
with "Aborted!" (status 1). The -2 is CPython's: a KeyboardInterrupt that
leaves code run by a *string* ``exec``/``eval`` (``dataclasses`` and
``namedtuple`` build their methods that way, so importing a module with a
dataclass is one) sets ``unhandled_keyboard_interrupt``, even when a caller
catches the exception afterwards, and under ``python -m`` ``Py_RunMain``
then ends the process with ``kill(getpid(), SIGINT)``. Measured with a
SIGINT sent 0.1-1.0 s after the start on a loaded machine: 4 runs in 20
ended -2 and 16 "Aborted!" 1; none stopped cleanly.

So the signals are blocked in the main thread (every thread abuild starts
inherits the mask, see :mod:`..signals`, and every child unblocks them) from
the first line of the command on; one that arrives meanwhile stays pending
until :meth:`StopSignals.wait` takes it with ``sigtimedwait``. Whenever it
comes, the preview stops the same way: the builder finishes the build it is
in, the port is closed, "stopped", exit 0. Where ``sigtimedwait`` does not
exist (macOS, Windows), the signals raise as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..signals import HELD


class StopSignals:
    """``wait(seconds)``: True once a stop signal came (within ``seconds``)."""

    def __init__(self, synchronous: bool) -> None:
        self.synchronous = synchronous
        self.came = ""  # the signal's name

    def wait(self, seconds: float) -> bool:
        if self.came:
            return True
        if not self.synchronous:
            threading.Event().wait(seconds)  # a signal raises in it
            return False
        info = signal.sigtimedwait(HELD, max(seconds, 0.0))
        if info is not None:
            self.came = signal.Signals(info.si_signo).name
        return bool(self.came)


def synchronous() -> bool:
    return hasattr(signal, "sigtimedwait") and threading.current_thread() is threading.main_thread()


def block() -> None:
    """The first thing the command does: from here on a stop signal waits to be taken."""
    if synchronous():
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)


@contextmanager
def stop_signals() -> Iterator[StopSignals]:
    """The stop signals for the duration (the command blocked them earlier,
    with :func:`block`, and they stay blocked until it exits). At the end,
    those that came after the first are taken too: a second Ctrl-C while
    the preview ends does not turn a clean stop into a traceback."""
    sync = synchronous()
    if sync:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    stop = StopSignals(sync)
    try:
        yield stop
    finally:
        if sync:
            while signal.sigtimedwait(HELD, 0) is not None:
                pass
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
