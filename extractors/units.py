"""Amounts printed in another unit than the template's cell: 表二's fee cell is in 万元, and reports
print 5000元 there, or head the column （单位：元）. The value is converted to the template's unit;
the raw text keeps what was printed.

The cell's own unit is taken as meant (5000元 is five thousand yuan whatever the header says). A
bare number under a header that names another unit than the template's is converted too, but
doubted: headers are copied from year to year and often keep a unit the numbers no longer follow.
"""

from __future__ import annotations

import re

from extractors.numbers import normalize

# yuan multiples a report prints, in yuan
_FACTOR = {"元": 1.0, "万元": 10_000.0, "亿元": 100_000_000.0}
_CELL_UNIT = re.compile(r"(亿元|万元|元)\s*$")
_HEADER_UNIT = re.compile(r"收费金额[^\d]{0,8}?[(（]?(?:单位[:：]?)?(亿元|万元|元)")


def header_unit(labels: list[str]) -> str | None:
    """The unit the fee column's header names (本年收费金额（单位：万元）), if any label holds one."""
    for label in labels:
        m = _HEADER_UNIT.search(normalize(label).replace(" ", ""))
        if m:
            return m.group(1)
    return None


def to_template_unit(raw: str, value: float, unit: str | None, header: str | None) -> tuple[float, str | None]:
    """(value in the template's unit, why it is doubted or None)."""
    if unit not in _FACTOR:
        return value, None
    m = _CELL_UNIT.search(normalize(raw).strip())
    printed = m.group(1) if m else None
    if printed is None and header in _FACTOR and header != unit:
        return _convert(value, header, unit), f"unit {header} taken from the column header ({raw} {header})"
    if printed is None or printed == unit:
        return value, None
    return _convert(value, printed, unit), None


def _convert(value: float, printed: str, unit: str) -> float:
    return round(value * _FACTOR[printed] / _FACTOR[unit], 6)
