"""A small run of bench/load.py: the real server under concurrent load from both platforms."""

from __future__ import annotations

import pytest

from bench.load import run_load

pytestmark = pytest.mark.slow


async def test_small_load_run_loses_nothing() -> None:
    """60 Slack commands and 60 Telegram updates at 10 connections: no failure, one answer each."""
    figures = await run_load(count=60, concurrency=10, roles=1, time_limit=240)
    assert figures["slack requests"] == 60
    assert figures["slack failed"] == 0
    assert figures["telegram requests"] == 60
    assert figures["telegram failed"] == 0
    assert figures["telegram chats answered"] == 60
    assert figures["telegram duplicate answers"] == 0
