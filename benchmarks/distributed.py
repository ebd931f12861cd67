"""Monte Carlo on a local Dask cluster of 1 and 2 workers beside the single-process run (issue 18).

Usage::

    python benchmarks/distributed.py --case bloom [--iterations 1048576]
    python benchmarks/distributed.py --case loop-1000 [--iterations 4000]
    python benchmarks/distributed.py --case ecoinvent-shaped --iterations 64 --repeat 1

Cases: ``bloom`` (the shipped BLOOM case), and those of ``benchmarks/montecarlo.py``
(``loop-N``, ``ecoinvent-shaped``...). For each, prints:

- the plan a worker receives once: its pickled bytes, and the seconds to pickle and load it
  (loading rebuilds a large loop's sparse LU);
- per task at the default size (a chunk, in whole seeded blocks): the bytes sent (the task:
  function and integers) and returned (impacts and kept input draws), its compute time here;
- the single-process run (``Propagator.run``) and, for each worker count, the distributed run
  (scatter, tasks, gathering into one ``MonteCarloResult``): seconds, iterations per second,
  overhead against perfect scaling of the single-process run (``t_w / (t_1 / w) - 1``); from
  Dask's task stream, each task's compute time, the per-task overhead (the mean time a worker
  waits between two of its tasks: scheduling, sending the task, handing its result over), the
  start (to the first compute: scatter, plan loaded) and the tail (last compute to result);
  the peak memory of a worker. Each distributed result is checked bit-identical to the
  single-process one.

The machine is shared: the load average (``os.getloadavg``) is printed beside the figures.
The last lines are ``key=value`` summaries.
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import sys
import time
from dataclasses import dataclass

# This script is named as the issue asks, ``distributed.py``, like the package it drives: its
# folder (put first on sys.path when run as a script) goes last, so that ``import distributed``
# (here and in the worker processes, which inherit sys.path) finds dask's package, and
# ``from montecarlo import case_model`` still finds benchmarks/montecarlo.py.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE] + [_HERE]

import numpy as np  # noqa: E402

import lca  # noqa: E402
from lca.uncertainty.distributed import _task, run_blocks, run_on, task_size  # noqa: E402
from lca.uncertainty.propagation import Propagator  # noqa: E402
from lca.uncertainty.sampling import block_rows  # noqa: E402

REPEAT = 3  # best of REPEAT for every timed run (--repeat)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def best(run, repeat: int) -> tuple[float, object]:
    """The shortest of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t)
    return min(times), result


def model_of(case: str) -> lca.Model:
    if case == "bloom":
        return lca.bloom()
    from montecarlo import case_model

    return case_model(case)


def plan_figures(
    propagator: Propagator, iterations: int, seed: int, task: int | None, slots: int
) -> dict[str, float]:
    """What is sent: the plan once per worker, then per task the call and its result."""
    t = time.perf_counter()
    blob = pickle.dumps(propagator, protocol=5)
    dump_s = time.perf_counter() - t
    t = time.perf_counter()
    pickle.loads(blob)
    load_s = time.perf_counter() - t
    chunk = propagator.chunk_size()
    size = min(task or task_size(chunk, block_rows(propagator.space.size), iterations, slots), iterations)
    kept = propagator._kept_inputs(iterations, None)
    span = (0, size, seed, "random", iterations, chunk, kept)
    call = (_task, "0" * 12, "bytes-" + "0" * 32, *span)  # the run's name, the plan's key, the span
    t = time.perf_counter()
    result = run_blocks(propagator, *span)
    task_s = time.perf_counter() - t
    return {
        "plan_bytes": len(blob),
        "plan_dump_s": dump_s,
        "plan_load_s": load_s,
        "task_iterations": size,
        "task_in_bytes": len(pickle.dumps(call, protocol=5)),
        "task_out_bytes": len(pickle.dumps(result, protocol=5)),
        "task_s": task_s,
    }


@dataclass(frozen=True)
class Timing:
    """One distributed run, from Dask's task stream (worker clocks: this computer's)."""

    wall: float  # seconds from run_on to the result
    computes: list[float]  # each task's compute seconds
    start: float  # seconds to the first task's compute (scatter, submit, plan loaded)
    gap: float  # mean idle seconds of a worker between two of its tasks
    tail: float  # seconds from the last compute to the result
    peak_mib: float  # the largest peak resident memory of a worker process


