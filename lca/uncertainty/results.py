"""The result of a Monte Carlo run: draws per phase and indicator, and their statistics.

:class:`MonteCarloResult` keeps every iteration's impact per row (phase, tracked
activity, total) and indicator as float64, so that percentiles are exact, plus the input
draws for sensitivity analysis. Its views are tidy pandas DataFrames with units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from lca._version import __version__
from lca.errors import DataNotFound, UncertaintyError
from lca.model.records import suggest
from lca.units import Q_

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class RowSpec:
    """A result row: a phase, a tracked activity, or the total."""

    label: str
    kind: str
    activities: np.ndarray = field(repr=False)


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Impacts of every Monte Carlo iteration, per row and indicator.

    Attributes
    ----------
    model_name : str
    rows : tuple of str
        Row labels: phases (life-cycle order), tracked activity codes, then ``"total"``.
    row_kinds : tuple of str
        ``"phase"``, ``"activity"`` or ``"total"`` for each row.
    indicators, units : tuple of str
        Indicator codes and their units.
    values : numpy.ndarray
        Shape ``(rows, indicators, iterations)``, in the indicators' units.
    deterministic : numpy.ndarray
        Shape ``(rows, indicators)``: the result at the central amounts.
    inputs : numpy.ndarray or None
        Kept input draws, shape ``(iterations, kept inputs)``, in SI base units (None when
        not kept): the parameters by default, every input with ``keep_inputs=True``.
    input_names, input_units : tuple of str
        Each kept input's name and the unit :meth:`input_draws` reports it in.
    input_scale : numpy.ndarray
        Factor from base units to ``input_units``, per input.
    seed : int
        The seed (entropy) that reproduces the run.
    sampling : str
        ``"random"`` or ``"lhs"``.
    percentiles : tuple of float
        Percentiles (0-100) reported by :meth:`summary`.
    version : str
        ``lca`` version that computed it.
    fallbacks : int
        Iterations that a large loop of the technosphere could not reach by refinement from
        the deterministic factorisation and solved exactly with their own
        (:mod:`lca.uncertainty.loops`); 0 when every iteration converged or there is no such loop.
    """

    model_name: str
    rows: tuple[str, ...]
    row_kinds: tuple[str, ...]
    indicators: tuple[str, ...]
    units: tuple[str, ...]
    values: np.ndarray = field(repr=False)
    deterministic: np.ndarray = field(repr=False)
    inputs: np.ndarray | None = field(repr=False)
    input_names: tuple[str, ...]
    input_units: tuple[str, ...]
    input_scale: np.ndarray = field(repr=False)
    seed: int
    sampling: str
    percentiles: tuple[float, ...]
    version: str
    fallbacks: int = 0

    @classmethod
    def build(
        cls,
        *,
        model_name: str,
        rows: Sequence[RowSpec],
        indicators: Sequence[str],
        units: Sequence[str],
        values: np.ndarray,
        deterministic: np.ndarray,
        inputs: np.ndarray | None,
        input_labels: tuple[Sequence[str], Sequence[str], np.ndarray],
        seed: int,
        sampling: str,
        percentiles: Sequence[float],
        fallbacks: int = 0,
    ) -> MonteCarloResult:
        """Assemble a result from plain arrays and labels.

        ``rows`` are the reported rows (the total is added last); ``input_labels`` gives
        every input's name, unit and factor from base units, of which the first
        ``inputs.shape[1]`` were kept.
        """
        bad = [p for p in percentiles if not 0 <= p <= 100]
        if bad:
            raise UncertaintyError(f"percentiles {bad} are outside 0-100")
        names, input_units, scale = input_labels
        kept = 0 if inputs is None else inputs.shape[1]
        return cls(
            model_name=model_name,
            rows=(*(r.label for r in rows), "total"),
            row_kinds=(*(r.kind for r in rows), "total"),
            indicators=tuple(indicators),
            units=tuple(units),
            values=values,
            deterministic=deterministic,
            inputs=inputs,
            input_names=tuple(names[:kept]),
            input_units=tuple(input_units[:kept]),
            input_scale=np.asarray(scale[:kept], dtype=float),
            seed=int(seed),
            sampling=sampling,
            percentiles=tuple(float(p) for p in percentiles),
            version=__version__,
            fallbacks=int(fallbacks),
        )

    # -- access ---------------------------------------------------------------------------
    @property
    def iterations(self) -> int:
        """Number of iterations."""
        return int(self.values.shape[2])

    def samples(self, indicator: str, row: str = "total") -> np.ndarray:
        """The ``iterations`` values of one row and indicator (a view, indicator's unit)."""
        return self.values[self._row(row), self._indicator(indicator)]

    def _row(self, row: str) -> int:
        if row not in self.rows:
            raise DataNotFound(
                f"no result row '{row}'{suggest(row, self.rows)}; rows: {', '.join(self.rows)}"
            )
        return self.rows.index(row)

    def _indicator(self, indicator: str) -> int:
        if indicator not in self.indicators:
            raise DataNotFound(f"no indicator '{indicator}'{suggest(indicator, self.indicators)}")
        return self.indicators.index(indicator)

    # -- statistics -----------------------------------------------------------------------
    @cached_property
    def _stats(self) -> dict[str, np.ndarray]:
        flat = self.values.reshape(-1, self.iterations)
        qs = sorted({50.0, *self.percentiles})
        shape = self.values.shape[:2]
        mean, std = np.empty(len(flat)), np.empty(len(flat))
        quantiles = np.empty((len(qs), len(flat)))
        for r, x in enumerate(flat):  # row by row: memory stays one row wide
            if x.min() == x.max():  # constant: exact statistics without sorting
                mean[r], std[r], quantiles[:, r] = x[0], 0.0, x[0]
                continue
            # shifted by the first draw: accurate when the spread is small beside the mean
            deviation = x - x[0]
            shift = deviation.mean()
            mean[r] = x[0] + shift
            std[r] = deviation.std(ddof=1 if self.iterations > 1 else 0, mean=shift)
            quantiles[:, r] = np.percentile(x, qs)  # exact (linear interpolation)
        stats = {"mean": mean.reshape(shape), "std": std.reshape(shape)}
        stats["sem"] = stats["std"] / np.sqrt(self.iterations)
        for q, values in zip(qs, quantiles, strict=True):
            stats[_pname(q)] = values.reshape(shape)
        return stats

    def mean(self, indicator: str, row: str = "total") -> Any:
        """Mean of one row and indicator, as a pint quantity."""
        i = self._indicator(indicator)
        return Q_(float(self._stats["mean"][self._row(row), i]), self.units[i])

    def percentile(self, q: float, indicator: str, row: str = "total") -> Any:
        """Exact ``q``-th percentile (0-100) of one row and indicator, as a pint quantity."""
        i = self._indicator(indicator)
        return Q_(float(np.percentile(self.samples(indicator, row), q)), self.units[i])

    def summary(self) -> pd.DataFrame:
        """Tidy statistics: one line per row and indicator.

        Columns: ``phase`` (row label), ``kind``, ``indicator``, ``unit``,
        ``deterministic``, ``mean``, ``std``, ``sem`` (standard error of the mean),
        ``median`` and one ``pX`` column per percentile (``p2.5``, ``p97.5``).
        """
        import pandas as pd

        stats = self._stats
        n_rows, n_ind = self.values.shape[:2]
        frame = pd.DataFrame(
            {
                "phase": np.repeat(self.rows, n_ind),
                "kind": np.repeat(self.row_kinds, n_ind),
                "indicator": np.tile(self.indicators, n_rows),
                "unit": np.tile(self.units, n_rows),
                "deterministic": self.deterministic.ravel(),
                "mean": stats["mean"].ravel(),
                "std": stats["std"].ravel(),
                "sem": stats["sem"].ravel(),
                "median": stats["p50"].ravel(),
            }
        )
        for q in self.percentiles:
            frame[_pname(q)] = stats[_pname(q)].ravel()
        return frame

    def table(self, statistic: str = "mean", units_in_header: bool = True) -> pd.DataFrame:
        """Phase x indicator table of one statistic, like ``Result.phase_table()``.

        ``statistic`` is a :meth:`summary` column: ``deterministic``, ``mean``, ``std``,
        ``sem``, ``median`` or a percentile such as ``p2.5``.
        """
        summary = self.summary()
        if statistic not in summary.columns[4:]:
            raise DataNotFound(
                f"no statistic '{statistic}'{suggest(statistic, summary.columns[4:])}; "
                f"expected one of {', '.join(summary.columns[4:])}"
            )
        frame = summary.pivot(index="phase", columns="indicator", values=statistic)
        frame = frame.loc[list(self.rows), list(self.indicators)]
        if units_in_header:
            frame.columns = [
                f"{code} [{unit}]" for code, unit in zip(self.indicators, self.units, strict=True)
            ]
        frame.columns.name = None
        return frame

    def draws(self) -> pd.DataFrame:
        """Raw draws: one line per iteration, columns ``(row, indicator)`` (a MultiIndex)."""
        import pandas as pd

        columns = pd.MultiIndex.from_product([self.rows, self.indicators], names=["phase", "indicator"])
        flat = self.values.reshape(-1, self.iterations).T
        frame = pd.DataFrame(flat, columns=columns)
        frame.index.name = "iteration"
        return frame

    def convergence(self, indicator: str, row: str = "total", points: int = 20) -> pd.DataFrame:
        """Running mean and standard error of the mean as iterations accumulate.

        Columns: ``iterations``, ``mean``, ``sem`` and ``relative_sem`` (sem / |mean|):
        when the last ``relative_sem`` is small enough for the purpose, more iterations
        are not needed.
        """
        import pandas as pd

        x = self.samples(indicator, row)
        counts = np.unique(np.geomspace(min(10, len(x)), len(x), points).astype(int))
        total = np.cumsum(x)
        squares = np.cumsum(x * x)
        mean = total[counts - 1] / counts
        var = np.maximum(squares[counts - 1] / counts - mean**2, 0) * counts / np.maximum(counts - 1, 1)
        sem = np.sqrt(var / counts)
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(mean != 0, sem / np.abs(mean), np.nan)
        return pd.DataFrame({"iterations": counts, "mean": mean, "sem": sem, "relative_sem": relative})

    def input_draws(self) -> pd.DataFrame:
        """Input draws, one column per input (see ``input_units``).

        A parameter is in its declared unit; an exchange amount in the unit of its matrix
        entry (the supplier's reference unit, or the flow's unit).

        Raises
        ------
        UncertaintyError
            When the run did not keep its inputs (``keep_inputs=False``).
        """
        import pandas as pd

        if self.inputs is None:
            raise UncertaintyError("this Monte Carlo run did not keep its input draws (keep_inputs=False)")
        return pd.DataFrame(self.inputs * self.input_scale[None, :], columns=list(self.input_names))

    def sensitivity(self, indicator: str, row: str = "total") -> pd.DataFrame:
        """Spearman rank correlation and contribution to variance of each input.

        See :func:`rank_sensitivity`.
        """
        return rank_sensitivity(self, indicator, row)


