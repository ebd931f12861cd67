"""The ISO 14044 sections of a report: goal and scope, results, contributors, data quality.

Each function reads a :class:`ReportInput` (the model, its deterministic result and,
optionally, Monte Carlo bands and a second alternative) and returns a
:class:`~lca.report.document.Section`. Nothing is calculated here: numbers come from the
result, the bands and :mod:`lca.contribution`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lca._version import __version__
from lca.contribution import contribution_tree
from lca.data import version as datasets_version
from lca.errors import LcaError
from lca.model.records import PHASES, Model
from lca.model.uncertainty import NAMES
from lca.plot import phase_bars, uncertainty
from lca.report.document import Figure, Items, Paragraph, Section, Table, Tree, Value, fmt
from lca.report.uncertain import Bands, Paired
from lca.solve import Result
from lca.units import format_unit

#: How many activities, parameters and paths a report lists per indicator.
TOP = 5
#: Source label of an exchange that only links two activities (one unit of the other).
LINK = "structural link (one unit of another activity)"


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
    date : str
        Report date (ISO); today by default.
    """

    model: Model
    result: Result
    source: str = ""
    bands: Bands | None = None
    alternative: Alternative | None = None
    date: str = field(default_factory=lambda: dt.date.today().isoformat())

    @property
    def info(self) -> dict:
        """The inventory's free-text report fields."""
        return self.model.info

    @property
    def units(self) -> dict[str, str]:
        """Indicator code -> unit text."""
        return {i.code: format_unit(i.unit) for i in self.result.matrices.indicators}


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
        ("Reference datasets", f"lca datasets {datasets_version()} (datasets/VERSION)"),
        (
            "Indicators",
            ", ".join(f"{i.code} ({i.name}, {format_unit(i.unit)})" for i in data.result.matrices.indicators),
        ),
        ("Impact methods", "; ".join(f"{i.code}: {i.method}" for i in data.result.matrices.indicators)),
        ("Monte Carlo", mc),
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
    """Phase x indicator table with units and bands; stacked bars; Monte Carlo violins."""
    table = data.result.phase_table(units_in_header=False)
    units = data.units
    bands = data.bands.phase_bands if data.bands else {}
    rows = []
    for phase in table.index:
        row: list = [phase]
        for code in table.columns:
            band = bands.get(phase, {}).get(code)
            value = float(table.loc[phase, code])
            row.append(Value(value, band[0], band[2]) if band else Value(value))
        rows.append(row)
    caption = "Results per life-cycle phase and indicator"
    if data.bands:
        caption += f" (deterministic value [{data.bands.level_label} of the Monte Carlo draws])"
    section = Section("results", "Results")
    section.blocks.append(
        Table("results", caption, ["phase", *(f"{c} [{units[c]}]" for c in table.columns)], rows)
    )
    missing = data.result.missing()
    if missing:
        listed = "; ".join(f"{code}: {', '.join(acts)}" for code, acts in missing.items())
        section.blocks.append(
            Paragraph(
                f"Incomplete indicators (data missing, counted as missing, not as zero): {listed}.",
                note=True,
            )
        )
    section.blocks.append(Figure("Share of each phase in each indicator", lambda: phase_bars(data.result)))
    if data.bands:
        section.blocks.append(
            Figure("Uncertainty of the totals (Monte Carlo)", lambda: uncertainty(data.bands))
        )
    else:
        section.blocks.append(
            Paragraph("No Monte Carlo run: results are shown without uncertainty bands.", note=True)
        )
    return section


