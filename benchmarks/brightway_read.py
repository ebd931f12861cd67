"""Read time of an ecoinvent-shaped Brightway background (target: < 30 s for 20,000 activities).

Writes a database of ACTIVITIES activities and about 20 exchanges each (400,000 for 20,000)
to a Brightway project in a temporary folder (setup, not timed), then times what
``lca.io.bw_import.link_background`` does for a foreground that pulls each of them: read the
nodes (one query per database), the processed datapackages, the supply chain and the
records. It then solves the model with lca and with bw2calc on the same project and prints
both scores.

The shape: a "core" of activities that supply each other (loops, like ecoinvent's energy
and transport markets) and a tail that uses the core; every activity emits a few biosphere3
flows; a third of the exchanges are lognormal. When the scale helper's
``benchmarks/ecoinvent_shaped.py`` (``build_model(activities, core, seed, uncertain)``) is
in the tree, its model is exported with :func:`lca.io.bw_export.export_model` instead.

    python benchmarks/brightway_read.py [ACTIVITIES] [--read-only]

``--read-only`` skips the solves (lca's compile of 400,000 exchanges is being reworked).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def background(activities: int, core: int, seed: int = 0) -> dict:
    """A Brightway database dict, ecoinvent-shaped (a looped core and a tail)."""
    from lca.methods import DEFAULT_METHODS, impact_category

    rng = np.random.default_rng(seed)
    flows = sorted(impact_category(DEFAULT_METHODS["GWP"]).factors)[:40]
    data = {}
    for j in range(activities):
        inputs = rng.choice(core, size=12, replace=False)
        if j > core + 8:  # the tail also uses earlier tail activities: the last pulls them all
            inputs = np.concatenate([inputs[:8], rng.choice(np.arange(core, j), size=8, replace=False)])
        exchanges = [{"input": ("eco", f"a{j}"), "amount": 1.0, "type": "production"}]
        for i in inputs:
            if int(i) == j:
                continue
            amount = float(rng.uniform(0.001, 0.05))
            exc = {"input": ("eco", f"a{int(i)}"), "amount": amount, "type": "technosphere"}
            if rng.random() < 0.33:
                exc.update({"uncertainty type": 2, "loc": math.log(amount), "scale": 0.2})
            exchanges.append(exc)
        for k in rng.choice(
            len(flows), size=20 - len(exchanges) + 1 if len(exchanges) < 20 else 3, replace=False
        ):
            exchanges.append(
                {
                    "input": ("biosphere3", flows[int(k)]),
                    "amount": float(rng.uniform(0.01, 1)),
                    "type": "biosphere",
                }
            )
        data[("eco", f"a{j}")] = {
            "name": f"activity {j}",
            "reference product": f"product {j}",
            "unit": "kilogram",
            "location": "GLO",
            "exchanges": exchanges,
        }
    return data


def main(activities: int = 20_000, read_only: bool = False) -> None:
    folder = tempfile.mkdtemp(prefix="lca-bw-bench-")
    os.environ["BRIGHTWAY2_DIR"] = folder
    import bw2calc as bc
    import bw2data as bd

    import lca
    from lca.io.bw_import import link_background
    from lca.io.bw_links import link_text
    from lca.io.bw_project import setup_project
    from lca.methods import DEFAULT_METHODS

    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    start = time.perf_counter()
    setup_project("bench", [DEFAULT_METHODS["GWP"]])
    data = background(activities, core=max(activities * 3 // 10, 10))
    n_exchanges = sum(len(d["exchanges"]) for d in data.values())
    print(f"writing {activities:,} activities, {n_exchanges:,} exchanges to Brightway (setup)...", flush=True)
    bd.Database("eco").write(data)
    print(f"  written in {time.perf_counter() - start:.1f} s")

    model = lca.Model("bench")
    links = [  # one exchange to each activity: the supply chain read is the whole database
        lca.Exchange(link_text({"database": "eco", "code": f"a{j}"}), 1.0, "kg") for j in range(activities)
    ]
    model.add_activity(lca.Activity("use", "use", "deployment", "item", links))
    model.functional_unit = lca.FunctionalUnit("use", 1, "item")
    start = time.perf_counter()
    link_background(model, "bench")
    read = time.perf_counter() - start
    n_read = sum(len(a.exchanges) for a in model.activities.values())
    print(
        f"read: {read:.2f} s for {len(model.activities) - 1:,} activities, {n_read:,} exchanges "
        f"(target < 30 s for 20,000 / 400,000)"
    )
    if read_only:
        return
    start = time.perf_counter()
    ours = lca.solve(model).total("GWP").magnitude
    print(f"lca compile + solve: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    demand = {bd.get_node(database="eco", code=f"a{j}").id: 1.0 for j in range(activities)}
    theirs = bc.LCA(demand, DEFAULT_METHODS["GWP"])
    theirs.lci()
    theirs.lcia()
    print(f"bw2calc lci + lcia: {time.perf_counter() - start:.2f} s")
    print(
        f"GWP: lca {ours:.9g}, bw2calc {theirs.score:.9g}, relative difference {abs(ours / theirs.score - 1):.1e}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 20_000, "--read-only" in sys.argv)
