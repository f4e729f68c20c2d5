"""The national template's versions: cell ids, labels and rules, read from the JSON the project ships.

`2021` is 国办公开办函〔2021〕30号 (a copy of ../shared/template/gip_annual_report_2021.json), used
for the reports of 2021 on; `2019` is the earlier format (国办公开办函〔2019〕60号), used for the
reports of 2019 and 2020. Cells that mean the same in both carry the same id, so series run across
the change; which version a report follows is decided from its printed headers (extractors/versions.py).
"""

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

    def row_cols(self, row_id: str) -> tuple[str, ...]:
        """The columns a row prints, in order (表二's rows differ; a variant row has every column)."""
        return tuple(c for r, c in self.cells if r == row_id) or self.cols


@dataclass(frozen=True)
class Rule:
    id: str
    text: str


@dataclass(frozen=True)
class Template:
    name: str
    tables: tuple[TemplateTable, ...]
    rules: tuple[Rule, ...]
    version: str = "2021"
    signed: frozenset[str] = frozenset()  # cell ids that may be negative (本年增/减)

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


# every version, newest first; the first is the default
VERSIONS = ("2021", "2019")


@cache
def raw_template(version: str = VERSIONS[0]) -> dict:
    """The JSON of one version as shipped (units and column groups, which the dataclasses leave out)."""
    if version not in VERSIONS:
        raise ValueError(f"no template version {version!r} (known: {', '.join(VERSIONS)})")
    path = f"data/gip_annual_report_{version}.json"
    return json.loads(resources.files("extractors").joinpath(path).read_text("utf-8"))  # type: ignore[no-any-return]


@cache
def load_template(version: str = VERSIONS[0]) -> Template:
    raw = raw_template(version)
    signed = frozenset(f"{t['id']}.{c['row']}.{c['col']}" for t in raw["tables"]
                       for c in t.get("cells", []) if c.get("signed"))
    return Template(
        raw["name"],
        tuple(_table(t) for t in raw["tables"]),
        tuple(Rule(r["id"], r["text"]) for r in raw["rules"]),
        version,
        signed,
    )
