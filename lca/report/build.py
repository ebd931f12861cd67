"""Assemble the report document from an inventory, its result and optional inputs.

Examples
--------
>>> import lca
>>> doc = build_document(ReportInput(lca.bloom(), lca.solve(lca.bloom()), date="2026-01-01"))
>>> [s.key for s in doc.sections] == list(SECTION_KEYS)
True
"""

from __future__ import annotations

from lca._version import __version__
from lca.report.card import climate_card
from lca.report.document import Document, Paragraph, Section
from lca.report.frugality import equivalences, frugality
from lca.report.quality import data_quality
from lca.report.sections import (
    ReportInput,
    contributors,
    coverage_summary,
    goal_and_scope,
    headline,
    results,
)

#: Section keys in their order (the HTML anchors and the tests use them).
SECTION_KEYS = (
    "summary",
    "goal-scope",
    "results",
    "contributions",
    "data-quality",
    "climate-card",
    "frugality",
    "equivalences",
)


def build_document(data: ReportInput) -> Document:
    """The report's sections, in order; nothing is rendered yet."""
    fu = data.model.functional_unit
    subtitle = f"Life-cycle assessment per {fu.description or fu.activity}" if fu else "Life-cycle assessment"
    summary = Section(
        "summary",
        "Summary",
        [
            Paragraph(
                f"Totals for the functional unit: {data.central} (lca {__version__}, {data.date}"
                + (
                    f", Monte Carlo {data.bands.iterations:,} iterations, seed {data.bands.seed}"
                    if data.bands
                    else ""
                )
                + ")."
            ),
            headline(data),
            *[Paragraph(n, note=True) for n in coverage_summary(data)],
        ],
    )
    sections = [
        summary,
        goal_and_scope(data),
        results(data),
        contributors(data),
        data_quality(data),
        climate_card(data),
        frugality(data),
        equivalences(data),
    ]
    return Document(f"{data.model.name}: life-cycle assessment report", subtitle, sections)
