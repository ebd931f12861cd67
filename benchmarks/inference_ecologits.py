"""lca's inference example side by side with EcoLogits, per request, on the same scenarios.

    bash benchmarks/peers/setup.sh                       # once: venvs of the peers
    python benchmarks/inference_ecologits.py [--iterations 2000] [--seed 7]

EcoLogits runs in its own venv (benchmarks/peers/ecologits_scenarios.py, called here in the
same invocation, on the same scenarios). For each scenario (model size, output tokens, zone)
the script prints, per request, EcoLogits' central value and its min-max range, lca with its
own inputs (the shipped example, datasets/examples/llm_inference_h100.yaml, with the
scenario's model, tokens and grid) and its Monte Carlo band, and lca at EcoLogits-equivalent
settings (EcoLogits' GPU count, 16-bit weights, server power, PUE, WUE, electricity mix,
embodied impacts, 3-year life, no prefill), whose energy model stays lca's own. Usage
(electricity and water) and embodied (hardware) are compared separately; the training
share is left out (EcoLogits has none) and printed apart. docs/validation.md records a run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import lca
from lca.data.resolve import dataset_activity
from lca.hardware import add_grid_mix
from lca.indicators import Indicator, register_indicator
from lca.inference import evaluate
from lca.model.records import Activity, Exchange, Parameter

HERE = Path(__file__).resolve().parent
EXAMPLE = lca.datasets_dir() / "examples" / "llm_inference_h100.yaml"
PEER = HERE / "peers" / "ecologits_scenarios.py"
ECOLOGITS_PYTHON = os.environ.get("ECOLOGITS_PYTHON", "/tmp/lca-peers/ecologits/bin/python")

GPT_OSS = {
    "total_params": 116.8e9,
    "active_params": 5.1e9,
    "bytes_per_param": 0.5589,
    "kv_bytes_per_token": 73728.0,
    "n_gpu": 1.0,
}
# Llama 3.1 70B (Meta model card and config: 70.55e9 parameters, 80 layers, 8 KV heads of 128), BF16 on 4 H100
LLAMA_70B = {
    "total_params": 70.55e9,
    "active_params": 70.55e9,
    "bytes_per_param": 2.0,
    "kv_bytes_per_token": 327680.0,
    "n_gpu": 4.0,
}
SCENARIOS = [
    {
        "name": "gpt-oss-120b, 500 tokens, US",
        "model": GPT_OSS,
        "b": (116.8, 5.1),
        "tokens": 500,
        "zone": ("USA", "US"),
    },
    {
        "name": "Llama-3.1-70B, 500 tokens, US",
        "model": LLAMA_70B,
        "b": (70.55, 70.55),
        "tokens": 500,
        "zone": ("USA", "US"),
    },
    {
        "name": "gpt-oss-120b, 2000 tokens, US",
        "model": GPT_OSS,
        "b": (116.8, 5.1),
        "tokens": 2000,
        "zone": ("USA", "US"),
    },
    {
        "name": "gpt-oss-120b, 500 tokens, FR",
        "model": GPT_OSS,
        "b": (116.8, 5.1),
        "tokens": 500,
        "zone": ("FRA", "FR"),
    },
]
# EcoLogits 0.11 impacts/llm.py constants (figures, cited): GPU and 8-GPU server embodied, server power, life
ECO_GPU = {"GWP": (273, "kg CO2 eq"), "ADP": (0.00895, "kg Sb eq"), "PE": (3721, "MJ")}
ECO_SERVER = {"GWP": (5700, "kg CO2 eq"), "ADP": (0.37, "kg Sb eq"), "PE": (70000, "MJ")}
QUANTITIES = [  # label, EcoLogits key, lca (indicator, phase), unit
    ("energy", ("energy_kwh",), ("ENERGY", "deployment"), "kWh"),
    ("usage GWP", ("usage", "gwp"), ("GWP", "deployment"), "kg CO2 eq"),
    ("usage ADPe", ("usage", "adpe"), ("ADP", "deployment"), "kg Sb eq"),
    ("usage PE", ("usage", "pe"), ("PE", "deployment"), "MJ"),
    ("usage water", ("usage", "wcf"), ("WATER", "deployment"), "L"),
    ("embodied GWP", ("embodied", "gwp"), ("GWP", "manufacturing"), "kg CO2 eq"),
    ("embodied ADPe", ("embodied", "adpe"), ("ADP", "manufacturing"), "kg Sb eq"),
    ("embodied PE", ("embodied", "pe"), ("PE", "manufacturing"), "MJ"),
]


def ecologits(scenarios: list[dict]) -> dict:
    payload = [
        {
            "name": s["name"],
            "provider": "huggingface_hub",
            "zone": s["zone"][0],
            "total_b": s["b"][0],
            "active_b": s["b"][1],
            "output_tokens": s["tokens"],
        }
        for s in scenarios
    ]
    done = subprocess.run(
        [ECOLOGITS_PYTHON, str(PEER)], input=json.dumps(payload), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def fixed(model: lca.Model, name: str, amount: float, unit: str, source: str) -> None:
    model.parameters[name] = Parameter(name, float(amount), unit, None, source)


def scenario_model(base: lca.Model, scenario: dict) -> lca.Model:
    """The example with the scenario's model, tokens and grid; no training share; energy as an indicator."""
    model = copy.deepcopy(base)
    for name, value in scenario["model"].items():
        fixed(model, name, value, model.parameters[name].unit, "benchmark scenario")
    fixed(model, "output_tokens", scenario["tokens"], "", "benchmark scenario")
    del model.activities["grid_US"]
    model.add_activity(
        dataset_activity({"code": "grid_US", "dataset": f"grid/{scenario['zone'][1]}"}, [], "grid")
    )
    request = model.activities["request"]
    request.exchanges = [e for e in request.exchanges if e.input != "request_training"]
    request.exchanges.append(Exchange("ENERGY", "request_it_energy * pue", "kWh"))
    model.info["indicators"] = ["GWP", "ADP", "PE", "WATER", "ENERGY"]
    return model


