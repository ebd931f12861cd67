"""Charts of results, as matplotlib figures (the report embeds them; notebooks show them).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot, so no
global state or GUI backend is touched; display it in a notebook, save it with
``fig.savefig(...)``, or embed it with :func:`to_svg`. Plots read results; they compute
nothing but the scaling of axes. Numbers read as in the tables (:mod:`lca.report.numbers`):
one unit prefix per indicator, no e-notation and no offset on any axis.

Examples
--------
>>> import lca
>>> fig = phase_bars(lca.solve(lca.bloom()))
>>> len(fig.axes)
4
"""

from __future__ import annotations

import html
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from lca.model.records import BACKGROUND, PHASES
from lca.report.numbers import display_unit, format_number, format_probability, format_quantity
from lca.units import format_unit

if TYPE_CHECKING:
    from lca.report.uncertain import Bands, Paired
    from lca.solve import Result

#: One colour per phase (colour-blind friendly, Okabe-Ito), stable across charts.
PHASE_COLOURS = {
    "extraction": "#E69F00",
    "manufacturing": "#56B4E9",
    "transport": "#F0E442",
    "training": "#0072B2",
    "deployment": "#D55E00",
    "end_of_life": "#CC79A7",
    BACKGROUND: "#999999",
}
_ALTERNATIVE_COLOURS = ("#0072B2", "#D55E00")
#: Width of every chart, in inches (about 520 px in a page; scaled to the screen).
WIDTH = 5.4
_LABEL = 8  # font size of labels inside a chart, in points


def readable_axis(axis: Any) -> None:
    """Tick labels as the tables write numbers: no offset, no e-notation."""
    axis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 3)))


def phase_bars(
    result: Result,
    indicators: Sequence[str] | None = None,
    bands: Bands | None = None,
) -> Figure:
    """One panel per indicator: a bar per life-cycle phase, with its Monte Carlo interval.

    Parameters
    ----------
    result : Result
        A deterministic result (the bars are its values).
    indicators : list of str, optional
        Indicator codes to show (default: all of the result's).
    bands : Bands, optional
        Monte Carlo summary: each bar gets a whisker from the low to the high percentile.

    Returns
    -------
    Figure
        One axis per indicator, in the unit that reads best (``t CO2 eq``, ``mg Sb eq``).
        A phase without data reads ``n/a``; a phase missing some data is hatched and its
        value marked ``>=`` (a lower bound).
    """
    table = result.phase_table(units_in_header=False)
    coverage = result.coverage()
    units = {i.code: format_unit(i.unit) for i in result.matrices.indicators}
    asked = list(indicators or table.columns)
    codes = [c for c in asked if coverage.loc["total", c] != "none"] or asked[:1]
    phases = [p for p in table.index if p != "total"]
    phase_bands = bands.phase_bands if bands is not None else {}
    height = sum(0.55 + 0.26 * len(phases) for _ in codes) + 0.3
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = fig.subplots(len(codes), 1, squeeze=False)[:, 0]
    for ax, code in zip(axes, codes, strict=True):
        values = [float(table.loc[p, code]) for p in phases]
        spans = [phase_bands.get(p, {}).get(code) for p in phases]
        total = float(table.loc["total", code])
        shown, factor = display_unit(units[code], max([abs(v) for v in values] + [abs(total)]))
        reach = [abs(v) for v in values] + [abs(b[2]) for b in spans if b]
        for k, phase in enumerate(phases):
            cover = coverage.loc[phase, code]
            if cover == "none":
                ax.text(0, k, "  n/a (no data)", va="center", ha="left", fontsize=_LABEL, color="#555555")
                continue
            ax.barh(
                k,
                values[k] * factor,
                height=0.62,
                color=PHASE_COLOURS.get(phase, "#777777"),
                hatch="///" if cover == "partial" else None,
                edgecolor="white" if cover == "partial" else None,
            )
            end, mark = values[k], ""
            if spans[k]:
                low, _, high = spans[k]
                ax.errorbar(
                    values[k] * factor,
                    k,
                    xerr=[[max(values[k] - low, 0) * factor], [max(high - values[k], 0) * factor]],
                    fmt="none",
                    ecolor="black",
                    capsize=3,
                    lw=1,
                )
                end = max(values[k], high)
                mark = "" if low <= values[k] <= high else " †"
            label = (">= " if cover == "partial" else "") + format_number(values[k] * factor, 3) + mark
            ax.text(end * factor, k, "  " + label, va="center", ha="left", fontsize=_LABEL)
        top = max(reach, default=0.0) * factor or 1.0
        ax.set_xlim(min(0.0, min(values, default=0.0) * factor * 1.3), top * 1.32)
        ax.set_yticks(np.arange(len(phases)), phases, fontsize=_LABEL)
        ax.invert_yaxis()
        readable_axis(ax.xaxis)
        ax.tick_params(axis="x", labelsize=_LABEL - 1)
        cover = coverage.loc["total", code]
        bound = ">= " if cover == "partial" else ""
        ax.set_title(
            f"{code}, total {bound}{format_number(total * factor, 3)} {shown}",
            loc="left",
            fontsize=_LABEL + 1,
        )
        ax.set_xlabel(shown, fontsize=_LABEL, loc="right", labelpad=1)
        ax.spines[["top", "right"]].set_visible(False)
    empty = [c for c in asked if c not in codes]
    if empty:
        fig.suptitle(f"No data for {', '.join(empty)} (not drawn)", fontsize=_LABEL, x=0.01, ha="left")
    return fig


