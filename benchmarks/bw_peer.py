"""bw2calc 3.x on lca's compiled matrices, through in-memory datapackages (no bw2data project).

The technosphere, biosphere and characterisation of a :class:`lca.Matrices` become
``bw_processing`` datapackages: one per "database" (the background, activities without a
phase that use only each other, and the foreground, the rest), so that bw2calc's
``PartitionedMonteCarloLCA`` can treat the background as static. Every exchange that lca
draws gets a lognormal of the same sigma in bw2calc (its own sigma for an exchange amount,
0.1 for an amount computed from drawn parameters: bw2calc's time per iteration depends on the
matrix, not on which distributions are drawn); the others are fixed.

Run in a process of its own with ``--no-pardiso`` to make bw2calc use SciPy's SuperLU.
"""

from __future__ import annotations

import sys
import time

import numpy as np

import lca
from lca.model.records import BACKGROUND
from lca.uncertainty.propagation import Propagator

FORMULA_SIGMA = 0.1


def block_pypardiso() -> None:
    """Make ``import pypardiso`` fail, so that bw2calc falls back on SciPy's SuperLU."""
    sys.modules["pypardiso"] = None  # type: ignore[assignment]


def solver_name() -> str:
    import bw2calc

    return "pypardiso" if bw2calc.PYPARDISO else "UMFPACK" if bw2calc.UMFPACK else "SuperLU"


def _sigmas(propagator: Propagator, amounts: tuple, varying: list[int]) -> np.ndarray:
    sigma = np.zeros(len(amounts))
    for e in varying:
        unc = amounts[e].numerator.uncertainty
        sigma[e] = unc.scale if unc is not None and unc.is_uncertain and unc.kind == 2 else FORMULA_SIGMA
    return sigma


def datapackages(propagator: Propagator, partition: bool) -> tuple[list, dict[int, float], list[str]]:
    """Datapackages (LCI packages, then one method package per indicator), demand, static names."""
    import bw_processing as bwp

    m = propagator.matrices
    n, n_flows = len(m.activities), len(m.flows)
    background = np.array([p == BACKGROUND for p in m.phases])
    static = propagator._static_set(background) if partition else np.zeros(n, dtype=bool)
    ids = np.arange(1, n + 1)
    flow_ids = np.arange(n + 1, n + n_flows + 1)
    tech = m.technosphere.tocoo()
    tech_sigma = _sigmas(propagator, m.tech_amounts, propagator.tech_varying)
    # sum the sigma per matrix position (one entry per position in these inventories)
    position = {
        (int(i), int(j)): float(s) for i, j, s in zip(m.tech_rows, m.tech_cols, tech_sigma, strict=True)
    }
    bio = m.biosphere.tocoo()
    bio_sigma = _sigmas(propagator, m.bio_amounts, propagator.bio_varying)
    bio_position = {
        (int(k), int(j)): float(s) for k, j, s in zip(m.bio_rows, m.bio_cols, bio_sigma, strict=True)
    }
    packages = []
    groups = [("background", static), ("foreground", ~static)] if static.any() else [("inventory", ~static)]
    for name, members in groups:
        dp = bwp.create_datapackage(
            name=name, metadata={"database_dependencies": ["background"] if name == "foreground" else []}
        )
        for matrix, coo, row_ids, sigmas in (
            ("technosphere", tech, ids, position),
            ("biosphere", bio, flow_ids, bio_position),
        ):
            keep = members[coo.col]
            rows, cols, values = coo.row[keep], coo.col[keep], coo.data[keep]
            sigma = np.array([sigmas.get((int(i), int(j)), 0.0) for i, j in zip(rows, cols, strict=True)])
            flip = values < 0 if matrix == "technosphere" else np.zeros(len(values), dtype=bool)
            dp.add_persistent_vector(
                matrix=f"{matrix}_matrix",
                name=f"{name}_{matrix}",
                indices_array=_indices(row_ids[rows], ids[cols]),
                data_array=np.where(flip, -values, values),
                flip_array=flip,
                distributions_array=_lognormals(np.where(flip, -values, values), sigma),
            )
        packages.append(dp)
    char = m.characterisation.toarray()
    for i, indicator in enumerate(m.indicators):
        dp = bwp.create_datapackage(name=f"method {indicator.code}")
        nonzero = np.flatnonzero(char[i])
        dp.add_persistent_vector(
            matrix="characterization_matrix",
            name=f"cf_{indicator.code}",
            indices_array=_indices(flow_ids[nonzero], flow_ids[nonzero]),
            data_array=char[i, nonzero],
        )
        packages.append(dp)
    demand = {int(ids[j]): float(m.demand[j]) for j in np.flatnonzero(m.demand)}
    return packages, demand, (["background"] if static.any() else [])


