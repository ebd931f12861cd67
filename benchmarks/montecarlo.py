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
- ``ecoinvent-shaped``: the background of ``benchmarks/ecoinvent_shaped.py`` (20,000
  activities, a strongly connected core of 6,000, a lognormal on every exchange) with BLOOM's
  foreground; ``ecoinvent-shaped-foreground``: the same with the background fixed (only the
  foreground varies: lca takes the background out of the iterations by itself). Prints the
  compile time and memory, the deterministic solve time, lca's Monte Carlo, then bw2calc on
  the same matrices in the same run (``bw_peer.py``: ``LCA(..., use_distributions=True)``,
  ``PartitionedMonteCarloLCA`` for the foreground case), with pypardiso when it imports.
- ``loop-N``: one loop of N activities (each uses the next and 4 random others), lognormal on
  every exchange, against bw2calc with pypardiso and with SciPy's SuperLU (a subprocess).
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
from lca.model.records import Activity, Exchange, Flow, FunctionalUnit, Model
from lca.model.uncertainty import Uncertainty
from lca.uncertainty.propagation import Propagator

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = Path(os.environ.get("LCA_PEER_DIR", ROOT.parent / "shared" / "peers" / "lca_algebraic"))
PEER_PYTHON = Path(os.environ.get("LCA_PEER_VENV", "/tmp/lca-peers/lca-algebraic")) / "bin" / "python"
INDICATORS = ("GWP", "ADP", "PE", "WATER")
SIGMA = 0.1  # lognormal sigma on every synthetic exchange
REPEAT = 3  # lca runs REPEAT times; the first (cold: fresh memory) is the one reported


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fmt(x: float | None, digits: int = 0) -> str:
    return "na" if x is None else f"{x:.{digits}f}"


# -- lca side -----------------------------------------------------------------------------
def time_lca(
    model: Model, iterations: int, seed: int, activities: tuple[str, ...] = ()
) -> tuple[float, object]:
    """Seconds of a cold run: draw + propagate + statistics (compilation reported apart)."""
    t = time.perf_counter()
    propagator = Propagator(lca.build_matrices(model), activities=activities)
    compile_s = time.perf_counter() - t
    times, result = [], None
    for _ in range(REPEAT):
        result = None  # free the previous run before the next
        t = time.perf_counter()
        result = propagator.run(iterations, seed)
        summary = result.summary()
        times.append(time.perf_counter() - t)
    seconds = times[0]
    print(
        f"lca compile_s={compile_s:.3f} run_s={' '.join(f'{x:.3f}' for x in times)} (first, cold, is reported) "
        f"chunk={propagator.chunk_size()} inputs={propagator.space.size}"
    )
    print(summary.to_string(max_cols=12))
    return seconds, result


# -- synthetic inventories ------------------------------------------------------------------
def synthetic(n: int, seed: int = 0, inputs: int = 5) -> Model:
    """n activities, ``inputs`` random suppliers each among the previous ones, 3 flows."""
    rng = np.random.default_rng(seed)
    model, units, phases = _three_flows(f"synthetic-{n}", rng)
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


def _three_flows(name: str, rng: np.random.Generator) -> tuple[Model, tuple[str, ...], tuple[str, ...]]:
    """A model with 3 flows characterised for the 4 indicators, their units and the phases."""
    model = Model(name)
    model.info["indicators"] = list(INDICATORS)
    factors = rng.uniform(0.5, 2.0, size=(3, 4)).astype(np.float32).astype(float)
    units = ("kg", "kg", "L")
    for k in range(3):
        model.add_flow(
            Flow(f"flow{k}", f"flow {k}", units[k], dict(zip(INDICATORS, factors[k].tolist(), strict=True)))
        )
    return model, units, ("manufacturing", "training", "deployment")


def _lognormal(amount: float) -> Uncertainty:
    return Uncertainty.from_spec({"distribution": "lognormal", "sigma": SIGMA}, amount, "synthetic")


def loop(n: int, seed: int = 0) -> Model:
    """One loop of n activities: j uses j+1 and 4 random others (0.5 in all per unit), 3 flows."""
    rng = np.random.default_rng(seed)
    model, units, phases = _three_flows(f"loop-{n}", rng)
    for j in range(n):
        others = rng.choice(np.setdiff1d(np.arange(n), [j, (j + 1) % n]), 4, replace=False)
        shares = rng.dirichlet(np.ones(5)) * 0.5
        exchanges = [
            Exchange(f"a{i}", float(np.float32(a)), "unit", _lognormal(float(np.float32(a))))
            for i, a in zip([(j + 1) % n, *others.tolist()], shares, strict=True)
        ]
        for k in range(3):
            amount = float(np.float32(rng.uniform(0.1, 1.0)))
            exchanges.append(Exchange(f"flow{k}", amount, units[k], _lognormal(amount)))
        model.add_activity(Activity(f"a{j}", f"activity {j}", phases[j % 3], "unit", exchanges))
    model.functional_unit = FunctionalUnit("a0", 1.0, "unit")
    return model


