"""``python -m careerbot_chat``: the ``careerbot`` command, for an environment without its script."""

from __future__ import annotations

from .cli import main

__all__ = ()  # nothing to import: running it is the point

raise SystemExit(main())
