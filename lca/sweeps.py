"""Scenario sweeps on a Dask cluster, and their tidy table streamed to a file.

:func:`sweep` sends the inventory to every worker once, then one task per batch of
scenarios; a task assesses its scenarios one by one exactly as :func:`lca.scenarios.run_scenarios`
does (:func:`~lca.scenarios.assess_scenario`: the scenario's settings, its deterministic
result, and with Monte Carlo its run paired with the inventory, every scenario with the same
seed), so the table equals the serial one, row for row and bit for bit.

:meth:`Sweep.frames` yields the batches' tables in scenario order as they complete, so a
large table can be written as it arrives (:func:`write_table`: CSV, or Parquet when pyarrow
is installed) instead of being held whole.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lca.model.records import Model
from lca.scenarios import Scenario, assess_scenario, sweep_seed, tidy_scenarios

#: Tasks per worker a sweep is cut into by default (load balance against per-task cost).
TASKS_PER_WORKER = 8
#: Suffixes of the files :func:`write_table` writes.
TABLE_SUFFIXES = (".csv", ".parquet")


def assess_batch(
    model: Model,
    batch: list[Scenario],
    iterations: int,
    seed: int | None,
    sampling: str,
    demand: Mapping[str, float] | None,
) -> pd.DataFrame:
    """One task: the tidy table of a batch of scenarios (run on a worker)."""
    return tidy_scenarios([assess_scenario(model, s, iterations, seed, sampling, demand) for s in batch])


@dataclass
class Sweep:
    """Scenarios submitted to a Dask cluster, one future per batch (see :func:`sweep`).

    Attributes
    ----------
    futures : list of distributed.Future
        One per batch, in scenario order.
    sizes : list of int
        The scenarios of each batch.
    seed : int or None
        The seed of every scenario's Monte Carlo run (None without Monte Carlo).
    """

    client: Any
    model: Any
    futures: list[Any]
    sizes: list[int]
    seed: int | None

    def frames(self, progress: Callable[[int, int], None] | None = None) -> Iterator[pd.DataFrame]:
        """The batches' tables in scenario order, each as soon as it and those before are done.

        ``progress(done, total)`` is called with the scenarios done after each batch. A
        scenario's error (:class:`~lca.errors.InputFileError` at its line) is raised here and
        the other batches cancelled.
        """
        total, done = sum(self.sizes), 0
        try:
            for future, size in zip(self.futures, self.sizes, strict=True):
                frame = future.result()
                future.release()
                done += size
                if progress is not None:
                    progress(done, total)
                yield frame
        finally:
            self.client.cancel([f for f in self.futures if not f.done()])
            self.model.release()

    def table(self) -> pd.DataFrame:
        """The whole tidy table (scenario x phase x indicator x statistic)."""
        return tidy_scenarios(list(self.frames()))


def sweep(
    client: Any,
    model: Model,
    scenarios: list[Scenario],
    *,
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    demand: Mapping[str, float] | None = None,
    batch_size: int | None = None,
) -> Sweep:
    """Submit every scenario to the Dask cluster of ``client``, a batch per task.

    The arguments are those of :func:`lca.scenarios.run_scenarios`; ``batch_size`` is the
    scenarios of a task (default: enough batches for :data:`TASKS_PER_WORKER` per worker).
    With Monte Carlo and no seed, one fresh seed is drawn here for all (:attr:`Sweep.seed`).
    """
    from lca.cluster import workers

    seed = sweep_seed(iterations, seed)
    size = batch_size or max(1, math.ceil(len(scenarios) / (TASKS_PER_WORKER * max(workers(client), 1))))
    batches = [scenarios[k : k + size] for k in range(0, len(scenarios), size)]
    shared = client.scatter(model, broadcast=True, hash=False)
    token = secrets.token_hex(6)
    futures = [
        client.submit(
            assess_batch, shared, batch, iterations, seed, sampling, demand, key=f"lca-sweep-{token}-{k}"
        )
        for k, batch in enumerate(batches)
    ]
    return Sweep(client, shared, futures, [len(b) for b in batches], seed)


def write_table(
    frames: Iterable[pd.DataFrame], path: str | os.PathLike[str], *, overwrite: bool = False
) -> int:
    """Write tidy tables one after the other to ``path`` (.csv or .parquet); the rows written.

    CSV is :func:`lca.io.results.to_csv`'s (full precision, empty cells for missing values);
    Parquet (pyarrow) one row group per table. The file is written beside its target and
    renamed when complete, so a failed or interrupted run leaves no partial file; the target
    follows :func:`lca.io.files.check_output_path`'s rule.
    """
    from lca.io.files import check_output_path

    path = Path(path)
    check_table_output(path, overwrite=overwrite)
    writer = _ParquetWriter if path.suffix.lower() == ".parquet" else _CsvWriter
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    rows = 0
    try:
        with writer(tmp) as out:
            for frame in frames:
                out.write(frame)
                rows += len(frame)
        check_output_path(path, overwrite=overwrite)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def check_table_output(
    path: str | os.PathLike[str], *, overwrite: bool = False, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Refuse a table output before any work: the rule of every output, and pyarrow for Parquet."""
    from lca.errors import OutputError
    from lca.io.files import check_output_path

    check_output_path(path, overwrite=overwrite, inputs=inputs, suffixes=TABLE_SUFFIXES)
    if Path(path).suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise OutputError(
                f"{path}: writing Parquet needs pyarrow (pip install pyarrow); or write .csv"
            ) from None


class _CsvWriter:
    def __init__(self, path: Path):
        self.handle = path.open("x", encoding="utf-8", newline="")
        self.header = True

    def write(self, frame: pd.DataFrame) -> None:
        from lca.io.results import to_csv

        text = to_csv(frame)
        self.handle.write(text if self.header else text.split("\n", 1)[1])
        self.header = False

    def __enter__(self) -> _CsvWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


class _ParquetWriter:
    def __init__(self, path: Path):
        import pyarrow
        import pyarrow.parquet

        self.path, self.pa, self.pq, self.writer = path, pyarrow, pyarrow.parquet, None

    def write(self, frame: pd.DataFrame) -> None:
        table = self.pa.Table.from_pandas(frame, preserve_index=False)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.path, table.schema)
        self.writer.write_table(table)

    def __enter__(self) -> _ParquetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.writer is not None:
            self.writer.close()


__all__ = [
    "TABLE_SUFFIXES",
    "TASKS_PER_WORKER",
    "Sweep",
    "assess_batch",
    "check_table_output",
    "sweep",
    "write_table",
]
