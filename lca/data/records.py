"""Typed records of the shipped reference data: one :class:`Entry` per CSV row.

A value is a central figure with its unit, its range (low, high) and its source; an
entry is a named item (a GPU, a grid mix, a transport mode...) holding such values.
Empty cells are absent values: an entry without ``water`` does not cover WATER, and an
inventory that uses it reports WATER as missing, never as zero.

Examples
--------
>>> v = Value(0.098, "kg CO2 eq/kWh", 0.04, 0.15, "Boavizta API, France")
>>> v.contains_central, v.uncertainty("x").name
(True, 'triangular')
>>> round(v.quantity.to("g CO2 eq/kWh").magnitude, 6)
98.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pint

from lca.model.uncertainty import Uncertainty
from lca.units import Q_, format_unit, parse_unit


@dataclass(frozen=True)
class Value:
    """A sourced figure with its range.

    Parameters
    ----------
    amount : float
        Central value, in ``unit``.
    unit : str
        Unit text (parsed with the project's pint registry), e.g. ``"kg CO2 eq/item"``.
    low, high : float
        Range in ``unit``; NaN when the source gives none (the value is then fixed).
    source : str
        Paper, table, dataset name and version the value comes from.
    """

    amount: float
    unit: str
    low: float = math.nan
    high: float = math.nan
    source: str = ""

    @property
    def quantity(self) -> pint.Quantity:
        """The central value as a pint quantity."""
        return Q_(self.amount, parse_unit(self.unit, f"value '{self.source}'"))

    @property
    def has_range(self) -> bool:
        """True when low and high are given and differ."""
        return math.isfinite(self.low) and math.isfinite(self.high) and self.high > self.low

    @property
    def contains_central(self) -> bool:
        """True when the range (if any) contains the central value."""
        if not (math.isfinite(self.low) or math.isfinite(self.high)):
            return True
        return self.low <= self.amount <= self.high

    def uncertainty(self, where: str) -> Uncertainty:
        """Triangular distribution (min low, mode amount, max high), or fixed without a range.

        The range of a source is read as the plausible extremes of the value, which is
        what a triangular distribution says; ``where`` names the value in errors.
        """
        if not self.has_range:
            return Uncertainty.fixed(self.amount)
        spec = {"distribution": "triangular", "min": self.low, "max": self.high}
        return Uncertainty.from_spec(spec, self.amount, where)

    def describe(self) -> str:
        """``"0.098 kg CO2 eq/kWh (0.04 to 0.15)"``."""
        unit = format_unit(self.unit) if self.unit else ""
        unit = "" if unit in ("", "dimensionless") else f" {unit}"
        text = f"{self.amount:.4g}{unit}"
        if self.has_range:
            text += f" ({self.low:.4g} to {self.high:.4g})"
        return text


@dataclass(frozen=True)
class Entry:
    """One named item of a dataset (one CSV row).

    Parameters
    ----------
    category : str
        The dataset: ``hardware``, ``grid``, ``datacenter``, ``transport``, ``routes``, ``eol``.
    name : str
        Unique name within the category, e.g. ``"A100-80GB"``, ``"FR"``.
    description : str
        What the entry is.
    unit : str
        Reference unit the indicator values are given per (``item``, ``kWh``, ``t*km``,
        ``kg``, ``GB``, ``TB``); empty for entries that hold no impacts.
    method : str
        How the figures were obtained (manufacturer PCF, bottom-up, literature value...).
    year : int or None
        Reference year of the central figures.
    values : dict of str to Value
        Field (``gwp``, ``lifetime``, ``pue``...) -> value; absent fields are not covered.
    attributes : dict of str to str
        Other text columns of the file (``kind``, ``region``, ``mode``...).
    comment : str
        Assumptions, formulas, reasons for the ranges.
    origin : str
        The file the entry was read from (the shipped file or a user's override).
    indicator_fields : dict of str to str
        Field -> indicator code for the fields that are impacts per reference unit
        (from ``schema.csv``: ``gwp`` -> ``GWP``...).
    """

    category: str
    name: str
    description: str = ""
    unit: str = ""
    method: str = ""
    year: int | None = None
    values: dict[str, Value] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    origin: str = ""
    indicator_fields: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """``category/name``, the form inventories use."""
        return f"{self.category}/{self.name}"

    @property
    def impacts(self) -> dict[str, Value]:
        """Indicator code -> value per reference unit, for the indicators covered."""
        return {code: self.values[f] for f, code in self.indicator_fields.items() if f in self.values}

    def missing(self, indicators: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``indicators`` this entry has no figure for."""
        covered = self.impacts
        return tuple(code for code in indicators if code not in covered)

    def get(self, field_name: str) -> Value | None:
        """The value of ``field_name``, or None when the entry does not give it."""
        return self.values.get(field_name)

    def sources(self) -> list[str]:
        """Distinct sources of the entry's values, in field order."""
        seen: list[str] = []
        for value in self.values.values():
            if value.source and value.source not in seen:
                seen.append(value.source)
        return seen
