"""The model layer: the records of an inventory and the rules they obey.

- :mod:`lca.model.records`: ``Model``, ``Activity``, ``Exchange``, ``Parameter``, ``Flow``,
  ``FunctionalUnit`` (plain dataclasses, ISO 14044 vocabulary) and the graph view;
- :mod:`lca.model.uncertainty` and :mod:`lca.model.pedigree`: how an amount varies
  (stats_arrays ids, pedigree matrix);
- :mod:`lca.model.formulas`: the safe arithmetic language of amounts.

Nothing here converts units or solves anything: that is :mod:`lca.compile` and
:mod:`lca.solve`.
"""

from lca.model.records import (
    BACKGROUND,
    PHASES,
    Activity,
    Exchange,
    Flow,
    FunctionalUnit,
    Model,
    Parameter,
    suggest,
)
from lca.model.uncertainty import DISTRIBUTION_IDS, Uncertainty

__all__ = [
    "BACKGROUND",
    "DISTRIBUTION_IDS",
    "PHASES",
    "Activity",
    "Exchange",
    "Flow",
    "FunctionalUnit",
    "Model",
    "Parameter",
    "Uncertainty",
    "suggest",
]
