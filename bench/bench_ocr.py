"""Seconds per page: nianbao's OCR path against one plain full-page RapidOCR pass, same pages,
same run, same threads.

    uv run python bench/bench_ocr.py [PDF] [--pages 1,2,3] [--threads 2]

The machine is shared: the load average is printed with the timings, and each page is timed for
both paths back to back so a burst of someone else's work hits both alike. The CPU seconds of
nianbao's path (all its threads) are printed too: on a busy machine they say what the work costs
when the wall clock says mostly how long it waited for a core.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

DEFAULT_PDF = Path(__file__).resolve().parents[2] / "shared" / "real" / "hongze_2024_scan.pdf"


def plain_rapidocr(threads: int):
    from rapidocr import RapidOCR

    from ocr.engine import DET_MODEL, REC_MODEL, model_dir

    root = model_dir()
    return RapidOCR(
        params={
            "Global.log_level": "critical",
            "Det.model_path": str(root / DET_MODEL),
            "Rec.model_path": str(root / REC_MODEL),
            "Cls.model_path": str(root / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", default=str(DEFAULT_PDF))
    ap.add_argument("--pages", default="")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    from ocr.engine import load_engine
    from ocr.page import ocr_image
    from ocr.render import open_pdf, render_page

    pdf = open_pdf(Path(args.pdf).read_bytes())
    pages = [int(p) for p in args.pages.split(",") if p] or list(range(1, len(pdf) + 1))
    t = time.perf_counter()
    ours = load_engine(args.threads)
    plain = plain_rapidocr(args.threads)
    print(f"models loaded in {time.perf_counter() - t:.2f}s; threads={args.threads}; load={os.getloadavg()[0]:.2f}")
    images = [render_page(pdf, p) for p in pages]
    plain(images[0].image)  # first call of RapidOCR loads its sessions lazily: keep it out of the timing
    tot_ours = tot_plain = tot_cpu = 0.0
    print("page  dpi   nianbao_s  plain_rapidocr_s  ratio   nianbao_cpu_s")
    for img in images:
        t, c = time.perf_counter(), time.process_time()
        blocks = ocr_image(ours, img.image, img.dpi, img.page)
        a, cpu = time.perf_counter() - t, time.process_time() - c
        t = time.perf_counter()
        res = plain(img.image)
        b = time.perf_counter() - t
        tot_ours += a
        tot_plain += b
        tot_cpu += cpu
        print(f"{img.page:>4}  {img.dpi:>4.0f}  {a:>9.2f}  {b:>16.2f}  {a / b:>5.2f}   {cpu:>13.2f}"
              f"   ({len(blocks)} blocks / {len(res.txts or ())} lines)")
    n = len(images)
    print(f"mean  {'':>4}  {tot_ours / n:>9.2f}  {tot_plain / n:>16.2f}  {tot_ours / tot_plain:>5.2f}   "
          f"{tot_cpu / n:>13.2f}   load={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
