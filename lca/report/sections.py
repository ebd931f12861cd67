"""The ISO 14044 sections of a report: goal and scope, results, contributors, data quality.

Each function reads a :class:`ReportInput` (the model, its deterministic result and,
optionally, Monte Carlo bands and alternatives) and returns a
:class:`~lca.report.document.Section`. Nothing is calculated here: numbers come from the
result (values and their coverage), the bands and :mod:`lca.contribution`.

Every number table says which central value it shows: the deterministic value (every
input at its entered amount), with the Monte Carlo interval beside it. A deterministic
value outside its own interval is marked ``†`` and the note names the inputs whose
entered amount is not the median of their distribution (the usual reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from lca._version import __version__
from lca.contribution import contribution_tree
from lca.data import version as datasets_version
from lca.errors import LcaError
from lca.model.records import PHASES, Model
from lca.plot import contribution_chart, phase_bars
from lca.report.document import Column, Figure, Items, Paragraph, Section, Table, Value, fmt
from lca.report.numbers import column_scale, format_number
from lca.report.quality import skewed_inputs
from lca.report.uncertain import Bands, Paired
from lca.solve import Result
from lca.units import format_unit

#: How many activities and parameters a report lists (over all indicators).
TOP = 8
#: Marks a deterministic value outside its Monte Carlo interval.
OUTSIDE = "†"


@dataclass
class Alternative:
    """A second inventory for the same functional unit, compared with the first."""

    name: str
    model: Model
    result: Result
    paired: Paired | None = None


@dataclass
class ReportInput:
    """Everything a report reads.

    Attributes
    ----------
    model, result : the assessed inventory and its deterministic result.
    source : str
        Where the inventory was read from (file name), printed in the scope.
    bands : Bands, optional
        Monte Carlo summary; the uncertainty parts are shown only when given.
    alternative : Alternative, optional
        A second inventory of the same functional unit (frugality comparison).
    alternatives : list of Alternative
        More alternatives (``alternative``, when given, comes first).
    date : str
        Report date (ISO); today by default.
    """

    model: Model
    result: Result
    source: str = ""
    bands: Bands | None = None
    alternative: Alternative | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    date: str = field(default_factory=lambda: dt.date.today().isoformat())

    def __post_init__(self) -> None:
        if self.alternative is not None and self.alternative not in self.alternatives:
            self.alternatives.insert(0, self.alternative)

    @property
    def info(self) -> dict:
        """The inventory's free-text report fields."""
        return self.model.info

    @property
    def units(self) -> dict[str, str]:
        """Indicator code -> unit text."""
        return {i.code: format_unit(i.unit) for i in self.result.matrices.indicators}

    @cached_property
    def table(self) -> pd.DataFrame:
        """Phase x indicator values (exact, indicator units)."""
        return self.result.phase_table(units_in_header=False)

    @cached_property
    def coverage(self) -> pd.DataFrame:
        """Phase x indicator coverage: ``complete``, ``partial`` or ``none``."""
        return self.result.coverage()

    @cached_property
    def scales(self) -> dict[str, tuple[str, float]]:
        """Indicator code -> (unit it is read in, factor), chosen from its largest value."""
        usable = self.table.mask(self.coverage == "none")
        return {code: column_scale(usable[code], self.units[code]) for code in self.table.columns}

    @property
    def central(self) -> str:
        """What the numbers of the report are, in words."""
        text = "deterministic values (every input at its entered amount)"
        if self.bands:
            text += f", with the {self.bands.level_label} of {self.bands.iterations:,} Monte Carlo draws"
        return text

    def value(self, phase: str, code: str) -> Value:
        """The results cell of one phase (or ``total``) and indicator."""
        cover = self.coverage.loc[phase, code]
        exact = float(self.table.loc[phase, code])
        band = self.bands.phase_bands.get(phase, {}).get(code) if self.bands else None
        low, high = (band[0], band[2]) if band and cover != "none" else (None, None)
        outside = low is not None and not low <= exact <= high
        return Value(
            exact,
            low,
            high,
            scale=self.scales[code][1],
            missing=cover == "none",
            bound="lower" if cover == "partial" else "",
            mark=OUTSIDE if outside else "",
        )

    def quantity(self, code: str, value: float, band: tuple[float, float] | None = None) -> str:
        """``"50.89 t CO2 eq"``: a number of indicator ``code`` in the report's unit for it."""
        shown, factor = self.scales[code]
        text = fmt(value * factor)
        if band:
            text += f" [{fmt(band[0] * factor)} – {fmt(band[1] * factor)}]"
        return f"{text} {shown}"


