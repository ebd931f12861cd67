"""Ordinary inputs that 0.1.0 read silently wrong: each is now the right number or a located error.

Each case is solved by hand beside its assert.
"""

from __future__ import annotations

import math
import warnings

import pytest

import lca
from lca.data import hardware
from lca.errors import InputFileError, InventoryError, LcaWarning, UncertaintyError, UnitError
from lca.io.datafile import model_from_dict
from lca.model import Activity, Exchange, FunctionalUnit, Model, Uncertainty
from lca.units import conversion_factor, parse_unit


def job(*activities: Activity, demand: str = "job", amount: float = 1.0, unit: str = "") -> Model:
    model = Model("case")
    for act in activities:
        model.add_activity(act)
    model.functional_unit = FunctionalUnit(demand, amount, unit)
    return model


def gwp(model: Model) -> float:
    return lca.solve(model).total("GWP").to("kg CO2 eq").magnitude


# -- 1. information has its own dimension ---------------------------------------------------------
def test_memory_and_storage_per_gb_and_tb():
    # 0.1.0: 100 GB + 1 TB gave 2.2e-8 kg (bit and byte were dimensionless: GB -> 8e9 "bits")
    # now: 100 GB x (memory per GB) + 1 TB x (SSD per TB), from the shipped entries
    memory, ssd = hardware("memory-per-GB"), hardware("SSD-per-TB")
    data = {
        "name": "server",
        "functional_unit": {"activity": "job"},
        "activities": [
            {"code": "memory", "dataset": "hardware/memory-per-GB"},
            {"code": "ssd", "dataset": "hardware/SSD-per-TB"},
            {
                "code": "job",
                "phase": "manufacturing",
                "unit": "item",
                "exchanges": [
                    {"input": "memory", "amount": 100, "unit": "GB"},
                    {"input": "ssd", "amount": 1000, "unit": "GB"},  # 1 TB written in GB
                ],
            },
        ],
    }
    expected = 100 * memory.impacts["GWP"].amount + 1 * ssd.impacts["GWP"].amount
    assert expected == pytest.approx(100 * 1.76 + 50.34)  # 226.34 kg with datasets 2026.11.0
    assert gwp(model_from_dict(data)) == pytest.approx(expected, rel=1e-12)


def test_a_per_gb_factor_never_converts_to_a_total():
    # 2.2 kg CO2 eq/GB on an item activity: it is not a total per item (0.1.0 read 2.2e-9 kg)
    model = job(Activity("job", "job", "manufacturing", "item", [Exchange("GWP", 2.2, "kg CO2 eq/GB")]))
    with pytest.raises(
        UnitError,
        match=r"cannot convert 'kg CO2 eq/GB' \(\[mass\] \* \[global_warming\] / "
        r"\[information\]\) to 'kg CO2 eq'",
    ):
        lca.build_matrices(model)
    # on a GB activity it is an intensity: 2.2 kg/GB x 64 GB demanded = 140.8 kg
    per_gb = Activity("job", "memory", "manufacturing", "GB", [Exchange("GWP", 2.2, "kg CO2 eq/GB")])
    assert gwp(job(per_gb, amount=64)) == pytest.approx(140.8, rel=1e-12)
    assert conversion_factor(parse_unit("TB"), parse_unit("GiB")) == pytest.approx(1e12 / 2**30, rel=1e-15)


# -- 2. exact factors, numerical singularity ----------------------------------------------------
@pytest.mark.parametrize("unit", ["kWh", "Wh", "MWh", "L", "kg", "item", "h"])
def test_a_loop_that_consumes_all_it_makes_is_refused_in_any_unit(unit):
    # a makes 1 and takes 1 of b, which takes 1 of a: A = [[1, -1], [-1, 1]] is singular
    # (0.1.0 printed GWP 5.134e+14 for kWh, Wh, MWh and L: 1 kWh -> J -> kWh = 0.9999999999999999)
    a = Activity("a", "a", "training", unit, [Exchange("b", 1.0, unit), Exchange("GWP", 1.0, "kg CO2 eq")])
    b = Activity("b", "b", None, unit, [Exchange("a", 1.0, unit)])
    with pytest.raises(InventoryError, match=r"^the technosphere matrix is singular in the loop of 'a', 'b'"):
        lca.solve(job(a, b, demand="a"))


