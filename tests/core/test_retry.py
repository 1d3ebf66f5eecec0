"""The one retry policy (``careerbot_chat.adapter.retry_policy``): its pauses, what it
retries, and its one line per retry."""

from __future__ import annotations

import logging

import pytest

from careerbot_chat.adapter import Backoff, retry_policy

log = logging.getLogger("careerbot.test")


async def test_pauses_double_up_to_the_longest_and_only_what_it_may_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Pauses of about 1, 2, then 4 s (plus up to half the first as jitter), one WARNING
    line each, no traceback; an error ``retry_if`` refuses is raised at once."""
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    def retry_if(error: BaseException) -> bool:
        return isinstance(error, OSError)

    tries = 0
    caplog.set_level(logging.WARNING, "careerbot.test")
    async for attempt in retry_policy(
        "x failed", Backoff(1, 4), log=log, retry_if=retry_if, sleep=sleep
    ):
        with attempt:
            tries += 1
            if tries < 6:
                raise OSError("down")
    assert tries == 6
    assert 1 <= pauses[0] <= 1.5
    assert 2 <= pauses[1] <= 2.5
    assert pauses[2:] == [4, 4, 4]
    lines = [r for r in caplog.records if r.name == "careerbot.test"]
    assert [r.getMessage().split(";")[0] for r in lines] == ["x failed (OSError: down)"] * 5
    assert not any(r.exc_info for r in lines)

    async def refused() -> None:
        async for attempt in retry_policy(
            "x", Backoff(1, 4), log=log, retry_if=retry_if, sleep=sleep
        ):
            with attempt:
                raise ValueError("not retried")

    with pytest.raises(ValueError, match="not retried"):
        await refused()
    assert len(pauses) == 5
