"""The review page of one document: a self-contained HTML file showing each template table as read,
laid out as the template prints it with its Chinese labels; failed checks listed at the top and
highlighted on the cells they involve; and beside every number the crop of the page it was read
from with the detected box outlined, so a person can confirm or doubt a number in seconds."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.template import Template, TemplateRow, TemplateTable, load_template
from warehouse.crops import Box, CropError, crops
from warehouse.render import cell_text
from warehouse.views import raw_template_table

_CELL_ID = re.compile(r"\b((?:active_disclosure|applications|review_litigation)\.[a-z_]+\.[a-z_]+)\b")


class NotFound(LookupError):
    """No single document answers to the name; the message says what was found instead."""


@dataclass(frozen=True)
class FactView:
    cell_id: str
    value: float
    method: str
    raw_text: str | None
    page: int | None
    bbox: tuple[float, float, float, float] | None
    confidence: float | None
    layout: str | None = None  # grid | words: which layout path placed the cell


@dataclass(frozen=True)
class CheckView:
    rule_id: str
    detail: str
    text: str  # what the rule says, from the rules table ('' for a doubted cell)
    cells: frozenset[str]


def find_document(con: duckdb.DuckDBPyConnection, key: str) -> str:
    """A doc_id (or its first characters), a source as given, or the end of a source (a file name)."""
    key = key.strip()
    for sql, arg in (
        ("SELECT doc_id FROM documents WHERE doc_id = ?", key),
        ("SELECT doc_id FROM documents WHERE source = ?", key),
        ("SELECT doc_id FROM documents WHERE length(?) >= 6 AND starts_with(doc_id, lower(?))", None),
        ("SELECT doc_id FROM documents WHERE ends_with(source, ?)", key),
    ):
        params = [key, key] if arg is None else [arg]
        found = [r[0] for r in con.execute(sql, params).fetchall()]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = con.execute("SELECT source FROM documents WHERE list_contains(?, doc_id) ORDER BY source",
                                [found]).fetchall()
            raise NotFound(f"{key}: {len(found)} documents match: " + ", ".join(n[0] for n in names[:5]))
    raise NotFound(f"{key}: no such document in the warehouse")


def _outcome_rows(t: TemplateTable) -> list[str]:
    ids = [r.id for r in t.rows]
    return ids[ids.index("granted"): ids.index("total_processed")] + [r.id for r in t.variant_rows]


def flagged_cells(rule_id: str, detail: str, template: Template) -> frozenset[str]:
    """The cells a failed check points at: the cell a doubt names; for a row total the whole row,
    for an outcome total the whole column of outcomes; otherwise the cells its detail names."""
    if rule_id.count(".") == 2 and _CELL_ID.fullmatch(rule_id):
        return frozenset({rule_id})
    named = _CELL_ID.findall(detail or "")
    out: set[str] = set(named)
    for cid in named:
        table_id, row_id, col_id = cid.split(".")
        t = template.table(table_id)
        if rule_id.endswith(".row_total"):
            out |= {f"{table_id}.{row_id}.{c}" for c in t.cols}
        elif rule_id == "applications.outcome_total":
            out |= {f"{table_id}.{r}.{col_id}" for r in _outcome_rows(t)}
    return frozenset(out)


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _load_facts(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, FactView]:
    rows = con.execute(
        "SELECT table_id || '.' || row_id || '.' || col_id, value, method, raw_text, page, x0, top, x1, bottom,"
        " confidence, layout FROM facts WHERE doc_id = ?", [doc_id]).fetchall()
    out = {}
    for cid, value, method, raw, page, x0, top, x1, bottom, conf, layout in rows:
        bbox = (x0, top, x1, bottom) if None not in (x0, top, x1, bottom) else None
        out[cid] = FactView(cid, value, method, raw, page, bbox, conf, layout)
    return out


def _load_checks(con: duckdb.DuckDBPyConnection, doc_id: str, template: Template) -> tuple[list[CheckView], str]:
    rules = dict(con.execute("SELECT rule_id, text FROM rules").fetchall())
    failed, missing = [], ""
    for rule_id, passed, detail in con.execute(
            "SELECT rule_id, passed, detail FROM checks WHERE doc_id = ? ORDER BY rule_id, detail", [doc_id]).fetchall():
        if rule_id == "missing_cells":
            missing = "" if passed else (detail or "")
        elif not passed:
            failed.append(CheckView(rule_id, detail or "", rules.get(rule_id, ""),
                                    flagged_cells(rule_id, detail or "", template)))
    return failed, missing


# ------------------------------------------------------------------ layout


def _rows_as_printed(t: TemplateTable, facts: dict[str, FactView]) -> list[TemplateRow]:
    """The template's rows; （六）其他处理 as one row where the report prints it so."""
    if not t.variant_rows:
        return list(t.rows)
    has = {cid.split(".")[1] for cid in facts if cid.startswith(t.id + ".")}
    out: list[TemplateRow] = []
    for r in t.rows:
        if r.id.startswith("other_") and "other_processing" in has and not (has & {"other_no_correction",
                                                                                   "other_unpaid_fee",
                                                                                   "other_reason"}):
            if not any(x.id == "other_processing" for x in out):
                out.extend(t.variant_rows)
            continue
        out.append(r)
    return out


