"""The cyclic garbage collector paused around work that makes many objects and no cycles.

Compiling a background database (hundreds of thousands of records) and analysing its
structure (thousands of small sparse matrices, one per level of its acyclic part) create
objects that hold no reference cycles; while they are made, Python's collector would rescan
every live object again and again (a model of 860,000 exchanges is millions of them): 20% of
a compile, and 1.3 of 2.3 s of the first deterministic solve of such a database, measured
with ``benchmarks/montecarlo.py --case ecoinvent-shaped``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (reference counting still
    frees what is dropped); it runs again afterwards if it was running before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
