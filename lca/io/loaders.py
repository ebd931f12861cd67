"""Choose the reader of an inventory by its file type."""

from __future__ import annotations

from pathlib import Path

from lca.errors import InputFileError, Problem
from lca.inventory import Model


def load_inventory(path: str | Path) -> Model:
    """Read an inventory data file (.yaml, .yml) or workbook (.xlsx); other types get a clear error."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from lca.io.datafile import load_model

        return load_model(path)
    if suffix == ".xlsx":
        from lca.io.excel import load_workbook_model

        return load_workbook_model(path)
    raise InputFileError(
        [Problem(str(path), f"unsupported file type '{suffix}'; expected .yaml, .yml or .xlsx")]
    )
