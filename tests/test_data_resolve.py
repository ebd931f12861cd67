"""Inventories that take activities and parameters from the datasets by name."""

from __future__ import annotations

import math

import pytest

import lca
import lca.data
from lca.errors import InputFileError
from lca.io.datafile import load_model, model_from_dict


def inventory(*activities, parameters=None):
    job = {
        "code": "job",
        "phase": "training",
        "unit": "run",
        "exchanges": [
            {"input": "grid", "amount": 1000, "unit": "kWh"},
            {"input": "gpu", "amount": 8760, "unit": "h", "lifetime": "6 year", "utilisation": 1},
        ],
    }
    return {
        "name": "tiny",
        "functional_unit": {"activity": "job", "amount": 1, "unit": "run"},
        "parameters": parameters or {},
        "activities": [*activities, job],
    }


GRID_FR = {"code": "grid", "dataset": "grid/FR"}
GPU = {"code": "gpu", "dataset": "hardware/A100-80GB", "phase": "manufacturing"}


def test_grid_reference_expands_into_factors_with_triangular_ranges():
    model = model_from_dict(inventory(GRID_FR, GPU))
    grid = model.activities["grid"]
    entry = lca.data.grid("FR")
    assert grid.unit == "kWh" and grid.phase is None and grid.location == "FRA"
    gwp = grid.exchanges[0]
    assert (gwp.input, gwp.amount) == ("GWP", 0.098)
    assert gwp.uncertainty.name == "triangular"
    assert (gwp.uncertainty.minimum, gwp.uncertainty.maximum) == (
        entry.impacts["GWP"].low,
        entry.impacts["GWP"].high,
    )
    assert gwp.source.startswith("Boavizta API")
    assert model.info["datasets"] == {
        "version": lca.data.version(),
        "entries": ["grid/FR", "hardware/A100-80GB"],
    }


def test_results_use_the_dataset_factors():
    result = lca.solve(model_from_dict(inventory(GRID_FR, GPU)))
    # 1,000 kWh x 0.098 kg CO2 eq/kWh = 98 kg; GPU: 171.4 kg x 8,760 h / (6 x 8,760 h x 1) = 28.57 kg
    assert result.by_phase()["training"]["GWP"].magnitude == pytest.approx(98.0)
    assert result.by_phase()["manufacturing"]["GWP"].magnitude == pytest.approx(171.4 / 6, rel=1e-3)
    # PE: 1,000 kWh x 11.289 MJ/kWh = 11,289 MJ
    assert result.by_phase()["training"]["PE"].magnitude == pytest.approx(11289.0)


def test_an_entry_without_water_reports_water_missing_not_zero():
    # Singapore: Boavizta gives GWP, ADP, PE; no source in this release gives its water factor
    model = model_from_dict(inventory({"code": "grid", "dataset": "grid/SG"}, GPU))
    assert model.activities["grid"].missing == ("WATER",)
    result = lca.solve(model)
    assert result.missing()["WATER"] == ["grid", "gpu"]
    assert "ADP" not in result.missing()


def test_unknown_entry_names_it_with_the_place_and_a_suggestion():
    data = inventory({"code": "grid", "dataset": "grid/FRA"}, {"code": "gpu", "dataset": "hardware/A100"})
    with pytest.raises(InputFileError) as err:
        model_from_dict(data, "tiny.yaml")
    problems = [str(p) for p in err.value.problems]
    assert problems[0] == "tiny.yaml, activities.grid.dataset: no grid entry 'FRA'; did you mean 'FR'?"
    assert problems[1].startswith("tiny.yaml, activities.gpu.dataset: no hardware entry 'A100'; did you mean")
    assert "'A100-80GB'" in problems[1]


def test_unknown_category_is_named():
    with pytest.raises(InputFileError, match="no category 'grids'; did you mean 'grid'"):
        model_from_dict(inventory({"code": "grid", "dataset": "grids/FR"}, GPU))


def test_an_exchange_on_an_indicator_overrides_the_dataset():
    grid = {**GRID_FR, "exchanges": [{"input": "GWP", "amount": 57, "unit": "g CO2 eq/kWh"}]}
    model = model_from_dict(inventory(grid, GPU))
    inputs = [e.input for e in model.activities["grid"].exchanges]
    assert sorted(inputs) == ["ADP", "GWP", "PE", "WATER"]
    assert lca.solve(model).by_phase()["training"]["GWP"].magnitude == pytest.approx(57.0)


