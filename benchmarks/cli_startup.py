"""Start-up and run times of the ``lca`` command, each in a fresh process.

Run: ``python benchmarks/cli_startup.py``. Prints the figures (median and minimum of
several runs, wall clock) and the load average; asserts nothing. Target: ``lca --help``
under 0.3 s.

* ``lca --help``: the command as installed (``python -m lca.cli --help``), which also
  imports ``lca/__init__.py``;
* ``lca --help, lca.cli alone``: the same with ``lca/__init__.py`` replaced by an empty
  package, i.e. what lca/cli.py itself costs (its top imports and the parser);
* ``python -c pass``: the interpreter's own start-up, the floor of every figure;
* ``lca run`` (BLOOM) in table and JSON form, and with 10,000 Monte Carlo iterations.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB = (
    "import sys, types; p = types.ModuleType('lca'); p.__path__ = [{path!r}]; sys.modules['lca'] = p; "
    "import lca.cli; sys.exit(lca.cli.main(['--help']))"
).format(path=str(ROOT / "lca"))
CASES = [
    ("python -c pass (interpreter floor)", ["-c", "pass"]),
    ("lca --help, lca.cli alone (empty lca/__init__)", ["-c", STUB]),
    ("lca --help", ["-m", "lca.cli", "--help"]),
    ("lca --version", ["-m", "lca.cli", "--version"]),
    ("lca run (BLOOM, table)", ["-m", "lca.cli", "run"]),
    ("lca run --format json (BLOOM)", ["-m", "lca.cli", "run", "--format", "json"]),
    (
        "lca run --iterations 10000 (parametric BLOOM)",
        [
            "-m",
            "lca.cli",
            "run",
            str(ROOT / "datasets/examples/bloom_parametric.yaml"),
            "--iterations",
            "10000",
        ],
    ),
]


def timed(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    repeat = int(os.environ.get("REPEAT", "7"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    width = max(len(label) for label, _ in CASES)
    for label, args in CASES:
        times = timed(args, repeat)
        print(f"{label:<{width}}  median {statistics.median(times):6.3f} s   min {min(times):6.3f} s")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
