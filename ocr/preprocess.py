"""Clean a page image for recognition: red seals out, background flat, noise down, page upright.

Each step is a plain function of an image; `ocr.page` chains them. Orientation needs the recogniser
(which way up reads best), so it lives in `ocr.orient`.
"""

from __future__ import annotations

import cv2
import numpy as np

# Seal ink: the red channel this far above the others (paper and black ink are neutral).
_RED_MARGIN = 30


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """Pixels where red (seal) ink shows: the red channel clearly above green and blue."""
    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    return ((r - np.maximum(g, b)) > _RED_MARGIN).astype(np.uint8)


def suppress_red(bgr: np.ndarray) -> np.ndarray:
    """Take seal ink out, keeping what is printed under it.

    In the red channel a red seal is nearly as light as paper, while black text and rules under a
    translucent seal stay dark. So wherever red shows, and in a margin around it (JPEG smears a
    seal's colour over its edges, leaving grey fringes that would read as strokes), the pixel
    becomes its red channel as grey, lifted so the seal's red matches the paper. Elsewhere the image is left as it is. Returns the image
    unchanged when it holds no red."""
    if bgr.ndim != 3:
        return bgr
    mask = red_mask(bgr)
    if int(mask.sum()) < 50:
        return bgr
    near = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))) > 0
    # seal ink is not pure red: lift its red channel to the paper's level (black stays black)
    red_all = bgr[:, :, 2].astype(np.float32)
    b, g = bgr[:, :, 0].astype(np.int16), bgr[:, :, 1].astype(np.int16)
    strong = (red_all.astype(np.int16) - np.maximum(g, b)) > 80
    seal = float(np.median(red_all[strong])) if strong.any() else float(np.median(red_all[mask > 0]))
    paper = float(np.percentile(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), 75))
    lift = float(np.clip(paper / max(seal, 1.0), 1.0, 1.6))
    red = red_all[near] * lift
    # what is left of the seal is light grey (its JPEG-blurred edges); text under it is dark
    red[red >= 0.88 * paper] = paper
    out = bgr.copy()
    out[near] = np.repeat(np.clip(red, 0, 255).astype(np.uint8)[:, None], 3, axis=1)
    return out


