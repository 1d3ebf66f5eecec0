"""The pay ladder as a picture: SVG for the web page, PNG for chats.

``chart_spec(role)`` and ``alt_text(spec)`` are pure and cheap; drawing imports
Pillow, so only the server, the preview and the Telegram adapter load it, never
``careerbot ask``. Renderings are cached by chart (role and the facts it draws).
"""

from __future__ import annotations

import functools

from ._spec import CHARTS_PATH, Bar, ChartSpec, alt_text, chart_spec, chart_url, parse_key

CACHE_SIZE = 128


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes (960 px wide)."""
    from ._layout import layout
    from ._paint import measure, png

    return png(layout(spec, measure))


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_svg(spec: ChartSpec) -> str:
    """The chart as an SVG document, its accessible name the alt text."""
    from ._layout import layout
    from ._paint import measure, svg

    return svg(layout(spec, measure), alt_text(spec))


__all__ = [
    "CHARTS_PATH",
    "Bar",
    "ChartSpec",
    "alt_text",
    "chart_spec",
    "chart_url",
    "parse_key",
    "render_png",
    "render_svg",
]
