"""The recogniser adapter: PP-OCR text detection and line recognition on ONNX Runtime.

The models are the PP-OCR det/rec ONNX files that the `rapidocr` wheel ships inside itself. We load
them straight from the installed package with onnxruntime and never go through RapidOCR's model
resolver, whose code path can download weights: the OCR path works offline by construction, and a
missing model file is an error, never a download.

Running the two networks ourselves also gives what the RapidOCR pipeline hides: per-character
probabilities (a number's confidence is its least certain digit, not the mean) and batched
recognition of many small crops (table cells) in one call.
"""

from __future__ import annotations

import functools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from extractors.errors import ExtractionError

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"  # is a text line upside down? (0 / 180)
_CLS_SHAPE = (48, 192)
REC_HEIGHT = 48
_DET_THRESH = 0.3  # probability a pixel is text (PP-OCR's default)
_DET_BOX_THRESH = 0.5  # mean probability over a box to keep it
_DET_UNCLIP = 1.6  # DB's shrunk text kernels are grown back by area * ratio / perimeter
# Crops go to the network in batches of one input width only (a batch padded to its widest crop
# reads the narrower ones differently and wastes the padding). Up to 8 a run: on a table's digits,
# all padded to the narrowest width, a batch of 8 costs some 20% less per crop than single runs.
_REC_BATCH = 8
# Narrowest input width, as a ratio to the height. PaddleOCR pads every batch to 320 px; a batch of
# table digits padded only to 96 px reads the same (checked on the hongze scan) in half the time.
_REC_MIN_RATIO = 2.0


@dataclass(frozen=True)
class Recognition:
    """One recognised line: its text, the mean and least character probability, and for each
    character its horizontal centre (as a fraction of the crop's width) and its probability."""

    text: str
    confidence: float
    min_char_confidence: float
    char_x: tuple[float, ...] = ()
    char_conf: tuple[float, ...] = ()


@dataclass(frozen=True)
class TextBox:
    """An axis-aligned detected text region in image pixels: x0, y0, x1, y1 and DB score."""

    x0: int
    y0: int
    x1: int
    y1: int
    score: float

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0


@dataclass(frozen=True)
class Engine:
    det: ort.InferenceSession
    rec: ort.InferenceSession
    cls: ort.InferenceSession
    charset: tuple[str, ...]  # index 0 is the CTC blank
    # Recognition runs this many batches at once, one thread each. A crop of a table cell is too
    # small for one run to keep two threads busy (two threads read a 48x96 crop no faster than
    # one); two runs side by side do.
    streams: int = 1


def model_dir() -> Path:
    """Where the installed rapidocr package keeps its bundled ONNX models."""
    return Path(str(resources.files("rapidocr"))) / "models"


def _session(path: Path, threads: int) -> ort.InferenceSession:
    if not path.is_file():
        raise ExtractionError(f"OCR model missing: {path} (reinstall the rapidocr package)")
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # threads that spin while waiting burn the cores other engineers' jobs need (and on a busy
    # machine make every inference slower, not faster)
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


@functools.cache
def load_engine(threads: int | None = None) -> Engine:
    """Load the models once per process (a few hundred ms); every page and document reuses them.
    Threads: `threads`, else NIANBAO_OCR_THREADS (a pool of worker processes sets it to its share of
    the cores: two workers of two threads each on two cores spend the time switching), else two:
    the machines this runs on are small and shared."""
    n = threads or int(os.environ.get("NIANBAO_OCR_THREADS", "0") or 0) or min(2, os.cpu_count() or 1)
    root = model_dir()
    # the detector's input is a whole page or band, large enough for n threads inside one run; the
    # recogniser's and the line classifier's are small: one thread a run, n runs at once
    rec = _session(root / REC_MODEL, 1)
    chars = rec.get_modelmeta().custom_metadata_map.get("character")
    if not chars:
        raise ExtractionError("OCR recognition model carries no character list")
    charset = ("",) + tuple(chars.splitlines()) + (" ",)
    return Engine(det=_session(root / DET_MODEL, n), rec=rec, cls=_session(root / CLS_MODEL, 1), charset=charset,
                  streams=n)


