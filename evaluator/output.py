"""Render tables for ``--format table|csv|json|markdown`` so that ``cli.py`` stays thin.

Tables are plain ``(columns, rows)`` of strings/numbers: no pandas on the CLI's path, which
keeps ``evaluator score --format json`` fast to start.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "csv", "json", "markdown")

Cell = str | int | float | None


def to_json(document: Any) -> str:
    """One JSON document, stable key order as built, NaN refused (it is not JSON)."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


def fmt_cell(value: Cell, digits: int = 4) -> str:
    """A cell as text: floats rounded for people, None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        if value.is_integer() and abs(value) < 1e6:
            return str(int(value))
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """RFC 4180 CSV with a header row; floats at full precision for scripts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])
    return buffer.getvalue()


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """A GitHub-flavoured Markdown table; pipes in cells are escaped."""

    def esc(value: Cell) -> str:
        return fmt_cell(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(esc(c) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print a rich table to stdout (imported lazily: rich is slow to import).

    Every string goes in as a rich ``Text``, never as markup: a title such as
    ``[bold]`` or ``[/]`` is data to show, not a style to apply (or a markup error).
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .terminal import printable

    def text(value: str) -> Text:
        return Text(printable(value))

    table = Table(
        title=None if title is None else text(title),
        caption=None if caption is None else text(caption),
        show_lines=False,
    )
    for column in columns:
        table.add_column(text(column), overflow="fold")
    for row in rows:
        table.add_row(*(text(fmt_cell(v)) for v in row))
    Console(emoji=False, markup=False, highlight=False).print(table)


def emit(
    fmt: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print a table in a non-JSON format."""
    if fmt == "csv":
        print(to_csv(columns, rows), end="")
    elif fmt == "markdown":
        if title:
            print(f"**{title}**\n")
        print(to_markdown(columns, rows), end="")
        if caption:
            print(f"\n{caption}")
    else:
        print_table(columns, rows, title=title, caption=caption)
