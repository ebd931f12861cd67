"""Inventories the report tests and docs/screenshots.py share."""

from __future__ import annotations

import copy

from lca.model.records import Model, Parameter


def other_region(model: Model) -> Model:
    """BLOOM trained on the grid it was served from (GCP us-central1, 394 g CO2 eq/kWh,
    Luccioni et al. 2023 section 5) instead of Jean Zay's (57 g): "another region"."""
    other = copy.deepcopy(model)
    us = model.parameters["grid_us_central1"]
    other.name = "BLOOM trained in us-central1"
    other.parameters["grid_jean_zay"] = Parameter(
        "grid_jean_zay", us.amount, us.unit, us.uncertainty, source=us.source
    )
    return other
