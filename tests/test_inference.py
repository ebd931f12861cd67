"""Inference per request: the shipped gpt-oss-120b example, checked by hand."""

import copy

import pytest

import lca
from lca.cli import main
from lca.data import datacenter, grid, hardware
from lca.errors import InventoryError
from lca.hardware import embodied_share
from lca.inference import FORMULAS, add_inference, evaluate
from lca.model.records import Parameter
from lca.units import Q_

EXAMPLE = lca.datasets_dir() / "examples" / "llm_inference_h100.yaml"
HOURS_PER_YEAR = 8760


@pytest.fixture(scope="module")
def model():
    return lca.load(EXAMPLE)


def gwp(entry):
    return entry.impacts["GWP"].amount


def inputs_only(model, formulas=True):
    """The example without the records add_inference makes (and its formulas, if asked)."""
    bare = copy.deepcopy(model)
    for code in ("request", "request_training"):
        del bare.activities[code]
    for name in FORMULAS if formulas else ():
        del bare.parameters[name]
    return bare


def test_request_time_and_energy_by_hand(model):
    values = evaluate(model)
    # gpt-oss model card: 116.8e9 parameters, 5.1e9 active, 60.8 GiB, 36 layers x 8 KV heads x 64
    weights = min(116.8e9, 5.1e9 * 64) * 0.5589  # bytes read per step: all experts at batch 64
    kv = 64 * (500 + 500 / 2) * 2 * 36 * 8 * 64 * 2  # batch x mean context x KV bytes per token
    step = (weights + kv) / (1 * 3.35e12 * 0.6)  # H100 3.35 TB/s at 60% of the bandwidth
    prefill = 2 * 5.1e9 * 500 / (1 * 989e12 * 0.4)
    request_time = 500 * step / 64 + prefill  # 0.2804 s
    power = hardware("H100").get("load_power").amount  # 700 W, the H100 entry's load power
    energy = request_time * (1 * power + 1 / 8 * 2300)  # J: one H100, 1/8 of the host
    assert values["step_time"].to("s").magnitude == pytest.approx(step, rel=1e-9)
    assert values["request_time"].to("s").magnitude == pytest.approx(request_time, rel=1e-9)
    assert values["request_it_energy"].to("J").magnitude == pytest.approx(energy, rel=1e-9)
    assert request_time == pytest.approx(0.2804, abs=1e-4)


def test_phase_rows_per_request(model):
    values = evaluate(model)
    energy_kwh = values["request_it_energy"].to("kWh").magnitude
    seconds = values["request_time"].to("s").magnitude
    pue = datacenter("hyperscale").get("pue").amount
    us = gwp(grid("US"))
    result = lca.solve(model)
    rows = result.by_phase()
    # deployment: the replica's IT energy and its overhead, from the US grid
    assert rows["deployment"]["GWP"].magnitude == pytest.approx(energy_kwh * pue * us, rel=1e-9)
    # training: 2.1e6 H100-hours x 700 W x PUE on the US grid, over 1e10 requests
    training_kwh = 2.1e6 * hardware("H100").get("load_power").amount / 1000 * pue
    assert rows["training"]["GWP"].magnitude == pytest.approx(training_kwh * us / 1e10, rel=1e-9)
    # manufacturing: the GPU and 1/8 of the server, for the request's time and the training's share
    # (lca.hardware.embodied_share: E x t / (L x u), the BLOOM method)
    hours = Q_(seconds, "s") + Q_(2.1e6 / 1e10, "h")  # the request's GPU time and the training's share
    lifetimes = [Q_(hardware(n).get("lifetime").amount, "year") for n in ("H100", "server-negaoctet")]
    gpu = embodied_share(Q_(gwp(hardware("H100")), "kg CO2 eq"), hours, lifetimes[0], 0.85)
    server = embodied_share(Q_(gwp(hardware("server-negaoctet")), "kg CO2 eq"), hours / 8, lifetimes[1], 0.85)
    assert rows["manufacturing"]["GWP"].magnitude == pytest.approx((gpu + server).magnitude, rel=1e-9)
    # on-site water: IT energy x WUE 0.3 L/kWh, plus the grid's water per kWh
    water = (
        energy_kwh * datacenter("hyperscale").get("wue").amount
        + energy_kwh * pue * grid("US").impacts["WATER"].amount
    )
    assert rows["deployment"]["WATER"].magnitude == pytest.approx(water, rel=1e-9)


