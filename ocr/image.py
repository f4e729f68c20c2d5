"""Image files (PNG, JPEG, multi-page TIFF, BMP, WEBP) -> Document, by OCR."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractors.errors import ExtractionError
from extractors.model import Block, Document
from extractors.pdf_stitch import stitch_pages
from ocr.engine import Engine, load_engine
from ocr.page import as_blocks, ocr_page
from ocr.render import MAX_DPI, MIN_DPI

_MIN_DPI, _MAX_DPI = 72.0, 600.0
_MAX_PIXELS = 150_000_000  # a 600 dpi page is ~35 MP, a 长图 of twenty 200 dpi pages ~80 MP


def _dpi(img: Image.Image) -> float:
    """The resolution the file states when plausible for a scanned page; otherwise a guess from
    the short side taken as an A4 page's 8.27 inches (it is the page's width whether the image is
    one page, a page scanned sideways, or a 长图 of many pages stacked)."""
    info = img.info.get("dpi")
    try:
        stated = float(info[0]) if info else 0.0
    except (TypeError, ValueError, IndexError):
        stated = 0.0
    if _MIN_DPI < stated <= _MAX_DPI:  # 72 is a tool's default, not a measurement
        return stated
    return float(min(400.0, max(100.0, min(img.size) / 8.27)))


def _working_resolution(image: np.ndarray, dpi: float) -> tuple[np.ndarray, float, float]:
    """The image resampled into the range the OCR path is tuned for (as PDF pages are rendered),
    with the factor that takes its pixels back to the file's: a 600 dpi scan costs four times the
    work of 300 dpi for nothing, a 96 dpi screenshot's digits are too small for the rules."""
    target = min(MAX_DPI, max(MIN_DPI, dpi))
    f = target / dpi
    if abs(f - 1.0) < 0.05:
        return image, dpi, 1.0
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(image, None, fx=f, fy=f, interpolation=interp)
    return resized, target, 1.0 / f


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
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ExtractionError(f"cannot read image: {exc}") from exc
    eng = engine if engine is not None else load_engine()
    per_page: list[list] = []
    pages = 0
    warnings: list[str] = []
    try:
        for i, frame in enumerate(ImageSequence.Iterator(img), start=1):
            if frame.width * frame.height > _MAX_PIXELS:
                raise ExtractionError(f"image frame {i} is {frame.width}x{frame.height} pixels: too large for a page")
            pages = i
            image, dpi, back = _working_resolution(_bgr(frame), _dpi(frame))
            # boxes in the image's own pixels, as the model specifies for images
            per_page.append(ocr_page(eng, image, dpi, i, box_scale=back))
    except (OSError, ValueError, IndexError, cv2.error) as exc:
        if pages <= 1 and not any(per_page):
            raise ExtractionError(f"cannot read image: {exc}") from exc
        warnings.append(f"image frames after {pages - 1} unreadable: {exc}")
    # a table running over frames (pages of a TIFF) is one table, as in a PDF
    blocks: list[Block] = as_blocks(stitch_pages(per_page))  # type: ignore[arg-type]
    if not blocks:
        warnings.append("no text found in the image")
    return Document(
        source=source, format="image", method="ocr", blocks=tuple(blocks), pages=pages, warnings=tuple(warnings)
    )
