"""The writers keep the memory they free (render/malloc_tuning.py) and run
their frames in one chunk of CPython's frame stack (render/frame_stack.py):
what they would give back and take again is a page fault each time.
Counted in page faults (``ru_minflt``), in a process of its own, not in
time."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap

import pytest

from ambtsbericht_build.render.frame_stack import RESERVED_SLOTS, call_deep

glibc_linux = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc's mallopt"
)
chunked_frames = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info < (3, 11), reason="CPython 3.11+'s frame stack"
)


def _faults(code: str, warm: bool = True) -> int:
    """The page faults the snippet's ``work()`` takes, in a fresh interpreter
    (``warm``: its second run, after what any first run maps)."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import resource
        {"work()" if warm else ""}
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        work()
        print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def test_call_deep_is_the_call():
    def f(a, b, *, c):
        return (a, b, c)

    assert call_deep(f, 1, 2, c=3) == (1, 2, 3)
    with pytest.raises(KeyError):
        call_deep({}.__getitem__, "missing")


RECURSION = """
from ambtsbericht_build.render.frame_stack import call_deep

def down(n):
    return down(n - 1) + 1 if n else 0

def calls():
    for i in range(3000):  # back and forth across the first chunk's end (16 KiB: ~150 of these frames)
        down(i % 300)

def work():
    {call}
"""


@chunked_frames
def test_a_recursion_under_call_deep_maps_no_chunk():
    plain = _faults(RECURSION.format(call="calls()"))
    deep = _faults(RECURSION.format(call="call_deep(calls)"))
    assert plain > 1000  # a chunk mapped, faulted in and unmapped at each crossing
    assert deep < 100


@chunked_frames
def test_the_reserved_stack_is_never_touched():
    # 512 KiB reserved: if the frame wrote it, a call would fault in 128 pages
    assert RESERVED_SLOTS * 8 >= 512 * 1024
    one_call = "from ambtsbericht_build.render.frame_stack import call_deep\ndef work():\n    call_deep(len, '')\n"
    assert _faults(one_call) < 32


BIG_BLOCKS = """
from ambtsbericht_build.render import malloc_tuning
{tune}

def work():
    for mib in range(4, 24):  # documents, outputs: each larger than any freed before is an mmap of its own
        block = bytearray(mib * 1024 * 1024)
        del block
"""


@glibc_linux
def test_freed_big_blocks_are_taken_again_without_faults():
    given_back = _faults(BIG_BLOCKS.format(tune=""), warm=False)
    kept = _faults(BIG_BLOCKS.format(tune="assert malloc_tuning.keep_freed_memory()"), warm=False)
    assert given_back >= 256 * (4 + 23) * 20 // 2  # every page of every block (4-23 MiB) faulted in
    assert kept < 256 * 24 + 1000  # the largest block's pages, once: the heap grows and is kept