def case_model(case: str) -> Model:
    """The model of a case of this script (also used by bw_peer.py in its own process)."""
    if case.startswith("ecoinvent-shaped"):
        from ecoinvent_shaped import build_model

        return build_model(uncertain="foreground" if case.endswith("-foreground") else "all")
    if case.startswith("loop-"):
        return loop(int(case.split("-", 1)[1]))
    raise ValueError(case)


def case_scale(case: str, iterations: int, seed: int, bw_iterations: int) -> None:
    """ecoinvent-shaped cases and loops: lca beside bw2calc, with compile and solve times."""
    import bw_peer

    t = time.perf_counter()
    model = case_model(case)
    exchanges = sum(len(a.exchanges) for a in model.activities.values())
    print(
        f"model: {len(model.activities)} activities, {exchanges} exchanges, built in {time.perf_counter() - t:.1f} s"
    )
    before = peak_mib()
    t = time.perf_counter()
    matrices = lca.build_matrices(model)
    compile_s = time.perf_counter() - t
    print(f"compile (build_matrices) {compile_s:.2f} s, peak {peak_mib():.0f} MiB (before {before:.0f})")
    t = time.perf_counter()
    lca.solve(matrices)
    solve_s = time.perf_counter() - t
    print(f"deterministic solve (lca.solve on the matrices) {solve_s:.2f} s")
    t = time.perf_counter()
    propagator = Propagator(matrices)
    print(
        f"Propagator {time.perf_counter() - t:.1f} s: static background {propagator.static_count} activities, "
        f"per-iteration systems: supply {propagator.supply_system.size}, background "
        f"{propagator.background.system.size if propagator.has_background else 0} "
        f"(rows make the total: {propagator.rows_make_total}), chunk {propagator.chunk_size()}, inputs {propagator.space.size}"
    )
    t = time.perf_counter()
    result = propagator.run(iterations, seed)
    seconds = time.perf_counter() - t
    it_s = iterations / seconds
    peak = peak_mib()
    print(f"lca {iterations} iterations {seconds:.2f} s, fallbacks {result.fallbacks}, peak {peak:.0f} MiB")
    bw_it_s, name = bw_peer.check_and_time(propagator, bw_iterations, case.endswith("-foreground"))
    solver = bw_peer.solver_name() if bw_it_s else "na"
    superlu = None
    if case.startswith("loop-") and solver == "pypardiso":
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("bw_peer.py")), case, str(bw_iterations), "--no-pardiso"],
            capture_output=True, text=True, check=False, cwd=Path(__file__).parent,
        )  # fmt: skip
        line = [x for x in done.stdout.splitlines() if x.startswith("bw2calc_it_s=")]
        value = line[-1].split()[0].split("=")[1] if line else "na"
        superlu = None if value == "na" else float(value)
    ratio = it_s / bw_it_s if bw_it_s else None
    ratio_lu = it_s / superlu if superlu else None
    print(
        f"case={case} activities={len(model.activities)} exchanges={exchanges} compile_s={compile_s:.2f} "
        f"solve_s={solve_s:.2f} lca_it_s={it_s:.4g} bw2calc={name.split('(')[0]} bw2calc_solver={solver} "
        f"bw2calc_it_s={fmt(bw_it_s, 3)} ratio={fmt(ratio, 1)} bw2calc_superlu_it_s={fmt(superlu, 3)} "
        f"ratio_superlu={fmt(ratio_lu, 1)} fallbacks={result.fallbacks} peak_mib={peak:.0f}"
    )


