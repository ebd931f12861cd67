"""Which uncertain inputs drive the results, and how two alternatives compare.

- :func:`~lca.uncertainty.results.rank_sensitivity`: Spearman rank correlation of each input
  with one result (any Monte Carlo run), and its squared-rank contribution to variance (the squared
  correlations normalised to add up to 1, as SimaPro and Brightway analyses report).
- :func:`sobol_indices`: first-order and total Sobol indices (Saltelli 2010 design and
  estimators, via SALib, the optional extra ``lca[sensitivity]``).
- :func:`compare`: two inventories assessed with paired draws (the same uniform for a
  parameter name they share, so both see the same quantile), and the probability that
  the first has the lower impact, per indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lca.comparison import check_same_functional_unit
from lca.compile import Matrices, build_matrices
from lca.errors import UncertaintyError
from lca.model.records import Model
from lca.uncertainty.propagation import Propagator
from lca.uncertainty.results import MonteCarloResult
from lca.uncertainty.sampling import RandomState, UniformStream

#: Sobol analysis refuses more inputs than this (the design has n * (k + 2) rows).
MAX_SOBOL_INPUTS = 200


def _salib():
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError:
        raise UncertaintyError(
            "Sobol indices need SALib: install the optional extra with `pip install lca[sensitivity]`"
        ) from None
    return sample, analyze


def sobol_indices(
    model: Model | Matrices,
    n: int = 8192,
    seed: int | None = 0,
    *,
    rows: Sequence[str] = ("total",),
    activities: Sequence[str] = (),
    second_order: bool = False,
    num_resamples: int = 100,
) -> pd.DataFrame:
    """First-order and total Sobol indices of every uncertain input.

    The Saltelli design (SALib, scrambled Sobol' sequence) of ``n * (k + 2)`` points
    (``n * (2k + 2)`` with ``second_order``) in the unit hypercube goes through the
    inputs' inverse CDFs and the batched propagation, then SALib's estimators.

    Parameters
    ----------
    model : Model or Matrices
    n : int
        Base sample size (a power of 2).
    seed : int, optional
        Seed of the scrambling.
    rows : sequence of str
        Result rows (phases, tracked ``activities``, ``"total"``) to analyse.
    second_order : bool
        Also compute second-order indices (more evaluations).
    num_resamples : int
        Bootstrap resamples for the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        ``phase``, ``indicator``, ``input``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (95% bootstrap half-widths); NaN where the result does not vary.

    Raises
    ------
    UncertaintyError
        If SALib is missing, or there are no (or too many) uncertain inputs.
    """
    sample, analyze = _salib()
    matrices = model if isinstance(model, Matrices) else build_matrices(model)
    propagator = Propagator(matrices, activities=activities)
    k = propagator.space.size
    if not 1 <= k <= MAX_SOBOL_INPUTS:
        raise UncertaintyError(
            f"Sobol indices need 1 to {MAX_SOBOL_INPUTS} uncertain inputs, the model has {k}"
        )
    problem = {"num_vars": k, "names": list(propagator.space.names), "bounds": [[0.0, 1.0]] * k}
    design = sample.sample(problem, n, calc_second_order=second_order, seed=seed)
    result = propagator.run(
        len(design), 0, source=lambda a, b: design[a:b], keep_inputs=False, percentiles=()
    )
    lines = []
    for row in rows:
        for i, indicator in enumerate(result.indicators):
            y = result.samples(indicator, row)
            if np.ptp(y) == 0:
                s1 = st = s1c = stc = np.full(k, np.nan)
            else:
                out = analyze.analyze(
                    problem,
                    np.ascontiguousarray(y),
                    calc_second_order=second_order,
                    num_resamples=num_resamples,
                    seed=seed,
                )
                s1, s1c, st, stc = out["S1"], out["S1_conf"], out["ST"], out["ST_conf"]
            for c, name in enumerate(problem["names"]):
                lines.append((row, indicator, result.units[i], name, s1[c], s1c[c], st[c], stc[c]))
    return pd.DataFrame(
        lines, columns=["phase", "indicator", "unit", "input", "S1", "S1_conf", "ST", "ST_conf"]
    )


@dataclass(frozen=True)
class Comparison:
    """Two alternatives assessed with paired draws.

    Attributes
    ----------
    a, b : MonteCarloResult
        Each alternative's run (same iterations and seed).
    shared : tuple of str
        Parameter names drawn once and used by both.
    """

    a: MonteCarloResult
    b: MonteCarloResult
    shared: tuple[str, ...]

    def probability_lower(self, indicator: str, row: str = "total") -> float:
        """Probability that A's impact is below B's: P(A < B) + P(A = B) / 2.

        Ties count half (as in the Mann-Whitney statistic), so that an inventory
        compared with itself gives 0.5, paired or not.
        """
        xa, xb = self.a.samples(indicator, row), self.b.samples(indicator, row)
        return float(np.mean(xa < xb) + 0.5 * np.mean(xa == xb))

    def table(self) -> pd.DataFrame:
        """Per indicator shared by both: means, and the probability that A < B.

        Columns: ``indicator``, ``unit``, ``mean_a``, ``mean_b``, ``p_a_lower``
        (:meth:`probability_lower`) and ``p_equal`` (share of iterations with A == B).
        """
        lines = []
        for i, code in enumerate(self.a.indicators):
            if code not in self.b.indicators:
                continue
            xa, xb = self.a.samples(code), self.b.samples(code)
            lines.append(
                (code, self.a.units[i], xa.mean(), xb.mean(), self.probability_lower(code), np.mean(xa == xb))
            )
        return pd.DataFrame(lines, columns=["indicator", "unit", "mean_a", "mean_b", "p_a_lower", "p_equal"])


def compare(
    model_a: Model | Matrices,
    model_b: Model | Matrices,
    iterations: int,
    seed: RandomState = None,
    *,
    sampling: str = "random",
    demand_a: Mapping[str, float] | None = None,
    demand_b: Mapping[str, float] | None = None,
) -> Comparison:
    """Assess two alternatives with paired draws of the inputs they share.

    A parameter whose name both inventories use gets the same uniform in both runs
    (so the same quantile of each one's distribution: identical draws when the
    distributions are the same). So does an exchange's own distribution when both
    inventories have the same exchange (same activity code, position and input) with the
    same distribution: shared background data (a grid mix, a hardware entry) vary
    together. All other inputs are drawn independently.

    The probability that A is lower counts ties half: an inventory compared with
    itself gives 0.5 (see tests/test_sensitivity.py).

    Two models assessed for their functional units must have the same one (same unit and
    amount after conversion, :func:`lca.comparison.check_same_functional_unit`); given
    explicit demands or compiled matrices, the caller vouches for that.
    """
    if isinstance(model_a, Model) and isinstance(model_b, Model) and demand_a is None and demand_b is None:
        check_same_functional_unit(model_a, model_b)
    pa = Propagator(_compiled(model_a), demand_a)
    pb = Propagator(_compiled(model_b), demand_b)
    inputs_a = {_pair_key(pa, c): c for c in range(pa.space.size)}
    cols_b, extra = [], pa.space.size
    shared = []
    for c in range(pb.space.size):
        match = inputs_a.get(_pair_key(pb, c))
        if match is not None:
            cols_b.append(match)
            shared.append(pb.space.names[c])
        else:
            cols_b.append(extra)
            extra += 1
    stream = UniformStream(extra, seed, sampling, iterations)
    cols_a = np.arange(pa.space.size)
    cols_b_array = np.array(cols_b, dtype=np.int64)
    ra = pa.run(iterations, source=lambda s, e: stream.uniforms(s, e)[:, cols_a], sampling=sampling)
    rb = pb.run(iterations, source=lambda s, e: stream.uniforms(s, e)[:, cols_b_array], sampling=sampling)
    ra = _with_seed(ra, stream.entropy)
    rb = _with_seed(rb, stream.entropy)
    return Comparison(ra, rb, tuple(shared))


def _pair_key(propagator: Propagator, column: int) -> tuple[Any, ...]:
    """What makes two inputs the same: a parameter's name; an exchange and its distribution."""
    kind, _ = propagator.keys[column]
    name = propagator.space.names[column]
    if kind == "parameter":
        return (kind, name)
    return (kind, name, repr(propagator.space.uncertainties[column]))  # repr: NaN fields compare equal


def _compiled(model: Model | Matrices) -> Matrices:
    return model if isinstance(model, Matrices) else build_matrices(model)


def _with_seed(result: MonteCarloResult, seed: int) -> MonteCarloResult:
    from dataclasses import replace

    return replace(result, seed=int(seed))
