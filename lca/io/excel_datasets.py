"""Workbook rows that refer to the reference datasets by name (``dataset`` columns).

The rows mirror the data file's records (:mod:`lca.data.resolve`), and are expanded by
the same functions:

- an Activities row with ``dataset`` (``grid/FR``) becomes
  :func:`~lca.data.resolve.dataset_activity` of its cells and of its own exchanges (an
  exchange on an indicator replaces the entry's factor), once the Exchanges sheet is read;
- a Parameters row with ``dataset`` and ``field`` becomes
  :func:`~lca.data.resolve.dataset_parameter`.

Each problem is put on the cell at fault (the ``dataset``, ``field`` or ``unit`` cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lca.data import catalogue
from lca.data.resolve import dataset_activity, dataset_parameter
from lca.errors import DataNotFound, LcaError
from lca.io.excel_cells import Located, Problems, Row, Sheet
from lca.io.yaml_read import ACTIVITY_FIELDS
from lca.model.records import Model, Parameter, suggest

#: Cells a Parameters row may fill beside ``dataset`` (the entry gives amount, unit, range, source).
_PARAMETER_CELLS = ("name", "dataset", "field", "comment")


@dataclass
class DatasetRow:
    """An Activities row naming a dataset: its record (as in a data file) and its place."""

    spec: dict[str, Any]
    sheet: Sheet
    row: Row

    @classmethod
    def of(cls, cells: dict[str, Any], sheet: Sheet, row: Row) -> DatasetRow:
        """The row's data-file record from its typed ``cells`` (phase, missing already read)."""
        return cls({k: cells.get(k) for k in ACTIVITY_FIELDS}, sheet, row)


def read_dataset_parameter(v: dict[str, Any], sheet: Sheet, row: Row, problems: Problems) -> Parameter | None:
    """The parameter of a Parameters row with ``dataset`` (and ``field``), or None if it fails."""
    given = [c for c in row.cells if c not in _PARAMETER_CELLS]
    for column in given:
        problems.add(
            sheet.name,
            row.cells[column].coord,
            f"'{column}' beside 'dataset': the entry gives the value, its unit, range and source; "
            "clear this cell or the dataset",
        )
    if given:
        row.ok = False
        return None
    spec = {"dataset": v["dataset"], "field": v["field"], "comment": v["comment"]}
    try:
        return dataset_parameter(v["name"], spec, f"{sheet.name}!{sheet.coord('dataset', row.number)}")
    except LcaError as exc:
        problems.add(sheet.name, sheet.coord(_column(exc), row.number), _message(exc, v["dataset"]))
        row.ok = False
        return None


def expand_datasets(
    rows: list[DatasetRow],
    exchanges: list[Located],
    model: Model,
    bad_activities: set[str],
    problems: Problems,
) -> list[DatasetRow]:
    """Replace each activity of ``rows`` in ``model`` by its expansion; return the rows expanded.

    Call it once the exchanges are attached to their activities. An activity that fails is
    added to ``bad_activities`` and the exchange rows into or out of it are marked not ok,
    so that one fault gives one line.
    """
    failed: set[str] = set()
    for d in rows:
        code = d.spec["code"]
        if not d.row.ok or code not in model.activities or code in bad_activities:
            continue
        where = f"{d.sheet.name}!{d.sheet.coord('dataset', d.row.number)}"
        try:
            model.activities[code] = dataset_activity(d.spec, model.activities[code].exchanges, where)
        except LcaError as exc:
            problems.add(
                d.sheet.name, d.sheet.coord(_column(exc), d.row.number), _message(exc, d.spec["dataset"])
            )
            d.row.ok = False
            failed.add(code)
    for r in exchanges:
        if r.record is not None and {str(r.row.value("activity")), r.record.input} & failed:
            r.row.ok = False
    bad_activities |= failed
    return [d for d in rows if d.row.ok and d.spec["code"] not in bad_activities]


def _column(exc: LcaError) -> str:
    """The column of the field a dataset problem names (the ``dataset`` cell by default)."""
    field = exc.problems[0].field if exc.problems else ""
    return field if field in ("field", "unit", "production") else "dataset"


def _message(exc: LcaError, ref: Any) -> str:
    """The error, with the closest full reference (``grid/FR``) for an unknown entry."""
    if isinstance(exc, DataNotFound):
        hint = suggest(str(ref), catalogue().names())
        if hint:
            return f"no dataset entry '{ref}'{hint} ('lca data list' prints them)"
    return exc.problems[0].describe() if exc.problems else str(exc)
