"""The compiler: one pass over a model that checks every rule and builds its matrices."""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pint
import scipy.sparse as sp

from lca import collector
from lca.compile.characterisation import _characterisation, _flows, _indicators, _missing
from lca.compile.factors import (
    MAX_AMOUNT,
    _amortised_overflow,
    _at,
    _base_unit,
    _float,
    _formula_unit,
    _from,
    _is_time,
    _names,
    _numeric_scale,
    _overflow,
    _quantity_text,
    _scale_for,
    _show,
    _unit_or_none,
    evaluate_quantity,
)
from lca.compile.matrices import CompiledAmount, CompiledParameters, Expr, Matrices
from lca.errors import FormulaError, LcaError, Place, Problem, UnitError, problems_of
from lca.indicators import default_indicators, registered_indicators
from lca.model.checks import RecordCheck, parse_formula, record_problems
from lca.model.formulas import Formula, is_number
from lca.model.records import MAX_HINTS, Exchange, Model, suggest
from lca.model.uncertainty import Uncertainty
from lca.units import Q_, _factor, format_unit, parse_unit, unit_mismatch, ureg


def check(model: Model, unreadable: Collection[str] = ()) -> list[Problem]:
    """Every problem of ``model``, each with its place and field (empty when it compiles).

    Parameters
    ----------
    model : Model
    unreadable : collection of str
        Codes or names of records a reader could not build and has reported itself:
        references to them are not reported again.
    """
    with collector.paused():
        return _Compiler(model, unreadable).run()[1]


def build_matrices(model: Model) -> Matrices:
    """Check ``model`` and compile it into :class:`Matrices`.

    Raises
    ------
    InventoryError, UnitError, FormulaError, UncertaintyError
        The class of the first problem, carrying every problem found (``.problems``), each
        with the activity, exchange or parameter named.
    """
    with collector.paused():
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
                    if not abs(value) <= MAX_AMOUNT:
                        self._add(_overflow(Place("exchange", act.code, n, inp), amount, value))
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
            if not abs(value) <= MAX_AMOUNT:
                self._add(_overflow(place, amount, value))
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
        if not abs(value) <= MAX_AMOUNT:
            self._add(_overflow(place, float(quantity.magnitude), value))
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
        if not abs(value) <= MAX_AMOUNT:
            self._add(_amortised_overflow(place, time[1], life[1], util[1], value))
            return None
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
