"""CodeCarbon runs as inventory records: measured electricity, the grid of the run, hardware.

An activity of an inventory may take its electricity from CodeCarbon's ``emissions.csv``::

    - code: finetune
      phase: training
      unit: run
      energy:
        codecarbon: runs/emissions.csv   # relative to the inventory
        runs: [finetune-fr]              # run ids or project names (default: every run)
        hardware: {cpu: EPYC-7763}       # entries for models the file names unclearly; none: leave out
        cpu_method: estimated            # estimated (CodeCarbon's TDP/load fallback) or rapl
        datacenter: hyperscale           # PUE entry when the file gives none (or pue: 1.3)

For each run, :func:`add_measured_energy` adds to the model (records of the same name already
there are used as they are, so an inventory can override any of them):

* parameters ``<run>_energy`` (``energy_consumed``, kWh), ``<run>_cpu_energy``... and
  ``<run>_electricity = <run>_energy + sum(part x (error - 1))``: the measured kWh at the
  central value, each part varied by the error of its measurement method
  (:data:`METHOD_ERRORS`);
* an exchange of that electricity from the grid of the run's country or cloud region
  (:mod:`lca.places`), taken from the datasets; and, when the file gives no PUE (CodeCarbon's
  default 1.0), a second one for the data-centre overhead ``electricity x (PUE - 1)``;
* the GPUs, CPU and memory named in the file, matched to hardware entries
  (:func:`match_hardware`) and amortised over the run's duration:
  ``duration x count / (lifetime x utilisation)`` items, in the manufacturing phase.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lca import places
from lca.data import catalogue
from lca.data.records import Entry
from lca.data.resolve import dataset_activity, dataset_parameter
from lca.errors import DataNotFound, InputFileError, LcaError, Problem
from lca.io.codecarbon import Run, read_runs, select_runs
from lca.io.codecarbon_hardware import gpu_models, match_hardware
from lca.io.codecarbon_methods import CPU_METHODS, METHOD_ERRORS, UTILISATION
from lca.model.records import Activity, Exchange, Model, Parameter, suggest

_SPEC_KEYS = {"codecarbon", "runs", "hardware", "cpu_method", "cpu_sockets", "datacenter", "pue", "grid"}


@dataclass(frozen=True)
class EnergySpec:
    """What an inventory's ``energy`` field (or ``lca import codecarbon``) asks for."""

    file: Path
    runs: tuple[str, ...] = ()
    hardware: Mapping[str, str] = field(default_factory=dict)
    cpu_method: str = "estimated"
    cpu_sockets: int = 1
    datacenter: str | None = None
    pue: float | None = None
    grid: str | None = None
    label: str = ""


@dataclass
class Added:
    """Records taken from the datasets, so that a writer can keep them as references."""

    activities: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> {dataset, phase}
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {dataset, field}


def energy_spec(spec: Any, folder: Path, where: str) -> EnergySpec:
    """Parse the ``energy`` field of an activity (a mapping, or the file's path alone)."""
    if isinstance(spec, str):
        spec = parse_cell(spec)
    if not isinstance(spec, Mapping) or not spec.get("codecarbon"):
        raise LcaError("expected {codecarbon: FILE, runs: [...]}, FILE relative to the inventory")
    unknown = sorted(str(k) for k in spec if k not in _SPEC_KEYS)
    if unknown:
        raise LcaError(
            f"unknown field(s) {', '.join(unknown)}; expected some of {', '.join(sorted(_SPEC_KEYS))}"
        )
    runs = spec.get("runs") or ()
    runs = (runs,) if isinstance(runs, str) else runs
    hardware = spec.get("hardware") or {}
    if not isinstance(runs, list | tuple) or not isinstance(hardware, Mapping):
        raise LcaError("runs: expected a list of run ids or project names; hardware: {gpu: NAME, cpu: NAME}")
    method = str(spec.get("cpu_method") or "estimated")
    if method not in CPU_METHODS:
        raise LcaError(
            f"cpu_method '{method}' is not one of {', '.join(CPU_METHODS)}{suggest(method, CPU_METHODS)}"
        )
    pue = spec.get("pue")
    if pue is not None and (isinstance(pue, bool) or not isinstance(pue, int | float) or pue < 1):
        raise LcaError(f"pue {pue!r}: expected a number >= 1 (facility / IT energy)")
    sockets = spec.get("cpu_sockets", 1)
    if isinstance(sockets, bool) or not isinstance(sockets, int) or sockets < 1:
        raise LcaError(f"cpu_sockets {sockets!r}: expected a whole number >= 1")
    path = Path(str(spec["codecarbon"]))
    return EnergySpec(
        file=path if path.is_absolute() else folder / path,
        runs=tuple(str(r) for r in runs),
        hardware={str(k): str(v) for k, v in hardware.items()},
        cpu_method=method,
        cpu_sockets=sockets,
        datacenter=None if spec.get("datacenter") is None else str(spec["datacenter"]),
        pue=None if pue is None else float(pue),
        grid=None if spec.get("grid") is None else str(spec["grid"]),
        label=str(spec["codecarbon"]),
    )


