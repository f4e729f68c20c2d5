"""Query results for people (a rich table) and for programs (CSV, JSON) on stdout."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import sys
from collections.abc import Sequence
from typing import Any


def cell_text(v: Any) -> str:
    """Counts print as integers (3, not 3.0); NULL prints as an empty cell."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return ", ".join(cell_text(x) for x in v)
    return str(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.hex()
    return v


def print_csv(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow([cell_text(v) for v in r])


def print_json(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    json.dump([{n: _jsonable(v) for n, v in zip(names, r)} for r in rows], sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def print_table(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    # piped output keeps whole rows rather than rich's 80 columns
    console = Console(width=None if sys.stdout.isatty() else 200)
    table = Table(show_lines=False, header_style="bold", row_styles=["", "dim"] if len(rows) > 6 else None)
    numeric = [bool(rows) and all(isinstance(r[i], (int, float, decimal.Decimal)) or r[i] is None for r in rows)
               for i in range(len(names))]
    for n, num in zip(names, numeric):
        table.add_column(n, justify="right" if num else "left", overflow="fold")
    for r in rows:
        table.add_row(*(cell_text(v) for v in r))
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")
