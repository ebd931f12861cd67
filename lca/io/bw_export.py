"""lca models out to Brightway 2.5: a bw2data database with parameters, phases and methods.

What :func:`export_model` writes in a project:

- database ``D`` (default: the model's name): every activity of the model that was not read
  from the project (foreground and its own background), with ``phase`` and ``lca_code``
  fields; its exchanges are the compiled matrix entries (lca converts every unit once, so
  an amount is in its supplier's reference unit as Brightway expects). Exchanges to
  activities read from the project link to them by key;
- database ``D flows`` (type biosphere): the model's flows that are not project flows, and one
  flow per pre-characterised indicator (``GWP``, in ``kg CO2 eq``);
- one method per indicator, ``("lca", D, code)``: the factors of the compiled
  characterisation matrix C (method categories, pre-characterised flows, stated factors),
  in the indicator's unit;
- the parameters, as activity parameters of group ``lca D`` with bw2parameters formulas, and the
  formula of every exchange that has one. Values are in **SI base units** (``lifetime`` in
  seconds), because lca evaluates formulas there: an lca formula is then a Brightway formula
  times its compiled conversion factor, exactly. Every formula translates (lca's language is a
  subset of bw2parameters'), so no value is frozen; amortised exchanges become
  ``amount / (lifetime * utilisation) * factor``.

Uncertainties are written as stats_arrays fields. bw2calc's Monte Carlo draws the exchanges'
distributions but not the parameters' (Brightway 2.5 needs presamples or its own parameter
datapackages for that): a model whose uncertainty is in parameters varies in lca only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lca.compile import CompiledAmount, Matrices, build_matrices
from lca.errors import InventoryError
from lca.io.bw_project import brightway, open_project
from lca.model.records import Model
from lca.model.uncertainty import LOGNORMAL, Uncertainty
from lca.units import format_unit

PRODUCTION, TECHNOSPHERE, BIOSPHERE = "production", "technosphere", "biosphere"


def export_model(
    model: Model, project: str, database: str | None = None, overwrite: bool = False
) -> dict[str, Any]:
    """Write ``model`` to Brightway project ``project`` (created if new).

    Returns
    -------
    dict
        ``database``, ``flows_database``, ``methods`` (names written), ``formulas`` (number of
        exchanges written with a formula), ``activities`` (number written).
    """
    bd = open_project(project, create=True)
    database = database or model.name
    flows_db = f"{database} flows"
    for name in (database, flows_db):
        if name in bd.databases:
            if not overwrite:
                raise InventoryError(
                    f"Brightway project '{project}' already has database '{name}'; use --force"
                )
            del bd.databases[name]
    matrices = build_matrices(model)
    linked = set((model.info.get("brightway") or {}).get("databases") or [])
    keys = _activity_keys(matrices, database, linked)
    flow_keys, flow_units, to_bw = _flow_keys(model, matrices, flows_db, linked)
    if any(k[0] == flows_db for k in flow_keys):
        bd.Database(flows_db).write(
            {
                key: {"name": name, "unit": unit, "type": "emission", "categories": ("lca",)}
                for key, (name, unit) in flow_units.items()
            }
        )
    waste = _waste_signs(keys, linked)
    data, formulas = _activities(model, matrices, keys, flow_keys, to_bw, waste, database)
    bd.Database(database).write(data)
    if matrices.parameters.names:
        _parameters(model, matrices, database, formulas)
    methods = _methods(matrices, database, flow_keys, to_bw)
    return {
        "database": database,
        "flows_database": flows_db,
        "methods": methods,
        "formulas": sum(len(v) for v in formulas.values()),
        "activities": len(data),
    }


def _activity_keys(matrices: Matrices, database: str, linked: set[str]) -> list[tuple[str, str]]:
    keys = []
    for code in matrices.activities:
        db, _, rest = code.partition(":")
        keys.append((db, rest) if db in linked and rest else (database, code))
    return keys


def _flow_keys(
    model: Model, matrices: Matrices, flows_db: str, linked: set[str]
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], tuple[str, str]], np.ndarray]:
    """Brightway key of each flow, the new flows (name, unit) and lca-unit -> Brightway-unit factors."""
    bd = brightway()
    keys, new, to_bw = [], {}, np.ones(len(matrices.flows))
    for k, code in enumerate(matrices.flows):
        flow = model.flows.get(code)
        db, _, rest = code.partition(":")
        if flow is not None and db in linked and rest:
            keys.append((db, rest))
        elif flow is not None and flow.uuid and "biosphere3" in bd.databases:
            from lca.methods import _per_reference, match_flow

            elementary = match_flow(flow)
            keys.append(("biosphere3", elementary.uuid))
            to_bw[k] = _per_reference(flow.unit.strip(), elementary.unit, f"flow '{code}'")
        else:
            unit = (
                flow.unit
                if flow is not None
                else next(i.unit_text for i in matrices.indicators if i.code == code)
            )
            keys.append((flows_db, code))
            new[(flows_db, code)] = (flow.name if flow is not None else code, format_unit(unit))
    return keys, new, to_bw


def _waste_signs(keys: list[tuple[str, str]], linked: set[str]) -> dict[int, float]:
    """-1 for project activities with a negative production (read as treatment services)."""
    bd = brightway()
    signs = {}
    for i, key in enumerate(keys):
        if key[0] in linked:
            node = bd.get_node(database=key[0], code=key[1])
            production = sum(e["amount"] for e in node.production())
            signs[i] = -1.0 if production < 0 else 1.0
    return signs


def _activities(
    model: Model,
    matrices: Matrices,
    keys: list[tuple[str, str]],
    flow_keys: list[tuple[str, str]],
    to_bw: np.ndarray,
    waste: dict[int, float],
    database: str,
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[tuple[str, str], list[int]]]:
    data: dict[tuple[str, str], dict[str, Any]] = {}
    for j, key in enumerate(keys):
        if key[0] != database:
            continue
        act = model.activities[matrices.activities[j]]
        data[key] = {
            "name": act.name,
            "unit": format_unit(act.unit) if act.unit else "unit",
            "location": act.location or "GLO",
            "reference product": act.name,
            "phase": act.phase_label,
            "lca_code": act.code,
            "comment": act.comment,
            "exchanges": [],
        }
    formulas: dict[tuple[str, str], list[int]] = {}
    for n, (i, j, amount) in enumerate(
        zip(matrices.tech_rows, matrices.tech_cols, matrices.tech_amounts, strict=True)
    ):
        key = keys[j]
        if key not in data:
            continue
        if amount is None:  # the diagonal: production
            production = float(model.activities[matrices.activities[j]].production)
            data[key]["exchanges"].append({"input": key, "amount": production, "type": PRODUCTION})
            continue
        value = _entry_value(amount, matrices)
        sign = -waste.get(int(i), 1.0)  # A[i, j] = -amount; a project waste treatment is turned back
        exchange = _exchange(keys[i], sign * value, TECHNOSPHERE, amount, sign)
        data[key]["exchanges"].append(exchange)
        if "formula" in exchange:
            formulas.setdefault(key, []).append(n)
    for i, j, amount in zip(matrices.bio_rows, matrices.bio_cols, matrices.bio_amounts, strict=True):
        key = keys[j]
        if key in data:
            factor = float(to_bw[i])
            exchange = _exchange(
                flow_keys[i], factor * _entry_value(amount, matrices), BIOSPHERE, amount, factor
            )
            data[key]["exchanges"].append(exchange)
            if "formula" in exchange:
                formulas.setdefault(key, []).append(-1)
    return data, formulas


def _entry_value(amount: CompiledAmount, matrices: Matrices) -> float:
    return float(amount.evaluate(matrices.parameters.base_values))


def _exchange(
    key: tuple[str, str], value: float, kind: str, amount: CompiledAmount, sign: float
) -> dict[str, Any]:
    exchange: dict[str, Any] = {"input": key, "amount": value, "type": kind}
    formula = _formula(amount, sign)
    if formula:
        exchange["formula"] = formula
    elif amount.numerator.uncertainty is not None and not amount.denominators:
        exchange.update(_stats(amount.numerator.uncertainty, amount.factor * sign))
    return exchange


def _formula(amount: CompiledAmount, sign: float) -> str:
    """The bw2parameters formula of an entry over base-unit parameters ('' for a constant)."""
    parts = [amount.numerator, *amount.denominators]
    if all(p.formula is None for p in parts):
        return ""
    text = f"({_text(amount.numerator)})"
    for den in amount.denominators:
        text += f" / ({_text(den)})"
    return f"{text} * {amount.factor * sign!r}"


def _text(expr: Any) -> str:
    return str(expr.formula) if expr.formula is not None else repr(expr.base)


def _stats(unc: Uncertainty, factor: float) -> dict[str, Any]:
    """stats_arrays fields of ``unc`` (base units) for the amount times ``factor``."""
    negative = factor < 0
    scaled = unc.scaled(abs(factor))
    fields: dict[str, Any] = {"uncertainty type": scaled.kind}
    if scaled.kind == LOGNORMAL:
        fields.update(loc=scaled.loc, scale=scaled.scale, negative=scaled.negative != negative)
        return fields
    sign = -1.0 if negative else 1.0
    low, high = sorted((sign * scaled.minimum, sign * scaled.maximum))
    for name, value in (
        ("loc", sign * scaled.loc),
        ("scale", scaled.scale),
        ("minimum", low),
        ("maximum", high),
    ):
        if not math.isnan(value):
            fields[name] = value
    return fields


def _parameters(
    model: Model, matrices: Matrices, database: str, formulas: dict[tuple[str, str], list[int]]
) -> None:
    bd = brightway()
    params = matrices.parameters
    first = next(iter(formulas), None) or next(iter(bd.Database(database)))
    anchor = first if isinstance(first, tuple) else first.key
    rows = []
    for name in params.names:
        row: dict[str, Any] = {
            "name": name,
            "database": anchor[0],
            "code": anchor[1],
            "amount": params.base_values[name],
            "unit": format_unit(params.base_units[name]),
            "lca_unit": model.parameters[name].unit,
        }
        if name in params.formulas:
            row["formula"] = str(params.formulas[name])
        elif name in params.uncertainties:
            row.update(_stats(params.uncertainties[name], 1.0))
        rows.append(row)
    group = f"lca {database}"
    bd.parameters.new_activity_parameters(rows, group)
    for key in formulas:
        bd.parameters.add_exchanges_to_group(group, bd.get_node(database=key[0], code=key[1]))
    bd.parameters.recalculate()


def _methods(
    matrices: Matrices, database: str, flow_keys: list[tuple[str, str]], to_bw: np.ndarray
) -> list[tuple[str, ...]]:
    bd = brightway()
    names = []
    for indicator, cfs in zip(matrices.indicators, method_factors(matrices, flow_keys, to_bw), strict=True):
        name = ("lca", database, indicator.code)
        if name in bd.methods:
            del bd.methods[name]
        method = bd.Method(name)
        method.register(unit=format_unit(indicator.unit), description=f"{indicator.name}; {indicator.method}")
        method.write(cfs)
        names.append(name)
    return names


def method_factors(
    matrices: Matrices, flow_keys: list[tuple[str, str]], to_bw: np.ndarray
) -> list[list[tuple[tuple[str, str], float]]]:
    """Per indicator, the factors of the compiled characterisation C by Brightway flow key.

    ``to_bw[f]`` converts flow ``f``'s lca unit to its Brightway unit, so a factor per
    Brightway unit is the lca factor divided by it.
    """
    c = matrices.characterisation.tocoo()
    factors: list[list[tuple[tuple[str, str], float]]] = [[] for _ in matrices.indicators]
    for r, f, v in zip(c.row, c.col, c.data, strict=True):
        factors[int(r)].append((flow_keys[f], float(v) / float(to_bw[f])))
    return factors