def energy_items(records: Sequence[Any], label: str) -> list[tuple[str, Any, str]]:
    """(activity code, ``energy`` field, place) of each data-file record that has one."""
    return [
        (str(r.get("code")), r["energy"], f"{label}, activities.{r.get('code')}.energy")
        for r in records
        if isinstance(r, Mapping) and "energy" in r
    ]


def expand_energy(
    model: Model, items: Sequence[tuple[str, Any, str]], folder: Path, problems: list[Problem]
) -> Added:
    """The readers' hook: each (activity code, ``energy`` field, place) gets its measured runs.

    The field is a mapping (data file) or a cell text (workbook, :func:`parse_cell`). Problems
    go to ``problems``: those of the CodeCarbon file located in it (file, row, column), the
    others at the field's place.
    """
    added = Added()
    for code, field_value, where in items:
        activity = model.activities.get(code)
        if activity is None:  # the activity itself was refused: its problem is listed
            continue
        try:
            spec = energy_spec(field_value, folder, where)
            add_measured_energy(model, activity, spec, where, added)
        except InputFileError as exc:
            problems.extend(exc.problems)
        except LcaError as exc:
            problems.append(Problem(where, str(exc)))
    return added


def parse_cell(text: str) -> dict[str, Any]:
    """A workbook ``energy`` cell: ``FILE`` or ``FILE; runs: a, b; cpu: EPYC-7763; pue: 1.2``.

    >>> spec = parse_cell("runs/emissions.csv; runs: finetune-fr, eval; cpu: EPYC-7763; pue: 1.2")
    >>> spec["codecarbon"], spec["runs"], spec["hardware"], spec["pue"]
    ('runs/emissions.csv', ['finetune-fr', 'eval'], {'cpu': 'EPYC-7763'}, 1.2)
    """
    path, *pairs = [part.strip() for part in str(text).split(";")]
    spec: dict[str, Any] = {"codecarbon": path}
    for pair in pairs:
        key, colon, value = (x.strip() for x in pair.partition(":"))
        if not colon:
            raise LcaError(f"'{pair}' is not 'key: value'; expected FILE; runs: a, b; cpu: NAME...")
        if key in ("gpu", "cpu", "memory"):
            spec.setdefault("hardware", {})[key] = value
        elif key == "runs":
            spec["runs"] = [r.strip() for r in value.split(",") if r.strip()]
        elif key in ("pue", "cpu_sockets"):
            try:
                spec[key] = int(value) if key == "cpu_sockets" else float(value)
            except ValueError:
                raise LcaError(f"{key} '{value}' is not a number") from None
        else:
            spec[key] = value
    return spec


def add_measured_energy(
    model: Model, activity: Activity, spec: EnergySpec, where: str, added: Added | None = None
) -> Added:
    """Add the runs of ``spec`` to ``activity``: electricity, overhead and hardware (module doc).

    Raises
    ------
    InputFileError
        Every problem of the runs: the file's own (file, row, column), an unknown country or
        region, hardware that matches no entry.
    """
    added = added if added is not None else Added()
    runs = select_runs(read_runs(spec.file, spec.label or str(spec.file)), spec.runs, where)
    names = _run_names(runs, model)
    problems: list[Problem] = []
    for run in runs:
        try:
            _add_run(model, activity, run, names[run.run_id], spec, added)
        except InputFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputFileError(problems)
    _record_references(model, added)
    return added


