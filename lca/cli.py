"""The ``lca`` command: thin, it parses arguments, calls the library and prints.

Exit status: 0 success, 2 bad input (the message says where), 1 unexpected failure,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM); the last two print one line and leave
no partial output file.

This module imports only the standard library: each command imports what it needs when
it runs, so ``lca --help`` answers at once. Each command is one ``_add_*`` function (its
arguments) and one function that runs it, listed in :data:`COMMANDS`.

Error lines show terminal control characters escaped (``\\x1b``, ``\\r``...): a name in an
inventory cannot set the terminal's title or overwrite the line with a fake message.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

#: At most this many ``error:`` lines are printed for one input; the rest are counted.
MAX_ERROR_LINES = 50
#: Exit status of a run stopped by Ctrl-C (128 + SIGINT) and by SIGTERM (128 + SIGTERM).
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that partial outputs are cleaned up."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lca`` console script."""
    args = _parser().parse_args(argv)
    with _sigterm_raises(), _warnings_printed() as others:
        try:
            status = int(args.func(args) or 0)
            for line in others:  # numerical warnings of a run that succeeded
                _err(line)
            return status
        except KeyboardInterrupt:
            return _stopped("interrupted", EXIT_INTERRUPTED)
        except Terminated:
            return _stopped("terminated", EXIT_TERMINATED)
        except BrokenPipeError:  # `lca run --format csv | head`: the reader left
            _silence_stdout()
            return 1
        except Exception as exc:
            from lca.errors import LcaError

            if not isinstance(exc, LcaError):
                raise
            return _print_error(exc, args)


def _print_error(exc: Exception, args: argparse.Namespace) -> int:
    from lca.errors import InputFileError, OptionError, OutputError

    where = getattr(args, "inventory", None)
    problems = [str(p) for p in getattr(exc, "problems", None) or []]
    if isinstance(exc, InputFileError):
        lines = problems  # located in their files already
    elif isinstance(exc, OutputError | OptionError):  # the path or the option first
        lines = [str(exc)]
    else:  # problems of the model's records: in the inventory given
        lines = [f"{where}: {line}" if where else line for line in problems or [str(exc)]]
    for line in lines[:MAX_ERROR_LINES]:
        _err(f"error: {line}")
    if len(lines) > MAX_ERROR_LINES:
        _err(f"error: ... and {len(lines) - MAX_ERROR_LINES:,} more problems")
    return 2


