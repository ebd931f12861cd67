"""Inventory -> matrices. All unit conversion happens here, once.

:func:`build_matrices` checks a :class:`~lca.model.records.Model` and turns it into a
frozen :class:`Matrices`: the technosphere A (products x activities), the biosphere B
(flows x activities) and the characterisation C (indicators x flows), as plain floats in
the canonical units (each activity's reference unit, each flow's unit, each indicator's
unit), following Heijungs & Suh (2002):

    A[j, j] = production of activity j,  A[i, j] = -(amount of product i used by j)

The conventions are Brightway's:

- an exchange is per *production amount* of its activity; an amount whose unit is an
  intensity per the activity's reference unit (``g CO2 eq/kWh`` in a kWh activity) is per
  one reference unit, so it is multiplied by the production;
- an exchange without a unit is in the supplier's reference unit (the flow's unit);
- a waste treatment has a negative production (``-1 kg``: it takes 1 kg of waste), and an
  activity that sends waste to it has a negative exchange of it; a functional unit on a
  waste treatment is the amount treated.

:func:`check` returns every problem of a model at once, each a
:class:`~lca.errors.Problem` with its place and field: the record rules of
:mod:`lca.model.checks`, then the rules that need units (conversions, lifetimes,
utilisations, formula values). ``build_matrices`` raises them; the readers put them on
their own places (a YAML path, a ``Sheet!Cell``).

Every matrix entry keeps its :class:`CompiledAmount`: how to recompute it from parameter
values (in SI base units) and, for a numeric amount, its own uncertainty. Monte Carlo
re-evaluates those on arrays of draws without touching units again. Numeric amounts cost
no pint arithmetic: each distinct (unit, reference unit) pair gets its exact factor once.
"""

from __future__ import annotations

import gc
import math
import sys
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pint
import scipy.sparse as sp

from lca.errors import FormulaError, InventoryError, LcaError, Place, Problem, UnitError, problems_of
from lca.indicators import Indicator, default_indicators, get_indicator, registered_indicators
from lca.model.checks import MAX_FORMULA_LENGTH, RecordCheck, parse_formula, record_problems
from lca.model.formulas import Formula, is_number, quote
from lca.model.records import MAX_HINTS, Activity, Exchange, Flow, Model, suggest
from lca.model.uncertainty import Uncertainty
from lca.units import Q_, _factor, format_unit, parse_unit, unit_mismatch, ureg

__all__ = [
    "MAX_FORMULA_LENGTH",
    "CompiledAmount",
    "CompiledParameters",
    "Expr",
    "Matrices",
    "build_matrices",
    "check",
    "compile_parameters",
]


class Expr:
    """A number or a formula, and the unit of the value :meth:`evaluate` returns.

    A number is kept in its own unit (``base`` is the amount as written, ``unit`` its unit,
    ``uncertainty`` its spread in that unit); a formula is evaluated on parameter values in
    SI base units and ``unit`` is the base unit of its result (``base`` is NaN).
    """

    __slots__ = ("base", "formula", "uncertainty", "unit")

    def __init__(
        self, formula: Formula | None, base: float, unit: pint.Unit, uncertainty: Uncertainty | None = None
    ):
        self.formula, self.base, self.unit, self.uncertainty = formula, base, unit, uncertainty

    def evaluate(self, params: Mapping[str, Any]) -> Any:
        """The value (in :attr:`unit`) from parameter values in base units (floats or arrays)."""
        if self.formula is None:
            return self.base
        return self.formula.evaluate(params)

    def __repr__(self) -> str:
        what = self.formula if self.formula is not None else self.base
        return f"Expr({what!r}, {self.unit!s})"


