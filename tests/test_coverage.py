"""Result.coverage(): which results have all their data, some, or none (issue 11 item 6).

Each case is a tiny inventory whose activities declare the indicators they lack; the
expected coverage follows the phase attribution of Result.phase_table (a phase carries the
background it pulls, not the other phases' activities).
"""

from __future__ import annotations

import numpy as np
import pytest

import lca
from lca.model.records import Activity, Exchange, FunctionalUnit, Model


def shared_grid(missing_on_grid=("WATER",)):
    """A grid without water data, pulled by training (10 kWh) and deployment (1 kWh);
    cooling water (5 L) for the training only."""
    m = Model("shared")
    grid = Activity("grid", "grid", None, "kWh", [Exchange("GWP", 0.1, "kg CO2 eq")])
    grid.missing = tuple(missing_on_grid)
    m.add_activity(grid)
    m.add_activity(Activity("cooling", "cooling", "training", "run", [Exchange("WATER", 5, "L")]))
    job = [Exchange("grid", 10, "kWh"), Exchange("cooling", 1, "run")]
    m.add_activity(Activity("job", "job", "training", "run", job))
    m.add_activity(Activity("serve", "serve", "deployment", "run", [Exchange("grid", 1, "kWh")]))
    m.add_activity(
        Activity("fu", "fu", None, "run", [Exchange("job", 1, "run"), Exchange("serve", 1, "run")])
    )
    m.functional_unit = FunctionalUnit("fu", 1, "run")
    return m


def test_a_gap_in_the_background_reaches_every_phase_that_pulls_it():
    result = lca.solve(shared_grid())
    coverage = result.coverage()
    # training: 5 L of cooling counted, the grid's water unknown: a lower bound
    assert coverage.loc["training", "WATER"] == "partial"
    assert result.phase_table(units_in_header=False).loc["training", "WATER"] == pytest.approx(5.0)
    # deployment: only the grid, whose water is unknown: no data (its 0 is not a result)
    assert coverage.loc["deployment", "WATER"] == "none"
    assert coverage.loc["total", "WATER"] == "partial"
    assert (coverage["GWP"] == "complete").all()
    table = result.phase_table(units_in_header=False, missing_as_nan=True)
    assert np.isnan(table.loc["deployment", "WATER"]) and table.loc["total", "WATER"] == pytest.approx(5.0)


def test_rows_can_be_activities():
    result = lca.solve(shared_grid())
    coverage = result.coverage(["job", "cooling", "serve", "grid", "total"])
    assert coverage["WATER"].to_dict() == {
        "job": "none",  # its own attributed water: the grid's (unknown); cooling is its own activity
        "cooling": "complete",
        "serve": "none",
        "grid": "none",
        "total": "partial",
    }


def test_an_unused_activity_lacking_data_changes_nothing():
    m = shared_grid(missing_on_grid=())
    spare = Activity("spare", "spare GPU", "manufacturing", "item", [Exchange("GWP", 150, "kg CO2 eq")])
    spare.missing = ("WATER",)
    m.add_activity(spare)  # nothing uses it: supply 0
    coverage = lca.solve(m).coverage()
    assert (coverage == "complete").all().all()


def test_a_loop_carries_its_gap_around():
    # the grid needs 0.1 plant-unit per kWh and the plant uses 1 kWh (test_contribution_plot_cli.py)
    m = Model("loop")
    m.add_activity(
        Activity(
            "grid", "grid", None, "kWh", [Exchange("GWP", 0.1, "kg CO2 eq"), Exchange("plant", 0.1, "item")]
        )
    )
    plant = Activity("plant", "plant", None, "item", [Exchange("grid", 1, "kWh"), Exchange("WATER", 3, "L")])
    m.add_activity(plant)
    m.activities["grid"].missing = ("WATER",)
    m.add_activity(Activity("job", "job", "training", "run", [Exchange("grid", 9, "kWh")]))
    m.functional_unit = FunctionalUnit("job", 1, "run")
    result = lca.solve(m)
    # 9 kWh delivered need 9 / (1 - 0.1) = 10 kWh made and 1 plant-unit: its 3 L are counted,
    # the grid's water is unknown: a lower bound
    assert result.coverage().loc["training", "WATER"] == "partial"
    assert result.phase_table(units_in_header=False).loc["training", "WATER"] == pytest.approx(3.0)


def test_bloom_and_gpt3():
    bloom = lca.solve(lca.bloom()).coverage()
    # the A100 and node datasets have no water: manufacturing n/a, the total a lower bound
    assert bloom.loc["manufacturing", "WATER"] == "none" and bloom.loc["total", "WATER"] == "partial"
    assert (bloom.drop(columns="WATER") == "complete").all().all()
    gpt3 = lca.solve(lca.load(lca.datasets_dir() / "cases" / "gpt3.yaml")).coverage()
    assert gpt3.loc["total"].tolist() == ["complete", "none", "none", "none"]
