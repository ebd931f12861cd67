"""A tiny inventory solved by hand, shared by the Excel tests, and a workbook mutator.

GPU embodied share (BLOOM method, design.md section 3), lifetime given in hours so the
hand calculation does not depend on the length of a year:
    150 kg CO2 eq x 1,000 h / (52,560 h x 0.85) = 150,000 / 44,676 = 3.357507 kg CO2 eq
Energy: 1,000 h x 400 W = 400 kWh; x 0.057 kg CO2 eq/kWh = 22.8 kg CO2 eq.
Total GWP = 26.157507 kg CO2 eq (training 22.8 + manufacturing 3.357507).

Sheet layout written by lca.io.excel (rows from 2):
  Parameters  A name, B amount, C unit, D distribution, E gsd, F sigma, G sd, H min, I max,
              J mode, K-O pedigree, P basic_variance, Q source, R comment
              rows: 2 gpu_hours, 3 lifetime, 4 utilisation, 5 gpu_embodied, 6 gpu_tdp
  Activities  A code, B name, C phase, D unit, E location, F production, G missing, H source
              rows: 2 gpu, 3 grid, 4 job
  Exchanges   A activity, B input, C amount, D unit, E lifetime, F utilisation,
              G distribution, H gsd, I sigma, J sd, K min, L max, M mode, ... T source
              rows: 2 gpu<-GWP, 3 grid<-GWP, 4 job<-grid, 5 job<-gpu (amortised)
  Model       A field, B value; rows: 2 name, 3 description, 4 functional_unit.activity,
              5 .amount, 6 .unit, 7 .description
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from lca.io.excel import write_inventory
from lca.model.records import Activity, Exchange, FunctionalUnit, Model, Parameter
from lca.model.uncertainty import Uncertainty

GWP_TOTAL = 150 * 1000 / (52560 * 0.85) + 400 * 0.057


def tiny_model() -> Model:
    m = Model("tiny", "a GPU job", info={"goal": "test"})
    m.add_parameter(Parameter("gpu_hours", 1000.0, "h", source="test"))
    m.add_parameter(Parameter("lifetime", 52560.0, "h", source="6 years of 8,760 h"))
    m.add_parameter(Parameter("utilisation", 0.85, ""))
    tri = Uncertainty.from_spec({"distribution": "triangular", "min": 100, "max": 330}, 150.0, "t")
    m.add_parameter(Parameter("gpu_embodied", 150.0, "kg CO2 eq", tri, "design.md section 3"))
    m.add_parameter(Parameter("gpu_tdp", 400.0, "W"))
    m.add_activity(
        Activity(
            "gpu",
            "GPU manufacturing",
            "manufacturing",
            "item",
            [Exchange("GWP", "gpu_embodied", "kg CO2 eq")],
            missing=("ADP", "PE", "WATER"),
        )
    )
    lognormal = Uncertainty.from_spec({"gsd": 1.1}, 0.057, "t")
    m.add_activity(
        Activity("grid", "electricity", None, "kWh", [Exchange("GWP", 0.057, "kg CO2 eq", lognormal)])
    )
    m.add_activity(
        Activity(
            "job",
            "training job",
            "training",
            "run",
            [
                Exchange("grid", "gpu_hours * gpu_tdp", "kWh"),
                Exchange("gpu", "gpu_hours", "h", lifetime="lifetime", utilisation="utilisation"),
            ],
        )
    )
    m.functional_unit = FunctionalUnit("job", 1.0, "run")
    return m


def tiny_workbook(
    folder: Path, name: str = "tiny.xlsx", edit: Callable[[openpyxl.Workbook], None] | None = None
) -> Path:
    """Write the tiny model as a workbook, then apply ``edit`` to it with openpyxl."""
    path = folder / name
    write_inventory(tiny_model(), path)
    if edit is not None:
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
    return path
