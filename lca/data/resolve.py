"""Inventory records that refer to the datasets by name.

An activity of a data file may be taken from the datasets::

    - code: electricity_fr
      dataset: grid/FR          # category/name, as ``lca data list`` prints it
      # name, phase, location, missing, source, comment: optional, as for any activity
      exchanges:                # optional: an exchange on an indicator replaces the dataset's
        - {input: GWP, amount: grid_fr, unit: g CO2 eq/kWh}

It expands into an :class:`~lca.model.records.Activity` whose reference unit is the entry's
(``kWh``, ``item``, ``t*km``, ``kg``...) and whose exchanges are the entry's factors per
unit on every indicator it covers, each with the entry's range as the distribution its
data file states (:mod:`lca.data.ranges`: lognormal around the value for multiplicative
ranges, triangular or uniform for additive ones). Indicators the entry lacks (and the user
does not supply) go to ``missing``: results flag them as incomplete, never silently zero.

A parameter may take one value of an entry::

    gpu_lifetime: {dataset: hardware/A100-80GB, field: lifetime}

Examples
--------
>>> act = dataset_activity({"code": "grid_fr", "dataset": "grid/FR"}, [], "x")
>>> act.unit, [e.input for e in act.exchanges], act.missing
('kWh', ['GWP', 'ADP', 'PE', 'WATER'], ())
>>> act.exchanges[0].amount, act.exchanges[0].uncertainty.name  # one-sided source spread
(0.098, 'triangular')
>>> act.exchanges[1].uncertainty.name, round(act.exchanges[1].uncertainty.median(), 10)  # ADP, x2 either way
('lognormal', 4.86e-08)
>>> dataset_activity({"code": "sg", "dataset": "grid/SG"}, [], "x").missing
('WATER',)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lca.data import catalogue
from lca.data.records import Entry
from lca.errors import LcaError, Problem
from lca.indicators import default_indicators
from lca.model.records import Activity, Exchange, Parameter
from lca.units import parse_unit


def dataset_activity(spec: Mapping[str, Any], exchanges: list[Exchange], where: str) -> Activity:
    """Expand an activity record with a ``dataset`` reference.

    Parameters
    ----------
    spec : mapping
        The activity record of the data file (``code``, ``dataset`` and optional fields).
    exchanges : list of Exchange
        The record's own exchanges, already parsed: one whose input is an indicator code
        replaces the dataset's factor for that indicator; others are added.
    where : str
        Place in the file, for error messages.

    Raises
    ------
    DataNotFound
        The reference names no entry (the message suggests the closest).
    LcaError
        The entry holds no impacts per unit, or ``unit`` contradicts the entry's.
    """
    entry = catalogue().lookup(str(spec["dataset"]))
    if not entry.indicator_fields:
        fields = ", ".join(entry.values) or "no values"
        raise LcaError(
            Problem(
                "",
                f"dataset '{entry.ref}' holds {fields}, not impacts per unit; "
                f"use it in a parameter: {{dataset: {entry.ref}, field: ...}}",
                field="dataset",
                value=entry.ref,
                expected="an entry with impacts per unit",
            )
        )
    _check_unit(spec.get("unit"), entry)
    given = {e.input for e in exchanges}
    from_data = [
        Exchange(
            code,
            value.amount,
            value.unit,
            value.uncertainty(f"{where}, dataset {entry.ref}, {code}"),
            source=value.source,
        )
        for code, value in entry.impacts.items()
        if code not in given
    ]
    codes = [i.code for i in default_indicators()]
    missing = [c for c in entry.missing(codes) if c not in given]
    missing += [str(m) for m in spec.get("missing") or () if str(m) not in missing]
    phase = spec.get("phase")
    return Activity(
        code=str(spec["code"]),
        name=str(spec.get("name") or entry.description or entry.name),
        phase=None if phase in (None, "", "background") else str(phase),
        unit=entry.unit,
        exchanges=from_data + list(exchanges),
        location=str(spec.get("location") or entry.attributes.get("region", "")),
        production=_production(spec.get("production", 1.0)),
        missing=tuple(missing),
        source=str(spec.get("source") or f"lca datasets {catalogue().version}: {entry.ref}"),
        comment=str(spec.get("comment") or entry.method),
    )


def dataset_parameter(name: str, spec: Mapping[str, Any], where: str) -> Parameter:
    """A parameter holding one value of an entry: ``{dataset: REF, field: FIELD}``.

    The value keeps its unit, its source and its range (as the distribution its data file states).
    """
    unknown = sorted(set(spec) - {"dataset", "field", "comment"})
    if unknown:
        message = f"unknown field(s) {', '.join(unknown)} beside 'dataset'; expected field, comment"
        raise LcaError(Problem("", message, field="dataset", value=unknown, expected="field, comment"))
    entry = catalogue().lookup(str(spec["dataset"]))
    field_name = str(spec.get("field") or "")
    value = entry.get(field_name)
    if value is None:
        given = ", ".join(entry.values) or "none"
        message = f"dataset '{entry.ref}' has no value '{field_name}' (it gives: {given})"
        raise LcaError(Problem("", message, field="field", value=field_name, expected=f"one of {given}"))
    return Parameter(
        name,
        value.amount,
        value.unit,
        value.uncertainty(where) if value.has_range else None,
        f"{value.source} (lca datasets {catalogue().version}: {entry.ref}, {field_name})",
        str(spec.get("comment") or ""),
    )


def _production(value: Any) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise LcaError(Problem("", f"{value!r} is not a number", field="production", value=value)) from None


def _check_unit(unit: Any, entry: Entry) -> None:
    if unit in (None, ""):
        return
    if parse_unit(str(unit), "unit") != parse_unit(entry.unit, f"dataset {entry.ref} unit"):
        raise LcaError(
            Problem(
                "",
                f"unit '{unit}' differs from the unit of dataset '{entry.ref}' ('{entry.unit}'); "
                "leave 'unit' out or scale the exchanges that use this activity",
                field="unit",
                value=str(unit),
                expected=f"the entry's unit '{entry.unit}'",
            )
        )
