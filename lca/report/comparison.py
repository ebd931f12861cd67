"""Two alternatives for the same functional unit, side by side: table, chart, one sentence.

An indicator is ranked only when both alternatives are complete on it, or when both lack
exactly the same data (:func:`comparable`): then the missing part is the same in both,
so their difference and their ranking hold. The chart never shows a probability that
the table calls n/a, and a sentence says what follows from the comparison.
"""

from __future__ import annotations

import dataclasses
import math

from lca.plot import comparison
from lca.report.document import Figure, Paragraph, Table, Value, fmt
from lca.report.numbers import column_scale, format_probability
from lca.report.sections import OUTSIDE
from lca.units import format_unit

#: Marks an indicator compared although both alternatives lack the same data.
SAME_GAPS = "‡"


def comparable(result_a, result_b, code: str) -> str:
    """Whether two results may be ranked on ``code``: ``"yes"``, ``"same gaps"`` or ``"no"``.

    ``"same gaps"``: both lack data, but the same activities (same codes) at the same
    amounts lack it, so the missing part is the same in both; their difference, and so
    the ranking, hold (their ratio does not: both totals are lower bounds).
    """
    cover_a = result_a.coverage(["total"]).loc["total", code]
    cover_b = result_b.coverage(["total"]).loc["total", code] if code in result_b.indicator_codes else "none"
    if cover_a == cover_b == "complete":
        return "yes"
    if "none" == cover_a == cover_b or "complete" in (cover_a, cover_b):
        return "no"
    gaps_a, gaps_b = _gaps(result_a, code), _gaps(result_b, code)
    same = gaps_a.keys() == gaps_b.keys() and all(
        math.isclose(gaps_a[a], gaps_b[a], rel_tol=1e-9, abs_tol=0.0) for a in gaps_a
    )
    return "same gaps" if same else "no"


def _gaps(result, code: str) -> dict[str, float]:
    """Activities lacking ``code`` that the demand uses, with their supply."""
    index = result.matrices.index
    return {a: float(result.supply[index[a]]) for a in result.missing().get(code, [])}


def comparison_blocks(
    name_a: str,
    result_a,
    name_b: str,
    result_b,
    paired=None,
    *,
    subject: str = "a",
    key: str = "comparison",
) -> list:
    """Table, sentence and chart of two alternatives (with paired probabilities when given).

    ``subject`` names the alternative whose chance of being lower is shown: ``"a"`` for
    ``lca compare A B``, ``"b"`` for an alternative to the assessed inventory. An indicator
    is ranked only when both are complete on it, or both lack exactly the same data
    (:func:`comparable`); the chart never shows a probability the table calls n/a.
    """
    units = {i.code: format_unit(i.unit) for i in result_a.matrices.indicators}
    ta = {c: q.magnitude for c, q in result_a.totals().items()}
    tb = {c: q.to(result_a.totals()[c].units).magnitude for c, q in result_b.totals().items() if c in ta}
    cover_a, cover_b = result_a.coverage(["total"]), result_b.coverage(["total"])
    status = {c: comparable(result_a, result_b, c) for c in ta}
    first, second = (name_a, name_b) if subject == "a" else (name_b, name_a)
    probability = {}
    if paired is not None:
        probability = {c: p if subject == "a" else 1 - p for c, p in paired.probability.items()}
    lower = "AB"[0 if subject == "a" else 1]
    columns: list = ["indicator", "A", "B", "B / A"]  # named in the caption: any length reads
    if paired is not None:
        columns.append(f"P({lower} lower)")
    rows = []
    paired_names = paired.names if paired is not None else (name_a, name_b)
    for code in ta:
        state_a = cover_a.loc["total", code]
        state_b = cover_b.loc["total", code] if code in cover_b.columns else "none"
        usable = [v for v, s in ((ta[code], state_a), (tb.get(code, math.nan), state_b)) if s != "none"]
        unit, factor = column_scale(usable, units[code])
        bands = [paired.bands.get(n, {}).get(code) if paired is not None else None for n in paired_names]
        row: list = [
            f"{code} [{unit}]",
            _total(ta[code], state_a, factor, bands[0]),
            _total(tb.get(code, math.nan), state_b, factor, bands[1]),
            _ratio(tb.get(code), ta[code]) if status[code] == "yes" else "n/a (incomplete)",
        ]
        if paired is not None:
            p = probability.get(code)
            ranked = status[code] != "no" and p is not None
            mark = SAME_GAPS if status[code] == "same gaps" else ""
            row.append(Value(p, kind="probability", mark=mark) if ranked else "n/a (incomplete)")
        rows.append(row)
    caption = f"A: {name_a}; B: {name_b}; same functional unit: deterministic totals"
    if paired is not None:
        caption += (
            f", with the 95% interval of {paired.iterations:,} paired draws, and P({lower} lower) over them"
        )
    table = Table(key, caption, columns, rows)
    table.notes = _comparison_notes(name_a, result_a, name_b, result_b, status)
    if any(isinstance(c, Value) and c.mark == OUTSIDE for row in rows for c in row):
        table.notes.append(
            f"{OUTSIDE} The deterministic total lies outside its interval: it takes every input at its "
            "entered amount, which for skewed distributions is not their median (see the data quality "
            "of each inventory)."
        )
    ranked = [c for c in ta if status[c] != "no"]
    blocks: list = [Paragraph(_verdict(first, second, ta, tb, status, probability, paired, subject)), table]
    totals = {
        name_a: {c: math.nan if cover_a.loc["total", c] == "none" else ta[c] for c in ta},
        name_b: {
            c: math.nan
            if c not in cover_b.columns or cover_b.loc["total", c] == "none"
            else tb.get(c, math.nan)
            for c in ta
        },
    }
    chart_paired = dataclasses.replace(paired, probability=probability) if paired is not None else None
    blocks.append(
        Figure(
            "The two alternatives per indicator, as % of the larger (deterministic totals"
            + (", 95% intervals of the paired draws)" if paired is not None else ")"),
            lambda: comparison(totals, units, chart_paired, comparable=ranked, lower=lower),
            alt=_comparison_alt(name_a, name_b, rows, lower if paired is not None else ""),
            key=key,
        )
    )
    return blocks


