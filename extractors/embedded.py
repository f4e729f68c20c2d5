"""Pictures inside HTML articles and Word files (图片版 reports, tables pasted as pictures) to blocks, by OCR.

An extractor walks its document as usual and notes each picture it meets as an `EmbeddedImage`: the
number of blocks read before it and a reference the extractor knows how to fetch (a data: URI, a URL,
a package part). `read_images` then decides which pictures are worth the OCR, runs them through the
OCR path (`ocr.image.extract_image`) and splices the recognised blocks in where each picture sits.

Which pictures are read, and why:
- size: logos, icons, QR codes, spacers and separators cannot hold a report page, and OCR costs
  seconds a picture, so a picture needs both sides of at least MIN_SIDE_PX, or MIN_AREA_PX of area
  with a short side of at least MIN_SHORT_SIDE_PX (a wide, short picture: a table cut out alone),
  or, when it looks printed (below), MIN_PRINTED_AREA_PX: a screenshot of 表二 at 96 dpi is about
  600 x 400 pixels, while logos, emblems and QR codes do not look printed (colour, or half ink);
- need: where the text of the document already holds grids of figures, the report's tables came as
  text and its pictures are most likely a 图片版 copy of the same pages, a table pasted as a picture
  beside its text copy, a stamped signature page or a photo. Then only pictures of print are read:
  page-like ones (portrait, A4 either way round, or a 长图), and others that look printed (mostly
  white paper, some dark ink, almost no colour: a table cut out alone is as wide as the page and
  often short). A copy is worth its seconds of OCR: reconciliation compares it with the text copy,
  and a copy printing other numbers must not go unseen. A landscape photo or a banner is neither. Where the text holds no grid of figures, every picture of a
  readable size is read: the report, if there is one, can only be in the pictures. This is a signal
  of the format (numbers laid out in tables), not of the template, which extractors never know;
- count: at most MAX_IMAGES pictures are OCR'd per document (an article with hundreds of pictures is
  a gallery, not a report), and at most MAX_LOOKED_AT are fetched at all.

The recognised cells keep their OCR confidence (that makes their facts 'ocr' downstream) and take as
page the picture's index (1-based) among the pictures of the document. A picture that cannot be
fetched, decoded or OCR'd becomes a warning, never an error for the document.
"""

from __future__ import annotations

import base64
import binascii
import io
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.model import Block, Document, Paragraph, Table
from extractors.numbers import parse_number, split_numbers

MIN_SIDE_PX = 600
MIN_AREA_PX = 500_000
MIN_SHORT_SIDE_PX = 200
MIN_PRINTED_AREA_PX = 200_000
MAX_IMAGES = 40
MAX_LOOKED_AT = 120
MAX_LOCAL_BYTES = 64 * 1024 * 1024
# More figures than a contact table holds (a phone number, a postcode, a date): a grid of data.
FIGURES_IN_TEXT = 10
# Portrait pages from US letter (1.29) up, any 长图 included; A4 landscape is 1.414 wide.
PORTRAIT_RATIO = 1.2
LANDSCAPE_A4 = (1.36, 1.47)
# A picture of print: at least this share of paper (light, grey) pixels, ink (dark pixels) between
# these shares, and at most this share of coloured pixels (a red seal covers a few percent of a page).
PAPER_SHARE = 0.6
INK_SHARE = (0.005, 0.3)
COLOUR_SHARE = 0.08

Fetch = Callable[[str], "bytes | None"]
Ocr = Callable[[bytes, str], Document]


@dataclass(frozen=True)
class EmbeddedImage:
    """A picture met while walking a document."""

    position: int  # how many blocks were read before it: its blocks go in at this index
    ref: str  # what the extractor's fetch function takes (data: URI, URL, package relationship id)
    where: str  # how a warning names it


@dataclass(frozen=True)
class Read:
    """The document's blocks with the pictures' blocks in place, and what went unread."""

    blocks: tuple[Block, ...]
    warnings: tuple[str, ...]
    ocred: int  # pictures run through OCR


# --- bytes ------------------------------------------------------------------------------------------


