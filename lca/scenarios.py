"""Quick scenarios: parameters set from the command line or from a table of scenarios.

``--set NAME=VALUE`` (``lca run``) and each row of a scenarios CSV (``lca scenarios``)
give a parameter of the inventory a new value, exactly as editing its ``amount`` (and
``unit``) in the file would:

* a bare number is in the parameter's own unit (``pue=1.4``); a number with a unit
  (``lifetime=4 year``, ``lifetime=48 month``) must convert to it;
* a set parameter is fixed: it replaces the amount or the formula, and its distribution
  is not sampled (a scenario states a value);
* nothing else changes: every other parameter, activity and flow is the inventory's;
* an unknown name is an error that suggests the closest parameter names.

Values are read as a number and a unit text, never evaluated as expressions.

A scenarios CSV has one column per parameter (``lifetime`` or ``lifetime [year]``, the
unit then applying to bare numbers) and one row per scenario; an optional first column
``scenario`` names the rows. An empty cell keeps the inventory's value, so an empty row
is the baseline.

Examples
--------
>>> import lca
>>> model = lca.load(lca.datasets_dir() / "examples" / "bloom_parametric.yaml")
>>> changed = apply_settings(model, {"pue": "1.4", "lifetime": "48 month"})
>>> changed.parameters["lifetime"].amount, changed.parameters["lifetime"].unit
(48.0, 'month')
>>> model.parameters["lifetime"].amount  # the inventory itself is not changed
6.0
>>> apply_settings(model, {"pu": "1.4"})
Traceback (most recent call last):
lca.errors.OptionError: --set pu=1.4: no parameter 'pu'; did you mean 'pue'?
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca.errors import InputFileError, LcaError, OptionError, Problem
from lca.model.records import Model, Parameter
from lca.units import Q_, parse_unit, same_dimension

#: A scenarios file larger than this is refused (bytes).
MAX_BYTES = 2 * 1024 * 1024
#: At most this many scenarios (rows), parameter columns and problems listed for one file.
MAX_SCENARIOS, MAX_COLUMNS, MAX_PROBLEMS = 10_000, 1_000, 1_000

_VALUE = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?)\s*(.*?)\s*")
_HEADER = re.compile(r"\s*([^\[\]]*?)\s*(?:\[([^\[\]]*)\])?\s*")


@dataclass
class Scenario:
    """One row of a scenarios table: a name and parameter name -> value text."""

    name: str
    settings: dict[str, str] = field(default_factory=dict)
    where: str = ""


def parse_setting(text: str) -> tuple[str, str]:
    """``"pue=1.4"`` -> ``("pue", "1.4")``.

    Examples
    --------
    >>> parse_setting("lifetime = 4 year")
    ('lifetime', '4 year')
    """
    name, equals, value = text.partition("=")
    if not equals or not name.strip() or not value.strip():
        raise OptionError(f"--set {text}: expected NAME=VALUE, e.g. --set pue=1.4 or --set lifetime='4 year'")
    return name.strip(), value.strip()


def apply_settings(
    model: Model, settings: Mapping[str, str], where: Callable[[str, str], str] | None = None
) -> Model:
    """A copy of ``model`` whose named parameters are fixed at the given values.

    Parameters
    ----------
    model : Model
        The inventory (not changed).
    settings : mapping of str to str
        Parameter name -> value text (``"1.4"``, ``"4 year"``).
    where : callable(name, value) -> str, optional
        Where a setting was given, for errors (default: ``--set NAME=VALUE``).

    Raises
    ------
    LcaError
        For an unknown name (with the closest names), a value that is not a number with
        an optional unit, or a unit that does not convert to the parameter's.
    """
    option = where is None  # an option of the command line, else a place in a scenarios file
    where = where or (lambda name, value: f"--set {name}={value}")
    parameters = dict(model.parameters)
    for name, text in settings.items():
        place = where(name, text)
        try:
            if name not in parameters:
                raise LcaError(f"no parameter '{name}'{_suggest(name, parameters)}")
            parameters[name] = _fixed(parameters[name], text, place, reference_unit(model, name))
        except LcaError as exc:
            message = exc.problems[0].describe() if exc.problems else str(exc)
            if option:
                raise OptionError(f"{place}: {message}") from None
            raise InputFileError([Problem(place, message)]) from None
    return dataclasses.replace(model, parameters=parameters)


def reference_unit(model: Model, name: str) -> str:
    """The unit a value of parameter ``name`` must convert to (a formula's own unit if undeclared)."""
    from lca.compile import compile_parameters
    from lca.model.formulas import is_number

    parameter = model.parameters[name]
    if parameter.unit or is_number(parameter.amount):
        return parameter.unit
    return str(compile_parameters(model).quantities[name].units)


def _fixed(parameter: Parameter, text: str, place: str, reference: str, default_unit: str = "") -> Parameter:
    match = _VALUE.fullmatch(text)
    if not match:
        raise LcaError("expected a number with an optional unit (e.g. 1.4 or 4 year)")
    amount = float(match.group(1))
    unit_text = match.group(2) or default_unit or reference
    if unit_text != reference:
        _check_converts(unit_text, reference, place)
    return dataclasses.replace(
        parameter, amount=amount, unit=unit_text, uncertainty=None, source=f"set: {place}"
    )


def _check_converts(unit_text: str, target: str, place: str) -> None:
    unit, reference = parse_unit(unit_text), parse_unit(target)
    if not same_dimension(unit, reference):
        raise LcaError(
            f"cannot convert '{unit_text}' ({Q_(1, unit).dimensionality}) to the "
            f"parameter's unit '{target or 'dimensionless'}' ({Q_(1, target).dimensionality})"
        )


def _suggest(name: str, known: Mapping[str, object]) -> str:
    if not known:
        return " (the inventory has no parameters)"
    close = difflib.get_close_matches(name, list(known)[:10_000], n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return f" (its parameters: {', '.join(list(known)[:20])}{', ...' if len(known) > 20 else ''})"


# -- a table of scenarios -----------------------------------------------------------------------
def read_scenarios(path: str | Path, model: Model) -> list[Scenario]:
    """The scenarios of a CSV file, checked against ``model``'s parameters.

    Raises
    ------
    InputFileError
        Every problem at once (up to :data:`MAX_PROBLEMS`), each at ``file, line N, column NAME``.
    """
    path = Path(path)
    label = path.name
    header, *body = _read_rows(path)
    if len(header) > MAX_COLUMNS:
        raise InputFileError(
            [Problem(f"{label}, line 1", f"{len(header):,} columns, more than {MAX_COLUMNS:,}")]
        )
    if len(body) > MAX_SCENARIOS:
        raise InputFileError([Problem(label, f"{len(body):,} rows, more than {MAX_SCENARIOS:,} scenarios")])
    named = header[0].strip().casefold() in ("scenario", "name")
    columns, problems = _columns(header[1:] if named else header, label, model)
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for line, cells in enumerate(body, start=2):
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(label, f"stopped at line {line} after {MAX_PROBLEMS:,} problems"))
            break
        if len(cells) <= 1 and not "".join(cells).strip():
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(
                Problem(f"{label}, line {line}", f"{len(cells)} cells, but the header has {len(header)}")
            )
            continue
        name = (cells[0].strip() if named else "") or f"scenario {len(scenarios) + 1}"
        if name in seen:
            problems.append(Problem(f"{label}, line {line}", f"scenario '{name}' is named twice"))
        seen.add(name)
        scenario = Scenario(name, where=f"{label}, line {line}")
        for (column, unit, reference), text in zip(columns, cells[1:] if named else cells, strict=True):
            if column is None or not text.strip():
                continue
            place = f"{label}, line {line}, column {column}"
            try:
                _fixed(model.parameters[column], text.strip(), place, reference, unit)
            except LcaError as exc:
                problems.append(Problem(place, str(exc).removeprefix(f"{place}: ")))
                continue
            scenario.settings[column] = f"{text.strip()} {unit}" if unit and _is_bare(text) else text.strip()
        scenarios.append(scenario)
    if not scenarios and not problems:
        problems.append(
            Problem(label, "no scenarios: expected a header of parameter names and one row per scenario")
        )
    if problems:
        raise InputFileError(problems)
    return scenarios


def _is_bare(text: str) -> bool:
    match = _VALUE.fullmatch(text)
    return bool(match) and not match.group(2)


def _read_rows(path: Path) -> list[list[str]]:
    from lca.io.files import file_problem

    problem = file_problem(path)
    if problem:
        raise InputFileError([Problem(str(path), problem)])
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError([Problem(path.name, f"file is larger than {MAX_BYTES // 2**20} MiB")])
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:  # utf-8-sig: Excel's "CSV UTF-8"
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputFileError([Problem(path.name, f"cannot be read as a UTF-8 CSV file ({reason})")]) from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputFileError([Problem(path.name, "empty: expected a header of parameter names")])
    return rows


def _columns(header: list[str], label: str, model: Model) -> tuple[list[tuple], list[Problem]]:
    """(parameter name, unit of bare numbers, parameter's unit) per column; problems for bad names."""
    columns: list[tuple] = []
    problems: list[Problem] = []
    for text in header:
        match = _HEADER.fullmatch(text)
        name, unit = (match.group(1), match.group(2) or "") if match else (text.strip(), "")
        where = f"{label}, line 1, column {name or '(empty)'}"
        if name not in model.parameters:
            hint = _suggest(name, model.parameters) if len(problems) < 100 else ""  # bounded work
            problems.append(Problem(where, f"no parameter '{name}'{hint}"))
            columns.append((None, "", ""))
            continue
        if name in [c[0] for c in columns]:
            problems.append(Problem(where, f"parameter '{name}' has two columns"))
        reference = reference_unit(model, name)
        if unit:
            try:
                _check_converts(unit, reference, where)
            except LcaError as exc:
                problems.append(Problem(where, str(exc).removeprefix(f"{where}: ")))
        columns.append((name, unit, reference))
    return columns, problems


def run_scenarios(
    model: Model,
    scenarios: list[Scenario],
    *,
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    demand: Mapping[str, float] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, int | None]:
    """Assess every scenario: one tidy table with a ``scenario`` column, and the seed.

    With Monte Carlo, each scenario is drawn paired with the inventory itself
    (:func:`lca.uncertainty.compare`, one seed for all, fresh when none is given): an
    input a scenario does not fix gets the same draws in every scenario, the draws of
    ``lca run --iterations`` with that seed, so differences between scenarios come from
    what they set, not from sampling noise. :func:`lca.sweeps.sweep` runs the same on a
    Dask cluster.
    """
    seed = sweep_seed(iterations, seed)
    frames = scenario_frames(model, scenarios, iterations, seed, sampling, demand, progress)
    return tidy_scenarios(list(frames)), seed


def scenario_frames(
    model: Model,
    scenarios: list[Scenario],
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    demand: Mapping[str, float] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[pd.DataFrame]:
    """Each scenario's tidy table in turn (:func:`assess_scenario`), for a table written as it grows."""
    for k, scenario in enumerate(scenarios):
        yield assess_scenario(model, scenario, iterations, seed, sampling, demand)
        if progress is not None:
            progress(k + 1, len(scenarios))


def sweep_seed(iterations: int, seed: int | None) -> int | None:
    """The one seed of every scenario's Monte Carlo run: ``seed``, or fresh entropy."""
    if iterations and seed is None:
        import numpy as np

        return int(np.random.SeedSequence().entropy)
    return seed


def assess_scenario(
    model: Model,
    scenario: Scenario,
    iterations: int = 0,
    seed: int | None = None,
    sampling: str = "random",
    demand: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One scenario's tidy table (see :func:`run_scenarios`), with its ``scenario`` column.

    Raises
    ------
    InputFileError
        A problem of the scenario, at its line of the scenarios file.
    """
    from lca.compile import build_matrices
    from lca.io.results import tidy_monte_carlo, tidy_result
    from lca.solve import solve
    from lca.uncertainty.sensitivity import compare

    changed = apply_settings(model, scenario.settings, lambda n, v, s=scenario: f"{s.where}, column {n}")
    try:
        result = solve(build_matrices(changed), demand)
        if iterations:
            demands = {"demand_a": demand or None, "demand_b": demand or None}
            paired = compare(model, changed, iterations, seed, sampling=sampling, **demands)
            frame = tidy_monte_carlo(paired.b, result.coverage(list(paired.b.rows)))
        else:
            frame = tidy_result(result)
    except InputFileError:
        raise
    except LcaError as exc:
        where = f"{scenario.where} (scenario '{scenario.name}')"
        raise InputFileError([Problem(where, str(exc))]) from None
    frame.insert(0, "scenario", scenario.name)
    return frame


def tidy_scenarios(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Scenarios' tables (:func:`assess_scenario`) as one."""
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "Scenario",
    "apply_settings",
    "assess_scenario",
    "parse_setting",
    "read_scenarios",
    "reference_unit",
    "run_scenarios",
    "scenario_frames",
    "sweep_seed",
    "tidy_scenarios",
]
