"""Compile-time checks of a workbook's rows, each problem put on the cell at fault.

Parameters and exchanges are checked one row at a time with the compiler's own functions,
:func:`lca.compile.compile_parameters` and :func:`lca.compile.compile_exchange` (so the
rules are those of :func:`lca.compile.build_matrices`, not a copy); the error each raises
names the part at fault (``amount``, ``unit``, ``lifetime``, ``utilisation``...), which
gives the column. Rows that depend on a broken parameter are skipped, so one fault gives
one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lca.compile import CompiledParameters, compile_exchange, compile_parameters
from lca.errors import LcaError
from lca.io.excel_cells import Problems, Row, Sheet
from lca.io.excel_layout import PEDIGREE
from lca.model.formulas import Formula, is_number
from lca.model.records import Exchange, Model, Parameter
from lca.model.uncertainty import NAMES, Uncertainty

AT = "\x00at"  #: prefix of compile messages, stripped when a message is put on a cell
_PART = re.compile(
    r"^\s*(amount unit|amount|unit|formula|lifetime|utilisation)?(?: \(formula '[^']*'\))?\s*:?\s*"
)
_COLUMN_OF_PART = {"amount unit": "unit", "formula": "unit", None: "unit"}
_SPEC_COLUMNS = ("distribution", "gsd", "sigma", "sd", "min", "max", "mode", "basic_variance")


@dataclass
class Located:
    """A record and the sheet row it came from (``record`` is None for a broken row)."""

    record: Any
    sheet: Sheet
    row: Row


def check_parameters(
    params: Iterable[Located], model: Model, failed: set[str], problems: Problems
) -> CompiledParameters:
    """Compile the parameters; each one that fails is put on its cell and added to ``failed``.

    Returns the compiled parameters that do not fail (and do not use one that fails).
    """
    try:
        return compile_parameters(model)
    except LcaError:
        pass
    rows = {r.record.name: r for r in params if r.record is not None}
    good: dict[str, Parameter] = {}
    for name in dependency_order(model.parameters):
        par = model.parameters[name]
        if formula_names(par.amount) & failed:
            failed.add(name)
            continue
        try:
            compile_parameters(Model(model.name, parameters={**good, name: par}))
        except LcaError as exc:
            message = strip_where(exc, f"parameter '{name}'")
            column = "amount"
            if message.startswith("unit") or "cannot convert" in message:
                column = "unit"
            elif "uncertainty" in message:
                column = "distribution"
            row = rows[name]
            problems.add("Parameters", row.sheet.coord(column, row.row.number), _PART.sub("", message))
            failed.add(name)
            continue
        good[name] = par
    return compile_parameters(Model(model.name, parameters=good))


def check_exchanges(
    exchanges: Iterable[Located],
    model: Model,
    params: CompiledParameters,
    failed: set[str],
    indicator_units: dict[str, str],
    problems: Problems,
) -> None:
    """Compile each exchange row against ``params``; put each error on its cell.

    Rows with the same shape (formula texts, units, lifetime, utilisation; numbers differ)
    are compiled once: the checks do not depend on a plain amount's value.
    """
    seen: dict[tuple[Any, ...], str | None] = {}
    for r in exchanges:
        if r.record is None or not r.row.ok:
            continue
        exc: Exchange = r.record
        uses = formula_names(exc.amount) | formula_names(exc.lifetime) | formula_names(exc.utilisation)
        if uses & failed:
            continue
        consumer = model.activities[str(r.row.value("activity"))]
        if exc.input in model.activities:
            supplier, technosphere = model.activities[exc.input].unit, True
        else:
            flow = model.flows.get(exc.input)
            supplier, technosphere = (flow.unit if flow else indicator_units[exc.input]), False
        amount = "<number>" if isinstance(exc.amount, float) else exc.amount
        key = (amount, exc.unit, exc.lifetime, exc.utilisation, supplier, consumer.unit, technosphere)
        if key not in seen:
            seen[key] = None
            try:
                compile_exchange(exc, supplier, consumer.unit, params, AT, technosphere)
            except LcaError as error:
                seen[key] = strip_where(error, AT)
        message = seen[key]
        if message is None:
            continue
        part = _PART.match(message).group(1)  # type: ignore[union-attr]
        column = _COLUMN_OF_PART.get(part, part)
        text = _PART.sub("", message)
        if column == "unit":
            text = f"'{exc.unit}' for input '{exc.input}': {text}"
        elif column in ("lifetime", "utilisation"):
            value = getattr(exc, column)
            text = f"{column} {_show(value) if value is not None else '(empty)'}: {text}"
        problems.add("Exchanges", r.sheet.coord(column, r.row.number), text)


def read_uncertainty(v: dict[str, Any], sheet: Sheet, row: Row, problems: Problems) -> Uncertainty | None:
    """The uncertainty of a row's amount, built by :meth:`Uncertainty.from_spec`; None if fixed.

    A problem goes to the cell of the field the error names (``needs sd`` -> the sd cell).
    """
    spec = {k: v[k] for k in _SPEC_COLUMNS if v.get(k) is not None}
    scores = [v.get(p) for p in PEDIGREE]
    if any(s is not None for s in scores):
        if any(s is None for s in scores):
            first = PEDIGREE[scores.index(None)]
            problems.add(
                sheet.name,
                sheet.coord(first, row.number),
                f"empty pedigree score '{first}'; give all five scores (1 to 5) or none",
            )
            row.ok = False
            return None
        spec["pedigree"] = scores
    if not spec:
        return None
    amount = v["amount"]
    if not isinstance(amount, float):
        if (
            spec.get("distribution") in (None, "fixed", "1", 1)
            and "pedigree" not in spec
            and "gsd" not in spec
        ):
            return None
        problems.add(
            sheet.name,
            sheet.coord("distribution", row.number),
            "a formula amount takes its uncertainty from its parameters; remove its distribution fields",
        )
        row.ok = False
        return None
    if isinstance(spec.get("distribution"), float):
        spec["distribution"] = int(spec["distribution"])
    unused = _unused_fields(spec)
    if unused:
        kind = spec.get("distribution", "fixed")
        for name in unused:
            problems.add(
                sheet.name,
                sheet.coord("reliability" if name == "pedigree" else name, row.number),
                f"{name} is not used by distribution '{kind}'; clear it or choose the distribution "
                "it belongs to"
                if name not in ("gsd", "sigma")
                else f"{name} is ignored beside the other spread given; give one of pedigree, gsd, sigma",
            )
        row.ok = False
        return None
    try:
        return Uncertainty.from_spec(spec, amount, AT)
    except LcaError as exc:
        message = strip_where(exc, AT)
        problems.add(sheet.name, _spec_cell(sheet, row, message, spec), message)
        row.ok = False
        return None


#: Fields each distribution reads (Uncertainty.from_spec); any other given field would be ignored.
_USED = {
    "fixed": set(),
    "lognormal": {"gsd", "sigma", "pedigree", "basic_variance"},
    "normal": {"sd"},
    "uniform": {"min", "max"},
    "triangular": {"min", "max", "mode"},
}


def _unused_fields(spec: dict[str, Any]) -> list[str]:
    """Fields given that the distribution would silently ignore (a misread, so a problem)."""
    kind = spec.get("distribution")
    if kind is None:
        kind = "lognormal" if "pedigree" in spec or "gsd" in spec else "fixed"
    name = NAMES.get(int(kind), "") if str(kind).strip().isdigit() else str(kind).strip().lower()
    if name in ("none", "undefined"):
        name = "fixed"
    if name not in _USED:
        return []  # an unknown distribution: from_spec reports it
    unused = [k for k in spec if k != "distribution" and k not in _USED[name]]
    spreads = [k for k in ("pedigree", "gsd", "sigma") if k in spec]
    if "basic_variance" in spec and "pedigree" not in spec and "basic_variance" not in unused:
        unused.append("basic_variance")  # only added to pedigree variances
    return unused + spreads[1:]  # a lognormal reads one spread: pedigree, else gsd, else sigma


def _spec_cell(sheet: Sheet, row: Row, message: str, spec: dict[str, Any]) -> str:
    needs = re.search(r"needs (\w+)", message)
    column = needs.group(1) if needs and needs.group(1) in sheet.letters else None
    if column is None:
        for name in ("mode", "min", "max", "gsd", "sigma", "sd", "basic_variance", "pedigree"):
            if re.search(rf"\b{name}\b", message.replace("basic variance", "basic_variance")):
                column = "reliability" if name == "pedigree" else name
                break
    if column in ("min", "max") and "contain the amount" in message:
        column = "min"
    if column == "mode" and "mode" not in spec:
        column = "amount"
    if column is None or column not in sheet.letters:
        column = "distribution" if "distribution" in sheet.letters else "amount"
    return sheet.coord(column, row.number)


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else f"'{value}'"


def strip_where(exc: Exception, where: str) -> str:
    """The error message without its ``where`` prefix (the cell says where)."""
    text = str(exc)
    text = text[len(where) :] if where and text.startswith(where) else text
    return text.lstrip(": ")


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    try:
        return Formula.parse(text).names
    except LcaError:
        return frozenset()


def formula_names(amount: Any) -> frozenset[str]:
    """Parameter names a formula amount uses (none for a number or unparsable text)."""
    if amount is None or is_number(amount):
        return frozenset()
    return _names(str(amount))


def dependency_order(parameters: dict[str, Parameter]) -> list[str]:
    """Names with each after the parameters it uses (loops and unknowns left to compile)."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        if state.get(name) or name not in parameters:
            return
        state[name] = 1
        for dep in sorted(formula_names(parameters[name].amount)):
            visit(dep)
        order.append(name)

    for name in parameters:
        visit(name)
    return order
