"""Monte Carlo speed and memory of lca, beside its peers (issues 6 and 8).

Usage::

    python benchmarks/montecarlo.py --case bloom-parametric [--iterations 1000000]
    python benchmarks/montecarlo.py --case bloom --iterations 1000000
    python benchmarks/montecarlo.py --case synthetic-1000 --iterations 1000

Cases:

- ``bloom-parametric``: datasets/examples/bloom_parametric.yaml; times draw + propagate
  + per-phase statistics (phases, the three phase activities and the total, with exact
  percentiles), then Sobol indices (Saltelli design, n=8192). When the lca_algebraic
  peer venv exists (``../shared/peers/lca_algebraic/setup.sh``), runs the peer's
  ``bloom_parametric.py`` on the same model in a subprocess and prints the ratios.
- ``bloom``: the shipped BLOOM case, four indicators, per phase.
- ``synthetic-N``: N activities, 5 random inputs each (acyclic), lognormal on every
  exchange, 3 flows, 4 indicators. When Brightway (``lca[bench]``: bw2data, bw2calc 2.x/3.x)
  imports, the same inventory is built in a temporary project, the deterministic scores
  are checked to agree (relative difference < 1e-6), and bw2calc's Monte Carlo
  (``LCA(..., use_distributions=True)`` then ``next()``) is timed.

The last lines are ``key=value`` summaries, one per measured thing (``na`` when a peer is
absent). Peak memory is the process's maximum resident set size (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import lca
from lca.inventory import Activity, Exchange, Flow, FunctionalUnit, Model
from lca.uncertainty.distributions import Uncertainty
from lca.uncertainty.propagation import Propagator

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = Path(os.environ.get("LCA_PEER_DIR", ROOT.parent / "shared" / "peers" / "lca_algebraic"))
PEER_PYTHON = Path(os.environ.get("LCA_PEER_VENV", "/tmp/lca-peers/lca-algebraic")) / "bin" / "python"
INDICATORS = ("GWP", "ADP", "PE", "WATER")
SIGMA = 0.1  # lognormal sigma on every synthetic exchange
REPEAT = 3  # lca timings are the best of REPEAT runs (the machine is shared; see docs/performance.md)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fmt(x: float | None, digits: int = 0) -> str:
    return "na" if x is None else f"{x:.{digits}f}"


# -- lca side -----------------------------------------------------------------------------
def time_lca(
    model: Model, iterations: int, seed: int, activities: tuple[str, ...] = ()
) -> tuple[float, object]:
    """Best seconds for draw + propagate + statistics (compilation excluded, reported apart)."""
    t = time.perf_counter()
    propagator = Propagator(lca.build_matrices(model), activities=activities)
    compile_s = time.perf_counter() - t
    seconds = float("inf")
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = propagator.run(iterations, seed)
        summary = result.summary()
        seconds = min(seconds, time.perf_counter() - t)
        del result
    result = propagator.run(iterations, seed)
    print(
        f"lca compile_s={compile_s:.3f} run_s={seconds:.3f} chunk={propagator.chunk_size()} inputs={propagator.space.size}"
    )
    print(summary.to_string(max_cols=12))
    return seconds, result


# -- synthetic inventories ------------------------------------------------------------------
def synthetic(n: int, seed: int = 0, inputs: int = 5) -> Model:
    """n activities, ``inputs`` random suppliers each among the previous ones, 3 flows."""
    rng = np.random.default_rng(seed)
    model = Model(f"synthetic-{n}")
    model.info["indicators"] = list(INDICATORS)
    factors = rng.uniform(0.5, 2.0, size=(3, 4)).astype(np.float32).astype(float)
    units = ("kg", "kg", "L")
    for k in range(3):
        model.add_flow(
            Flow(f"flow{k}", f"flow {k}", units[k], dict(zip(INDICATORS, factors[k].tolist(), strict=True)))
        )
    phases = ("manufacturing", "training", "deployment")
    for j in range(n):
        exchanges = []
        if j:
            for i in rng.choice(j, size=min(inputs, j), replace=False):
                amount = float(np.float32(rng.uniform(0.01, 0.2)))
                exchanges.append(Exchange(f"a{i}", amount, "unit", _lognormal(amount)))
        for k in range(3):
            amount = float(np.float32(rng.uniform(0.1, 1.0)))
            exchanges.append(Exchange(f"flow{k}", amount, units[k], _lognormal(amount)))
        model.add_activity(Activity(f"a{j}", f"activity {j}", phases[j % 3], "unit", exchanges))
    model.functional_unit = FunctionalUnit(f"a{n - 1}", 1.0, "unit")
    return model


def _lognormal(amount: float) -> Uncertainty:
    return Uncertainty.from_spec({"distribution": "lognormal", "sigma": SIGMA}, amount, "synthetic")


# -- Brightway ------------------------------------------------------------------------------
def time_bw2calc(model: Model, expected: dict[str, float], iterations: int) -> float | None:
    """bw2calc iterations/s on the same inventory, or None if Brightway is unavailable."""
    os.environ["BRIGHTWAY2_DIR"] = tempfile.mkdtemp(prefix="lca-bw-")
    try:
        import bw2calc as bc
        import bw2data as bd
    except Exception as exc:  # any import failure: the peer is absent
        print(f"bw2calc: not available ({type(exc).__name__}: {exc})")
        return None
    try:
        bd.projects.set_current("lca-bench")
        bio = bd.Database("bio")
        bio.write(
            {
                ("bio", f.code): {"name": f.name, "unit": f.unit, "type": "emission"}
                for f in model.flows.values()
            }
        )
        data = {}
        for act in model.activities.values():
            exchanges = [{"input": ("tech", act.code), "amount": 1.0, "type": "production"}]
            for exc in act.exchanges:
                kind = "biosphere" if exc.input in model.flows else "technosphere"
                db = "bio" if kind == "biosphere" else "tech"
                unc = exc.uncertainty
                exchanges.append(
                    {
                        "input": (db, exc.input),
                        "amount": float(exc.amount),
                        "type": kind,
                        "uncertainty type": 2,
                        "loc": float(np.log(exc.amount)),
                        "scale": unc.scale,
                    }
                )
            data[("tech", act.code)] = {"name": act.name, "unit": "unit", "exchanges": exchanges}
        bd.Database("tech").write(data)
        for code in INDICATORS:
            method = bd.Method(("bench", code))
            method.register(unit=code)
            method.write([(("bio", f.code), f.factors[code]) for f in model.flows.values()])
        fu = model.functional_unit
        demand = {bd.get_activity(("tech", fu.activity)): fu.amount}
        worst = 0.0
        for code in INDICATORS:
            det = bc.LCA(demand, ("bench", code))
            det.lci()
            det.lcia()
            worst = max(worst, abs(det.score - expected[code]) / abs(expected[code]))
        print(f"bw2calc deterministic max relative difference over {len(INDICATORS)} indicators: {worst:.2e}")
        if worst >= 1e-6:
            print("bw2calc: deterministic results disagree; not timing")
            return None
        mc = bc.LCA(demand, ("bench", "GWP"), use_distributions=True, seed_override=1)
        mc.lci()
        mc.lcia()
        t = time.perf_counter()
        for _ in range(iterations):
            next(mc)
        seconds = time.perf_counter() - t
        return iterations / seconds
    except Exception as exc:  # keep the benchmark robust: a Brightway failure is reported, not fatal
        print(f"bw2calc: failed ({type(exc).__name__}: {exc})")
        return None


# -- the lca_algebraic peer -------------------------------------------------------------------
def run_peer(iterations: int) -> dict[str, str] | None:
    script = PEER_DIR / "bloom_parametric.py"
    if not (PEER_PYTHON.exists() and script.exists()):
        print(f"peer lca_algebraic: not set up ({PEER_PYTHON} or {script} missing)")
        return None
    done = subprocess.run(
        [str(PEER_PYTHON), str(script), "--n", str(iterations)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("case=")]
    if done.returncode != 0 or not lines:
        print(f"peer lca_algebraic failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
        return None
    for line in done.stdout.splitlines():
        if line.startswith("peer="):
            print(line)
    return dict(item.split("=", 1) for item in lines[-1].split())


# -- cases ----------------------------------------------------------------------------------
def case_bloom_parametric(iterations: int, seed: int, sobol_n: int) -> None:
    from lca.uncertainty.sensitivity import sobol_indices

    model = lca.load(ROOT / "datasets" / "examples" / "bloom_parametric.yaml")
    seconds, _ = time_lca(model, iterations, seed, activities=("embodied", "dynamic", "idle"))
    peak = peak_mib()
    it_s = iterations / seconds
    t = time.perf_counter()
    sobol_indices(model, sobol_n, seed=seed)
    sobol_s = time.perf_counter() - t
    t = time.perf_counter()
    sobol_indices(model, sobol_n, seed=seed, second_order=True)
    sobol2_s = time.perf_counter() - t
    print(
        f"lca sobol n={sobol_n}: S1+ST {sobol_s:.3f} s; with second order (the peer's design) {sobol2_s:.3f} s"
    )
    peer = run_peer(iterations)
    peer_it_s = float(peer["per_phase_it_s"]) if peer else None
    peer_sobol = float(peer["sobol_s"]) if peer else None
    ratio = it_s / peer_it_s if peer_it_s else None
    print(
        f"case=bloom-parametric iterations={iterations} lca_it_s={it_s:.0f} peer=lca_algebraic "
        f"peer_it_s={fmt(peer_it_s)} ratio={fmt(ratio, 2)} peak_mib={peak:.0f}"
    )
    sobol_ratio = peer_sobol / sobol_s if peer_sobol else None
    print(
        f"case=bloom-parametric-sobol n={sobol_n} lca_s={sobol_s:.3f} peer_s={fmt(peer_sobol, 3)} "
        f"ratio={fmt(sobol_ratio, 2)}"
    )


def case_bloom(iterations: int, seed: int) -> None:
    model = lca.bloom()
    seconds, _ = time_lca(model, iterations, seed)
    it_s = iterations / seconds
    print(
        f"case=bloom activities={len(model.activities)} indicators=4 iterations={iterations} lca_s={seconds:.3f} "
        f"lca_it_s={it_s:.0f} bw2calc_it_s=na ratio=na peak_mib={peak_mib():.0f}"
    )


def case_synthetic(n: int, iterations: int, seed: int, bw_iterations: int) -> None:
    model = synthetic(n)
    seconds, _ = time_lca(model, iterations, seed)
    peak = peak_mib()
    it_s = iterations / seconds
    expected = {k: v.magnitude for k, v in lca.solve(model).totals().items()}
    bw_it_s = time_bw2calc(model, expected, bw_iterations)
    ratio = it_s / bw_it_s if bw_it_s else None
    print(
        f"case=synthetic-{n} activities={n} lca_it_s={it_s:.0f} bw2calc_it_s={fmt(bw_it_s, 2)} "
        f"ratio={fmt(ratio, 1)} peak_mib={peak:.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", default="bloom-parametric")
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sobol-n", type=int, default=8192)
    parser.add_argument("--bw-iterations", type=int, help="bw2calc iterations (default: scaled to its speed)")
    args = parser.parse_args(argv)
    print(
        f"lca {lca.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, cores {os.cpu_count()}"
    )
    if args.case == "bloom-parametric":
        case_bloom_parametric(args.iterations or 1_000_000, args.seed, args.sobol_n)
    elif args.case == "bloom":
        case_bloom(args.iterations or 1_000_000, args.seed)
    elif args.case.startswith("synthetic-"):
        n = int(args.case.split("-", 1)[1])
        default_bw = {100: 500, 1000: 50}.get(n, 2)
        case_synthetic(n, args.iterations or 1000, args.seed, args.bw_iterations or default_bw)
    else:
        parser.error(f"unknown case '{args.case}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
