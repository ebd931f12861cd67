"""Brightway 2.5 projects: open one by name, set up the biosphere and the packaged methods.

bw2data is imported only when a function here is called. Where projects live is
bw2data's choice: ``BRIGHTWAY2_DIR`` when set (tests point it at a temporary folder),
else the user's data folder.

``bw2io.bw2setup()`` of bw2io 0.9.17 on bw2data 4.8 creates biosphere3 and then fails on
the methods (``Can't understand elementary flow identifier ['biosphere3', '...']``: the
packaged method data give flow keys as lists, which bw2data 4.8 refuses).
:func:`setup_project` does the same setup with the keys as tuples.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from lca.errors import DataNotFound, LcaError
from lca.methods import MethodName, _packaged_categories


def brightway() -> Any:
    """The ``bw2data`` module, or an error that says how to install it."""
    try:
        import bw2data
    except ImportError:
        raise LcaError("Brightway interop needs bw2data: pip install 'lca[brightway]'") from None
    return bw2data


def open_project(name: str, create: bool = False) -> Any:
    """Make ``name`` bw2data's current project; an unknown name suggests the closest.

    Raises
    ------
    DataNotFound
        ``name`` is not a project and ``create`` is False.
    """
    bd = brightway()
    known = [p.name for p in bd.projects]
    if name not in known and not create:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataNotFound(
            f"Brightway project '{name}' does not exist{hint} (projects in {bd.projects._base_data_dir}: "
            f"{', '.join(sorted(known)) or 'none'})"
        )
    if bd.projects.current != name:  # bw2data's switch runs gc.collect twice (seconds)
        bd.projects.set_current(name)
    return bd


def check_database(name: str) -> None:
    """An unknown database of the current project is an error with the closest name."""
    bd = brightway()
    if name not in bd.databases:
        known = list(bd.databases)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataNotFound(
            f"Brightway project '{bd.projects.current}' has no database '{name}'{hint} "
            f"(databases: {', '.join(sorted(known)) or 'none'})"
        )


def setup_project(name: str, methods: Iterable[MethodName] | None = None) -> Any:
    """Create (or open) project ``name`` with biosphere3 and the packaged methods.

    Parameters
    ----------
    name : str
        The project.
    methods : iterable of method names, optional
        The categories to install (default: all 762, about a minute); tests install few.
    """
    bd = open_project(name, create=True)
    if "biosphere3" not in bd.databases:
        from bw2io import create_default_biosphere3

        create_default_biosphere3()
    install_methods(methods)
    return bd


def install_methods(names: Iterable[MethodName] | None = None) -> int:
    """Write packaged method categories to the current project; returns how many were new.

    The packaged data (bw2io's ``lcia_39_ecoinvent.zip``) give each flow as a list
    ``["biosphere3", uuid]``; bw2data wants a tuple key, so each is converted here.
    """
    bd = brightway()
    packaged = _packaged_categories()
    wanted = list(packaged) if names is None else [tuple(n) for n in names]
    written = 0
    for name in wanted:
        if name in bd.methods:
            continue
        if name not in packaged:
            raise DataNotFound(f"impact method {list(name)} is not packaged in bw2io")
        unit, exchanges = packaged[name]
        method = bd.Method(name)
        method.register(unit=unit, filename="lcia_39_ecoinvent.zip", description="")
        method.write([(tuple(cf["input"]), float(cf["amount"])) for cf in exchanges])
        written += 1
    return written