def _cell_td(cid: str, facts: dict[str, FactView], flags: dict[str, list[str]], images: dict[str, bytes]) -> str:
    f = facts.get(cid)
    rules = flags.get(cid, [])
    classes = ["cell"] + (["bad"] if rules else [])
    if f is None:
        classes.append("absent")
        tip = "not found in the source" + ("; failed: " + ", ".join(rules) if rules else "")
        return f'<td class="{" ".join(classes)}" id="{_e(cid)}" data-cell="{_e(cid)}" title="{_e(tip)}">—</td>'
    if f.method == "inferred":
        classes.append("inferred")
    where = f"p.{f.page}" if f.page else ""
    # for an OCR cell: which path read it (between ruling lines, or rebuilt from positioned words)
    path = {"grid": "grid", "words": "word layout"}.get(f.layout or "", "") if f.confidence is not None else ""
    meta = " · ".join(x for x in (f.method, path, where,
                                  f"conf {f.confidence:.2f}" if f.confidence is not None else "") if x)
    tips = [cid, f"read as {f.raw_text!r}" if f.raw_text else "", f"failed: {', '.join(rules)}" if rules else ""]
    img = images.get(cid)
    # shown at one CSS pixel per PDF point (the PNG's IHDR holds its width)
    pic = (f'<img alt="page {f.page} crop" width="{int.from_bytes(img[16:20], "big") // 2}" '
           f'src="data:image/png;base64,{base64.b64encode(img).decode()}">' if img else "")
    return (f'<td class="{" ".join(classes)}" id="{_e(cid)}" data-cell="{_e(cid)}" title="{_e("; ".join(t for t in tips if t))}">'
            f'<div class="v">{_e(cell_text(f.value))}</div><div class="m">{_e(meta)}</div>{pic}</td>')


