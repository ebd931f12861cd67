"""Monte Carlo: sampling, propagation, results and sensitivity.

The distributions themselves (:class:`~lca.model.uncertainty.Uncertainty`, pedigree)
belong to the model layer, :mod:`lca.model`.
"""

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Propagator": "lca.uncertainty.propagation",
    "monte_carlo": "lca.uncertainty.propagation",
    "MonteCarloResult": "lca.uncertainty.results",
    "rank_sensitivity": "lca.uncertainty.results",
    "Comparison": "lca.uncertainty.sensitivity",
    "compare": "lca.uncertainty.sensitivity",
    "sobol_indices": "lca.uncertainty.sensitivity",
}

if TYPE_CHECKING:
    from lca.uncertainty.propagation import Propagator, monte_carlo
    from lca.uncertainty.results import MonteCarloResult, rank_sensitivity
    from lca.uncertainty.sensitivity import Comparison, compare, sobol_indices


def __getattr__(name: str) -> Any:
    """The public names, imported on first use (PEP 562): importing a submodule stays light."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lca.uncertainty' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Comparison",
    "MonteCarloResult",
    "Propagator",
    "compare",
    "monte_carlo",
    "rank_sensitivity",
    "sobol_indices",
]
