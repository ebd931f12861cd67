"""Uncertainty: distributions, pedigree, sampling, propagation and sensitivity."""

from lca.uncertainty.distributions import DISTRIBUTION_IDS, Uncertainty
from lca.uncertainty.pedigree import PEDIGREE_VARIANCES, pedigree_sigma

__all__ = ["DISTRIBUTION_IDS", "PEDIGREE_VARIANCES", "Uncertainty", "pedigree_sigma"]