def contributors(data: ReportInput) -> Section:
    """Contribution paths, top activities and top parameters, per indicator."""
    result, units = data.result, data.units
    section = Section("contributions", "Main contributors")
    frame = result.contributions()
    totals = {c: q.magnitude for c, q in result.totals().items()}
    for code in result.indicator_codes:
        if not totals[code]:
            continue
        sub = Section(f"contributions-{code}", f"{code} ({units[code]})")
        lines = [
            (n.depth, f"{n.name} — {fmt(n.amount)} {n.unit}: {fmt(n.impact)} {units[code]} ({n.share:.1%})")
            for n in contribution_tree(result, code, cutoff=0.005)
        ]
        sub.blocks.append(Tree("Main contribution paths (cumulative impact of each branch)", lines))
        rows = frame[(frame.indicator == code) & (frame.attributed != 0)].nlargest(TOP, "attributed")
        sub.blocks.append(
            Table(
                f"top_{code}",
                f"Top {TOP} activities (own flows plus the background they pull)",
                ["activity", "phase", f"impact [{units[code]}]", "share"],
                [
                    [r.name, r.phase, Value(float(r.attributed)), f"{r.attributed / totals[code]:.1%}"]
                    for r in rows.itertuples()
                ],
            )
        )
        ranking = data.bands.sensitivity.get(code) if data.bands else None
        if ranking:
            sub.blocks.append(
                Table(
                    f"sens_{code}",
                    f"Top {TOP} parameters ({data.bands.sensitivity_method or 'sensitivity'})",
                    ["parameter", "coefficient"],
                    [[name, float(coef)] for name, coef in ranking[:TOP]],
                )
            )
        else:
            sub.blocks.append(
                Paragraph("Parameter sensitivity needs a Monte Carlo run (--iterations).", note=True)
            )
        section.subsections.append(sub)
    return section


def data_quality(data: ReportInput) -> Section:
    """Every parameter and exchange with its value, source, distribution and pedigree."""
    model = data.model
    rows = [
        [
            p.name,
            _amount_text(p.amount),
            p.unit or "-",
            *_spread(p.uncertainty),
            p.source
            or ("formula over the parameters above" if isinstance(p.amount, str) else "not provided"),
        ]
        for p in model.parameters.values()
    ]
    columns = ["input", "amount", "unit", "distribution", "pedigree (R,C,T,G,Tech)", "source"]
    exchanges = []
    for act in model.activities.values():
        for exc in act.exchanges:
            source = exc.source or act.source or ("see parameters" if isinstance(exc.amount, str) else "")
            if not source and exc.input in model.activities and exc.amount == 1 and exc.uncertainty is None:
                source = LINK
            exchanges.append(
                [
                    f"{act.code} <- {exc.input}",
                    _amount_text(exc.amount),
                    exc.unit or "-",
                    *_spread(exc.uncertainty),
                    source or "not provided",
                ]
            )
    unsourced = sum(1 for r in rows + exchanges if r[-1] == "not provided")
    links = sum(1 for r in exchanges if r[-1] == LINK)
    section = Section("data-quality", "Data quality")
    section.blocks.append(
        Paragraph(
            f"{len(rows)} parameters and {len(exchanges)} exchanges ({links} of them structural links "
            f"carrying no data); {unsourced} without a source. Inputs are shown as entered. "
            "Pedigree scores are (reliability, completeness, temporal, geographical, technological "
            "correlation), 1 best to 5 worst (Weidema et al. 2013)."
        )
    )
    section.blocks.append(Table("parameters", "Parameters", columns, rows))
    section.blocks.append(Table("exchanges", "Exchanges (activity <- input)", columns, exchanges))
    return section


def _amount_text(amount: float | str) -> str:
    """An input as entered (not rounded): ``1,082,990``, ``0.85``, ``4.86e-08``."""
    return amount if isinstance(amount, str) else f"{float(amount):,.10g}"


def _spread(u) -> list[str]:
    if u is None:
        return ["fixed", "-"]
    name = NAMES.get(u.kind, str(u.kind))
    if name == "lognormal":
        name += f" (GSD {u.gsd:.3g})"
    elif name in ("uniform", "triangular"):
        name += f" ({fmt(u.minimum)} to {fmt(u.maximum)})"
    elif name == "normal":
        name += f" (sd {fmt(u.scale)})"
    return [name, ",".join(str(s) for s in u.pedigree) if u.pedigree else "-"]


def headline(data: ReportInput) -> Items:
    """The totals, one line per indicator, for the top of the report."""
    bands = data.bands.phase_bands.get("total", {}) if data.bands else {}
    return Items(
        [
            (
                code,
                Value(q.magnitude, *(bands[code][0::2] if code in bands else (None, None))).text
                + f" {data.units[code]}",
            )
            for code, q in data.result.totals().items()
        ]
    )