def indicator_columns(data: ReportInput, codes: list[str] | None = None) -> list[Column]:
    """One column per indicator, read in the report's unit for it."""
    return [
        Column(code, data.units[code], data.scales[code][0]) for code in (codes or list(data.table.columns))
    ]


def _datasets_text(model: Model) -> str:
    """The dataset version, and each entry used that a user folder (``LCA_DATA_PATH``) added or
    replaced, with its file and the file's hash (recorded by the reader, ``info["datasets"]``)."""
    text = f"lca datasets {datasets_version()} (datasets/VERSION)"
    recorded = model.info.get("datasets")
    local = recorded.get("local", []) if isinstance(recorded, dict) else []
    if local:
        from lca.data.catalogue import LocalEntry

        text += "; from LCA_DATA_PATH: " + "; ".join(LocalEntry(**e).describe() for e in local)
    return text


def goal_and_scope(data: ReportInput) -> Section:
    """Goal, functional unit, system boundary, date, version, sources, Monte Carlo settings."""
    model, info = data.model, data.info
    fu = model.functional_unit
    fu_text = f"{fu.amount:g} {fu.unit} of '{fu.activity}'" if fu else "not provided"
    if fu and fu.description:
        fu_text += f": {fu.description}"
    included = [p for p in PHASES if p in model.phases()]
    excluded = info.get("excluded_phases") or {}
    if not isinstance(excluded, dict):
        raise LcaError(
            f"info.excluded_phases is {excluded!r}; expected a mapping of phase: reason, "
            "e.g. {transport: not reported}"
        )
    mc = (
        f"{data.bands.iterations:,} iterations, seed {data.bands.seed}"
        if data.bands
        else "not run (deterministic results only; use --iterations N --seed S)"
    )
    pairs = [
        ("Model assessed", model.name),
        ("Description", " ".join(model.description.split()) or "not provided"),
        ("Goal", str(info.get("goal", "not provided"))),
        ("Functional unit", fu_text),
        ("Phases included", ", ".join(included) or "none"),
        ("Date of the report", data.date),
        ("lca version", __version__),
        ("Inventory", data.source or model.name),
        ("Reference datasets", _datasets_text(model)),
        (
            "Indicators",
            ", ".join(f"{i.code} ({i.name}, {format_unit(i.unit)})" for i in data.result.matrices.indicators),
        ),
        ("Impact methods", "; ".join(f"{i.code}: {i.method}" for i in data.result.matrices.indicators)),
        ("Monte Carlo", mc),
        ("Values shown", data.central[0].upper() + data.central[1:]),
    ]
    rows = [
        [phase, str(excluded.get(phase, "not modelled in this inventory (no data given)"))]
        for phase in PHASES
        if phase not in included
    ]
    sources = info.get("sources") or {}
    section = Section("goal-scope", "Goal and scope", [Items(pairs)])
    section.blocks.append(
        Table("excluded", "Phases excluded from the system boundary, and why", ["phase", "reason"], rows)
    )
    section.blocks.append(
        Table(
            "sources",
            "Data sources (with versions)",
            ["key", "reference"],
            [[key, " ".join(str(text).split())] for key, text in sources.items()],
        )
    )
    return section


def results(data: ReportInput) -> Section:
    """Phase x indicator table with units, coverage and bands; phase bars with intervals."""
    table = data.table
    rows = [[phase, *(data.value(phase, code) for code in table.columns)] for phase in table.index]
    caption = f"Results per life-cycle phase and indicator: {data.central}"
    results_table = Table("results", caption, ["phase", *indicator_columns(data)], rows)
    results_table.notes = coverage_notes(data) + outside_notes(data, rows)
    section = Section("results", "Results", [results_table])
    section.blocks.append(
        Figure(
            "Each phase per indicator"
            + (f", with its {data.bands.level_label}" if data.bands else " (deterministic values)"),
            lambda: phase_bars(data.result, bands=data.bands),
            alt=table_alt(f"Bar chart per indicator and life-cycle phase: {data.central}", results_table),
            key="phases",
        )
    )
    if not data.bands:
        section.blocks.append(
            Paragraph("No Monte Carlo run: results are shown without uncertainty intervals.", note=True)
        )
    additions = additions_table(data)
    if additions is not None:
        section.blocks.append(additions)
    return section


