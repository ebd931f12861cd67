"""lca models out as a Brightway Excel workbook, the format ``bw2io.ExcelImporter`` imports.

``lca export MODEL --format bw2io-excel --out FILE.xlsx`` writes one sheet:

- a ``Database`` block (the database is named after the model) with the model's functional
  unit, ``methods`` and ``indicators`` (lca reads them back; bw2io keeps them as database
  metadata) and a ``comment`` that says what follows;
- ``Database parameters``: the model's parameters in **SI base units** (``lifetime`` in
  seconds) with their bw2parameters formulas and stats_arrays uncertainties, as
  :mod:`lca.io.bw_export` writes them to a project. A parameter whose name is a built-in
  symbol of bw2parameters' interpreter (``power``, ``e``, ``size``...) cannot be a Brightway
  parameter: the formulas that use it are written as their values (frozen), and its row
  and each frozen exchange say so in their ``comment``;
- one ``Activity`` block per activity not read from a Brightway project, with ``code`` (the
  lca code), ``phase`` and its exchanges: the compiled matrix entries, so every amount is in
  its supplier's reference unit (lca converts units once), with its formula over the base-unit
  parameters and its uncertainty. Every exchange names its input by key (``database::code``),
  so nothing is left to bw2io's linking by name;
- the model's pre-characterised flows (``GWP`` in kg CO2 eq...) and its own flows as nodes of
  type ``emission`` of the same database; elementary flows link to ``biosphere3`` by UUID.

A workbook holds no impact methods: the packaged methods (``lca.io.bw_project.setup_project``)
characterise the biosphere3 flows, and :func:`workbook_methods` gives the factors of lca's
indicators on the workbook's flows, to write with ``bw2data.Method(name).write(factors)``
(``lca export --format brightway`` writes them to a project).

Brightway activates exchange formulas of the activities that hold activity parameters; here
the parameters are database parameters, so the amounts written are the values the formulas
give, and ``bw2data.parameters.add_exchanges_to_group(group, activity)`` then
``bw2data.parameters.recalculate()`` makes them live.
"""

from __future__ import annotations

import builtins
import io
import math
import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import openpyxl
import yaml

from lca._version import __version__
from lca.compile import Matrices, build_matrices
from lca.io.bw_export import PRODUCTION, _activities, _activity_keys, _stats, _waste_signs, method_factors
from lca.io.files import write_atomic
from lca.model.formulas import Formula
from lca.model.records import Model
from lca.units import format_unit

PARAMETER_COLUMNS = ("name", "amount", "unit", "formula", "uncertainty type", "loc", "scale")
PARAMETER_COLUMNS += ("minimum", "maximum", "negative", "lca unit", "comment")
EXCHANGE_COLUMNS = ("name", "amount", "unit", "database", "location", "categories", "type", "input")
EXCHANGE_COLUMNS += (
    "formula",
    "uncertainty type",
    "loc",
    "scale",
    "minimum",
    "maximum",
    "negative",
    "comment",
)
_FROZEN = "frozen: {names} cannot be Brightway parameter names (built-in symbols of bw2parameters)"


def workbook_methods(model: Model, database: str | None = None) -> dict[tuple[str, ...], list[Any]]:
    """The method of each indicator, ``("lca", database, code)``, as factors on the workbook's flows."""
    database = database or model.name
    matrices = build_matrices(model)
    flow_keys, _, to_bw = _flows(model, matrices, database)
    return {
        ("lca", database, ind.code): cfs
        for ind, cfs in zip(matrices.indicators, method_factors(matrices, flow_keys, to_bw), strict=True)
    }


def write_brightway_workbook(
    model: Model, path: str | os.PathLike[str], database: str | None = None, overwrite: bool = False
) -> dict[str, Any]:
    """Write ``model`` as a bw2io Excel workbook (atomically).

    Returns
    -------
    dict
        ``database``, ``activities`` (number written), ``formulas`` (exchanges written with a
        formula), ``frozen`` (parameter names that could not be Brightway parameters).
    """
    book, info = brightway_workbook(model, database)
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue(), overwrite=overwrite)
    return info