def _stopped(what: str, status: int) -> int:
    files = sys.modules.get("lca.io.files")
    if files is not None:
        files.remove_partial_files()
    _err(what)
    return status


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated` (then the handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _warnings_printed() -> Iterator[list[str]]:
    """While a command runs, each :class:`~lca.errors.LcaWarning` is printed at once as one
    ``warning: ...`` line (the same text once); other warnings (numpy's overflows...) are
    collected as such lines, printed by :func:`main` only if the command succeeds: when it
    fails, its error says what is wrong and where."""
    shown: set[str] = set()
    others: list[str] = []

    def show(message, category, filename, lineno, file=None, line=None):
        from lca.errors import LcaWarning

        text = str(message)
        if issubclass(category, LcaWarning):
            if text not in shown:
                shown.add(text)
                _err(f"warning: {text}")
        elif f"warning: {text}" not in others:
            others.append(f"warning: {text}")

    with warnings.catch_warnings():  # the filters stay Python's: each distinct warning once
        warnings.showwarning = show
        yield others


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor
        pass


# -- printing (lca.terminal: the standard library only) ---------------------------------------
def _err(line: str) -> None:
    from lca.terminal import warn

    warn(line)


def _say(text: str) -> None:
    from lca.terminal import say

    say(text)


class _Version(argparse.Action):
    """``--version``, reading the version only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from lca._version import __version__

        print(f"lca {__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lca", description="Life-cycle assessment of AI models.")
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


# -- shared arguments and steps -----------------------------------------------------------------
def _monte_carlo_options(cmd: argparse.ArgumentParser, default: int | None = None) -> None:
    cmd.add_argument("--iterations", type=int, default=default, help="Monte Carlo iterations (0: none)")
    cmd.add_argument("--seed", type=int, help="Monte Carlo seed (default: fresh, printed)")


def _dask_option(cmd: argparse.ArgumentParser, what: str) -> None:
    cmd.add_argument(
        "--dask",
        metavar="SCHEDULER|local[:WORKERS]",
        help=f"run {what} on a Dask cluster: a scheduler's address (tcp://host:8786) or local "
        "(a worker process per core; local:4 for four); the same numbers (needs lca[dask])",
    )


def _assessment(args: argparse.Namespace) -> dict:
    """The options ``lca run`` and ``lca scenarios`` share."""
    return {
        "fmt": args.format,
        "demand": args.demand,
        "iterations": args.iterations or 0,
        "seed": args.seed,
        "sampling": args.sampling,
        "dask": args.dask,
    }


def _settings(texts: Sequence[str]) -> dict[str, str]:
    from lca.errors import OptionError
    from lca.scenarios import parse_setting

    settings: dict[str, str] = {}
    for text in texts:
        name, value = parse_setting(text)
        if name in settings:
            raise OptionError(f"--set {name} is given twice ({settings[name]} and {value})")
        settings[name] = value
    return settings


# -- lca run -------------------------------------------------------------------------------------
def _add_run(sub: argparse._SubParsersAction) -> None:
    from lca.commands import FORMATS  # the standard library only, like this module

    run = sub.add_parser("run", help="assess an inventory (default: the shipped BLOOM case)")
    run.add_argument("inventory", nargs="?", help="inventory file (.yaml or .xlsx); default: BLOOM")
    run.add_argument("--demand", help="activity code to assess instead of the functional unit")
    _monte_carlo_options(run)
    run.add_argument("--sampling", choices=("random", "lhs"), default="random", help="Monte Carlo sampling")
    run.add_argument(
        "--activity",
        action="append",
        default=[],
        help="also report this activity's contribution (repeatable)",
    )
    run.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a parameter, e.g. --set pue=1.4 --set lifetime='4 year' (repeatable; a bare number "
        "is in the parameter's unit)",
    )
    run.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output: aligned table (default), csv, json, md",
    )
    run.add_argument("--project", help="Brightway project the inventory's background links resolve in")
    _dask_option(run, "the Monte Carlo iterations")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from lca.commands import run

    run(
        args.inventory,
        **_assessment(args),
        activities=args.activity,
        settings=_settings(args.settings),
        project=args.project,
    )
    return 0


# -- lca scenarios -------------------------------------------------------------------------------
def _add_scenarios(sub: argparse._SubParsersAction) -> None:
    from lca.commands import FORMATS

    cmd = sub.add_parser("scenarios", help="assess one inventory under each row of a scenarios table")
    cmd.add_argument("inventory", help="inventory file (.yaml or .xlsx)")
    cmd.add_argument(
        "table", help="scenarios CSV: one column per parameter (values with units), one row per scenario"
    )
    cmd.add_argument("--demand", help="activity code to assess instead of the functional unit")
    _monte_carlo_options(cmd)
    cmd.add_argument("--sampling", choices=("random", "lhs"), default="random", help="Monte Carlo sampling")
    cmd.add_argument("--format", choices=FORMATS, default="table", help="output (default: table)")
    cmd.add_argument(
        "--out",
        help="write the tidy table to this file as it is computed (.csv, or .parquet with pyarrow) "
        "instead of printing it",
    )
    cmd.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    _dask_option(cmd, "batches of scenarios")
    cmd.set_defaults(func=_scenarios)


def _scenarios(args: argparse.Namespace) -> int:
    from lca.commands import scenarios

    scenarios(args.inventory, args.table, **_assessment(args), out=args.out, force=args.force)
    return 0


# -- lca validate --------------------------------------------------------------------------------
def _add_validate(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("validate", help="check an inventory without assessing it (exit 0 valid, 2 not)")
    cmd.add_argument("inventory", help="inventory file (.yaml or .xlsx)")
    cmd.set_defaults(func=_validate)


def _validate(args: argparse.Namespace) -> int:
    from lca.commands import validate

    validate(args.inventory)
    return 0


# -- lca report, lca compare ---------------------------------------------------------------------
def _add_report(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="write a report (HTML, Markdown or Excel) of an inventory")
    report.add_argument("inventory", nargs="?", help="inventory file (.yaml or .xlsx); default: BLOOM")
    report.add_argument("--out", required=True, help="output file (report.html, report.md, report.xlsx)")
    report.add_argument("--format", choices=("html", "md", "xlsx"), help="default: from --out's extension")
    _monte_carlo_options(report, default=0)
    report.add_argument(
        "--compare", metavar="OTHER", help="a second inventory (.yaml or .xlsx) of the same functional unit"
    )
    report.add_argument("--force", action="store_true", help="overwrite an existing file")
    report.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    from lca.commands import load_inventory
    from lca.io.loaders import load_checked
    from lca.report.commands import format_for, write_report

    inputs = [p for p in (args.inventory, args.compare) if p]
    _check_output(args.out, format_for(args.out, args.format), args.force, inputs)
    model, source = load_inventory(args.inventory)
    other = load_checked(args.compare) if args.compare else None
    labels = (args.inventory or source, args.compare) if args.compare else None
    path = write_report(
        model,
        args.out,
        args.format,
        source=source,
        iterations=args.iterations,
        seed=args.seed,
        other=other,
        overwrite=args.force,
        inputs=inputs,
        labels=labels,
    )
    _say(f"wrote {path}")
    return 0


def _add_compare(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser("compare", help="compare two alternatives of the same functional unit")
    compare.add_argument("inventory", help="first alternative (.yaml or .xlsx)")
    compare.add_argument("other", help="second alternative (.yaml or .xlsx), same functional unit")
    compare.add_argument("--out", help="also write the table and chart (.html or .md)")
    _monte_carlo_options(compare, default=0)
    compare.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    compare.set_defaults(func=_compare)


def _compare(args: argparse.Namespace) -> int:
    from lca.io.files import write_atomic
    from lca.io.loaders import load_checked
    from lca.report.commands import compare_alternatives, format_for

    fmt = format_for(args.out or "x.html", None)
    if args.out:
        _check_output(args.out, fmt, args.force, [args.inventory, args.other])
    text, page = compare_alternatives(
        load_checked(args.inventory),
        load_checked(args.other),
        fmt=fmt,
        iterations=args.iterations,
        seed=args.seed,
        labels=(args.inventory, args.other),
    )
    _say(text)
    if args.out:
        write_atomic(args.out, page, overwrite=args.force)
        _say(f"wrote {args.out}")
    return 0


# -- lca data ------------------------------------------------------------------------------------
def _add_data(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="list, search and show the reference datasets (hardware, grid...)")
    actions = data.add_subparsers(dest="data_command", required=True)
    listing = actions.add_parser("list", help="entries of a dataset, with indicator coverage")
    listing.add_argument("category", nargs="?", help="hardware, grid, datacenter, transport, routes or eol")
    listing.set_defaults(func=_data_list)
    search = actions.add_parser("search", help="entries whose name or description holds every word of TEXT")
    search.add_argument("text", nargs="+", help="words to look for, e.g. 'germany grid' or A100")
    search.add_argument("--category", help="only this dataset (hardware, grid...)")
    search.set_defaults(func=_data_search)
    show = actions.add_parser("show", help="one entry: every value, unit, range and source")
    show.add_argument("name", help="CATEGORY/NAME (e.g. grid/FR) or a name found in one dataset")
    show.set_defaults(func=_data_show)


def _data_list(args: argparse.Namespace) -> int:
    from lca.data.describe import list_text

    _say(list_text(args.category))
    return 0


def _data_search(args: argparse.Namespace) -> int:
    from lca.data import names
    from lca.data.search import search_text

    if args.category:
        names(args.category)  # an unknown dataset is refused with the closest names
    text = " ".join(args.text)
    found = search_text(text, args.category)
    if found:
        _say(found)
    else:
        _err(f"no dataset entry matches '{text}' (`lca data list` lists them all)")
    return 0


def _data_show(args: argparse.Namespace) -> int:
    from lca.data.describe import show_text

    _say(show_text(args.name))
    return 0


# -- lca template, lca export --------------------------------------------------------------------
def _add_template(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("template", help="write an empty, self-documenting inventory workbook (.xlsx)")
    cmd.add_argument("path", help="workbook to write, e.g. my_model.xlsx")
    cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    cmd.set_defaults(func=_template)


def _template(args: argparse.Namespace) -> int:
    from lca.io.excel import write_template

    _check_output(args.path, "xlsx", args.force, [])
    write_template(args.path)
    _say(f"wrote {args.path}: fill its sheets (see README), then run: lca run {args.path}")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "export", help="write an inventory (default: BLOOM) as .xlsx or .yaml, or its results"
    )
    cmd.add_argument("inventory", nargs="?", help="inventory file (.yaml or .xlsx); default: BLOOM")
    cmd.add_argument("--out", help="file to write (not for --format brightway)")
    cmd.add_argument(
        "--format",
        choices=["xlsx", "yaml", "brightway", "bw2io-excel"],
        help="default: from the suffix of --out; bw2io-excel: a workbook bw2io.ExcelImporter imports",
    )
    cmd.add_argument(
        "--project", help="--format brightway: the Brightway project to write to (created if new)"
    )
    cmd.add_argument(
        "--database", help="--format brightway, bw2io-excel: the database name (default: the model's name)"
    )
    cmd.add_argument("--results", action="store_true", help="write the results workbook instead (xlsx)")
    cmd.add_argument("--force", action="store_true", help="overwrite an existing file")
    cmd.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    import lca
    from lca.commands import load_inventory
    from lca.errors import LcaError
    from lca.io.datafile import dump_model
    from lca.io.excel import write_inventory, write_results

    if args.format == "brightway":
        return _export_brightway(args)
    if not args.out:
        raise LcaError("--out is required (the file to write)")
    fmt = args.format or ("yaml" if Path(args.out).suffix.lower() in (".yaml", ".yml") else "xlsx")
    if args.results and fmt != "xlsx":
        raise LcaError("--results writes a workbook: use --format xlsx")
    inputs = [args.inventory] if args.inventory else []
    _check_output(args.out, "xlsx" if fmt == "bw2io-excel" else fmt, args.force, inputs)
    model, label = load_inventory(args.inventory)
    if fmt == "bw2io-excel":
        from lca.io.bw_excel_write import write_brightway_workbook

        info = write_brightway_workbook(model, args.out, args.database, overwrite=args.force)
        frozen = f"; frozen (not Brightway names): {', '.join(info['frozen'])}" if info["frozen"] else ""
        _say(
            f"wrote {args.out}: database '{info['database']}', {info['activities']} activities, "
            f"{info['formulas']} exchanges with formulas{frozen}; a workbook holds no impact methods "
            "(docs/brightway.md, section 5)"
        )
        return 0
    if args.results:
        write_results(lca.solve(model), args.out, model=model, inventory=label)
    elif fmt == "xlsx":
        write_inventory(model, args.out)
    else:
        dump_model(model, args.out)
    _say(f"wrote {args.out}")
    return 0


def _export_brightway(args: argparse.Namespace) -> int:
    from lca.commands import load_inventory
    from lca.errors import LcaError
    from lca.io.bw_export import export_model

    if not args.project:
        raise LcaError("--format brightway needs --project NAME")
    model, _ = load_inventory(args.inventory)
    info = export_model(model, args.project, args.database, overwrite=args.force)
    _say(
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


def _check_output(path: str, fmt: str, force: bool, inputs: Sequence[str]) -> None:
    """The one rule of every command's output (see :mod:`lca.io.files`), before any work."""
    from lca.io.files import SUFFIXES, check_output_path

    check_output_path(path, overwrite=force, inputs=inputs, suffixes=SUFFIXES[fmt])


def _add_import(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("import", help="write a starter inventory from another tool's output")
    kinds = cmd.add_subparsers(dest="import_kind", required=True)
    cc = kinds.add_parser(
        "codecarbon", help="CodeCarbon emissions.csv: measured runs, their grid and hardware"
    )
    cc.add_argument("file", help="the emissions.csv CodeCarbon wrote")
    cc.add_argument("--out", required=True, help="inventory to write (.yaml or .xlsx)")
    cc.add_argument(
        "--runs", action="append", default=[], help="run id or project name (repeatable; default: all)"
    )
    cc.add_argument(
        "--gpu", help="hardware entry of the GPUs (default: matched from gpu_model; none: leave out)"
    )
    cc.add_argument(
        "--cpu", help="hardware entry of the CPU (default: matched from cpu_model; none: leave out)"
    )
    cc.add_argument("--memory", help="hardware entry of the memory per GB (default: memory-per-GB; none)")
    cc.add_argument(
        "--cpu-method",
        choices=("estimated", "rapl"),
        default="estimated",
        help="how CodeCarbon measured the CPU",
    )
    cc.add_argument("--datacenter", help="data-centre entry of the PUE when the file gives none")
    cc.add_argument("--pue", type=float, help="PUE when the file gives none (instead of --datacenter)")
    cc.add_argument(
        "--phase", default="training", help="phase of the measured runs (training, deployment...)"
    )
    cc.add_argument("--force", action="store_true", help="overwrite an existing file")
    cc.set_defaults(func=_import_codecarbon)
    bw = kinds.add_parser(
        "brightway-excel", help="a Brightway Excel workbook (the format bw2io.ExcelImporter reads)"
    )
    bw.add_argument("file", help="the .xlsx workbook (Database, Activity, Exchanges, Parameters blocks)")
    bw.add_argument("--out", required=True, help="inventory to write (.yaml or .xlsx)")
    bw.add_argument(
        "--activity", help="code or name of the activity assessed (default: the one no other activity uses)"
    )
    bw.add_argument("--project", help="Brightway project of the databases the workbook links to")
    bw.add_argument("--force", action="store_true", help="overwrite an existing file")
    bw.set_defaults(func=_import_brightway_excel)


def _import_codecarbon(args: argparse.Namespace) -> int:
    from lca.io.codecarbon_import import write_starter

    hardware = {k: v for k, v in (("gpu", args.gpu), ("cpu", args.cpu), ("memory", args.memory)) if v}
    options = {"runs": args.runs, "hardware": hardware, "cpu_method": args.cpu_method, "phase": args.phase}
    path = write_starter(
        args.file, args.out, force=args.force, datacenter=args.datacenter, pue=args.pue, **options
    )
    print(f"wrote {path}; assess it with: lca run {path}")
    return 0


def _import_brightway_excel(args: argparse.Namespace) -> int:
    from lca.io.bw_excel_import import import_workbook

    path, notes = import_workbook(
        args.file, args.out, activity=args.activity, project=args.project, force=args.force
    )
    for note in notes:
        _err(f"note: {note}")
    _say(f"wrote {path}; assess it with: lca run {path}")
    return 0


#: Each adds one sub-command to the parser; a new command is one function and one line here.
COMMANDS = [
    _add_run,
    _add_scenarios,
    _add_validate,
    _add_report,
    _add_compare,
    _add_data,
    _add_template,
    _add_export,
    _add_import,
    _add_methods,
]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