def decode_data_uri(uri: str) -> bytes | None:
    """The bytes of a `data:` URI (base64 or percent-encoded), or None when it is not one."""
    if uri[:5].lower() != "data:" or "," not in uri:
        return None
    header, payload = uri[5:].split(",", 1)
    if header.lower().endswith(";base64"):
        # HTML attributes wrap long base64 over lines; padding is often dropped by CMS editors
        compact = "".join(payload.split())
        compact = urllib.parse.unquote(compact) if "%" in compact else compact
        try:
            return base64.b64decode(compact + "=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            return None
    return urllib.parse.unquote_to_bytes(payload)


def read_beside(source: str, ref: str) -> bytes | None:
    """The file a relative reference names, next to a local `source` file (a page saved with its
    pictures). Site-root paths ("/upload/x.jpg") and URLs name nothing on this disk."""
    parts = urllib.parse.urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    try:
        base = Path(source)
        if not base.is_file():
            return None
        target = base.parent / urllib.parse.unquote(parts.path)
        if not target.is_file() or target.stat().st_size > MAX_LOCAL_BYTES:
            return None
        return target.read_bytes()
    except (OSError, ValueError):  # names too long, bad characters, permissions
        return None


def pixel_size(data: bytes) -> tuple[int, int]:
    """Width and height from the picture's header, nothing decoded. Raises what PIL raises for bytes
    that are no picture (or a decompression bomb)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.size


# --- which pictures -----------------------------------------------------------------------------------


def readable_size(width: int, height: int) -> bool:
    """Large enough to hold a page or a table of text (not a logo, icon, QR code or spacer)."""
    short = min(width, height)
    return short >= MIN_SIDE_PX or (width * height >= MIN_AREA_PX and short >= MIN_SHORT_SIDE_PX)


def page_like(width: int, height: int) -> bool:
    """Shaped like a printed page: portrait (up to any 长图) or A4 landscape."""
    if width <= 0 or height <= 0:
        return False
    return height >= PORTRAIT_RATIO * width or LANDSCAPE_A4[0] <= width / height <= LANDSCAPE_A4[1]


def looks_printed(data: bytes) -> bool:
    """Whether the picture looks like print on paper (a table or a page of text, scanned or drawn):
    mostly light, some dark ink, little colour. Judged on a small copy: photos and banners are
    neither mostly white nor grey."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", (400, 400))  # JPEG: decode at a fraction of the size
        small = img.convert("RGB")
    small.thumbnail((400, 400))
    if small.width * small.height == 0:
        return False
    grey = np.asarray(small.convert("L"))
    hsv = np.asarray(small.convert("HSV"))
    paper = float((grey >= 200).mean())
    ink = float((grey < 160).mean())  # thin strokes turn grey in the small copy
    colour = float(((hsv[..., 1] > 80) & (hsv[..., 2] > 60)).mean())
    return paper >= PAPER_SHARE and INK_SHARE[0] <= ink <= INK_SHARE[1] and colour <= COLOUR_SHARE


def figures_in_text(blocks: Sequence[Block]) -> int:
    """Numbers the document prints as table cells or as lines of their own (a table flattened into
    paragraphs), read text only: cells OCR'd already do not count."""
    n = 0
    for b in blocks:
        if isinstance(b, Table):
            n += sum(_numbers_in(c.text) for c in b.cells if c.confidence is None)
        elif isinstance(b, Paragraph):
            n += _numbers_in(b.text)
    return n


def _numbers_in(text: str) -> int:
    if parse_number(text) is not None:
        return 1
    parts = split_numbers(text)
    return len(parts) if parts else 0


# --- reading them ----------------------------------------------------------------------------------


