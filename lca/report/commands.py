"""What ``lca report`` and ``lca compare`` do, so the CLI only parses and prints.

Examples
--------
>>> import lca
>>> text, page = compare_alternatives(lca.bloom(), lca.bloom(), fmt="md")
>>> for line in text.splitlines()[:4]:
...     print(line)
A: BLOOM; B: BLOOM (B); same functional unit: deterministic totals
| indicator | A | B | B / A |
|---|---|---|---|
| GWP [t CO2 eq] | 50.89 | 50.89 | 1 |
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lca.commands import check_iterations
from lca.comparison import check_same_functional_unit
from lca.errors import LcaError, OptionError, OutputError
from lca.io.files import SUFFIXES, check_output_path, write_atomic
from lca.model.records import FunctionalUnit, Model, suggest
from lca.report import FORMATS, render, render_files
from lca.report.build import build_document
from lca.report.document import Document, Paragraph, Section, Table, cell_text, header_text
from lca.report.frugality import comparison_blocks
from lca.report.sections import Alternative, ReportInput
from lca.report.uncertain import (
    Paired,
    activity_bands,
    bands_from_mc,
    paired_from_mc,
    run_comparison,
    run_monte_carlo,
)
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
            raise OptionError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
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
    base: str | Path | None = None,
    overwrite: bool = True,
    inputs: Sequence[str | Path] = (),
    labels: tuple[str, str] | None = None,
) -> Path:
    """Solve ``model`` (and Monte Carlo when ``iterations`` > 0), render, write atomically.

    ``other`` is an alternative to compare (``--compare``); the alternatives the inventory
    names in ``info.alternatives`` (``{name, inventory: FILE}`` with FILE relative to
    ``base``, the inventory's folder, or ``{name, activity: CODE}``) are compared too. A
    Markdown report writes its charts as SVG files in ``<stem>_figures/`` beside it, before
    the ``.md`` that links them. ``overwrite`` (``--force``) allows replacing existing files
    (the report and its charts), never one of ``inputs`` (the files the model and ``other``
    were read from); ``labels`` name the two files when ``other``'s functional unit differs
    from ``model``'s.
    """
    fmt = format_for(out, fmt)
    check_output_path(out, overwrite=overwrite, inputs=inputs)
    check_iterations(iterations, seed)
    if other is not None:
        check_same_functional_unit(model, other, labels)
    result = solve(model)
    candidates = (
        [(_distinct(other.name, model.name), other)] if other is not None else []
    ) + named_alternatives(model, base)
    alternatives, bands = [], None
    for name, alternative in candidates:
        paired = None
        if iterations:
            comparison = run_comparison(model, alternative, iterations, seed)
            if bands is None:
                bands = bands_from_mc(comparison.a)  # A's bands from the same paired draws
            paired = paired_from_mc((model.name, name), comparison.a, comparison.b)
        alternatives.append(Alternative(name, alternative, solve(alternative), paired))
    if iterations and bands is None:
        bands = bands_from_mc(run_monte_carlo(model, iterations, seed))
    if bands is not None:
        named = [model.info.get(k) for k in ("training_activity", "inference_activity")]
        codes = [c for c in named if isinstance(c, str) and c in model.activities]
        if codes:
            percentiles = (bands.low_pct, bands.high_pct)
            bands = replace(bands, activities=activity_bands(model, codes, iterations, seed, percentiles))
    data = ReportInput(model, result, source=source, bands=bands, alternatives=alternatives)
    if date:
        data.date = date
    files = render_files(build_document(data), fmt, Path(out).name)
    _write_files(Path(out), files, overwrite)
    return Path(out)


def named_alternatives(model: Model, base: str | Path | None = None) -> list[tuple[str, Model]]:
    """The alternatives ``info.alternatives`` names, as ``(name, inventory)`` pairs.

    An entry ``{name, inventory: FILE}`` reads another inventory (FILE relative to
    ``base``); ``{name, activity: CODE}`` is the same inventory with CODE as its
    functional unit (a solution without AI modelled beside the AI one). Text entries are
    only shown. A wrong entry is an error naming it.

    Examples
    --------
    >>> import lca
    >>> bloom = lca.bloom()
    >>> bloom.info["alternatives"] = [{"name": "training only", "activity": "bloom_training"}]
    >>> [(name, m.functional_unit.activity) for name, m in named_alternatives(bloom)]
    [('training only', 'bloom_training')]
    """
    from lca.io.loaders import load_checked

    stated = model.info.get("alternatives")
    if not isinstance(stated, list | tuple):
        return []
    found = []
    for k, entry in enumerate(stated):
        if not isinstance(entry, dict) or not ({"inventory", "activity"} & entry.keys()):
            continue
        name = str(entry.get("name") or entry.get("inventory") or entry.get("activity"))
        where = f"info.alternatives[{k}]"
        if "inventory" in entry:
            path = Path(str(entry["inventory"]))
            if base is not None and not path.is_absolute():
                path = Path(base) / path
            if not path.is_file():
                raise LcaError(f"{where}: inventory '{entry['inventory']}' is not a file (looked at {path})")
            found.append((name, load_checked(path)))
            continue
        code = str(entry["activity"])
        if code not in model.activities:
            raise LcaError(
                f"{where}: no activity '{code}' in this inventory{suggest(code, model.activities)}"
            )
        alternative = copy.deepcopy(model)
        alternative.name = name
        fu = model.functional_unit
        act = model.activities[code]
        alternative.functional_unit = FunctionalUnit(code, fu.amount if fu else 1.0, act.unit, name)
        found.append((name, alternative))
    return found


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
    sentence = next(b.text for b in blocks if isinstance(b, Paragraph) and not b.note)
    notes = [f"note: {n}" for n in table.notes]
    return "\n".join([table.caption, _text_table(table), *notes, sentence]), render(document, fmt)


def _write_files(out: Path, files: dict[str, bytes], overwrite: bool) -> None:
    """The report's charts, then the report that links them; on any failure or interruption,
    the charts and chart folders this call made are removed (nothing half-written is left)."""
    made: list[Path] = []
    try:
        for name, payload in list(files.items())[1:]:
            target = out.parent / name
            for folder in reversed(target.relative_to(out.parent).parents[:-1]):
                if not (out.parent / folder).exists():
                    (out.parent / folder).mkdir()
                    made.append(out.parent / folder)
            existed = target.exists()
            write_atomic(target, payload, overwrite=overwrite)
            if not existed:
                made.append(target)
        write_atomic(out, files[out.name], overwrite=overwrite)
    except BaseException:
        for path in reversed(made):
            if not path.is_dir():
                path.unlink(missing_ok=True)
            elif not any(path.iterdir()):
                path.rmdir()
        raise


def _distinct(name: str, other: str) -> str:
    return name if name != other else f"{name} (B)"


def _text_table(table: Table) -> str:
    header = [header_text(c) for c in table.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell_text(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


__all__ = ["check_iterations", "compare_alternatives", "format_for", "named_alternatives", "write_report"]