def additions_table(data: ReportInput) -> Table | None:
    """What the inventory adds to a published one (``info.additions``: activity code ->
    what it is), each with its own contribution, so a reviewer sees each addition apart.

    The contribution of an addition is its attributed impact (its own flows and the
    background it pulls), deterministic.
    """
    additions = data.model.info.get("additions")
    if not isinstance(additions, dict):
        return None
    codes = list(data.table.columns)
    index = data.result.matrices.index
    listed = [code for code in additions if code in index]
    if not listed:
        return None
    cover = data.result.coverage(listed)
    rows = []
    for code in listed:
        cells = []
        for indicator in codes:
            value = float(data.result.activity_total(code, indicator).magnitude)
            state = cover.loc[code, indicator]
            cells.append(
                Value(
                    value,
                    scale=data.scales[indicator][1],
                    missing=state == "none",
                    bound="lower" if state == "partial" else "",
                )
            )
        rows.append([str(additions[code]), code, *cells])
    return Table(
        "additions",
        "Added to the published inventory: each addition's own contribution (deterministic values)",
        ["addition", "activity", *indicator_columns(data)],
        rows,
    )


def coverage_notes(data: ReportInput) -> list[str]:
    """What ``n/a`` and ``>=`` mean in the results, naming the activities without data."""
    missing = data.result.missing()
    if not missing:
        return []
    listed = "; ".join(f"{code}: {', '.join(acts)}" for code, acts in missing.items())
    return [
        "Incomplete data: n/a is a cell with no data at all (never a zero), and >= marks a value "
        f"that misses some data (a lower bound). Activities without data: {listed}."
    ]


def coverage_summary(data: ReportInput) -> list[str]:
    """One line on the totals that miss data, for the top of the report."""
    total = data.coverage.loc["total"]
    none = [c for c in total.index if total[c] == "none"]
    partial = [c for c in total.index if total[c] == "partial"]
    parts = []
    if partial:
        parts.append(f"{', '.join(partial)}: lower bounds (>=), some activities have no data")
    if none:
        parts.append(f"{', '.join(none)}: no data in this inventory (n/a)")
    notes = [f"Incomplete totals: {'; '.join(parts)}. See Results."] if parts else []
    if any(data.value("total", code).mark for code in total.index):
        notes.append(
            f"{OUTSIDE} The deterministic total lies outside its Monte Carlo interval; the note under "
            "Results says why."
        )
    return notes


def outside_notes(data: ReportInput, rows: list[list]) -> list[str]:
    """Why a value marked † lies outside its own Monte Carlo interval."""
    if not any(isinstance(c, Value) and c.mark == OUTSIDE for row in rows for c in row):
        return []
    skewed = skewed_inputs(data.model)
    why = (
        "these inputs' entered amount is not the median of their distribution, so the draws centre "
        "elsewhere: " + "; ".join(skewed)
        if skewed
        else "the model is not linear in its inputs, so the draws centre elsewhere"
    )
    return [
        f"{OUTSIDE} The deterministic value lies outside its Monte Carlo interval: it uses every "
        f"input at its entered amount, and {why}."
    ]


def table_alt(what: str, table: Table) -> str:
    """A chart's text alternative: the numbers of the table it draws, in words."""
    parts = []
    for k, column in enumerate(table.columns[1:], start=1):
        if not isinstance(column, Column):
            continue
        cells = [f"{row[0]} {row[k].text if isinstance(row[k], Value) else row[k]}" for row in table.rows]
        parts.append(f"{column.header()}: " + ", ".join(cells))
    return f"{what}. " + "; ".join(parts) + "."


def contributors(data: ReportInput) -> Section:
    """The contribution tree of each indicator (icicle), top activities and top parameters."""
    result = data.result
    section = Section("contributions", "Main contributors")
    totals = {code: float(data.table.loc["total", code]) for code in data.table.columns}
    codes = [c for c in data.table.columns if totals[c] and data.coverage.loc["total", c] != "none"]
    for k, code in enumerate(codes):
        nodes = contribution_tree(result, code, cutoff=0.01)
        shown, factor = data.scales[code]
        alt = (
            f"Icicle chart of the {code} contribution tree ({shown}), cumulative impacts by level: "
            + "; ".join(
                f"level {n.depth}: {n.name} {format_number(n.impact * factor)} ({n.share:.0%})" for n in nodes
            )
        )
        section.blocks.append(
            Figure(
                f"{code}: where the total comes from. Each column is one level of the supply chain, each "
                f"box a share of the total, in {shown} (cumulative impact: its own flows and its suppliers')",
                lambda code=code: contribution_chart(result, code, cutoff=0.01),
                alt=alt,
                key=f"contributions-{code}",
                collapsed=k > 0,
                summary=f"{code}: where the total comes from (chart)",
            )
        )
    section.blocks.append(top_activities(data, codes))
    section.blocks.append(top_parameters(data, codes))
    section.blocks.append(every_activity(data))
    return section


