"""Small pages for a Monte Carlo run's arrays (NumPy's transparent huge pages off, then restored).

NumPy asks Linux for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array of
4 MiB or more. A Monte Carlo run allocates and frees arrays of tens to hundreds of MiB chunk
after chunk (entry values, draws, supplies), and where the kernel has to compact memory to
find huge pages, the first touch of each one stalls. Measured on the project's 2-core VM
(1 December 2026, ``benchmarks/montecarlo.py``): the first 64 iterations of the
ecoinvent-shaped case took 7.0 s with huge pages and 4.5 s without (the two later runs
4.7-5.0 s and 4.5 s); a million iterations of BLOOM 1.1-2.0 s the first time and 0.78-0.84 s
after with them, 0.90-0.92 s every time without. ``lca run`` is always a first run, so runs
are made without; the numbers are the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

try:  # NumPy 2
    from numpy._core import multiarray as _multiarray
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core import multiarray as _multiarray


@contextmanager
def small_pages() -> Iterator[None]:
    """NumPy's huge-page advice off in the ``with`` block, as it was afterwards (a no-op where
    NumPy has no such setting)."""
    setter = getattr(_multiarray, "_set_madvise_hugepage", None)
    if setter is None:  # pragma: no cover
        yield
        return
    before = setter(False)
    try:
        yield
    finally:
        setter(before)
