"""The plain-text renderer: for the console, logs and every platform's fallback."""

from __future__ import annotations

from ._reply import Bullets, Divider, Fields, Paragraph, Reply, label_separator

__all__ = ["PlainRenderer", "render_plain"]


class PlainRenderer:
    """Render a ``Reply`` as plain text. Configure once; calling it only transforms."""

    def __init__(self, *, bullet: str = "•", show_actions: bool = True) -> None:
        self.bullet = bullet
        self.show_actions = show_actions

    def __call__(self, reply: Reply) -> str:
        parts = [reply.title]
        for block in reply.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Fields):
                parts.append(
                    "\n".join(
                        f"{label}{label_separator(label)}{value}" for label, value in block.items
                    )
                )
            elif isinstance(block, Bullets):
                lines = [f"{block.title}:"] if block.title else []
                lines += [f"{self.bullet} {item}" for item in block.items]
                parts.append("\n".join(lines))
            elif isinstance(block, Divider):
                parts.append("—")
        if reply.footer:
            parts.append(reply.footer)
        if self.show_actions and reply.actions:
            parts.append("More: " + "  ".join(action.command for action in reply.actions))
        return "\n\n".join(parts)


render_plain = PlainRenderer()
