"""The climate performance model card of Hershcovich et al. (2022), eleven questions in order.

Questions 1-5 are the minimum card, 6-11 the extended card. Each is answered from the
inventory's ``info`` fields, its parameters (the GPU power) and its results (the CO2 eq of
the training run and of one inference, with their Monte Carlo interval when one was run);
the questions left open are listed once, to complete.
"""

from __future__ import annotations

from typing import Any

from lca.contribution import impact_of
from lca.errors import LcaError
from lca.report.document import Items, Link, Paragraph, Section, fmt
from lca.report.numbers import display_unit
from lca.report.sections import ReportInput
from lca.units import Q_, ureg

#: An answer the inventory does not give (the section lists them once, "to complete").
NOT_PROVIDED = "—"

HERSHCOVICH = Link(
    "Hershcovich, D., Webersinke, N., Kraus, M., Bingler, J. A., Leippold, M. (2022). Towards "
    "climate awareness in NLP research. EMNLP 2022, 2480-2494.",
    "https://aclanthology.org/2022.emnlp-main.159/",
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
        ("Is the resulting model publicly available?", info.get("model_public"), "model_public"),
        (
            "How much time does the training of the final model take?",
            info.get("training_time"),
            "training_time",
        ),
        (
            "How much time did all experiments take (incl. hyperparameter search)?",
            info.get("experiments_time"),
            "experiments_time",
        ),
        ("What was the power of GPU and CPU?", info.get("power") or _powers(data), "power"),
        ("At which geo location were the computations performed?", locations or None, "location_training"),
        (
            "What was the energy mix at the geo location (g CO2 eq/kWh)?",
            info.get("energy_mix") or _grid_mixes(data),
            "energy_mix",
        ),
        ("How much CO2 eq was emitted to train the final model?", training, "training_activity"),
        ("How much CO2 eq was emitted for all experiments?", info.get("experiments_co2"), "experiments_co2"),
        (
            "What is the average CO2 eq emission for the inference of one sample?",
            inference,
            "inference_activity",
        ),
        (
            "Which positive environmental impact can be expected from this work?",
            info.get("positive_impact"),
            "positive_impact",
        ),
        ("Comments", info.get("comments"), "comments"),
    ]
    pairs = [(q, answer_text(a)) for q, a, _ in answers]
    open_keys = [
        f"{k} ({key})" for k, (_, a, key) in enumerate(answers, start=1) if answer_text(a) == NOT_PROVIDED
    ]
    section = Section("climate-card", "Climate performance model card")
    section.blocks.append(Paragraph("Minimum card: questions 1 to 5; extended card: questions 6 to 11."))
    section.blocks.append(Items(pairs, numbered=True))
    if open_keys:
        section.blocks.append(
            Paragraph(f"To complete (question, info field): {', '.join(open_keys)}.", note=True)
        )
    section.blocks.append(HERSHCOVICH)
    return section


def _code(info: dict[str, Any], key: str) -> str | None:
    """An activity code named in ``info`` (None if absent); anything else is a clear error."""
    code = info.get(key)
    if code is not None and not isinstance(code, str):
        raise LcaError(f"info.{key} is {code!r}; expected an activity code")
    return code


def answer_text(value: Any, empty: str = NOT_PROVIDED) -> str:
    """An ``info`` answer on one line, or ``empty`` when there is none."""
    return " ".join(str(value).split()) if value not in (None, "") else empty


def _cumulative(data: ReportInput, code: str | None, indicator: str) -> str | None:
    """The cumulative impact of one unit of ``code``, with its Monte Carlo band when run."""
    if not code or code not in data.result.matrices.index or indicator not in data.units:
        return None
    value = impact_of(data.result, code).get(indicator)
    if value is None:
        return None
    unit = data.units[indicator]
    band = data.bands.activities.get(code, {}).get(indicator) if data.bands else None
    shown, factor = display_unit(unit, value)
    text = f"{fmt(value * factor)} {shown}"
    if band:
        text += f" [{fmt(band[0] * factor)} – {fmt(band[2] * factor)}, {data.bands.level_label}]"
        if not band[0] <= value <= band[2]:
            text += (
                " (the deterministic value lies outside its interval: its inputs' distributions are skewed)"
            )
    name = data.model.activities[code].name
    return f"{text} (computed: {name}, deterministic value)"


def _grid_mixes(data: ReportInput) -> str | None:
    """GWP per kWh of every electricity activity (unit kWh) of the inventory."""
    m = data.result.matrices
    mixes = []
    for code, unit in zip(m.activities, m.activity_units, strict=True):
        if unit != "kWh" or "GWP" not in data.units:
            continue
        per_kwh = impact_of(data.result, code).get("GWP")
        if per_kwh:
            mixes.append(f"{data.model.activities[code].name}: {fmt(per_kwh * 1000)} g CO2 eq/kWh")
    return "; ".join(mixes) or None


def _powers(data: ReportInput) -> str | None:
    """The parameters whose unit is a power (W, kW...), with their source: card question 4."""
    found = []
    for p in data.model.parameters.values():
        if isinstance(p.amount, str) or not p.unit:
            continue
        try:
            quantity = Q_(float(p.amount), p.unit)
        except Exception:  # an odd unit is the compiler's to report, not the card's
            continue
        if quantity.dimensionality == ureg.watt.dimensionality:
            found.append(f"{p.name} {fmt(float(p.amount))} {p.unit}" + (f" ({p.source})" if p.source else ""))
    return "; ".join(found) + " (from the parameters)" if found else None