def contribution_chart(
    result: Result,
    indicator: str,
    cutoff: float = 0.01,
    max_depth: int = 4,
) -> Figure:
    """An icicle of the contribution tree: each column one level of the supply chain.

    The demanded activity spans the full height; under it (to the right) each supplier
    spans its share of the total, largest first, down to ``cutoff`` of the total. What a
    node does not pass on to the suppliers drawn is its own flows plus the small branches.
    Colours are the phases'; a label shows the name, the cumulative impact and its share
    where the box is large enough for it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from lca.contribution import contribution_tree

    nodes = [n for n in contribution_tree(result, indicator, max_depth=max_depth, cutoff=cutoff)]
    unit = next(format_unit(i.unit) for i in result.matrices.indicators if i.code == indicator)
    phases = dict(zip(result.matrices.activities, result.matrices.phases, strict=True))
    total = sum(n.impact for n in nodes if n.depth == 0) or 1.0
    depth = max((n.depth for n in nodes), default=0) + 1
    fig = Figure(figsize=(WIDTH, 3.2))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.005, 0.08, 0.99, 0.9))
    ax.set_xlim(0, depth)
    ax.set_ylim(1, 0)
    ax.set_axis_off()
    renderer = fig.canvas.get_renderer()
    free = {-1: [0.0, 1.0]}  # per depth: [next free position, end] under its open node
    shown_phases = []
    for node in nodes:
        parent = free.get(node.depth - 1)
        if parent is None:  # a deeper node whose parent was not drawn
            continue
        y0 = parent[0]
        share = min(max(node.impact, 0.0) / abs(total), max(parent[1] - y0, 0.0))
        parent[0] = y0 + share
        free[node.depth] = [y0, y0 + share]
        for deeper in [d for d in free if d > node.depth]:
            del free[deeper]
        if share <= 0:
            continue
        phase = phases.get(node.code, BACKGROUND)
        shown_phases.append(phase)
        ax.add_patch(
            Rectangle(
                (node.depth, y0),
                1,
                share,
                facecolor=PHASE_COLOURS.get(phase, "#777777"),
                edgecolor="white",
                lw=1.2,
            )
        )
        _box_label(ax, renderer, node, y0, share, unit, total)
    handles = [Patch(color=PHASE_COLOURS.get(p, "#777777"), label=p) for p in dict.fromkeys(shown_phases)]
    fig.legend(handles=handles, loc="lower left", ncols=len(handles), fontsize=_LABEL, frameon=False)
    return fig


def _box_label(ax: Any, renderer: Any, node: Any, y0: float, share: float, unit: str, total: float) -> None:
    """Name, impact and share inside the node's box, shortened until they fit (or left out)."""
    (x_left, y_top), (x_right, y_bottom) = ax.transData.transform(
        [(node.depth, y0), (node.depth + 1, y0 + share)]
    )
    width, height = abs(x_right - x_left) - 6, abs(y_bottom - y_top) - 2
    value = f"{format_quantity(node.impact, unit, 3, reference=total)} ({node.share:.0%})"
    line = _LABEL * 1.3 * fig_dpi(ax) / 72
    lines = [node.name, value] if height >= 2 * line else [node.name] if height >= line else []
    if not lines:
        return
    text = ax.text(
        node.depth + 0.03, y0 + share / 2, "", va="center", ha="left", fontsize=_LABEL, color="black"
    )
    for size in range(len(node.name), 0, -1):
        name = node.name if size == len(node.name) else node.name[: max(size - 1, 1)].rstrip() + "…"
        text.set_text("\n".join([name, *lines[1:]]))
        if text.get_window_extent(renderer).width <= width:
            return
    text.remove()