def _comparison_alt(name_a: str, name_b: str, rows: list[list], lower: str) -> str:
    """The comparison chart in words: each indicator's two totals (and the probability)."""
    parts = []
    for row in rows:
        texts = [c.text if isinstance(c, Value) else str(c) for c in row]
        part = f"{texts[0]}: A {texts[1]}, B {texts[2]}"
        if lower:
            part += f", P({lower} lower) {texts[4]}"
        parts.append(part)
    return f"Bar chart comparing A: {name_a} and B: {name_b}. " + "; ".join(parts) + "."


def _comparison_notes(name_a, result_a, name_b, result_b, status) -> list[str]:
    notes = []
    for name, result in ((name_a, result_a), (name_b, result_b)):
        missing = {c: acts for c, acts in result.missing().items() if status.get(c) == "no"}
        if missing:
            listed = "; ".join(f"{code}: {', '.join(acts)}" for code, acts in missing.items())
            notes.append(
                f"{name} is incomplete (data missing, not counted as zero), so these indicators are "
                f"not compared: {listed}."
            )
    same = [c for c, s in status.items() if s == "same gaps"]
    if same:
        notes.append(
            f"{SAME_GAPS} Compared although incomplete: both alternatives lack exactly the same data on "
            f"{', '.join(same)} (the same activities at the same amounts), so the missing part is the same "
            "in both; the difference and the ranking hold, the ratio of the two lower bounds would not."
        )
    return notes


def _verdict(first, second, ta, tb, status, probability, paired, subject) -> str:
    """One sentence: on which indicators ``first`` is lower, higher or the same, and what follows.

    With paired draws, lower means P(lower) >= 95% and higher P(lower) <= 5%; without,
    the deterministic totals decide (and the sentence says the likelihood is unknown).
    Totals equal in every paired draw (P = 50% from ties) are the same, not an open ranking.
    """
    lower, higher, unsettled, same = [], [], [], []
    for code in ta:
        if status[code] == "no":
            continue
        a, b = (ta[code], tb.get(code, math.nan)) if subject == "a" else (tb.get(code, math.nan), ta[code])
        if paired is not None:
            p = probability.get(code)
            if p is None:
                continue
            if paired.ties.get(code) == 1.0:  # equal in every draw
                same.append(code)
                continue
            group = lower if p >= 0.95 else higher if p <= 0.05 else unsettled
            group.append(f"{code} ({format_probability(p)})")
        elif math.isfinite(a) and math.isfinite(b):
            if a == b:
                same.append(code)
            else:
                (lower if a < b else higher).append(f"{code} (x{fmt(a / b, 3)})" if b else code)
    parts = [
        f"{label} {', '.join(codes)}"
        for label, codes in (
            ("lower on", lower),
            ("higher on", higher),
            ("not clearly lower or higher on", unsettled),
            ("the same on", same),
        )
        if codes
    ]
    how = (
        f"P({first} lower) over the paired draws"
        if paired is not None
        else f"{first} / {second}, deterministic"
    )
    if lower or higher or unsettled:
        sentence = f"{first} is {'; '.join(parts)} ({how})"
    elif same:
        sentence = f"{first} is {parts[0]}"
    else:
        sentence = f"{first} and {second} cannot be ranked on any indicator"
    if lower and not higher and not unsettled:
        follows = (
            f"so {first} is the more frugal choice for this functional unit on every indicator "
            "compared, if it serves the need as well"
        )
    elif higher and not lower and not unsettled:
        follows = f"so {first} does not reduce the impact on any indicator compared"
    elif lower and higher:
        follows = "so the choice trades one impact against another: say which matters for the need"
    elif unsettled:
        follows = (
            "so the uncertainty does not settle the ranking on some indicators: narrow the inputs that "
            "drive it (see Main contributors) before choosing"
        )
    else:
        follows = "so nothing follows from this comparison"
    if paired is None and (lower or higher):
        follows += " (run Monte Carlo to know how likely this ranking is)"
    text = f"{sentence}, {follows}."
    skipped = [c for c in ta if status[c] == "no"]
    if skipped:
        text += f" Not compared (incomplete data): {', '.join(skipped)}."
    return text


def _total(value: float, cover: str, factor: float, band: tuple[float, float] | None = None) -> Value:
    """A total; an incomplete one reads as a lower bound, a missing one as n/a, never 0."""
    low, high = band if band and cover != "none" else (None, None)
    outside = low is not None and math.isfinite(value) and not low <= value <= high
    return Value(
        value,
        low,
        high,
        scale=factor,
        missing=cover == "none",
        bound="lower" if cover == "partial" else "",
        mark=OUTSIDE if outside else "",
    )


def _ratio(b: float | None, a: float) -> Value | str:
    if b is None or not a or not math.isfinite(b):
        return "n/a"
    return Value(b / a, kind="ratio")
