"""Monte Carlo: sampling, propagation, results and sensitivity.

The distributions themselves (:class:`~lca.model.uncertainty.Uncertainty`, pedigree)
belong to the model layer, :mod:`lca.model`.
"""

from lca.uncertainty.propagation import Propagator, monte_carlo
from lca.uncertainty.results import MonteCarloResult, rank_sensitivity
from lca.uncertainty.sensitivity import Comparison, compare, sobol_indices

__all__ = [
    "Comparison",
    "MonteCarloResult",
    "Propagator",
    "compare",
    "monte_carlo",
    "rank_sensitivity",
    "sobol_indices",
]