def fig_dpi(ax: Any) -> float:
    """Dots per inch of the figure holding ``ax``."""
    return float(ax.figure.dpi)


def comparison(
    totals: Mapping[str, Mapping[str, float]],
    units: Mapping[str, str],
    paired: Paired | None = None,
    comparable: Sequence[str] | None = None,
    lower: str = "A",
) -> Figure:
    """Two alternatives side by side, each indicator scaled to the larger of the two.

    Parameters
    ----------
    totals : dict
        ``{alternative name: {indicator: total}}`` for exactly two alternatives (NaN: no data).
    units : dict
        Indicator code -> unit text.
    paired : Paired, optional
        Monte Carlo comparison: adds 95% error bars and, for the indicators in
        ``comparable``, the probability that the first alternative is lower.
    comparable : list of str, optional
        Indicators on which the two may be ranked (default: all); the probability of any
        other is not shown, as in the comparison table.
    lower : {"A", "B"}
        Whose probability of being lower ``paired.probability`` holds (A: the first).

    Returns
    -------
    Figure
        Horizontal bars, one pair per indicator. The alternatives are named in the legend
        only (``A: ...``, ``B: ...``, wrapped), so labels never grow with the names.
    """
    names = list(totals)
    codes = [c for c in units if any(_finite(totals[n].get(c)) for n in names)] or list(units)
    ranked = set(codes if comparable is None else comparable)
    wrapped = [textwrap.fill(f"{'AB'[k]}: {name}", 60) for k, name in enumerate(names)]
    legend_lines = sum(w.count("\n") + 1 for w in wrapped)
    fig = Figure(figsize=(WIDTH, 0.7 + 0.62 * len(codes) + 0.2 * legend_lines), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(codes), dtype=float)
    height = 0.36
    furthest: list[float] = []
    peaks = [
        max([abs(totals[n][c]) for n in names if _finite(totals[n].get(c))] + [0.0]) or 1.0 for c in codes
    ]
    for k, name in enumerate(names):
        values = np.array([_percent(totals[name].get(c), p) for c, p in zip(codes, peaks, strict=True)])
        rows = y + (k - 0.5) * height
        ax.barh(rows, np.nan_to_num(values), height, color=_ALTERNATIVE_COLOURS[k % 2], label=wrapped[k])
        ends = values.copy()
        if paired is not None:
            band = paired.bands.get(paired.names[k], {})
            spans = [band.get(c) for c in codes]
            low = np.array(
                [_percent(s[0], p) if s else v for s, p, v in zip(spans, peaks, values, strict=True)]
            )
            high = np.array(
                [_percent(s[1], p) if s else v for s, p, v in zip(spans, peaks, values, strict=True)]
            )
            ok = np.isfinite(values)
            ax.errorbar(
                values[ok],
                rows[ok],
                xerr=[np.clip(values - low, 0, None)[ok], np.clip(high - values, 0, None)[ok]],
                fmt="none",
                ecolor="black",
                capsize=3,
                lw=1,
            )
            ends = np.fmax(values, high)
        furthest.extend(ends)
        for j, (row, code, value, end, peak) in enumerate(zip(rows, codes, values, ends, peaks, strict=True)):
            raw = totals[name].get(code)
            label = format_quantity(raw, units[code], 3, reference=peak) if np.isfinite(value) else "n/a"
            if paired is not None and np.isfinite(value) and not low[j] <= value <= high[j]:
                label += " †"  # the deterministic total lies outside its interval
            ax.text(
                (end if np.isfinite(end) else 0) + 1.5, row, label, va="center", ha="left", fontsize=_LABEL
            )
    right = max([160.0, *(e * 1.25 + 10 for e in furthest if np.isfinite(e))])
    labels = []
    for code in codes:
        label = code
        if paired is not None and code in ranked and code in paired.probability:
            label += f"\nP({lower} lower) {format_probability(paired.probability[code])}"
        elif paired is not None:
            label += "\nnot ranked"
        labels.append(label)
    ax.set_yticks(y, labels, fontsize=_LABEL)
    ax.invert_yaxis()
    ax.set_xlim(0, right)  # room for the labels beyond the longest bar or whisker
    ax.set_xticks([0, 25, 50, 75, 100])
    readable_axis(ax.xaxis)
    ax.tick_params(axis="x", labelsize=_LABEL - 1)
    ax.set_xlabel("% of the larger alternative", fontsize=_LABEL, loc="left")
    fig.legend(frameon=False, loc="outside upper left", ncols=1, fontsize=_LABEL)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _percent(value: float | None, peak: float) -> float:
    return value / peak * 100 if _finite(value) else math.nan


