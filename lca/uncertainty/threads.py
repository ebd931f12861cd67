"""BLAS threads beside the draws of a Monte Carlo run.

:meth:`~lca.uncertainty.propagation.Propagator.run` draws the next chunk in a second thread
while the current one is solved, and the solves of a large loop are BLAS calls (LAPACK's
triangular solves, :mod:`lca.uncertainty.loops`). With as many BLAS threads as cores, the
BLAS threads and the draws contend for the cores. A run therefore leaves one core to the
draws and gives BLAS the others (at least one), then restores the BLAS threads as they were.
Measured on the project's 2-core VM (1 December 2026, ``benchmarks/montecarlo.py``): a loop
of 300 activities 12,000-13,500 iterations/s on 2 BLAS threads, 15,500-16,200 on one; a loop
of 1,000, 2,700-2,900 against 3,200-3,300; a loop of 3,000, 475-497 against 439-447 (its
triangular solves are large enough for a second thread to pay, but not by much).

The numbers do not change: each column of a triangular solve is computed the same way on
any number of threads (checked bit for bit in ``tests/test_loops.py``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

_LOCK = threading.Lock()
_runs = 0  # runs under way
_limiter: Any = None  # their BLAS limit, restored when the last ends


@contextmanager
def beside_draws() -> Iterator[None]:
    """BLAS on one core fewer than the process may use (at least one, and never more than it
    had) in the ``with`` block. Runs that overlap (in threads of their own) share one limit,
    and the last one to end restores the threads as they were before the first."""
    global _runs, _limiter
    with _LOCK:
        if not _runs:
            _limiter = _limit()
        _runs += 1
    try:
        yield
    finally:
        with _LOCK:
            _runs -= 1
            if not _runs and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None


def _limit() -> Any:
    """Limit BLAS's threads; the limiter that restores them (None when there is no BLAS)."""
    controller = _controller()
    blas = [lib.num_threads for lib in controller.lib_controllers if lib.user_api == "blas"]
    if not blas:  # pragma: no cover - a NumPy without a BLAS that threadpoolctl knows
        return None
    return controller.limit(limits=max(1, min(max(blas), _cores() - 1)), user_api="blas")


@cache
def _controller():  # noqa: ANN202 - threadpoolctl is imported on the first Monte Carlo run
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS, Windows
