"""The national template (国办公开办函〔2021〕30号): cell ids, labels and rules, read from the JSON the
project ships (a copy of ../shared/template/gip_annual_report_2021.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class TemplateRow:
    id: str
    label: str
    parent: str | None


@dataclass(frozen=True)
class TemplateTable:
    id: str
    section: str
    rows: tuple[TemplateRow, ...]
    cols: tuple[str, ...]  # column ids in printed order
    col_labels: tuple[str, ...]
    cells: tuple[tuple[str, str], ...]  # (row_id, col_id) of every statistical cell, printed order
    variant_rows: tuple[TemplateRow, ...] = ()
    units: tuple[str, ...] = ()  # the unit of each of `cells` where the template names one (表二)

    def unit(self, row_id: str, col_id: str) -> str | None:
        if not self.units or (row_id, col_id) not in self.cells:
            return None
        return self.units[self.cells.index((row_id, col_id))] or None


@dataclass(frozen=True)
class Rule:
    id: str
    text: str


@dataclass(frozen=True)
class Template:
    name: str
    tables: tuple[TemplateTable, ...]
    rules: tuple[Rule, ...]

    def table(self, table_id: str) -> TemplateTable:
        return next(t for t in self.tables if t.id == table_id)

    def cell_ids(self) -> tuple[str, ...]:
        return tuple(f"{t.id}.{r}.{c}" for t in self.tables for r, c in t.cells)


def _table(raw: dict) -> TemplateTable:
    if "cells" in raw:  # 表二: an irregular list of cells
        cells = tuple((c["row"], c["col"]) for c in raw["cells"])
        rows: list[TemplateRow] = []
        for c in raw["cells"]:
            if not any(r.id == c["row"] for r in rows):
                rows.append(TemplateRow(c["row"], c["row_label"], c["group"]))
        cols: list[str] = []
        labels: list[str] = []
        for c in raw["cells"]:
            if c["col"] not in cols:
                cols.append(c["col"])
                labels.append(c["col_label"])
        units = tuple(c.get("unit", "") for c in raw["cells"])
        return TemplateTable(raw["id"], raw["section"], tuple(rows), tuple(cols), tuple(labels), cells, (), units)
    rows = [TemplateRow(r["id"], r["label"], r.get("parent")) for r in raw["rows"]]
    cols = [c["id"] for c in raw["cols"]]
    return TemplateTable(
        raw["id"],
        raw["section"],
        tuple(rows),
        tuple(cols),
        tuple(c["label"] for c in raw["cols"]),
        tuple((r.id, c) for r in rows for c in cols),
        tuple(TemplateRow(r["id"], r["label"], r.get("parent")) for r in raw.get("variant_rows", [])),
    )


@cache
def load_template() -> Template:
    raw = json.loads(resources.files("extractors").joinpath("data/gip_annual_report_2021.json").read_text("utf-8"))
    return Template(
        raw["name"],
        tuple(_table(t) for t in raw["tables"]),
        tuple(Rule(r["id"], r["text"]) for r in raw["rules"]),
    )
