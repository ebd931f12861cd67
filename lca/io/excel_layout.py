"""The layout of an inventory workbook: its sheets, their columns and what each holds.

One description serves the template (README sheet, drop-downs, widths), the reader
(required columns, cell types) and the writer (column order), so the three cannot drift.

The sheets mirror the data file (:mod:`lca.io.datafile`), one row per record, as in the
Brightway and openLCA spreadsheets: ``Model`` (field/value pairs), ``Parameters``,
``Activities``, ``Exchanges`` (one row per input, keyed by the consuming activity's
code), ``Flows`` (one row per characterisation factor) and ``Sources`` (citation keys).
Uncertainty fields sit beside the amount they describe, in the amount's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lca.model.records import BACKGROUND, PHASES

#: Kinds of cell: free text; a number; a number or an ``lca`` formula / quantity text;
#: a whole number (pedigree score 1-5); a comma-separated list of codes.
TEXT, NUMBER, AMOUNT, SCORE, CODES = "text", "number", "amount", "score", "codes"

DISTRIBUTIONS = ("fixed", "lognormal", "normal", "uniform", "triangular")
PHASE_CHOICES = (*PHASES, BACKGROUND)
#: Offered in the unit drop-downs; any other pint unit may still be typed.
COMMON_UNITS = (
    "item",
    "unit",
    "run",
    "request",
    "h",
    "day",
    "year",
    "kWh",
    "MWh",
    "W",
    "kW",
    "MJ",
    "kg",
    "g",
    "t",
    "km",
    "t*km",
    "GB",
    "TB",
    "L",
    "m**3",
    "kg CO2 eq",
    "g CO2 eq",
    "t CO2 eq",
    "g CO2 eq/kWh",
    "kg CO2 eq/kWh",
    "kg Sb eq",
    "dimensionless",
)
PEDIGREE = ("reliability", "completeness", "temporal", "geographical", "technological")
PEDIGREE_DOCS = {
    "reliability": "reliability",
    "completeness": "completeness",
    "temporal": "temporal correlation",
    "geographical": "geographical correlation",
    "technological": "further technological correlation",
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``choices`` names a drop-down list (``"phase"``, ``"distribution"``, ``"unit"``).
    ``unless`` names the column that makes a required cell optional when filled (an
    activity's ``unit`` when it names a ``dataset``, whose unit it takes).
    """

    name: str
    kind: str
    doc: str
    example: Any = None
    required: bool = False
    width: int = 14
    choices: str | None = None
    unless: str | None = None


def _uncertainty_columns() -> tuple[Column, ...]:
    """The uncertainty fields of an amount (stats_arrays names; pedigree as in ecoinvent v3)."""
    pedigree = tuple(
        Column(p, SCORE, f"pedigree score 1-5: {PEDIGREE_DOCS[p]} (ecoinvent v3; give all five)", width=12)
        for p in PEDIGREE
    )
    return (
        Column(
            "distribution",
            TEXT,
            "fixed, lognormal, normal, uniform or triangular (or a stats_arrays id 1-5); "
            "empty = fixed, or lognormal when pedigree scores or gsd are given",
            None,
            choices="distribution",
        ),
        Column("gsd", NUMBER, "lognormal: geometric standard deviation (>= 1)", width=8),
        Column("sigma", NUMBER, "lognormal: standard deviation of ln(x), instead of gsd", width=8),
        Column("sd", NUMBER, "normal: standard deviation, in the amount's unit", width=8),
        Column("min", NUMBER, "uniform, triangular: lower bound, in the amount's unit", width=8),
        Column("max", NUMBER, "uniform, triangular: upper bound, in the amount's unit", width=8),
        Column("mode", NUMBER, "triangular: most likely value (default: the amount)", width=8),
        *pedigree,
        Column(
            "basic_variance",
            NUMBER,
            "basic variance of ln(x) added to the pedigree variances (ecoinvent v3; default 0.0006)",
            width=14,
        ),
    )