def test_a_supplied_indicator_is_not_missing():
    grid = {"code": "grid", "dataset": "grid/SG", "exchanges": [{"input": "WATER", "amount": 2, "unit": "L"}]}
    assert model_from_dict(inventory(grid, GPU)).activities["grid"].missing == ()


def test_unit_must_match_the_entry():
    with pytest.raises(InputFileError, match="differs from the unit of dataset 'grid/FR'"):
        model_from_dict(inventory({**GRID_FR, "unit": "MWh"}, GPU))


def test_a_datacenter_entry_is_a_parameter_not_an_activity():
    with pytest.raises(InputFileError, match="holds pue, wue, not impacts per unit"):
        model_from_dict(inventory({"code": "grid", "dataset": "datacenter/hyperscale"}, GPU))


def test_parameter_from_the_datasets_keeps_unit_range_and_source():
    params = {
        "pue": {"dataset": "datacenter/hpc", "field": "pue"},
        "life": {"dataset": "hardware/H100", "field": "lifetime"},
    }
    model = model_from_dict(inventory(GRID_FR, GPU, parameters=params))
    pue, life = model.parameters["pue"], model.parameters["life"]
    assert (pue.amount, pue.uncertainty.minimum, pue.uncertainty.maximum) == (1.2, 1.05, 1.4)
    assert "Jean Zay PUE 1.2" in pue.source and "datacenter/hpc" in pue.source
    # hardware lifetimes: median 4 years (Boavizta API server archetype, 35,040 h), 3 to 6 years
    # read as a 95% interval, sigma from the wider side: ln(6 / 4) / 1.959964 = 0.405465 / 1.959964 = 0.206874
    assert (life.amount, life.unit, life.uncertainty.name) == (4, "year", "lognormal")
    assert life.uncertainty.median() == pytest.approx(4) and life.uncertainty.scale == pytest.approx(
        0.206874, abs=1e-6
    )
    assert model.info["datasets"]["entries"] == [
        "datacenter/hpc",
        "grid/FR",
        "hardware/A100-80GB",
        "hardware/H100",
    ]


def test_parameter_with_an_unknown_field_lists_what_the_entry_gives():
    params = {"pue": {"dataset": "datacenter/hpc", "field": "wue"}}
    with pytest.raises(
        InputFileError,
        match=r"tiny.yaml, parameters.pue.field: dataset 'datacenter/hpc' has no value 'wue' \(it gives: pue\)",
    ):
        model_from_dict(inventory(GRID_FR, GPU, parameters=params), "tiny.yaml")


def test_a_sourced_zero_is_not_missing():
    # cut-off: no recycling credit, on every indicator (a convention, not a data gap)
    eol = {"code": "credit", "dataset": "eol/recycling-credit-cutoff"}
    act = model_from_dict(inventory(GRID_FR, GPU, eol)).activities["credit"]
    assert act.missing == () and all(e.amount == 0 for e in act.exchanges)
    landfill = model_from_dict(inventory(GRID_FR, GPU, {"code": "lf", "dataset": "eol/landfill"})).activities[
        "lf"
    ]
    assert landfill.missing == ("GWP", "ADP", "PE", "WATER") and landfill.exchanges == []


def test_yaml_file_with_a_transport_reference(tmp_path):
    path = tmp_path / "ship.yaml"
    path.write_text(
        "name: ship\n"
        "functional_unit: {activity: delivery}\n"
        "activities:\n"
        "  - {code: plane, dataset: transport/air}\n"
        "  - code: delivery\n"
        "    phase: transport\n"
        "    unit: unit\n"
        "    exchanges:\n"
        "      - {input: plane, amount: 14.664, unit: t*km, comment: 1.56 kg x 9400 km}\n",
        encoding="utf-8",
    )
    result = lca.solve(load_model(path))
    # one A100 (1.56 kg) flown 9,400 km: 14.664 t.km x 0.57 kg CO2 eq/t.km = 8.358 kg CO2 eq
    assert result.total("GWP").magnitude == pytest.approx(1.56e-3 * 9400 * 0.57)
    assert result.missing() == {"WATER": ["plane"]}
    assert not math.isnan(result.total("PE").magnitude)


def test_bad_production_is_a_located_error():
    with pytest.raises(InputFileError, match="tiny.yaml, activities.grid.production: 'lots' is not a number"):
        model_from_dict(inventory({**GRID_FR, "production": "lots"}, GPU), "tiny.yaml")
