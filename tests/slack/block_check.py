"""Check a Slack message against Block Kit's limits and our escaping: the one checker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block

RAW_CONTROL = re.compile(r"<|>|&(?!amp;|lt;|gt;)")


def strings(value: Any) -> Iterator[tuple[str, str]]:
    """(key, string) for every string in a message, except button values (data)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and key not in ("value", "action_id", "type", "style"):
                yield key, item
            else:
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_valid(message: dict[str, Any]) -> None:
    """Slack's limits: slack_sdk validation, ≤ 50 blocks, a fallback, and escaped text."""
    assert message["text"].strip()
    assert 1 <= len(message["blocks"]) <= 50
    for block in Block.parse_all(message["blocks"]):
        assert block is not None
        block.to_dict()  # validates field limits; raises SlackObjectFormationError
    for _key, text in strings(message):
        assert not RAW_CONTROL.search(text), text
