"""What a corpus case is, the small inventory solved by hand, and the builders of inputs.

The small inventory, by hand (``inventory()``):

    job <- 1,000 kWh of grid at 57 g CO2 eq/kWh          = 57 kg CO2 eq
    job <- a GPU of 150 kg CO2 eq, used 2,000 h of its 20,000 h life at utilisation 0.5:
           2,000 / (20,000 x 0.5) = 0.2 GPU x 150        = 30 kg CO2 eq
    job <- 0.5 kg of methane (ch4) x 28 kg CO2 eq/kg     = 14 kg CO2 eq
    total GWP                                            = 101 kg CO2 eq
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from string import Template

import yaml

GWP_TOTAL = 57.0 + 30.0 + 14.0  #: kg CO2 eq, the hand calculation above
DATASETS = Path(__file__).resolve().parents[2] / "datasets"
#: Published totals of the shipped cases (kg CO2 eq) and the tolerance they are checked to.
BLOOM_GWP = 50892.56  # Luccioni et al. 2023 as modelled (lca/__init__.py: 3,636.15 + 7,575.31 +
# 24,692.17 + 14,628.82 + 360.12 kg); tests/test_cli_formats.py checks the same sum
GPT3_GWP = 1_289_376 * 0.429  # Patterson et al. 2021: 1,289,376 kWh x 0.429 kg/kWh (tests/test_cases.py)
BLOOM_FULL_GWP = 53597.9  # 50,892.6 + 2,036.5 + 561.3 + 36.0 + 23.2 + 48.3 (tests/test_bloom_full.py)


@dataclass
class Case:
    """One input and what ``lca`` must do with it.

    ``files`` maps a file name to its bytes, or to a function that writes it given its path
    (large or special files: FIFOs, links). ``first`` is the exact first stderr line ("" when
    nothing may be printed there); ``lines`` how many stderr lines (None: not checked);
    ``totals`` the exact results of a valid control (indicator -> value in the CSV output,
    checked to ``rel``); ``contains`` texts stdout must hold; ``outputs`` the files the
    command may write (everything else in the folder must be the inputs, unchanged);
    ``check`` names a content check of an output (see ``test_corpus.py``).
    """

    name: str
    family: str
    argv: list[str]
    first: str
    status: int = 2
    lines: int | None = 1
    files: dict[str, bytes | Callable[[Path], None]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    rel: float = 1e-12
    contains: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    check: str = ""
    seconds: float = 30.0
    megabytes: float = 500.0

    def manifest(self) -> dict:
        data = asdict(self)
        data["files"] = sorted(self.files)
        return data


# -- the small inventory ---------------------------------------------------------------------------
SLOTS = {
    "info": "{goal: hostile input}",
    "p_energy": "{amount: 1000, unit: kWh}",
    "p_hours": "{amount: 2000, unit: h}",
    "flow": "{code: ch4, name: methane, unit: kg, factors: {GWP: 28}}",
    "grid_unit": "kWh",
    "grid_production": "1",
    "grid_gwp": "{input: GWP, amount: 57, unit: g CO2 eq}",
    "gpu_gwp": "{input: GWP, amount: 150, unit: kg CO2 eq}",
    "job_grid": "{input: grid, amount: energy, unit: kWh}",
    "job_gpu": "{input: gpu, amount: hours, unit: h, lifetime: 20000 h, utilisation: 0.5}",
    "job_ch4": "{input: ch4, amount: 0.5, unit: kg}",
    "more": "",
    "fu": "{activity: job, amount: 1, unit: run}",
}
TEMPLATE = Template(
    """format: lca-inventory/1
name: hostile
info: $info
parameters:
  energy: $p_energy
  hours: $p_hours
flows:
  - $flow
activities:
  - code: grid
    unit: $grid_unit
    production: $grid_production
    exchanges:
      - $grid_gwp
  - code: gpu
    phase: manufacturing
    unit: item
    exchanges:
      - $gpu_gwp
  - code: job
    phase: training
    unit: run
    exchanges:
      - $job_grid
      - $job_gpu
      - $job_ch4$more
