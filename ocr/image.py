"""Image files (PNG, JPEG, multi-page TIFF, BMP, WEBP) -> Document, by OCR."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractors.errors import ExtractionError
from extractors.model import Block, Document
from ocr.engine import Engine, load_engine
from ocr.page import ocr_image

ASSUMED_DPI = 200.0  # an image that states no resolution: a typical office scan
_MIN_DPI, _MAX_DPI = 72.0, 600.0
_MAX_PIXELS = 60_000_000  # a page at 600 dpi is ~35 MP; more is a bomb, not a scan


def _dpi(img: Image.Image) -> float:
    """The resolution the file states, when it is plausible for a scanned page."""
    info = img.info.get("dpi")
    if info:
        try:
            d = float(info[0])
        except (TypeError, ValueError, IndexError):
            d = 0.0
        if _MIN_DPI <= d <= _MAX_DPI and d != 72.0:  # 72 is a tool's default, not a measurement
            return d
    # no stated resolution: guess from the size, taking the long side as an A4 page's 11.7 in
    guess = max(img.size) / 11.7
    return float(min(300.0, max(ASSUMED_DPI if guess > 250 else guess, 100.0)))


def _bgr(frame: Image.Image) -> np.ndarray:
    frame = ImageOps.exif_transpose(frame)
    if frame.mode in ("RGBA", "LA", "P"):
        frame = frame.convert("RGBA")
        white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, frame)
    rgb = np.asarray(frame.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def extract_image(data: bytes, source: str, engine: Engine | None = None) -> Document:
    """OCR every frame of an image file; each frame is a page (1-based)."""
    Image.MAX_IMAGE_PIXELS = _MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ExtractionError(f"cannot read image: {exc}") from exc
    eng = engine if engine is not None else load_engine()
    blocks: list[Block] = []
    pages = 0
    warnings: list[str] = []
    try:
        for i, frame in enumerate(ImageSequence.Iterator(img), start=1):
            pages = i
            dpi = _dpi(frame)
            blocks.extend(ocr_image(eng, _bgr(frame), dpi, i))
    except (OSError, ValueError) as exc:
        if pages <= 1 and not blocks:
            raise ExtractionError(f"cannot read image: {exc}") from exc
        warnings.append(f"image frames after {pages - 1} unreadable: {exc}")
    if not any(True for _ in blocks):
        warnings.append("no text found in the image")
    return Document(
        source=source, format="image", method="ocr", blocks=tuple(blocks), pages=pages, warnings=tuple(warnings)
    )
