"""The ``lca`` command: thin, it parses arguments, calls the library and prints.

Exit status: 0 success, 2 bad input (the message says where), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

import lca
from lca.errors import InputFileError, LcaError


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lca`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputFileError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except LcaError as exc:
        where = f"{args.inventory}: " if getattr(args, "inventory", None) else ""
        print(f"error: {where}{exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lca", description="Life-cycle assessment of AI models.")
    parser.add_argument("--version", action="version", version=f"lca {lca.__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def _add_run(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="assess an inventory (default: the shipped BLOOM case)")
    run.add_argument("inventory", nargs="?", help="inventory file (.yaml); default: BLOOM")
    run.add_argument("--demand", help="activity code to assess instead of the functional unit")
    run.add_argument("--iterations", type=int, help="Monte Carlo iterations (uncertainty bands)")
    run.add_argument("--seed", type=int, help="Monte Carlo seed (default: fresh, printed)")
    run.add_argument("--sampling", choices=("random", "lhs"), default="random", help="Monte Carlo sampling")
    run.add_argument(
        "--activity",
        action="append",
        default=[],
        help="also report this activity's contribution (repeatable)",
    )
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    model = lca.load(args.inventory) if args.inventory else lca.bloom()
    demand = None
    if args.demand:
        demand = {args.demand: 1.0}
    if args.iterations:
        return _run_monte_carlo(model, demand, args)
    result = lca.solve(model, demand)
    print(_header(model, args))
    print(format_table(result.phase_table()))
    for indicator, activities in result.missing().items():
        print(f"note: {indicator} is incomplete: no data for {', '.join(activities)}")
    return 0


def _run_monte_carlo(model: lca.Model, demand: dict[str, float] | None, args: argparse.Namespace) -> int:
    from lca.uncertainty.progress import ProgressBar
    from lca.uncertainty.propagation import monte_carlo

    result = monte_carlo(
        model,
        args.iterations,
        args.seed,
        sampling=args.sampling,
        demand=demand,
        activities=args.activity,
        progress=ProgressBar(),
    )
    print(_header(model, args))
    print(format_bands(result.summary()))
    low, high = (f"p{q:g}" for q in result.percentiles)
    print(
        f"\nmean [{low} - {high}] of {result.iterations:,} iterations ({result.sampling} sampling), "
        f"seed {result.seed}"
    )
    return 0


def format_bands(summary: pd.DataFrame) -> str:
    """Phase x indicator table of ``mean [low - high]`` cells from a Monte Carlo summary."""
    low, high = [c for c in summary.columns if c.startswith("p")][-2:]
    cells = summary.assign(
        cell=[
            f"{m:.4g} [{lo:.4g} - {hi:.4g}]"
            for m, lo, hi in zip(summary["mean"], summary[low], summary[high], strict=True)
        ],
        column=summary["indicator"] + " [" + summary["unit"] + "]",
    )
    table = cells.pivot(index="phase", columns="column", values="cell")
    table = table.loc[list(dict.fromkeys(summary["phase"])), list(dict.fromkeys(cells["column"]))]
    table.columns.name = None
    return table.to_string()


def _header(model: lca.Model, args: argparse.Namespace) -> str:
    fu = model.functional_unit
    what = args.demand or (fu.description if fu and fu.description else fu.activity if fu else "")
    source = args.inventory or "shipped BLOOM case"
    return f"{model.name}: {what}\n(lca {lca.__version__}, inventory: {Path(source).name})\n"


def format_table(frame: pd.DataFrame) -> str:
    """A phase x indicator table with 4 significant digits."""
    return frame.map(lambda v: f"{v:.4g}").to_string()


#: Each adds one sub-command to the parser; a new command is one function and one line here.
COMMANDS = [
    _add_run,
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