def to_gray(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def noise_level(gray: np.ndarray) -> float:
    """Robust estimate of pixel noise (sigma) from the median absolute Laplacian of the paper."""
    small = gray if gray.shape[0] < 1200 else cv2.resize(gray, None, fx=0.5, fy=0.5)
    lap = cv2.Laplacian(small.astype(np.float32), cv2.CV_32F)
    paper = small >= np.percentile(small, 60)
    vals = np.abs(lap[paper])
    return float(np.median(vals)) if vals.size else 0.0


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median filtering only when the paper is speckled; clean scans pass through untouched
    (smoothing a clean page only softens the strokes of small digits)."""
    level = noise_level(gray)
    if level < 6.0:
        return gray
    if level < 14.0:
        return cv2.medianBlur(gray, 3)
    return cv2.fastNlMeansDenoising(cv2.medianBlur(gray, 3), None, h=12, templateWindowSize=7, searchWindowSize=15)


def flatten_background(gray: np.ndarray) -> np.ndarray:
    """Divide out uneven paper (shadows, grey table shading, yellowed scans) and stretch contrast so
    the paper is white and ink is dark."""
    h, w = gray.shape
    f = 4
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = max(15, (min(h, w) // f) // 25) | 1
    bg_small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg_small = cv2.GaussianBlur(bg_small, (0, 0), k / 3)
    bg = cv2.resize(bg_small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    # the darkest ink goes to black; taken among the darker pixels only, since on a sparse page
    # 99.5 % of the pixels are paper
    dark = flat[flat < 200]
    lo = float(np.percentile(dark, 5)) if dark.size >= 50 else 0.0
    flat = (flat - lo) * (255.0 / max(255.0 - lo, 1.0))
    return np.clip(flat, 0, 255).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0: an adaptive threshold, so grey shading is not ink but its text is."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def skew_angle(ink: np.ndarray, max_angle: float = 8.0) -> float:
    """The small rotation in degrees (counter-clockwise positive, as cv2.getRotationMatrix2D takes
    it) that levels the page: the one under which the ink lines up most sharply in rows and columns
    together (text lines and rules of an upright page, the same lines of a page on its side)."""
    ys, xs = np.nonzero(ink[::2, ::2])
    if ys.size < 200:
        return 0.0
    if ys.size > 60000:
        pick = np.random.default_rng(0).choice(ys.size, 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64) - ys.mean()
    xs = xs.astype(np.float64) - xs.mean()
    size = max(ink.shape) // 2 + 1

    def peaks(proj: np.ndarray) -> float:
        hist, _ = np.histogram(proj, bins=2 * size, range=(-size, size))
        return float((hist.astype(np.float64) ** 2).sum())

    def sharpness(deg: float) -> float:
        t = np.deg2rad(deg)
        # rotating the content by +deg (counter-clockwise, y down) levels lines that fall by tan(deg)
        return peaks(ys * np.cos(t) + xs * np.sin(t)) + peaks(xs * np.cos(t) - ys * np.sin(t))

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    # the sharpest angle is the content's own rotation; undoing it is the opposite turn
    return -float(max(fine, key=sharpness))


def rotation_matrix(shape: tuple[int, int], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """Affine matrix rotating by `angle` degrees about the centre, and the output size that holds
    the whole rotated image."""
    h, w = shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = round(h * sin + w * cos), round(h * cos + w * sin)
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    return m, (nw, nh)


def rotate(img: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(
        img, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


SEAL_DPI = 75.0


def find_seal(gray: np.ndarray, dpi: float, ink: np.ndarray | None = None) -> tuple[int, int, int] | None:
    """A round seal stamped in grey (a grey scan keeps no red to tell it by): a ring 1.3-2.2 in
    across whose circumference is inked nearly all round. Returns centre and radius in pixels.
    Nothing else on these pages is a large inked circle. `ink`: the page's ink mask where the
    caller has it already."""
    if min(gray.shape[:2]) < dpi:  # smaller than a seal
        return None
    # The circle search runs at SEAL_DPI whatever the scan's resolution: a seal's ring is 1-2 mm of
    # ink, still several pixels there, and the Hough accumulator's cost grows with the pixels and
    # the radii searched (at half a 300-dpi page it took 1.6 s a page, a fifth of the whole read).
    f = min(1.0, SEAL_DPI / dpi)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    small = cv2.medianBlur(small, 3)
    r_min, r_max = int(dpi * 0.6 * f), int(dpi * 1.15 * f)
    # searched as scanned, then with long straight runs taken out: in a dense ruled grid every
    # circle of a seal's size crosses ink all round, and the grid's circles outvoted the ring. Runs
    # of 0.6 in are rules or a large seal's thick sides (so the first search stays); whatever either
    # proposes is judged by the ink all round it
    small_ink = ink_mask(small) > 0
    straight = _long_runs(small_ink, int(SEAL_DPI * 0.6))
    ruleless = small.copy()
    ruleless[straight] = 255
    # Last, the circles the gradient method's refinement finds (HOUGH_GRADIENT_ALT: each candidate
    # judged by how perfect a circle its edges make): in a dense grid of doubled rules the plain
    # method ranked the seal fifteenth, its radius a fifth short, behind the grid's circles
    full: np.ndarray | None = None
    proposers = ((small, small_ink, cv2.HOUGH_GRADIENT, 40.0), (ruleless, small_ink & ~straight, cv2.HOUGH_GRADIENT, 40.0),
                 (small, small_ink, cv2.HOUGH_GRADIENT_ALT, 0.6))
    for img, img_ink, method, votes in proposers:
        circles = cv2.HoughCircles(
            img, method, dp=1.5, minDist=r_min, param1=120, param2=votes, minRadius=r_min, maxRadius=r_max
        )
        for cx, cy, r in circles[0][:5] if circles is not None else []:
            if _inked_all_round(img_ink, cx, cy, r, 3) < 0.75:
                continue
            if full is None:
                full = (ink if ink is not None else ink_mask(gray)) > 0
            # found at low resolution, the ring is fitted and judged again at full resolution: an
            # arc of print and rules that only lines up at low resolution (the ghost of a red seal
            # taken out by colour) is not inked all round there
            ring = _refine_ring(full, cx / f, cy / f, r / f)
            if _inked_all_round(full, *ring, 2) >= 0.75:
                return ring
    return None


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The pixels of straight level or upright runs of ink at least `length` long (rules)."""
    m = ink.astype(np.uint8)
    runs = cv2.bitwise_or(cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)),
                          cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)))
    return runs > 0


