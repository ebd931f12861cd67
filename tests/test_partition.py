"""Partitioned Monte Carlo: the static background is solved once, with the same numbers."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lca
from lca.errors import InventoryError
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


def varying_background_loop(n: int = 40) -> Model:
    """BLOOM-like: two phases using a varying background loop of n activities (each uses the
    next and one other, lognormal), and a life cycle in the background that sums the phases."""
    rng = np.random.default_rng(5)
    m = Model("background-loop")
    for j in range(n):
        exchanges = [
            Exchange(f"b{(j + 1) % n}", 0.3, "item", _lognormal(0.3, 1.4)),
            Exchange(f"b{(j + 7) % n}", 0.2, "item", _lognormal(0.2, 1.4)),
            Exchange("GWP", float(rng.uniform(0.1, 1.0)), "kg CO2 eq", _lognormal(0.5, 1.3)),
        ]
        m.add_activity(Activity(f"b{j}", f"b{j}", None, "item", exchanges))
    m.add_activity(Activity("make", "make", "manufacturing", "item", [Exchange("b0", 3.0, "item")]))
    m.add_activity(
        Activity(
            "train",
            "train",
            "training",
            "item",
            [Exchange("b5", 10.0, "item", _lognormal(10.0, 1.2)), Exchange("GWP", 2.0, "kg CO2 eq")],
        )
    )
    m.add_activity(
        Activity(
            "life", "life", None, "item", [Exchange("make", 1.0, "item"), Exchange("train", 1.0, "item")]
        )
    )
    m.functional_unit = FunctionalUnit("life", 1)
    return m


def _lognormal(amount: float, gsd: float) -> Uncertainty:
    return Uncertainty.from_spec({"distribution": "lognormal", "gsd": gsd}, amount, "test")


def test_the_rows_background_solutions_make_the_total_with_the_numbers_of_the_whole_system():
    # BLOOM's life cycle is a background activity that uses the phases; the background loop
    # is solved for each phase's demand, and their sum is the total's background part
    # (a loop of 40 is refined to a relative residual of 1e-10: the sum of the rows' solutions
    # and the whole system's solution agree to that, not to rounding)
    for model, rtol in ((lca.bloom(), 1e-12), (varying_background_loop(), 1e-9)):
        matrices = lca.build_matrices(model)
        parted = Propagator(matrices)
        whole = Propagator(matrices, partition=False)
        assert parted.rows_make_total and not whole.rows_make_total
        assert (
            parted.supply_system.size == sum(p != "background" for p in matrices.phases) + 1
        )  # + life cycle
        a, b = parted.run(400, rng=6), whole.run(400, rng=6)
        np.testing.assert_allclose(a.values, b.values, rtol=rtol, atol=0)
        # the total is the phases' sum here (nothing outside them), each draw
        np.testing.assert_allclose(a.values[-1], a.values[:-1].sum(axis=0), rtol=1e-12)


def test_overlapping_rows_keep_the_whole_supply():
    # a tracked activity is also in its phase: the rows do not add up to the total
    matrices = lca.build_matrices(lca.bloom())
    tracked = Propagator(matrices, activities=("training_dynamic",))
    assert not tracked.rows_make_total
    whole = Propagator(matrices, activities=("training_dynamic",), partition=False)
    np.testing.assert_allclose(tracked.run(300, rng=2).values, whole.run(300, rng=2).values, rtol=1e-12)


@st.composite
def phased_models(draw):
    """Random inventories: a background of 2-12 activities using each other at random (loops
    too), 1-5 foreground activities in random phases using the background and each other
    (acyclic), maybe a background life cycle that uses them, maybe a tracked activity; a
    lognormal on some exchanges."""
    n_bg = draw(st.integers(2, 12))
    n_fg = draw(st.integers(1, 5))
    life = draw(st.booleans())
    m = Model("random")
    amount = st.floats(0.01, 0.3)
    uncertain = st.booleans()

    def exchange(code, value):
        return Exchange(code, value, "item", _lognormal(value, 1.3) if draw(uncertain) else None)

    for j in range(n_bg):
        users = draw(
            st.lists(st.integers(0, n_bg - 1).filter(lambda k, j=j: k != j), max_size=3, unique=True)
        )
        exchanges = [exchange(f"b{k}", draw(amount) / 2) for k in users]
        exchanges.append(Exchange("GWP", draw(st.floats(0.1, 2.0)), "kg CO2 eq", _lognormal(1.0, 1.2)))
        m.add_activity(Activity(f"b{j}", f"b{j}", None, "item", exchanges))
    phases = ("manufacturing", "training", "deployment")
    for j in range(n_fg):
        used = draw(st.lists(st.integers(0, n_bg - 1), min_size=1, max_size=3, unique=True))
        exchanges = [exchange(f"b{k}", draw(st.floats(0.5, 5.0))) for k in used]
        exchanges += [exchange(f"f{k}", draw(st.floats(0.1, 2.0))) for k in range(j) if draw(st.booleans())]
        if draw(st.booleans()):
            exchanges.append(Exchange("GWP", draw(st.floats(0.1, 2.0)), "kg CO2 eq"))
        m.add_activity(Activity(f"f{j}", f"f{j}", draw(st.sampled_from(phases)), "item", exchanges))
    if life:
        m.add_activity(
            Activity("life", "life", None, "item", [Exchange(f"f{k}", 1.0, "item") for k in range(n_fg)])
        )
    m.functional_unit = FunctionalUnit("life" if life else f"f{n_fg - 1}", 1)
    tracked = (draw(st.sampled_from([f"f{k}" for k in range(n_fg)])),) if draw(st.booleans()) else ()
    return m, tracked


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phased_models())
def test_rows_making_the_total_or_not_the_numbers_are_those_of_the_whole_system(case):
    model, tracked = case
    try:
        matrices = lca.build_matrices(model)
        whole = Propagator(matrices, activities=tracked, partition=False)
    except InventoryError:  # a drawn loop that consumes all it makes: refused either way
        return
    parted = Propagator(matrices, activities=tracked)
    if not parted.varies:
        return
    a, b = parted.run(64, rng=1), whole.run(64, rng=1)
    np.testing.assert_allclose(a.values, b.values, rtol=1e-9, atol=1e-12 * np.abs(b.values).max())
