"""One retry policy for everything the service keeps trying, from tenacity.

Exponential backoff with jitter between ``first`` and ``longest`` seconds, retried
until the attempt succeeds, an exception it cannot outwait is raised (not in
``retry_on``, or in ``give_up_on``), or the task running it is cancelled (shutdown). Each retry is one log line naming
the cause, never a traceback: an outage is expected, not a bug.

``keep_trying`` runs such a loop in the background and tells the caller, through a
future, how the first attempt went, so start-up can wait for that and no longer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_exception_type,
    retry_if_not_exception_type,
    wait_exponential_jitter,
)

__all__ = ["Backoff", "keep_trying", "one_line", "retry_policy"]


@dataclass(frozen=True)
class Backoff:
    """Seconds between attempts: about ``first``, then doubling up to ``longest``."""

    first: float
    longest: float


def retry_policy(
    what: str,
    backoff: Backoff,
    *,
    log: logging.Logger,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    give_up_on: tuple[type[BaseException], ...] = (),
    retry_if: Callable[[BaseException], bool] | None = None,
    on_retry: Callable[[BaseException], object] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncRetrying:
    """Retry ``retry_on`` but ``give_up_on`` (and, given ``retry_if``, only what it
    accepts), logging ``what (cause); retrying in N s``.

    ``on_retry`` hears of each failure that will be retried, before the pause; ``sleep``
    pauses (a test's clock may stand in).
    """

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        pause = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning("%s (%s); retrying in %.3g s", what, one_line(error), pause)
        if on_retry is not None and error is not None:
            on_retry(error)

    retry = retry_if_exception_type(retry_on) & retry_if_not_exception_type(give_up_on)
    return AsyncRetrying(
        wait=wait_exponential_jitter(
            multiplier=backoff.first, max=backoff.longest, jitter=backoff.first / 2
        ),
        retry=retry if retry_if is None else retry & retry_if_exception(retry_if),
        before_sleep=before_sleep,
        reraise=True,
        sleep=sleep,
    )


async def keep_trying(
    attempt: Callable[[], Awaitable[object]],
    what: str,
    backoff: Backoff,
    *,
    first: asyncio.Future[None],
    log: logging.Logger,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    give_up_on: tuple[type[BaseException], ...] = (),
    on_retry: Callable[[BaseException], object] | None = None,
) -> None:
    """Await ``attempt()`` under ``retry_policy(...)`` until it succeeds (or gives up: raised).

    ``first`` is settled after the first attempt: ``None`` when it succeeded or will
    be retried, the exception when retrying gave up, cancelled when this was.
    """

    def retrying(error: BaseException) -> None:
        if on_retry is not None:
            on_retry(error)
        settle(first)

    try:
        policy = retry_policy(
            what, backoff, log=log, retry_on=retry_on, give_up_on=give_up_on, on_retry=retrying
        )
        async for tried in policy:
            with tried:
                await attempt()
    except asyncio.CancelledError:
        first.cancel()
        raise
    except BaseException as exc:
        settle(first, exc)
        raise
    settle(first)


def settle(first: asyncio.Future[None], error: BaseException | None = None) -> None:
    """Give ``first`` its outcome unless it has one."""
    if first.done():
        return
    if error is None:
        first.set_result(None)
    else:
        first.set_exception(error)


def one_line(exc: BaseException | None) -> str:
    """``Type: message`` on one line, at most 300 characters (for logs and readiness)."""
    if exc is None:
        return "unknown"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
