"""Reports: ISO 14044 content, climate performance model card, AFNOR SPEC 2314 frugality.

The report layer reads results; it computes nothing. :func:`make_report` builds the
document (:mod:`lca.report.build`) and renders it as HTML, Markdown or Excel; Monte Carlo
bands and a second alternative are optional inputs (:mod:`lca.report.uncertain`).

Examples
--------
>>> import lca
>>> page = make_report(lca.bloom(), fmt="html", date="2026-01-01")
>>> page[:15]
b'<!DOCTYPE html>'
"""

from __future__ import annotations

from lca.model.records import Model
from lca.report.build import SECTION_KEYS, build_document
from lca.report.document import Document
from lca.report.html import render_html
from lca.report.markdown import render_markdown
from lca.report.sections import Alternative, ReportInput
from lca.report.uncertain import Bands, Paired
from lca.report.xlsx import render_xlsx
from lca.solve import Result, solve

FORMATS = ("html", "md", "xlsx")


def render(document: Document, fmt: str = "html") -> bytes:
    """The document in one of :data:`FORMATS`, as bytes ready to write."""
    if fmt == "html":
        return render_html(document).encode("utf-8")
    if fmt == "md":
        return render_markdown(document).encode("utf-8")
    if fmt == "xlsx":
        return render_xlsx(document)
    raise ValueError(f"report format '{fmt}' is not known; expected one of {', '.join(FORMATS)}")


def make_report(
    model: Model,
    fmt: str = "html",
    *,
    result: Result | None = None,
    bands: Bands | None = None,
    alternative: Alternative | None = None,
    source: str = "",
    date: str | None = None,
) -> bytes:
    """Build and render the report of ``model`` (solved here unless ``result`` is given)."""
    data = ReportInput(model, result or solve(model), source=source, bands=bands, alternative=alternative)
    if date:
        data.date = date
    return render(build_document(data), fmt)


__all__ = [
    "FORMATS",
    "SECTION_KEYS",
    "Alternative",
    "Bands",
    "Document",
    "Paired",
    "ReportInput",
    "build_document",
    "make_report",
    "render",
]