def _table_html(t: TemplateTable, facts: dict[str, FactView], flags: dict[str, list[str]],
                images: dict[str, bytes], table_rules: list[str]) -> str:
    head_cls = ' class="bad"' if table_rules else ""
    parts = [f'<section class="tpl" id="t-{t.id}"><h2{head_cls}>{_e(t.section)} <small>{t.id}</small></h2>']
    if table_rules:
        parts.append(f'<p class="warn">failed: {_e(", ".join(table_rules))}</p>')
    parts.append("<table>")
    if t.id == "active_disclosure":
        groups: dict[str | None, list[TemplateRow]] = {}
        for r in t.rows:
            groups.setdefault(r.parent, []).append(r)
        for group, rows in groups.items():
            cols = [c for c in t.cols if any((r.id, c) in t.cells for r in rows)]
            parts.append(f'<tr class="group"><th colspan="{len(cols) + 1}">{_e(group or "")}</th></tr>')
            parts.append("<tr><th>信息内容</th>" + "".join(
                f"<th>{_e(t.col_labels[t.cols.index(c)])}</th>" for c in cols) + "</tr>")
            for r in rows:
                parts.append(f'<tr><th class="label">{_e(r.label)}</th>' + "".join(
                    _cell_td(f"{t.id}.{r.id}.{c}", facts, flags, images) for c in cols) + "</tr>")
    else:
        rows = _rows_as_printed(t, facts)
        labels = "".join(f"<th>{_e(label)}</th>" for label in t.col_labels)
        if t.id == "applications":
            n_org = len(t.cols) - 2
            note = raw_template_table(t.id).get("header_note", "")
            parts.append(f'<tr><th colspan="2" rowspan="3" class="corner">{_e(note)}</th>'
                         f'<th colspan="{len(t.cols) - 1}">申请人情况</th><th rowspan="3">{_e(t.col_labels[-1])}</th></tr>')
            parts.append(f'<tr><th rowspan="2">{_e(t.col_labels[0])}</th><th colspan="{n_org}">法人或其他组织</th></tr>')
            parts.append("<tr>" + "".join(f"<th>{_e(x)}</th>" for x in t.col_labels[1:-1]) + "</tr>")
        else:
            parts.append(f'<tr><th colspan="2"></th>{labels}</tr>')
        i = 0
        while i < len(rows):
            parent = rows[i].parent
            run = 1
            while parent and i + run < len(rows) and rows[i + run].parent == parent:
                run += 1
            for k, r in enumerate(rows[i:i + run]):
                label = (f'<th class="label" colspan="2">{_e(r.label)}</th>' if not parent else
                         (f'<th class="parent" rowspan="{run}">{_e(parent)}</th>' if k == 0 else "")
                         + f'<th class="label">{_e(r.label)}</th>')
                parts.append(f"<tr>{label}" + "".join(
                    _cell_td(f"{t.id}.{r.id}.{c}", facts, flags, images) for c in t.cols) + "</tr>")
            i += run
    parts.append("</table></section>")
    return "\n".join(parts)


