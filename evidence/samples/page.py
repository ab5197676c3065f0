"""A sample page as lines of cells, drawn as a PDF (reportlab) or an image (Pillow), and made
to look like a phone photo or a scan."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "Helvetica", "Helvetica-Bold"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "Times-Roman", "Times-Bold"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "Courier", "Courier-Bold"),
    "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", "Helvetica", "Helvetica-Bold"),
}


@dataclass
class Cell:
    x: float  # fraction of the page width
    text: str
    align: str = "left"  # "left", "right", "center"


@dataclass
class Line:
    cells: list[Cell]
    size: float = 10.0
    bold: bool = False
    gap: float = 0.0  # extra space above, in points


@dataclass
class Page:
    width: float  # points
    height: float
    lines: list[Line] = field(default_factory=list)
    font: str = "sans"
    margin_top: float = 40.0

    def add(
        self,
        *cells: Cell | tuple[Any, ...],
        size: float = 10.0,
        bold: bool = False,
        gap: float = 0.0,
    ) -> None:
        made = [c if isinstance(c, Cell) else Cell(*c) for c in cells]
        self.lines.append(Line(made, size, bold, gap))


def _rl_fonts(name: str) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold, fallback, fallback_bold = _FONT_FILES[name]
    if not (_DEJAVU / regular).exists():
        return fallback, fallback_bold
    for file in (regular, bold):
        face = file.removesuffix(".ttf")
        if face not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(face, str(_DEJAVU / file)))
    return regular.removesuffix(".ttf"), bold.removesuffix(".ttf")


def render_pdf(page: Page) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page.width, page.height), invariant=True)
    regular, bold = _rl_fonts(page.font)
    y = page.height - page.margin_top
    for line in page.lines:
        y -= line.size * 1.2 + line.gap
        pdf.setFont(bold if line.bold else regular, line.size)
        for cell in line.cells:
            x = cell.x * page.width
            if cell.align == "right":
                pdf.drawRightString(x, y, cell.text)
            elif cell.align == "center":
                pdf.drawCentredString(x, y, cell.text)
            else:
                pdf.drawString(x, y, cell.text)
        y -= line.size * 0.3
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def render_image(page: Page, dpi: int = 150) -> Any:
    """The page as a clean Pillow image (white paper, black print)."""
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    image = Image.new("L", (int(page.width * scale), int(page.height * scale)), 255)
    draw = ImageDraw.Draw(image)
    regular, bold, _, _ = _FONT_FILES[page.font]
    y = page.margin_top
    for line in page.lines:
        y += line.size * 1.2 + line.gap
        size = int(line.size * scale)
        path = _DEJAVU / (bold if line.bold else regular)
        font: Any = ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)
        for cell in line.cells:
            x = cell.x * page.width * scale
            width = draw.textlength(cell.text, font=font)
            if cell.align == "right":
                x -= width
            elif cell.align == "center":
                x -= width / 2
            draw.text((x, y * scale), cell.text, font=font, fill=0, anchor="ls")
        y += line.size * 0.3
    return image


def photo_look(image: Any, rng: random.Random) -> Any:
    import numpy as np
    from PIL import Image, ImageFilter

    # the paper on a darker table, a little tilted, seen slightly from the side, lit from one side
    pad = int(max(image.size) * 0.08)
    table = Image.new("L", (image.width + 2 * pad, image.height + 2 * pad), rng.randrange(60, 140))
    table.paste(image, (pad, pad))
    image = table.rotate(
        rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=rng.randrange(60, 140)
    )
    w, h = image.size
    d = 0.04
    quad = [
        rng.uniform(0, d) * w,
        rng.uniform(0, d) * h,
        rng.uniform(0, d) * w,
        h - rng.uniform(0, d) * h,
        w - rng.uniform(0, d) * w,
        h - rng.uniform(0, d) * h,
        w - rng.uniform(0, d) * w,
        rng.uniform(0, d) * h,
    ]
    image = image.transform((w, h), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC)
    arr = np.asarray(image, dtype=np.float32)
    gx = np.linspace(rng.uniform(0.65, 0.9), rng.uniform(0.95, 1.1), w, dtype=np.float32)
    gy = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(0.9, 1.1), h, dtype=np.float32)
    arr = arr * gy[:, None] * gx[None, :]
    arr += np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(3, 9), arr.shape).astype(np.float32)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.4, 1.1))
    )
    tint = (rng.randrange(235, 256), rng.randrange(225, 250), rng.randrange(205, 240))
    return Image.merge("RGB", [image.point(lambda v, t=t: v * t // 255) for t in tint])


def scan_look(image: Any, rng: random.Random) -> Any:
    import numpy as np
    from PIL import Image

    image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=255)
    arr = np.asarray(image, dtype=np.float32)
    faint = rng.uniform(0.35, 0.6)  # print at 40-65% of black
    arr = 255 - (255 - arr) * (1 - faint)
    noise = np.random.default_rng(rng.randrange(2**32))
    arr += noise.normal(0, rng.uniform(4, 10), arr.shape).astype(np.float32)
    specks = noise.random(arr.shape) < 0.002
    arr[specks] = 40
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
