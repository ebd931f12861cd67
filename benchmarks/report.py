"""Time the BLOOM report with 10,000 Monte Carlo iterations (target: under 15 s).

Run: ``python benchmarks/report.py [--iterations N] [--seed S]``. Prints the time of each
step and the total; needs the Monte Carlo module (lca.uncertainty.propagation).
"""

from __future__ import annotations

import time

IMPORT_START = time.perf_counter()

import argparse  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import lca  # noqa: E402
from lca.report import build_document, render  # noqa: E402
from lca.report.sections import ReportInput  # noqa: E402
from lca.report.uncertain import bands_from_mc, monte_carlo_available, run_monte_carlo  # noqa: E402

IMPORTED = time.perf_counter()

TARGET_S = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not monte_carlo_available():
        print("Monte Carlo is not available in this installation: nothing to time")
        return 0
    start = time.perf_counter()
    print(f"{'import lca, lca.report (matplotlib)':<48} {IMPORTED - IMPORT_START:7.3f} s")
    steps = {}
    model = lca.bloom()
    result = lca.solve(model)
    steps["load and solve"] = time.perf_counter()
    mc = run_monte_carlo(model, args.iterations, args.seed)
    steps[f"Monte Carlo, {args.iterations:,} iterations"] = time.perf_counter()
    bands = bands_from_mc(mc)
    document = build_document(ReportInput(model, result, source="bloom.yaml", bands=bands))
    steps["build the document (paths, card, sensitivity)"] = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("html", "md", "xlsx"):
            Path(folder, f"bloom.{fmt}").write_bytes(render(document, fmt))
            steps[f"render {fmt}"] = time.perf_counter()
    previous = start
    for step, at in steps.items():
        print(f"{step:<48} {at - previous:7.3f} s")
        previous = at
    total = previous - start + (IMPORTED - IMPORT_START)
    print(
        f"{'total with imports (target < ' + f'{TARGET_S:g} s)':<48} {total:7.3f} s  {'OK' if total < TARGET_S else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