def detect(engine: Engine, image: np.ndarray, scale: float = 1.0) -> list[TextBox]:
    """Text regions of a BGR or grey image, as axis-aligned boxes in the image's pixels.

    `scale` resizes the image before the network (detection of body text at 150-200 dpi is as good
    at 0.75 and about twice as fast). Pages are deskewed before this, so boxes need no rotation."""
    img = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    h, w = img.shape[:2]
    rh = max(32, round(h * scale / 32) * 32)
    rw = max(32, round(w * scale / 32) * 32)
    x = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    x = (x.astype(np.float32) / 255.0 - 0.5) / 0.5
    x = x.transpose(2, 0, 1)[None]
    prob = engine.det.run(None, {engine.det.get_inputs()[0].name: x})[0][0, 0]
    bitmap = (prob > _DET_THRESH).astype(np.uint8)
    bitmap = cv2.dilate(bitmap, np.ones((2, 2), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bitmap, connectivity=8)
    sx, sy = w / rw, h / rh
    boxes: list[TextBox] = []
    for i in range(1, n):
        bx, by, bw, bh, _area = stats[i]
        if min(bw, bh) < 3:
            continue
        score = float(prob[by : by + bh, bx : bx + bw][labels[by : by + bh, bx : bx + bw] == i].mean())
        if score < _DET_BOX_THRESH:
            continue
        d = bw * bh * _DET_UNCLIP / (2 * (bw + bh))
        x0, y0 = max(0.0, bx - d), max(0.0, by - d)
        x1, y1 = min(float(rw), bx + bw + d), min(float(rh), by + bh + d)
        boxes.append(
            TextBox(int(x0 * sx), int(y0 * sy), math.ceil(x1 * sx), math.ceil(y1 * sy), score)
        )
    boxes.sort(key=lambda b: (b.y0, b.x0))
    return boxes


def _rec_input(crop: np.ndarray, width: int, height: int = REC_HEIGHT) -> np.ndarray:
    img = crop if crop.ndim == 3 else cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    h, w = img.shape[:2]
    rw = min(width, max(1, math.ceil(height * w / max(h, 1))))
    resized = cv2.resize(img, (rw, height)).astype(np.float32)
    out = np.zeros((3, height, width), dtype=np.float32)
    out[:, :, :rw] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    return out


def _decode(engine: Engine, probs: np.ndarray, used_frac: float) -> Recognition:
    idx = probs.argmax(axis=1)
    pmax = probs.max(axis=1)
    keep = idx != 0
    keep[1:] &= idx[1:] != idx[:-1]
    pos = np.flatnonzero(keep)
    if pos.size == 0:
        return Recognition("", 0.0, 0.0)
    text = "".join(engine.charset[i] for i in idx[pos])
    conf = pmax[pos]
    steps = len(idx) * used_frac
    char_x = tuple(float(min(1.0, (p + 0.5) / steps)) for p in pos)
    return Recognition(text, float(conf.mean()), float(conf.min()), char_x, tuple(float(c) for c in conf))


def _rec_width(ratio: float) -> int:
    """The network's input width for a crop of this width/height ratio (never under the minimum)."""
    return math.ceil(REC_HEIGHT * max(ratio, _REC_MIN_RATIO))


def recognize(engine: Engine, crops: list[np.ndarray]) -> list[Recognition]:
    """Recognise single-line crops, in batches of one input width, `engine.streams` batches at once.
    Each crop's reading is the one it gets alone: its input is the same whatever it is batched with."""
    ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
    by_width: dict[int, list[int]] = {}
    for i, r in enumerate(ratios):
        by_width.setdefault(_rec_width(r), []).append(i)
    batches = [(w, idx[k : k + _REC_BATCH]) for w, idx in by_width.items() for k in range(0, len(idx), _REC_BATCH)]
    batches.sort(key=lambda b: -b[0] * len(b[1]))  # the longest runs first: the streams end together
    name = engine.rec.get_inputs()[0].name

    def run(batch: tuple[int, list[int]]) -> list[Recognition]:
        width, idx = batch
        preds = engine.rec.run(None, {name: np.stack([_rec_input(crops[i], width) for i in idx])})[0]
        return [_decode(engine, preds[k], min(1.0, REC_HEIGHT * ratios[i] / width)) for k, i in enumerate(idx)]

    if engine.streams > 1 and len(batches) > 1:
        with ThreadPoolExecutor(min(engine.streams, len(batches))) as pool:
            done = list(pool.map(run, batches))
    else:
        done = [run(b) for b in batches]
    out = [Recognition("", 0.0, 0.0)] * len(crops)
    for (_, idx), recs in zip(batches, done):
        for i, r in zip(idx, recs):
            out[i] = r
    return out


def upside_down_probability(engine: Engine, crops: list[np.ndarray]) -> list[float]:
    """For each single-line crop, the line-direction classifier's probability that it is turned by
    180 degrees (tiny network, 48x192 input: a few ms a line)."""
    if not crops:
        return []
    h, w = _CLS_SHAPE
    x = np.stack([_rec_input(c, w, height=h) for c in crops])
    probs = engine.cls.run(None, {engine.cls.get_inputs()[0].name: x})[0]
    return [float(p[1]) for p in probs]
