"""Telegram's flood limits as a budget every Bot API call asks before it goes out.

Telegram lets a bot send about 30 messages a second overall and 20 a minute into one
group, and answers a call past them with 429 and ``retry_after``. A call carried in a
webhook's HTTP answer counts too, and Telegram never says whether it refused it, so
the send path asks the budget before anything leaves:

- ``acquire(chat_id)`` waits until the call fits, then takes its share;
  ``acquire(chat_id, wait=False)`` takes the share only if it is there now and says
  whether it did (the webhook answer asks this way: a call that would have to wait
  goes out as a normal call instead, and waits there);
- ``pause(retry_after)`` stops every call for that long after a 429.

Calls into one group that must wait queue in the order they asked (``Turns``): a
later ask, waiting or not, never overtakes an earlier one still waiting.

A call made as background work (``in_background()``: editing pinned cards after a
content change) comes after member answers: it waits while any answer of this
process waits, never joins a group's queue (an answer never queues behind it), and
takes only spare room (``Rate.spare()``: a third of every window stays free for
answers, so answers on other replicas find room too). Background calls that wait are
spread evenly at that spare rate (``Spacing``) rather than sent in a burst at each
window's start: the process is then as busy at every moment, and an answer never
lands in the middle of a burst.

``FloodBudget`` is the interface; ``LocalBudget`` keeps the budget in this process
(one replica: the core's ``MemoryLimiter``, the same windows as the shared stores
over ``budget_rates``); ``SharedBudget`` keeps it where every replica sees it (the core's
``SharedLimiter``: Redis when ``CAREERBOT_REDIS_URL`` is set, else PostgreSQL), so
replicas together stay within the bot's limits and a 429 seen by one pauses all.
Should the shared store fail, ``SharedBudget`` goes on with an in-process budget
(one warning a minute): answers keep flowing, each replica within the limits alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Protocol

from careerbot_chat.adapter import MemoryLimiter, Rate, SharedLimiter, in_background

__all__ = [
    "GROUPS_TRACKED",
    "ChatId",
    "FloodBudget",
    "LocalBudget",
    "SharedBudget",
    "Spacing",
    "Turns",
    "Waiting",
    "in_turn",
    "is_group",
]

log = logging.getLogger("careerbot.telegram")

ChatId = int | str | None
"""The chat a call goes to (``None`` for calls no chat limit counts, such as
answerCallbackQuery); a negative id or an ``@username`` is a group or channel."""

GROUPS_TRACKED = 100_000
"""Groups whose per-minute budget is kept at once (a group idle a whole window has
its full budget again and is dropped)."""

_EPSILON = 1e-9  # float noise: a wait this short is no wait


class FloodBudget(Protocol):
    """What the send path asks before each Bot API call."""

    async def acquire(self, chat_id: ChatId, *, wait: bool = True) -> bool:
        """Take one call's share for ``chat_id``; with ``wait=False`` only if there now.

        True when the share was taken (always, when waiting); False when ``wait`` is
        false and the call would have to wait (nothing is taken then).
        """
        ...

    async def pause(self, retry_after: float) -> None:
        """Hold every call for ``retry_after`` seconds (Telegram answered 429)."""
        ...

    async def open(self) -> None:
        """Connect to where the budget is kept (PTB's rate limiter ``initialize``)."""
        ...

    async def close(self) -> None:
        """Disconnect (the rate limiter's ``shutdown``); a later ``acquire`` reopens."""
        ...


def is_group(chat_id: ChatId) -> bool:
    """A negative id or a ``@username``: a group or channel, with its own per-minute limit."""
    if isinstance(chat_id, str):
        try:
            return int(chat_id) < 0
        except ValueError:
            return True
    return chat_id is not None and chat_id < 0


def _same_chat(chat_id: ChatId) -> ChatId:
    """One key per chat: ``"-100123"`` and ``-100123`` are the same group."""
    if isinstance(chat_id, str):
        try:
            return int(chat_id)
        except ValueError:
            return chat_id
    return chat_id


def budget_rates(
    chat_id: ChatId, overall_per_second: float, group_per_minute: float, *, spare: bool = False
) -> list[Rate]:
    """The rates a call to ``chat_id`` takes from: the bot's second (``bot``) for any
    chat, and a group's minute (``group:<id>``) for a group.

    ``spare``: as background work, which counts in the whole window (never past the
    limit) and in a window of its own holding at most the spare share: answers always
    keep the reserve, and take from the background's share only what it leaves unused.
    """
    rates = []
    if chat_id is not None and overall_per_second:
        rates.append(Rate("bot", overall_per_second, 1.0))
    if is_group(chat_id) and group_per_minute:
        rates.append(Rate(f"group:{chat_id}", group_per_minute, 60.0))
    if not spare:
        return rates
    return [*rates, *(replace(rate.spare(), key=f"{rate.key}:background") for rate in rates)]


class Turns:
    """One queue per group: waiting asks go in the order they came (``asyncio.Lock`` is FIFO)."""

    def __init__(self) -> None:
        self.locks: dict[ChatId, asyncio.Lock] = {}

    def busy(self, chat_id: ChatId) -> bool:
        """Someone waits for this group: an ask that would not wait must not jump ahead."""
        lock = self.locks.get(chat_id)
        return lock is not None and lock.locked()

    async def run(self, chat_id: ChatId, ask: Callable[[], Awaitable[bool]]) -> bool:
        """``ask()`` once every earlier waiting ask for ``chat_id`` is through."""
        lock = self.locks.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock:
                return await ask()
        finally:
            if not lock.locked() and self.locks.get(chat_id) is lock:
                del self.locks[chat_id]


class Waiting:
    """Answers of this process waiting for the bot's overall rate: background asks wait
    for none of them.

    An answer waits for at most ``span`` (the overall window, a second) for that rate;
    a longer wait is for its group's minute (or a 429's pause, which holds background
    asks anyway), which an edit into another group does not compete for, so it is not
    counted: a burst into one group never stalls a refresh.
    """

    def __init__(self, span: float) -> None:
        self.span = span
        self.count = 0
        self._none = asyncio.Event()
        self._none.set()

    @contextlib.contextmanager
    def answer(self, delay: float) -> Iterator[None]:
        """Count an answer while it sleeps ``delay`` for its share (when that is the
        overall rate's wait)."""
        if delay > self.span:
            yield
            return
        self.count += 1
        self._none.clear()
        try:
            yield
        finally:
            self.count -= 1
            if not self.count:
                self._none.set()

    async def none(self) -> None:
        """Return once no answer is waiting."""
        await self._none.wait()


class Spacing:
    """Background calls at most ``rate`` a second, evenly spaced (0: unspaced).

    Each call reserves the next slot (``1 / rate`` after the previous one, never before
    now) and waits for it; the budget's windows still decide whether it may go.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self.interval = 1 / rate if rate else 0.0
        self.clock = clock
        self.sleep = sleep
        self.next = float("-inf")

    @classmethod
    def spare(
        cls,
        overall_per_second: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
    ) -> Spacing:
        """Spaced at the spare share of the bot's overall rate."""
        if not overall_per_second:
            return cls(0.0, clock, sleep)
        spare = Rate("bot", overall_per_second, 1.0).spare()
        return cls(spare.limit / spare.span, clock, sleep)

    async def turn(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        slot = max(now, self.next)
        self.next = slot + self.interval
        if slot - now > _EPSILON:
            await self.sleep(slot - now)


async def in_turn(
    turns: Turns, chat_id: ChatId, wait: bool, ask: Callable[[bool], Awaitable[bool]]
) -> bool:
    """``ask(wait)`` for a group behind its queue; other chats ask at once."""
    if not is_group(chat_id):
        return await ask(wait)
    if turns.busy(chat_id):
        if not wait:
            return False
    elif not wait:
        return await ask(False)
    return await turns.run(chat_id, lambda: ask(True))


class _Paced:
    """What both budgets do alike: a group's waiting asks in turn, answers before
    background calls, background calls spaced; ``_delay`` (each budget's own) takes a
    call's share of ``rates`` now or says how long to wait for it."""

    def __init__(
        self,
        overall_per_second: float,
        group_per_minute: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self.overall_per_second = overall_per_second
        self.group_per_minute = group_per_minute
        self.clock = clock
        self.sleep = sleep
        self.turns = Turns()
        bot_rate = Rate("bot", overall_per_second, 1.0) if overall_per_second else None
        self.answers = Waiting(bot_rate.span if bot_rate is not None else 0.0)
        self.spacing = Spacing.spare(overall_per_second, clock, sleep)

    def rates(self, chat_id: ChatId, *, spare: bool = False) -> list[Rate]:
        """The rates a call to ``chat_id`` takes from (``budget_rates``)."""
        return budget_rates(chat_id, self.overall_per_second, self.group_per_minute, spare=spare)

    async def acquire(self, chat_id: ChatId, *, wait: bool = True) -> bool:
        chat_id = _same_chat(chat_id)
        if in_background():  # after every waiting answer, from spare room only
            if wait:
                await self.spacing.turn()
            rates = self.rates(chat_id, spare=True)
            return await self._take(rates, chat_id, wait, background=True)
        return await in_turn(
            self.turns,
            chat_id,
            wait,
            lambda waits: self._take(self.rates(chat_id), chat_id, waits, background=False),
        )

    async def _take(
        self, rates: list[Rate], chat_id: ChatId, wait: bool, *, background: bool
    ) -> bool:
        """Take ``rates``, waiting as ``_delay`` says (unless not ``wait``). A background
        call first lets this process's waiting answers go; an answer that waits is
        counted, so background calls hold back meanwhile."""
        while True:
            if background:
                await self.answers.none()
            delay = await self._delay(rates)
            if delay <= _EPSILON:
                return True
            if not wait:
                return False
            if background:
                await self.sleep(delay)
            else:
                with self.answers.answer(delay):
                    await self.sleep(delay)

    async def _delay(self, rates: list[Rate]) -> float:
        raise NotImplementedError


class LocalBudget(_Paced):
    """Telegram's limits kept in this process: right for one replica.

    ``overall_per_second`` counts every call to a chat; ``group_per_minute`` each
    group's calls on its own (``0`` turns a limit off). The windows are the shared
    stores' (``budget_rates``, ``MemoryLimiter``). ``clock`` and ``sleep`` are
    injectable so tests can run waits without waiting.
    """

    def __init__(
        self,
        overall_per_second: float,
        group_per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(overall_per_second, group_per_minute, clock, sleep)
        minute = Rate("group", group_per_minute, 60.0).span if group_per_minute else 60.0
        # A group idle a whole window has its budget whole again, and is forgotten.
        self.limiter = MemoryLimiter(keep=max(minute, 1.0), keys=2 * GROUPS_TRACKED, clock=clock)

    async def _delay(self, rates: list[Rate]) -> float:
        return self.limiter.take_now(rates)

    async def pause(self, retry_after: float) -> None:
        await self.limiter.pause(retry_after)

    async def open(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Nothing to disconnect."""


_WARN_EVERY_SECONDS = 60.0


class _StoreDown(Exception):
    """The shared store failed a take: this replica's budget decides instead."""


class SharedBudget(_Paced):
    """Telegram's limits held by all replicas together in a ``SharedLimiter``.

    The bot's overall rate is one ``Rate`` (``bot``), each group's minute another
    (``group:<id>``); a call to a group takes from both at once or from neither. A
    call to no chat (answerCallbackQuery) asks nothing of the store. ``pause`` holds
    every replica. Where the store fails, ``fallback`` (this process's budget) decides.
    """

    def __init__(
        self,
        limiter: SharedLimiter,
        overall_per_second: float,
        group_per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(overall_per_second, group_per_minute, clock, sleep)
        self.limiter = limiter
        self.fallback = LocalBudget(overall_per_second, group_per_minute, clock=clock, sleep=sleep)
        self.warned_at = float("-inf")

    async def _take(
        self, rates: list[Rate], chat_id: ChatId, wait: bool, *, background: bool
    ) -> bool:
        if not rates:  # nothing counted; a pause seen here still holds
            return await self.fallback.acquire(None, wait=wait)
        try:
            return await super()._take(rates, chat_id, wait, background=background)
        except _StoreDown as down:  # this replica's budget decides
            self._warn("take from", down.__cause__ or down)
            return await self.fallback.acquire(chat_id, wait=wait)

    async def _delay(self, rates: list[Rate]) -> float:
        try:
            return await self.limiter.take(rates)
        except Exception as exc:
            raise _StoreDown from exc

    async def pause(self, retry_after: float) -> None:
        await self.fallback.pause(retry_after)
        try:
            await self.limiter.pause(retry_after)
        except Exception as exc:
            self._warn("pause", exc)

    async def open(self) -> None:
        try:
            await self.limiter.open()
        except Exception as exc:  # answering matters more: retried on the next acquire
            self._warn("open", exc)

    async def close(self) -> None:
        await self.limiter.close()

    def _warn(self, what: str, exc: BaseException) -> None:
        now = self.clock()
        if now - self.warned_at >= _WARN_EVERY_SECONDS:
            self.warned_at = now
            log.warning(
                "could not %s the shared flood budget (%s: %s); this replica paces itself",
                what,
                type(exc).__name__,
                exc,
            )