def _inked_all_round(ink: np.ndarray, cx: float, cy: float, r: float, slack: int) -> float:
    """The share of a circle's circumference with ink within `slack` pixels of it."""
    h, w = ink.shape
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    radii = r + np.arange(-slack, slack + 1)[:, None]
    xs = np.clip(np.round(cx + radii * np.cos(angles)).astype(int), 0, w - 1)
    ys = np.clip(np.round(cy + radii * np.sin(angles)).astype(int), 0, h - 1)
    return float(ink[ys, xs].any(axis=0).mean())


def _refine_ring(ink: np.ndarray, cx: float, cy: float, r: float) -> tuple[int, int, int]:
    """The ring found at low resolution, fitted again at full resolution: a least-squares circle
    through the ink in a band around it, twice, the band narrowed. A centre a few pixels off at full
    scale leaves an arc of the ring outside the faded disc, which reads as strokes in the cells."""
    h, w = ink.shape
    for band in (max(4.0, 0.1 * r), max(3.0, 0.05 * r)):
        x0, x1 = int(max(0, cx - r - band)), int(min(w, cx + r + band + 1))
        y0, y1 = int(max(0, cy - r - band)), int(min(h, cy + r + band + 1))
        ys, xs = np.nonzero(ink[y0:y1, x0:x1])
        xs, ys = xs + x0, ys + y0
        near = np.abs(np.hypot(xs - cx, ys - cy) - r) <= band
        if int(near.sum()) < 50:
            break
        x, y = xs[near].astype(np.float64), ys[near].astype(np.float64)
        # x² + y² = 2a·x + 2b·y + c, linear in (a, b, c); r² = c + a² + b²
        a = np.column_stack([2 * x, 2 * y, np.ones_like(x)])
        (ca, cb, c), *_ = np.linalg.lstsq(a, x * x + y * y, rcond=None)
        if c + ca * ca + cb * cb <= 0:
            break
        cx, cy, r = float(ca), float(cb), float(np.sqrt(c + ca * ca + cb * cb))
    return round(cx), round(cy), round(r)


def around_seal(
    shape: tuple[int, ...], seal: tuple[int, int, int], reach: int
) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """The page's rows and columns within `reach` pixels of the seal's centre (y0, y1, x0, x1),
    and each such pixel's distance from the centre."""
    cx, cy, _ = seal
    h, w = shape[:2]
    x0, x1 = max(0, cx - reach), min(w, cx + reach + 1)
    y0, y1 = max(0, cy - reach), min(h, cy + reach + 1)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    return (y0, y1, x0, x1), np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)


def without_ring(ink: np.ndarray, seal: tuple[int, int, int], dpi: float) -> np.ndarray:
    """The ink mask with a seal's ring taken out: where the ring runs nearly upright or level (its
    four sides) it is a stretch of line the rule finder takes for a rule, and a column split in
    the rows it crosses moves their numbers one cell over. The gap it leaves in a real rule
    crossing it is narrower than the breaks rule healing closes; a rule the ring runs along (its top
    tangent to a row rule) would lose a stretch longer than that, so straight runs longer than the
    seal's radius stay: the ring's own arc, however thick, is straight for less than that."""
    band = max(3, int(dpi * 0.03))
    (y0, y1, x0, x1), dist = around_seal(ink.shape, seal, seal[2] + band)
    ring = np.abs(dist - seal[2]) <= band
    sub = ink[y0:y1, x0:x1]
    straight = _long_runs(sub > 0, max(3, seal[2]))
    out = ink.copy()
    out[y0:y1, x0:x1][ring & ~straight] = 0
    return out


