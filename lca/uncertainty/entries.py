"""Matrix entries recomputed on arrays of draws, one chunk of iterations at a time.

:class:`EntryRecipes` sorts the entries of one matrix (technosphere or biosphere) once:

- *fixed* entries keep their deterministic value;
- *plain* entries are one drawn exchange amount times a unit factor; a lognormal one is
  computed straight from its standard normal draw ``z`` in one pass,
  ``sign * exp(loc + ln|factor| + sigma z)``, so its draw is never materialised;
- the *others* (formulas over parameters, amortised amounts) run their
  :class:`~lca.compile.CompiledAmount` recipe on arrays.

A drawn lifetime or utilisation outside its range is an error naming the exchange and the
parameters, never a silent wrong number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lca.compile import CompiledAmount
from lca.errors import UncertaintyError
from lca.model.uncertainty import LOGNORMAL
from lca.uncertainty.sampling import InputSpace


@dataclass(frozen=True)
class EntryRecipes:
    """How to compute every entry of one matrix for a chunk of iterations.

    Build with :meth:`build`; ``columns`` maps an entry to the input column of its own draw.
    """

    amounts: Sequence[CompiledAmount | None]
    constants: np.ndarray
    varying: list[int]
    columns: dict[int, int]
    fixed: np.ndarray
    plain: np.ndarray
    plain_cols: np.ndarray
    factors: np.ndarray
    lognormal: np.ndarray
    loc: np.ndarray
    scale: np.ndarray
    sign: np.ndarray
    others: list[int]

    @classmethod
    def build(
        cls,
        amounts: Sequence[CompiledAmount | None],
        constants: np.ndarray,
        varying: list[int],
        columns: dict[int, int],
        space: InputSpace,
    ) -> EntryRecipes:
        """Sort ``varying`` entries into plain draws (lognormal or not) and recipes."""
        plain, cols, factors, others = [], [], [], []
        for e in varying:
            col = columns.get(e)
            if col is not None and not amounts[e].denominators:
                plain.append(e)
                cols.append(col)
                factors.append(amounts[e].factor)
            else:
                others.append(e)
        uncs = [space.uncertainties[c] for c in cols]
        factor_array = np.array(factors, dtype=float)
        with np.errstate(divide="ignore"):
            log_factor = np.log(np.abs(factor_array))
        return cls(
            amounts=amounts,
            constants=constants,
            varying=varying,
            columns=columns,
            fixed=np.setdiff1d(np.arange(len(amounts)), varying),
            plain=np.array(plain, dtype=np.int64),
            plain_cols=np.array(cols, dtype=np.int64),
            factors=factor_array,
            lognormal=np.array([u.kind == LOGNORMAL for u in uncs], dtype=bool),
            loc=np.array([u.loc for u in uncs], dtype=float) + log_factor,
            scale=np.array([u.scale for u in uncs], dtype=float),
            sign=np.sign(factor_array) * np.array([-1.0 if u.negative else 1.0 for u in uncs]),
            others=others,
        )

    @property
    def fused_columns(self) -> np.ndarray:
        """Input columns used only as a lognormal amount here (computed from ``z`` directly)."""
        return self.plain_cols[self.lognormal]

    def evaluate(
        self,
        env: Mapping[str, Any],
        draws: np.ndarray,
        standard: np.ndarray | None = None,
        check: bool = True,
    ) -> np.ndarray:
        """Entry values, shape ``(entries, chunk)``.

        Parameters
        ----------
        env : mapping
            Parameter values in base units (arrays for the varying ones).
        draws : numpy.ndarray
            Input draws ``(chunk, inputs)``, Fortran order, base units.
        standard : numpy.ndarray, optional
            The chunk's standard draws; when given, lognormal plain entries use it and
            their columns of ``draws`` are not read.
        check : bool
            Raise :class:`UncertaintyError` naming the first exchange whose value is not
            finite. A caller that checks its own outputs can skip this pass and call
            :meth:`check` only when an output is not finite.
        """
        values = np.empty((len(self.constants), draws.shape[0]))
        values[self.fixed] = self.constants[self.fixed, None]
        if len(self.plain):
            fused = self.lognormal if standard is not None else np.zeros(len(self.plain), dtype=bool)
            if fused.any():
                z = standard.T[self.plain_cols[fused]]  # Fortran order: rows of the transpose
                z *= self.scale[fused, None]
                z += self.loc[fused, None]
                np.exp(z, out=z)
                z *= self.sign[fused, None]
                values[self.plain[fused]] = z
            if not fused.all():
                rest = ~fused
                gathered = draws.T[self.plain_cols[rest]]
                gathered *= self.factors[rest, None]
                values[self.plain[rest]] = gathered
        with np.errstate(all="ignore"):
            for e in self.others:
                values[e] = self._recipe(e, env, draws)
        if check:
            self.check(values)
        return values

    def check(self, values: np.ndarray) -> None:
        """Raise :class:`UncertaintyError` naming the first varying entry that is not finite."""
        if self.varying:
            bad = ~np.isfinite(values[self.varying])
            if bad.any():
                e = self.varying[int(np.argwhere(bad)[0][0])]
                raise UncertaintyError(
                    f"{self.amounts[e].where}: a Monte Carlo draw gives a non-finite amount"
                )

    def _recipe(self, e: int, env: Mapping[str, Any], draws: np.ndarray) -> np.ndarray:
        amount = self.amounts[e]
        col = self.columns.get(e)
        value = draws[:, col] if col is not None else amount.numerator.evaluate(env)
        dens = [d.evaluate(env) for d in amount.denominators]
        if dens:
            check_amortisation(amount, dens)
        for den in dens:
            value = value / den
        return value * amount.factor


def check_amortisation(amount: CompiledAmount, dens: list[Any]) -> None:
    """Refuse drawn lifetimes <= 0 and utilisations outside (0, 1], naming the parameters."""
    for position, label in enumerate(("lifetime", "utilisation")):
        value = np.atleast_1d(np.asarray(dens[position], dtype=float))
        ok = (value > 0) & (value <= 1) if label == "utilisation" else value > 0
        if ok.all():
            continue
        expr = amount.denominators[position]
        names = ", ".join(sorted(expr.formula.names)) if expr.formula is not None else "the input"
        bound = "outside (0, 1]" if label == "utilisation" else "not > 0"
        raise UncertaintyError(
            f"{amount.where} {label}: Monte Carlo draws of parameter(s) {names} give "
            f"{value[~ok][0]:g}, {bound}; narrow the distribution of {names}"
        )
