"""The indicator registry and the model builders of lca.hardware."""

import pytest

import lca
from lca.errors import DataNotFound, UnitError
from lca.hardware import add_grid_mix, hardware_use
from lca.indicators import Indicator, get_indicator, register_indicator
from lca.io.datafile import model_from_dict
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.units import Q_


def test_default_indicators_and_units():
    units = {i.code: lca.units.format_unit(i.unit) for i in lca.default_indicators()}
    assert units == {"GWP": "kg CO2 eq", "ADP": "kg Sb eq", "PE": "MJ", "WATER": "L"}


def test_unknown_indicator_suggests():
    with pytest.raises(DataNotFound, match="indicator 'GWp' is not registered; did you mean 'GWP'"):
        get_indicator("GWp")


def test_user_indicator_is_a_flow_of_its_own(monkeypatch):
    monkeypatch.setattr(lca.indicators, "_REGISTRY", dict(lca.indicators._REGISTRY))
    with pytest.raises(UnitError):
        register_indicator(Indicator("BAD", "bad", "kg fooo"))
    register_indicator(Indicator("LAND", "Land occupation", "m**2 * year", "test"))
    model = Model("land", info={"indicators": ["GWP", "LAND"]})
    model.add_activity(
        Activity(
            "a", "a", "training", "run", [Exchange("LAND", 3, "m**2 * year"), Exchange("GWP", 2, "kg CO2 eq")]
        )
    )
    model.functional_unit = FunctionalUnit("a", 2, "run")
    totals = lca.solve(model).totals()
    # 2 runs x 3 m2.year = 6 m2.year; 2 runs x 2 kg = 4 kg
    assert totals["LAND"].magnitude == 6 and totals["GWP"].magnitude == 4
    assert list(totals) == ["GWP", "LAND"]


def test_builders_make_a_grid_and_an_amortised_gpu():
    model = Model("built")
    model.add_parameter(Parameter("lifetime", 6, "year"))
    model.add_parameter(Parameter("utilisation", 0.85, ""))
    add_grid_mix(model, "grid_fr", {"GWP": Q_(57, "g CO2 eq/kWh"), "WATER": "3.67 L/kWh"}, "FR", "test")
    model.add_activity(Activity("gpu", "A100", "manufacturing", "item", [Exchange("GWP", 150, "kg CO2 eq")]))
    model.add_activity(
        Activity(
            "job",
            "job",
            "training",
            "run",
            [
                Exchange("grid_fr", 433_196, "kWh"),
                hardware_use("gpu", 1_082_990, "h"),
            ],
        )
    )
    model.functional_unit = FunctionalUnit("job", 1, "run")
    table = lca.solve(model).phase_table(units_in_header=False)
    # 433,196 kWh x 57 g = 24,692 kg; 150 kg x 1,082,990 / (6 x 8,760 x 0.85) = 3,636 kg
    assert table.loc["training", "GWP"] == pytest.approx(24_692.172)
    assert table.loc["manufacturing", "GWP"] == pytest.approx(150 * 1_082_990 / 44_676)
    assert table.loc["training", "WATER"] == pytest.approx(433_196 * 3.67)


def test_a_model_assessing_gwp_only_ignores_the_other_indicators_of_its_data():
    # grid/FR carries GWP, ADP, PE and WATER factors; a model that lists only GWP assesses
    # GWP alone: 1,000 kWh x 0.098 kg CO2 eq/kWh (Boavizta API, FRA) = 98 kg
    model = model_from_dict(
        {
            "name": "gwp only",
            "indicators": ["GWP"],
            "functional_unit": {"activity": "job", "amount": 1, "unit": "run"},
            "activities": [
                {"code": "grid", "dataset": "grid/FR"},
                {
                    "code": "job",
                    "phase": "training",
                    "unit": "run",
                    "exchanges": [{"input": "grid", "amount": 1000, "unit": "kWh"}],
                },
            ],
        }
    )
    totals = lca.solve(model).totals()
    assert list(totals) == ["GWP"]
    assert totals["GWP"].magnitude == pytest.approx(98.0)
