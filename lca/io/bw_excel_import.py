"""``lca import brightway-excel``: a Brightway Excel workbook (bw2io's format) as an lca inventory.

The workbook is read by :func:`lca.io.bw_excel.load_brightway_workbook` (every problem at
its cell), compiled once (links to other Brightway databases resolved in ``project``), and
only then written, atomically, as a data file (``.yaml``) or an lca workbook (``.xlsx``).
Links stay links in the file, which names the project (``brightway: {project: P}``), so the
background is read again from the project each time the inventory is assessed.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from lca.errors import InputFileError, LcaError, OutputError, Problem
from lca.io.bw_excel import load_brightway_workbook
from lca.io.files import check_output_path
from lca.model.records import Model, is_link

SUFFIXES = (".yaml", ".yml", ".xlsx")


def import_workbook(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    activity: str | None = None,
    project: str | None = None,
    force: bool = False,
) -> tuple[Path, list[str]]:
    """Write the inventory of the workbook ``path`` to ``out``; returns it and notes for the user.

    Raises
    ------
    InputFileError
        A problem of the workbook (at its cell), or of what it links to.
    OutputError
        ``out`` cannot be written (see :func:`lca.io.files.check_output_path`).
    """
    from lca.compile import build_matrices

    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise OutputError(f"{out}: expected a file name ending in {', '.join(SUFFIXES)}")
    check_output_path(out, overwrite=force, inputs=[path])
    model = load_brightway_workbook(path, activity)
    label = Path(path).name
    databases = sorted(
        {_database(e.input) for a in model.activities.values() for e in a.exchanges if is_link(e.input)}
    )
    compiled = model
    if databases:
        if not project:
            raise InputFileError(
                [
                    Problem(
                        label,
                        f"the workbook links to Brightway database(s) {', '.join(databases)}; name the "
                        "project they are in with --project NAME",
                    )
                ]
            )
        from lca.io.bw_import import link_background

        model.info["brightway"] = {"project": project}
        compiled = link_background(copy.deepcopy(model), project)
    try:
        build_matrices(compiled)
    except LcaError as exc:
        raise InputFileError([Problem(label, f"the inventory does not compile: {exc}")]) from None
    if out.suffix.lower() == ".xlsx":
        from lca.io.excel import write_inventory

        write_inventory(model, out)
    else:
        from lca.io.datafile import dump_model

        dump_model(model, out)
    return out, _notes(model)


def _database(link: str) -> str:
    from lca.io.bw_links import link_spec

    return link_spec(link)["database"]


def _notes(model: Model) -> list[str]:
    own = [f.code for f in model.flows.values() if not f.is_elementary and not f.factors]
    notes = []
    if own:
        notes.append(
            f"{len(own)} flow(s) of the workbook's own database have no characterisation factors "
            f"({', '.join(own[:5])}): Brightway's methods name them; give them factors in the inventory "
            "(flows: {code, ..., factors: {GWP: 1}}) or they count for nothing"
        )
    return notes
