"""The cells of a Brightway Excel workbook as lca values: numbers, units, keys, formulas, uncertainties.

Brightway's conventions, and what lca makes of them:

- numbers may be written as text (``"0.5"``), as bw2io's ``csv_numerize`` reads them;
  ``a::b`` is a tuple (categories ``air::urban air close to ground``, keys ``db::code``);
- units are Brightway's names (``kilogram``, ``kilowatt hour``), read with
  :func:`lca.methods.brightway_unit`, or pint texts (``kg``, ``kWh``);
- formulas are bw2parameters' Python expressions. The arithmetic lca's formula language
  accepts (numbers, names, ``+ - * / **``, ``min max exp log log10 sqrt abs``) is kept as
  written, ``pi`` and ``e`` become numbers; anything else (comparisons, ``if``, numpy
  functions) is refused at its cell. Nothing is evaluated here or anywhere else.
- uncertainties are stats_arrays fields (``uncertainty type``, ``loc``, ``scale``,
  ``minimum``, ``maximum``, ``negative``), read by
  :meth:`lca.model.uncertainty.Uncertainty.from_spec` with the fields each distribution
  reads in stats_arrays (``shape`` only serves ids 6-12, the ``loc`` of a uniform none);
  ids 0 and 1 are fixed amounts, ids 6-12 are refused.

Examples
--------
>>> brightway_formula("2 * pi * r", {"r"})
'2 * 3.141592653589793 * r'
>>> categories("air::urban air close to ground")
('air', 'urban air close to ground')
>>> exchange_key("biosphere3::349b29d1-3e58-4c66-98b9-9d1a076efd2e")[0]
'biosphere3'
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from lca.errors import FormulaError, LcaError, Problem, problems_of
from lca.methods import brightway_unit
from lca.model.formulas import Formula
from lca.model.uncertainty import LOGNORMAL, UNIFORM, UNSUPPORTED_IDS, Uncertainty
from lca.units import parse_unit

#: The uncertainty columns of a bw2io table and the :meth:`Uncertainty.from_spec` field of each.
UNCERTAINTY_COLUMNS = {
    "loc": "loc",
    "scale": "scale",
    "minimum": "min",
    "maximum": "max",
    "negative": "negative",
}
#: The column a problem's field is on (lca's uncertainty fields by their stats_arrays column).
COLUMN_OF = {
    "input": "name",
    "distribution": "uncertainty type",
    "id": "uncertainty type",
    "pedigree": "uncertainty type",
    "mode": "loc",
    "sd": "scale",
    "sigma": "scale",
    "gsd": "scale",
    "basic_variance": "scale",
    "min": "minimum",
    "max": "maximum",
}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_SUPPORTED = "0 or 1 (none), 2 lognormal, 3 normal, 4 uniform or 5 triangular"


class CellProblem(LcaError):
    """A cell that cannot be read: its column and what is wrong (the reader adds the place)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def number(value: Any, column: str) -> float | None:
    """A number cell (numeric text accepted, as bw2io's ``csv_numerize``); None when empty."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise CellProblem(column, f"text '{value}' in column '{column}'; expected a number") from None
    else:
        raise CellProblem(column, f"{value!r} in column '{column}'; expected a number")
    if not math.isfinite(number):
        raise CellProblem(column, f"{value!r} in column '{column}'; expected a finite number")
    return number


def text(value: Any) -> str:
    """A text cell ('' when empty; a whole number written as one)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def categories(value: Any) -> tuple[str, ...]:
    """``air::urban air close to ground`` as a tuple of categories."""
    return tuple(part.strip() for part in text(value).split("::")) if text(value) else ()


def exchange_key(value: Any) -> tuple[str, str] | None:
    """The ``input`` cell ``database::code`` as a Brightway key (None when empty)."""
    parts = categories(value)
    if not parts:
        return None
    if len(parts) != 2 or not all(parts):
        raise CellProblem("input", f"input '{value}'; expected a Brightway key 'database::code'")
    return parts[0], parts[1]


def unit_text(value: Any) -> str:
    """A Brightway unit name as an lca unit text (``kilowatt hour`` -> ``kWh``)."""
    return brightway_unit(text(value))


def is_dimensionless(unit: str) -> bool:
    """True for ``unit``, ``item``, ``""``...: a Brightway number is then already in that unit."""
    try:
        return bool(parse_unit(unit).dimensionless)
    except LcaError:
        return False  # the unit is refused by the model's rules, with its place


def one_parameter_name(unit: str, taken: Collection[str]) -> str:
    """``one_kWh``: the name of the parameter worth one ``unit``, not one of ``taken``."""
    name = "one_" + (re.sub(r"\W+", "_", unit.replace("**", "")).strip("_") or "unit")
    while name in taken:
        name += "_"
    return name


def brightway_formula(formula: Any, names: Collection[str]) -> str:
    """A bw2parameters formula as an lca formula: ``pi`` and ``e`` (when not parameters) as numbers.

    Raises
    ------
    CellProblem
        The formula is not arithmetic that lca's formula language accepts.
    """
    source = text(formula)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise CellProblem("formula", f"formula '{source}' is not valid Python ({exc.msg})") from None
    constants = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in _CONSTANTS and n.id not in names
    }
    if constants:

        class _Numbers(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                return ast.Constant(_CONSTANTS[node.id]) if node.id in constants else node

        source = ast.unparse(_Numbers().visit(tree))
    try:
        Formula.parse(source)
    except FormulaError as exc:
        raise CellProblem("formula", str(exc)) from None
    return source


def uncertainty(fields: dict[str, Any], amount: float, what: str) -> Uncertainty | None:
    """The stats_arrays uncertainty of a row (``fields``: column -> cell) for ``amount``.

    Raises
    ------
    CellProblem
        An unsupported distribution (naming ``what``, e.g. the exchange and its activity),
        or a field that does not fit (its column named).
    """
    kind = number(fields.get("uncertainty type"), "uncertainty type")
    if kind is None or kind in (0, 1):
        return None
    if not kind.is_integer() or int(kind) in UNSUPPORTED_IDS or not 0 <= kind <= 12:
        name = UNSUPPORTED_IDS.get(int(kind), "not a stats_arrays id") if kind.is_integer() else "not an id"
        raise CellProblem(
            "uncertainty type",
            f"{what}: uncertainty type {kind:g} ({name}) is not supported; expected {_SUPPORTED}",
        )
    spec: dict[str, Any] = {"id": int(kind)}
    for column, key in UNCERTAINTY_COLUMNS.items():
        value = fields.get(column)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        spec[key] = _flag(value) if key == "negative" else number(value, column)
    if spec["id"] == UNIFORM:
        spec.pop("loc", None)  # stats_arrays' uniform reads only its bounds
    try:
        return Uncertainty.from_spec(spec, amount)
    except LcaError as exc:
        problem: Problem = problems_of(exc)[0]
        column = COLUMN_OF.get(problem.field, problem.field) or "uncertainty type"
        raise CellProblem(column, problem.describe()) from None


def negated(unc: Uncertainty | None) -> Uncertainty | None:
    """The distribution of minus the amount (a Brightway substitution is lca's negative input)."""
    if unc is None:
        return None
    if unc.kind == LOGNORMAL:
        return replace(unc, negative=not unc.negative)
    return replace(unc, loc=-unc.loc, minimum=-unc.maximum, maximum=-unc.minimum)


def _flag(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
