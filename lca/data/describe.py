"""Text views of the datasets for the command line: a coverage list and one entry in full.

Examples
--------
>>> print(list_text("datacenter").splitlines()[0])
datacenter (lca datasets 2026.11.0)
>>> "GWP" in show_text("grid/FR")
True
"""

from __future__ import annotations

from lca.data import CATEGORIES, catalogue
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
    return "\n\n".join(blocks)


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
