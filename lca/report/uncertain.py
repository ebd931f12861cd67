"""What the report reads from Monte Carlo: bands, draws, sensitivity, paired comparison.

The report's uncertainty parts are optional inputs. They are described here as two
small records, :class:`Bands` (one inventory) and :class:`Paired` (two alternatives on
the same draws), so the report depends on this interface only; :func:`bands_from_mc` and
:func:`paired_from_mc` adapt the Monte Carlo results of :mod:`lca.uncertainty`.

Examples
--------
>>> import numpy as np
>>> draws = {"training": np.array([[1.0], [2.0], [3.0]])}
>>> b = bands_from_draws(draws, ["GWP"], {"GWP": "kg CO2 eq"}, seed=1)
>>> b.iterations, b.phase_bands["total"]["GWP"]
(3, (1.05, 2.0, 2.95))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lca.errors import LcaError

Band = tuple[float, float, float]  # low, median, high


@dataclass(frozen=True)
class Bands:
    """Monte Carlo summary of one inventory, as the report shows it.

    Attributes
    ----------
    iterations : int
        Number of draws.
    seed : int or None
        Seed of the draws (reports print it for reproducibility).
    phase_bands : dict
        ``{phase or "total": {indicator: (low, median, high)}}`` in indicator units.
    total_draws : dict
        ``{indicator: array of the total's draws}``.
    units : dict
        Indicator code -> unit text.
    sensitivity : dict
        ``{indicator: [(parameter, coefficient), ...]}`` largest first.
    sensitivity_method : str
        How the coefficients were computed (e.g. Spearman rank correlation).
    low_pct, high_pct : float
        Percentiles of the band (2.5 and 97.5: a 95% interval).
    activities : dict
        ``{activity: {indicator: (low, median, high)}}``: cumulative impact of one unit of
        an activity the report names (the model card's training run and inference), from
        the same seed.
    """

    iterations: int
    seed: int | None
    phase_bands: dict[str, dict[str, Band]]
    total_draws: dict[str, np.ndarray]
    units: dict[str, str]
    sensitivity: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    sensitivity_method: str = ""
    low_pct: float = 2.5
    high_pct: float = 97.5
    activities: dict[str, dict[str, Band]] = field(default_factory=dict)

    @property
    def level_label(self) -> str:
        """``"95% interval (2.5th-97.5th percentiles)"``."""
        return (
            f"{self.high_pct - self.low_pct:g}% interval ({self.low_pct:g}th-{self.high_pct:g}th percentiles)"
        )


@dataclass(frozen=True)
class Paired:
    """Two alternatives assessed on the same draws of their shared parameters.

    Attributes
    ----------
    names : tuple of str
        The two alternatives, ``(a, b)``.
    iterations : int
    seed : int or None
    probability : dict
        ``{indicator: P(a's total < b's total)}`` over the paired draws.
    bands : dict
        ``{name: {indicator: (low, high)}}`` 95% bands of each total.
    ties : dict
        ``{indicator: share of the draws where the two totals are equal}`` (1: the same).
    """

    names: tuple[str, str]
    iterations: int
    seed: int | None
    probability: dict[str, float]
    bands: dict[str, dict[str, tuple[float, float]]]
    ties: dict[str, float] = field(default_factory=dict)


def bands_from_draws(
    phase_draws: Mapping[str, np.ndarray],
    indicators: Sequence[str],
    units: Mapping[str, str],
    seed: int | None = None,
    sensitivity: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    sensitivity_method: str = "",
    percentiles: tuple[float, float] = (2.5, 97.5),
) -> Bands:
    """Summarise draws ``{phase: array (iterations x indicators)}`` into :class:`Bands`.

    The total is ``phase_draws["total"]`` when given, else the sum of the phases, draw by draw.
    """
    arrays = {p: np.asarray(d, dtype=float).reshape(len(d), len(indicators)) for p, d in phase_draws.items()}
    if not arrays:
        raise LcaError("Monte Carlo summary: no draws given")
    total = arrays.pop("total", None)
    if total is None:
        total = sum(arrays.values())
    low, high = percentiles

    def band(values: np.ndarray) -> dict[str, Band]:
        q = np.percentile(values, [low, 50, high], axis=0)
        return {c: (float(q[0, k]), float(q[1, k]), float(q[2, k])) for k, c in enumerate(indicators)}

    return Bands(
        iterations=int(total.shape[0]),
        seed=seed,
        phase_bands={**{p: band(a) for p, a in arrays.items()}, "total": band(total)},
        total_draws={c: total[:, k] for k, c in enumerate(indicators)},
        units=dict(units),
        sensitivity={k: list(v) for k, v in (sensitivity or {}).items()},
        sensitivity_method=sensitivity_method,
        low_pct=low,
        high_pct=high,
    )


def paired_from_totals(
    names: tuple[str, str],
    totals_a: Mapping[str, np.ndarray],
    totals_b: Mapping[str, np.ndarray],
    seed: int | None = None,
) -> Paired:
    """:class:`Paired` from the paired draws of the two totals, ``{indicator: array}``.

    The probability that A is lower counts ties half (P(A < B) + P(A = B) / 2), as
    :meth:`lca.uncertainty.sensitivity.Comparison.probability_lower` does.

    Examples
    --------
    >>> p = paired_from_totals(("a", "b"), {"GWP": np.array([1.0, 3.0])}, {"GWP": np.array([2.0, 2.0])})
    >>> p.probability
    {'GWP': 0.5}
    >>> paired_from_totals(("a", "a"), {"GWP": np.ones(3)}, {"GWP": np.ones(3)}).probability
    {'GWP': 0.5}
    """
    probability, ties = {}, {}
    for c in totals_a:
        a, b = np.asarray(totals_a[c]), np.asarray(totals_b[c])
        ties[c] = float(np.mean(a == b))
        probability[c] = float(np.mean(a < b) + 0.5 * ties[c])  # ties count half

    def band(draws: np.ndarray) -> tuple[float, float]:
        low, high = np.percentile(np.asarray(draws, dtype=float), [2.5, 97.5])
        return float(low), float(high)

    return Paired(
        names=names,
        iterations=len(next(iter(totals_a.values()))),
        seed=seed,
        probability=probability,
        bands={
            names[0]: {c: band(v) for c, v in totals_a.items()},
            names[1]: {c: band(v) for c, v in totals_b.items()},
        },
        ties=ties,
    )


# -- adapters to lca.uncertainty (Monte Carlo is an optional part of the report) -----------------
def monte_carlo_available() -> bool:
    """True when this installation has the Monte Carlo propagation module."""
    try:
        from lca.uncertainty import propagation  # noqa: F401
    except ImportError:
        return False
    return True


def run_monte_carlo(model: Any, iterations: int, seed: int | None, demand: dict | None = None) -> Any:
    """Run :func:`lca.uncertainty.propagation.monte_carlo`, or say why it cannot run."""
    if not monte_carlo_available():
        raise LcaError(
            "Monte Carlo is not available in this installation of lca "
            "(lca.uncertainty.propagation is missing); run without --iterations"
        )
    from lca.uncertainty.propagation import monte_carlo

    return monte_carlo(model, iterations=iterations, seed=seed, demand=demand)


def activity_bands(
    model: Any, codes: Sequence[str], iterations: int, seed: int | None, percentiles: tuple[float, float]
) -> dict[str, dict[str, Band]]:
    """``{code: {indicator: (low, median, high)}}``: one unit of each activity, by Monte Carlo.

    One run per activity with the same seed, so the parameters take the same draws as in
    the run of the functional unit.
    """
    found: dict[str, dict[str, Band]] = {}
    for code in dict.fromkeys(codes):
        mc = run_monte_carlo(model, iterations, seed, demand={code: 1.0})
        found[code] = {}
        for indicator in mc.indicators:
            q = np.percentile(mc.samples(indicator), [percentiles[0], 50, percentiles[1]])
            found[code][indicator] = (float(q[0]), float(q[1]), float(q[2]))
    return found


def bands_from_mc(mc: Any, top: int = 10) -> Bands:
    """Adapt a :class:`lca.uncertainty.results.MonteCarloResult` to :class:`Bands`.

    Reads its phase and total rows (``values``: rows x indicators x iterations), its
    indicators, units, seed and percentiles; the sensitivity ranking (Spearman rank
    correlation of each input with each total) when the run kept its input draws.
    """
    draws = {
        row: np.asarray(mc.values[k]).T
        for k, (row, kind) in enumerate(zip(mc.rows, mc.row_kinds, strict=True))
        if kind in ("phase", "total")
    }
    low, high = (min(mc.percentiles), max(mc.percentiles)) if mc.percentiles else (2.5, 97.5)
    ranking: dict[str, list[tuple[str, float]]] = {}
    method = ""
    if getattr(mc, "inputs", None) is not None:
        for code in mc.indicators:
            ranking[code] = _ranking(mc.sensitivity(code))[:top]
        method = "Spearman rank correlation with the total"
    return bands_from_draws(
        draws,
        list(mc.indicators),
        dict(zip(mc.indicators, mc.units, strict=True)),
        seed=mc.seed,
        sensitivity=ranking,
        sensitivity_method=method,
        percentiles=(low, high),
    )


def run_comparison(model_a: Any, model_b: Any, iterations: int, seed: int | None) -> Any:
    """Run :func:`lca.uncertainty.sensitivity.compare` (paired draws of shared parameters)."""
    if not monte_carlo_available():
        run_monte_carlo(model_a, iterations, seed)  # raises the explanation
    from lca.uncertainty.sensitivity import compare

    return compare(model_a, model_b, iterations, seed)


def paired_from_mc(names: tuple[str, str], mc_a: Any, mc_b: Any) -> Paired:
    """:class:`Paired` from two Monte Carlo runs on paired draws (``Comparison.a``, ``.b``),
    total by total."""
    codes = [c for c in mc_a.indicators if c in mc_b.indicators]
    return paired_from_totals(
        names,
        {c: mc_a.samples(c) for c in codes},
        {c: mc_b.samples(c) for c in codes},
        seed=mc_a.seed,
    )


def _ranking(frame: Any) -> list[tuple[str, float]]:
    """``[(input, coefficient)]`` by decreasing |coefficient| from a sensitivity table."""
    columns = [c for c in frame.columns if "spearman" in str(c).lower() or "rank" in str(c).lower()]
    column = columns[0] if columns else frame.select_dtypes("number").columns[0]
    names = frame["input"] if "input" in frame.columns else frame.index
    pairs = [(str(n), float(v)) for n, v in zip(names, frame[column], strict=True) if np.isfinite(v)]
    return sorted(pairs, key=lambda p: -abs(p[1]))