def _indices(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    import bw_processing as bwp

    out = np.empty(len(rows), dtype=bwp.INDICES_DTYPE)
    out["row"], out["col"] = rows, cols
    return out


def _lognormals(values: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    import bw_processing as bwp

    out = np.zeros(len(values), dtype=bwp.UNCERTAINTY_DTYPE)
    drawn = (sigma > 0) & (values != 0)
    out["uncertainty_type"] = np.where(drawn, 2, 0)
    with np.errstate(divide="ignore"):
        out["loc"] = np.where(drawn, np.log(np.abs(values)), values)
    out["scale"] = np.where(drawn, sigma, np.nan)
    out["negative"] = values < 0
    out["minimum"] = out["maximum"] = out["shape"] = np.nan
    return out


def check_and_time(propagator: Propagator, iterations: int, partitioned: bool) -> tuple[float | None, str]:
    """bw2calc's Monte Carlo it/s after checking its deterministic scores, and the class timed.

    ``partitioned``: ``PartitionedMonteCarloLCA`` with the background static, else
    ``LCA(..., use_distributions=True)``. None when bw2calc is missing or disagrees.
    """
    try:
        import bw2calc as bc
    except Exception as exc:  # the peer is absent
        print(f"bw2calc: not available ({type(exc).__name__}: {exc})")
        return None, "na"
    m = propagator.matrices
    t = time.perf_counter()
    packages, demand, static = datapackages(propagator, partitioned)
    print(f"bw2calc: datapackages built in {time.perf_counter() - t:.1f} s, solver {solver_name()}")
    lci, methods = (
        packages[: len(packages) - len(m.indicators)],
        packages[len(packages) - len(m.indicators) :],
    )
    expected = propagator.deterministic.direct.sum(axis=1)
    worst = 0.0
    for i in range(len(m.indicators)):
        det = bc.LCA(demand, data_objs=[*lci, methods[i]])
        det.lci()
        det.lcia()
        worst = max(worst, abs(det.score - expected[i]) / (abs(expected[i]) or 1.0))
    print(f"bw2calc deterministic max relative difference over {len(m.indicators)} indicators: {worst:.2e}")
    if worst >= 1e-6:
        print("bw2calc: deterministic results disagree; not timing")
        return None, "na"
    if partitioned:
        mc = bc.PartitionedMonteCarloLCA(demand, static, [*lci, methods[0]], seed_override=1)
        name = "PartitionedMonteCarloLCA"
    else:
        mc = bc.LCA(demand, data_objs=[*lci, methods[0]], use_distributions=True, seed_override=1)
        name = "LCA(use_distributions=True)"
    t = time.perf_counter()
    mc.lci()
    mc.lcia()
    print(f"bw2calc {name}: first iteration (set-up) {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    for _ in range(iterations):
        next(mc)
    seconds = time.perf_counter() - t
    return iterations / seconds, name


def main(argv: list[str]) -> int:
    """``python bw_peer.py CASE ITERATIONS [--no-pardiso]``: prints ``bw2calc_it_s=...``."""
    if "--no-pardiso" in argv:
        block_pypardiso()
    import montecarlo

    case, iterations = argv[0], int(argv[1])
    propagator = Propagator(lca.build_matrices(montecarlo.case_model(case)))
    it_s, name = check_and_time(propagator, iterations, case.endswith("-foreground"))
    print(f"bw2calc_it_s={'na' if it_s is None else f'{it_s:.4g}'} class={name} solver={solver_name()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
