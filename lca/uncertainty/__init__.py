"""Uncertainty: distributions, pedigree, sampling, propagation and sensitivity.

The Monte Carlo names (``monte_carlo``, ``MonteCarloResult``, ``compare``,
``sobol_indices``, ``rank_sensitivity``) are imported on first use: the compiler imports
this package for :class:`Uncertainty`, and propagation imports the compiler.
"""

from importlib import import_module
from typing import Any

from lca.uncertainty.distributions import DISTRIBUTION_IDS, Uncertainty
from lca.uncertainty.pedigree import PEDIGREE_VARIANCES, pedigree_sigma

_LAZY = {
    "monte_carlo": "lca.uncertainty.propagation",
    "Propagator": "lca.uncertainty.propagation",
    "MonteCarloResult": "lca.uncertainty.results",
    "compare": "lca.uncertainty.sensitivity",
    "Comparison": "lca.uncertainty.sensitivity",
    "rank_sensitivity": "lca.uncertainty.sensitivity",
    "sobol_indices": "lca.uncertainty.sensitivity",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lca.uncertainty' has no attribute '{name}'")


__all__ = ["DISTRIBUTION_IDS", "PEDIGREE_VARIANCES", "Uncertainty", "pedigree_sigma", *_LAZY]
