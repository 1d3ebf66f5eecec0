"""``GuardedStore``: keeps a slow or dead database off the answer path.

Every call gets a deadline (short for what an answer waits on, longer for
background work), and a circuit breaker stops asking a database that keeps failing:
after ``failures`` outages in a row, calls fail at once with ``StoreUnavailable``
for ``cooldown`` seconds, then one trial call is let through; its success closes
the circuit again. Each transition is logged once, never each refused call.

While the database is slow or down, duplicate deliveries are still suppressed,
but only those this replica saw itself (every claimed key is also remembered here,
up to ``MEMORY`` of them). Across replicas, a delivery retried during an outage may
be answered twice. (A chat's default role is remembered in one place, above the
store: the service's ``DefaultRoles``.)

Errors that are not outages (a constraint, a bad query) pass through untouched and
do not trip the breaker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from cachetools import LRUCache

from .._errors import StoreUnavailable
from ._contract import PinnedCard, Store, UsageRow

__all__ = ["ANSWER_DEADLINE", "BACKGROUND_DEADLINE", "GuardedStore", "within"]

log = logging.getLogger("careerbot.store")

T = TypeVar("T")

ANSWER_DEADLINE = 0.5
"""Seconds an answer waits for the database (Slack wants the whole answer in 3 s)."""
BACKGROUND_DEADLINE = 5.0
"""Seconds background work (usage counts, pinned-card refresh, leases) waits."""
FAILURES = 3
"""Outages in a row that open the circuit."""
COOLDOWN = 5.0
"""Seconds the circuit stays open before one trial call is let through."""
MEMORY = 50_000
"""Claimed delivery keys remembered per replica."""


class GuardedStore:
    """A ``Store`` wrapped with deadlines, a circuit breaker and a memory of recent answers."""

    def __init__(
        self,
        inner: Store,
        *,
        answer_deadline: float = ANSWER_DEADLINE,
        background_deadline: float = BACKGROUND_DEADLINE,
        failures: int = FAILURES,
        cooldown: float = COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.answer_deadline = answer_deadline
        self.background_deadline = background_deadline
        self.failures = failures
        self.cooldown = cooldown
        self._clock = clock
        self._failed = 0
        self._open_until = 0.0
        self._trial = False
        self.last_error: str | None = None
        """Why the database last failed (for the log and ``careerbot refresh-pins``)."""
        self._claimed: LRUCache[str, float] = LRUCache(MEMORY)

    # -- the breaker ------------------------------------------------------------------

    @property
    def circuit_open(self) -> bool:
        """Whether calls are being refused without asking the database."""
        return self._failed >= self.failures

    async def _guard(self, call: Awaitable[T], deadline: float, what: str) -> T:
        if self.circuit_open and (self._clock() < self._open_until or self._trial):
            _close(call)
            raise StoreUnavailable(f"database unavailable ({self.last_error})")
        trial = self.circuit_open
        if trial:
            self._trial = True
        try:
            result = await within(call, deadline)
        except TimeoutError:
            self._failure(f"{what} timed out after {deadline:g} s")
            raise StoreUnavailable(f"{what} timed out after {deadline:g} s") from None
        except StoreUnavailable as exc:
            self._failure(f"{what}: {exc}")
            raise
        finally:
            if trial:
                self._trial = False
        self._success()
        return result

    def _failure(self, reason: str) -> None:
        self.last_error = reason
        self._failed += 1
        if self._failed == self.failures:
            log.error(
                "database: %d failures in a row, answering from memory for %g s: %s",
                self._failed,
                self.cooldown,
                reason,
            )
        self._open_until = self._clock() + self.cooldown

    def _success(self) -> None:
        if self.circuit_open:
            log.warning("database is answering again")
        self._failed = 0
        self.last_error = None

    # -- lifecycle ---------------------------------------------------------------------

    async def open(self) -> None:
        await self.inner.open()
        self._success()

    async def close(self) -> None:
        await self.inner.close()

    async def ping(self) -> None:
        """Reach the database now, even with the circuit open (readiness must know)."""
        try:
            await within(self.inner.ping(), self.answer_deadline * 2)
        except TimeoutError:
            self._failure(f"ping timed out after {self.answer_deadline * 2:g} s")
            raise StoreUnavailable(self.last_error or "timed out") from None
        except StoreUnavailable as exc:
            self._failure(f"ping: {exc}")
            raise
        self._success()

    # -- what answers wait on ------------------------------------------------------------

    async def get_default_role(self, platform: str, chat_id: str) -> str | None:
        return await self._guard(
            self.inner.get_default_role(platform, chat_id), self.answer_deadline, "read"
        )

    async def set_default_role(self, platform: str, chat_id: str, role: str, by: str) -> None:
        await self._guard(
            self.inner.set_default_role(platform, chat_id, role, by), self.answer_deadline, "write"
        )

    async def claim_update(self, key: str, ttl: float) -> bool:
        """True the first time ``key`` is seen; while the database is down, seen here."""
        now = time.time()
        seen = self._claimed.get(key)
        if seen is not None and seen > now:
            return False
        self._claimed[key] = now + ttl
        try:
            return await self._guard(
                self.inner.claim_update(key, ttl), self.answer_deadline, "claim"
            )
        except StoreUnavailable:
            return True

    async def remove_pin(self, platform: str, chat_id: str, message_id: str) -> None:
        await self._guard(
            self.inner.remove_pin(platform, chat_id, message_id), self.answer_deadline, "write"
        )

    async def pins(
        self, platform: str | None = None, chat_id: str | None = None
    ) -> list[PinnedCard]:
        deadline = self.answer_deadline if chat_id is not None else self.background_deadline
        return await self._guard(self.inner.pins(platform, chat_id), deadline, "read")

    async def get_photo(self, platform: str, key: str) -> str | None:
        return await self._guard(self.inner.get_photo(platform, key), self.answer_deadline, "read")

    async def set_photo(self, platform: str, key: str, file_id: str) -> None:
        await self._guard(
            self.inner.set_photo(platform, key, file_id), self.answer_deadline, "write"
        )

    async def usage(self, since: str) -> list[UsageRow]:
        return await self._guard(self.inner.usage(since), self.answer_deadline, "read")

    async def get_context(self, platform: str, key: str) -> str | None:
        return await self._guard(
            self.inner.get_context(platform, key), self.answer_deadline, "read"
        )

    async def set_context(self, platform: str, key: str, command: str, ttl: float) -> None:
        await self._guard(
            self.inner.set_context(platform, key, command, ttl), self.answer_deadline, "write"
        )

    async def get_installation(self, platform: str, key: str) -> str | None:
        return await self._guard(
            self.inner.get_installation(platform, key), self.answer_deadline, "read"
        )

    # -- background work ------------------------------------------------------------------

    async def save_pin(self, pin: PinnedCard) -> None:
        await self._guard(self.inner.save_pin(pin), self.background_deadline, "write")

    async def add_usage(self, rows: list[UsageRow]) -> None:
        await self._guard(self.inner.add_usage(rows), self.background_deadline, "write")

    async def forget_queries(self, before: str) -> None:
        await self._guard(self.inner.forget_queries(before), self.background_deadline, "write")

    async def take_lease(self, name: str, holder: str, ttl: float) -> bool:
        return await self._guard(
            self.inner.take_lease(name, holder, ttl), self.background_deadline, "lease"
        )

    async def drop_lease(self, name: str, holder: str) -> None:
        await self._guard(self.inner.drop_lease(name, holder), self.background_deadline, "lease")

    async def get_mark(self, name: str) -> str | None:
        return await self._guard(self.inner.get_mark(name), self.background_deadline, "read")

    async def set_mark(self, name: str, value: str, *, replacing: str | None = None) -> bool:
        return await self._guard(
            self.inner.set_mark(name, value, replacing=replacing),
            self.background_deadline,
            "write",
        )

    async def set_installation(self, platform: str, key: str, data: str) -> None:
        await self._guard(
            self.inner.set_installation(platform, key, data), self.background_deadline, "write"
        )

    async def remove_installation(self, platform: str, key: str) -> None:
        await self._guard(
            self.inner.remove_installation(platform, key), self.background_deadline, "write"
        )

    async def installation_keys(self, platform: str) -> list[str]:
        return await self._guard(
            self.inner.installation_keys(platform), self.background_deadline, "read"
        )

    async def set_chat_installation(self, platform: str, chat_id: str, key: str) -> None:
        await self._guard(
            self.inner.set_chat_installation(platform, chat_id, key),
            self.background_deadline,
            "write",
        )

    async def chat_installation(self, platform: str, chat_id: str) -> str | None:
        return await self._guard(
            self.inner.chat_installation(platform, chat_id), self.background_deadline, "read"
        )


_abandoned: set[asyncio.Task[object]] = set()


async def within(call: Awaitable[T], seconds: float) -> T:
    """``await call``, or ``TimeoutError`` after ``seconds`` — without waiting for it to stop.

    ``asyncio.wait_for`` waits until the cancelled call has finished, and a driver
    cancelling a query on a hung server waits on that server (asyncpg sends a cancel
    request and resets the connection), so the deadline would not hold. Here the call
    is cancelled and left to wind down in the background.
    """
    task: asyncio.Task[T] = asyncio.ensure_future(call)
    try:
        done, _ = await asyncio.wait((task,), timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if task in done:
        return task.result()
    task.cancel()
    _abandoned.add(task)
    task.add_done_callback(_forget)
    raise TimeoutError


def _forget(task: asyncio.Task[object]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: no "exception was never retrieved" warning


def _close(call: Awaitable[object]) -> None:
    """Close a coroutine that will not be awaited (no "never awaited" warning)."""
    close = getattr(call, "close", None)
    if close is not None:
        close()
