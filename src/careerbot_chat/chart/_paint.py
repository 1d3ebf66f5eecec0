"""Paint a ``Drawing`` as SVG text (no library) or as PNG bytes (Pillow).

Both outputs come from one layout, so the web page and the chats show the same
picture. Text is measured with the font the PNG is painted in (DejaVu Sans, which
has the rupee sign; Debian's ``fonts-dejavu-core``); the SVG names the same family
first. Without DejaVu, Pillow's own font paints the PNG and ``₹`` is written ``Rs``
(that font has no rupee sign).
"""

from __future__ import annotations

import functools
import html
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ._layout import Drawing, Line, Polygon, Rect, Text

__all__ = [
    "FAMILY",
    "FONT_DIRS",
    "SCALE",
    "Font",
    "font",
    "has_rupee_font",
    "measure",
    "png",
    "svg",
]

SCALE = 960 / 360
"""PNG pixels per layout unit: 960 px wide."""
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def _font_file(bold: bool) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return next((d / name for d in FONT_DIRS if (d / name).is_file()), None)


def has_rupee_font() -> bool:
    """Whether the PNG can write ``₹`` (DejaVu Sans is installed)."""
    return _font_file(False) is not None


@functools.cache
def font(size: float, bold: bool) -> Font:
    """The font at ``size`` pixels."""
    path = _font_file(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def _printable(text: str) -> str:
    return text if has_rupee_font() else text.replace("₹", "Rs ")


def measure(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in layout units, as the PNG paints it."""
    return font(size * SCALE, bold).getlength(_printable(text)) / SCALE


def png(drawing: Drawing) -> bytes:
    """The drawing as an optimised PNG, ``SCALE`` pixels per unit."""
    size = (round(drawing.width * SCALE), round(drawing.height * SCALE))
    image = Image.new("RGB", size, "#ffffff")
    canvas = ImageDraw.Draw(image)
    for shape in drawing.shapes:
        _paint(canvas, shape)
    out = io.BytesIO()
    # A chart has a few flat colours: a 64-colour palette keeps the antialiased text
    # smooth at a third of the RGB size, and the fast octree quantiser is several times
    # quicker than median cut with ``optimize`` (figures in docs/benchmarks.md).
    image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    return out.getvalue()


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def _paint(canvas: ImageDraw.ImageDraw, shape: Rect | Text | Line | Polygon) -> None:
    s = SCALE
    if isinstance(shape, Rect):
        box = (shape.x * s, shape.y * s, (shape.x + shape.w) * s, (shape.y + shape.h) * s)
        canvas.rounded_rectangle(box, shape.radius * s, fill=shape.fill, outline=shape.stroke)
    elif isinstance(shape, Text):
        canvas.text(
            (shape.x * s, shape.y * s),
            _printable(shape.text),
            fill=shape.fill,
            font=font(shape.size * s, shape.bold),
            anchor=_ANCHORS[shape.anchor],
        )
    elif isinstance(shape, Line):
        canvas.line(
            (shape.x1 * s, shape.y1 * s, shape.x2 * s, shape.y2 * s),
            fill=shape.stroke,
            width=max(1, round(shape.width * s)),
        )
    else:
        canvas.polygon([(x * s, y * s) for x, y in shape.points], fill=shape.fill)


def svg(drawing: Drawing, alt: str) -> str:
    """The drawing as a standalone, scalable SVG whose accessible name is ``alt``."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width:g} '
        f'{drawing.height:g}" width="{drawing.width:g}" height="{drawing.height:g}" '
        f'role="img" aria-label="{html.escape(alt)}" font-family="{FAMILY}">'
        f"<title>{html.escape(alt)}</title>"
    )
    return head + "".join(map(_element, drawing.shapes)) + "</svg>"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _element(shape: Rect | Text | Line | Polygon) -> str:
    if isinstance(shape, Rect):
        radius = f' rx="{_n(shape.radius)}"' if shape.radius else ""
        level = f' class="bar" data-level="{html.escape(shape.level)}"' if shape.level else ""
        return (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" '
            f'height="{_n(shape.h)}" fill="{shape.fill}"{radius}{level}/>'
        )
    if isinstance(shape, Text):
        weight = ' font-weight="bold"' if shape.bold else ""
        anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
        return (
            f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" '
            f'fill="{shape.fill}"{weight}{anchor}>{html.escape(shape.text)}</text>'
        )
    if isinstance(shape, Line):
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
            f'y2="{_n(shape.y2)}" stroke="{shape.stroke}" stroke-width="{_n(shape.width)}"/>'
        )
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
    return f'<polygon points="{points}" fill="{shape.fill}"/>'