MODEL = (
    Column("field", TEXT, "name of the field (see the list below)", "name", True, 28),
    Column("value", TEXT, "its value", "BLOOM", True, 60),
)
MODEL_FIELDS = {
    "name": "name of the model (required)",
    "description": "what the model assesses",
    "functional_unit.activity": "code of the activity the results answer for (required)",
    "functional_unit.amount": "how much of it (a number, default 1)",
    "functional_unit.unit": "unit of that amount (default: the activity's unit)",
    "functional_unit.description": "the functional unit in words",
    "indicators": "indicator codes to report, comma-separated (default: all registered)",
    "methods": "impact method categories, as in a data file: [[EF v3.1, acidification, accumulated "
    "exceedance (AE)], ...] or {CODE: [...]} (lca methods lists them)",
    "info.KEY": "any free-text report field (goal, scope, need, model card answers...)",
}

PARAMETERS = (
    Column("name", TEXT, "identifier used in formulas (letters, digits, _)", "lifetime", True, 20),
    Column(
        "amount",
        AMOUNT,
        "a number, or an lca formula over other parameters (e.g. gpu_hours / 8)",
        6,
        True,
        24,
        unless="dataset",
    ),
    Column(
        "unit", TEXT, "unit of the amount (pint syntax); empty = dimensionless", "year", False, 14, "unit"
    ),
    *_uncertainty_columns(),
    Column("source", TEXT, "where the value comes from", "Luccioni et al. 2023, section 4.1", width=40),
    Column("comment", TEXT, "assumptions, justification of the range", width=40),
    Column(
        "dataset",
        TEXT,
        "optional: take the value from a reference dataset entry (CATEGORY/NAME, as `lca data list` "
        "prints it), with 'field'; leave amount, unit, uncertainty and source empty",
        "datacenter/hpc",
        width=20,
    ),
    Column("field", TEXT, "with 'dataset': which value of the entry (lifetime, pue...)", "pue", width=12),
)

ACTIVITIES = (
    Column("code", TEXT, "unique key used by the Exchanges sheet", "a100_manufacturing", True, 24),
    Column("name", TEXT, "readable name", "A100 80GB GPU, manufacturing", False, 40),
    Column(
        "phase",
        TEXT,
        f"one of {', '.join(PHASE_CHOICES)} (empty = background: grid mixes, transport modes)",
        "manufacturing",
        width=16,
        choices="phase",
    ),
    Column(
        "unit",
        TEXT,
        "reference product unit (item, kWh, run, request...); with a dataset: the entry's",
        "item",
        True,
        12,
        "unit",
        unless="dataset",
    ),
    Column("location", TEXT, "geography (ISO country code, cloud region)", "TW", width=12),
    Column(
        "production",
        NUMBER,
        "reference output amount (default 1); the exchanges are per this amount; negative for a "
        "waste treatment (-1 kg: it takes 1 kg of waste)",
        1,
        width=12,
    ),
    Column(
        "missing",
        CODES,
        "indicators this activity's data does not cover, comma-separated (flagged incomplete)",
        "ADP, PE, WATER",
        width=18,
    ),
    Column("source", TEXT, "where the data comes from", "Luccioni et al. 2023", width=30),
    Column("comment", TEXT, "notes", width=30),
    Column(
        "dataset",
        TEXT,
        "optional: take the activity from a reference dataset entry (CATEGORY/NAME, as `lca data "
        "list` prints it): its unit and its factors per unit on every indicator it covers; the "
        "indicators it lacks are listed as missing. An exchange of this activity on an indicator "
        "(Exchanges sheet) replaces the entry's factor",
        "grid/FR",
        width=18,
    ),
    Column(
        "energy",
        TEXT,
        "optional: electricity measured by CodeCarbon, its emissions.csv (path relative to the workbook), "
        "with options after semicolons: runs: a, b; cpu: NAME; gpu: NAME; pue: 1.2 (see docs/measured.md)",
        "runs/emissions.csv; runs: finetune",
        width=24,
    ),
)