def read_images(
    blocks: Sequence[Block],
    images: Sequence[EmbeddedImage],
    source: str,
    fetch: Fetch,
    ocr: Ocr | None = None,
) -> Read:
    """`blocks` with the OCR'd blocks of the pictures worth reading spliced in where they sit.

    `fetch` gives a picture's bytes from its reference (None when they cannot be had); `ocr` turns
    picture bytes into a Document (default: `ocr.image.extract_image`)."""
    if not images:
        return Read(tuple(blocks), (), 0)
    text_has_tables = figures_in_text(blocks) >= FIGURES_IN_TEXT
    warnings: list[str] = []
    small = not_page = 0
    inserts: dict[int, list[Block]] = {}
    ocred = 0
    for index, image in enumerate(images, start=1):
        if index > MAX_LOOKED_AT or ocred >= MAX_IMAGES:
            warnings.append(
                f"{len(images) - index + 1} image(s) not read (at most {MAX_IMAGES} are OCR'd "
                f"and {MAX_LOOKED_AT} looked at per document)"
            )
            break
        data, why = _fetch(fetch, image.ref)
        if data is None:
            warnings.append(f"image {index} not read ({why}): {image.where}")
            continue
        if _is_vector(data):
            small += 1  # SVG logos and icons: nothing to OCR in a raster sense
            continue
        try:
            width, height = pixel_size(data)
        except Exception as exc:  # noqa: BLE001 - PIL raises many kinds for bad bytes and bombs
            warnings.append(f"image {index} not read ({_why(exc)}): {image.where}")
            continue
        if not readable_size(width, height) and not (
                min(width, height) >= MIN_SHORT_SIDE_PX and width * height >= MIN_PRINTED_AREA_PX
                and _printed(data)):
            small += 1
            continue
        if text_has_tables and not page_like(width, height) and not _printed(data):
            not_page += 1
            continue
        ocred += 1
        found = _ocr(ocr, data, f"{source}#image{index}", image, index, warnings)
        inserts.setdefault(image.position, []).extend(_on_page(b, index) for b in found)
    if small:
        warnings.append(f"{small} image(s) not read (too small to hold a page: logos, icons, spacers)")
    if not_page:
        warnings.append(
            f"{not_page} image(s) not read (the text holds tables of figures and these "
            "are not shaped like pages nor look printed)"
        )
    return Read(_splice(blocks, inserts), tuple(warnings), ocred)


def _why(exc: Exception) -> str:
    from PIL import Image, UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "not a picture format that can be read"
    if isinstance(exc, Image.DecompressionBombError):
        return f"too many pixels to decode safely: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _fetch(fetch: Fetch, ref: str) -> tuple[bytes | None, str]:
    """The picture's bytes, or None and why not."""
    try:
        data = fetch(ref)
    except Exception as exc:  # noqa: BLE001 - the crawler's resolver: a failed download is one picture lost
        return None, f"fetching it failed: {type(exc).__name__}: {exc}"
    return (data, "") if data else (None, "its bytes are not available here")


def _printed(data: bytes) -> bool:
    try:
        return looks_printed(data)
    except Exception:  # noqa: BLE001 - a picture PIL reads the size of but cannot decode: not read here
        return False


def _is_vector(data: bytes) -> bool:
    head = data[:256].lstrip()
    return head.startswith((b"<svg", b"<?xml", b"<!DOCTYPE svg"))


def _ocr(
    ocr: Ocr | None, data: bytes, name: str, image: EmbeddedImage, index: int, warnings: list[str]
) -> tuple[Block, ...]:
    if ocr is None:
        from ocr.image import extract_image  # ONNX models load only where a picture is read

        ocr = extract_image
    try:
        doc = ocr(data, name)
    except Exception as exc:  # noqa: BLE001 - corrupt pictures, bombs, OCR bugs: one picture lost, not the document
        warnings.append(f"image {index} could not be OCR'd ({exc}): {image.where}")
        return ()
    warnings.extend(f"image {index}: {w}" for w in doc.warnings)
    return doc.blocks


def _on_page(block: Block, page: int) -> Block:
    if isinstance(block, Table):
        return replace(block, page=page, cells=tuple(replace(c, page=page) for c in block.cells))
    return replace(block, page=page)


def _splice(blocks: Sequence[Block], inserts: dict[int, list[Block]]) -> tuple[Block, ...]:
    out: list[Block] = []
    for i in range(len(blocks) + 1):
        out.extend(inserts.get(i, ()))
        if i < len(blocks):
            out.append(blocks[i])
    return tuple(out)