def uncertainty(bands: Bands | Any, indicators: Sequence[str] | None = None) -> Figure:
    """Violins of the Monte Carlo draws of each indicator's total, with the 95% band.

    Parameters
    ----------
    bands : Bands or MonteCarloResult
        The Monte Carlo summary read by the report (:mod:`lca.report.uncertain`), or a
        Monte Carlo result itself (``lca.uncertainty.propagation.monte_carlo(...)``).
    indicators : list of str, optional
        Indicator codes (default: those with draws that vary).
    """
    if not hasattr(bands, "total_draws"):
        from lca.report.uncertain import bands_from_mc

        bands = bands_from_mc(bands)
    codes = [
        c for c in (indicators or bands.total_draws) if np.ptp(np.asarray(bands.total_draws[c])) > 0
    ] or list(bands.total_draws)[:1]
    fig = Figure(figsize=(WIDTH, 2.6), layout="constrained")
    axes = fig.subplots(1, len(codes), squeeze=False)[0]
    for ax, code in zip(axes, codes, strict=True):
        draws = np.asarray(bands.total_draws[code], dtype=float)
        shown, factor = display_unit(bands.units.get(code, ""), float(np.max(np.abs(draws))))
        low, mid, high = np.percentile(draws, [bands.low_pct, 50, bands.high_pct])
        if np.ptp(draws) > 0:
            ax.violinplot(draws * factor, showextrema=False)
        ax.errorbar(
            [1],
            [mid * factor],
            yerr=[[(mid - low) * factor], [(high - mid) * factor]],
            fmt="o",
            color="black",
            capsize=6,
        )
        ax.set_xticks([1], [code])
        ax.set_ylabel(shown)
        readable_axis(ax.yaxis)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"{bands.iterations:,} Monte Carlo draws: median and {bands.level_label}", fontsize=10)
    return fig


def to_svg(fig: Figure, salt: str = "lca", alt: str = "") -> str:
    """The figure as an inline ``<svg>`` element (no XML header, no external references).

    ``salt`` seeds the element ids, so the same figure gives the same text (give each
    figure of a page its own salt). ``alt`` becomes the chart's accessible name
    (``role="img"``, ``aria-label`` and a ``<title>``).
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    if alt:
        label = html.escape(alt, quote=True)
        head = text.index(">") + 1
        text = (
            text[: head - 1].replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
            + f"><title>{html.escape(alt, quote=False)}</title>"
            + text[head:]
        )
    return text


def phase_order(phases: Sequence[str]) -> list[str]:
    """``phases`` sorted in life-cycle order (background last)."""
    order = {p: k for k, p in enumerate((*PHASES, BACKGROUND))}
    return sorted(phases, key=lambda p: order.get(p, len(order)))
