"""The communication sections: climate performance model card, frugality, equivalences.

* The climate performance model card of Hershcovich et al. (2022), its eleven questions in
  their order (1-5 minimum card, 6-11 extended card), answered from the inventory's
  ``info`` fields and results where it can, "not provided" elsewhere.
* A frugality section in the spirit of AFNOR SPEC 2314 (2024): need, efficiency vs
  sufficiency, the functional unit questioned, alternatives (with the paired Monte Carlo
  probability when a second inventory is given), second-order effects and good practices.
* Equivalences with their factor and source, kept apart from the results.

The ``info`` keys read here are listed in :data:`INFO_KEYS` and in docs/user-guide.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from lca.contribution import impact_of
from lca.data.paths import datasets_dir
from lca.errors import LcaError
from lca.plot import comparison
from lca.report.document import Figure, Items, Link, Paragraph, Section, Table, Value, fmt
from lca.report.sections import ReportInput

NOT_PROVIDED = "not provided"

#: Free-text ``info`` fields of an inventory that the report reads (besides goal, sources).
INFO_KEYS = {
    "goal": "why the assessment is made",
    "excluded_phases": "mapping phase -> why it is outside the system boundary",
    "model_public": "card 1: is the resulting model publicly available?",
    "training_time": "card 2: training time of the final model",
    "experiments_time": "card 3: time of all experiments, incl. hyperparameter search",
    "power": "card 4: power of the GPUs and CPUs",
    "location_training": "card 5: where the training ran",
    "location_deployment": "card 5: where the inference ran",
    "energy_mix": "card 6: energy mix (g CO2 eq/kWh); default: read from the kWh activities",
    "training_activity": "card 7: activity code of the final training run",
    "experiments_co2": "card 8: CO2 eq of all experiments (text with unit)",
    "inference_activity": "card 9: activity code of one inference (one sample)",
    "positive_impact": "card 10: positive environmental impact expected",
    "comments": "card 11: comments",
    "need": "frugality: the need served, and why AI is needed for it",
    "functional_unit_questioned": "frugality: is the functional unit the right one, or the need itself?",
    "alternatives": "frugality: smaller models or non-AI solutions considered",
    "second_order_effects": "frugality: list of indirect effects (rebound, induced uses...)",
    "good_practices_applied": "frugality: list of good practices applied",
    "good_practices_not_applied": "frugality: list of good practices not applied, and why",
}

HERSHCOVICH = Link(
    "Hershcovich, D., Webersinke, N., Kraus, M., Bingler, J. A., Leippold, M. (2022). Towards "
    "climate awareness in NLP research. EMNLP 2022, 2480-2494.",
    "https://aclanthology.org/2022.emnlp-main.159/",
)
AFNOR = Link(
    "AFNOR (2024). AFNOR SPEC 2314: Référentiel général pour l'IA frugale (Frugal AI: "
    "measuring and reducing the environmental impact of AI). Read from public summaries.",
    "https://www.boutique.afnor.org/fr-fr/norme/afnor-spec-2314/referentiel-general-pour-lia-frugale-mesurer-et-reduire-limpact-environnemental-d/fa208976/421140",
)


def climate_card(data: ReportInput) -> Section:
    """The eleven questions of the climate performance model card, in their order."""
    info = data.info
    training = _cumulative(data, _code(info, "training_activity"), "GWP")
    inference = _cumulative(data, _code(info, "inference_activity"), "GWP")
    locations = "; ".join(
        f"{label}: {info[key]}"
        for key, label in (("location_training", "training"), ("location_deployment", "inference"))
        if info.get(key)
    )
    answers = [
        ("Is the resulting model publicly available?", info.get("model_public")),
        ("How much time does the training of the final model take?", info.get("training_time")),
        (
            "How much time did all experiments take (incl. hyperparameter search)?",
            info.get("experiments_time"),
        ),
        ("What was the power of GPU and CPU?", info.get("power")),
        ("At which geo location were the computations performed?", locations or None),
        (
            "What was the energy mix at the geo location (g CO2 eq/kWh)?",
            info.get("energy_mix") or _grid_mixes(data),
        ),
        ("How much CO2 eq was emitted to train the final model?", training),
        ("How much CO2 eq was emitted for all experiments?", info.get("experiments_co2")),
        ("What is the average CO2 eq emission for the inference of one sample?", inference),
        ("Which positive environmental impact can be expected from this work?", info.get("positive_impact")),
        ("Comments", info.get("comments")),
    ]
    pairs = [(q, " ".join(str(a).split()) if a not in (None, "") else NOT_PROVIDED) for q, a in answers]
    section = Section("climate-card", "Climate performance model card")
    section.blocks.append(Paragraph("Minimum card: questions 1 to 5; extended card: questions 6 to 11."))
    section.blocks.append(Items(pairs, numbered=True))
    section.blocks.append(HERSHCOVICH)
    return section


def frugality(data: ReportInput) -> Section:
    """Need, efficiency vs sufficiency, functional unit, alternatives, second-order effects."""
    info = data.info
    section = Section("frugality", "Frugality (AFNOR SPEC 2314)")
    section.blocks.append(
        Paragraph(
            "An AI service is frugal when the need for AI rather than a less resource-hungry "
            "solution has been shown, good practices that reduce its impact are applied, and its "
            "uses and needs were questioned so as to stay within planetary boundaries. Efficiency "
            "(less impact per functional unit) is not sufficiency (less impact in total): a more "
            "efficient model costs less per use, is used more (rebound), and its total can grow. "
            "The results above are first-order effects per functional unit; what follows asks "
            "whether the functional unit itself is needed."
        )
    )
    fu = data.model.functional_unit
    section.blocks.append(
        Items(
            [
                ("Need served (and why AI)", _text(info.get("need"))),
                ("Functional unit", fu.description or fu.activity if fu else NOT_PROVIDED),
                ("The functional unit questioned", _text(info.get("functional_unit_questioned"))),
                ("Alternatives considered (smaller model, no AI)", _text(info.get("alternatives"))),
            ]
        )
    )
    section.subsections.append(_alternatives(data))
    section.subsections.append(
        _listed(
            "second-order",
            "Second-order effects (qualitative)",
            info.get("second_order_effects"),
            "none stated: rebound, induced uses and substitutions belong here",
        )
    )
    section.subsections.append(
        _listed(
            "practices-applied", "Good practices applied", info.get("good_practices_applied"), "none stated"
        )
    )
    section.subsections.append(
        _listed(
            "practices-not-applied",
            "Good practices not applied",
            info.get("good_practices_not_applied"),
            "none stated",
        )
    )
    section.blocks.append(AFNOR)
    return section


def equivalences(data: ReportInput) -> Section:
    """Everyday equivalents of the totals, each with its factor and source."""
    totals = {c: q.magnitude for c, q in data.result.totals().items()}
    rows = []
    for eq in equivalence_factors():
        total = totals.get(eq["indicator"])
        if not total:
            continue
        rows.append(
            [
                f"{eq['indicator']} total",
                Value(total / eq["factor"]),
                eq["label"],
                f"{eq['factor']:g} {eq['factor_unit']}",
                " ".join(eq["source"].split()),
            ]
        )
    section = Section("equivalences", "Equivalences (for communication, not results)")
    section.blocks.append(
        Paragraph(
            "These comparisons only help a reader grasp orders of magnitude. They are not part of "
            "the assessment: each rests on one average factor, given with its source.",
            note=True,
        )
    )
    section.blocks.append(
        Table(
            "equivalences",
            "Totals expressed as everyday equivalents",
            ["of", "equivalent to", "unit", "factor", "source"],
            rows,
        )
    )
    section.blocks.extend(Link(eq["label"], eq["url"]) for eq in equivalence_factors() if eq.get("url"))
    return section


@cache
def _factors() -> tuple[dict[str, Any], ...]:
    path = datasets_dir() / "reference" / "equivalences.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(data["equivalences"])


def equivalence_factors() -> list[dict[str, Any]]:
    """The shipped equivalence factors (datasets/reference/equivalences.yaml)."""
    return [dict(e) for e in _factors()]


# -- helpers ------------------------------------------------------------------------------------
def _alternatives(data: ReportInput) -> Section:
    sub = Section("alternatives", "Alternatives compared")
    alt = data.alternative
    if alt is None:
        sub.blocks.append(
            Paragraph(
                "No alternative given. Compare with a smaller model or a solution without AI for "
                "the same functional unit: lca report A --compare B.",
                note=True,
            )
        )
        return sub
    sub.blocks.extend(comparison_blocks(data.model.name, data.result, alt.name, alt.result, alt.paired))
    return sub


def comparison_blocks(name_a: str, result_a, name_b: str, result_b, paired=None) -> list:
    """Table and chart of two alternatives (with paired probabilities when given)."""
    units = {i.code: fmt_unit(i) for i in result_a.matrices.indicators}
    ta = {c: q.magnitude for c, q in result_a.totals().items()}
    tb = {c: q.to(result_a.totals()[c].units).magnitude for c, q in result_b.totals().items() if c in ta}
    columns = ["indicator", "unit", name_a, name_b, f"{name_b} / {name_a}"]
    if paired is not None:
        columns.append(f"P({name_a} lower) [{paired.iterations:,} paired draws]")
    missing_a, missing_b = result_a.missing(), result_b.missing()
    rows = []
    for code in ta:
        incomplete = code in missing_a or code in missing_b
        row = [
            code,
            units[code],
            _total_cell(ta[code], code in missing_a),
            _total_cell(tb.get(code, float("nan")), code in missing_b),
            "n/a (incomplete)" if incomplete else _ratio(tb.get(code), ta[code]),
        ]
        if paired is not None:
            probability = paired.probability.get(code, float("nan"))
            row.append("n/a (incomplete)" if incomplete else f"{probability:.1%}")
        rows.append(row)
    blocks: list = [Table("comparison", f"{name_a} vs {name_b}, same functional unit", columns, rows)]
    for name, missing in ((name_a, missing_a), (name_b, missing_b)):
        if missing:
            listed = "; ".join(f"{code}: {', '.join(acts)}" for code, acts in missing.items())
            blocks.append(
                Paragraph(
                    f"{name} is incomplete (data missing, not counted as zero), so these "
                    f"indicators are not compared: {listed}.",
                    note=True,
                )
            )
    blocks.append(
        Figure(
            "The two alternatives, per indicator", lambda: comparison({name_a: ta, name_b: tb}, units, paired)
        )
    )
    if paired is None:
        blocks.append(
            Paragraph(
                "Without Monte Carlo, this comparison says nothing about how likely the ranking is.",
                note=True,
            )
        )
    return blocks


def fmt_unit(indicator) -> str:
    """The unit of ``indicator`` as reports print it.

    Examples
    --------
    >>> from lca.indicators import get_indicator
    >>> fmt_unit(get_indicator("GWP"))
    'kg CO2 eq'
    """
    from lca.units import format_unit

    return format_unit(indicator.unit)


def _total_cell(value: float, incomplete: bool) -> Value | str:
    """A total; an incomplete one reads as a lower bound, never as a plain zero."""
    return f">= {fmt(value)} (incomplete)" if incomplete else Value(value)


def _ratio(b: float | None, a: float) -> str:
    if b is None or not a:
        return "n/a"
    return f"{b / a:.3g}"


def _code(info: dict[str, Any], key: str) -> str | None:
    """An activity code named in ``info`` (None if absent); anything else is a clear error."""
    code = info.get(key)
    if code is not None and not isinstance(code, str):
        raise LcaError(f"info.{key} is {code!r}; expected an activity code")
    return code


def _listed(key: str, title: str, items: Any, empty: str) -> Section:
    sub = Section(key, title)
    if isinstance(items, str) or (items and not isinstance(items, list | tuple)):
        items = [items]
    if items:
        sub.blocks.append(Items([("", " ".join(str(i).split())) for i in items]))
    else:
        sub.blocks.append(Paragraph(empty, note=True))
    return sub


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else NOT_PROVIDED


def _cumulative(data: ReportInput, code: str | None, indicator: str) -> str | None:
    if not code or code not in data.result.matrices.index:
        return None
    value = impact_of(data.result, code).get(indicator)
    if value is None:
        return None
    unit = data.units[indicator]
    name = data.model.activities[code].name
    grams = f" = {fmt(value * 1000)} g" if unit == "kg CO2 eq" and 0 < abs(value) < 1 else ""
    return f"{fmt(value)} {unit}{grams} (computed: {name})"


def _grid_mixes(data: ReportInput) -> str | None:
    """GWP per kWh of every electricity activity (unit kWh) of the inventory."""
    m = data.result.matrices
    mixes = []
    for code, unit in zip(m.activities, m.activity_units, strict=True):
        if unit != "kWh":
            continue
        per_kwh = impact_of(data.result, code).get("GWP")
        if per_kwh:
            mixes.append(f"{data.model.activities[code].name}: {fmt(per_kwh * 1000)} g CO2 eq/kWh")
    return "; ".join(mixes) or None
