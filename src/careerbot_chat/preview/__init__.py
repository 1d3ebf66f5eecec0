"""``careerbot preview``: every card as Telegram and Slack show it, live while content is edited.

Importing this package needs the server extra (Starlette, Jinja2) only through
``preview_routes`` and ``serve_preview``; adapters import ``PreviewCard`` from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._card import ChartSource, Drawer, Drawers, PreviewCard

if TYPE_CHECKING:
    from ._state import PreviewState


def preview_routes(
    state: PreviewState,
    drawers: Drawers,
    *,
    token: str | None = None,
    public_url: str | None = None,
) -> list[Any]:
    """The preview's Starlette routes under ``/preview``, drawing with ``drawers``."""
    from ._app import preview_routes as routes

    return routes(state, drawers, token=token, public_url=public_url)


__all__ = ["ChartSource", "Drawer", "Drawers", "PreviewCard", "preview_routes"]
