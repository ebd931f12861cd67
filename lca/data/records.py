"""Typed records of the shipped reference data: one :class:`Entry` per CSV row.

A value is a central figure with its unit, its range (low, high), how that range is
read (its distribution, :mod:`lca.data.ranges`) and its source; an entry is a named item
(a GPU, a grid mix, a transport mode...) holding such values. Empty cells are absent
values: an entry without ``water`` does not cover WATER, and an inventory that uses it
reports WATER as missing, never as zero.

Examples
--------
A factor 2 either way, read as the 95% interval of a lognormal whose median is the value:

>>> v = Value(0.0378, "kg Sb eq/item", 0.0189, 0.0756, "NegaOctet server", "lognormal", 95.0)
>>> u = v.uncertainty("x")
>>> u.name, round(u.median(), 6), round(u.gsd, 4)
('lognormal', 0.0378, 1.4243)
>>> Value(1.2, "", 1.05, 1.4, "PUE", "triangular").uncertainty("pue").name
'triangular'
>>> round(Value(0.098, "kg CO2 eq/kWh").quantity.to("g CO2 eq/kWh").magnitude, 6)
98.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pint

from lca.data.ranges import lognormal_from_range, lognormal_interval, resolved_distribution
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
    distribution : str
        How the range is read: ``lognormal``, ``triangular``, ``uniform``, ``fixed``, or
        empty for the default rule of :func:`lca.data.ranges.resolved_distribution`.
    coverage : float
        Lognormal only: the central percentile interval the range states (95 for the
        2.5th to 97.5th percentiles); NaN otherwise.
    """

    amount: float
    unit: str
    low: float = math.nan
    high: float = math.nan
    source: str = ""
    distribution: str = ""
    coverage: float = math.nan

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

    @property
    def spread(self) -> tuple[str, float]:
        """``(distribution, coverage)`` as drawn: the stated one, or the default rule's."""
        if not self.has_range:
            return "fixed", math.nan
        name, coverage = resolved_distribution(self.distribution, self.amount, self.low, self.high)
        if name == "lognormal" and math.isfinite(self.coverage):
            coverage = self.coverage
        return name, coverage

    def uncertainty(self, where: str) -> Uncertainty:
        """The distribution of the value (fixed without a range); ``where`` names it in errors.

        ``lognormal``: median = the value, the range its central ``coverage`` % interval,
        sigma from the wider side; ``triangular``: min low, mode the value, max high;
        ``uniform``: low to high.
        """
        name, coverage = self.spread
        if name == "fixed":
            return Uncertainty.fixed(self.amount)
        if name == "lognormal":
            return lognormal_from_range(self.amount, self.low, self.high, coverage, where)
        spec = {"distribution": name, "min": self.low, "max": self.high}
        return Uncertainty.from_spec(spec, self.amount, where)

    def describe(self) -> str:
        """The value, its range and how it is drawn.

        ``"0.098 kg CO2 eq/kWh (0.04 to 0.111, triangular)"``; a lognormal also gives its
        GSD and the interval actually drawn (wider than the range on its narrow side).
        """
        text = f"{self.amount:.4g}{_unit_text(self.unit)}"
        if not self.has_range:
            return text
        name, coverage = self.spread
        if name != "lognormal":
            return text + f" ({self.low:.4g} to {self.high:.4g}, {name})"
        u = self.uncertainty("value")
        lo, hi = lognormal_interval(u, coverage)
        return text + (
            f" ({self.low:.4g} to {self.high:.4g}, lognormal, median {self.amount:.4g},"
            f" GSD {u.gsd:.3g}, {coverage:g}% interval {lo:.4g} to {hi:.4g})"
        )


def _unit_text(unit: str) -> str:
    """`` kg CO2 eq/kWh``: a per-reference-unit value is shown as written, not simplified
    (pint would turn kg CO2 eq per kg into ``1 CO2 eq``)."""
    if not unit:
        return ""
    per, sep, reference = unit.partition(" / (")
    text = f"{format_unit(per)}/{reference.rstrip(')')}" if sep else format_unit(unit)
    return "" if text in ("", "dimensionless") else f" {text}"


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
