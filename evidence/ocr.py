"""OCR of one page image with RapidOCR on onnxruntime, upright and deskewed, as text segments.

The engine is loaded on first use, once per process (web processes import ``evidence`` for its
model classes and must never load onnxruntime). Its models ship inside the rapidocr wheel
(PP-OCRv6 det/rec small and the 0/180 line classifier), so nothing is downloaded at run time.
Page rotation (90/180/270) and small skews are hand-handled here: RapidOCR turns single lines, not
pages, and the reading rules need rows that run left to right, top to bottom.
"""

from __future__ import annotations

import math
import os
import threading
from typing import TYPE_CHECKING, Any

from evidence.layout import Segment
from evidence.model import Box

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_SIDE = 2000  # pixels: big photos are decoded at about this size (JPEG draft mode)
# Text detection's cost grows faster than the pixel count: at about 1.4 megapixels a letter page's
# 8-point print is still ~15 px high (legible) and a page reads in about a second on one core.
MAX_PIXELS = 1_400_000
_lock = threading.Lock()
_engine: Any = None


def engine() -> Any:
    """The process's one RapidOCR engine (loaded lazily; thread count from EVIDENCE_OCR_THREADS or OMP)."""
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr import RapidOCR

            threads = int(os.environ.get("EVIDENCE_OCR_THREADS") or os.environ.get("OMP_NUM_THREADS") or -1)
            _engine = RapidOCR(
                params={
                    "Global.log_level": "critical",
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    # a little more willing to keep faint or small text boxes than the default 0.5
                    "Det.box_thresh": 0.35,
                }
            )
        return _engine


def resized(image: Image) -> Image:
    """RGB (a transparent background made white), at most MAX_PIXELS and about MAX_SIDE."""
    from PIL import Image as PILImage

    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")  # a transparent background is paper, not black
        image = PILImage.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    image = image.convert("RGB")
    scale = min(1.0, math.sqrt(MAX_PIXELS / (image.width * image.height)), MAX_SIDE * 1.1 / max(image.size))
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, PILImage.Resampling.LANCZOS)
    return image


