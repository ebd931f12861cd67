"""Read time of an ecoinvent-shaped Brightway background (target: < 30 s for 20,000 activities).

Writes a database of ACTIVITIES activities and about 20 exchanges each (400,000 for 20,000)
to a Brightway project in a temporary folder (setup, not timed), then times what
``lca.io.bw_import.link_background`` does for a foreground that pulls each of them: read the
nodes (one query per database), the processed datapackages, the supply chain and the
records. It then compiles and solves the model with lca and computes the same demand with
bw2calc on the same project, in the same run, and prints the times and both scores.

The shape, ecoinvent's in outline: a "core" of activities (30%) that supply each other in
sectors of 60 (each takes 8 inputs in its sector) and through a few hubs (1% of the core,
like ecoinvent's electricity and transport markets, used by every core activity), so the
core is one strongly connected block whose LU factors stay sparse; a tail that uses hubs, the
core and tail activities among the 40 before it (acyclic, local as ecoinvent's supply chains
are: random long-range inputs would make any LU dense); every activity emits biosphere3
flows that IPCC 2021 characterises, about 21 exchanges an activity in all; a third of the
technosphere exchanges are lognormal.

    python benchmarks/brightway_read.py [ACTIVITIES] [--read-only]

``--read-only`` skips the solves.
"""

from __future__ import annotations

import importlib.util
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
    hubs = rng.choice(core, size=max(core // 100, 4), replace=False)
    data = {}
    for j in range(activities):
        if j < core:  # its sector, and four hubs
            sector = np.arange(j // 60 * 60, min(j // 60 * 60 + 60, core))
            local = rng.choice(sector, size=min(8, len(sector)), replace=False)
            inputs = np.concatenate([local, rng.choice(hubs, size=4, replace=False)])
        else:  # hubs, the core, and tail activities among the 40 before it (acyclic)
            inputs = np.concatenate([rng.choice(hubs, size=4, replace=False), rng.choice(core, size=4)])
            if j > core + 8:
                window = np.arange(max(core, j - 40), j)
                inputs = np.concatenate([inputs, rng.choice(window, size=8, replace=False)])
        exchanges = [{"input": ("eco", f"a{j}"), "amount": 1.0, "type": "production"}]
        for i in np.unique(inputs):
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
    matrices = lca.build_matrices(model)
    compiled = time.perf_counter() - start
    start = time.perf_counter()
    ours = lca.solve(matrices).total("GWP").magnitude
    solved = time.perf_counter() - start
    print(
        f"lca compile: {compiled:.2f} s, solve: {solved:.2f} s ({len(matrices.tech_rows):,} technosphere entries)"
    )
    start = time.perf_counter()
    demand = {bd.get_node(database="eco", code=f"a{j}").id: 1.0 for j in range(activities)}
    theirs = bc.LCA(demand, DEFAULT_METHODS["GWP"])
    theirs.lci()
    theirs.lcia()
    solver = "pypardiso" if importlib.util.find_spec("pypardiso") else "SciPy's spsolve, no pypardiso"
    print(f"bw2calc lci + lcia: {time.perf_counter() - start:.2f} s ({solver})")
    print(
        f"GWP: lca {ours:.9g}, bw2calc {theirs.score:.9g}, relative difference {abs(ours / theirs.score - 1):.1e}"
    )
    print(f"load: {os.getloadavg()[0]:.2f} (1 min) at the end")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 20_000, "--read-only" in sys.argv)