class CompiledAmount:
    """How one matrix entry is computed: ``factor * numerator / prod(denominators)``.

    ``factor`` converts the units of the numerator and denominators (:attr:`Expr.unit`) to
    the matrix's canonical unit, exactly, and carries the sign (negative for technosphere
    inputs) and, for an intensity, the production. ``place`` is the exchange's
    ``(activity code, index, input)``; :attr:`where` says it in words. (A small class with
    slots, not a dataclass: a background database makes hundreds of thousands of them.)
    """

    __slots__ = ("denominators", "factor", "numerator", "place")

    def __init__(
        self, place: tuple[str, int, str], numerator: Expr, denominators: tuple[Expr, ...], factor: float
    ):
        self.place, self.numerator, self.denominators, self.factor = place, numerator, denominators, factor

    @property
    def where(self) -> str:
        """``activity 'job', exchange 2 (input 'grid')``."""
        code, index, inp = self.place
        return str(Place("exchange", code, index, inp))

    def evaluate(self, params: Mapping[str, Any]) -> Any:
        """Matrix value from parameter values in base units (floats or arrays)."""
        value = self.numerator.evaluate(params)
        for den in self.denominators:
            value = value / den.evaluate(params)
        return value * self.factor

    @property
    def exprs(self) -> tuple[Expr, ...]:
        """Numerator and denominators, for samplers that draw exchange uncertainty."""
        return (self.numerator, *self.denominators)

    def __repr__(self) -> str:
        return f"CompiledAmount({self.where}, factor={self.factor!r})"


