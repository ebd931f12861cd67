"""lca: life-cycle assessment of AI models.

Build or load an inventory, compile it to matrices, solve, report:

>>> import lca
>>> model = lca.load(lca.datasets_dir() / "cases" / "bloom.yaml")  # or lca.bloom()
>>> result = lca.solve(model)
>>> list(result.phase_table().index)
['manufacturing', 'training', 'deployment', 'total']

BLOOM's GWP by hand (Luccioni et al. 2023 inputs): 3,636.15 + 7,575.31 kg embodied,
24,692.17 + 14,628.82 kg training energy, 360.12 kg deployment = 50,892.56 kg.

>>> round(result.total("GWP").to("t CO2 eq").magnitude, 1)
50.9
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lca._version import __version__

# The public names and the module that holds each: imported on first use (PEP 562), so that
# `import lca` and `lca --help` do not load SciPy, pint and pandas before they are needed.
_EXPORTS = {
    "Matrices": "lca.compile",
    "build_matrices": "lca.compile",
    "DataNotFound": "lca.errors",
    "FormulaError": "lca.errors",
    "InputFileError": "lca.errors",
    "InventoryError": "lca.errors",
    "LcaError": "lca.errors",
    "OutputError": "lca.errors",
    "UncertaintyError": "lca.errors",
    "UnitError": "lca.errors",
    "Indicator": "lca.indicators",
    "default_indicators": "lca.indicators",
    "get_indicator": "lca.indicators",
    "register_indicator": "lca.indicators",
    "PHASES": "lca.model",
    "Activity": "lca.model",
    "Exchange": "lca.model",
    "Flow": "lca.model",
    "FunctionalUnit": "lca.model",
    "Model": "lca.model",
    "Parameter": "lca.model",
    "Result": "lca.solve",
    "Solver": "lca.solve",
    "solve": "lca.solve",
    "monte_carlo": "lca.uncertainty.propagation",
    "MonteCarloResult": "lca.uncertainty.results",
    "Q_": "lca.units",
    "ureg": "lca.units",
}

if TYPE_CHECKING:
    from lca.compile import Matrices, build_matrices
    from lca.errors import (
        DataNotFound,
        FormulaError,
        InputFileError,
        InventoryError,
        LcaError,
        OutputError,
        UncertaintyError,
        UnitError,
    )
    from lca.indicators import Indicator, default_indicators, get_indicator, register_indicator
    from lca.model import PHASES, Activity, Exchange, Flow, FunctionalUnit, Model, Parameter
    from lca.solve import Result, Solver, solve
    from lca.uncertainty.propagation import monte_carlo
    from lca.uncertainty.results import MonteCarloResult
    from lca.units import Q_, ureg


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lca' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


class _Package(types.ModuleType):
    """Keeps ``lca.solve`` the function once the submodule :mod:`lca.solve` is imported.

    The import system binds a submodule as an attribute of its package; for a public name
    that is also a submodule's name, the package keeps the public object.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _EXPORTS and value.__name__ == f"lca.{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def datasets_dir() -> Path:
    """The folder of the shipped datasets (``datasets/`` of the source tree or the wheel)."""
    from lca.data.paths import datasets_dir as _datasets_dir

    return _datasets_dir()


def load(path: str | Path) -> Model:
    """Load an inventory from a data file (``.yaml``/``.yml``) or a workbook (``.xlsx``)."""
    from lca.io.loaders import load_inventory

    return load_inventory(path)


def bloom() -> Model:
    """The shipped default case: BLOOM training and deployment (Luccioni et al. 2023)."""
    return load(datasets_dir() / "cases" / "bloom.yaml")


__all__ = [
    "PHASES",
    "Activity",
    "DataNotFound",
    "Exchange",
    "Flow",
    "FormulaError",
    "FunctionalUnit",
    "Indicator",
    "InputFileError",
    "InventoryError",
    "LcaError",
    "Matrices",
    "Model",
    "MonteCarloResult",
    "OutputError",
    "Parameter",
    "Q_",
    "Result",
    "Solver",
    "UncertaintyError",
    "UnitError",
    "__version__",
    "bloom",
    "build_matrices",
    "datasets_dir",
    "default_indicators",
    "get_indicator",
    "load",
    "monte_carlo",
    "register_indicator",
    "solve",
    "ureg",
]
