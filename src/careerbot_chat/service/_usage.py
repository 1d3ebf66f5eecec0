"""What members ask, counted per day without user ids, and the ``/stats`` answer.

Counts are buffered in memory and written to the store in batches (the runtime
flushes every 30 s and at shutdown); a failed write keeps them for the next try.

The text of a question the bot could not answer (a content gap ``/stats`` lists) is
kept ``keep_query_days`` days (``CAREERBOT_UNANSWERED_RETENTION_DAYS``): once a UTC
day, and at start, older text is blanked in the store with its counts kept; with 0 it
is never stored.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable

from .. import messages as msg
from .._errors import StoreError
from ..answering._cards import notice
from ..answering._parser import Command
from ..answering._reply import Bullets, Outcome, Reply
from ..catalog._loader import Catalog
from ..store._contract import Store, UsageRow, days_ago, today

__all__ = ["UsageLog"]

log = logging.getLogger("careerbot")
TOP = 5


class UsageLog:
    """Per-day counts of (platform, command, role, outcome, unanswered query)."""

    def __init__(self, store: Store | None, *, keep_query_days: int | None = None) -> None:
        self.store = store
        self.keep_query_days = keep_query_days
        """Days the text of unanswered questions is kept; ``None``: for ever."""
        self._forgotten = ""
        """The UTC day older text was last forgotten."""
        self._warned = ""
        self._pending: Counter[tuple[str, str, str, str, str, str]] = Counter()
        self._day = (-1, "")
        """The UTC day number and its date: every answer is counted, the date changes daily."""

    def count(self, platform: str, command: Command, reply: Reply) -> None:
        keep = reply.outcome is Outcome.NOT_FOUND and self.keep_query_days != 0
        query = reply.query if keep else ""
        key = (self._today(), platform, command.name, reply.role or "", reply.outcome.value, query)
        self._pending[key] += 1

    def _today(self) -> str:
        now = time.time()
        number = int(now // 86400)
        if number != self._day[0]:
            self._day = (number, today(now))
        return self._day[1]

    async def flush(self) -> None:
        """Write buffered counts to the store; keep them if the store fails."""
        if self.store is None or not self._pending:
            return
        pending, self._pending = self._pending, Counter()
        rows = [UsageRow(*key, count) for key, count in pending.items()]
        try:
            await self.store.add_usage(rows)
        except StoreError as exc:
            log.warning("could not save usage counts, will retry: %s", exc)
            self._pending.update(pending)

    async def forget_old_queries(self) -> None:
        """Blank the text of unanswered questions asked before the last ``keep_query_days``
        days (today included), counts kept; once a UTC day, retried on the next call if
        the store fails (one warning a day)."""
        if self.store is None or self.keep_query_days is None:
            return
        day = self._today()
        if day == self._forgotten:
            return
        try:
            await self.store.forget_queries(days_ago(self.keep_query_days))
        except StoreError as exc:
            if self._warned != day:
                log.warning("could not forget old unanswered questions, will retry: %s", exc)
                self._warned = day
            return
        self._forgotten = day

    async def stats(self, catalog: Catalog) -> Reply:
        """Most asked roles and commands over 7 and 30 days, and the content gaps."""
        await self.flush()
        assert self.store is not None, "statistics need a store"
        rows = await self.store.usage(days_ago(30))  # StoreError: the caller says so
        if not rows:
            return notice(msg.STATS_TITLE, msg.STATS_EMPTY, command="stats")
        week = days_ago(7)

        def role(row: UsageRow) -> str | None:
            found = catalog.get(row.role) if row.role else None
            return found.title if found else (row.role or None)

        def gap(row: UsageRow) -> str | None:
            return (
                msg.QUOTED.format(text=row.query)
                if row.outcome == "not_found" and row.query
                else None
            )

        blocks = tuple(
            Bullets(tuple(_top(rows, pick, week)) or (msg.STATS_EMPTY,), title)
            for title, pick in (
                (msg.STATS_TOP_ROLES, role),
                (msg.STATS_TOP_COMMANDS, lambda row: "/" + row.command),
                (msg.STATS_GAPS, gap),
            )
        )
        return Reply(msg.STATS_TITLE, blocks, msg.STATS_FOOTER, command="stats")


def _top(rows: list[UsageRow], pick: Callable[[UsageRow], str | None], week: str) -> list[str]:
    month: Counter[str] = Counter()
    recent: Counter[str] = Counter()
    for row in rows:
        key = pick(row)
        if key is None:
            continue
        month[key] += row.count
        if row.day >= week:
            recent[key] += row.count
    return [
        msg.STATS_LINE.format(key=key, week=recent[key], month=count)
        for key, count in month.most_common(TOP)
    ]
