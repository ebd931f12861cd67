"""Where the deterministic BLOOM result sits among its Monte Carlo draws (issue 16).

Usage::

    python benchmarks/uncertainty_centring.py [--iterations 100000] [--seed 42] [--case bloom|bloom-full]

For each indicator of the shipped case: the deterministic total, the Monte Carlo mean and
median, the 2.5th, 25th, 75th and 97.5th percentiles, the percentile at which the
deterministic total falls, and the three inputs with the largest contribution to variance
(squared Spearman rank correlation, normalised). The last lines are ``key=value``
summaries, one per indicator. The figures are quoted in docs/methodology.md.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import lca

INDICATORS = ("GWP", "ADP", "PE", "WATER")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--case", default="bloom", choices=("bloom", "bloom-full"))
    args = parser.parse_args()
    model = lca.load(lca.datasets_dir() / "cases" / f"{args.case}.yaml")
    deterministic = lca.solve(model)
    start = time.perf_counter()
    mc = lca.monte_carlo(model, args.iterations, seed=args.seed, keep_inputs=True)
    seconds = time.perf_counter() - start
    print(
        f"{args.case}: {args.iterations:,} iterations, seed {args.seed}, {seconds:.1f} s, load {os.getloadavg()[0]:.2f}"
    )
    summaries = []
    for code in INDICATORS:
        total = deterministic.total(code)
        det = total.magnitude
        draws = mc.samples(code)
        p = np.percentile(draws, [2.5, 25, 50, 75, 97.5])
        rank = 100.0 * float(np.mean(draws < det))
        top = mc.sensitivity(code).head(3)
        drivers = ", ".join(f"{r.input} {r.contribution:.0%}" for r in top.itertuples())
        print(
            f"  {code} [{total.units:~P}]: deterministic {det:.5g}, mean {draws.mean():.5g}, median {p[2]:.5g}, "
            f"p2.5 {p[0]:.5g}, p25 {p[1]:.5g}, p75 {p[3]:.5g}, p97.5 {p[4]:.5g}; deterministic at p{rank:.1f}"
        )
        print(f"    largest contributions to variance: {drivers}")
        summaries.append(f"{args.case}_{code}_deterministic_percentile={rank:.1f}")
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