def ring_width(ink: np.ndarray, seal: tuple[int, int, int]) -> tuple[float, float]:
    """How far the seal's ring reaches inside and outside its fitted circle, in pixels: the radii
    near the circle inked over more than half its circumference (print crosses a ring at a few
    places; the ring itself is inked nearly all round)."""
    cx, cy, r = seal
    h, w = ink.shape[:2]
    angles = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    reach = max(3, int(0.12 * r))

    def inked(d: int) -> float:
        xs = np.clip(np.round(cx + (r + d) * np.cos(angles)).astype(int), 0, w - 1)
        ys = np.clip(np.round(cy + (r + d) * np.sin(angles)).astype(int), 0, h - 1)
        return float((ink[ys, xs] > 0).mean())

    inner = next((d for d in range(0, -reach - 1, -1) if inked(d) < 0.5), -reach)
    outer = next((d for d in range(reach + 1) if inked(d) < 0.5), reach)
    return -float(inner), float(outer)


def to_paper(gray: np.ndarray, ink: np.ndarray, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`gray` and `ink` with the pixels of `marks` (a page-sized mask) turned to paper."""
    g2, i2 = gray.copy(), ink.copy()
    g2[marks] = 255
    i2[marks] = 0
    return g2, i2


def seal_marks(seal: tuple[int, int, int], page_ink: np.ndarray, page_gray: np.ndarray,
               text_ink: np.ndarray | None = None) -> np.ndarray:
    """Where the seal's ring and star lie on the page: the ring as wide as the page's ink mask as
    scanned (`page_ink`, before any fading) shows it, and its blurred edge, but for what is darker
    in `page_gray` than the ring's own ink (`_print_over_ring`: print crossing a pale ring). A digit beside the ring had been read with the ring's arc as one piece
    (6 as 66, 9 as 19); a digit a ring as dark as the print runs through loses a strip and reads
    doubted, as all under a seal does. Where `text_ink` (the print, rules taken out) is given, the
    ring is kept where print lies on both sides of it along the same radius (`_crossed`): a stroke
    running through a ring as dark as itself, which erasing cut in two (11 read as 1, a 0 as `(`)."""
    inner, outer = ring_width(page_ink, seal)
    rim = 2 + 0.2 * (inner + outer)  # the blurred edge, paler than the ink mask's threshold
    (y0, y1, x0, x1), dist = around_seal(page_ink.shape, seal, int(seal[2] + outer + rim + 1))
    ring = (dist >= seal[2] - inner - rim) & (dist <= seal[2] + outer + rim)
    band = page_gray[y0:y1, x0:x1]
    inked = ring & (page_ink[y0:y1, x0:x1] > 0)
    printed = print_grey(page_gray, page_ink, seal)
    if inked.any():
        own = band[inked]
        ring &= band >= _print_over_ring(own, printed)
    if text_ink is not None:
        ring &= ~_crossed(text_ink, seal, (y0, y1, x0, x1), seal[2] - inner - rim, seal[2] + outer + rim)
    marks = np.zeros(page_ink.shape[:2], bool)
    marks[y0:y1, x0:x1] = ring
    star = _star(page_gray, page_ink, seal)
    if star is not None:
        sy0, sx0, mask = star
        h, w = mask.shape
        # print touching the star (a 0 beside its arm) is darker than the star, where the print is
        # clearly darker than even the star's darkest tenth: a star as dark as the print has specks
        # as dark as it, which kept read as marks
        under = page_gray[sy0 : sy0 + h, sx0 : sx0 + w]
        if printed is not None and printed < float(np.percentile(under[mask], 10)) - 20:
            mask &= under >= _print_over_ring(under[mask], printed)
        marks[sy0 : sy0 + h, sx0 : sx0 + w] |= mask
    return marks


def _crossed(text_ink: np.ndarray, seal: tuple[int, int, int], window: tuple[int, int, int, int],
             r_in: float, r_out: float) -> np.ndarray:
    """Over `window` (y0, y1, x0, x1) of the page: the pixels with print (`text_ink`) just inside
    radius `r_in` and just outside `r_out` on the same radius from the seal's centre, two pixels
    beyond each (within two pixels either way: a stroke crossing the ring aslant meets the radius
    a little off its own line): where a stroke runs through the ring rather than up to it."""
    y0, y1, x0, x1 = window
    h, w = text_ink.shape[:2]
    # only the window (and a margin as wide as the probes and the dilation reach past it) is needed
    m = 4
    oy, ox = max(0, y0 - m), max(0, x0 - m)
    near = cv2.dilate((text_ink[oy : min(h, y1 + m), ox : min(w, x1 + m)] > 0).astype(np.uint8), np.ones((5, 5), np.uint8))
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    dx, dy = xx - seal[0], yy - seal[1]
    d = np.maximum(np.hypot(dx, dy), 1e-6)
    ux, uy = dx / d, dy / d

    def inked(radius: float) -> np.ndarray:
        px = np.clip(np.round(seal[0] + radius * ux).astype(int), 0, w - 1) - ox
        py = np.clip(np.round(seal[1] + radius * uy).astype(int), 0, h - 1) - oy
        return np.asarray(near[np.clip(py, 0, near.shape[0] - 1), np.clip(px, 0, near.shape[1] - 1)] > 0)

    return inked(r_in - 2) & inked(r_out + 2)


def _print_over_ring(own: np.ndarray, printed: float | None) -> float:
    """The grey below which ink on the ring is print crossing it, not the ring: darker than the
    ring's darkest tenth and half its middle grey, or, where print is much darker than the ring,
    than halfway from the ring's ink to the print's (`printed`: `print_grey`) and two spreads of
    the ring's own grey below its middle. The ring's darkest tenth alone was the print's where a
    ring ran along a column of zeros and its rules (a quarter of its inked pixels were print): a 0
    it crossed kept its sides alone and read as 11."""
    middle = float(np.median(own))
    spread = max(4.0, float(np.percentile(own, 75)) - middle)
    floor = min(0.5 * middle, float(np.percentile(own, 10)))
    if printed is None:
        return floor
    return max(floor, min(middle - 2 * spread, (middle + printed) / 2))


def print_grey(page_gray: np.ndarray, page_ink: np.ndarray, seal: tuple[int, int, int], share: float = 25) -> float | None:
    """The grey of the print around a seal (its darker `share` per cent, in a ring as wide as the
    seal around it), or None where too little is printed there to tell."""
    (y0, y1, x0, x1), dist = around_seal(page_gray.shape, seal, int(seal[2] * 2))
    outside = (dist > seal[2] * 1.2) & (page_ink[y0:y1, x0:x1] > 0)
    if int(outside.sum()) < 50:
        return None
    return float(np.percentile(page_gray[y0:y1, x0:x1][outside], share))


def star_polygon(cx: float, cy: float, outer: float, inner: float, turn: float) -> np.ndarray:
    """The ten corners of a five-pointed star centred at (cx, cy), a point up when `turn` is 0
    (radians, clockwise on the page)."""
    k = np.arange(10)
    a = -np.pi / 2 + turn + k * np.pi / 5
    radius = np.where(k % 2 == 0, outer, inner)
    return np.stack([cx + radius * np.cos(a), cy + radius * np.sin(a)], axis=1)


# the star's size against the seal's radius, and its points' depth (inner against outer radius:
# a regular star's 0.38, a little more where a seal's star is drawn stout)
_STAR_SIZES = np.linspace(0.14, 0.32, 10)
_STAR_DEPTHS = (0.36, 0.42)
_STAR_FIT = 0.55  # the share of star and dark shape together that both cover, for a star to be there


def _star(gray: np.ndarray, ink: np.ndarray, seal: tuple[int, int, int]) -> tuple[int, int, np.ndarray] | None:
    """The star in a seal's middle (read as X, A, 4 or 大 beside the digits it touches), found as
    the five-pointed star over the seal's centre that best covers the dark shape there: size,
    depth, turn and a shift of a few pixels are fitted. The dark shape is the ink mask and what
    is darker than halfway from the paper to the grey at the centre (the ink mask alone holds a
    pale star's wide middle as a hole and its arms as pieces), less the rules crossing it. Its
    pieces alone had made the star: a rule crossing it made it one piece with the table's grid,
    too large for a star, and a pale star's piece over the centre left an arm behind. Returns the
    window's top and left and the star's mask there (grown for the blurred edge), or None where
    no star covers the shape well enough."""
    cx, cy, r = seal
    reach = int(0.36 * r)
    y0, x0 = max(0, cy - reach), max(0, cx - reach)
    win = gray[y0 : cy + reach + 1, x0 : cx + reach + 1]
    near = int(max(2, 0.05 * r))
    middle = float(np.median(gray[max(0, cy - near) : cy + near + 1, max(0, cx - near) : cx + near + 1]))
    paper = float(np.percentile(win, 90))
    dark = ink[y0 : cy + reach + 1, x0 : cx + reach + 1] > 0
    if paper - middle >= 25:  # the centre is inked, not paper
        dark |= win <= (middle + paper) / 2
    rules = _long_runs(dark, max(3, int(0.5 * r)))  # longer than a star's arm to arm
    dark &= ~rules
    if int(dark.sum()) < 0.02 * r * r:
        return None
    ccx, ccy = cx - x0, cy - y0
    h, w = dark.shape
    yy, xx = np.mgrid[0:h, 0:w]
    dist = np.hypot(xx - ccx, yy - ccy)

    def star(px: float, py: float, size: float, depth: float, turn: float) -> np.ndarray:
        poly = np.zeros((h, w), np.uint8)
        cv2.fillPoly(poly, [np.round(star_polygon(px, py, size * r, depth * size * r, turn)).astype(np.int32)], 1)
        return poly

    def fit(px: float, py: float, size: float, depth: float, turn: float) -> float:
        """How well a star covers the dark shape: what both cover against what either covers, of
        the dark shape only what lies within the star's reach (digits beside it are not its)."""
        shape = (star(px, py, size, depth, turn) > 0) & ~rules
        both = int((shape & dark).sum())
        reached = int((dark & (dist <= (size + 0.08) * r)).sum())
        return both / max(1, int(shape.sum()) + reached - both)

    turns = np.radians(np.arange(0, 72, 4))
    best = max(((fit(ccx, ccy, z, d, t), z, d, t) for z in _STAR_SIZES for d in _STAR_DEPTHS for t in turns),
               key=lambda b: b[0])
    _, z, d, t = best
    score, px, py = max(((fit(ccx + dx, ccy + dy, z, d, t), ccx + dx, ccy + dy)
                         for dx in range(-3, 4) for dy in range(-3, 4)), key=lambda b: b[0])
    if score < _STAR_FIT:
        return None
    grow = max(3, int(0.03 * r)) | 1
    return y0, x0, cv2.dilate(star(px, py, z, d, t), np.ones((grow, grow), np.uint8)) > 0


def fade_seal(gray: np.ndarray, ink: np.ndarray, seal: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Inside a grey seal's disc, turn to paper what is no darker than the seal's own ink: black
    print under a translucent seal is darker than the seal, so it stays (thinned to its core)."""
    r = seal[2]
    # the print is sampled in a ring as wide as the seal around it: the corners of the seal's own
    # square held a few strokes of a bold heading at most, and the print read as black
    (y0, y1, x0, x1), dist = around_seal(gray.shape, seal, int(r * 2))
    sub = gray[y0:y1, x0:x1]
    ring = (np.abs(dist - r) <= 2) & (ink[y0:y1, x0:x1] > 0)
    if int(ring.sum()) < 20:
        return gray, ink
    seal_ink = float(np.median(sub[ring]))
    outside = (dist > r * 1.2) & (dist <= r * 2) & (ink[y0:y1, x0:x1] > 0)
    if int(outside.sum()) >= 50 and seal_ink < float(np.median(sub[outside])):
        # a seal inked darker than the print (a red seal in a grey scan can be): keeping only what is
        # darker than the seal would take the print away, and nothing else tells them apart here
        return gray, ink
    # keep what is darker than halfway from the seal's ink to the print's (its darker quarter: the
    # ink mask's rim is anti-aliased grey). A light scan's print is little darker than the seal,
    # and a fixed share of the seal's ink took the digits under it with the seal.
    threshold = 0.6 * seal_ink
    if int(outside.sum()) >= 50:
        threshold = max(threshold, (float(np.percentile(sub[outside], 25)) + seal_ink) / 2)
    # the print's core, grown back by two pixels into its own blurred rim: cut to the core alone a thin
    # 0 came out as two strokes and read as 11
    core = ((sub <= threshold) & (ink[y0:y1, x0:x1] > 0)).astype(np.uint8)
    rim = cv2.dilate(core, np.ones((5, 5), np.uint8)) > 0
    fade = (dist <= r * 1.08) & (sub > threshold) & ~rim
    g2, i2 = gray.copy(), ink.copy()
    g2[y0:y1, x0:x1][fade] = 255
    i2[y0:y1, x0:x1][fade] = 0
    return g2, i2
