"""CodeCarbon's ``emissions.csv``: one measured run per row, read into :class:`Run` records.

CodeCarbon (https://codecarbon.io) writes one row per tracked run. The columns read here are
those of CodeCarbon 2.x and 3.x (3.x adds ``water_consumed``, utilisation columns and
``wue``); energies are in kWh, the duration in seconds, and ``energy_consumed`` is the sum of
``cpu_energy``, ``gpu_energy`` and ``ram_energy``, each already multiplied by the ``pue``
given to the tracker (CodeCarbon's default PUE is 1.0). ``country_iso_code`` is ISO 3166-1
alpha-3.

Every problem is located as ``file, row N, column NAME`` (row 1 is the header, as a
spreadsheet numbers it) and all are reported at once in an :class:`InputFileError`.

Examples
--------
>>> from lca.data.paths import datasets_dir
>>> folder = datasets_dir().parent / "tests" / "fixtures" / "codecarbon"
>>> runs = read_runs(folder / "emissions_v3.csv")
>>> [r.project_name for r in runs]
['finetune-fr', 'finetune-fr-pue', 'eval-gcp']
>>> runs[1].pue, runs[1].country_iso_code, runs[1].row
(1.2, 'FRA', 3)
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lca.errors import InputFileError, Problem
from lca.io.files import file_problem

#: Columns every CodeCarbon 2.x and 3.x file has that the assessment needs.
REQUIRED = (
    "run_id",
    "project_name",
    "duration",
    "cpu_energy",
    "gpu_energy",
    "ram_energy",
    "energy_consumed",
    "country_iso_code",
)
#: Energies in kWh, each >= 0.
ENERGIES = ("cpu_energy", "gpu_energy", "ram_energy", "energy_consumed")
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Run:
    """One CodeCarbon run (one row of ``emissions.csv``).

    Energies are in kWh and include the PUE CodeCarbon was given (``pue``); ``duration``
    is in seconds. Text fields are empty when the file leaves them empty.
    """

    file: str
    row: int
    run_id: str
    project_name: str
    timestamp: str
    duration: float
    cpu_energy: float
    gpu_energy: float
    ram_energy: float
    energy_consumed: float
    country_iso_code: str
    country_name: str = ""
    region: str = ""
    cloud_provider: str = ""
    cloud_region: str = ""
    cpu_model: str = ""
    gpu_model: str = ""
    gpu_count: int = 0
    ram_total_size: float = 0.0
    pue: float = 1.0
    codecarbon_version: str = ""

    def where(self, column: str) -> str:
        """``file, row N, column NAME``: the place of one cell of this run."""
        return f"{self.file}, row {self.row}, column {column}"

    @property
    def label(self) -> str:
        """``project_name (run id)``, for sources and messages."""
        return f"{self.project_name or 'run'} ({self.run_id})"


def read_runs(path: str | os.PathLike[str], label: str | None = None) -> list[Run]:
    """Read every run of a CodeCarbon ``emissions.csv``.

    Parameters
    ----------
    path : path
        The file CodeCarbon wrote.
    label : str, optional
        How problems name the file (default: the path as given).

    Raises
    ------
    InputFileError
        Every problem, each located ``file, row N, column NAME``: a missing file, an empty
        one, missing columns, a cell that is not a number, a negative energy, an
        ``energy_consumed`` that is not the sum of its parts, a PUE below 1, a run id twice.
    """
    path = Path(path)
    name = label or str(path)
    problem = file_problem(path)
    if problem:
        raise InputFileError([Problem(name, problem)])
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError([Problem(name, f"file is larger than {MAX_BYTES // 2**20} MiB")])
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            table = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputFileError([Problem(name, f"cannot be read as a UTF-8 CSV file ({reason})")]) from None
    if not table or not any(cell.strip() for cell in table[0]):
        raise InputFileError([Problem(name, "empty file; expected CodeCarbon's header and one row per run")])
    header = [cell.strip() for cell in table[0]]
    lacking = [c for c in REQUIRED if c not in header]
    if lacking:
        raise InputFileError(
            [
                Problem(
                    f"{name}, row 1",
                    f"missing column(s) {', '.join(lacking)}; expected a CodeCarbon emissions.csv "
                    f"(columns {', '.join(REQUIRED)}...)",
                )
            ]
        )
    problems: list[Problem] = []
    runs: list[Run] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(f"{name}, row {number}", f"{len(cells)} cells, but the header has {len(header)}")
            )
            continue
        run = _run(dict(zip(header, (c.strip() for c in cells), strict=True)), name, number, problems)
        if run is not None:
            runs.append(run)
    if not runs and not problems:
        problems.append(Problem(f"{name}, row 2", "no runs: the file has a header but no rows"))
    _check_unique(runs, problems)
    if problems:
        raise InputFileError(problems)
    return runs


def select_runs(runs: Sequence[Run], wanted: Sequence[str] | None, where: str) -> list[Run]:
    """The runs named in ``wanted`` (run ids or project names, in the file's order); all if None.

    Raises
    ------
    InputFileError
        Naming each wanted run that the file lacks, with the closest names, at ``where``.
    """
    if not wanted:
        return list(runs)
    from lca.model.records import suggest

    known = [r.run_id for r in runs] + sorted({r.project_name for r in runs if r.project_name})
    lacking = [str(w) for w in wanted if str(w) not in known]
    if lacking:
        raise InputFileError(
            [
                Problem(
                    where, f"no run '{w}' in {runs[0].file} (run ids and project names){suggest(w, known)}"
                )
                for w in lacking
            ]
        )
    chosen = {str(w) for w in wanted}
    return [r for r in runs if r.run_id in chosen or r.project_name in chosen]


def _run(cells: dict[str, str], name: str, number: int, problems: list[Problem]) -> Run | None:
    before = len(problems)

    def where(column: str) -> str:
        return f"{name}, row {number}, column {column}"

    def number_of(column: str, default: float | None = None) -> float:
        text = cells.get(column, "")
        if not text and default is not None:
            return default
        try:
            value = float(text)
        except ValueError:
            problems.append(Problem(where(column), f"'{text}' is not a number"))
            return math.nan
        if not math.isfinite(value):
            problems.append(Problem(where(column), f"{text} is not a finite number"))
        return value

    energies = {c: number_of(c) for c in ENERGIES}
    for column, value in energies.items():
        if value < 0:
            problems.append(Problem(where(column), f"{value:g} kWh is negative; expected an energy >= 0"))
    duration = number_of("duration")
    if not duration > 0 and not math.isnan(duration):
        problems.append(Problem(where("duration"), f"{duration:g} s; expected a duration > 0"))
    parts = energies["cpu_energy"] + energies["gpu_energy"] + energies["ram_energy"]
    total = energies["energy_consumed"]
    consistent = all(v >= 0 for v in energies.values()) and math.isfinite(parts) and math.isfinite(total)
    if consistent and not math.isclose(parts, total, rel_tol=1e-6, abs_tol=1e-12):
        problems.append(
            Problem(
                where("energy_consumed"),
                f"{total:g} kWh is not cpu_energy + gpu_energy + ram_energy ({parts:g} kWh), "
                "as CodeCarbon writes it",
            )
        )
    pue = number_of("pue", 1.0)
    if pue < 1:
        problems.append(Problem(where("pue"), f"{pue:g}; expected a PUE >= 1 (facility / IT energy)"))
    gpu_count = number_of("gpu_count", 0.0)
    if not (gpu_count >= 0 and float(gpu_count).is_integer()):
        problems.append(Problem(where("gpu_count"), f"{gpu_count:g}; expected a whole number of GPUs >= 0"))
    ram = number_of("ram_total_size", 0.0)
    if ram < 0:
        problems.append(Problem(where("ram_total_size"), f"{ram:g} GB; expected a memory size >= 0"))
    if not cells.get("run_id"):
        problems.append(Problem(where("run_id"), "empty; expected CodeCarbon's run id"))
    if not cells.get("country_iso_code") and not cells.get("cloud_region"):
        problems.append(
            Problem(where("country_iso_code"), "empty; expected the ISO 3166 code of the country of the run")
        )
    if len(problems) > before:
        return None
    return Run(
        file=name,
        row=number,
        run_id=cells["run_id"],
        project_name=cells.get("project_name", ""),
        timestamp=cells.get("timestamp", ""),
        duration=duration,
        cpu_energy=energies["cpu_energy"],
        gpu_energy=energies["gpu_energy"],
        ram_energy=energies["ram_energy"],
        energy_consumed=total,
        country_iso_code=cells.get("country_iso_code", "").upper(),
        country_name=cells.get("country_name", ""),
        region=cells.get("region", ""),
        cloud_provider=cells.get("cloud_provider", "").lower(),
        cloud_region=cells.get("cloud_region", ""),
        cpu_model=cells.get("cpu_model", ""),
        gpu_model=cells.get("gpu_model", ""),
        gpu_count=int(gpu_count),
        ram_total_size=ram,
        pue=pue,
        codecarbon_version=cells.get("codecarbon_version", ""),
    )


def _check_unique(runs: list[Run], problems: list[Problem]) -> None:
    first: dict[str, Run] = {}
    for run in runs:
        if run.run_id in first:
            problems.append(
                Problem(
                    run.where("run_id"),
                    f"run '{run.run_id}' is also row {first[run.run_id].row}; keep one row per run "
                    "(rows written by flush() repeat the run with cumulative energies)",
                )
            )
        first.setdefault(run.run_id, run)