# -- Brightway ------------------------------------------------------------------------------
def time_bw2calc(matrices: lca.Matrices, expected: np.ndarray, iterations: int) -> float | None:
    """bw2calc Monte Carlo iterations/s on the same matrices, or None if Brightway is unavailable.

    Every technosphere input and biosphere entry gets a lognormal (sigma SIGMA) around its
    deterministic value, as in the synthetic inventories: bw2calc's time per iteration
    depends on the matrix, not on which distributions are drawn.
    """
    os.environ["BRIGHTWAY2_DIR"] = tempfile.mkdtemp(prefix="lca-bw-")
    try:
        import bw2calc as bc
        import bw2data as bd
    except Exception as exc:  # any import failure: the peer is absent
        print(f"bw2calc: not available ({type(exc).__name__}: {exc})")
        return None
    try:
        m = matrices
        bd.projects.set_current("lca-bench")
        bd.Database("bio").write({("bio", code): {"name": code, "type": "emission"} for code in m.flows})
        exchanges: dict[int, list[dict]] = {j: [] for j in range(len(m.activities))}
        tech = m.technosphere.tocoo()
        for i, j, value in zip(tech.row, tech.col, tech.data, strict=True):
            kind = "production" if i == j else "technosphere"
            amount = float(value) if i == j else -float(value)
            exchanges[j].append(_bw_exchange(("tech", m.activities[i]), amount, kind))
        bio = m.biosphere.tocoo()
        for k, j, value in zip(bio.row, bio.col, bio.data, strict=True):
            exchanges[j].append(_bw_exchange(("bio", m.flows[k]), float(value), "biosphere"))
        bd.Database("tech").write(
            {("tech", code): {"name": code, "exchanges": exchanges[j]} for j, code in enumerate(m.activities)}
        )
        char = m.characterisation.toarray()
        for i, ind in enumerate(m.indicators):
            method = bd.Method(("bench", ind.code))
            method.register(unit=ind.unit_text)
            method.write([(("bio", code), float(char[i, k])) for k, code in enumerate(m.flows) if char[i, k]])
        j = int(np.flatnonzero(m.demand)[0])
        demand = {bd.get_activity(("tech", m.activities[j])): float(m.demand[j])}
        worst = 0.0
        for i, ind in enumerate(m.indicators):
            det = bc.LCA(demand, ("bench", ind.code))
            det.lci()
            det.lcia()
            scale = abs(expected[i]) or 1.0
            worst = max(worst, abs(det.score - expected[i]) / scale)
        print(
            f"bw2calc deterministic max relative difference over {len(m.indicators)} indicators: {worst:.2e}"
        )
        if worst >= 1e-6:
            print("bw2calc: deterministic results disagree; not timing")
            return None
        first = m.indicators[0].code
        mc = bc.LCA(demand, ("bench", first), use_distributions=True, seed_override=1)
        mc.lci()
        mc.lcia()
        t = time.perf_counter()
        for _ in range(iterations):
            next(mc)
        return iterations / (time.perf_counter() - t)
    except Exception as exc:  # keep the benchmark robust: a Brightway failure is reported, not fatal
        print(f"bw2calc: failed ({type(exc).__name__}: {exc})")
        return None


def _bw_exchange(key: tuple[str, str], amount: float, kind: str) -> dict:
    exchange = {"input": key, "amount": amount, "type": kind}
    if kind != "production" and amount != 0:
        exchange.update({"uncertainty type": 2, "loc": float(np.log(abs(amount))), "scale": SIGMA})
        exchange["negative"] = amount < 0
    return exchange


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


def case_bloom(iterations: int, seed: int, bw_iterations: int) -> None:
    model = lca.bloom()
    seconds, _ = time_lca(model, iterations, seed)
    peak = peak_mib()
    _compare_bw("bloom", model, iterations / seconds, peak, bw_iterations)


def case_synthetic(n: int, iterations: int, seed: int, bw_iterations: int) -> None:
    model = synthetic(n)
    seconds, _ = time_lca(model, iterations, seed)
    peak = peak_mib()
    _compare_bw(f"synthetic-{n}", model, iterations / seconds, peak, bw_iterations)


def _compare_bw(case: str, model: Model, it_s: float, peak: float, bw_iterations: int) -> None:
    matrices = lca.build_matrices(model)
    expected = lca.solve(matrices).direct.sum(axis=1)
    bw_it_s = time_bw2calc(matrices, expected, bw_iterations)
    ratio = it_s / bw_it_s if bw_it_s else None
    print(
        f"case={case} activities={len(model.activities)} lca_it_s={it_s:.0f} bw2calc_it_s={fmt(bw_it_s, 2)} "
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
        case_bloom(args.iterations or 1_000_000, args.seed, args.bw_iterations or 500)
    elif args.case.startswith("ecoinvent-shaped"):
        foreground = args.case.endswith("-foreground")
        case_scale(
            args.case,
            args.iterations or (100_000 if foreground else 64),
            args.seed,
            args.bw_iterations or (200 if foreground else 5),
        )
    elif args.case.startswith("loop-"):
        # a run of a few seconds (10,000 iterations at 300 activities): a practitioner's run,
        # not the first chunk's warm-up
        n = int(args.case.split("-", 1)[1])
        case_scale(
            args.case, args.iterations or max(2000, 3_000_000 // n), args.seed, args.bw_iterations or 20
        )
    elif args.case.startswith("synthetic-"):
        n = int(args.case.split("-", 1)[1])
        default_bw = {100: 500, 1000: 50}.get(n, 2)
        case_synthetic(n, args.iterations or 1000, args.seed, args.bw_iterations or default_bw)
    else:
        parser.error(f"unknown case '{args.case}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
