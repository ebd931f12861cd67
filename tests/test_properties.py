"""Properties of the engine over generated inventories, and a differential dense solve.

An inventory is generated as a plain spec (activities, each with a unit family, exchanges
written in a unit of the supplier's family, GWP per activity, loops allowed with a gain
below one). The expected result is computed here by an independent dense float64 solve
with numpy, from unit factors written out in this file, never through lca's compile:

    A[i, i] = production_i,  A[k, j] = -amount_jk x factor(unit -> unit of k),
    s = A^-1 f,  GWP = sum_j g_j s_j

Properties (each to 1e-12 relative): an amount rewritten in an equivalent unit, an
activity's production scaled with its exchanges, a parameter moved into a formula, the
demand scaled (linearity), phases adding up to the total; and a loop that consumes all it
makes is always refused.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lca
from lca.errors import InventoryError
from lca.model import Activity, Exchange, FunctionalUnit, Model, Parameter

#: Units of each family and their factor to the family's first unit (written out by hand).
FAMILIES = {
    "energy": {"kWh": 1.0, "Wh": 1e-3, "MWh": 1e3, "MJ": 1 / 3.6, "J": 1 / 3.6e6},
    "mass": {"kg": 1.0, "g": 1e-3, "t": 1e3},
    "time": {"h": 1.0, "min": 1 / 60, "s": 1 / 3600},
    "information": {"GB": 1.0, "MB": 1e-3, "TB": 1e3},
    "count": {"item": 1.0},
}
PHASES = (None, "manufacturing", "training", "deployment")
REL = 1e-12


@st.composite
def inventories(draw):
    """A spec: activities (family, unit, production, phase, gwp) and exchanges (j, k, amount, unit)."""
    n = draw(st.integers(2, 9))
    acts = []
    for j in range(n):
        family = draw(st.sampled_from(sorted(FAMILIES)))
        acts.append(
            {
                "family": family,
                "unit": draw(st.sampled_from(sorted(FAMILIES[family]))),
                "production": draw(st.sampled_from([1.0, 2.0, 0.25, 10.0])),
                "phase": draw(st.sampled_from(PHASES)) if j else "training",
                "gwp": draw(st.floats(0.0, 50.0)),
            }
        )
    exchanges = []
    for j in range(n):
        for k in draw(st.sets(st.integers(0, n - 1), max_size=3)):
            if k == j:
                continue
            supplier = acts[k]
            # loops are kept convergent: each input takes at most 1/(4 n) of a supplier's output per unit
            amount = draw(st.floats(1e-3, 1.0)) * supplier["production"] / (4 * n)
            unit = draw(st.sampled_from(sorted(FAMILIES[supplier["family"]])))
            amount /= FAMILIES[supplier["family"]][unit] / FAMILIES[supplier["family"]][supplier["unit"]]
            exchanges.append({"consumer": j, "supplier": k, "amount": amount, "unit": unit})
    return {"activities": acts, "exchanges": exchanges, "demand": draw(st.floats(0.1, 100.0))}


def build(spec: dict) -> Model:
    model = Model("generated")
    for j, a in enumerate(spec["activities"]):
        model.add_activity(
            Activity(
                f"a{j}",
                f"activity {j}",
                a["phase"],
                a["unit"],
                [Exchange("GWP", a["gwp"], "kg CO2 eq")],
                production=a["production"],
            )
        )
    for e in spec["exchanges"]:
        model.activities[f"a{e['consumer']}"].exchanges.append(
            Exchange(f"a{e['supplier']}", e["amount"], e["unit"])
        )
    model.functional_unit = FunctionalUnit("a0", spec["demand"])
    return model


def dense_reference(spec: dict) -> float:
    """GWP by an independent dense float64 solve (unit factors from FAMILIES)."""
    acts = spec["activities"]
    n = len(acts)
    a = np.diag([x["production"] for x in acts])
    for e in spec["exchanges"]:
        supplier = acts[e["supplier"]]
        family = FAMILIES[supplier["family"]]
        a[e["supplier"], e["consumer"]] -= e["amount"] * family[e["unit"]] / family[supplier["unit"]]
    f = np.zeros(n)
    f[0] = spec["demand"]
    s = np.linalg.solve(a, f)
    return float(np.dot([x["gwp"] for x in acts], s))


def gwp(model: Model) -> float:
    return lca.solve(model).total("GWP").magnitude


@settings(max_examples=60, deadline=None)
@given(spec=inventories())
def test_lca_equals_an_independent_dense_solve(spec):
    assert gwp(build(spec)) == pytest.approx(dense_reference(spec), rel=REL, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(spec=inventories(), data=st.data())
def test_an_amount_rewritten_in_an_equivalent_unit_changes_nothing(spec, data):
    if not spec["exchanges"]:
        return
    model = build(spec)
    expected = gwp(model)
    e = data.draw(st.sampled_from(spec["exchanges"]))
    family = FAMILIES[spec["activities"][e["supplier"]]["family"]]
    unit = data.draw(st.sampled_from(sorted(family)))
    exchange = next(
        x for x in model.activities[f"a{e['consumer']}"].exchanges if x.input == f"a{e['supplier']}"
    )
    exchange.amount = e["amount"] * family[e["unit"]] / family[unit]
    exchange.unit = unit
    assert gwp(model) == pytest.approx(expected, rel=REL, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(spec=inventories(), data=st.data(), factor=st.sampled_from([0.5, 3.0, 1e3, 1e-3]))
def test_a_production_scaled_with_its_exchanges_changes_nothing(spec, data, factor):
    model = build(spec)
    expected = gwp(model)
    act = model.activities[f"a{data.draw(st.integers(0, len(spec['activities']) - 1))}"]
    act.production *= factor
    for exchange in act.exchanges:
        exchange.amount *= factor
    assert gwp(model) == pytest.approx(expected, rel=REL, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(spec=inventories(), data=st.data())
def test_a_parameter_moved_into_a_formula_changes_nothing(spec, data):
    if not spec["exchanges"]:
        return
    model = build(spec)
    expected = gwp(model)
    e = data.draw(st.sampled_from(spec["exchanges"]))
    exchange = next(
        x for x in model.activities[f"a{e['consumer']}"].exchanges if x.input == f"a{e['supplier']}"
    )
    # amount = x (unit) becomes p * 4 with p = x / 4 (unit): a formula over a parameter
    model.add_parameter(Parameter("p", exchange.amount / 4, exchange.unit))
    exchange.amount = "p * 4"
    assert gwp(model) == pytest.approx(expected, rel=REL, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(spec=inventories(), k=st.sampled_from([2.0, 0.1, 7.5]))
def test_results_are_linear_in_the_demand_and_phases_add_up(spec, k):
    model = build(spec)
    result = lca.solve(model)
    model.functional_unit.amount *= k
    scaled = lca.solve(model)
    assert scaled.direct.sum() == pytest.approx(k * result.direct.sum(), rel=REL, abs=1e-300)
    table = scaled.phase_table(units_in_header=False)
    phases = table.drop(index="total")
    assert phases.sum().to_numpy() == pytest.approx(table.loc["total"].to_numpy(), rel=REL, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(spec=inventories(), data=st.data())
def test_a_loop_that_consumes_all_it_makes_is_always_refused(spec, data):
    # a0 and a1 take nothing else from the technosphere, and each takes all the other makes
    # (in any unit of its family): columns a0 and a1 of A add up to 0, so A is singular
    model = build(spec)
    a0, a1 = model.activities["a0"], model.activities["a1"]
    a0.exchanges = [x for x in a0.exchanges if x.input == "GWP"]
    a1.exchanges = [x for x in a1.exchanges if x.input == "GWP"]
    family0 = FAMILIES[spec["activities"][0]["family"]]
    family1 = FAMILIES[spec["activities"][1]["family"]]
    unit0 = data.draw(st.sampled_from(sorted(family0)))
    unit1 = data.draw(st.sampled_from(sorted(family1)))
    a0.exchanges.append(Exchange("a1", a1.production * family1[a1.unit] / family1[unit1], unit1))
    a1.exchanges.append(Exchange("a0", a0.production * family0[a0.unit] / family0[unit0], unit0))
    with pytest.raises(InventoryError, match="singular"):
        lca.solve(model)


SHIPPED = sorted(
    str(p.relative_to(lca.datasets_dir()))
    for folder in ("cases", "examples")
    for p in (lca.datasets_dir() / folder).glob("*.yaml")
)


@pytest.mark.parametrize("case", SHIPPED)
def test_shipped_inventories_equal_a_dense_solve_of_their_matrices(case):
    model = lca.load(lca.datasets_dir() / case)
    m = lca.build_matrices(model)
    s = np.linalg.solve(m.technosphere.toarray(), m.demand)
    h = m.characterisation.toarray() @ (m.biosphere.toarray() @ s)
    totals = lca.solve(m).totals()
    for i, ind in enumerate(m.indicators):
        assert totals[ind.code].magnitude == pytest.approx(h[i], rel=REL, abs=1e-300)
