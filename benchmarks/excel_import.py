"""Time the import of an inventory workbook with 10,000 exchanges (target: under 3 s).

The workbook: 20 parameters, 1,000 activities (in phases, plus background grid mixes),
10 exchanges each: numbers with units and uncertainty, formulas over parameters, and
amortised hardware with lifetime and utilisation. It is written with lca.io.excel and read
back with the full validation (cells, records, units, formulas) that ``lca run`` does.

    python benchmarks/excel_import.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from lca.io.excel import load_workbook_model, write_inventory
from lca.model.records import PHASES, Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import Uncertainty

N_ACTIVITIES, PER_ACTIVITY = 1_000, 10


def build_model() -> Model:
    model = Model("benchmark")
    for k in range(20):
        model.add_parameter(Parameter(f"hours_{k}", 100.0 + k, "h", source="benchmark"))
    model.add_parameter(Parameter("lifetime", 6, "year"))
    model.add_parameter(Parameter("utilisation", 0.85))
    model.add_parameter(Parameter("power", 400, "W"))
    spread = Uncertainty.from_spec({"gsd": 1.2}, 0.05, "benchmark")
    flows = [("GWP", 0.05, "kg CO2 eq"), ("ADP", 4.9e-8, "kg Sb eq"), ("PE", 11.3, "MJ"), ("WATER", 3.7, "L")]
    for g in range(10):
        factors = [Exchange(*flows[k % 4], spread if k == 0 else None) for k in range(PER_ACTIVITY)]
        model.add_activity(Activity(f"grid_{g}", f"grid {g}", None, "kWh", factors))
    for j in range(N_ACTIVITIES - 10):
        exchanges = [Exchange("GWP", 1.0 + j % 7, "kg CO2 eq")]
        while len(exchanges) < PER_ACTIVITY:
            n = len(exchanges)
            if n % 3 == 0 and j > 0:
                exchanges.append(
                    Exchange(
                        f"act_{j - 1}", f"hours_{n}", "h", lifetime="lifetime", utilisation="utilisation"
                    )
                )
            elif n % 3 == 1:
                exchanges.append(Exchange(f"grid_{n}", f"hours_{n} * power", "kWh"))
            else:
                exchanges.append(Exchange(f"grid_{n}", 12.5 + n, "MWh", spread if n % 2 else None))
        model.add_activity(Activity(f"act_{j}", f"activity {j}", PHASES[j % len(PHASES)], "item", exchanges))
    model.functional_unit = FunctionalUnit(f"act_{N_ACTIVITIES - 11}", 1, "item")
    return model


def main() -> None:
    model = build_model()
    n_exchanges = sum(len(a.exchanges) for a in model.activities.values())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "benchmark.xlsx"
        write_inventory(model, path)
        size = path.stat().st_size
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            loaded = load_workbook_model(path)
            timings.append(time.perf_counter() - start)
    assert sum(len(a.exchanges) for a in loaded.activities.values()) == n_exchanges
    print(f"workbook: {n_exchanges} exchanges, {len(model.activities)} activities, {size / 1024:.0f} KiB")
    print(
        f"import (read + full validation): best {min(timings):.2f} s, "
        f"worst {max(timings):.2f} s (target < 3 s)"
    )


if __name__ == "__main__":
    main()
