"""What an adapter gives the preview for one reply: a neutral shape, no web framework.

An adapter module offers ``preview_card(reply, chart_src)`` returning ``PreviewCard``
and ``PREVIEW_CSS`` (the styles of its fragments); the preview page lays the cards
side by side and never names a platform itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ChartSource", "PreviewCard"]

ChartSource = Callable[[str], str]
"""The URL of a chart's picture in the page, from its key (``<role>-<version>``)."""


@dataclass(frozen=True, slots=True)
class PreviewCard:
    """One reply as one platform shows it."""

    platform: str
    """The platform's name as people write it (``Telegram``)."""
    html: str
    """A trusted HTML fragment that looks like the platform's message."""
    copy: str
    """The exact payload the bot sends (HTML, JSON ...), for the copy button."""
    copy_label: str
    link: str | None = None
    """A page that previews the payload on the platform's own tool, if any."""
    link_label: str = ""