def test_a_nearly_singular_loop_is_refused_with_its_condition():
    # b gives back 1 - 1e-13 of what it takes: the net production of the loop is 1e-13 per unit,
    # so the supply is 1e13 and the condition number about 4e13, above 1e12
    a = Activity("a", "a", "training", "kWh", [Exchange("b", 1.0, "kWh"), Exchange("GWP", 1.0, "kg CO2 eq")])
    b = Activity("b", "b", None, "kWh", [Exchange("a", 1 - 1e-13, "kWh")])
    with pytest.raises(
        InventoryError, match=r"nearly singular \(condition number [0-9.]+e\+13\) in the loop"
    ):
        lca.solve(job(a, b, demand="a"))
    # a loop that keeps half: supply of a = 1 / (1 - 0.5) = 2, GWP 2 kg: solved
    b.exchanges[0].amount = 0.5
    assert gwp(job(a, b, demand="a")) == pytest.approx(2.0, rel=1e-15)


def test_a_loop_that_consumes_more_than_it_makes_warns():
    # b gives back 1.5 of what it takes: s_a = 1 / (1 - 1.5) = -2 (negative supply)
    a = Activity("a", "a", "training", "kWh", [Exchange("b", 1.0, "kWh"), Exchange("GWP", 1.0, "kg CO2 eq")])
    b = Activity("b", "b", None, "kWh", [Exchange("a", 1.5, "kWh")])
    with pytest.warns(LcaWarning, match=r"negative supply of 'a' \(-2 kWh\), 'b' \(-2 kWh\)"):
        assert gwp(job(a, b, demand="a")) == pytest.approx(-2.0)


def test_conversion_factors_are_exact():
    assert conversion_factor(parse_unit("kWh"), parse_unit("MWh")) == 1e-3  # not 1e-3 * (1 + eps)
    assert conversion_factor(parse_unit("g CO2 eq/kWh"), parse_unit("kg CO2 eq/MWh")) == 1.0
    assert conversion_factor(parse_unit("MJ"), parse_unit("kWh")) == 1 / 3.6
    assert conversion_factor(parse_unit("t*km"), parse_unit("kg*km")) == 1000.0


# -- 3. intensities and production amounts (Brightway's convention) ------------------------------
def test_an_intensity_is_per_reference_unit_whatever_the_production():
    # a grid producing 2 kWh per run with 57 g/kWh: 114 g per run of 2 kWh; demand 3 kWh:
    # 3 x 57 g = 171 g = 0.171 kg (0.1.0: 0.0855, the intensity taken per production amount)
    grid = Activity("grid", "grid", "training", "kWh", [Exchange("GWP", 57, "g CO2 eq/kWh")], production=2)
    assert gwp(job(grid, demand="grid", amount=3)) == pytest.approx(0.171, rel=1e-12)
    # a total per production amount (114 g per 2 kWh) gives the same number
    grid.exchanges[0] = Exchange("GWP", 114, "g CO2 eq")
    assert gwp(job(grid, demand="grid", amount=3)) == pytest.approx(0.171, rel=1e-12)


def test_a_technosphere_intensity_is_per_reference_unit_too():
    # cooling takes 0.2 kWh of electricity per kWh of heat removed, production 5 kWh:
    # 1 kWh removed -> 0.2 kWh of a 50 g/kWh grid = 10 g
    grid = Activity("grid", "grid", None, "kWh", [Exchange("GWP", 50, "g CO2 eq")])
    cooling = Activity(
        "job", "cooling", "deployment", "kWh", [Exchange("grid", 0.2, "kWh/kWh")], production=5
    )
    assert gwp(job(grid, cooling)) == pytest.approx(0.010, rel=1e-12)


# -- 4. an exchange without a unit is in the supplier's reference unit ---------------------------
def test_an_exchange_without_a_unit_is_in_the_suppliers_unit():
    # 2 of an MWh supplier is 2 MWh (0.1.0 read the consumer's kWh: 0.002 MWh)
    grid = Activity("grid", "grid", None, "MWh", [Exchange("GWP", 57, "kg CO2 eq")])
    consumer = Activity("job", "job", "training", "kWh", [Exchange("grid", 2)])
    assert gwp(job(grid, consumer)) == pytest.approx(2 * 57, rel=1e-12)


