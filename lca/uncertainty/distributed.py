"""Monte Carlo on a Dask cluster: spans of seeded blocks as tasks, the numbers of one process.

:func:`run_on` sends a compiled :class:`~lca.uncertainty.propagation.Propagator` (the
plan, pickled once) to every worker (:meth:`distributed.Client.scatter` with
``broadcast=True``), where the first task loads it (:func:`loaded_plan`), then submits one
task per span of iterations (:func:`task_size`). A task draws its iterations from the run's
seeded stream (:class:`~lca.uncertainty.sampling.UniformStream`: block ``b`` has its own
generator, so iterations ``[start, stop)`` are the same numbers on any worker, in any
order) and runs the single-process engine on them, chunk by chunk
(:meth:`Propagator.chunk`, the function :meth:`Propagator.run` calls). It returns only what
the statistics need: the impacts of its iterations per row and indicator, and the input
draws the run keeps. :meth:`ClusterRun.result` writes them into the arrays of one
:class:`~lca.uncertainty.results.MonteCarloResult` as they arrive: percentiles stay exact
(every iteration is kept, as in one process) and the result is bit-identical to
``Propagator.run`` with the same seed, whatever the number of workers or tasks.

What is sent: the plan once per worker (its pickle: the matrices and their recipes, the
input distributions, the per-iteration systems; a large loop's sparse LU is not sent but
made again when the plan is loaded, see :class:`~lca.uncertainty.loops.SparseLoop`), a
few integers per task, and back ``8 x (rows + 1) x indicators`` bytes per iteration plus
``8 x kept inputs``.

A worker that dies has its tasks run again elsewhere by Dask; their numbers do not depend
on where they run, so the result is unchanged. Bit-identical needs the same NumPy and SciPy
on the same kind of processor everywhere (``client.get_versions(check=True)``).

Dask is the optional extra ``lca[dask]``; this module imports it only when a run starts.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lca.uncertainty.memory import small_pages
from lca.uncertainty.propagation import Progress, Propagator
from lca.uncertainty.results import MonteCarloResult
from lca.uncertainty.sampling import RandomState, UniformStream

#: Plans loaded in this (worker) process, by run: the most recent :data:`KEEP_PLANS`.
_LOADED: OrderedDict[str, Propagator] = OrderedDict()
_LOADING = threading.Lock()
KEEP_PLANS = 2


def loaded_plan(run: str, blob: bytes) -> Propagator:
    """The plan of ``run`` in this process, unpickled from ``blob`` by its first task here.

    The plan travels as bytes, pickled once by the client: Dask copies bytes from worker to
    worker as they are (a loaded ``Propagator`` would be pickled again at every copy), and each
    worker loads it once (rebuilding a large loop's LU), whatever the number of its tasks.
    """
    with _LOADING:
        plan = _LOADED.get(run)
        if plan is None:
            plan = _LOADED[run] = pickle.loads(blob)
            while len(_LOADED) > KEEP_PLANS:
                _LOADED.popitem(last=False)
        return plan


def forget_plan(run: str) -> None:
    """Drop the plan of ``run`` from this process (the run is over)."""
    with _LOADING:
        _LOADED.pop(run, None)


def _task(run: str, blob: bytes, *span: Any) -> tuple[np.ndarray, np.ndarray | None, list[int]]:
    return run_blocks(loaded_plan(run, blob), *span)


@small_pages()  # as Propagator.run
def run_blocks(
    plan: Propagator, start: int, stop: int, seed: int, sampling: str, iterations: int, chunk: int, kept: int
) -> tuple[np.ndarray, np.ndarray | None, list[int]]:
    """One task: iterations ``[start, stop)`` of a run of ``iterations`` seeded by ``seed``.

    Runs on a worker, ``plan`` being its loaded copy. Returns the impacts
    ``(rows + 1, indicators, stop - start)``, the first ``kept`` input draws of each
    iteration (None when ``kept`` is 0) and the numbers of the iterations that a large loop
    solved by their own factorisation.
    """
    stream = UniformStream(plan.space.gaussian, seed, sampling, iterations)
    count = stop - start
    values = np.empty((len(plan.rows) + 1, len(plan.matrices.indicators), count))
    inputs = np.empty((count, kept), order="F") if kept else None
    fallbacks: list[int] = []
    for first in range(start, stop, chunk):
        last = min(first + chunk, stop)
        rows = slice(first - start, last - start)
        part = inputs[rows] if inputs is not None else None
        values[:, :, rows], more = plan.chunk(first, stream.uniforms(first, last), part)
        fallbacks += more
    return values, inputs, fallbacks


#: Tasks per worker thread at most by default: enough to balance the load (the last round
#: leaves a worker idle for at most 1/8 of the run) and to re-run little when a worker dies,
#: few enough that a cheap model's task computes for tens of milliseconds, against the
#: millisecond or two Dask spends per task (benchmarks/distributed.py).
TASKS_PER_WORKER = 8


def task_size(chunk: int, block: int, iterations: int = 0, slots: int = 1) -> int:
    """Iterations of a task by default, in whole seeded blocks of ``block`` rows.

    At least one chunk (a task evaluates as many iterations at once as one process does), and
    at least ``iterations / (TASKS_PER_WORKER x slots)`` for a run of ``iterations`` on
    ``slots`` worker threads, so that a model whose chunk computes in a few milliseconds does
    not pay Dask's per-task cost thousands of times. Whole blocks: a task ending inside a
    block would draw that block again. The size never changes the numbers.

    >>> task_size(16384, 16384), task_size(16, 1), task_size(100, 131)
    (16384, 16, 131)
    >>> task_size(16384, 16384, 1_000_000, slots=2)  # 62,500 -> 4 blocks
    65536
    """
    wanted = max(chunk, -(-iterations // (TASKS_PER_WORKER * max(slots, 1))))
    return -(-wanted // block) * block


def spans(iterations: int, size: int) -> list[tuple[int, int]]:
    """Iterations ``[start, stop)`` of each task: ``size`` each, the last one shorter.

    >>> spans(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    return [(start, min(start + size, iterations)) for start in range(0, iterations, size)]


@dataclass
class ClusterRun:
    """A Monte Carlo run submitted to a Dask cluster (see :func:`run_on`).

    Attributes
    ----------
    run : str
        The run's name (its tasks' keys are ``lca-monte-carlo-RUN-START``).
    futures : list of distributed.Future
        One per task, in the order of :attr:`spans`.
    spans : list of (int, int)
        Iterations of each task.
    """

    client: Any
    propagator: Propagator
    run: str
    plan: Any
    futures: list[Any]
    spans: list[tuple[int, int]]
    seed: int
    sampling: str
    percentiles: Sequence[float]
    values: np.ndarray = field(repr=False)
    inputs: np.ndarray | None = field(repr=False)

    def result(self, progress: Progress | None = None) -> MonteCarloResult:
        """Gather the tasks' results as they complete into one :class:`MonteCarloResult`.

        ``progress(done, total)`` is called after each task with the iterations done. An
        error in a task (a draw out of range, an iteration with no finite solution) is raised
        here, that of the earliest failing iteration, as in one process; the other tasks are
        cancelled.
        """
        from distributed import KilledWorker, as_completed

        from lca.errors import UncertaintyError

        place = {future.key: span for future, span in zip(self.futures, self.spans, strict=True)}
        total, done = self.spans[-1][1], 0
        fallbacks: list[int] = []
        gathered: set[str] = set()
        try:
            for future, outcome in as_completed(self.futures, with_results=True, raise_errors=False):
                if future.status == "error":
                    raise self._first_error(gathered)
                values, inputs, more = outcome
                start, stop = place[future.key]
                self.values[:, :, start:stop] = values
                if self.inputs is not None:
                    self.inputs[start:stop] = inputs
                fallbacks += more
                done += stop - start
                gathered.add(future.key)
                future.release()
                if progress is not None:
                    progress(done, total)
        except KilledWorker as exc:
            raise UncertaintyError(
                f"Monte Carlo on Dask: {exc} (a worker's memory limit is the usual cause: see "
                "docs/distributed.md for the memory a worker needs)"
            ) from None
        finally:
            self.cancel()
        return self.propagator.assemble(
            self.values, self.inputs, self.seed, self.sampling, self.percentiles, fallbacks
        )

    def _first_error(self, gathered: set[str]) -> BaseException:
        """The error of the earliest task that fails (tasks before it are waited for)."""
        for future in self.futures:  # in iteration order; one of them failed
            if future.key not in gathered and future.exception() is not None:
                return future.exception()
        raise AssertionError("no task failed")  # pragma: no cover

    def cancel(self) -> None:
        """Cancel the tasks not gathered yet and drop the plan from the workers."""
        self.client.cancel([f for f in self.futures if not f.done()])
        self.plan.release()
        with contextlib.suppress(Exception):  # a worker gone already has no plan to drop
            self.client.run(forget_plan, self.run)


def run_on(
    client: Any,
    propagator: Propagator,
    iterations: int,
    seed: RandomState = None,
    sampling: str = "random",
    *,
    chunk_size: int | None = None,
    percentiles: Sequence[float] = (2.5, 97.5),
    keep_inputs: bool | None = None,
    task_iterations: int | None = None,
) -> ClusterRun:
    """Submit a Monte Carlo run of ``propagator`` to the Dask cluster of ``client``.

    The arguments are those of :func:`lca.uncertainty.propagation.monte_carlo`;
    ``task_iterations`` is the iterations of a task (default: :func:`task_size` for the
    worker threads of the cluster when the run is submitted). Call
    :meth:`ClusterRun.result` for the result.
    """
    from lca.errors import UncertaintyError

    chunk = propagator.chunking(iterations, chunk_size)
    stream = UniformStream(propagator.space.gaussian, seed, sampling, int(iterations))
    slots = sum(client.nthreads().values())  # worker threads now (0 while a cluster starts)
    size = int(task_iterations) if task_iterations else task_size(chunk, stream.block_rows, iterations, slots)
    if size < 1:
        raise UncertaintyError(f"task_iterations is {task_iterations}, expected >= 1")
    values, inputs = propagator.outputs(iterations, keep_inputs)
    kept = 0 if inputs is None else inputs.shape[1]
    run = uuid.uuid4().hex[:12]
    plan = client.scatter(pickle.dumps(propagator, protocol=5), broadcast=True, hash=False)
    work = spans(int(iterations), size)
    futures = [
        client.submit(
            _task, run, plan, start, stop, stream.entropy, sampling, int(iterations), min(chunk, size), kept,
            key=f"lca-monte-carlo-{run}-{start}",
        )
        for start, stop in work
    ]  # fmt: skip
    return ClusterRun(
        client, propagator, run, plan, futures, work, stream.entropy, sampling, percentiles, values, inputs
    )


__all__ = [
    "TASKS_PER_WORKER",
    "ClusterRun",
    "forget_plan",
    "loaded_plan",
    "run_blocks",
    "run_on",
    "spans",
    "task_size",
]