@dataclass(frozen=True)
class CompiledParameters:
    """Parameters in SI base units, in an order where each comes after its inputs."""

    names: tuple[str, ...]
    base_values: dict[str, float]
    base_units: dict[str, pint.Unit]
    formulas: dict[str, Formula]
    uncertainties: dict[str, Uncertainty]
    quantities: dict[str, pint.Quantity]

    @property
    def independent(self) -> tuple[str, ...]:
        """Names of parameters given by a value (not a formula), in order."""
        return tuple(n for n in self.names if n not in self.formulas)

    def derive(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Complete ``values`` of independent parameters with the formula ones."""
        env = dict(values)
        for name in self.names:
            if name in self.formulas:
                env[name] = self.formulas[name].evaluate(env)
            elif name not in env:
                env[name] = self.base_values[name]
        return env


@dataclass(frozen=True)
class Matrices:
    """The compiled inventory: sparse matrices, index maps and entry recipes.

    Attributes
    ----------
    activities : tuple of str
        Activity codes; index j of columns of A and B.
    phases : tuple of str
        Phase label of each activity (``"background"`` when it has none).
    flows, indicators : tuple of str
        Flow codes (rows of B) and indicator codes (rows of C).
    technosphere, biosphere : scipy.sparse.csc_matrix
        A (n x n) and B (flows x n), canonical units.
    characterisation : scipy.sparse.csr_matrix
        C (indicators x flows).
    tech_rows, tech_cols, tech_amounts, tech_values : entries of A (duplicates summed in A);
        ``tech_amounts`` is None for a production entry; ``tech_values`` are the exact
        deterministic values.
    bio_rows, bio_cols, bio_amounts, bio_values : entries of B.
    demand : numpy.ndarray
        The functional unit as a vector, in reference units.
    missing : dict of str to tuple of str
        Indicator code -> activities whose data do not cover it.
    """

    model_name: str
    activities: tuple[str, ...]
    activity_names: tuple[str, ...]
    activity_units: tuple[str, ...]
    phases: tuple[str, ...]
    flows: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    technosphere: sp.csc_matrix
    biosphere: sp.csc_matrix
    characterisation: sp.csr_matrix
    tech_rows: np.ndarray
    tech_cols: np.ndarray
    tech_amounts: tuple[CompiledAmount | None, ...]
    bio_rows: np.ndarray
    bio_cols: np.ndarray
    bio_amounts: tuple[CompiledAmount, ...]
    parameters: CompiledParameters
    demand: np.ndarray
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tech_values: np.ndarray | None = None
    bio_values: np.ndarray | None = None

    @property
    def index(self) -> dict[str, int]:
        """Activity code -> column index."""
        return {code: j for j, code in enumerate(self.activities)}

    def demand_vector(self, demand: Mapping[str, float] | None = None) -> np.ndarray:
        """A demand vector from ``{activity code: amount in its reference unit}``."""
        if demand is None:
            return self.demand.copy()
        vector = np.zeros(len(self.activities))
        index = self.index
        for code, amount in demand.items():
            if code not in index:
                raise InventoryError(f"demand: no activity '{code}'{suggest(code, index)}")
            vector[index[code]] += float(amount)
        return vector


def check(model: Model, unreadable: Collection[str] = ()) -> list[Problem]:
    """Every problem of ``model``, each with its place and field (empty when it compiles).

    Parameters
    ----------
    model : Model
    unreadable : collection of str
        Codes or names of records a reader could not build and has reported itself:
        references to them are not reported again.
    """
    with _no_gc():
        return _Compiler(model, unreadable).run()[1]


def build_matrices(model: Model) -> Matrices:
    """Check ``model`` and compile it into :class:`Matrices`.

    Raises
    ------
    InventoryError, UnitError, FormulaError, UncertaintyError
        The class of the first problem, carrying every problem found (``.problems``), each
        with the activity, exchange or parameter named.
    """
    with _no_gc():
        matrices, problems = _Compiler(model, ()).run()
    if problems:
        raise problems[0].error(problems)
    assert matrices is not None
    return matrices


def compile_parameters(model: Model) -> CompiledParameters:
    """Parse, order and evaluate the parameters (pint first, then SI base magnitudes).

    Raises the problems of the parameters, as :func:`build_matrices` does.
    """
    compiler = _Compiler(model, ())
    params = compiler.parameters()
    if compiler.problems:
        raise compiler.problems[0].error(compiler.problems)
    return params


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: compiling a background database creates hundreds of
    thousands of small objects and no cycles, and collections would rescan them all (20% of
    the time at 400,000 exchanges)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- the compiler -----------------------------------------------------------------------------------
class _Compiler:
    """One compilation: records checked, parameters evaluated, entries built; problems collected."""

    def __init__(self, model: Model, unreadable: Collection[str]):
        self.model = model
        self.unreadable = set(unreadable)
        self.problems: list[Problem] = []
        try:
            self.indicators = _indicators(model)
        except LcaError as exc:  # an unknown indicator code, or method category
            self._error(
                exc, Place("model", model.name), "methods" if model.info.get("methods") else "indicators"
            )
            self.indicators = default_indicators()
        selected = [i.code for i in self.indicators]
        registered = [i.code for i in registered_indicators()]
        self.record = record_problems(model, selected, registered, self.unreadable)
        self.problems.extend(self.record.problems)

    def run(self) -> tuple[Matrices | None, list[Problem]]:
        model = self.model
        indicators = self.indicators
        flows = _flows(model, indicators, self.problems)
        params = self.parameters()
        activities = list(model.activities.values())
        index = {a.code: j for j, a in enumerate(activities)}
        flow_index = {code: k for k, code in enumerate(flows)}
        units = [_unit_or_none(a.unit) for a in activities]
        flow_units = {code: _unit_or_none(flow.unit) for code, flow in flows.items()}
        rows: tuple[list[int], list[int]] = ([], [])
        cols: tuple[list[int], list[int]] = ([], [])
        values: tuple[list[float], list[float]] = ([], [])
        recipes: tuple[list[CompiledAmount | None], list[CompiledAmount]] = ([], [])
        skipped = self.record.skipped
        scales: dict[tuple[str, str, str], tuple[float, bool, pint.Unit] | Problem] = {}
        for j, act in enumerate(activities):
            production = _float(act.production)
            rows[0].append(j), cols[0].append(j), values[0].append(production), recipes[0].append(None)
            per = units[j]
            if per is None:
                continue
            for n, exc in enumerate(act.exchanges):
                inp = exc.input
                i = index.get(inp)
                if i is None:
                    i, target, sign, which = flow_index.get(inp), flow_units.get(inp), 1.0, 1
                    if i is None:
                        continue  # reported by the record rules, or an indicator out of scope
                    target_text = flows[inp].unit
                else:
                    target, sign, which, target_text = units[i], -1.0, 0, activities[i].unit
                if target is None or (skipped and (act.code, n) in skipped):
                    continue
                amount = exc.amount
                if type(amount) is float and exc.lifetime is None and exc.utilisation is None:
                    # the fast path: a number, one exact factor per (unit, reference unit) pair
                    key = (exc.unit, target_text, act.unit)
                    scale = scales.get(key)
                    if scale is None:
                        scale = scales[key] = _numeric_scale(exc.unit, target, per)
                    if type(scale) is Problem:
                        self._add(_at(scale, Place("exchange", act.code, n, inp), "unit"))
                        continue
                    factor, intensity, unit = scale
                    factor = sign * (factor * abs(production) if intensity else factor)
                    value = amount * factor
                    if not math.isfinite(value):
                        self._add(_overflow(Place("exchange", act.code, n, inp), amount))
                        continue
                    recipe = CompiledAmount(
                        (act.code, n, inp), Expr(None, amount, unit, exc.uncertainty), (), factor
                    )
                else:
                    if not self._uses_good_parameters(exc):
                        continue
                    place = Place("exchange", act.code, n, inp)
                    entry = self._exchange(exc, place, target, sign, per, production, params)
                    if entry is None:
                        continue
                    recipe, value = entry
                rows[which].append(i), cols[which].append(j), values[which].append(value)
                recipes[which].append(recipe)
        demand = self._demand(index, units)
        if self.problems:
            return None, self.problems
        n = len(activities)
        t_rows, b_rows = (np.array(r, dtype=np.int64) for r in rows)
        t_cols, b_cols = (np.array(c, dtype=np.int64) for c in cols)
        t_values, b_values = (np.array(v, dtype=float) for v in values)
        t_amounts, b_amounts = recipes
        technosphere = sp.csc_matrix((t_values, (t_rows, t_cols)), shape=(n, n))
        biosphere = sp.csc_matrix((b_values, (b_rows, b_cols)), shape=(len(flows), n))
        matrices = Matrices(
            model_name=model.name,
            activities=tuple(a.code for a in activities),
            activity_names=tuple(a.name for a in activities),
            activity_units=tuple(a.unit for a in activities),
            phases=tuple(a.phase_label for a in activities),
            flows=tuple(flows),
            indicators=tuple(indicators),
            technosphere=technosphere,
            biosphere=biosphere,
            characterisation=_characterisation(flows, indicators),
            tech_rows=t_rows,
            tech_cols=t_cols,
            tech_amounts=tuple(t_amounts),
            bio_rows=b_rows,
            bio_cols=b_cols,
            bio_amounts=tuple(b_amounts),
            parameters=params,
            demand=demand,
            missing=_missing(activities, indicators),
            tech_values=t_values,
            bio_values=b_values,
        )
        return matrices, self.problems

    def _error(self, exc: LcaError, where: Place, field_name: str) -> None:
        for problem in problems_of(exc):
            self._add(_at(problem, where, field_name))

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)

    # -- parameters -----------------------------------------------------------------------------
    def parameters(self) -> CompiledParameters:
        model = self.model
        quantities: dict[str, pint.Quantity] = {}
        base_values: dict[str, float] = {}
        base_units: dict[str, pint.Unit] = {}
        uncertainties: dict[str, Uncertainty] = {}
        names: list[str] = []
        broken = self.record.broken
        for name in self.record.order:
            par = model.parameters[name]
            where = Place("parameter", name)
            unit = _unit_or_none(par.unit)
            if unit is None:
                broken.add(name)  # its unit problem is already recorded
                continue
            if name in self.record.formulas:
                if any(dep in broken for dep in self.record.formulas[name].names):
                    broken.add(name)
                    continue
                value = self._evaluate(self.record.formulas[name], quantities, where, "amount")
                if value is None:
                    broken.add(name)
                    continue
                if par.unit:
                    factor = _factor(value.units, unit)
                    if factor is None:
                        self._add(_formula_unit(where, "unit", self.record.formulas[name], value.units, unit))
                        broken.add(name)
                        continue
                    value = Q_(float(value.magnitude) * factor, unit)
            else:
                value = Q_(float(par.amount), unit)
                if par.uncertainty is not None and par.uncertainty.is_uncertain:
                    uncertainties[name] = par.uncertainty
            base_unit = _base_unit(value.units)
            to_base = _factor(value.units, base_unit)
            base = float(value.magnitude) * to_base
            if not math.isfinite(base):
                self._add(
                    Problem(
                        where,
                        field="amount",
                        value=float(value.magnitude),
                        expected="a finite amount in SI units",
                        message=f"{float(value.magnitude):g} {format_unit(value.units)} overflows once "
                        "converted "
                        "to SI units; expected a finite number (is it too large?)",
                    )
                )
                broken.add(name)
                continue
            quantities[name] = value
            base_values[name] = base
            base_units[name] = base_unit
            if name in uncertainties:
                uncertainties[name] = uncertainties[name].scaled(to_base)
            names.append(name)
        return CompiledParameters(
            names=tuple(names),
            base_values=base_values,
            base_units=base_units,
            formulas={n: f for n, f in self.record.formulas.items() if n in base_values},
            uncertainties=uncertainties,
            quantities=quantities,
        )

    def _uses_good_parameters(self, exc: Exchange) -> bool:
        broken = self.record.broken | self.unreadable
        if not broken:
            return True
        for value in (exc.amount, exc.lifetime, exc.utilisation):
            if isinstance(value, str) and not is_number(value) and _names(value) & broken:
                return False
        return True

    def _evaluate(
        self, formula: Formula, quantities: Mapping[str, pint.Quantity], where: Place, field_name: str
    ) -> pint.Quantity | None:
        try:
            return evaluate_quantity(formula, quantities)
        except LcaError as exc:
            self._error(exc, where, field_name)
            return None

    # -- exchanges ------------------------------------------------------------------------------
    def _exchange(
        self,
        exc: Exchange,
        place: Place,
        target: pint.Unit,
        sign: float,
        per: pint.Unit,
        production: float,
        params: CompiledParameters,
    ) -> tuple[CompiledAmount, float] | None:
        where = (place.key, place.index or 0, place.input)
        if exc.is_amortised:
            return self._amortised(exc, place, target, sign, params)
        if isinstance(exc.amount, float | int) and not isinstance(exc.amount, bool):
            amount = float(exc.amount)
            scale = _scale_for(exc.unit or None, target, per, production)
            if isinstance(scale, Problem):
                self._add(_at(scale, place, "unit"))
                return None
            factor = sign * scale
            value = amount * factor
            if not math.isfinite(value):
                self._add(_overflow(place, amount))
                return None
            unit = parse_unit(exc.unit) if exc.unit else target
            return CompiledAmount(where, Expr(None, amount, unit, exc.uncertainty), (), factor), value
        numerator = self._expr(exc.amount, exc.unit, place, "amount", params)
        if numerator is None:
            return None
        expr, quantity = numerator
        declared = parse_unit(exc.unit) if exc.unit else None
        if declared is not None and expr.formula is not None:
            to_declared = _factor(quantity.units, declared)
            if to_declared is None:
                self._add(_formula_unit(place, "unit", expr.formula, quantity.units, declared))
                return None
            quantity = Q_(float(quantity.magnitude) * to_declared, declared)
        scale = _scale_for(None, target, per, production, quantity.units)
        if isinstance(scale, Problem):
            self._add(_at(scale, place, "unit" if declared is not None or expr.formula is None else "amount"))
            return None
        value = float(quantity.magnitude) * sign * scale
        if not math.isfinite(value):
            self._add(_overflow(place, float(quantity.magnitude)))
            return None
        recipe_factor = sign * scale * (_factor(expr.unit, quantity.units) or 1.0)
        return CompiledAmount(where, expr, (), recipe_factor), value

    def _amortised(
        self, exc: Exchange, place: Place, target: pint.Unit, sign: float, params: CompiledParameters
    ) -> tuple[CompiledAmount, float] | None:
        time = self._expr(exc.amount, exc.unit, place, "amount", params)
        life = self._expr(
            exc.lifetime if exc.lifetime is not None else "1 year", "", place, "lifetime", params
        )
        util = self._expr(
            exc.utilisation if exc.utilisation is not None else 1.0, "", place, "utilisation", params
        )
        if time is None or life is None or util is None:
            return None
        ok = True
        if not _is_time(time[1]):
            self._add(
                Problem(
                    place,
                    field="unit",
                    value=_show(time[1]),
                    expected="a time (the hardware's use time, e.g. h)",
                    message=f"an amortised amount is a use time; '{_show(time[1])}' is not a time "
                    "(give it a unit such as h)",
                    error=UnitError,
                )
            )
            ok = False
        ok &= self._check_lifetime(place, life)
        ok &= self._check_utilisation(place, util)
        if not ok:
            return None
        share = time[1] / (life[1] * util[1])
        scale = _factor(share.units, target)
        if scale is None:
            self._add(_at(unit_mismatch("", "", share.units, target), place, "amount"))
            return None
        value = float(share.magnitude) * scale * sign
        exprs = (time[0], life[0], util[0])
        combined = exprs[0].unit / (exprs[1].unit * exprs[2].unit)
        recipe_factor = sign * (_factor(combined, target) or scale)
        return CompiledAmount(
            (place.key, place.index or 0, place.input), exprs[0], exprs[1:], recipe_factor
        ), value

    def _check_lifetime(self, place: Place, life: tuple[Expr, pint.Quantity]) -> bool:
        expr, q = life
        text = _show(q) + _from(expr)
        if not _is_time(q):
            self._add(
                Problem(
                    place,
                    field="lifetime",
                    value=text,
                    expected="a time such as 6 year",
                    message=f"{text} is not a time; give it a unit such as year",
                    error=UnitError,
                )
            )
            return False
        if not float(q.magnitude) > 0:
            self._add(
                Problem(place, field="lifetime", value=text, expected="> 0", message=f"{text} must be > 0")
            )
            return False
        return True

    def _check_utilisation(self, place: Place, util: tuple[Expr, pint.Quantity]) -> bool:
        expr, q = util
        if not q.dimensionless:
            text = _show(q) + _from(expr)
            self._add(
                Problem(
                    place,
                    field="utilisation",
                    value=text,
                    expected="a fraction (dimensionless)",
                    message=f"{text} must be a fraction (dimensionless)",
                    error=UnitError,
                )
            )
            return False
        value = float(q.magnitude) * (_factor(q.units, ureg.dimensionless) or 1.0)
        if not sys.float_info.min <= value <= 1:
            where = (  # a subnormal share has lost its digits, and its inverse overflows
                "below the smallest normal float (2.2e-308)" if 0 < value < 1 else "outside (0, 1]"
            )
            self._add(
                Problem(
                    place,
                    field="utilisation",
                    value=value,
                    expected="a share in (0, 1]",
                    message=f"{value:g}{_from(expr)} is {where}; it is the share of the hardware's "
                    "life it is busy",
                )
            )
            return False
        return True

    def _expr(
        self, value: Any, unit_text: str, place: Place, field_name: str, params: CompiledParameters
    ) -> tuple[Expr, pint.Quantity] | None:
        """A number with ``unit_text``, a quantity text ('6 year') or a formula, and its quantity."""
        if isinstance(value, float | int) and not isinstance(value, bool):
            unit = parse_unit(unit_text) if unit_text else ureg.dimensionless
            return Expr(None, float(value), unit), Q_(float(value), unit)
        text = str(value).strip()
        quantity = _quantity_text(text)
        if quantity is not None:
            return Expr(None, float(quantity.magnitude), quantity.units), quantity
        if is_number(text):
            unit = parse_unit(unit_text) if unit_text else ureg.dimensionless
            return Expr(None, float(text), unit), Q_(float(text), unit)
        out = RecordCheck()
        formula = parse_formula(text, place, field_name, out)
        if formula is None:
            self.problems.extend(out.problems)
            return None
        unknown = [n for n in sorted(formula.names) if n not in params.base_values]
        if unknown:
            if not set(unknown) & (self.record.broken | self.unreadable):
                self._add(
                    Problem(
                        place,
                        field=field_name,
                        value=text,
                        expected="a formula over known parameters",
                        message=f"formula '{text}' uses unknown name '{unknown[0]}'",
                        hint=suggest(unknown[0], self.model.parameters).removeprefix("; ")
                        if len(self.problems) < MAX_HINTS
                        else "",
                        error=FormulaError,
                    )
                )
            return None
        quantity = self._evaluate(formula, params.quantities, place, field_name)
        if quantity is None:
            return None
        return Expr(formula, math.nan, _base_unit(quantity.units)), quantity

    # -- demand ---------------------------------------------------------------------------------
    def _demand(self, index: dict[str, int], units: list[pint.Unit | None]) -> np.ndarray:
        vector = np.zeros(len(index))
        fu = self.model.functional_unit
        if fu is None or fu.activity not in index or not is_number(fu.amount) or not float(fu.amount) > 0:
            return vector  # reported by the record rules
        j = index[fu.activity]
        activity_unit = units[j]
        if activity_unit is None:
            return vector
        unit = _unit_or_none(fu.unit) if fu.unit else activity_unit
        if unit is None:
            return vector
        factor = _factor(unit, activity_unit)
        if factor is None:
            self._add(_at(unit_mismatch("", "", unit, activity_unit), Place("functional_unit"), "unit"))
            return vector
        production = _float(self.model.activities[fu.activity].production)
        vector[j] = float(fu.amount) * factor * (-1.0 if production < 0 else 1.0)
        return vector


# -- unit helpers -----------------------------------------------------------------------------------
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
    from dataclasses import replace

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


def _overflow(place: Place, amount: float) -> Problem:
    return Problem(
        place,
        field="amount",
        value=amount,
        expected="a finite number",
        message=f"the amount {amount:g} overflows to inf once converted; "
        "expected a finite number (is it too large?)",
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


# -- indicators, flows, characterisation ------------------------------------------------------------
def _indicators(model: Model) -> list[Indicator]:
    if model.info.get("methods") or any(f.is_elementary for f in model.flows.values()):
        # elementary flows or method categories: lca.methods, which needs bw2io's data
        from lca.methods import model_indicators, model_methods

        indicators = model_indicators(default_indicators(), model_methods(model))
        by_code = {i.code: i for i in indicators}
        codes = model.info.get("indicators")
        return [by_code.get(c) or get_indicator(c) for c in codes] if codes else indicators
    codes = model.info.get("indicators")
    if codes:
        return [get_indicator(c) for c in codes]
    return default_indicators()


def _flows(
    model: Model, indicators: list[Indicator], problems: list[Problem] | None = None
) -> dict[str, Flow]:
    """The flows of the biosphere: a pre-characterised flow per indicator, then the model's.

    An elementary flow (with categories or a UUID) is characterised by the indicators'
    method categories (:mod:`lca.methods`); a flow the methods cannot characterise (unknown,
    or a unit that does not convert) is a problem at that flow, added to ``problems``.
    """
    flows = {i.code: Flow(i.code, i.name, i.unit_text, {i.code: 1.0}) for i in indicators}
    codes = {i.code for i in indicators}
    categories = None
    for flow in model.flows.values():
        if flow.code in flows:
            continue
        if flow.is_elementary:  # characterised by the indicators' method categories
            from lca.methods import categories_for, characterised_flow, model_methods

            if categories is None:
                categories = categories_for(indicators, model_methods(model))
            try:
                flow = characterised_flow(flow, indicators, categories)
            except LcaError as exc:
                field_name = "unit" if isinstance(exc, UnitError) else "name"
                found = [
                    _at(replace(p, where=""), Place("flow", flow.code), field_name) for p in problems_of(exc)
                ]
                if problems is None:
                    raise type(exc)(found) from None
                problems.extend(found)
                continue
        flows[flow.code] = replace(flow, factors={k: v for k, v in flow.factors.items() if k in codes})
    return flows


def _characterisation(flows: dict[str, Flow], indicators: list[Indicator]) -> sp.csr_matrix:
    ind_index = {ind.code: i for i, ind in enumerate(indicators)}
    rows, cols, values = [], [], []
    for k, flow in enumerate(flows.values()):
        for code, factor in flow.factors.items():
            if code in ind_index:
                rows.append(ind_index[code])
                cols.append(k)
                values.append(float(factor))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(indicators), len(flows)))


def _missing(activities: list[Activity], indicators: list[Indicator]) -> dict[str, tuple[str, ...]]:
    codes = {i.code for i in indicators}
    missing: dict[str, list[str]] = {}
    for act in activities:
        for code in act.missing:
            if code in codes:
                missing.setdefault(code, []).append(act.code)
    return {k: tuple(v) for k, v in missing.items()}
