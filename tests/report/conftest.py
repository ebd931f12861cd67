"""Shared fixtures of the report tests: the BLOOM case, solved and rendered once."""

from __future__ import annotations

import numpy as np
import pytest
from cases import other_region

import lca
from lca.report import build_document
from lca.report.sections import ReportInput
from lca.report.uncertain import bands_from_draws
from lca.units import format_unit

DATE = "2026-01-01"


@pytest.fixture(scope="session")
def bloom_model():
    return lca.bloom()


@pytest.fixture(scope="session")
def bloom_result(bloom_model):
    return lca.solve(bloom_model)


@pytest.fixture(scope="session")
def bloom_document(bloom_model, bloom_result):
    return build_document(ReportInput(bloom_model, bloom_result, source="bloom.yaml", date=DATE))


@pytest.fixture(scope="session")
def fake_bands(bloom_result):
    """Monte Carlo-like draws: each phase value times a factor drawn in [0.8, 1.2]."""
    table = bloom_result.phase_table(units_in_header=False)
    rng = np.random.default_rng(7)
    phases = [p for p in table.index if p != "total"]
    draws = {p: table.loc[p].to_numpy()[None, :] * rng.uniform(0.8, 1.2, (500, 1)) for p in phases}
    units = {i.code: format_unit(i.unit) for i in bloom_result.matrices.indicators}
    return bands_from_draws(
        draws,
        list(table.columns),
        units,
        seed=7,
        sensitivity={"GWP": [("gpu_tdp", 0.81), ("grid_jean_zay", 0.45)]},
        sensitivity_method="Spearman rank correlation with the total",
    )


@pytest.fixture(scope="session")
def bloom_us(bloom_model):
    return other_region(bloom_model)