def brightway_workbook(model: Model, database: str | None = None) -> tuple[openpyxl.Workbook, dict[str, Any]]:
    """The workbook of ``model`` and what it holds (see :func:`write_brightway_workbook`)."""
    database = database or model.name
    matrices = build_matrices(model)
    linked = set((model.info.get("brightway") or {}).get("databases") or [])
    keys = _activity_keys(matrices, database, linked)
    flow_keys, flow_nodes, to_bw = _flows(model, matrices, database)
    waste = _waste_signs(keys, linked) if linked else {}
    data, _ = _activities(model, matrices, keys, flow_keys, to_bw, waste, database)
    frozen = sorted(n for n in matrices.parameters.names if n in reserved_names())
    rows: list[list[Any]] = [["Database", database], *_database_fields(model, frozen), []]
    rows += _parameter_rows(model, matrices, frozen)
    labels = _labels(model, matrices, keys, flow_keys, flow_nodes)
    written = 0
    for key, activity in data.items():
        rows += [[], ["Activity", activity["name"]], ["code", key[1]], ["unit", activity["unit"]]]
        rows += [["location", activity["location"]], ["reference product", activity["reference product"]]]
        rows += [["type", "process"], ["phase", activity["phase"]]]
        missing = model.activities[activity["lca_code"]].missing
        rows += [["missing", ", ".join(missing)]] if missing else []
        rows += [["comment", activity["comment"]]] if activity["comment"] else []
        rows += [["Exchanges"], list(EXCHANGE_COLUMNS)]
        for exchange in activity["exchanges"]:
            rows.append(_exchange_row(exchange, labels, frozen))
            written += "formula" in exchange and not _uses(exchange["formula"], frozen)
    for (_, code), (name, unit) in flow_nodes.items():
        rows += [[], ["Activity", name], ["code", code], ["unit", unit], ["type", "emission"]]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "".join(ch for ch in database if ch not in "[]:*?/\\")[:31] or "lca"
    for row in rows:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not an Excel formula
    info = {"database": database, "activities": len(data), "formulas": written, "frozen": frozen}
    return book, info


def reserved_names() -> frozenset[str]:
    """Names bw2parameters refuses for a parameter: its interpreter's symbols (asteval's when
    installed, else Python's builtins, NumPy's and math's names, a superset)."""
    try:
        from asteval import Interpreter
    except ImportError:
        return frozenset(dir(builtins)) | frozenset(dir(np)) | frozenset(dir(math)) | {"ln"}
    return frozenset(Interpreter().symtable)


# -- the blocks --------------------------------------------------------------------------------
def _database_fields(model: Model, frozen: list[str]) -> list[list[Any]]:
    fields: list[list[Any]] = [["description", model.description or None]]
    fu = model.functional_unit
    if fu is not None:
        fields += [["functional_unit.activity", fu.activity], ["functional_unit.amount", fu.amount]]
        fields += [
            ["functional_unit.unit", fu.unit or None],
            ["functional_unit.description", fu.description or None],
        ]
    if model.info.get("methods"):
        text = yaml.safe_dump({k: list(v) for k, v in model.info["methods"].items()}, default_flow_style=True)
        fields.append(["methods", text.strip()])
    if model.info.get("indicators"):
        fields.append(["indicators", ", ".join(model.info["indicators"])])
    note = (
        f"Written by lca {__version__} from model '{model.name}'. Parameters are in SI base units; each "
        "exchange amount is in its input's unit, the value its formula gives. Pre-characterised flows "
        "(GWP, ...) are emissions of this database in their indicator's unit."
    )
    if frozen:
        note += " " + _FROZEN.format(names=", ".join(frozen)) + ": the formulas using them are values."
    fields.append(["comment", note])
    return [f for f in fields if f[1] is not None]