# -- 5. stats_arrays fields are read or refused -----------------------------------------------------
def test_stats_arrays_fields_are_read_with_their_meaning():
    # loc = ln(median), scale = sigma, negative flips the sign (Brightway's lognormal)
    u = Uncertainty.from_spec({"id": 2, "loc": math.log(10.0), "scale": 0.2, "negative": True}, -10.0)
    assert (u.kind, u.median(), u.scale, u.negative) == (2, pytest.approx(-10.0), 0.2, True)
    normal = Uncertainty.from_spec({"distribution": "normal", "loc": 5.0, "scale": 0.5}, 5.0)
    assert (normal.loc, normal.scale) == (5.0, 0.5)


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        # the example of the issue: gsd and scale disagree, loc is not ln(10)
        (
            {"distribution": "lognormal", "gsd": 1.2, "loc": 99, "negative": True, "scale": 5},
            "negative",
            "true, but the amount 10 is not negative",
        ),
        (
            {"distribution": "lognormal", "gsd": 1.2, "scale": 5},
            "scale",
            "scale is given beside gsd and they disagree",
        ),
        (
            {"distribution": "lognormal", "sigma": 0.2, "loc": 99},
            "loc",
            "99 is ln(median) and disagrees with the amount 10",
        ),
        (
            {"distribution": "normal", "sd": 1, "shape": 2},
            "shape",
            "shape is not read by distribution 'normal'",
        ),
        (
            {"distribution": "uniform", "min": 1, "max": 20, "sd": 2},
            "sd",
            "sd is not read by distribution 'uniform'",
        ),
        ({"distribution": 0, "sd": 2}, "sd", "sd is not read by distribution 'undefined'"),
        (
            {"distribution": "normal", "id": 4, "sd": 2},
            "id",
            "id 4 (uniform) differs from distribution 'normal'",
        ),
        ({"distribution": "normal", "sd": True}, "sd", "True is not a number"),
    ],
)
def test_stats_arrays_fields_that_would_be_dropped_are_refused(spec, field, words):
    with pytest.raises(UncertaintyError) as info:
        Uncertainty.from_spec(spec, 10.0, "x")
    problem = info.value.problems[0]
    assert problem.field == field and words in problem.describe()


def test_a_yaml_lognormal_with_stats_arrays_fields_is_located(tmp_path):
    text = """
name: x
functional_unit: {activity: job}
activities:
  - code: job
    phase: training
    unit: run
    exchanges: [{input: GWP, amount: 10, unit: kg CO2 eq, distribution: lognormal, gsd: 1.2, scale: 5}]
"""
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(InputFileError) as info:
        lca.load(path)
    assert [str(p) for p in info.value.problems] == [
        "x.yaml, activities.job.exchanges[0].scale: scale is given beside gsd and they disagree; "
        "give one of gsd, sigma, scale"
    ]


# -- 9. waste treatment, Brightway's signs --------------------------------------------------------
def test_waste_treatment_with_a_negative_production():
    # incineration takes 1 kg of waste (production -1 kg) and emits 1.2 kg CO2 eq per kg;
    # the job sends 0.5 kg of waste to it (an exchange of -0.5 kg) and emits 2 kg itself.
    # A = [[1, 0], [0.5, -1]] (job, incineration); A s = [1, 0] -> s = [1, 0.5]
    # GWP = 2 + 0.5 x 1.2 = 2.6 kg
    incineration = Activity(
        "incineration",
        "waste incineration",
        "end_of_life",
        "kg",
        [Exchange("GWP", 1.2, "kg CO2 eq")],
        production=-1,
    )
    work = Activity(
        "job",
        "job",
        "training",
        "run",
        [Exchange("incineration", -0.5, "kg"), Exchange("GWP", 2, "kg CO2 eq")],
    )
    result = lca.solve(job(work, incineration))
    assert result.supply.tolist() == [1.0, 0.5]
    assert result.total("GWP").magnitude == pytest.approx(2.6, rel=1e-15)
    assert result.by_phase()["end_of_life"]["GWP"].magnitude == pytest.approx(0.6, rel=1e-15)
    # the functional unit of a waste treatment is the amount treated: 3 kg -> 3.6 kg CO2 eq
    assert gwp(job(incineration, demand="incineration", amount=3)) == pytest.approx(3.6, rel=1e-15)


def test_a_production_of_zero_is_refused_with_its_field():
    zero = Activity("job", "job", "training", "run", [Exchange("GWP", 1, "kg CO2 eq")], production=0)
    with pytest.raises(InventoryError) as info:
        lca.build_matrices(job(zero))
    problem = info.value.problems[0]
    assert (problem.field, problem.value) == ("production", 0)
    assert str(problem) == (
        "activity 'job' production: 0; expected a finite number other than 0 (negative for a waste treatment)"
    )


def test_problems_carry_units_and_dimensions():
    model = job(Activity("job", "job", "training", "run", [Exchange("GWP", 1, "kWh")]))
    with pytest.raises(UnitError) as info:
        lca.build_matrices(model)
    problem = info.value.problems[0]
    assert problem.units == ("kWh", "kg CO2 eq")
    assert problem.dimensions == ("[mass] * [length] ** 2 / [time] ** 2", "[mass] * [global_warming]")
    assert problem.field == "unit" and problem.where.kind == "exchange"


def test_warnings_are_quiet_for_a_plain_model():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gwp(lca.bloom()) == pytest.approx(50_892.56, abs=0.01)  # Luccioni et al. 2023 inputs