def test_monte_carlo_rows_give_bands_and_the_training_row(model):
    mc = lca.monte_carlo(lca.build_matrices(model), 600, seed=11)
    summary = mc.summary()
    gwp_rows = summary[summary["indicator"] == "GWP"].set_index("phase")
    assert list(gwp_rows.index) == ["manufacturing", "training", "deployment", "total"]
    low, high = [c for c in summary.columns if c.startswith("p")][-2:]
    central = lca.solve(model).by_phase()
    for phase in ("training", "deployment", "total"):
        row = gwp_rows.loc[phase]
        assert row[low] < central[phase]["GWP"].magnitude < row[high]
        assert row[high] / row[low] > 1.5  # the assumptions' ranges give a real band
    # the training share is the widest: requests over the lifetime span two decades
    spread = (gwp_rows[high] / gwp_rows[low]).to_dict()
    assert spread["training"] > spread["deployment"]


def test_report_command_writes_the_example(tmp_path):
    out = tmp_path / "report.md"
    assert main(["report", str(EXAMPLE), "--out", str(out), "--iterations", "200", "--seed", "2"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "training" in text and "deployment" in text


def test_the_building_block_builds_the_example(model):
    built = inputs_only(model)
    add_inference(
        built, grid="grid/US", gpu="hardware/H100", server="hardware/server-negaoctet", training="training"
    )
    assert lca.solve(built).phase_table().equals(lca.solve(model).phase_table())


def test_mixture_of_experts_reads_only_the_active_experts_of_a_small_batch(model):
    values = evaluate(model)
    small = copy.deepcopy(model)
    small.parameters["batch_size"] = Parameter("batch_size", 1.0, "")
    one = evaluate(small)
    # batch 1: 5.1e9 active parameters x 0.5589 byte, not the whole 116.8e9
    assert one["weights_read"].to("GB").magnitude == pytest.approx(5.1e9 * 0.5589 / 1e9, rel=1e-9)
    dense = copy.deepcopy(small)
    dense.parameters["active_params"] = Parameter("active_params", 116.8e9, "")
    assert evaluate(dense)["weights_read"].to("GB").magnitude == pytest.approx(116.8 * 0.5589, rel=1e-9)
    assert values["weights_read"] > one["weights_read"]


def test_measured_energy_per_request(model):
    measured = inputs_only(model)
    # e.g. a CodeCarbon run of 3.6 kWh serving 10,000 requests in 2 hours
    measured.add_parameter(Parameter("run_energy", 3.6, "kWh"))
    measured.add_parameter(Parameter("run_time", 2.0, "h"))
    measured.add_parameter(Parameter("requests", 10000.0, ""))
    measured.add_parameter(Parameter("request_it_energy", "run_energy / requests", "Wh"))
    measured.add_parameter(Parameter("request_time", "run_time / requests", "s"))
    add_inference(measured, grid="grid/US", gpu="hardware/H100", server="hardware/server-negaoctet")
    measured.functional_unit = lca.FunctionalUnit("request", 1, "request")
    pue = datacenter("hyperscale").get("pue").amount
    row = lca.solve(measured).by_phase()["deployment"]["GWP"].magnitude
    assert row == pytest.approx(0.36e-3 * pue * gwp(grid("US")), rel=1e-9)


def test_missing_inputs_are_named():
    bare = lca.Model("bare")
    with pytest.raises(InventoryError, match="lacks parameter.*pue, wue, utilisation.*active_params"):
        add_inference(bare, grid="grid/US", gpu="hardware/H100", server="hardware/server-negaoctet")


@pytest.mark.parametrize("per, requests", [("1000 tokens", 1000 / 500), ("year", 3.0e6)])
def test_other_functional_units_are_a_demand_on_the_request(model, per, requests):
    other = inputs_only(model, formulas=False)
    other.add_parameter(Parameter("requests_per_year", 3.0e6, "", source="our service's logs"))
    unit = add_inference(
        other, grid="grid/US", gpu="hardware/H100", server="hardware/server-negaoctet", per=per
    )
    other.functional_unit = lca.FunctionalUnit(unit.code, 1, "unit")
    one = lca.solve(model, {"request": 1.0})
    # without the training share: the deployment and manufacturing of one request, times the requests
    expected = one.by_phase()["deployment"]["GWP"].magnitude * requests
    assert lca.solve(other).by_phase()["deployment"]["GWP"].magnitude == pytest.approx(expected, rel=1e-9)
