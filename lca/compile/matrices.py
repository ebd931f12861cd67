"""The compiled inventory: :class:`Matrices` and the recipe of each entry (:class:`CompiledAmount`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint
import scipy.sparse as sp

from lca.errors import InventoryError, Place
from lca.indicators import Indicator
from lca.model.formulas import Formula
from lca.model.records import suggest
from lca.model.uncertainty import Uncertainty


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
