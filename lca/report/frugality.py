"""The communication sections: frugality and equivalences (the model card: :mod:`lca.report.card`).

* A frugality section in the spirit of AFNOR SPEC 2314 (2024): need, efficiency vs
  sufficiency, the functional unit questioned, the alternatives computed and compared
  (P(alternative lower) per indicator and one sentence on what follows), and two tables
  to fill: second-order effects and the families of good practices.
* Equivalences with their factor and source, kept apart from the results.

The ``info`` keys read here are listed in :data:`lca.report.info.INFO_FIELDS`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from lca.data.paths import datasets_dir
from lca.errors import LcaError
from lca.report.card import NOT_PROVIDED
from lca.report.card import answer_text as _text
from lca.report.comparison import comparison_blocks
from lca.report.document import Items, Link, Paragraph, Section, Table, Value
from lca.report.info import EFFECT_KINDS, PRACTICE_FAMILIES
from lca.report.sections import ReportInput
from lca.units import format_unit

AFNOR = Link(
    "AFNOR (2024). AFNOR SPEC 2314: Référentiel général pour l'IA frugale (Frugal AI: "
    "measuring and reducing the environmental impact of AI). Read from public summaries.",
    "https://www.boutique.afnor.org/fr-fr/norme/afnor-spec-2314/referentiel-general-pour-lia-frugale-mesurer-et-reduire-limpact-environnemental-d/fa208976/421140",
)
LIGOZAT = (
    "Kinds of effect after Ligozat, A.-L. (2024), Comment évaluer les impacts écologiques d'un projet "
    "en IA ?, workshop Frugalité en IA et en statistique, 4 October 2024 (first, second and "
    "third-order effects; rebound and path dependency), and ITU-T L.1480, which AFNOR SPEC 2314 "
    "follows for second and higher-order effects."
)


def frugality(data: ReportInput) -> Section:
    """Need, efficiency vs sufficiency, alternatives compared, effects and practices to fill."""
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
    stated = [
        ("Need served (and why AI)", info.get("need"), "need"),
        ("Functional unit", (fu.description or fu.activity) if fu else None, "functional_unit"),
        (
            "The functional unit questioned",
            info.get("functional_unit_questioned"),
            "functional_unit_questioned",
        ),
        (
            "Alternatives considered (smaller model, no AI, another region)",
            _alternatives_text(data),
            "alternatives",
        ),
    ]
    section.blocks.append(Items([(label, _text(value)) for label, value, _ in stated]))
    to_complete = [key for _, value, key in stated if _text(value) == NOT_PROVIDED]
    section.subsections.append(_alternatives(data))
    effects, open_effects = _effects(info.get("second_order_effects"))
    practices, open_practices = _practices(info)
    section.subsections.append(effects)
    section.subsections.append(practices)
    if open_effects:
        to_complete.append("second_order_effects (" + ", ".join(open_effects) + ")")
    if open_practices:
        to_complete.append("good_practices (" + ", ".join(open_practices) + ")")
    if to_complete:
        section.blocks.append(Paragraph(f"To complete (info fields): {'; '.join(to_complete)}.", note=True))
    section.blocks.append(AFNOR)
    return section


def equivalences(data: ReportInput) -> Section:
    """Everyday equivalents of the totals, each with its factor and source."""
    totals = {c: float(data.table.loc["total", c]) for c in data.table.columns}
    rows = []
    for eq in equivalence_factors():
        code = eq["indicator"]
        if not totals.get(code) or code not in data.coverage or data.coverage.loc["total", code] == "none":
            continue
        partial = data.coverage.loc["total", code] == "partial"
        rows.append(
            [
                f"{code} total",
                Value(totals[code] / eq["factor"], kind="number", bound="lower" if partial else ""),
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
            "Totals expressed as everyday equivalents (deterministic totals)",
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


# -- alternatives -------------------------------------------------------------------------------
def _alternatives(data: ReportInput) -> Section:
    sub = Section("alternatives", "Alternatives compared")
    if not data.alternatives:
        sub.blocks.append(
            Paragraph(
                "No alternative computed. Name one in info.alternatives ({name, inventory: FILE} or "
                "{name, activity: CODE}) or compare with a smaller model or a solution without AI for "
                "the same functional unit: lca report A --compare B.",
                note=True,
            )
        )
        return sub
    for k, alt in enumerate(data.alternatives):
        blocks = comparison_blocks(
            data.model.name,
            data.result,
            alt.name,
            alt.result,
            alt.paired,
            subject="b",
            key=f"comparison{k or ''}",
        )
        sub.blocks.extend(blocks)
    return sub


def _alternatives_text(data: ReportInput) -> Any:
    stated = data.info.get("alternatives")
    if isinstance(stated, list | tuple):
        names = [str(a.get("name", "")) if isinstance(a, dict) else str(a) for a in stated]
        return "; ".join(n for n in names if n) or None
    return stated


def fmt_unit(indicator) -> str:
    """The unit of ``indicator`` as reports print it.

    Examples
    --------
    >>> from lca.indicators import get_indicator
    >>> fmt_unit(get_indicator("GWP"))
    'kg CO2 eq'
    """
    return format_unit(indicator.unit)


# -- second-order effects and good practices ----------------------------------------------------
def _effects(given: Any) -> tuple[Section, list[str]]:
    """The table of second-order effects: one row per kind, then the effects stated as a list."""
    sub = Section("second-order", "Second-order effects (qualitative)")
    mapping = given if isinstance(given, dict) else {}
    listed = [] if isinstance(given, dict) or given in (None, "") else given
    if isinstance(listed, str) or not isinstance(listed, list | tuple):
        listed = [listed]
    rows = [
        [label.split(":")[0], label.split(": ", 1)[1], _text(mapping.get(kind), "")]
        for kind, label in EFFECT_KINDS.items()
    ]
    rows += [["stated", "", _text(item, "")] for item in listed]
    extra = [k for k in mapping if k not in EFFECT_KINDS]
    rows += [[str(k), "", _text(mapping[k], "")] for k in extra]
    sub.blocks.append(
        Table(
            "effects",
            "Second-order effects: what the service may cause beyond its own impacts",
            ["effect", "meaning", "expected here"],
            rows,
        )
    )
    sub.blocks.append(Paragraph(LIGOZAT))
    return sub, [kind for kind in EFFECT_KINDS if not _text(mapping.get(kind), "")]


def _practices(info: dict[str, Any]) -> tuple[Section, list[str]]:
    """The table of good practices: a row per AFNOR SPEC 2314 family, then those stated as lists."""
    sub = Section("practices", "Good practices (AFNOR SPEC 2314 families)")
    given = info.get("good_practices") or {}
    if not isinstance(given, dict):
        raise LcaError(
            f"info.good_practices is {given!r}; expected a mapping of family "
            f"({', '.join(PRACTICE_FAMILIES)}) -> 'applied: how' or 'not applied: why'"
        )
    rows, open_families = [], []
    for family, label in PRACTICE_FAMILIES.items():
        text = _text(given.get(family, info.get(f"good_practices.{family}")), "")
        status, _, note = text.partition(":") if ":" in text else ("", "", text)
        status = status.strip().lower()
        if status not in ("applied", "not applied", "not relevant"):
            status, note = ("stated" if text else ""), text
        if not text:
            open_families.append(family)
        rows.append([label.split(":")[0], label.split(": ", 1)[1], status, note.strip()])
    for key, status in (("good_practices_applied", "applied"), ("good_practices_not_applied", "not applied")):
        items = info.get(key) or []
        if isinstance(items, str) or not isinstance(items, list | tuple):
            items = [items]
        rows += [["stated", "", status, _text(item, "")] for item in items]
    sub.blocks.append(
        Table(
            "practices",
            "Good practices: applied, not applied (and why), or not relevant",
            ["family", "what it asks", "status", "how, or why not"],
            rows,
        )
    )
    return sub, open_families
