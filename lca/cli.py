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
from lca.errors import InputFileError, LcaError, OutputError


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
    except OutputError as exc:  # the message starts with the output path
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except LcaError as exc:
        option = str(exc).startswith("--")  # about an option, not the inventory
        where = f"{args.inventory}: " if getattr(args, "inventory", None) and not option else ""
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
    run.add_argument("inventory", nargs="?", help="inventory file (.yaml or .xlsx); default: BLOOM")
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
    run.add_argument("--project", help="Brightway project the inventory's background links resolve in")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from lca.report.commands import check_iterations

    check_iterations(args.iterations or 0, args.seed)
    model = lca.load(args.inventory) if args.inventory else lca.bloom()
    if args.project:
        from lca.io.bw_import import link_background

        link_background(model, args.project)
    demand = None
    if args.demand:
        demand = {args.demand: 1.0}
    if args.iterations:
        return _run_monte_carlo(model, demand, args)
    result = lca.solve(model, demand)
    print(_header(model, args))
    print(format_table(result.phase_table()))
    _print_missing(result)
    return 0


def _print_missing(result: lca.Result) -> None:
    for indicator, activities in result.missing().items():
        print(f"note: {indicator} is incomplete: no data for {', '.join(activities)}")


def _run_monte_carlo(model: lca.Model, demand: dict[str, float] | None, args: argparse.Namespace) -> int:
    from lca.uncertainty.progress import ProgressBar
    from lca.uncertainty.propagation import monte_carlo

    matrices = lca.build_matrices(model)
    result = monte_carlo(
        matrices,
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
    _print_missing(lca.solve(matrices, demand))
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
    datasets = model.info.get("datasets", {}).get("version")
    data_note = f", datasets {datasets}" if datasets else ""
    return f"{model.name}: {what}\n(lca {lca.__version__}, inventory: {Path(source).name}{data_note})\n"


def format_table(frame: pd.DataFrame) -> str:
    """A phase x indicator table with 4 significant digits."""
    return frame.map(lambda v: f"{v:.4g}").to_string()


def _add_report(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="write a report (HTML, Markdown or Excel) of an inventory")
    report.add_argument("inventory", nargs="?", help="inventory file (.yaml); default: BLOOM")
    report.add_argument("--out", required=True, help="output file (report.html, report.md, report.xlsx)")
    report.add_argument("--format", choices=("html", "md", "xlsx"), help="default: from --out's extension")
    report.add_argument("--iterations", type=int, default=0, help="Monte Carlo iterations (0: none)")
    report.add_argument("--seed", type=int, default=None, help="Monte Carlo seed (printed in the report)")
    report.add_argument("--compare", metavar="OTHER", help="a second inventory of the same functional unit")
    report.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    from lca.io.loaders import load_checked
    from lca.report.commands import write_report

    model = lca.load(args.inventory) if args.inventory else lca.bloom()
    other = load_checked(args.compare) if args.compare else None
    source = Path(args.inventory).name if args.inventory else "shipped BLOOM case"
    path = write_report(
        model, args.out, args.format, source=source, iterations=args.iterations, seed=args.seed, other=other
    )
    print(f"wrote {path}")
    return 0


def _add_compare(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser("compare", help="compare two alternatives of the same functional unit")
    compare.add_argument("inventory", help="first alternative (.yaml)")
    compare.add_argument("other", help="second alternative (.yaml)")
    compare.add_argument("--out", help="also write the table and chart (.html or .md)")
    compare.add_argument("--iterations", type=int, default=0, help="Monte Carlo iterations (0: none)")
    compare.add_argument("--seed", type=int, default=None, help="Monte Carlo seed")
    compare.set_defaults(func=_compare)


def _compare(args: argparse.Namespace) -> int:
    from lca.io.datafile import check_output_path, write_atomic
    from lca.io.loaders import load_checked
    from lca.report.commands import compare_alternatives, format_for

    fmt = format_for(args.out or "x.html", None)
    if args.out:
        check_output_path(args.out)
    text, page = compare_alternatives(
        load_checked(args.inventory),
        load_checked(args.other),
        fmt=fmt,
        iterations=args.iterations,
        seed=args.seed,
    )
    print(text)
    if args.out:
        write_atomic(args.out, page)
        print(f"wrote {args.out}")


def _add_data(sub: argparse._SubParsersAction) -> None:
    from lca.data import CATEGORIES

    data = sub.add_parser("data", help="list and show the reference datasets (hardware, grid...)")
    actions = data.add_subparsers(dest="data_command", required=True)
    listing = actions.add_parser("list", help="entries of a dataset, with indicator coverage")
    listing.add_argument("category", nargs="?", choices=CATEGORIES, help="dataset (default: all)")
    listing.set_defaults(func=_data_list)
    show = actions.add_parser("show", help="one entry: every value, unit, range and source")
    show.add_argument("name", help="CATEGORY/NAME (e.g. grid/FR) or a name found in one dataset")
    show.set_defaults(func=_data_show)


def _data_list(args: argparse.Namespace) -> int:
    from lca.data.describe import list_text

    print(list_text(args.category))
    return 0


def _data_show(args: argparse.Namespace) -> int:
    from lca.data.describe import show_text

    print(show_text(args.name))
    return 0


def _add_template(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("template", help="write an empty, self-documenting inventory workbook (.xlsx)")
    cmd.add_argument("path", help="workbook to write, e.g. my_model.xlsx")
    cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    cmd.set_defaults(func=_template)


def _template(args: argparse.Namespace) -> int:
    from lca.io.excel import write_template

    _check_output(args.path, ".xlsx", args.force)
    write_template(args.path)
    print(f"wrote {args.path}: fill its sheets (see README), then run: lca run {args.path}")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "export", help="write an inventory (default: BLOOM) as .xlsx or .yaml, or its results"
    )
    cmd.add_argument("inventory", nargs="?", help="inventory file (.yaml or .xlsx); default: BLOOM")
    cmd.add_argument("--out", help="file to write (not for --format brightway)")
    cmd.add_argument(
        "--format", choices=["xlsx", "yaml", "brightway"], help="default: from the suffix of --out"
    )
    cmd.add_argument(
        "--project", help="--format brightway: the Brightway project to write to (created if new)"
    )
    cmd.add_argument("--database", help="--format brightway: the database name (default: the model's name)")
    cmd.add_argument("--results", action="store_true", help="write the results workbook instead (xlsx)")
    cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    cmd.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    from lca.io.datafile import dump_model
    from lca.io.excel import write_inventory, write_results

    if args.format == "brightway":
        return _export_brightway(args)
    if not args.out:
        raise LcaError("--out is required (the file to write)")
    fmt = args.format or ("yaml" if Path(args.out).suffix.lower() in (".yaml", ".yml") else "xlsx")
    if args.results and fmt != "xlsx":
        raise LcaError("--results writes a workbook: use --format xlsx")
    _check_output(args.out, ".xlsx" if fmt == "xlsx" else (".yaml", ".yml"), args.force)
    model = lca.load(args.inventory) if args.inventory else lca.bloom()
    if args.results:
        label = Path(args.inventory).name if args.inventory else "shipped BLOOM case"
        write_results(lca.solve(model), args.out, model=model, inventory=label)
    elif fmt == "xlsx":
        write_inventory(model, args.out)
    else:
        dump_model(model, args.out)
    print(f"wrote {args.out}")
    return 0


def _export_brightway(args: argparse.Namespace) -> int:
    from lca.io.bw_export import export_model

    if not args.project:
        raise LcaError("--format brightway needs --project NAME")
    model = lca.load(args.inventory) if args.inventory else lca.bloom()
    info = export_model(model, args.project, args.database, overwrite=args.force)
    print(
        f"wrote {info['activities']} activities to Brightway project '{args.project}', database "
        f"'{info['database']}' ({info['formulas']} exchanges with formulas, parameters in SI base units); "
        f"methods: {', '.join(' | '.join(m) for m in info['methods'])}"
    )
    return 0


def _add_methods(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("methods", help="list the impact method categories (ecoinvent 3.9 LCIA, via bw2io)")
    cmd.add_argument("search", nargs="*", help="words the category's name contains (case-insensitive)")
    cmd.set_defaults(func=_methods)


def _methods(args: argparse.Namespace) -> int:
    from lca.errors import DataNotFound
    from lca.methods import search_methods, suggest_method

    text = " ".join(args.search)
    found = search_methods(text)
    if not found:
        raise DataNotFound(f"no impact method category matches '{text}'{suggest_method([text])}")
    for name in found:
        print(" | ".join(name))
    print(f"\n{len(found)} categories; name one in a model as methods: [[{', '.join(found[0])}]]")
    return 0


def _check_output(path: str, suffix: str | tuple[str, ...], force: bool) -> None:
    from lca.io.datafile import check_output_path

    suffixes = (suffix,) if isinstance(suffix, str) else suffix
    if Path(path).suffix.lower() not in suffixes:
        raise OutputError(f"{path}: expected a file name ending in {' or '.join(suffixes)}")
    check_output_path(path)
    if Path(path).exists() and not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")


#: Each adds one sub-command to the parser; a new command is one function and one line here.
#: Each adds one sub-command to the parser; a new command is one function and one line here.
COMMANDS = [
    _add_run,
    _add_report,
    _add_compare,
    _add_data,
    _add_template,
    _add_export,
    _add_methods,
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