def _record_references(model: Model, added: Added) -> None:
    """List the dataset entries used in ``model.info["datasets"]``, as the readers do."""
    refs = {a["dataset"] for a in added.activities.values()} | {
        p["dataset"] for p in added.parameters.values()
    }
    if refs:
        known = model.info.get("datasets", {}).get("entries", [])
        model.info["datasets"] = {"version": catalogue().version, "entries": sorted({*known, *refs})}


def _add_run(model: Model, activity: Activity, run: Run, name: str, spec: EnergySpec, added: Added) -> None:
    grid = _grid_of(run, spec)
    hardware = _hardware_of(run, spec)  # both checked before anything is added
    source = (
        f"CodeCarbon {run.codecarbon_version or '(version not given)'} {run.file}, row {run.row}, {run.label}"
    )
    parts = {"cpu": run.cpu_energy, "gpu": run.gpu_energy, "ram": run.ram_energy}
    _parameter(
        model, Parameter(f"{name}_energy", run.energy_consumed, "kWh", None, f"{source}: energy_consumed")
    )
    terms = [f"{name}_energy"]
    for part, kwh in parts.items():
        if kwh == 0:
            continue
        error = METHOD_ERRORS[spec.cpu_method if part == "cpu" else part]
        _parameter(model, error.record())
        _parameter(model, Parameter(f"{name}_{part}_energy", kwh, "kWh", None, f"{source}: {part}_energy"))
        terms.append(f"{name}_{part}_energy * ({error.parameter} - 1)")
    with_pue = f"including the PUE {run.pue:g} given to CodeCarbon" if run.pue != 1 else "IT energy"
    _parameter(
        model,
        Parameter(
            f"{name}_electricity",
            " + ".join(terms),
            "kWh",
            source=source,
            comment=f"measured by CodeCarbon ({with_pue}); each part varies by its method's error",
        ),
    )
    grid_code = _dataset_activity(model, f"grid_{grid}", f"grid/{grid}", None, added)
    location = ", ".join(x for x in (run.cloud_provider, run.cloud_region, run.region) if x)
    activity.exchanges.append(
        Exchange(
            grid_code, f"{name}_electricity", "kWh", source=source, comment=f"measured; {location or grid}"
        )
    )
    if run.pue == 1:
        pue = _pue_parameter(model, run, name, spec, added)
        activity.exchanges.append(
            Exchange(
                grid_code,
                f"{name}_electricity * ({pue} - 1)",
                "kWh",
                source=model.parameters[pue].source,
                comment="data-centre overhead: IT energy x (PUE - 1); the file gives no PUE",
            )
        )
    if hardware:
        _parameter(model, Parameter(f"{name}_duration", run.duration, "s", None, f"{source}: duration"))
        _parameter(model, UTILISATION)
    for entry, count, unit in hardware:
        code = _dataset_activity(model, f"hardware_{entry.name}", entry.ref, "manufacturing", added)
        lifetime = f"lifetime_{_identifier(entry.name)}"
        if lifetime not in model.parameters:
            model.add_parameter(
                dataset_parameter(lifetime, {"dataset": entry.ref, "field": "lifetime"}, lifetime)
            )
            added.parameters[lifetime] = {"dataset": entry.ref, "field": "lifetime"}
        comment = f"{entry.description}: amortised over the run's duration"
        if unit == "GB":  # a share of the memory's GB: the same amortisation, written out
            _parameter(
                model,
                Parameter(f"{name}_memory", run.ram_total_size, "GB", None, f"{source}: ram_total_size"),
            )
            amount = f"{name}_duration * {name}_memory / ({lifetime} * utilisation)"
            activity.exchanges.append(Exchange(code, amount, "GB", source=source, comment=comment))
            continue
        activity.exchanges.append(
            Exchange(
                code,
                f"{name}_duration * {count:g}",
                unit,
                lifetime=lifetime,
                utilisation="utilisation",
                source=source,
                comment=comment,
            )
        )


def _grid_of(run: Run, spec: EnergySpec) -> str:
    try:
        if spec.grid:
            return catalogue().get("grid", spec.grid).name
        if run.cloud_provider and run.cloud_region:
            return places.grid_of_cloud(run.cloud_provider, run.cloud_region)
        return places.grid_of_country(run.country_iso_code)
    except DataNotFound as exc:
        column = "cloud_region" if run.cloud_provider and run.cloud_region else "country_iso_code"
        raise InputFileError([Problem(run.where(column), str(exc))]) from None


