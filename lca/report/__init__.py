"""Reports: ISO 14044 content, climate performance model card, AFNOR SPEC 2314 frugality.

The report layer reads results; it computes nothing. :func:`make_report` builds the
document (:mod:`lca.report.build`) and renders it as HTML, Markdown or Excel; Monte Carlo
bands and a second alternative are optional inputs (:mod:`lca.report.uncertain`).
Numbers read through one formatter, :mod:`lca.report.numbers`, which the command line
uses too.

The names below are imported when first used, so that ``import lca.report.numbers``
(the command line's table) does not load matplotlib.

Examples
--------
>>> import lca
>>> page = make_report(lca.bloom(), fmt="html", date="2026-01-01")
>>> page[:15]
b'<!DOCTYPE html>'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lca.model.records import Model
    from lca.report.document import Document
    from lca.report.sections import Alternative
    from lca.report.uncertain import Bands
    from lca.solve import Result

FORMATS = ("html", "md", "xlsx")

_LAZY = {
    "SECTION_KEYS": "lca.report.build",
    "build_document": "lca.report.build",
    "Document": "lca.report.document",
    "Alternative": "lca.report.sections",
    "ReportInput": "lca.report.sections",
    "Bands": "lca.report.uncertain",
    "Paired": "lca.report.uncertain",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lca.report' has no attribute '{name}'")


def render(document: Document, fmt: str = "html") -> bytes:
    """The document in one of :data:`FORMATS`, as bytes ready to write.

    A Markdown report links its charts as SVG files in ``report_figures/``; use
    :func:`render_files` to get them too.
    """
    return render_files(document, fmt, "report." + fmt)["report." + fmt]


def render_files(document: Document, fmt: str, name: str) -> dict[str, bytes]:
    """Every file of the report named ``name``: ``{relative path: bytes}``, the report first.

    HTML and xlsx are one file; Markdown is the ``.md`` and one SVG per chart in a folder
    beside it (``<stem>_figures/``), which the text links.
    """
    if fmt == "html":
        from lca.report.html import render_html

        return {name: render_html(document).encode("utf-8")}
    if fmt == "md":
        from lca.report.markdown import markdown_files

        return markdown_files(document, name)
    if fmt == "xlsx":
        from lca.report.xlsx import render_xlsx

        return {name: render_xlsx(document)}
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
    from lca.report.build import build_document
    from lca.report.sections import ReportInput
    from lca.solve import solve

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
    "render_files",
]
