"""The Database block of a Brightway Excel workbook: the functional unit, methods and indicators.

bw2io keeps every field/value row of the block as database metadata; lca reads the rows that
its own workbooks' Model sheet has (``functional_unit.activity``, ``.amount``, ``.unit``,
``.description``, ``methods``, ``indicators``), which its export writes. Without a functional
unit row, the model assesses the one activity that no other activity uses.
"""

from __future__ import annotations

from lca.errors import LcaError
from lca.io.bw_excel_blocks import Blocks
from lca.io.bw_excel_fields import CellProblem, number, text, unit_text
from lca.io.excel_cells import Problems
from lca.model.records import FunctionalUnit, Model, suggest


def model_fields(blocks: Blocks, model: Model, problems: Problems) -> None:
    """``methods`` (as a data file's) and ``indicators`` (comma-separated) into ``model.info``."""
    fields, database = blocks.database_fields, blocks.database
    assert database is not None
    if fields.get("methods", (None,))[0] is not None:
        from lca.methods import read_methods_text

        value, coord = fields["methods"]
        try:
            model.info["methods"] = {k: list(v) for k, v in read_methods_text(value, "methods").items()}
        except LcaError as exc:
            problems.add(database.sheet, coord, str(exc))
    if fields.get("indicators", (None,))[0] is not None:
        model.info["indicators"] = [c.strip() for c in text(fields["indicators"][0]).split(",") if c.strip()]


def functional_unit(
    blocks: Blocks, model: Model, activity: str | None, problems: Problems, unreadable: set[str]
) -> FunctionalUnit | None:
    """The functional unit: ``activity`` (code or name), the block's row, else the one root activity."""
    fields, database = blocks.database_fields, blocks.database
    assert database is not None
    given, coord = activity, ""
    if given is None and "functional_unit.activity" in fields:
        given, coord = fields["functional_unit.activity"]
    if given is not None:
        code = _named(model, text(given))
        if code is None:
            message = f"no activity '{given}' to assess{suggest(text(given), model.activities)}"
            if coord:
                problems.add(database.sheet, coord, message)
            else:
                problems.add_file(f"--activity: {message}")
            unreadable.add("<functional_unit>")
            return None
        amount, amount_coord = fields.get("functional_unit.amount", (None, ""))
        try:
            amount = number(amount, "functional_unit.amount")
        except CellProblem as exc:
            problems.add(database.sheet, amount_coord, exc.message)
            amount = None
        return FunctionalUnit(
            code,
            1.0 if amount is None else amount,
            unit_text(fields.get("functional_unit.unit", (None,))[0]),
            text(fields.get("functional_unit.description", (None,))[0]),
        )
    used = {e.input for a in model.activities.values() for e in a.exchanges if e.input != a.code}
    roots = [code for code in model.activities if code not in used]
    if len(roots) == 1:
        root = model.activities[roots[0]]
        return FunctionalUnit(root.code, 1.0, "", f"1 {root.unit} of {root.name}")
    problems.add(
        database.sheet,
        database.coord(),
        f"{len(roots)} activities are not used by another ({', '.join(repr(r) for r in roots[:5])}); "
        "name the one assessed: a row 'functional_unit.activity | NAME' in the Database block "
        "(or lca import brightway-excel --activity NAME)",
    )
    unreadable.add("<functional_unit>")
    return None


def _named(model: Model, given: str) -> str | None:
    """The activity whose code is ``given``, else the one whose name it is."""
    if given in model.activities:
        return given
    named = [c for c, a in model.activities.items() if a.name.lower() == given.lower()]
    return named[0] if len(named) == 1 else None
