"""How CodeCarbon measured each part of a run's energy, and the error each method carries.

GPU energy comes from NVIDIA's NVML power readings; CPU energy from RAPL counters where
CodeCarbon can read them, else from an estimate (half the TDP, or TDP x load); RAM energy is
always modelled from the memory size. The file does not record which CPU method was used.
Each error is a dimensionless triangular factor around 1, a parameter of the inventory
shared by the runs of one method (a systematic error), with its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.model.records import Parameter
from lca.model.uncertainty import Uncertainty

#: CPU measurement methods a reference may state (``cpu_method``).
CPU_METHODS = ("estimated", "rapl")


@dataclass(frozen=True)
class MethodError:
    """The error of one measurement method, as a dimensionless factor around 1."""

    parameter: str
    low: float
    high: float
    source: str

    def record(self) -> Parameter:
        spec = {"distribution": "triangular", "min": self.low, "max": self.high}
        return Parameter(
            self.parameter, 1.0, "", Uncertainty.from_spec(spec, 1.0, self.parameter), self.source
        )


#: Measurement error of each part of CodeCarbon's energy, by method.
METHOD_ERRORS = {
    "gpu": MethodError(
        "codecarbon_gpu_error",
        0.85,
        1.15,
        "GPU energy read from NVML: NVIDIA documents +/-5% for the power reading (NVML API reference, "
        "nvmlDeviceGetPowerUsage, Fermi and Kepler); Yang, Adamek & Armour (SC24, arXiv:2312.02741) show "
        "that A100 and H100 sample only 25% of the runtime, so bursty loads can be off by more: "
        "+/-15%, our assumption",
    ),
    "estimated": MethodError(
        "codecarbon_cpu_error",
        0.5,
        2.0,
        "CPU energy estimated by CodeCarbon without RAPL: a constant half of the CPU's TDP, or TDP x load "
        "(CodeCarbon documentation, methodology; mlco2/codecarbon issue 524); a busy CPU draws between its "
        "idle power and its TDP: a factor 2 either way, our assumption",
    ),
    "rapl": MethodError(
        "codecarbon_cpu_rapl_error",
        0.9,
        1.1,
        "CPU energy read from Intel RAPL counters (package and DRAM domains), a model-based estimate "
        "rather than a meter: +/-10%, our assumption",
    ),
    "ram": MethodError(
        "codecarbon_ram_error",
        0.5,
        2.0,
        "RAM energy modelled by CodeCarbon from the memory size (a power per GB or per module), not "
        "measured: a factor 2 either way, our assumption",
    ),
}
UTILISATION = Parameter(
    "utilisation",
    0.85,
    "",
    Uncertainty.from_spec({"distribution": "triangular", "min": 0.5, "max": 1.0}, 0.85, "utilisation"),
    "Luccioni, Viguier & Ligozat 2023 (JMLR 24(253)), section 4.1: 85% utilisation of the cluster; "
    "range 50% to 100%: our assumption",
    "share of its life the hardware is busy; the embodied share is duration / (lifetime x utilisation)",
)
