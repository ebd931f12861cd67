"""`import lca` is light: the public names are imported on first use (PEP 562)."""

import importlib
import subprocess
import sys

import lca


def test_every_public_name_resolves_and_lca_solve_stays_the_function():
    importlib.import_module("lca.solve")  # the submodule bound on the package must not hide the function

    for name in lca.__all__:
        assert getattr(lca, name) is not None, name
    assert callable(lca.solve) and lca.solve.__module__ == "lca.solve"
    assert lca.Solver.__name__ == "Solver"
    assert set(lca.__all__) <= set(dir(lca))


def test_import_lca_loads_neither_scipy_nor_pandas_nor_pint():
    code = "import sys, lca; print(sorted(m for m in ('scipy', 'pandas', 'pint', 'matplotlib') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_monte_carlo_engine_does_not_load_scipy_stats_or_pandas():
    code = (
        "import sys, lca; m = lca.bloom(); lca.monte_carlo(m, 100, seed=1); "
        "print(sorted(x for x in ('scipy.stats', 'pandas') if x in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
