"""Peer side of benchmarks/hardware_boavizta.py: Boavizta API embodied impacts of configurations.

Run with the Python of a venv that has boaviztapi (benchmarks/peers/setup.sh makes it). The
API's own FastAPI app answers in process (its test client: no server, no network). Reads a
list of {name, path, body} on stdin; prints the embedded GWP, ADPe and PE of each, with the
API's min and max, as JSON.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version

from boaviztapi.main import app
from fastapi.testclient import TestClient

CRITERIA = ("gwp", "adp", "pe")


def embedded(client: TestClient, config: dict) -> dict:
    query = "&".join(f"criteria={c}" for c in CRITERIA)
    response = client.post(f"{config['path']}?verbose=false&{query}", json=config["body"])
    response.raise_for_status()
    impacts = response.json()["impacts"]
    return {c: {k: impacts[c]["embedded"][k] for k in ("value", "min", "max")} for c in CRITERIA}


if __name__ == "__main__":
    configs = json.load(sys.stdin)
    with TestClient(app) as client:
        results = [{"name": c["name"], **embedded(client, c)} for c in configs]
    print(json.dumps({"version": version("boaviztapi"), "results": results}))
