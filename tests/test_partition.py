"""Partitioned Monte Carlo: the static background is solved once, with the same numbers."""

import numpy as np

import lca
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import Uncertainty
from lca.uncertainty.propagation import Propagator


def model() -> Model:
    """A fixed background loop (grid, steel), a varying transport and what uses it, a foreground.

    Static: grid and steel (fixed, and they use only each other). Not static: transport (its
    GWP varies) and market (it uses transport). The foreground draws its energy.
    """
    m = Model("partition")
    m.add_parameter(
        Parameter(
            "energy",
            1000.0,
            "kWh",
            Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.3}, 1000.0, "energy"),
        )
    )
    lognormal = Uncertainty.from_spec({"distribution": "lognormal", "gsd": 1.5}, 0.1, "transport")
    m.add_activity(
        Activity(
            "grid", "grid", None, "kWh", [Exchange("steel", 0.001, "kg"), Exchange("GWP", 0.05, "kg CO2 eq")]
        )
    )
    m.add_activity(
        Activity(
            "steel", "steel", None, "kg", [Exchange("grid", 2.0, "kWh"), Exchange("GWP", 1.8, "kg CO2 eq")]
        )
    )
    m.add_activity(
        Activity(
            "transport",
            "transport",
            None,
            "t*km",
            [Exchange("grid", 0.01, "kWh"), Exchange("GWP", 0.1, "kg CO2 eq", lognormal)],
        )
    )
    m.add_activity(
        Activity(
            "market", "market", None, "kg", [Exchange("steel", 1.0, "kg"), Exchange("transport", 0.5, "t*km")]
        )
    )
    m.add_activity(
        Activity(
            "training",
            "training",
            "training",
            "run",
            [Exchange("grid", "energy", "kWh"), Exchange("market", 2.0, "kg")],
        )
    )
    m.add_activity(
        Activity(
            "serving",
            "serving",
            "deployment",
            "run",
            [Exchange("grid", "energy / 10", "kWh"), Exchange("steel", 0.5, "kg")],
        )
    )
    m.add_activity(
        Activity(
            "life",
            "life cycle",
            None,
            "unit",
            [Exchange("training", 1, "run"), Exchange("serving", 1, "run"), Exchange("grid", 5.0, "kWh")],
        )
    )
    m.functional_unit = FunctionalUnit("life", 1, "unit")
    return m


def test_the_static_background_is_taken_out_and_the_numbers_are_those_of_the_whole_system():
    matrices = lca.build_matrices(model())
    whole = Propagator(matrices, activities=("transport",), partition=False)
    parted = Propagator(matrices, activities=("transport",))
    assert whole.static_count == 0
    assert parted.static_count == 2  # grid and steel
    assert parted.supply_system.size == len(matrices.activities) - 2
    a = whole.run(500, rng=4)
    b = parted.run(500, rng=4)
    assert a.rows == b.rows
    np.testing.assert_allclose(b.values, a.values, rtol=1e-12, atol=0)
    # and both are the deterministic result at the medians
    np.testing.assert_allclose(b.deterministic, a.deterministic)
    # by hand at the medians: grid makes 1 kWh net with 1/(1 - 2 x 0.001) kWh gross
    grid = (0.05 + 0.001 * 1.8) / (1 - 0.002)
    steel = 1.8 + 2.0 * grid
    transport = 0.01 * grid + 0.1
    training = 1000 * grid + 2 * (steel + 0.5 * transport)
    serving = 100 * grid + 0.5 * steel
    total = training + serving + 5 * grid
    np.testing.assert_allclose(b.deterministic[-1, 0], total, rtol=1e-12)
    phases = [i for i, kind in enumerate(b.row_kinds) if kind == "phase"]
    np.testing.assert_allclose(b.values[phases].sum(axis=0), b.values[-1], rtol=1e-12)
