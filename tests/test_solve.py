"""Matrix LCA on systems small enough to solve by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lca.compile import build_matrices
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.solve import Solver, solve
from tests.conftest import grid_and_job


def test_grid_and_job_by_hand(tiny):
    # 1,000 kWh x 57 g/kWh = 57 kg CO2 eq, all attributed to the training phase
    result = solve(tiny)
    assert result.total("GWP").to("kg CO2 eq").magnitude == pytest.approx(57.0)
    table = result.phase_table(units_in_header=False)
    assert table.loc["training", "GWP"] == pytest.approx(57.0)
    assert list(table.index) == ["training", "total"]  # background attributed, not listed


def loop_model(a: float, b: float, ea: float, eb: float) -> Model:
    """X uses ``a`` of Y per unit; Y uses ``b`` of X per unit (a loop)."""
    model = Model("loop")
    model.add_activity(
        Activity("X", "x", "manufacturing", "kg", [Exchange("Y", a, "kg"), Exchange("GWP", ea, "kg CO2 eq")])
    )
    model.add_activity(
        Activity("Y", "y", "transport", "kg", [Exchange("X", b, "kg"), Exchange("GWP", eb, "kg CO2 eq")])
    )
    model.functional_unit = FunctionalUnit("X", 1, "kg")
    return model


def test_loop_matches_closed_form():
    # A = [[1, -b], [-a, 1]], f = [1, 0]  ->  s_X = 1 / (1 - a b), s_Y = a / (1 - a b)
    # h = ea s_X + eb s_Y = (ea + a eb) / (1 - a b)
    a, b, ea, eb = 0.5, 0.4, 2.0, 3.0
    result = solve(loop_model(a, b, ea, eb))
    s_x, s_y = 1 / (1 - a * b), a / (1 - a * b)
    np.testing.assert_allclose(result.supply, [s_x, s_y])
    assert result.total("GWP").magnitude == pytest.approx((ea + a * eb) / (1 - a * b))  # 3.5 / 0.8 = 4.375
    table = result.phase_table(units_in_header=False)
    assert table.loc["manufacturing", "GWP"] == pytest.approx(ea * s_x)
    assert table.loc["transport", "GWP"] == pytest.approx(eb * s_y)


def test_singular_loop_is_an_error():
    from lca.errors import InventoryError

    with pytest.raises(InventoryError, match="singular"):
        solve(loop_model(1.0, 1.0, 1.0, 1.0))


def test_factorised_once_reused_for_many_demands(tiny):
    solver = Solver(build_matrices(tiny))
    one = solver.solve({"job": 1}).total("GWP").magnitude
    grid = solver.solve({"grid": 10}).total("GWP").magnitude
    assert (one, grid) == pytest.approx((57.0, 0.57))


def test_background_demanded_directly_stays_background(tiny):
    result = solve(tiny, {"grid": 100.0, "job": 1.0})
    table = result.phase_table(units_in_header=False)
    # 100 kWh x 57 g = 5.7 kg background; 57 kg training
    assert table.loc["background", "GWP"] == pytest.approx(5.7)
    assert table.loc["training", "GWP"] == pytest.approx(57.0)


def test_one_grid_serves_two_phases():
    model = grid_and_job()
    model.add_activity(
        Activity("serve", "serving", "deployment", "request", [Exchange("grid", 0.002, "kWh")])
    )
    model.add_activity(
        Activity(
            "service",
            "life cycle",
            None,
            "unit",
            [Exchange("job", 1, "run"), Exchange("serve", 5000, "request")],
        )
    )
    model.functional_unit = FunctionalUnit("service", 1, "unit")
    table = solve(model).phase_table(units_in_header=False)
    # training 1,000 kWh, deployment 5,000 x 0.002 = 10 kWh, at 57 g/kWh
    assert table.loc["training", "GWP"] == pytest.approx(57.0)
    assert table.loc["deployment", "GWP"] == pytest.approx(0.57)
    assert table.loc["total", "GWP"] == pytest.approx(57.57)


def test_contributions_table_is_tidy(tiny):
    frame = solve(tiny).contributions()
    gwp = frame[frame.indicator == "GWP"].set_index("activity")
    assert gwp.loc["grid", "direct"] == pytest.approx(57.0)
    assert gwp.loc["grid", "attributed"] == 0.0
    assert gwp.loc["job", "attributed"] == pytest.approx(57.0)
    assert set(frame.unit) == {"kg CO2 eq", "kg Sb eq", "MJ", "L"}


def test_totals_are_quantities(tiny):
    total = solve(tiny).totals()["GWP"]
    assert total.to("g CO2 eq").magnitude == pytest.approx(57_000.0)


# -- properties ----------------------------------------------------------------------------
def chain_model(amounts: list[float], factors: list[float]) -> Model:
    """A chain of activities in alternating phases, each with its own emissions."""
    model = Model("chain")
    phases = ["manufacturing", "training", None, "deployment"]
    for k, (amount, factor) in enumerate(zip(amounts, factors, strict=True)):
        exchanges = [Exchange("GWP", factor, "kg CO2 eq"), Exchange("WATER", factor / 2, "L")]
        if k + 1 < len(amounts):
            exchanges.append(Exchange(f"a{k + 1}", amount, "kg"))
        phase = phases[k % len(phases)] if k else "training"
        model.add_activity(Activity(f"a{k}", f"a{k}", phase, "kg", exchanges))
    model.functional_unit = FunctionalUnit("a0", 1, "kg")
    return model


positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(positive, positive), min_size=2, max_size=6), positive, positive)
def test_linear_in_demand(pairs, d1, d2):
    amounts, factors = zip(*pairs, strict=True)
    solver = Solver(build_matrices(chain_model(list(amounts), list(factors))))
    h1 = solver.solve({"a0": d1}).direct.sum(axis=1)
    h2 = solver.solve({"a0": d2}).direct.sum(axis=1)
    h12 = solver.solve({"a0": d1 + d2}).direct.sum(axis=1)
    np.testing.assert_allclose(h12, h1 + h2, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(positive, positive), min_size=2, max_size=6))
def test_phase_contributions_add_up_to_total(pairs):
    amounts, factors = zip(*pairs, strict=True)
    table = solve(chain_model(list(amounts), list(factors))).phase_table(units_in_header=False)
    np.testing.assert_allclose(table.drop(index="total").sum(), table.loc["total"], rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(positive, positive)
def test_unit_of_an_amount_does_not_change_the_result(kg, factor):
    def model(amount: float, unit: str) -> Model:
        m = Model("units")
        m.add_activity(
            Activity("steel", "steel", "manufacturing", "kg", [Exchange("GWP", factor, "kg CO2 eq")])
        )
        m.add_activity(
            Activity("server", "server", "manufacturing", "item", [Exchange("steel", amount, unit)])
        )
        m.functional_unit = FunctionalUnit("server", 1, "item")
        return m

    totals = [
        solve(model(kg * scale, unit)).total("GWP").magnitude
        for unit, scale in (("g", 1000), ("kg", 1), ("t", 1e-3))
    ]
    np.testing.assert_allclose(totals, [kg * factor] * 3, rtol=1e-9)


def test_formula_parameters_chain():
    model = grid_and_job()
    model.parameters.pop("energy")
    model.add_parameter(Parameter("hours", 10, "h"))
    model.add_parameter(Parameter("power", 50, "kW"))
    model.add_parameter(Parameter("energy", "hours * power", "kWh"))
    # 10 h x 50 kW = 500 kWh x 57 g = 28.5 kg
    assert solve(model).total("GWP").magnitude == pytest.approx(28.5)
