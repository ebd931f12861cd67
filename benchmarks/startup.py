"""Start-up times of lca, each in a fresh subprocess (issue 13).

Usage::

    python benchmarks/startup.py [--runs 7]

Times ``python -c "import lca"``, ``lca --help`` and ``lca run datasets/cases/bloom.yaml``
(no iterations: load, compile, solve, print), wall clock from process start to exit, and
prints the median and the fastest of ``--runs`` runs, then one ``key=value`` summary line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(command: list[str]) -> float:
    """Seconds from start to exit of ``command`` (its output discarded; it must succeed)."""
    t = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    lca_command = shutil.which("lca") or str(Path(sys.executable).with_name("lca"))
    commands = {
        "python_s": [sys.executable, "-c", "pass"],
        "import_lca_s": [sys.executable, "-c", "import lca"],
        "help_s": [lca_command, "--help"],
        "run_bloom_s": [lca_command, "run", str(ROOT / "datasets" / "cases" / "bloom.yaml")],
    }
    print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    summary = []
    for key, command in commands.items():
        wall(command)  # warm the file cache
        times = sorted(wall(command) for _ in range(args.runs))
        median = statistics.median(times)
        print(
            f"{key:14s} median {median:.3f} s, fastest {times[0]:.3f} s over {args.runs} runs: {' '.join(command[-2:])}"
        )
        summary.append(f"{key}={median:.3f}")
    print("startup " + " ".join(summary) + f" load={os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
