"""Choose the reader of an inventory by its file type."""

from __future__ import annotations

from pathlib import Path

from lca.errors import InputFileError, LcaError, Problem
from lca.model.records import Model


def load_inventory(path: str | Path) -> Model:
    """Read an inventory data file (.yaml, .yml) or workbook (.xlsx, lca's or bw2io's format);
    other types get a clear error."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from lca.io.datafile import load_model

        return _linked(load_model(path))
    if suffix == ".xlsx":
        from lca.io.bw_excel import is_brightway_workbook, load_brightway_workbook
        from lca.io.excel_read import load_workbook_model

        if is_brightway_workbook(path):  # bw2io's Excel format: no Model sheet, a Database block
            return _linked(load_brightway_workbook(path))
        return _linked(load_workbook_model(path))
    raise InputFileError(
        [Problem(str(path), f"unsupported file type '{suffix}'; expected .yaml, .yml or .xlsx")]
    )


def _linked(model: Model) -> Model:
    """Resolve links to Brightway activities when the model names its project."""
    if (model.info.get("brightway") or {}).get("project"):
        from lca.io.bw_import import link_background

        return link_background(model)
    return model


def load_checked(path: str | Path) -> Model:
    """Read an inventory and compile it once, so that its problems name this file.

    For commands that read two inventories (``lca compare``, ``lca report --compare``):
    an inconsistency found when compiling (a bad unit, a utilisation above 1...) is
    reported as an :class:`InputFileError` located at ``path``, not at the other file.
    """
    from lca.compile import build_matrices

    model = load_inventory(path)
    try:
        build_matrices(model)
    except InputFileError:
        raise
    except LcaError as exc:
        raise InputFileError([Problem(str(path), str(exc))]) from None
    return model
