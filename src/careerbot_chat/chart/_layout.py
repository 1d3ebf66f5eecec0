"""Lay a ``ChartSpec`` out as shapes once; ``_paint``'s ``svg`` and ``png`` each paint them.

Horizontal bars, one row per level, reading down from junior to senior: on a phone a
row has the whole width for its label and band, where vertical bars would squeeze
the labels under them. Coordinates are in a 360-unit-wide frame: the SVG scales it,
the PNG paints it at 960 px. Shown 300 px wide, as a phone's chat shows a photo, the
smallest text is still over 10 px.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import messages as msg
from ..catalog._money import CRORE, LAKH, format_amount
from ._spec import Bar, ChartSpec

__all__ = [
    "BAND",
    "BAR",
    "BAR_HEIGHT",
    "BAR_TEXT",
    "CHIP_FILL",
    "CHIP_TEXT",
    "FADE",
    "FADE_STEPS",
    "GRID",
    "HEADLINE_EDGE",
    "HEADLINE_FILL",
    "HEADLINE_TEXT",
    "INK",
    "LABEL",
    "MUTED",
    "PAD",
    "PAPER",
    "ROW",
    "SMALL",
    "TITLE",
    "WIDTH",
    "Drawing",
    "Line",
    "Measure",
    "Polygon",
    "Rect",
    "Shape",
    "Text",
    "layout",
    "wrap",
]

WIDTH = 360
TITLE = 19.0
LABEL = 15.0
BAND = 13.5
SMALL = 12.5
"""Font sizes in frame units; shown 300 px wide (a photo in a phone's chat), SMALL is
over 10 px."""
PAD = 20
ROW = 56
BAR_HEIGHT = 20
FADE = 44
FADE_STEPS = 8
"""An open-ended bar fades out over its last ``FADE`` units, in ``FADE_STEPS`` steps."""

INK = "#1f2328"
MUTED = "#59636e"
GRID = "#e3e6ea"
BAR = "#2f6fde"
BAR_TEXT = "#ffffff"
PAPER = "#ffffff"
HEADLINE_FILL = "#fff1cc"
HEADLINE_EDGE = "#c98a00"
HEADLINE_TEXT = "#7a5200"
CHIP_FILL = "#ede7fb"
CHIP_TEXT = "#53309e"

_STEPS = (
    *(n * unit for unit in (LAKH, CRORE) for n in (1, 2, 5, 10, 20, 25, 50)),
    100 * CRORE,
)
"""Tick steps to choose from: 1 lakh up to 100 crore."""

Measure = Callable[[str, float, bool], float]
"""Width of ``text`` at a font size, bold or not, in frame units."""


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    radius: float = 0.0
    stroke: str | None = None
    level: str = ""
    """Set on a level's bar: the SVG marks it ``class="bar" data-level=...``."""


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    """The baseline."""
    text: str
    size: float
    fill: str = INK
    bold: bool = False
    anchor: str = "start"
    """``start``, ``middle`` or ``end``, as in SVG."""


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str


Shape = Rect | Text | Line | Polygon


@dataclass(frozen=True, slots=True)
class Drawing:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def wrap(text: str, size: float, bold: bool, width: float, measure: Measure) -> list[str]:
    """Words packed into lines no wider than ``width``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _scale_top(spec: ChartSpec) -> tuple[int, int]:
    """The axis end and the tick step: at most five ticks, room for open bands."""
    ends = [bar.high if bar.high is not None else bar.low * 1.4 for bar in spec.bars]
    if spec.headline is not None:
        ends.append(spec.headline[1] or spec.headline[0])
    top = max(ends) * 1.04
    step = next((s for s in _STEPS if top / s <= 5), _STEPS[-1])
    return int(-(-top // step) * step), step


def _blend(color: str, amount: float) -> str:
    """``color`` mixed with white: 0 keeps it, 1 is white."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


class _Layout:
    def __init__(self, spec: ChartSpec, measure: Measure) -> None:
        self.spec = spec
        self.measure = measure
        self.left, self.right = PAD, WIDTH - PAD
        self.top_value, self.step = _scale_top(spec)
        self.shapes: list[Shape] = [Rect(0, 0, WIDTH, 0, PAPER)]

    def x(self, rupees: float) -> float:
        return self.left + (self.right - self.left) * min(rupees, self.top_value) / self.top_value

    def text_lines(
        self, y: float, text: str, size: float, *, bold: bool = False, fill: str = INK
    ) -> float:
        for line in wrap(text, size, bold, self.right - self.left, self.measure):
            y += size * 1.3
            self.shapes.append(Text(self.left, y, line, size, fill, bold))
        return y

    def build(self) -> Drawing:
        y = self.text_lines(PAD - 6, self.spec.title, TITLE, bold=True)
        y = self.text_lines(y + 2, self.spec.subtitle, SMALL, fill=MUTED)
        rows_top = y + (34 if self.spec.headline else 14)
        rows_bottom = rows_top + ROW * len(self.spec.bars)
        self._grid(rows_top - 8, rows_bottom)
        if self.spec.headline is not None:
            self._headline(rows_top - 26, rows_bottom)
        for index, bar in enumerate(self.spec.bars):
            self._bar(rows_top + index * ROW, bar)
        y = self._ticks(rows_bottom)
        footer = f"{msg.CHART_UNITS} · {self.spec.footer}"
        y = self.text_lines(y + 10, footer, SMALL, fill=MUTED)
        height = y + PAD
        self.shapes[0] = Rect(0, 0, WIDTH, height, PAPER)
        return Drawing(WIDTH, height, tuple(self.shapes))

    def _grid(self, top: float, bottom: float) -> None:
        for value in range(0, self.top_value + 1, self.step):
            x = self.x(value)
            self.shapes.append(Line(x, top, x, bottom, GRID))

    def _ticks(self, bottom: float) -> float:
        baseline = bottom + 16
        for value in range(0, self.top_value + 1, self.step):
            label = "₹0" if value == 0 else format_amount(value)
            anchor = "start" if value == 0 else "end" if value == self.top_value else "middle"
            self.shapes.append(Text(self.x(value), baseline, label, SMALL, MUTED, anchor=anchor))
        return baseline

    def _headline(self, top: float, bottom: float) -> None:
        assert self.spec.headline is not None
        low, high, band = self.spec.headline
        x1, x2 = self.x(low), self.x(high if high is not None else self.top_value)
        self.shapes.append(Rect(x1, top, x2 - x1, bottom - top, HEADLINE_FILL))
        edge_top = top + 20  # below its label, so the label reads clear
        self.shapes.append(Line(x1, edge_top, x1, bottom, HEADLINE_EDGE, 1.5))
        if high is not None:
            self.shapes.append(Line(x2, edge_top, x2, bottom, HEADLINE_EDGE, 1.5))
        label = f"Headline band {band}"
        size = SMALL
        anchor = "start" if x1 + 6 + self.measure(label, size, True) <= self.right else "end"
        at = x1 + 6 if anchor == "start" else self.right
        self.shapes.append(Text(at, top + 15, label, size, HEADLINE_TEXT, True, anchor))

    def _bar(self, top: float, bar: Bar) -> None:
        self._bar_label(top + 16, bar)
        bar_y = top + 25
        start = self.x(bar.low)
        if bar.high is None:
            self._open_bar(start, bar_y, bar.label)
            label = f"{format_amount(bar.low)} and above"
        else:
            end = max(self.x(bar.high), start + 4)
            self.shapes.append(Rect(start, bar_y, end - start, BAR_HEIGHT, BAR, 4, level=bar.label))
            label = bar.band
        self._band_label(start, bar_y, bar, label)

    def _bar_label(self, baseline: float, bar: Bar) -> None:
        """The level's name, then its qualifier chip and years while they fit the row."""
        label = self.clip(bar.label, LABEL, True, self.right - self.left)
        self.shapes.append(Text(self.left, baseline, label, LABEL, INK, True))
        x = self.left + self.measure(label, LABEL, True) + 8
        if bar.qualifier:
            qualifier = self.clip(bar.qualifier, SMALL, True, self.right - x - 12)
            width = self.measure(qualifier, SMALL, True) + 12
            if qualifier and x + width <= self.right:
                self.shapes.append(Rect(x, baseline - 13.5, width, 18, CHIP_FILL, 9))
                self.shapes.append(Text(x + 6, baseline - 0.5, qualifier, SMALL, CHIP_TEXT, True))
                x += width + 8
        if bar.years and x + self.measure(bar.years, SMALL, False) <= self.right:
            self.shapes.append(Text(x, baseline, bar.years, SMALL, MUTED))

    def clip(self, text: str, size: float, bold: bool, width: float) -> str:
        """``text``, cut at a word with an ellipsis if wider than ``width`` (the alt text
        keeps it whole)."""
        if self.measure(text, size, bold) <= width:
            return text
        words = text.split()
        while words and self.measure(" ".join(words) + "…", size, bold) > width:
            words.pop()
        return " ".join(words) + "…" if words else ""

    def _open_bar(self, start: float, y: float, level: str) -> None:
        """Solid to near the edge, then fading out with an arrow: it has no end."""
        solid_end = max(start + 8, self.right - FADE)
        self.shapes.append(Rect(start, y, solid_end - start, BAR_HEIGHT, BAR, 4, level=level))
        for step, x in enumerate(_steps(solid_end, self.right - 10, FADE_STEPS)):
            shade = _blend(BAR, (step + 1) / (FADE_STEPS + 2))
            width = (self.right - 10 - solid_end) / FADE_STEPS + 0.5
            self.shapes.append(Rect(x, y, width, BAR_HEIGHT, shade))
        mid = y + BAR_HEIGHT / 2
        tip = ((self.right - 10, y - 3), (self.right, mid), (self.right - 10, y + BAR_HEIGHT + 3))
        self.shapes.append(Polygon(tip, _blend(BAR, 0.5)))

    def _band_label(self, start: float, y: float, bar: Bar, label: str) -> None:
        size = BAND
        width = self.measure(label, size, True)
        baseline = y + BAR_HEIGHT - 5.5
        end = self.right if bar.high is None else self.x(bar.high)
        if bar.high is not None and end + 6 + width <= self.right:
            self.shapes.append(Text(end + 6, baseline, label, size, INK, True))
        elif end - start >= width + 12:
            self.shapes.append(Text(start + 6, baseline, label, size, BAR_TEXT, True))
        else:
            self.shapes.append(Text(start - 6, baseline, label, size, INK, True, "end"))


def _steps(start: float, end: float, count: int) -> Iterator[float]:
    width = (end - start) / count
    return (start + width * i for i in range(count))


def layout(spec: ChartSpec, measure: Measure) -> Drawing:
    """The chart of ``spec`` as shapes in a 360-unit-wide frame."""
    return _Layout(spec, measure).build()
