"""What ``lca run``, ``lca scenarios`` and ``lca validate`` do, so the CLI only parses.

Each function takes plain values (the parsed options), assesses, and prints the result in
one of :data:`FORMATS` on stdout: ``table`` and ``md`` for people (with their notes),
``csv`` and ``json`` for machines (notes then go to stderr, so stdout stays parseable).
Everything is imported when a command runs, not when the module is.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lca.terminal import say, warn

#: Output formats of ``lca run`` and ``lca scenarios``.
FORMATS = ("table", "csv", "json", "md")


def load_inventory(inventory: str | None, project: str | None = None):
    """The inventory (default: the shipped BLOOM case) and how to name it.

    With ``project``, its background links are resolved in that Brightway project.
    """
    import lca

    model, label = (
        (lca.load(inventory), Path(inventory).name) if inventory else (lca.bloom(), "shipped BLOOM case")
    )
    if project:
        from lca.io.bw_import import link_background

        link_background(model, project)
    return model, label


def run(
    inventory: str | None,
    *,
    fmt: str = "table",
    demand: str | None = None,
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    activities: Sequence[str] = (),
    settings: Mapping[str, str] | None = None,
    project: str | None = None,
    dask: str | None = None,
) -> None:
    """``lca run``: assess an inventory (with Monte Carlo when ``iterations``) and print it.

    ``project`` is the Brightway project the inventory's background links resolve in;
    ``dask`` the cluster the Monte Carlo iterations run on (:func:`lca.cluster.connect`).
    """
    import lca
    from lca.errors import OptionError
    from lca.io.results import metadata, tidy_monte_carlo, tidy_result
    from lca.scenarios import apply_settings

    check_iterations(iterations, seed)
    if dask is not None and not iterations:
        raise OptionError(f"--dask {dask} needs --iterations (e.g. 10000): only Monte Carlo is distributed")
    model, source = load_inventory(inventory, project)
    if settings:
        model = apply_settings(model, settings)
    demands = {demand: 1.0} if demand else None
    matrices = lca.build_matrices(model)
    result = lca.solve(matrices, demands)
    mc = None
    if iterations and dask is not None:
        mc = _monte_carlo_on(dask, matrices, iterations, seed, sampling, demands, activities)
        frame = tidy_monte_carlo(mc, result.coverage(list(mc.rows)))
    elif iterations:
        from lca.progress import ProgressBar

        with ProgressBar() as bar:
            mc = lca.monte_carlo(
                matrices,
                iterations,
                seed,
                sampling=sampling,
                demand=demands,
                activities=activities,
                progress=bar,
            )
        frame = tidy_monte_carlo(mc, result.coverage(list(mc.rows)))
    else:
        frame = tidy_result(result)
    document = metadata(model, result, inventory=source, demand=demands, settings=settings, monte_carlo=mc)
    header = _header(model, demand or _functional_unit(model), source)
    emit(frame, fmt, header=header, document=document, notes=_notes(result, mc))


def scenarios(
    inventory: str,
    table: str,
    *,
    fmt: str = "table",
    demand: str | None = None,
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    dask: str | None = None,
    out: str | None = None,
    force: bool = False,
) -> None:
    """``lca scenarios``: assess every row of a scenarios CSV into one table and print it.

    With ``dask``, batches of scenarios run on that cluster (:func:`lca.sweeps.sweep`); with
    ``out``, the table is written there (.csv, or .parquet with pyarrow) as it is computed,
    and not printed.
    """
    import lca
    from lca.io.results import metadata
    from lca.scenarios import read_scenarios

    check_iterations(iterations, seed)
    if out:
        from lca.sweeps import check_table_output

        check_table_output(out, overwrite=force, inputs=[p for p in (inventory, table) if p])
    model, source = load_inventory(inventory)
    rows = read_scenarios(table, model)
    demands = {demand: 1.0} if demand else None
    options = {"iterations": iterations, "seed": seed, "sampling": sampling, "demand": demands}
    if dask is not None:
        frame, written, seed = _sweep_on(dask, model, rows, out, force, options)
    else:
        frame, written, seed = _sweep_here(model, rows, out, force, options)
    result = lca.solve(model, demands)
    document = metadata(model, result, inventory=source, demand=demands)
    document.update(
        scenarios_file=Path(table).name,
        scenarios=[{"name": s.name, "settings": s.settings} for s in rows],
        seed=seed,
        iterations=iterations,
        sampling=sampling if iterations else None,
        percentiles=[2.5, 97.5] if iterations else [],
    )
    header = _header(model, f"{len(rows)} scenarios of {Path(table).name}", source)
    notes = _notes(result, iterations=iterations, seed=seed)
    if out:
        say(f"wrote {out} ({written:,} rows: {len(rows)} scenarios x phase x indicator x statistic)")
        for note in notes:
            say(note)
        return
    emit(frame, fmt, header=header, document=document, notes=notes)


def _sweep_here(model, rows, out, force, options):
    """The scenarios assessed in this process: (table, or None once written; rows; seed)."""
    from lca.progress import ProgressBar
    from lca.scenarios import scenario_frames, sweep_seed

    seed = sweep_seed(options["iterations"], options["seed"])
    with ProgressBar(unit="scenarios") as bar:
        frames = scenario_frames(model, rows, **{**options, "seed": seed}, progress=bar)
        return (*_table_or_file(frames, out, force), seed)


def _sweep_on(spec, model, rows, out, force, options):
    """The scenarios assessed on the ``--dask`` cluster, a batch per task."""
    from lca.cluster import connect
    from lca.progress import ProgressBar
    from lca.sweeps import sweep

    with connect(spec) as client, ProgressBar(unit="scenarios") as bar:
        run = sweep(client, model, rows, **options)
        return (*_table_or_file(run.frames(progress=bar), out, force), run.seed)


def _table_or_file(frames, out, force):
    """(table, rows) from the frames, or (None, rows) once they are written to ``out``."""
    from lca.scenarios import tidy_scenarios
    from lca.sweeps import write_table

    if out:
        return None, write_table(frames, out, overwrite=force)
    table = tidy_scenarios(list(frames))
    return table, len(table)


def _monte_carlo_on(spec, matrices, iterations, seed, sampling, demand, activities):
    """``lca run --iterations N --dask SPEC``: the iterations on that cluster, with the
    progress bar of a local run (fed as the tasks' results are gathered)."""
    from lca.cluster import connect
    from lca.progress import ProgressBar
    from lca.uncertainty.distributed import run_on
    from lca.uncertainty.propagation import Propagator

    propagator = Propagator(matrices, demand, activities)
    with connect(spec) as client, ProgressBar() as bar:
        run = run_on(client, propagator, iterations, seed, sampling)
        return run.result(progress=bar)


def validate(inventory: str) -> None:
    """``lca validate``: read, compile and factorise; print what was checked, or raise."""
    import lca

    model = lca.load(inventory)
    matrices = lca.build_matrices(model)
    result = lca.solve(matrices)  # a singular technosphere is refused here
    counts = (
        f"{len(model.activities)} activities, {len(model.parameters)} parameters, "
        f"{len(matrices.indicators)} indicators"
    )
    say(f"{Path(inventory).name}: valid ({counts})")
    for line in _notes(result):
        say(line)


def check_iterations(iterations: int, seed: int | None = None) -> None:
    """Refuse Monte Carlo options that cannot mean what the user wants.

    Shared by ``lca run``, ``lca report`` and ``lca compare``: 0 iterations means no
    Monte Carlo, 1 gives no band, and a seed without iterations would be ignored.

    Examples
    --------
    >>> check_iterations(0), check_iterations(10_000, seed=42)
    (None, None)
    >>> check_iterations(0, seed=42)
    Traceback (most recent call last):
    lca.errors.OptionError: --seed 42 needs --iterations (e.g. 10000): a seed only applies to Monte Carlo
    """
    from lca.errors import OptionError

    if iterations and iterations < 2:
        raise OptionError(f"--iterations {iterations}: expected 0 (none) or at least 2 (e.g. 10000)")
    if seed is not None and not iterations:
        raise OptionError(
            f"--seed {seed} needs --iterations (e.g. 10000): a seed only applies to Monte Carlo"
        )


def emit(frame, fmt: str, *, header: str, document: dict[str, Any], notes: list[str]) -> None:
    """Print a tidy results table in ``fmt``; notes on stdout for people, on stderr for machines."""
    from lca.io.results import escape_markdown, to_csv, to_json, to_markdown, to_text

    if fmt == "csv":
        sys.stdout.write(to_csv(frame))
    elif fmt == "json":
        sys.stdout.write(to_json(frame, document))
    elif fmt == "md":
        title, provenance = header.strip().split("\n", 1)
        title, provenance = escape_markdown(title), escape_markdown(provenance.strip("()"))
        say(f"**{title}**  \n_{provenance}_\n\n{to_markdown(frame)}")
    else:
        say(header)
        say(to_text(frame))
    for k, note in enumerate(notes):
        if fmt in ("csv", "json"):
            warn(note)
        else:
            say(f"\n{note}" if k == 0 and fmt == "table" else note)


def _header(model, what: str, source: str) -> str:
    from lca._version import __version__

    datasets = model.info.get("datasets")
    version = datasets.get("version") if isinstance(datasets, dict) else None
    data_note = f", datasets {version}" if version else ""
    return f"{model.name}: {what}\n(lca {__version__}, inventory: {source}{data_note})\n"


def _functional_unit(model) -> str:
    fu = model.functional_unit
    return (fu.description or fu.activity) if fu else ""


def _notes(result, mc=None, iterations: int = 0, seed: int | None = None) -> list[str]:
    """The Monte Carlo line (what the band is, the seed) and the incomplete indicators."""
    notes = []
    if mc is not None:
        low, high = (f"p{q:g}" for q in mc.percentiles)
        runs = f"{mc.iterations:,} iterations ({mc.sampling} sampling)"
        notes.append(f"mean [{low} - {high}] of {runs}, seed {mc.seed}")
    elif iterations:
        notes.append(f"mean [p2.5 - p97.5] of {iterations:,} iterations, seed {seed}")
    for indicator, activities in result.missing().items():
        notes.append(f"note: {indicator} is incomplete: no data for {', '.join(activities)}")
    return notes


__all__ = ["FORMATS", "check_iterations", "emit", "load_inventory", "run", "scenarios", "validate"]