def _pname(q: float) -> str:
    return f"p{q:g}"


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 of each column of ``x`` (ties broken by position)."""
    order = np.argsort(x, axis=0, kind="stable")
    ranks = np.empty(x.shape, dtype=float)
    np.put_along_axis(ranks, order, np.arange(x.shape[0], dtype=float)[:, None], axis=0)
    return ranks


def rank_sensitivity(result: MonteCarloResult, indicator: str, row: str = "total") -> pd.DataFrame:
    """Spearman rank correlation and contribution to variance of each input.

    Returns
    -------
    pandas.DataFrame
        One line per input, largest contribution first: ``input``, ``unit``,
        ``spearman`` (-1 to 1; NaN when the result does not vary) and ``contribution``
        (squared correlation / sum of squared correlations, 0 to 1).

    Raises
    ------
    UncertaintyError
        When the run kept no input draws.
    """
    import pandas as pd

    if result.inputs is None:
        raise UncertaintyError("this Monte Carlo run did not keep its input draws (keep_inputs=False)")
    y = result.samples(indicator, row)
    x = result.inputs
    n = len(y)
    if x.shape[1] == 0 or n < 3:
        rho = np.full(x.shape[1], np.nan)
    else:
        ry = _ranks(y[:, None])[:, 0]
        rx = _ranks(x)
        ry -= ry.mean()
        rx -= rx.mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (rx.T @ ry) / np.sqrt((rx * rx).sum(axis=0) * (ry @ ry))
    squared = np.nan_to_num(rho) ** 2
    total = squared.sum()
    contribution = squared / total if total > 0 else np.zeros_like(squared)
    frame = pd.DataFrame(
        {
            "input": list(result.input_names),
            "unit": list(result.input_units),
            "spearman": rho,
            "contribution": contribution,
        }
    )
    return frame.sort_values("contribution", ascending=False, kind="stable").reset_index(drop=True)