def distributed_run(
    propagator: Propagator,
    workers: int,
    iterations: int,
    seed: int,
    expected: np.ndarray,
    dask_malloc: bool,
    repeat: int,
    task: int | None,
) -> Timing:
    """The best of ``repeat`` distributed runs, each checked bit-identical to ``expected``."""
    from distributed import Client, LocalCluster, get_task_stream

    from lca.cluster import local_cluster

    if dask_malloc:  # Dask's own defaults
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    else:
        cluster = local_cluster(workers)  # what `--dask local:N` runs
    with cluster, Client(cluster) as client:
        run_on(client, propagator, min(iterations, 1000), seed).result()  # workers import lca
        timings = []
        for _ in range(repeat):
            with get_task_stream(client) as stream:
                t0 = time.time()
                result = run_on(client, propagator, iterations, seed, task_iterations=task).result()
                t1 = time.time()
            if not np.array_equal(result.values, expected):
                raise SystemExit(f"{workers} workers: the result differs from the single-process run")
            timings.append(_timing(stream.data, t0, t1))
        peak = max(client.run(_peak_mib).values())
        best_run = min(timings, key=lambda x: x.wall)
        return Timing(**{**best_run.__dict__, "peak_mib": peak})


def _peak_mib() -> float:
    """Peak resident memory of this process (a worker's, through ``client.run``)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timing(tasks: list[dict], t0: float, t1: float) -> Timing:
    by_worker: dict[str, list[tuple[float, float]]] = {}
    for task in tasks:
        if str(task["key"]).startswith("lca-monte-carlo"):
            for s in task["startstops"]:
                if s["action"] == "compute":
                    by_worker.setdefault(task["worker"], []).append((s["start"], s["stop"]))
    spans = sorted(x for w in by_worker.values() for x in w)
    gaps = [b[0] - a[1] for w in by_worker.values() for a, b in itertools.pairwise(sorted(w))]
    return Timing(
        wall=t1 - t0,
        computes=[stop - start for start, stop in spans],
        start=spans[0][0] - t0,
        gap=float(np.mean(gaps)) if gaps else 0.0,
        tail=t1 - max(stop for _, stop in spans),
        peak_mib=0.0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", default="bloom")
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=REPEAT, help="best of this many runs")
    parser.add_argument("--task-iterations", type=int, help="iterations per task (default: run_on's)")
    parser.add_argument(
        "--dask-malloc",
        action="store_true",
        help="workers with Dask's MALLOC_TRIM_THRESHOLD_=65536 (not lca.cluster.WORKER_MALLOC)",
    )
    args = parser.parse_args(argv)
    import dask

    print(
        f"lca {lca.__version__}, dask {dask.__version__}, numpy {np.__version__}, "
        f"python {sys.version.split()[0]}, cores {os.cpu_count()}; {load()}"
    )
    t = time.perf_counter()
    propagator = Propagator(lca.build_matrices(model_of(args.case)))
    print(f"{args.case}: compiled in {time.perf_counter() - t:.2f} s, {propagator.space.size:,} inputs")
    defaults = {"bloom": 1_048_576}
    iterations = args.iterations or defaults.get(args.case, 4000)
    figures = plan_figures(propagator, iterations, args.seed, args.task_iterations, max(args.workers))
    print(
        f"plan: {figures['plan_bytes'] / 1e6:.3f} MB once per worker (pickled in {figures['plan_dump_s']:.3f} s, "
        f"loaded in {figures['plan_load_s']:.3f} s)"
    )
    print(
        f"task of {figures['task_iterations']:,} iterations ({'--task-iterations' if args.task_iterations else f'the default on {max(args.workers)} workers'}): "
        f"{figures['task_in_bytes']:,} bytes sent, {figures['task_out_bytes']:,} bytes returned, "
        f"{figures['task_s'] * 1e3:.1f} ms compute in this process"
    )
    single, expected = best(lambda: propagator.run(iterations, args.seed), args.repeat)
    print(
        f"single process: {iterations:,} iterations in {single:.2f} s, {iterations / single:,.0f} it/s; {load()}"
    )
    summary = {"single_it_s": iterations / single, **figures}
    for workers in args.workers:
        t = distributed_run(
            propagator,
            workers,
            iterations,
            args.seed,
            expected.values,
            args.dask_malloc,
            args.repeat,
            args.task_iterations,
        )
        overhead = t.wall / (single / workers) - 1
        compute = float(np.mean(t.computes))
        print(
            f"{workers} worker(s): {t.wall:.2f} s, {iterations / t.wall:,.0f} it/s, overhead {overhead:+.1%} "
            f"against single/{workers}; {len(t.computes)} tasks of {compute * 1e3:.1f} ms compute, "
            f"per-task overhead (a worker's idle time between two tasks) {t.gap * 1e3:.2f} ms = "
            f"{t.gap / compute:.1%} of a task; start {t.start:.3f} s, tail {t.tail:.3f} s; "
            f"worker peak memory {t.peak_mib:,.0f} MiB; bit-identical; {load()}"
        )
        summary |= {f"w{workers}_it_s": iterations / t.wall, f"w{workers}_overhead": overhead}
        summary |= {f"w{workers}_task_ms": compute * 1e3, f"w{workers}_task_overhead_ms": t.gap * 1e3}
        summary |= {f"w{workers}_start_s": t.start, f"w{workers}_tail_s": t.tail}
        summary |= {f"w{workers}_worker_peak_mib": t.peak_mib}
    for key, value in summary.items():
        print(f"{key}={value:.6g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
