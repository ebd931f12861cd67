"""Charts of results, as matplotlib figures (the report embeds them; notebooks show them).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot, so no
global state or GUI backend is touched; display it in a notebook, save it with
``fig.savefig(...)``, or embed it with :func:`to_svg`. Plots read results; they compute
nothing but the scaling of axes.

Examples
--------
>>> import lca
>>> fig = phase_bars(lca.solve(lca.bloom()))
>>> len(fig.axes)
4
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from lca.model.records import BACKGROUND, PHASES
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


def phase_bars(result: Result, indicators: Sequence[str] | None = None) -> Figure:
    """One horizontal bar per indicator, stacked by life-cycle phase, in share of the total.

    Parameters
    ----------
    result : Result
        A deterministic result.
    indicators : list of str, optional
        Indicator codes to show (default: all of the result's).

    Returns
    -------
    Figure
        One axis per indicator; the bar's label gives the total with its unit.
    """
    table = result.phase_table(units_in_header=False)
    units = {i.code: format_unit(i.unit) for i in result.matrices.indicators}
    codes = list(indicators or table.columns)
    phases = [p for p in table.index if p != "total"]
    fig = Figure(figsize=(8, 0.9 + 0.75 * len(codes)), layout="constrained")
    axes = fig.subplots(len(codes), 1, squeeze=False)[:, 0]
    for ax, code in zip(axes, codes, strict=True):
        total = float(table.loc["total", code])
        left = 0.0
        for phase in phases:
            value = float(table.loc[phase, code])
            share = value / total * 100 if total else 0.0
            ax.barh(0, share, left=left, color=PHASE_COLOURS.get(phase, "#777777"), label=phase)
            if share >= 8:
                ax.text(left + share / 2, 0, f"{share:.0f}%", ha="center", va="center", fontsize=8)
            left += share
        ax.set_xlim(0, 100)
        ax.set_yticks([0], [f"{code}\n{_short(total, 4)} {units[code]}"])
        ax.set_xticks([] if ax is not axes[-1] else [0, 25, 50, 75, 100])
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xlabel("share of the total (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(phases), frameon=False)
    return fig


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
    fig = Figure(figsize=(8, 2.6), layout="constrained")
    axes = fig.subplots(1, len(codes), squeeze=False)[0]
    for ax, code in zip(axes, codes, strict=True):
        draws = np.asarray(bands.total_draws[code], dtype=float)
        low, mid, high = np.percentile(draws, [bands.low_pct, 50, bands.high_pct])
        if np.ptp(draws) > 0:
            ax.violinplot(draws, showextrema=False)
        ax.errorbar([1], [mid], yerr=[[mid - low], [high - mid]], fmt="o", color="black", capsize=6)
        ax.set_xticks([1], [code])
        ax.set_ylabel(bands.units.get(code, ""))
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"{bands.iterations:,} Monte Carlo draws: median and {bands.level_label}", fontsize=10)
    return fig


def comparison(
    totals: Mapping[str, Mapping[str, float]],
    units: Mapping[str, str],
    paired: Paired | None = None,
) -> Figure:
    """Two alternatives side by side, each indicator scaled to the larger of the two.

    Parameters
    ----------
    totals : dict
        ``{alternative name: {indicator: total}}`` for exactly two alternatives.
    units : dict
        Indicator code -> unit text.
    paired : Paired, optional
        Monte Carlo comparison: adds 95% error bars and the probability that the first
        alternative has the lower impact.
    """
    names = list(totals)
    codes = [c for c in units if any(totals[n].get(c) for n in names)] or list(units)
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(codes))
    width = 0.38
    for k, name in enumerate(names):
        peak = [np.nanmax([abs(totals[n].get(c, np.nan)) for n in names] + [0]) or 1.0 for c in codes]
        values = np.array([totals[name].get(c, np.nan) / p * 100 for c, p in zip(codes, peak, strict=True)])
        values = np.nan_to_num(values)  # an indicator one alternative lacks: no bar
        bars = ax.bar(x + (k - 0.5) * width, values, width, label=name, color=_ALTERNATIVE_COLOURS[k % 2])
        if paired is not None:
            band = paired.bands.get(paired.names[k], {})
            low = np.array(
                [
                    band.get(c, (v * p / 100,) * 2)[0] / p * 100
                    for c, p, v in zip(codes, peak, values, strict=True)
                ]
            )
            high = np.array(
                [
                    band.get(c, (v * p / 100,) * 2)[1] / p * 100
                    for c, p, v in zip(codes, peak, values, strict=True)
                ]
            )
            ax.errorbar(
                x + (k - 0.5) * width,
                values,
                yerr=[np.clip(values - low, 0, None), np.clip(high - values, 0, None)],
                fmt="none",
                color="black",
                capsize=3,
            )
        for bar, code in zip(bars, codes, strict=True):
            ax.annotate(
                _short(totals[name].get(code)),
                (bar.get_x() + bar.get_width() * 0.3, bar.get_height() + 1),  # beside the error bar
                ha="center",
                va="bottom",
                fontsize=7,
            )
    labels = [f"{c}\n({units[c]})" for c in codes]
    if paired is not None:
        labels = [
            f"{lab}\nP({names[0]} lower) = {paired.probability[c]:.0%}" if c in paired.probability else lab
            for lab, c in zip(labels, codes, strict=True)
        ]
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("% of the larger alternative")
    top = max([118.0, *(line.get_ydata().max() + 8 for line in ax.lines if len(line.get_ydata()))])
    for collection in ax.collections:  # error bars
        for segment in collection.get_segments():
            top = max(top, float(segment[:, 1].max()) + 8)
    ax.set_ylim(0, top)
    fig.legend(frameon=False, loc="outside upper center", ncols=len(names))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _short(value: float, significant: int = 3) -> str:
    from lca.report.document import fmt

    return fmt(value, significant)


def to_svg(fig: Figure, salt: str = "lca") -> str:
    """The figure as an inline ``<svg>`` element (no XML header, no external references).

    ``salt`` seeds the element ids, so the same figure gives the same text (give each
    figure of a page its own salt).
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def phase_order(phases: Sequence[str]) -> list[str]:
    """``phases`` sorted in life-cycle order (background last)."""
    order = {p: k for k, p in enumerate((*PHASES, BACKGROUND))}
    return sorted(phases, key=lambda p: order.get(p, len(order)))