def flatten(image: Image) -> Image:
    """Uneven light flattened and the print darkened: what text detection finds best."""
    from PIL import Image as PILImage
    from PIL import ImageChops, ImageFilter, ImageOps

    gray = image.convert("L")
    small = gray.resize((max(1, gray.width // 16), max(1, gray.height // 16)), PILImage.Resampling.BILINEAR)
    background = small.filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(2)).resize(gray.size)
    # paper / background * 255: a shadow's grey becomes white, print stays dark
    flat = ImageChops.invert(ImageChops.subtract(background, gray))
    flat = ImageOps.autocontrast(flat, cutoff=1)
    # darken the mid-greys: faint print gets found by text detection, white paper stays white
    flat = flat.point([round(255 * (v / 255) ** 2) for v in range(256)])
    return flat.convert("RGB")


def _run(image: Image) -> tuple[list[Any], list[str], list[float]]:
    import numpy as np

    # every switch given: a call's switches stay set on the engine for the next call
    result = engine()(np.asarray(image), use_det=True, use_cls=True, use_rec=True)
    if result is None or getattr(result, "txts", None) is None or getattr(result, "boxes", None) is None:
        return [], [], []
    return [np.asarray(b, dtype=float) for b in result.boxes], list(result.txts), [float(s) for s in result.scores]


def _mostly_vertical(boxes: list[Any], texts: list[str]) -> bool:
    tall = wide = 0
    for box, text in zip(boxes, texts, strict=True):
        if len(text) < 3:
            continue
        w = math.dist(box[0], box[1])
        h = math.dist(box[1], box[2])
        if h > 1.5 * w:
            tall += len(text)
        elif w > 1.5 * h:
            wide += len(text)
    return tall > wide


def _upside_down(image: Image, boxes: list[Any], texts: list[str]) -> bool:
    """Whether the page is upside down: its longest lines are recognised as they are and turned
    half a turn, and the page is turned when the turned lines read with clearly more certainty.
    (The 0/180 line classifier alone misjudged small, tilted print: a receipt forwarded through a
    chat app at 442 x 674 pixels was read bottom to top.) Recognition is the classifier's judge
    here because a line upside down reads as nonsense with low certainty, whatever its size."""
    import numpy as np

    longest = sorted(range(len(boxes)), key=lambda i: -len(texts[i]))[:8]
    arr = np.asarray(image)
    upright = turned = 0.0
    for i in longest:
        b = boxes[i]
        x0, y0 = max(0, int(b[:, 0].min())), max(0, int(b[:, 1].min()))
        x1, y1 = int(b[:, 0].max()), int(b[:, 1].max())
        if x1 - x0 < 8 or y1 - y0 < 4:
            continue
        crop = arr[y0:y1, x0:x1]
        upright += _certainty(crop)
        turned += _certainty(crop[::-1, ::-1])
    return turned > upright * 1.15 and turned - upright > 0.5


def _certainty(line: Any) -> float:
    """How surely one line's crop reads as text (recognition only, as it is)."""
    import numpy as np

    out = engine()(np.ascontiguousarray(line), use_det=False, use_cls=False, use_rec=True)
    scores, got = list(getattr(out, "scores", None) or []), list(getattr(out, "txts", None) or [])
    return float(scores[0]) if scores and got and got[0].strip() else 0.0


def _skew(boxes: list[Any]) -> float:
    angles = []
    for b in boxes:
        dx, dy = b[1][0] - b[0][0], b[1][1] - b[0][1]
        w, h = math.hypot(dx, dy), math.dist(b[1], b[2])
        if w > 3 * h:
            angles.append(math.atan2(dy, dx))
    if not angles:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


# A line read with less certainty than this is read again from the page as it came (flattening and
# darkening help detection and most lines, but now and then merge speckles or thin print into a line).
SECOND_LOOK = 0.8


def _second_look(plain: Image, boxes: list[Any], texts: list[str], scores: list[float]) -> None:
    import numpy as np

    arr = np.asarray(plain)
    for i, (box, score) in enumerate(zip(boxes, scores, strict=True)):
        if score >= SECOND_LOOK:
            continue
        x0, y0 = max(0, int(box[:, 0].min()) - 3), max(0, int(box[:, 1].min()) - 3)
        x1, y1 = min(arr.shape[1], int(box[:, 0].max()) + 3), min(arr.shape[0], int(box[:, 1].max()) + 3)
        if x1 - x0 < 8 or y1 - y0 < 4:
            continue
        again = engine()(arr[y0:y1, x0:x1], use_det=False, use_cls=True, use_rec=True)
        got, certainty = list(getattr(again, "txts", None) or []), list(getattr(again, "scores", None) or [])
        if got and certainty and float(certainty[0]) > score and got[0].strip():
            texts[i], scores[i] = got[0], float(certainty[0])


def read_image(image: Image, page: int) -> list[Segment]:
    """OCR one page: turned upright and deskewed, each line a segment with its box in page fractions."""
    plain = resized(image)
    image = flatten(plain)
    boxes, texts, scores = _run(image)
    if boxes and _mostly_vertical(boxes, texts):
        image, plain = image.rotate(90, expand=True), plain.rotate(90, expand=True)
        boxes, texts, scores = _run(image)
    if not boxes:
        return []
    _second_look(plain, boxes, texts, scores)
    width, height = image.size
    flip = _upside_down(image, boxes, texts)
    angle = _skew(boxes)
    cx, cy = width / 2, height / 2
    cos, sin = math.cos(-angle), math.sin(-angle)
    segments = []
    for box, text, score in zip(boxes, texts, scores, strict=True):
        xs, ys = [], []
        for x, y in box:
            if flip:
                x, y = width - x, height - y
            # undo the page's small skew around its centre so that rows are level
            rx = cx + (x - cx) * cos - (y - cy) * sin
            ry = cy + (x - cx) * sin + (y - cy) * cos
            xs.append(rx)
            ys.append(ry)
        segments.append(
            Segment(
                text=text.strip(),
                box=Box(
                    page=page,
                    left=round(max(0.0, min(xs) / width), 4),
                    top=round(max(0.0, min(ys) / height), 4),
                    right=round(min(1.0, max(xs) / width), 4),
                    bottom=round(min(1.0, max(ys) / height), 4),
                ),
                confidence=round(score, 3),
            )
        )
    return segments
