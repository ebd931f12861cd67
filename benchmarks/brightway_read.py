"""Read time of an ecoinvent-shaped Brightway background (target: < 30 s for 20,000 activities).

The background is the one of ``benchmarks/ecoinvent_shaped.py`` (seed 0: a strongly connected
core in sectors around hubs, acyclic upstream and downstream parts, about 13 technosphere inputs
and 30 elementary flows per activity, a lognormal on every exchange, 50 unit texts). Its
elementary flows are its own; here each becomes a biosphere3 flow of the same unit (the IPCC
2021 flows for masses), so that lca and bw2calc characterise the same flows with the same
packaged method. The background is written to a Brightway project in a temporary folder with
:func:`lca.io.bw_export.export_model` (setup, timed apart), then a foreground that pulls every
activity reads it back with :func:`lca.io.bw_import.link_background` (nodes, processed
datapackages, supply chain, records: the read that is timed). The model is compiled and solved
with lca, and the same demand is computed with bw2calc on the same project, in the same run.

    python benchmarks/brightway_read.py [ACTIVITIES] [--read-only]

``--read-only`` skips the solves.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path


def background_model(activities: int, seed: int = 0):
    """The ecoinvent-shaped background alone (no BLOOM foreground), its flows biosphere3 ones."""
    from dataclasses import replace

    from ecoinvent_shaped import build_model

    import lca
    from lca.methods import DEFAULT_METHODS, elementary_flows, impact_category

    full = build_model(activities, core=max(activities * 3 // 10, 120), seed=seed, uncertain="all")
    flows = elementary_flows()
    gwp = impact_category(DEFAULT_METHODS["GWP"]).factors
    pools = {
        "kg": sorted(u for u in gwp if u in flows and flows[u].unit == "kg"),
        "m**3": sorted(u for u, f in flows.items() if f.unit == "m3"),
        "MJ": sorted(u for u, f in flows.items() if f.unit == "MJ"),
        "kBq": sorted(u for u, f in flows.items() if f.unit == "kBq"),
    }
    model = lca.Model(full.name)
    for k, flow in enumerate(full.flows.values()):
        pool = pools[flow.unit]
        model.add_flow(replace(flow, factors={}, uuid=pool[k % len(pool)]))
    for act in full.activities.values():
        if act.name.startswith("background activity"):
            model.add_activity(act)
    model.functional_unit = lca.FunctionalUnit(next(iter(model.activities)), 1.0, "")
    return model


def main(activities: int = 20_000, read_only: bool = False) -> None:
    folder = tempfile.mkdtemp(prefix="lca-bw-bench-")
    os.environ["BRIGHTWAY2_DIR"] = folder
    import bw2calc as bc
    import bw2data as bd

    import lca
    from lca.io.bw_export import export_model
    from lca.io.bw_import import link_background
    from lca.io.bw_links import link_text
    from lca.io.bw_project import setup_project
    from lca.methods import DEFAULT_METHODS

    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    start = time.perf_counter()
    setup_project("bench", [DEFAULT_METHODS["GWP"]])
    background = background_model(activities)
    codes = list(background.activities)
    n_exchanges = sum(len(a.exchanges) for a in background.activities.values())
    print(f"writing {len(codes):,} activities, {n_exchanges:,} exchanges to Brightway (setup)...", flush=True)
    export_model(background, "bench", "eco")
    print(f"  built and written in {time.perf_counter() - start:.1f} s")

    model = lca.Model("bench")
    links = [lca.Exchange(link_text({"database": "eco", "code": c}), 1.0, "") for c in codes]
    model.add_activity(lca.Activity("use", "use", "deployment", "unit", links))
    model.functional_unit = lca.FunctionalUnit("use", 1, "unit")
    start = time.perf_counter()
    link_background(model, "bench")
    read = time.perf_counter() - start
    n_read = sum(len(a.exchanges) for a in model.activities.values()) - len(codes)
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
    ids = {node["code"]: node.id for node in bd.Database("eco")}
    start = time.perf_counter()
    theirs = bc.LCA({ids[c]: 1.0 for c in codes}, DEFAULT_METHODS["GWP"])
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