_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;
 color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}h2 small{color:#888;font-weight:normal}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:13px;margin:8px 0 16px}
dl.meta dt{color:#666}dl.meta dd{margin:0;word-break:break-all}
table{border-collapse:collapse;background:#fff;font-size:12px}
th,td{border:1px solid #bbb;padding:3px 5px;vertical-align:top}
th{background:#f0f0f0;font-weight:600;text-align:center}
th.label{text-align:left;font-weight:normal;max-width:260px}th.parent{font-weight:normal;max-width:90px}
th.corner{font-weight:normal;font-size:11px;max-width:200px}tr.group th{text-align:left;background:#e4e9f2}
td.cell{text-align:center;min-width:64px}td.cell .v{font-size:16px;font-weight:600}
td.cell .m{font-size:10px;color:#777}td.cell img{display:block;margin:3px auto 0;
 border:1px solid #ddd}
td.absent{color:#aaa;background:#f6f6f6}td.inferred .v{font-style:italic;color:#555}
td.bad{background:#ffe3e0;outline:2px solid #d33;outline-offset:-2px}h2.bad{color:#b00}
.warn{color:#b00;margin:4px 0}
ul.checks{padding-left:18px}ul.checks li{margin:4px 0}ul.checks code{background:#fee;padding:0 3px}
.ok{color:#070}.note{color:#666;font-size:12px}
details{margin:8px 0;font-size:12px}
"""


def _meta(doc: dict) -> str:
    region = " ".join(x for x in (doc.get("province"), doc.get("city"), doc.get("county"), doc.get("town")) if x)
    items = [
        ("agency 机关", doc.get("agency") or "?"), ("year 年度", doc.get("year") or "?"),
        ("region 地区", f"{region or '—'} ({doc.get('region_status') or '?'}"
                        + (f", {doc['adcode']}" if doc.get("adcode") else "") + ")"),
        ("source", doc.get("source")),
        *([("read from", doc["followed_url"])] if doc.get("followed_url") else []),  # the page's iframe or attachment
        ("doc_id", doc.get("doc_id")),
        ("status", str(doc.get("status")) + (f": {doc['error']}" if doc.get("error") else "")),
        ("format / method", f"{doc.get('format') or '?'} / {doc.get('method') or '?'}"),
        ("pages", doc.get("pages") or "—"), ("cells read", doc.get("n_facts")),
        ("pipeline", doc.get("pipeline_version")), ("original", doc.get("original_path") or "—"),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"


def _checks_html(failed: list[CheckView], missing: str) -> str:
    parts = ['<section id="checks">']
    if failed:
        parts.append(f'<h2 class="bad">Failed checks 未通过的校验 ({len(failed)})</h2><ul class="checks">')
        for c in failed:
            first = min(c.cells) if c.cells else None
            link = f' <a href="#{_e(first)}">show</a>' if first else ""
            what = f" — {_e(c.text)}" if c.text else ""
            parts.append(f'<li class="failed-check" data-rule="{_e(c.rule_id)}"><code>{_e(c.rule_id)}</code>{what}'
                         f'<br><span class="detail">{_e(c.detail)}</span>{link}</li>')
        parts.append("</ul>")
    else:
        parts.append('<h2 class="ok">All checks passed 校验全部通过</h2>')
    if missing:
        ids = missing.split()
        parts.append(f"<details><summary>{len(ids)} template cells not found in the source</summary>"
                     f"<p>{_e(' '.join(ids))}</p></details>")
    parts.append("</section>")
    return "\n".join(parts)


def build_page(con: duckdb.DuckDBPyConnection, doc_id: str, template: Template, with_crops: bool = True) -> str:
    cur = con.execute("SELECT * FROM reports WHERE doc_id = ?", [doc_id])
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    if row is None:
        raise NotFound(f"{doc_id}: no such document in the warehouse")
    doc = dict(zip(names, row))
    if doc.get("template_version") and doc["template_version"] != template.version:
        template = load_template(doc["template_version"])  # laid out as the format the report prints
    facts = _load_facts(con, doc_id)
    failed, missing = _load_checks(con, doc_id, template)
    flags: dict[str, list[str]] = {}
    for c in failed:
        for cid in c.cells:
            flags.setdefault(cid, []).append(c.rule_id)
    images: dict[str, bytes] = {}
    crop_note = ""
    boxes = {cid: Box(f.page, f.bbox) for cid, f in facts.items() if f.page and f.bbox}
    if with_crops and boxes and doc.get("original_path"):
        try:
            images = crops(doc["original_path"], doc.get("format"), boxes)
        except CropError as e:
            crop_note = f"page images unavailable: {e}"
    elif not boxes:
        crop_note = "no page images: the source has no pages or boxes (html, docx, text)"
    title = f"{doc.get('agency') or '?'} {doc.get('year') or '?'} 年度报告 — review"
    body = [f"<h1>{_e(title)}</h1>", _meta(doc)]
    if crop_note:
        body.append(f'<p class="note">{_e(crop_note)}</p>')
    body.append('<p class="note">Each number is shown as read, with the piece of the page it was read from '
                '(box outlined in red). Cells involved in a failed check are highlighted; hover a cell for '
                'its raw text and the checks it fails. — = not found in the source; italic = inferred.</p>')
    body.append(_checks_html(failed, missing))
    for t in template.tables:
        table_rules = sorted({c.rule_id for c in failed if c.rule_id.startswith(t.id + ".") and not c.cells})
        body.append(_table_html(t, facts, flags, images, table_rules))
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    body.append(f'<p class="note">nianbao review page, {stamp}</p>')
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write_page(con: duckdb.DuckDBPyConnection, key: str, out: Path | None, template: Template) -> Path:
    """The page of the document named by key, written to out (default: inspect_<doc_id[:12]>.html)."""
    doc_id = find_document(con, key)
    path = out or Path(f"inspect_{doc_id[:12]}.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_page(con, doc_id, template), encoding="utf-8")
    return path

