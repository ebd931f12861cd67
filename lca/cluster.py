"""The Dask cluster of ``--dask``: one on this computer, or a running scheduler's.

``--dask local`` starts a :class:`distributed.LocalCluster` of one worker process per core
(``local:4``: four), one thread each, for the time of the command; any other value is the
address of a running scheduler (``tcp://10.0.0.5:8786``, ``host:8786``; a SLURM cluster
started with dask-jobqueue, see docs/distributed.md). Dask is the optional extra
``lca[dask]``, imported only here and only when ``--dask`` is given.

Examples
--------
>>> parse_cluster("local:3"), parse_cluster("local"), parse_cluster("tcp://10.0.0.5:8786")
((None, 3), (None, None), ('tcp://10.0.0.5:8786', None))
>>> parse_cluster("local:0")
Traceback (most recent call last):
lca.errors.OptionError: --dask local:0: expected local, local:WORKERS (WORKERS >= 1) or a scheduler address
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from lca.errors import OptionError

#: Seconds to wait for a scheduler given by its address.
CONNECT_TIMEOUT = 10
#: ``--dask`` for a cluster on this computer.
LOCAL = "local"
#: The environment of a local cluster's workers (glibc's malloc): arrays up to 64 MiB come from
#: the heap and freed memory is kept up to 64 MiB, so a chunk's working arrays (at most
#: ``CHUNK_BYTES``, 48 MiB) are reused by the next chunk instead of being mapped and faulted in
#: again. Dask's default, ``MALLOC_TRIM_THRESHOLD_=65536``, returns memory at once: a BLOOM task
#: then computes 5 times slower (243 against 49 ms; benchmarks/distributed.py --dask-malloc).
WORKER_MALLOC = {"MALLOC_MMAP_THRESHOLD_": 1 << 26, "MALLOC_TRIM_THRESHOLD_": 1 << 26}


def parse_cluster(spec: str) -> tuple[str | None, int | None]:
    """``(address, None)`` for a scheduler, ``(None, workers)`` for a local cluster (None: one per core)."""
    text = spec.strip()
    name, colon, count = text.partition(":")
    if name != LOCAL:
        if not text or any(c.isspace() for c in text):
            raise OptionError(f"--dask {spec!r}: expected local, local:WORKERS or a scheduler address")
        return text, None
    if not colon:
        return None, None
    if not count.isdigit() or int(count) < 1:
        raise OptionError(
            f"--dask {spec}: expected local, local:WORKERS (WORKERS >= 1) or a scheduler address"
        )
    return None, int(count)


def dask_distributed() -> Any:
    """The ``distributed`` package, or an :class:`OptionError` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise OptionError(
            "--dask needs Dask: install the optional extra with `pip install 'lca[dask]'`"
        ) from None
    return distributed


@contextlib.contextmanager
def connect(spec: str) -> Iterator[Any]:
    """A :class:`distributed.Client` of the ``--dask`` cluster, closed (a local one stopped) after."""
    address, workers = parse_cluster(spec)
    distributed = dask_distributed()
    if address is None:
        # the command prints a task's error itself: the workers' own log of it is left out
        with (
            local_cluster(workers, silence_logs=logging.CRITICAL) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise OptionError(
            f"--dask {spec}: no Dask scheduler answered within {CONNECT_TIMEOUT} s ({exc})"
        ) from None
    with client:
        yield client


def local_cluster(workers: int | None = None, **options: Any) -> Any:
    """A :class:`distributed.LocalCluster` of ``workers`` processes (default: one per core), one thread each.

    Its workers' C library keeps the arrays of a Monte Carlo chunk for the next one
    (:data:`WORKER_MALLOC`, see docs/distributed.md).
    """
    import os

    import dask

    distributed = dask_distributed()
    settings = {f"distributed.nanny.pre-spawn-environ.{name}": value for name, value in WORKER_MALLOC.items()}
    with dask.config.set(settings):
        return distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            **options,
        )


def workers(client: Any) -> int:
    """Number of workers the scheduler knows now."""
    return len(client.scheduler_info().get("workers", {}))


__all__ = [
    "CONNECT_TIMEOUT",
    "LOCAL",
    "WORKER_MALLOC",
    "connect",
    "dask_distributed",
    "parse_cluster",
    "workers",
]