EXCHANGES = (
    Column("activity", TEXT, "code of the consuming activity (Activities sheet)", "bloom_training", True, 24),
    Column(
        "input",
        TEXT,
        "code of the supplying activity, of a flow (Flows sheet) or of an indicator (GWP, ADP, PE, WATER)",
        "a100_manufacturing",
        True,
        24,
    ),
    Column(
        "amount",
        AMOUNT,
        "a number, an lca formula over parameters, or a quantity text ('6 year'); per production "
        "amount of the consuming activity (Brightway's convention)",
        "gpu_hours",
        True,
        24,
    ),
    Column(
        "unit",
        TEXT,
        "unit of the amount; empty = the input's reference unit; must convert to it, or be an "
        "intensity per this activity's unit (g CO2 eq/kWh: per one kWh, times the production)",
        "h",
        False,
        14,
        "unit",
    ),
    Column(
        "lifetime",
        AMOUNT,
        "amortised hardware: lifetime (a parameter, formula or quantity text such as '6 year'); "
        "the amount is then a use time",
        "lifetime",
        width=14,
    ),
    Column(
        "utilisation",
        AMOUNT,
        "amortised hardware: share of its life the hardware is busy, in (0, 1]",
        "utilisation",
        width=12,
    ),
    *_uncertainty_columns(),
    Column("source", TEXT, "where the amount comes from", "Luccioni et al. 2023, section 4.1", width=40),
    Column("comment", TEXT, "notes, hand calculation", "150 kg x 1,082,990 h / (6 year x 0.85)", width=40),
)

FLOWS = (
    Column("code", TEXT, "key used by the Exchanges sheet", "methane_fossil", True, 20),
    Column("name", TEXT, "readable name", "methane, fossil", False, 30),
    Column("unit", TEXT, "unit of the flow amounts", "kg", True, 10, "unit"),
    Column("indicator", TEXT, "indicator code of one characterisation factor", "GWP", False, 12),
    Column(
        "factor", NUMBER, "factor, in the indicator's unit per flow unit (one row per factor)", 29.8, width=10
    ),
    Column("source", TEXT, "where the factor comes from", "IPCC AR6 WG1, table 7.15", width=40),
    Column(
        "categories",
        TEXT,
        "elementary flow: compartment::sub-compartment (Brightway's notation); with its name it names the "
        "flow in the impact methods (lca methods)",
        "air::urban air close to ground",
        width=24,
    ),
    Column("uuid", TEXT, "elementary flow: its ecoinvent (biosphere3) UUID, when known", width=38),
)

SOURCES = (
    Column("key", TEXT, "short key cited in source cells", "luccioni2023", True, 20),
    Column("reference", TEXT, "full reference", "Luccioni, Viguier, Ligozat (2023), JMLR 24(253)", True, 100),
)

#: Sheets in workbook order; the reader requires the first three.
SHEETS: dict[str, tuple[Column, ...]] = {
    "Model": MODEL,
    "Activities": ACTIVITIES,
    "Exchanges": EXCHANGES,
    "Parameters": PARAMETERS,
    "Flows": FLOWS,
    "Sources": SOURCES,
}
REQUIRED_SHEETS = ("Model", "Activities", "Exchanges")
SHEET_DOCS = {
    "Model": "one field per row: the model's name, description, functional unit, indicators, free-text info",
    "Activities": "one row per activity (process with one reference product)",
    "Exchanges": "one row per input of an activity, per its production amount (an intensity unit "
    "such as g CO2 eq/kWh: per one reference unit)",
    "Parameters": "named quantities with units and uncertainty, used in formulas",
    "Flows": "optional: elementary flows with characterisation factors (one row per factor)",
    "Sources": "optional: full references of the keys cited in source cells",
}
