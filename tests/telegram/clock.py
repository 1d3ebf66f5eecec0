"""A virtual clock for the flood budget: waits take no real time, and can be held open."""

from __future__ import annotations

import asyncio


class VirtualClock:
    """Time that moves only when something sleeps on it.

    ``clock()`` reads it; ``await clock.sleep(s)`` records ``s`` and moves time on by
    it at once, or, while the clock is ``hold()``-ing, only once ``release()`` is
    called, so a test can act while a send is waiting. ``sleepers(n)`` waits until
    ``n`` sleeps have begun.
    """

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self._open = asyncio.Event()
        self._open.set()
        self._slept = asyncio.Event()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        start = self.now
        self.sleeps.append(seconds)
        self._slept.set()
        await self._open.wait()
        self.now = max(self.now, start + seconds)

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def sleepers(self, count: int, within: float = 5.0) -> None:
        """Wait until ``count`` sleeps have begun; fail after ``within`` real seconds."""
        try:
            async with asyncio.timeout(within):
                while len(self.sleeps) < count:
                    self._slept.clear()
                    await self._slept.wait()
        except TimeoutError:
            raise AssertionError(f"{len(self.sleeps)} of {count} sleeps began") from None
