"""Render a report document as Markdown (GitHub flavour): the same sections and numbers
as the HTML page, without the figures (a note says where they are).
"""

from __future__ import annotations

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
)


def render_markdown(document: Document) -> str:
    """The whole report as Markdown text."""
    lines = [f"# {document.title}", "", f"_{document.subtitle}_", ""]
    for section in document.sections:
        lines.extend(_section(section, 2))
    return "\n".join(lines).rstrip() + "\n"


def _section(section: Section, level: int) -> list[str]:
    lines = [f"{'#' * level} {section.title}", ""]
    for block in section.blocks:
        if not isinstance(block, Link):
            lines.extend([*_block(block), ""])
    for sub in section.subsections:
        lines.extend(_section(sub, level + 1))
    for block in section.blocks:
        if isinstance(block, Link):
            lines.extend([*_block(block), ""])
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"> **Note.** {block.text}" if block.note else block.text]
    if isinstance(block, Items):
        if block.numbered:
            return [f"{k}. **{q}** {a}" for k, (q, a) in enumerate(block.pairs, start=1)]
        return [f"- **{k}:** {v}" if k else f"- {v}" for k, v in block.pairs]
    if isinstance(block, Table):
        head = [f"**{block.caption}**", "", "| " + " | ".join(_cell(c) for c in block.columns) + " |"]
        head.append("|" + "|".join("---" for _ in block.columns) + "|")
        rows = ["| " + " | ".join(_cell(cell_text(c)) for c in row) + " |" for row in block.rows]
        return head + (
            rows or ["| " + " | ".join("none" if k == 0 else "" for k in range(len(block.columns))) + " |"]
        )
    if isinstance(block, Figure):
        return [f"_Figure: {block.caption} (in the HTML report)._"]
    if isinstance(block, Tree):
        return [f"**{block.caption}**", "", "```", *(f"{'  ' * d}{t}" for d, t in block.lines), "```"]
    if isinstance(block, Link):
        return [f"{block.text} <{block.url}>"]
    raise TypeError(f"no Markdown rendering for {type(block).__name__}")
