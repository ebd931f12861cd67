"""Peer side of benchmarks/inference_ecologits.py: EcoLogits on the same scenarios.

Run with the Python of a venv that has EcoLogits (benchmarks/peers/setup.sh makes it); it
reads the scenarios as JSON on stdin and prints EcoLogits' per-request figures as JSON. It
imports nothing from lca, and lca imports nothing from it.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version

from ecologits.electricity_mix_repository import electricity_mixes
from ecologits.impacts.llm import compute_llm_impacts, compute_llm_impacts_dag
from ecologits.tracers.utils import PROVIDER_CONFIG_MAP
from ecologits.utils.range_value import RangeValue


def bounds(value) -> dict[str, float]:
    """min, max and central (the middle of the range, as EcoLogits' RangeValue.mean)."""
    if isinstance(value, RangeValue):
        return {"min": value.min, "max": value.max, "mean": value.mean}
    return {"min": value, "max": value, "mean": value}


def run(scenario: dict) -> dict:
    provider = PROVIDER_CONFIG_MAP[scenario["provider"]]
    mix = electricity_mixes.find_electricity_mix(zone=scenario["zone"])
    inputs = dict(
        model_active_parameter_count=scenario["active_b"],
        model_total_parameter_count=scenario["total_b"],
        output_token_count=scenario["output_tokens"],
        if_electricity_mix_adpe=mix.adpe,
        if_electricity_mix_pe=mix.pe,
        if_electricity_mix_gwp=mix.gwp,
        if_electricity_mix_wue=mix.wue,
        datacenter_pue=provider.datacenter_pue,
        datacenter_wue=provider.datacenter_wue,
    )
    impacts = compute_llm_impacts(**inputs)
    dag = compute_llm_impacts_dag(request_latency=float("inf"), **inputs)
    return {
        "name": scenario["name"],
        "energy_kwh": bounds(impacts.energy.value),
        "usage": {k: bounds(getattr(impacts.usage, k).value) for k in ("gwp", "adpe", "pe", "wcf")},
        "embodied": {k: bounds(getattr(impacts.embodied, k).value) for k in ("gwp", "adpe", "pe")},
        "internals": {
            "gpu_required_count": dag["gpu_required_count"],
            "generation_latency_s": bounds(dag["generation_latency"])["mean"],
            "gpu_energy_kwh": bounds(dag["gpu_energy"])["mean"],
            "server_energy_kwh": bounds(dag["server_energy"])["mean"],
            "pue": bounds(provider.datacenter_pue),
            "wue": bounds(provider.datacenter_wue),
            "mix": {"gwp": mix.gwp, "adpe": mix.adpe, "pe": mix.pe, "wue": mix.wue},
        },
    }


if __name__ == "__main__":
    scenarios = json.load(sys.stdin)
    print(json.dumps({"version": version("ecologits"), "results": [run(s) for s in scenarios]}))
