"""``lca import codecarbon``: a starter inventory from CodeCarbon's ``emissions.csv``.

The inventory has one activity (``training`` by default, unit ``run``) that takes the
measured runs (:func:`lca.io.codecarbon_inventory.add_measured_energy`): their electricity
from the grid of their country or cloud region, the data-centre overhead when the file gives
no PUE, and the hardware the file names amortised over each run's duration. It is assessed
as it is (``lca run``); it is written only once it compiles, atomically.

Examples
--------
>>> from lca.data.paths import datasets_dir
>>> csv_file = datasets_dir().parent / "tests" / "fixtures" / "codecarbon" / "emissions_v3.csv"
>>> model, _ = starter_model(csv_file, runs=["finetune-fr"], hardware={"cpu": "EPYC-7763"})
>>> sorted(model.activities)
['grid_FR', 'hardware_EPYC-7763', 'hardware_memory-per-GB', 'training']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from lca.errors import InputFileError, LcaError, OptionError, OutputError, Problem
from lca.io.codecarbon_inventory import Added, add_measured_energy, energy_spec
from lca.io.datafile import model_to_dict
from lca.io.files import check_output_path, write_atomic
from lca.model.records import PHASES, Activity, FunctionalUnit, Model

SUFFIXES = (".yaml", ".yml", ".xlsx")


def starter_model(
    path: str | os.PathLike[str],
    *,
    runs: Sequence[str] = (),
    hardware: Mapping[str, str] | None = None,
    cpu_method: str = "estimated",
    datacenter: str | None = None,
    pue: float | None = None,
    phase: str = "training",
) -> tuple[Model, Added]:
    """The inventory of the runs of a CodeCarbon file, and the records taken from the datasets.

    Raises
    ------
    InputFileError
        Every problem of the file (file, row, column), or of what it names.
    """
    path = Path(path)
    if phase not in PHASES:
        raise OptionError(f"--phase {phase}: expected one of {', '.join(PHASES)}")
    fields = {"runs": list(runs), "hardware": dict(hardware or {}), "cpu_method": cpu_method}
    fields.update({k: v for k, v in (("datacenter", datacenter), ("pue", pue)) if v is not None})
    try:
        spec = energy_spec({"codecarbon": str(path), **fields}, Path("."), path.name)
    except LcaError as exc:  # the options, not the file
        raise OptionError(f"--{str(exc)}") from None
    spec = replace(spec, label=path.name)
    model = Model(f"CodeCarbon runs of {path.name}", f"Measured energy of the runs in {path.name}.")
    activity = model.add_activity(
        Activity(phase, f"{phase} (runs measured by CodeCarbon)", phase, "run", source=str(path.name))
    )
    added = add_measured_energy(model, activity, spec, str(path.name))
    model.functional_unit = FunctionalUnit(phase, 1, "run", f"the measured {phase} runs of {path.name}")
    model.info[f"{'training' if phase == 'training' else 'inference'}_activity"] = phase
    return model, added


def write_starter(
    path: str | os.PathLike[str], out: str | os.PathLike[str], *, force: bool = False, **options
) -> Path:
    """Write the starter inventory of ``path`` to ``out`` (``.yaml`` or ``.xlsx``).

    Nothing is written when the file has a problem or the inventory does not compile.
    Options are those of :func:`starter_model`.
    """
    from lca.compile import build_matrices

    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise OutputError(f"{out}: expected a file name ending in {', '.join(SUFFIXES)}")
    check_output_path(out, overwrite=force, inputs=[path])
    model, added = starter_model(path, **options)
    try:
        build_matrices(model)
    except LcaError as exc:  # not expected: the records come from checked data
        raise InputFileError([Problem(str(path), f"the starter inventory does not compile: {exc}")]) from None
    if out.suffix.lower() == ".xlsx":
        from lca.io.excel import write_inventory

        write_inventory(model, out)
    else:
        write_atomic(out, _yaml_text(model, added, Path(path).name).encode("utf-8"), overwrite=force)
    return out


def _yaml_text(model: Model, added: Added, source: str) -> str:
    """The data file, with the records taken from the datasets kept as references."""
    data = model_to_dict(model)
    data["activities"] = [
        {"code": a["code"], **added.activities[a["code"]]} if a["code"] in added.activities else a
        for a in data["activities"]
    ]
    data["parameters"] = {
        name: dict(added.parameters[name]) if name in added.parameters else spec
        for name, spec in data["parameters"].items()
    }
    data.get("info", {}).pop("datasets", None)  # recorded again when the file is read
    head = (
        f"# Starter inventory written by `lca import codecarbon {source}`.\n"
        "# Measured energy from CodeCarbon, the grid of each run's country or cloud region, and the\n"
        "# hardware the file names amortised over each run. Check the hardware, the utilisation and\n"
        "# the PUE; add what CodeCarbon does not see (the rest of the server, storage, network).\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