def _hardware_of(run: Run, spec: EnergySpec) -> list[tuple[Entry, float, str]]:
    """(entry, count, unit of the use time) of each piece of hardware to amortise.

    A part that used energy must be named (in the file or the spec) or left out knowingly
    (``none``): hardware is never dropped silently.
    """
    found: list[tuple[Entry, float, str]] = []
    problems: list[Problem] = []
    wanted = [("gpu", model, count, "gpu_model") for model, count in gpu_models(run.gpu_model, run.gpu_count)]
    if not wanted and (run.gpu_energy > 0 or run.gpu_count > 0):
        wanted.append(("gpu", "", run.gpu_count, "gpu_model"))
    if run.cpu_model or run.cpu_energy > 0 or spec.hardware.get("cpu"):
        wanted.append(("cpu", run.cpu_model, spec.cpu_sockets, "cpu_model"))
    for kind, text, count, column in wanted:
        given = spec.hardware.get(kind)
        if given == "none":
            continue
        if not text and not given:
            problems.append(
                Problem(
                    run.where(column),
                    f"empty, but the run used {kind.upper()} energy; name the hardware entry "
                    f"(hardware: {{{kind}: NAME}}, or --{kind} NAME), or leave it out ({kind}: none)",
                )
            )
            continue
        if not count:
            problems.append(Problem(run.where("gpu_count"), "empty or 0, but the run used GPU energy"))
            continue
        try:
            entry = catalogue().get("hardware", given) if given else match_hardware(text, kind)
        except DataNotFound as exc:
            problems.append(Problem(run.where(column), str(exc)))
            continue
        found.append((entry, count, "h"))
    if run.ram_total_size > 0 and spec.hardware.get("memory") != "none":
        found.append((catalogue().get("hardware", spec.hardware.get("memory") or "memory-per-GB"), 1, "GB"))
    if problems:
        raise InputFileError(problems)
    return found


def _pue_parameter(model: Model, run: Run, name: str, spec: EnergySpec, added: Added) -> str:
    if spec.pue is not None:  # the run's own: two references may give two PUEs
        _parameter(model, Parameter(f"{name}_pue", spec.pue, "", None, "given in the energy reference"))
        return f"{name}_pue"
    kind = spec.datacenter or ("hyperscale" if run.cloud_provider else "enterprise")
    entry = catalogue().get("datacenter", kind)
    shared = f"pue_{_identifier(entry.name)}"
    if shared not in model.parameters:
        model.add_parameter(dataset_parameter(shared, {"dataset": entry.ref, "field": "pue"}, shared))
        added.parameters[shared] = {"dataset": entry.ref, "field": "pue"}
    return shared


def _dataset_activity(model: Model, code: str, ref: str, phase: str | None, added: Added) -> str:
    if code not in model.activities:
        record = {"code": code, "dataset": ref, "phase": phase}
        model.add_activity(dataset_activity(record, [], code))
        added.activities[code] = {k: v for k, v in record.items() if v is not None}
    return code


def _parameter(model: Model, parameter: Parameter) -> None:
    if parameter.name not in model.parameters:  # one defined by the inventory wins
        model.add_parameter(parameter)


def _run_names(runs: Sequence[Run], model: Model) -> dict[str, str]:
    """A formula-safe name per run: its project name, with its run id when that is taken.

    Taken means used by another run of this file, or by the parameters of a run of another
    file (or a record of the inventory) already in ``model``: two runs never share records.
    """
    projects = [r.project_name for r in runs]
    used: set[str] = set()
    names = {}
    for run in runs:
        unique = run.project_name and projects.count(run.project_name) == 1
        candidates = [run.project_name] if unique else []
        candidates += [f"{run.project_name}_{run.run_id[:8]}", f"{run.project_name}_{run.run_id}"]
        for base in candidates:
            name = _identifier(base)
            taken = model.parameters.get(f"{name}_energy")
            if name not in used and (
                taken is None or run.run_id in taken.source and run.file in taken.source
            ):
                break
        used.add(name)
        names[run.run_id] = name
    return names


def _identifier(text: str) -> str:
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "run"
    return name if name[0].isalpha() else f"run_{name}"
