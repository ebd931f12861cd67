"""Render a report document as Markdown (GitHub flavour): the same sections and numbers as
the HTML page, its charts as SVG files in a folder beside it, linked with their alt text.

Text from the inventory (names, sources, info fields) never reaches the file as markup:
``<`` and ``&`` become entities and ``[``, ``]``, `````` ` `````` and ``\\`` are escaped,
so a ``<script>`` or ``<img onerror=...>`` in a name is shown, not run, by pandoc, MkDocs
or a forge.

Examples
--------
>>> escape("<img src=x onerror=alert(1)> [x](javascript:y)")
'&lt;img src=x onerror=alert(1)> \\\\[x\\\\](javascript:y)'
"""

from __future__ import annotations

from pathlib import PurePosixPath

from lca.plot import to_svg
from lca.report.document import (
    Block,
    Document,
    Figure,
    Items,
    Link,
    Paragraph,
    Section,
    Table,
    Tree,
    cell_text,
    header_text,
)


def escape(text: object) -> str:
    """Text as Markdown shows it literally (no HTML, no link, no code span)."""
    out = str(text).replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    for char in "[]`":
        out = out.replace(char, "\\" + char)
    return out


def render_markdown(document: Document, figures: str = "report_figures") -> str:
    """The whole report as Markdown text; its charts are linked in the folder ``figures``."""
    return markdown_files(document, "report.md", figures)["report.md"].decode("utf-8")


def markdown_files(document: Document, name: str, figures: str | None = None) -> dict[str, bytes]:
    """``{name: the .md text, "<stem>_figures/<chart>.svg": chart, ...}``, as bytes to write."""
    folder = figures or f"{PurePosixPath(name).stem}_figures"
    charts: dict[str, bytes] = {}
    lines = [f"# {escape(document.title)}", "", f"_{escape(document.subtitle)}_", ""]
    for section in document.sections:
        lines.extend(_section(section, 2, folder, charts))
    files = {name: ("\n".join(lines).rstrip() + "\n").encode("utf-8")}
    files.update(charts)
    return files


def _section(section: Section, level: int, folder: str, charts: dict[str, bytes]) -> list[str]:
    lines = [f"{'#' * level} {escape(section.title)}", ""]
    for block in section.blocks:
        if not isinstance(block, Link):
            lines.extend([*_block(block, folder, charts), ""])
    for sub in section.subsections:
        lines.extend(_section(sub, level + 1, folder, charts))
    for block in section.blocks:
        if isinstance(block, Link):
            lines.extend([*_block(block, folder, charts), ""])
    return lines


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|").replace("\n", " ")


def _block(block: Block, folder: str, charts: dict[str, bytes]) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"> **Note.** {escape(block.text)}" if block.note else escape(block.text)]
    if isinstance(block, Items):
        if block.numbered:
            return [f"{k}. **{escape(q)}** {escape(a)}" for k, (q, a) in enumerate(block.pairs, start=1)]
        return [f"- **{escape(k)}:** {escape(v)}" if k else f"- {escape(v)}" for k, v in block.pairs]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        path = f"{folder}/{block.key}.svg"
        n = 2
        while path in charts:
            path, n = f"{folder}/{block.key}-{n}.svg", n + 1
        charts[path] = to_svg(block.draw(), salt=block.caption, alt=block.alt or block.caption).encode(
            "utf-8"
        )
        alt = " ".join(escape(block.alt or block.caption).split())
        return [f"![{alt}]({path})", "", f"_Figure: {escape(block.caption)}._"]
    if isinstance(block, Tree):
        return [
            f"**{escape(block.caption)}**",
            "",
            *(f"{'&nbsp;' * 4 * d}{escape(t)}  " for d, t in block.lines),
        ]
    if isinstance(block, Link):
        return [f"{escape(block.text)} <{block.url}>"]
    raise TypeError(f"no Markdown rendering for {type(block).__name__}")


def _table(table: Table) -> list[str]:
    if not table.in_page:
        return []
    lines = [
        f"**{escape(table.caption)}**",
        "",
        "| " + " | ".join(_cell(header_text(c)) for c in table.columns) + " |",
    ]
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    rows = ["| " + " | ".join(_cell(cell_text(c)) for c in row) + " |" for row in table.rows]
    lines += rows or ["| " + " | ".join("none" if k == 0 else "" for k in range(len(table.columns))) + " |"]
    for note in table.notes:
        lines += ["", f"_{escape(note)}_"]
    return lines
