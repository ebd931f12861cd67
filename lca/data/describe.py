"""Text views of the datasets for the command line: a coverage list and one entry in full.

Examples
--------
>>> print(list_text("datacenter").splitlines()[0])  # doctest: +ELLIPSIS
datacenter (lca datasets ...)
>>> "GWP" in show_text("grid/FR")
True
>>> [name for name, _ in shipped_cases()][:2]
['bloom-full', 'bloom']
"""

from __future__ import annotations

from lca.data import CATEGORIES, catalogue
from lca.data.paths import datasets_dir
from lca.data.records import Entry
from lca.indicators import default_indicators


def list_text(category: str | None = None) -> str:
    """Every entry of ``category`` (or of all), one line each, with indicator coverage.

    Coverage columns show ``x`` for an indicator the entry gives and ``-`` for one it
    lacks; categories without impacts (datacenter, routes) list their fields instead.
    """
    cat = catalogue()
    categories = [category] if category else list(CATEGORIES)
    codes = [i.code for i in default_indicators()]
    blocks = []
    for name in categories:
        refs = cat.names(name)
        entries = [cat.lookup(r) for r in refs]
        width = max([len(e.name) for e in entries] + [4])
        lines = [f"{name} (lca datasets {cat.version})"]
        if entries and entries[0].indicator_fields:
            lines.append(f"  {'name':<{width}}  {' '.join(f'{c:<5}' for c in codes)}  unit   description")
            for e in entries:
                marks = " ".join(f"{'x' if c in e.impacts else '-':<5}" for c in codes)
                lines.append(f"  {e.name:<{width}}  {marks}  {e.unit:<5}  {e.description}")
        else:
            lines.append(f"  {'name':<{width}}  fields")
            for e in entries:
                fields = ", ".join(f"{f} {v.describe()}" for f, v in e.values.items())
                lines.append(f"  {e.name:<{width}}  {fields}")
        blocks.append("\n".join(lines))
    if category is None:
        blocks.append(_cases_text())
    return "\n\n".join(blocks)


def shipped_cases() -> list[tuple[str, str]]:
    """``(name, first line of description)`` of each case in ``datasets/cases/`` (YAML files).

    Load one with ``lca.load(lca.datasets_dir() / "cases" / f"{name}.yaml")``.
    """
    import yaml

    found = []
    for path in sorted((datasets_dir() / "cases").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        description = " ".join(str(data.get("description") or data.get("name") or "").split())
        found.append((path.stem, description))
    return found


def _cases_text() -> str:
    lines = ["cases (datasets/cases: lca run datasets/cases/NAME.yaml)"]
    for name, description in shipped_cases():
        short = description if len(description) <= 100 else description[:97] + "..."
        lines.append(f"  {name:<11}  {short}")
    return "\n".join(lines)


def show_text(ref: str) -> str:
    """One entry in full: every value with its unit, range and source; missing indicators."""
    entry = catalogue().lookup(ref)
    return _entry_text(entry)


def _entry_text(entry: Entry) -> str:
    lines = [f"{entry.ref}: {entry.description}"]
    for label, text in (
        ("unit", entry.unit),
        ("method", entry.method),
        ("year", "" if entry.year is None else str(entry.year)),
        *entry.attributes.items(),
    ):
        if text:
            lines.append(f"  {label}: {text}")
    lines.append("  values:")
    for field, value in entry.values.items():
        lines.append(f"    {field}: {value.describe()}")
        lines.append(f"      source: {value.source}")
    if entry.indicator_fields:
        missing = entry.missing([i.code for i in default_indicators()])
        lines.append(f"  missing indicators: {', '.join(missing) if missing else 'none'}")
    if entry.comment:
        lines.append(f"  comment: {entry.comment}")
    lines.append(f"  file: {entry.origin}")
    return "\n".join(lines)


def coverage_markdown(categories: tuple[str, ...] = ("hardware", "grid", "transport", "eol")) -> str:
    """The coverage table of docs/data.md: one row per entry, ``yes``/``-`` per indicator.

    docs/data.md embeds this table; a test checks that the two agree.
    """
    cat = catalogue()
    codes = [i.code for i in default_indicators()]
    lines = [f"| entry | {' | '.join(codes)} |", f"| --- | {' | '.join('---' for _ in codes)} |"]
    for category in categories:
        for ref in cat.names(category):
            entry = cat.lookup(ref)
            marks = " | ".join("yes" if c in entry.impacts else "-" for c in codes)
            lines.append(f"| {entry.ref} | {marks} |")
    return "\n".join(lines)
