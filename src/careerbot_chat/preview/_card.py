"""What an adapter gives the preview for one reply: a neutral shape, no web framework.

An adapter module offers ``preview_card(reply, chart_src, public_url)`` returning
``PreviewCard`` and ``PREVIEW_CSS`` (the styles of its fragments); whoever serves the
preview hands them in as ``Drawer``s by platform name (the preview finds no adapter
itself), and the page lays the cards side by side and never names a platform.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..answering._reply import Reply

__all__ = ["ChartSource", "Drawer", "Drawers", "PreviewCard"]

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


@dataclass(frozen=True, slots=True)
class Drawer:
    """How one platform draws a reply for the preview, and the styles of what it draws."""

    card: Callable[[Reply, ChartSource, str | None], PreviewCard]
    """The reply as the platform shows it, given where chart pictures live and
    ``CAREERBOT_PUBLIC_URL``."""
    css: str = ""


Drawers = Mapping[str, Drawer]
"""Every platform the preview shows, by name, in the order shown."""
