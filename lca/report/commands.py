"""What ``lca report`` and ``lca compare`` do, so the CLI only parses and prints.

Examples
--------
>>> import lca
>>> text, page = compare_alternatives(lca.bloom(), lca.bloom(), fmt="md")
>>> print(text.splitlines()[2])
| GWP | kg CO2 eq | 50,890 | 50,890 | 1 |
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lca.commands import check_iterations
from lca.comparison import check_same_functional_unit
from lca.errors import LcaError, OutputError
from lca.io.files import SUFFIXES, check_output_path, write_atomic
from lca.model.records import Model
from lca.report import FORMATS, render
from lca.report.build import build_document
from lca.report.document import Document, Paragraph, Section, Table, cell_text
from lca.report.frugality import comparison_blocks
from lca.report.sections import Alternative, ReportInput
from lca.report.uncertain import Paired, bands_from_mc, paired_from_mc, run_comparison, run_monte_carlo
from lca.solve import solve


def format_for(out: str | Path, fmt: str | None) -> str:
    """The report format: ``fmt`` if given, else from the output's extension.

    The output's suffix must be one of its format's: ``--format html --out r.xlsx`` would
    write HTML into a file that Excel then refuses to open.

    Examples
    --------
    >>> format_for("report.md", None), format_for("report.xlsx", "xlsx")
    ('md', 'xlsx')
    >>> format_for("report.pdf", None)
    Traceback (most recent call last):
    lca.errors.OutputError: report.pdf: expected a file name ending in .html, .md or .xlsx
    >>> format_for("r.xlsx", "html")
    Traceback (most recent call last):
    lca.errors.OutputError: r.xlsx: --format html writes a .html file; name it r.html or leave out --format
    """
    suffix = Path(out).suffix.lower()
    if fmt:
        if fmt not in FORMATS:
            raise LcaError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
        if suffix not in SUFFIXES[fmt]:
            suffix = SUFFIXES[fmt][0]
            name = Path(out).with_suffix(suffix).name
            raise OutputError(
                f"{out}: --format {fmt} writes a {suffix} file; name it {name} or leave out --format"
            )
        return fmt
    known = {s: f for f in FORMATS for s in SUFFIXES[f]}
    if suffix not in known:
        raise OutputError(f"{out}: expected a file name ending in .html, .md or .xlsx")
    return known[suffix]


def write_report(
    model: Model,
    out: str | Path,
    fmt: str | None = None,
    *,
    source: str = "",
    iterations: int = 0,
    seed: int | None = None,
    other: Model | None = None,
    date: str | None = None,
    overwrite: bool = True,
    inputs: Sequence[str | Path] = (),
    labels: tuple[str, str] | None = None,
) -> Path:
    """Solve ``model`` (and Monte Carlo when ``iterations`` > 0), render, write atomically.

    ``overwrite`` (``--force``) allows replacing an existing file, never one of ``inputs``
    (the files the model and ``other`` were read from); ``labels`` name the two files
    when ``other``'s functional unit differs from ``model``'s.
    """
    fmt = format_for(out, fmt)
    check_output_path(out, overwrite=overwrite, inputs=inputs)
    check_iterations(iterations, seed)
    if other is not None:
        check_same_functional_unit(model, other, labels)
    result = solve(model)
    alternative = None
    bands = None
    if other is not None:
        name_b = _distinct(other.name, model.name)
        paired = None
        if iterations:
            comparison = run_comparison(model, other, iterations, seed)
            bands = bands_from_mc(comparison.a)  # A's bands from the same paired draws
            paired = paired_from_mc((model.name, name_b), comparison.a, comparison.b)
        alternative = Alternative(name_b, other, solve(other), paired)
    elif iterations:
        bands = bands_from_mc(run_monte_carlo(model, iterations, seed))
    data = ReportInput(model, result, source=source, bands=bands, alternative=alternative)
    if date:
        data.date = date
    payload = render(build_document(data), fmt)
    write_atomic(out, payload, overwrite=overwrite)
    return Path(out)


def compare_alternatives(
    model_a: Model,
    model_b: Model,
    *,
    fmt: str = "html",
    iterations: int = 0,
    seed: int | None = None,
    labels: tuple[str, str] | None = None,
) -> tuple[str, bytes]:
    """The comparison as a text table (to print) and as a rendered page.

    Both alternatives must answer the same functional unit (same unit and amount after
    conversion; ``labels`` name their files in the error): they are compared on the
    indicators of ``model_a``.
    """
    check_same_functional_unit(model_a, model_b, labels)
    result_a, result_b = solve(model_a), solve(model_b)
    paired: Paired | None = None
    name_b = _distinct(model_b.name, model_a.name)
    check_iterations(iterations, seed)
    if iterations:
        comparison = run_comparison(model_a, model_b, iterations, seed)
        paired = paired_from_mc((model_a.name, name_b), comparison.a, comparison.b)
    blocks = comparison_blocks(model_a.name, result_a, name_b, result_b, paired)
    fu_a, fu_b = model_a.functional_unit, model_b.functional_unit
    subtitle = f"Functional unit: {fu_a.description or fu_a.activity if fu_a else '?'}"
    if fu_b and fu_a and (fu_b.description or fu_b.activity) != (fu_a.description or fu_a.activity):
        subtitle += f" / {fu_b.description or fu_b.activity} (check they are the same)"
    document = Document(
        f"{model_a.name} vs {name_b}", subtitle, [Section("comparison", "Comparison", blocks)]
    )
    table = next(b for b in blocks if isinstance(b, Table))
    notes = [f"note: {b.text}" for b in blocks if isinstance(b, Paragraph) and b.note]
    return "\n".join([_text_table(table), *notes]), render(document, fmt)


def _distinct(name: str, other: str) -> str:
    return name if name != other else f"{name} (B)"


def _text_table(table: Table) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "|".join("---" for _ in table.columns) + "|"]
    lines += ["| " + " | ".join(cell_text(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


__all__ = ["check_iterations", "compare_alternatives", "format_for", "write_report"]
