"""Inventory -> matrices. All unit conversion happens here, once.

:func:`build_matrices` checks a :class:`~lca.model.records.Model` and turns it into a frozen
:class:`Matrices`: the technosphere A (products x activities), the biosphere B (flows x
activities) and the characterisation C (indicators x flows), as plain floats in the
canonical units (each activity's reference unit, each flow's unit, each indicator's unit),
following Heijungs & Suh (2002):

    A[j, j] = production of activity j,  A[i, j] = -(amount of product i used by j)

Every matrix entry keeps its :class:`CompiledAmount`: how to recompute it from parameter
values (in SI base units) and, for a numeric amount, its own uncertainty. Monte Carlo
re-evaluates those on arrays of draws without touching units again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pint
import scipy.sparse as sp

from lca.errors import FormulaError, InventoryError, LcaError, UnitError
from lca.indicators import Indicator, default_indicators, get_indicator, registered_indicators
from lca.model.formulas import Formula, is_number
from lca.model.records import PHASES, Activity, Exchange, Flow, Model, suggest
from lca.model.uncertainty import Uncertainty
from lca.units import Q_, conversion_factor, format_unit, parse_unit, ureg

MAX_FORMULA_LENGTH = 2000


@dataclass(frozen=True)
class Expr:
    """A number or a formula, evaluated in SI base units.

    ``base`` is the constant's magnitude in base units (NaN for a formula), ``unit`` the
    base unit of the result, ``uncertainty`` the spread of a constant in base units.
    """

    formula: Formula | None
    base: float
    unit: pint.Unit
    uncertainty: Uncertainty | None = None

    def evaluate(self, params: Mapping[str, Any]) -> Any:
        """Value in base units from parameter values in base units (floats or arrays)."""
        if self.formula is None:
            return self.base
        return self.formula.evaluate(params)


@dataclass(frozen=True)
class CompiledAmount:
    """How one matrix entry is computed: ``factor * numerator / prod(denominators)``.

    ``factor`` converts the base-unit result to the matrix's canonical unit and carries
    the sign (negative for technosphere inputs).
    """

    where: str
    numerator: Expr
    denominators: tuple[Expr, ...]
    factor: float

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
    tech_rows, tech_cols, tech_amounts : entries of A (duplicates summed in A).
    bio_rows, bio_cols, bio_amounts : entries of B.
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


def build_matrices(model: Model) -> Matrices:
    """Check ``model`` and compile it into :class:`Matrices`.

    Raises
    ------
    InventoryError, UnitError, FormulaError, UncertaintyError
        With the activity, exchange or parameter named, for any inconsistency.
    """
    indicators = _indicators(model)
    flows = _flows(model, indicators)
    _check_activities(model)
    params = compile_parameters(model)
    activities = list(model.activities.values())
    index = {a.code: j for j, a in enumerate(activities)}
    flow_index = {code: k for k, code in enumerate(flows)}
    units = [parse_unit(a.unit, f"activity '{a.code}' unit") for a in activities]
    out_of_scope = {i.code for i in registered_indicators()} - {i.code for i in indicators}

    tech: list[tuple[int, int, CompiledAmount | None, float]] = []
    bio: list[tuple[int, int, CompiledAmount, float]] = []
    for j, act in enumerate(activities):
        tech.append((j, j, None, float(act.production)))
        for n, exc in enumerate(act.exchanges, start=1):
            where = f"activity '{act.code}', exchange {n} (input '{exc.input}')"
            if exc.input in index and exc.input in flow_index:
                raise InventoryError(f"{where}: '{exc.input}' is both an activity and a flow")
            if exc.input in index:
                i = index[exc.input]
                amount = _compile_exchange(exc, units[i], -1.0, units[j], params, where)
                tech.append((i, j, amount, _finite(amount.evaluate(params.base_values), where)))
            elif exc.input in flow_index:
                target = parse_unit(flows[exc.input].unit, f"flow '{exc.input}' unit")
                amount = _compile_exchange(exc, target, 1.0, units[j], params, where)
                bio.append(
                    (flow_index[exc.input], j, amount, _finite(amount.evaluate(params.base_values), where))
                )
            elif exc.input in out_of_scope:
                continue  # an indicator the model does not assess (its `indicators` list)
            else:
                known = list(index) + list(flow_index)
                raise InventoryError(f"{where}: no activity or flow '{exc.input}'{suggest(exc.input, known)}")

    n = len(activities)
    t_rows, t_cols, t_amounts, t_values = _columns(tech)
    b_rows, b_cols, b_amounts, b_values = _columns(bio)
    technosphere = sp.csc_matrix((t_values, (t_rows, t_cols)), shape=(n, n))
    biosphere = sp.csc_matrix((b_values, (b_rows, b_cols)), shape=(len(flows), n))
    characterisation = _characterisation(flows, indicators)
    return Matrices(
        model_name=model.name,
        activities=tuple(a.code for a in activities),
        activity_names=tuple(a.name for a in activities),
        activity_units=tuple(a.unit for a in activities),
        phases=tuple(a.phase_label for a in activities),
        flows=tuple(flows),
        indicators=tuple(indicators),
        technosphere=technosphere,
        biosphere=biosphere,
        characterisation=characterisation,
        tech_rows=t_rows,
        tech_cols=t_cols,
        tech_amounts=tuple(t_amounts),
        bio_rows=b_rows,
        bio_cols=b_cols,
        bio_amounts=tuple(b_amounts),
        parameters=params,
        demand=_demand(model, index, units),
        missing=_missing(activities, indicators),
    )


# -- parameters ---------------------------------------------------------------------------
def compile_parameters(model: Model) -> CompiledParameters:
    """Parse, order and evaluate the parameters (pint first, then SI base magnitudes)."""
    formulas: dict[str, Formula] = {}
    graph = nx.DiGraph()
    for name, par in model.parameters.items():
        where = f"parameter '{name}'"
        if not name.isidentifier():
            raise InventoryError(f"{where}: a parameter name must be an identifier (letters, digits, _)")
        graph.add_node(name)
        if not is_number(par.amount):
            formulas[name] = _parse_formula(par.amount, where)
            if par.uncertainty is not None and par.uncertainty.is_uncertain:
                raise InventoryError(
                    f"{where}: a formula parameter takes its uncertainty from its inputs; "
                    "remove its distribution"
                )
            for dep in formulas[name].names:
                if dep not in model.parameters:
                    raise FormulaError(
                        f"{where}: formula '{par.amount}' uses unknown name "
                        f"'{dep}'{suggest(dep, model.parameters)}"
                    )
                graph.add_edge(dep, name)
    try:
        order = list(nx.lexicographical_topological_sort(graph))
    except nx.NetworkXUnfeasible:
        cycle = " -> ".join(u for u, _ in nx.find_cycle(graph))
        raise FormulaError(f"parameters depend on each other in a loop: {cycle}") from None

    quantities: dict[str, pint.Quantity] = {}
    uncertainties: dict[str, Uncertainty] = {}
    for name in order:
        par = model.parameters[name]
        where = f"parameter '{name}'"
        unit = parse_unit(par.unit, f"{where} unit")
        if name in formulas:
            value = _evaluate_quantity(formulas[name], quantities, where)
            factor = conversion_factor(value, unit, where) if par.unit else None
            quantities[name] = value.to(unit) if factor is not None else value
        else:
            quantities[name] = Q_(float(par.amount), unit)
            if par.uncertainty is not None:
                par.uncertainty.validate(where)
                if par.uncertainty.is_uncertain:
                    to_base = float(Q_(1.0, unit).to_base_units().magnitude)
                    uncertainties[name] = par.uncertainty.scaled(to_base)
    base = {n: q.to_base_units() for n, q in quantities.items()}
    return CompiledParameters(
        names=tuple(order),
        base_values={n: float(q.magnitude) for n, q in base.items()},
        base_units={n: q.units for n, q in base.items()},
        formulas=formulas,
        uncertainties=uncertainties,
        quantities=quantities,
    )


# -- exchanges ------------------------------------------------------------------------------
def compile_exchange(
    exc: Exchange,
    supplier_unit: str,
    consumer_unit: str,
    params: CompiledParameters,
    where: str,
    technosphere: bool = True,
) -> CompiledAmount:
    """Check and compile one exchange, as :func:`build_matrices` does for each entry.

    A hook for readers that locate problems row by row (``lca.io.excel``): the error
    raised starts with ``where`` followed by the part at fault (`` amount``,
    `` amount unit``, `` unit``, `` formula``, `` lifetime``, `` utilisation``).

    Parameters
    ----------
    exc : Exchange
        The exchange to check.
    supplier_unit, consumer_unit : str
        Reference unit of the supplying activity (or the flow's unit) and of the consumer.
    params : CompiledParameters
        From :func:`compile_parameters`.
    where : str
        Prefix of error messages.
    technosphere : bool
        True for an input of another activity (negative entry of A), False for a flow.
    """
    target = parse_unit(supplier_unit, f"{where} supplier unit")
    per = parse_unit(consumer_unit, f"{where} consumer unit")
    return _compile_exchange(exc, target, -1.0 if technosphere else 1.0, per, params, where)


def _compile_exchange(
    exc: Exchange, target: pint.Unit, sign: float, per: pint.Unit, params: CompiledParameters, where: str
) -> CompiledAmount:
    numerator = _expr(exc.amount, exc.unit, exc.uncertainty, params, f"{where} amount")
    denominators: tuple[Expr, ...] = ()
    if exc.is_amortised:
        lifetime = _expr(
            exc.lifetime if exc.lifetime is not None else "1 year", "", None, params, f"{where} lifetime"
        )
        utilisation = _expr(
            exc.utilisation if exc.utilisation is not None else 1.0, "", None, params, f"{where} utilisation"
        )
        _check_amortisation(lifetime, utilisation, params, where)
        denominators = (lifetime, utilisation)
    result = _quantity_of(numerator, params, where)
    for den in denominators:
        result = result / _quantity_of(den, params, where)
    if exc.unit and not exc.is_amortised and numerator.formula is not None:
        conversion_factor(result, parse_unit(exc.unit, f"{where} unit"), f"{where} formula")
    base = Q_(1.0, result.to_base_units().units)
    if base.dimensionality != Q_(1.0, target).dimensionality:
        per_unit = base * Q_(1.0, per)  # an intensity: amount per reference unit of the consumer
        if per_unit.dimensionality == Q_(1.0, target).dimensionality:
            base = per_unit
    to_target = conversion_factor(base, target, where)
    return CompiledAmount(where, numerator, denominators, sign * to_target)


def _check_amortisation(lifetime: Expr, utilisation: Expr, params: CompiledParameters, where: str) -> None:
    life = _quantity_of(lifetime, params, where)
    life_label = f"{where} lifetime{_from(lifetime)}"
    if life.dimensionality != ureg.year.dimensionality:
        raise UnitError(f"{life_label}: '{_show(life)}' is not a time; give it a unit such as year")
    if not float(life.magnitude) > 0:
        raise InventoryError(f"{life_label}: {_show(life)} must be > 0")
    util = _quantity_of(utilisation, params, where)
    util_label = f"{where} utilisation{_from(utilisation)}"
    if not util.dimensionless:
        raise UnitError(f"{util_label}: '{_show(util)}' must be a fraction (dimensionless)")
    value = float(util.to("dimensionless").magnitude)
    if not 0 < value <= 1:
        raise InventoryError(
            f"{util_label}: {value:g} is outside (0, 1]; it is the share of the hardware's life it is busy"
        )


def _from(expr: Expr) -> str:
    return f" (formula '{expr.formula}')" if expr.formula is not None else ""


def _show(q: pint.Quantity) -> str:
    return f"{float(q.magnitude):g} {format_unit(q.units)}".strip()


def _expr(
    value: Any, unit_text: str, uncertainty: Uncertainty | None, params: CompiledParameters, where: str
) -> Expr:
    """A number with ``unit_text``, a quantity text ('6 year') or a formula."""
    if is_number(value):
        unit = parse_unit(unit_text, f"{where} unit")
        q = Q_(float(value), unit).to_base_units()
        unc = None
        if uncertainty is not None:
            uncertainty.validate(where)
            if uncertainty.is_uncertain:
                to_base = float(Q_(1.0, unit).to_base_units().magnitude)
                unc = uncertainty.scaled(to_base)
        return Expr(None, float(q.magnitude), q.units, unc)
    if not isinstance(value, str):
        raise InventoryError(f"{where}: {value!r} is not a number, quantity or formula")
    text = value.strip()
    try:
        formula = _parse_formula(text, where)
    except FormulaError:
        q = _quantity_text(text)
        if q is None:
            raise
        q = q.to_base_units()
        return Expr(None, float(q.magnitude), q.units)
    for name in formula.names:
        if name not in params.base_values:
            raise FormulaError(
                f"{where}: formula '{text}' uses unknown name '{name}'{suggest(name, params.base_values)}"
            )
    if uncertainty is not None and uncertainty.is_uncertain:
        raise InventoryError(
            f"{where}: a formula amount takes its uncertainty from its parameters; remove its distribution"
        )
    q = _evaluate_quantity(formula, params.quantities, where).to_base_units()
    return Expr(formula, math.nan, q.units)


def _quantity_of(expr: Expr, params: CompiledParameters, where: str) -> pint.Quantity:
    if expr.formula is None:
        return Q_(expr.base, expr.unit)
    return _evaluate_quantity(expr.formula, params.quantities, where)


def _quantity_text(text: str) -> pint.Quantity | None:
    """Parse '6 year' or '400 W' as a quantity; None if it is not one."""
    parts = text.split(None, 1)
    if len(parts) != 2 or not is_number(parts[0]):
        return None
    try:
        return Q_(float(parts[0]), parse_unit(parts[1], text))
    except LcaError:
        return None


def _parse_formula(text: Any, where: str) -> Formula:
    text = str(text)
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"{where}: formula is {len(text)} characters long (max {MAX_FORMULA_LENGTH})")
    return Formula.parse(text, where)


def _evaluate_quantity(
    formula: Formula, quantities: Mapping[str, pint.Quantity], where: str
) -> pint.Quantity:
    try:
        with np.errstate(all="raise"):
            value = formula.evaluate(quantities)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"{where}: formula '{formula}' mixes units that do not convert ({exc})") from None
    except pint.errors.PintError as exc:
        raise UnitError(f"{where}: formula '{formula}': {exc}") from None
    except OverflowError:
        raise FormulaError(
            f"{where}: formula '{formula}' gives a number too large for a float (> 1.8e308)"
        ) from None
    except (ZeroDivisionError, FloatingPointError, ValueError) as exc:
        raise FormulaError(f"{where}: formula '{formula}' cannot be evaluated ({exc})") from None
    if not isinstance(value, pint.Quantity):
        value = Q_(float(value), ureg.dimensionless)
    if not np.isfinite(value.magnitude):
        raise FormulaError(f"{where}: formula '{formula}' gives {value.magnitude}")
    return value


# -- checks ---------------------------------------------------------------------------------
def _finite(value: float, where: str) -> float:
    """``value`` (a matrix entry in canonical units) if finite, else a located error."""
    if not np.isfinite(value):
        raise InventoryError(
            f"{where}: the amount overflows to {abs(value)} once converted to SI units; "
            "expected a finite number (is it too large?)"
        )
    return value


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


def _flows(model: Model, indicators: list[Indicator]) -> dict[str, Flow]:
    flows = {i.code: Flow(i.code, i.name, i.unit_text, {i.code: 1.0}) for i in indicators}
    codes = {i.code for i in indicators}
    categories = None
    for flow in model.flows.values():
        if flow.code in codes:
            raise InventoryError(f"flow '{flow.code}' has the code of an indicator")
        parse_unit(flow.unit, f"flow '{flow.code}' unit")
        for code in flow.factors:
            if code not in codes:
                raise InventoryError(
                    f"flow '{flow.code}': factor for unknown indicator '{code}'{suggest(code, codes)}"
                )
        if flow.is_elementary:  # characterised by the indicators' method categories
            from lca.methods import categories_for, characterised_flow, model_methods

            if categories is None:
                categories = categories_for(indicators, model_methods(model))
            flow = characterised_flow(flow, indicators, categories)
        flows[flow.code] = flow
    return flows


def _check_activities(model: Model) -> None:
    if not model.activities:
        raise InventoryError(f"model '{model.name}' has no activities")
    for act in model.activities.values():
        where = f"activity '{act.code}'"
        if act.phase is not None and act.phase not in PHASES:
            raise InventoryError(
                f"{where}: phase '{act.phase}' is not one of {', '.join(PHASES)}{suggest(act.phase, PHASES)}"
            )
        if not (is_number(act.production) and float(act.production) > 0):
            raise InventoryError(f"{where}: production is {act.production!r}, expected > 0")


def _demand(model: Model, index: dict[str, int], units: list[pint.Unit]) -> np.ndarray:
    vector = np.zeros(len(index))
    fu = model.functional_unit
    if fu is None:
        raise InventoryError(f"model '{model.name}' has no functional unit")
    if fu.activity not in index:
        raise InventoryError(f"functional unit: no activity '{fu.activity}'{suggest(fu.activity, index)}")
    if not float(fu.amount) > 0:
        raise InventoryError(f"functional unit: amount is {fu.amount}, expected > 0")
    j = index[fu.activity]
    unit = parse_unit(fu.unit, "functional unit unit") if fu.unit else units[j]
    vector[j] = float(fu.amount) * conversion_factor(unit, units[j], "functional unit")
    return vector


def _missing(activities: list[Activity], indicators: list[Indicator]) -> dict[str, tuple[str, ...]]:
    codes = {i.code for i in indicators}
    missing: dict[str, list[str]] = {}
    for act in activities:
        for code in act.missing:
            if code not in codes:
                raise InventoryError(f"activity '{act.code}': missing indicator '{code}' is unknown")
            missing.setdefault(code, []).append(act.code)
    return {k: tuple(v) for k, v in missing.items()}


def _columns(
    entries: list[tuple[int, int, Any, float]],
) -> tuple[np.ndarray, np.ndarray, list[Any], np.ndarray]:
    rows = np.array([e[0] for e in entries], dtype=np.int64)
    cols = np.array([e[1] for e in entries], dtype=np.int64)
    values = np.array([e[3] for e in entries], dtype=float)
    return rows, cols, [e[2] for e in entries], values


def _characterisation(flows: dict[str, Flow], indicators: list[Indicator]) -> sp.csr_matrix:
    ind_index = {ind.code: i for i, ind in enumerate(indicators)}
    rows, cols, values = [], [], []
    for k, flow in enumerate(flows.values()):
        for code, factor in flow.factors.items():
            rows.append(ind_index[code])
            cols.append(k)
            values.append(float(factor))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(indicators), len(flows)))