def every_activity(data: ReportInput) -> Table:
    """Every activity's supply and impacts (a workbook sheet; too long for a page)."""
    result, m = data.result, data.result.matrices
    codes = list(data.table.columns)
    attributed = result.coverage(list(m.activities))
    columns: list = ["activity", "name", "phase", "reference unit", "supply"]
    columns += [Column(f"{c} attributed", data.units[c]) for c in codes]
    columns += [Column(f"{c} direct", data.units[c]) for c in codes]
    missing = {c: set(m.missing.get(c, ())) for c in codes}
    rows = []
    for j, code in enumerate(m.activities):
        row: list = [
            code,
            m.activity_names[j],
            m.phases[j],
            m.activity_units[j],
            Value(float(result.supply[j])),
        ]
        for i, c in enumerate(codes):
            cover = attributed.loc[code, c]
            row.append(
                Value(
                    float(result.attributed[i, j]),
                    missing=cover == "none",
                    bound="lower" if cover == "partial" else "",
                )
            )
        for i, c in enumerate(codes):
            lacks = code in missing[c] and result.supply[j] != 0
            row.append(Value(float(result.direct[i, j]), missing=lacks))
        rows.append(row)
    return Table(
        "activities",
        "Every activity: supply (reference units) and impacts, attributed (with the background it pulls) "
        "and direct (its own flows); deterministic values",
        columns,
        rows,
        in_page=False,
    )


def top_activities(data: ReportInput, codes: list[str]) -> Table:
    """The activities with the largest share of any indicator, one share column per indicator.

    A share is of the activity's attributed impact (its own flows and the background it
    pulls); an activity without data on an indicator reads n/a there, never 0%.
    """
    frame = data.result.contributions()
    totals = {code: float(data.table.loc["total", code]) for code in codes}
    shares: dict[str, dict] = {}
    for code in codes:
        for r in frame[frame.indicator == code].itertuples():
            if r.attributed:
                shares.setdefault(r.activity, {"name": r.name, "phase": r.phase})[code] = (
                    r.attributed / totals[code]
                )
    ranked = sorted(shares, key=lambda a: -max(abs(v) for k, v in shares[a].items() if k in codes))[:TOP]
    cover = data.result.coverage(ranked)

    def share(activity: str, code: str) -> Value:
        state = cover.loc[activity, code]
        value = shares[activity].get(code, 0.0)
        return Value(
            value, kind="share", missing=state == "none", bound="lower" if state == "partial" else ""
        )

    rows = [
        [f"{shares[a]['name']} ({shares[a]['phase']})", *(share(a, code) for code in codes)] for a in ranked
    ]
    return Table(
        "contributors",
        f"Top {len(rows)} activities: their share of each indicator's total (own flows plus the "
        "background they pull; deterministic values)",
        ["activity (phase)", *codes],
        rows,
    )


def top_parameters(data: ReportInput, codes: list[str]) -> Table | Paragraph:
    """The parameters that drive each total most (Monte Carlo sensitivity), when there is one."""
    bands = data.bands
    rankings = {code: dict(bands.sensitivity.get(code, [])) for code in codes} if bands else {}
    if not any(rankings.values()):
        return Paragraph("Parameter sensitivity needs a Monte Carlo run (--iterations).", note=True)
    best: dict[str, float] = {}
    for ranking in rankings.values():
        for name, coefficient in ranking.items():
            best[name] = max(best.get(name, 0.0), abs(coefficient))
    names = sorted(best, key=lambda n: -best[n])[:TOP]
    return Table(
        "sensitivity",
        f"Top {len(names)} parameters: {bands.sensitivity_method or 'sensitivity'} "
        "(-1 to 1; 0: no influence)",
        ["parameter", *codes],
        [[name, *(_coefficient(rankings[c].get(name)) for c in codes)] for name in names],
    )


def _coefficient(value: float | None) -> Value | str:
    return "" if value is None else Value(float(value), kind="coefficient")


def headline(data: ReportInput) -> Items:
    """The totals, one line per indicator, for the top of the report."""
    pairs = []
    for code in data.table.columns:
        cell = data.value("total", code)
        unit = data.scales[code][0]
        pairs.append((code, cell.text if not cell.available else f"{cell.text} {unit}"))
    return Items(pairs)
