"""Unit factors and problems of the compiler: exact scales (intensities included), quantity
texts, formulas evaluated with pint, and the problems they give."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
import pint

from lca.compile.matrices import Expr
from lca.errors import FormulaError, LcaError, Place, Problem, UnitError
from lca.model.formulas import Formula, is_number, quote
from lca.model.records import Flow
from lca.units import Q_, _factor, format_unit, parse_unit, unit_mismatch, ureg


def _unit_or_none(text: str) -> pint.Unit | None:
    try:
        return parse_unit(text)
    except UnitError:
        return None


@lru_cache(maxsize=4096)
def _base_unit(unit: pint.Unit) -> pint.Unit:
    return Q_(1.0, unit).to_base_units().units


def _flow_unit(flow: Flow) -> pint.Unit | None:
    return _unit_or_none(flow.unit)


def _is_time(q: pint.Quantity) -> bool:
    return _factor(q.units, ureg.second) is not None


@lru_cache(maxsize=16384)
def _scale_parts(source: pint.Unit, target: pint.Unit, per: pint.Unit) -> tuple[float, bool] | None:
    """Factor from ``source`` to ``target``, and whether ``source`` is an intensity per ``per``.

    An intensity is a unit per the consumer's reference unit: its dimensions convert to the
    target once multiplied by ``per`` (``g CO2 eq/kWh`` in a kWh activity), or it divides by
    ``per`` itself when that is a count (``kg/item`` in an item activity).
    """
    direct = _factor(source, target)
    divides = any(name in source._units and source._units[name] < 0 for name in per._units)
    if direct is not None and not divides:
        return direct, False
    per_unit = _factor(source * per, target)
    if per_unit is not None:
        return per_unit, True
    return (direct, False) if direct is not None else None


def _numeric_scale(text: str, target: pint.Unit, per: pint.Unit) -> tuple[float, bool, pint.Unit] | Problem:
    """Factor of a number written in ``text`` (empty: the target's unit), intensity or not, its unit."""
    try:
        unit = parse_unit(text) if text else target
    except UnitError as exc:
        return exc.problems[0]
    parts = _scale_parts(unit, target, per)
    if parts is None:
        return unit_mismatch("", "", unit, target)
    return parts[0], parts[1], unit


def _scale_for(
    text: str | None,
    target: pint.Unit,
    per: pint.Unit,
    production: float,
    unit: pint.Unit | None = None,
) -> float | Problem:
    """Matrix factor of an amount in ``text`` (or ``unit``; None: the target's unit)."""
    source = unit if unit is not None else (parse_unit(text) if text else target)
    parts = _scale_parts(source, target, per)
    if parts is None:
        return unit_mismatch("", "", source, target)
    factor, intensity = parts
    return factor * abs(production) if intensity else factor


def _at(problem: Problem, place: Place, field_name: str) -> Problem:

    return replace(problem, where=place, field=problem.field or field_name)


def _formula_unit(
    where: Place, field_name: str, formula: Formula, got: pint.Unit, unit: pint.Unit
) -> Problem:
    got_text, unit_text = format_unit(got), format_unit(unit)
    return Problem(
        where,
        field=field_name,
        value=unit_text,
        expected=f"a unit that '{formula}' converts to",
        message=f"formula '{formula}' gives '{got_text}' ({Q_(1, got).dimensionality}), "
        "which cannot convert to "
        f"'{unit_text}' ({Q_(1, unit).dimensionality})",
        units=(got_text, unit_text),
        dimensions=(str(Q_(1, got).dimensionality), str(Q_(1, unit).dimensionality)),
        error=UnitError,
    )


#: Largest magnitude of a matrix entry (in its canonical unit). No physical amount of an
#: inventory comes near (1e100 J, kg or items); a larger one is a typo or an overflow, and it
#: would overflow the impacts at solve time, where its cell is no longer known.
MAX_AMOUNT = 1e100


def _overflow(place: Place, amount: float, value: float) -> Problem:
    """An amount whose matrix value (``value``, in the input's unit) is above :data:`MAX_AMOUNT`."""
    return Problem(
        place,
        field="amount",
        value=amount,
        expected=f"an amount below {MAX_AMOUNT:g} once converted",
        message=f"the amount {amount:g} is {abs(value):g} in the input's unit, above {MAX_AMOUNT:g}; "
        "expected a physical amount (is it too large?)",
    )


def _amortised_overflow(
    place: Place, time: pint.Quantity, life: pint.Quantity, util: pint.Quantity, value: float
) -> Problem:
    """An amortised share ``time / (life x util)`` above :data:`MAX_AMOUNT`: at the utilisation
    or the lifetime when one of them is vanishingly small (the usual cause), else the amount."""
    years = float(life.to("year").magnitude)
    utilisation = float(util.to("").magnitude)
    field, shown = (
        ("utilisation", utilisation)
        if utilisation <= 1e-10
        else ("lifetime", _show(life))
        if years <= 1e-10
        else ("amount", _show(time))
    )
    return Problem(
        place,
        field=field,
        value=shown,
        expected=f"an amortised share below {MAX_AMOUNT:g}",
        message=f"the amortised share {_show(time)} / ({_show(life)} x {utilisation:g}) "
        f"is {abs(value):g} in the input's unit, above {MAX_AMOUNT:g}; expected a physical "
        f"{field} (is it too {'large' if field == 'amount' else 'small'}?)",
    )


def _quantity_text(text: str) -> pint.Quantity | None:
    """Parse '6 year' or '400 W' as a quantity; None if it is not one."""
    parts = text.split(None, 1)
    if len(parts) != 2 or not is_number(parts[0]):
        return None
    try:
        return Q_(float(parts[0]), parse_unit(parts[1]))
    except LcaError:
        return None


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    try:
        return Formula.parse(text).names
    except LcaError:
        return frozenset()


def evaluate_quantity(formula: Formula, quantities: Mapping[str, pint.Quantity]) -> pint.Quantity:
    """Evaluate ``formula`` on pint quantities; a located-ready :class:`LcaError` otherwise."""
    shown = f"formula {quote(formula.text)}"
    try:
        with np.errstate(all="raise"):
            value = formula.evaluate(quantities)
    except pint.errors.DimensionalityError as exc:
        message = f"{shown} mixes units that do not convert ({exc})"
        raise _refused(formula, "units that add up", message, UnitError) from None
    except pint.errors.PintError as exc:
        raise _refused(formula, "a formula pint can evaluate", f"{shown}: {exc}", UnitError) from None
    except OverflowError:
        message = f"{shown} gives a number too large for a float (> 1.8e308)"
        raise _refused(formula, "a finite value", message) from None
    except (ZeroDivisionError, FloatingPointError, ValueError, RecursionError, MemoryError) as exc:
        reason = "too deeply nested" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        raise _refused(
            formula, "a formula that evaluates", f"{shown} cannot be evaluated ({reason})"
        ) from None
    if not isinstance(value, pint.Quantity):
        value = Q_(float(value), ureg.dimensionless)
    if not np.isfinite(value.magnitude):
        raise _refused(formula, "a finite value", f"{shown} gives {value.magnitude}")
    powers = [abs(float(e)) for e in value.units._units.values()]
    if powers and max(powers) > MAX_UNIT_POWER:  # pint would overflow converting it
        message = (
            f"{shown} gives a unit raised to the power {max(powers):g}; expected at most {MAX_UNIT_POWER}"
        )
        raise _refused(formula, "a physical unit", message)
    return value


def _refused(formula: Formula, expected: str, message: str, error: type[LcaError] = FormulaError) -> LcaError:
    """The error of a formula that cannot be evaluated (its place is put on by the caller)."""
    return error(Problem("", field="", value=str(formula), expected=expected, message=message, error=error))


#: Largest power of a unit a formula may give (m**3 is 3; a unit text allows 99).
MAX_UNIT_POWER = 99


def _float(value: Any) -> float:
    try:
        return float(value) if is_number(value) else math.nan
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _from(expr: Expr) -> str:
    return f" (formula '{expr.formula}')" if expr.formula is not None else ""


def _show(q: pint.Quantity) -> str:
    return f"{float(q.magnitude):g} {format_unit(q.units)}".replace(" dimensionless", "").strip()