functional_unit: $fu
"""
)


def inventory(**slots: str) -> bytes:
    """The small inventory as YAML, with some slots replaced by hostile text."""
    unknown = set(slots) - set(SLOTS)
    assert not unknown, unknown
    return TEMPLATE.substitute({**SLOTS, **slots}).encode("utf-8")


def yaml_case(name: str, family: str, first: str, **kw) -> Case:
    """A case of ``lca run inv.yaml`` on the small inventory with ``slots`` replaced."""
    slots = kw.pop("slots", {})
    files = {"inv.yaml": kw.pop("text", None) or inventory(**slots)}
    return Case(name, family, kw.pop("argv", ["run", "inv.yaml"]), first, files=files, **kw)


def control(name: str, family: str, files: dict, argv: list[str], totals: dict[str, float], **kw) -> Case:
    """A valid input: exit 0, results as CSV with ``totals`` exactly."""
    return Case(
        name,
        family,
        [*argv, "--format", "csv"],
        kw.pop("first", ""),
        0,
        kw.pop("lines", 0),
        files,
        totals=totals,
        **kw,
    )


# -- workbooks ---------------------------------------------------------------------------------------
_BOOK: dict[str, bytes] = {}


def base_workbook() -> bytes:
    """The small inventory as an inventory workbook (lca's own layout, as ``lca export`` writes)."""
    if "base" not in _BOOK:
        from lca.io.datafile import model_from_dict
        from lca.io.excel import write_inventory

        model = model_from_dict(yaml.safe_load(inventory()), "inv.yaml")
        folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"lca-corpus-{os.getpid()}"
        folder.mkdir(exist_ok=True)
        path = folder / "base.xlsx"
        write_inventory(model, path)
        _BOOK["base"] = path.read_bytes()
        path.unlink()
    return _BOOK["base"]


def _part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The zip part of a sheet, from the workbook's relationships."""
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'name="{sheet}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*/>', rels).group(0)
    return "xl/" + re.search(r'Target="/?(?:xl/)?([^"]+)"', target).group(1)


def zip_edit(edits: dict[str, Callable[[bytes], bytes]], source: bytes | None = None) -> bytes:
    """The workbook with some parts rewritten: ``edits`` maps a sheet name or a part to a
    function of its bytes (None to drop the part); new parts are added with ``+name``."""
    source = source or base_workbook()
    archive = zipfile.ZipFile(io.BytesIO(source))
    parts = {
        (_part(archive, k) if not k.startswith(("xl/", "[", "_", "+", "docProps")) else k): f
        for k, f in edits.items()
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename in parts:
                data = parts[info.filename](data)
                if data is None:
                    continue
            target.writestr(info, data)
        for name, make in parts.items():
            if name.startswith("+"):
                target.writestr(name[1:], make(b""))
    return out.getvalue()


def cell_xml(coord: str, inner: str) -> Callable[[bytes], bytes]:
    """Replace the XML of cell ``coord`` (``<c r="C2" ...>...</c>``) by ``inner``."""

    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        pattern = rf'<c r="{coord}"[^>]*?(?:/>|>.*?</c>)'
        new, count = re.subn(pattern, inner, text, count=1)
        if not count:  # an empty cell: add it to its row
            row = re.sub(r"\D", "", coord)
            new = re.sub(rf'(<row r="{row}"[^>]*>)', rf"\1{inner}", text, count=1)
        return new.encode("utf-8")

    return edit


def book_edit(edit: Callable) -> bytes:
    """The workbook after ``edit(book)`` with openpyxl (for edits openpyxl writes itself)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(base_workbook()))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lazy(make: Callable[[], bytes]) -> Callable[[Path], None]:
    """A file built only when the corpus is written (large inputs)."""
    return lambda path: path.write_bytes(make())


def xlsx_case(name: str, family: str, first: str, data: bytes | Callable[[Path], None], **kw) -> Case:
    return Case(name, family, kw.pop("argv", ["run", "inv.xlsx"]), first, files={"inv.xlsx": data}, **kw)


# Where the small inventory's cells are in the workbook lca writes (lca.io.excel_layout):
# Parameters A name, B amount, C unit, D distribution, E gsd, ... (2 energy, 3 hours);
# Activities A code, ... F production (2 grid, 3 gpu, 4 job); Exchanges A activity, B input,
# C amount, D unit, E lifetime, F utilisation, G distribution, H gsd, I sigma, J sd, K min,
# L max (2 grid<-GWP, 3 gpu<-GWP, 4 job<-grid, 5 job<-gpu, 6 job<-ch4); Flows A code, B name,
# C unit, D indicator, E factor (2 ch4 GWP); Model A field, B value.
NUMBER = '<c r="{c}" t="n"><v>{v}</v></c>'
TEXT = '<c r="{c}" t="inlineStr"><is><t>{v}</t></is></c>'
