"""Excel inventory workbooks: template, import with located errors, export, results.

The public face of :mod:`lca.io.excel_layout` (sheets and columns),
:mod:`lca.io.excel_cells` (safe reading), :mod:`lca.io.excel_read` (workbook -> model)
and :mod:`lca.io.excel_write` (template, model -> workbook, results -> workbook).

Regenerate the shipped BLOOM workbook after editing ``bloom.yaml``::

    python -m lca.io.excel datasets/cases/bloom.yaml datasets/cases/bloom.xlsx

Examples
--------
>>> import tempfile, pathlib, lca
>>> path = pathlib.Path(tempfile.mkdtemp()) / "bloom.xlsx"
>>> write_inventory(lca.bloom(), path)
>>> model = load_workbook_model(path)
>>> round(lca.solve(model).total("GWP").to("t CO2 eq").magnitude, 1)  # Luccioni et al. 2023: 50.5 t
50.9
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from lca.io.excel_cells import MAX_BYTES, MAX_CELLS, MAX_ROWS
from lca.io.excel_read import load_workbook_model
from lca.io.excel_write import inventory_rows, write_inventory, write_results, write_template

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_ROWS",
    "inventory_rows",
    "load_workbook_model",
    "main",
    "write_inventory",
    "write_results",
    "write_template",
]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lca.io.excel SOURCE TARGET.xlsx``: convert an inventory to a workbook."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m lca.io.excel SOURCE(.yaml|.xlsx) TARGET.xlsx", file=sys.stderr)
        return 2
    from lca.io.loaders import load_inventory  # excel_read, not this module: no import cycle

    write_inventory(load_inventory(args[0]), args[1])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