def _parameter_rows(model: Model, matrices: Matrices, frozen: list[str]) -> list[list[Any]]:
    params = matrices.parameters
    if not params.names:
        return []
    rows: list[list[Any]] = [["Database parameters"], list(PARAMETER_COLUMNS)]
    for name in params.names:
        if name in frozen:
            continue
        row: dict[str, Any] = {
            "name": name,
            "amount": params.base_values[name],
            "unit": format_unit(params.base_units[name]),
            "lca unit": model.parameters[name].unit,
            "comment": model.parameters[name].comment,
        }
        formula = params.formulas.get(name)
        if formula is not None and not _uses(str(formula), frozen):
            row["formula"] = str(formula)
        elif formula is not None:
            row["comment"] = "; ".join(
                p for p in (row["comment"], _FROZEN.format(names=", ".join(frozen))) if p
            )
        elif name in params.uncertainties:
            row.update(_stats(params.uncertainties[name], 1.0))
        rows.append([row.get(c) for c in PARAMETER_COLUMNS])
    return rows


def _exchange_row(
    exchange: dict[str, Any], labels: dict[tuple[str, str], dict[str, Any]], frozen: list[str]
) -> list[Any]:
    key = exchange["input"]
    row = {**labels.get(key, {}), **exchange, "database": key[0], "input": f"{key[0]}::{key[1]}"}
    if exchange.get("formula") and _uses(exchange["formula"], frozen):
        row.pop("formula")
        row["comment"] = _FROZEN.format(names=", ".join(n for n in frozen if n in exchange["formula"]))
    if exchange["type"] == PRODUCTION:
        row = {k: v for k, v in row.items() if k not in ("formula", "uncertainty type")}
    return [row.get(c) for c in EXCHANGE_COLUMNS]


def _labels(
    model: Model,
    matrices: Matrices,
    keys: list[tuple[str, str]],
    flow_keys: list[tuple[str, str]],
    flow_nodes: dict[tuple[str, str], tuple[str, str]],
) -> dict[tuple[str, str], dict[str, Any]]:
    """Name, unit and location of each input key (columns for people and for bw2io's statistics)."""
    labels: dict[tuple[str, str], dict[str, Any]] = {}
    for key, code, unit in zip(keys, matrices.activities, matrices.activity_units, strict=True):
        act = model.activities[code]
        labels[key] = {
            "name": act.name,
            "unit": format_unit(unit) or "unit",
            "location": act.location or "GLO",
        }
    for key, code in zip(flow_keys, matrices.flows, strict=True):
        if key in flow_nodes:
            labels[key] = {"name": flow_nodes[key][0], "unit": flow_nodes[key][1]}
        elif key[0] != "biosphere3":  # a flow of a linked project database
            flow = model.flows[code]
            labels[key] = {"name": flow.name, "unit": flow.unit, "categories": "::".join(flow.categories)}
        else:
            from lca.methods import match_flow

            elementary = match_flow(model.flows[code])
            labels[key] = {
                "name": elementary.name,
                "unit": elementary.unit,
                "categories": "::".join(elementary.categories),
            }
    return labels


def _flows(
    model: Model, matrices: Matrices, database: str
) -> tuple[list[tuple[str, str]], dict[tuple[str, str], tuple[str, str]], np.ndarray]:
    """Brightway key of each flow, the nodes written in the database, lca -> Brightway unit factors."""
    linked = set((model.info.get("brightway") or {}).get("databases") or [])
    keys, nodes, to_bw = [], {}, np.ones(len(matrices.flows))
    units = {i.code: i.unit_text for i in matrices.indicators}
    for k, code in enumerate(matrices.flows):
        flow = model.flows.get(code)
        db, _, rest = code.partition(":")
        if flow is not None and db in linked and rest:
            keys.append((db, rest))
        elif flow is not None and flow.is_elementary:
            from lca.methods import _per_reference, match_flow

            elementary = match_flow(flow)
            keys.append(("biosphere3", elementary.uuid))
            to_bw[k] = _per_reference(flow.unit.strip(), elementary.unit, f"flow '{code}'")
        else:
            keys.append((database, code))
            unit = flow.unit if flow is not None else units[code]
            nodes[(database, code)] = (flow.name if flow is not None else code, format_unit(unit))
    return keys, nodes, to_bw


def _uses(formula: str, names: Iterable[str]) -> bool:
    wanted = set(names)
    return bool(wanted) and bool(Formula.parse(formula).names & wanted)


def _cell(value: Any) -> Any:
    if isinstance(value, bool | str) or value is None:
        return value
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value
