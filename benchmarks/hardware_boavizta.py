"""Embodied impacts of servers and GPUs: the shipped hardware datasets beside the Boavizta API.

    bash benchmarks/peers/setup.sh                       # once: venvs of the peers
    python benchmarks/hardware_boavizta.py

Boavizta API (boaviztapi 2.5) runs in its own venv (benchmarks/peers/boavizta_configs.py, its
FastAPI app in process, called here in the same invocation). For each configuration the
script prints Boavizta's embedded GWP, ADPe and PE with its min-max, lca's figure summed from
the hardware entries (central, and the sum of the entries' low and high bounds) and the ratio.
docs/validation.md records a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lca
from lca.data import hardware

HERE = Path(__file__).resolve().parent
PEER = HERE / "peers" / "boavizta_configs.py"
BOAVIZTA_PYTHON = os.environ.get("BOAVIZTA_PYTHON", "/tmp/lca-peers/boaviztapi/bin/python")

SERVER = {  # a 2-socket rack server: 2 x EPYC 7763, 16 x 32 GB, 2 x 1 TB SSD, 2 power supplies
    "model": {"type": "rack"},
    "configuration": {
        "cpu": {"units": 2, "name": "AMD EPYC 7763"},
        "ram": [{"units": 16, "capacity": 32}],
        "disk": [{"units": 2, "type": "ssd", "capacity": 1000}],
        "power_supply": {"units": 2, "unit_weight": 2.99},
    },
}
SERVER_PARTS = [("server-node-no-gpu", 1), ("EPYC-7763", 2), ("memory-per-GB", 512), ("SSD-per-TB", 2)]
GPU_SERVER = {
    **SERVER,
    "configuration": {**SERVER["configuration"], "gpu": {"units": 8, "name": "NVIDIA H100 SXM 80GB"}},
}
CONFIGS = [  # name, Boavizta path and body, lca entries and counts
    ("GPU H100 SXM 80GB", "/v1/component/gpu", {"name": "NVIDIA H100 SXM 80GB"}, [("H100", 1)]),
    ("GPU A100 SXM4 80GB", "/v1/component/gpu", {"name": "NVIDIA A100 SXM4 80GB"}, [("A100-80GB", 1)]),
    ("GPU A100 SXM4 40GB", "/v1/component/gpu", {"name": "NVIDIA A100 SXM4 40GB"}, [("A100-40GB", 1)]),
    ("GPU L4", "/v1/component/gpu", {"name": "NVIDIA L4"}, [("L4", 1)]),
    ("CPU AMD EPYC 7763", "/v1/component/cpu", {"name": "AMD EPYC 7763"}, [("EPYC-7763", 1)]),
    (
        "CPU Xeon Platinum 8380",
        "/v1/component/cpu",
        {"name": "Intel Xeon Platinum 8380"},
        [("Xeon-Platinum-8380", 1)],
    ),
    ("RAM 64 GB", "/v1/component/ram", {"capacity": 64}, [("memory-per-GB", 64)]),
    ("rack server, 2 CPU, 512 GB, 2 TB SSD", "/v1/server/", SERVER, SERVER_PARTS),
    ("same with 8 x H100 SXM", "/v1/server/", GPU_SERVER, [*SERVER_PARTS, ("H100", 8)]),
]
INDICATORS = (("gwp", "GWP", "kg CO2 eq"), ("adp", "ADP", "kg Sb eq"), ("pe", "PE", "MJ"))


def boavizta() -> dict:
    payload = [{"name": name, "path": path, "body": body} for name, path, body, _ in CONFIGS]
    done = subprocess.run(
        [BOAVIZTA_PYTHON, "-W", "ignore", str(PEER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def ours(parts: list[tuple[str, int]], indicator: str) -> tuple[float, float, float]:
    """Central, low and high of the sum of the entries (bounds added: the extremes)."""
    values = [(hardware(name).impacts[indicator], n) for name, n in parts]
    return tuple(sum(getattr(v, k) * n for v, n in values) for k in ("amount", "low", "high"))


def main() -> int:
    peer = boavizta()
    print(
        f"lca {lca.__version__}, datasets {lca.data.version()}, Boavizta API {peer['version']}; "
        f"load: {os.getloadavg()[0]:.2f} (1 min)\n"
    )
    print(
        f"{'configuration':38} {'indicator':9} {'Boavizta [min - max]':32} {'lca [low - high]':32} {'ratio':>6} {'Boavizta in lca range':>21}"
    )
    for (name, _, _, parts), result in zip(CONFIGS, peer["results"], strict=True):
        for key, code, unit in INDICATORS:
            b = result[key]
            central, low, high = ours(parts, code)
            inside = "yes" if low <= b["value"] <= high else "no"
            b_text = f"{b['value']:.4g} [{b['min']:.4g} - {b['max']:.4g}]"
            print(
                f"{name:38} {code:9} {b_text:32} {f'{central:.4g} [{low:.4g} - {high:.4g}]':32} "
                f"{central / b['value']:6.2f} {inside:>21}   ({unit})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