def equivalent_model(model: lca.Model, eco: dict) -> lca.Model:
    """EcoLogits' settings where the two methods share an input; lca's energy model kept."""
    model = copy.deepcopy(model)
    inside = eco["internals"]
    source = "EcoLogits 0.11 setting (benchmark)"
    fixed(model, "n_gpu", inside["gpu_required_count"], "", source)
    fixed(model, "bytes_per_param", 2.0, "byte", source)  # EcoLogits: 16-bit weights
    fixed(model, "host_power", 1200, "W", source)
    fixed(model, "input_tokens", 0, "", source)  # EcoLogits counts output tokens only
    fixed(model, "batch_size", 64, "", source)
    fixed(model, "pue", inside["pue"]["mean"], "", source)
    fixed(model, "wue", inside["wue"]["mean"], "L/kWh", source)
    fixed(model, "lifetime_gpu", 3, "year", source)
    fixed(model, "lifetime_server", 3, "year", source)
    fixed(model, "utilisation", 1.0, "", source)
    del model.activities["grid_US"]
    mix = inside["mix"]
    add_grid_mix(
        model,
        "grid_US",
        {
            "GWP": f"{mix['gwp']} kg CO2 eq/kWh",
            "ADP": f"{mix['adpe']} kg Sb eq/kWh",
            "PE": f"{mix['pe']} MJ/kWh",
            "WATER": f"{mix['wue']} L/kWh",
        },
        source=source,
    )
    for code, figures in (("hardware_H100", ECO_GPU), ("hardware_server-negaoctet", ECO_SERVER)):
        exchanges = [Exchange(k, v, u, source=source) for k, (v, u) in figures.items()]
        model.activities[code] = Activity(code, code, "manufacturing", "item", exchanges, missing=("WATER",))
    return model


def figures(model: lca.Model, iterations: int, seed: int) -> dict:
    result = lca.solve(model)
    mc = lca.monte_carlo(lca.build_matrices(model), iterations, seed=seed) if iterations else None
    out = {}
    for label, _, (indicator, phase), unit in QUANTITIES:
        central = result.by_phase()[phase][indicator].to(unit).magnitude
        band = (
            [mc.percentile(q, indicator, phase).to(unit).magnitude for q in (2.5, 97.5)]
            if mc
            else [central] * 2
        )
        out[label] = (float(central), *(float(b) for b in band))
    return out


def pick(eco: dict, key: tuple[str, ...]) -> dict:
    value = eco
    for k in key:
        value = value[k]
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    register_indicator(Indicator("ENERGY", "facility energy per request", "kWh"))
    peer = ecologits(SCENARIOS)
    base = lca.load(EXAMPLE)
    print(
        f"lca {lca.__version__}, datasets {lca.data.version()}, EcoLogits {peer['version']}; "
        f"{args.iterations} iterations, seed {args.seed}; load: {os.getloadavg()[0]:.2f} (1 min)"
    )
    training = lca.solve(base).by_phase()["training"]
    print(
        f"lca training share per request (not compared): {training['GWP'].to('kg CO2 eq').magnitude:.4g} kg CO2 eq, "
        f"{training['PE'].to('MJ').magnitude:.4g} MJ (requests_lifetime 1e10)\n"
    )
    for scenario, eco in zip(SCENARIOS, peer["results"], strict=True):
        ours = scenario_model(base, scenario)
        same = equivalent_model(ours, eco)
        own, equiv = figures(ours, args.iterations, args.seed), figures(same, 0, args.seed)
        values = evaluate(ours)
        print(
            f"== {scenario['name']}: EcoLogits {eco['internals']['gpu_required_count']} GPUs, "
            f"{eco['internals']['generation_latency_s']:.3g} s; lca {values['n_gpu'].magnitude:g} GPU(s), "
            f"request time {values['request_time'].to('s').magnitude:.3g} s"
        )
        print(
            f"{'quantity':14} {'unit':10} {'EcoLogits mean [min - max]':34} {'lca [p2.5 - p97.5]':34} {'ratio':>6} "
            f"{'lca equiv.':>10} {'ratio':>6} {'eq. in Eco range':>16} {'Eco mean in lca band':>20}"
        )
        for label, key, _, unit in QUANTITIES:
            e = pick(eco, key)
            c, lo, hi = own[label]
            q = equiv[label][0]
            eco_text = f"{e['mean']:.4g} [{e['min']:.4g} - {e['max']:.4g}]"
            ours_text = f"{c:.4g} [{lo:.4g} - {hi:.4g}]"
            inside = "yes" if e["min"] * (1 - 1e-9) <= q <= e["max"] * (1 + 1e-9) else "no"
            covered = "yes" if lo <= e["mean"] <= hi else "no"
            print(
                f"{label:14} {unit:10} {eco_text:34} {ours_text:34} {c / e['mean']:6.2f} {q:10.4g} {q / e['mean']:6.2f} "
                f"{inside:>16} {covered:>20}"
            )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
