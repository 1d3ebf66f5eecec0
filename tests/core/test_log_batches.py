"""A busy log listener (one that has fallen behind, or took a record a moment ago)
writes request log lines in turns (``WRITE_EVERY``), not taking each as it comes; the
first record, and any record of another logger, are written at once, and stopping
writes everything queued without waiting out the turn."""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import Iterator

import pytest

from careerbot_chat.service import _logging
from careerbot_chat.service._logging import (
    REQUESTS,
    Listener,
    ToQueue,
    setup_logging,
    stop_logging,
)

LOGGER = logging.getLogger("careerbot.requests")
GUARD = 60.0
"""Seconds a wait may take before the test gives up (never reached when it passes)."""


class Lines(io.StringIO):
    """A stream that signals each line written."""

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Semaphore(0)

    def write(self, text: str) -> int:
        count = super().write(text)
        if text.endswith("\n"):
            self.written.release()
        return count


@pytest.fixture
def lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lines]:
    """``setup_logging`` into a stream, with turns far longer than any test."""
    monkeypatch.setattr(_logging, "WRITE_EVERY", 3600.0)
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.logThreads, logging.logProcesses
    saved_more = logging.logMultiprocessing
    stream = Lines()
    try:
        yield stream
    finally:
        stop_logging()
        root.handlers[:], root.level, logging.logThreads, logging.logProcesses = saved
        logging.logMultiprocessing = saved_more


def test_the_listener_is_ours(lines: Lines) -> None:
    setup_logging("text", "INFO", stream=lines)
    assert isinstance(_logging._listeners[-1], Listener)


def test_the_first_record_is_written_at_once(lines: Lines) -> None:
    """A listener that has written nothing takes a record as it comes, not a turn later."""
    setup_logging("text", "INFO", stream=lines)
    LOGGER.info("first")
    assert lines.written.acquire(timeout=GUARD)
    assert lines.getvalue().endswith("first\n")


def test_stopping_writes_what_is_queued_without_waiting_out_the_turn(lines: Lines) -> None:
    """Records logged while the listener waits its turn are all written by ``stop``,
    which does not wait the hour the turn would last."""
    stop = setup_logging("text", "INFO", stream=lines)
    LOGGER.info("first")
    assert lines.written.acquire(timeout=GUARD)
    for n in range(50):
        LOGGER.info("later %d", n)
    stopping = threading.Thread(target=stop)
    stopping.start()
    stopping.join(GUARD)
    assert not stopping.is_alive()
    written = lines.getvalue().splitlines()
    assert [line.rsplit(" ", 1)[-1] for line in written[1:]] == [str(n) for n in range(50)]


def _record(text: str, name: str = REQUESTS) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, text, None, None)


def _fed() -> tuple[ToQueue, Listener]:
    """A listener (not started) and the handler that feeds it."""
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = ToQueue(records)
    return handler, Listener(records, wake=handler.wake)


def _taking(listener: Listener, count: int = 1) -> tuple[threading.Thread, list[str]]:
    """A thread taking ``count`` records from ``listener``; the messages it took."""
    taken: list[str] = []

    def take() -> None:
        taken.extend(listener.dequeue(True).getMessage() for _ in range(count))

    taker = threading.Thread(target=take)
    taker.start()
    return taker, taken


def test_a_turn_takes_what_was_queued_then_waits_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records queued when a turn begins are taken at once; a request log line queued
    after waits for the next turn, which ``stop`` (the sentinel) starts at once."""
    monkeypatch.setattr(_logging, "WRITE_EVERY", 3600.0)
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = Listener(records)
    for text in ("one", "two", "three"):
        records.put(_record(text))
    taken = [listener.dequeue(True).getMessage() for _ in range(3)]
    assert taken == ["one", "two", "three"]
    records.put(_record("four"))
    taker, later = _taking(listener)
    taker.join(0.2)
    assert taker.is_alive(), "taken before its turn"
    listener.enqueue_sentinel()
    taker.join(GUARD)
    assert later == ["four"]


def test_any_other_record_ends_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request log line waiting for the next turn goes with the first record of
    another logger (a warning, a start-up line), not a turn later."""
    monkeypatch.setattr(_logging, "WRITE_EVERY", 3600.0)
    handler, listener = _fed()
    handler.enqueue(_record("one"))
    assert listener.dequeue(True).getMessage() == "one"
    handler.enqueue(_record("two"))
    taker, later = _taking(listener, 2)
    taker.join(0.2)
    assert taker.is_alive(), "a request log line taken before its turn"
    handler.enqueue(_record("database is answering again", name="careerbot.store"))
    taker.join(GUARD)
    assert not taker.is_alive()
    assert later == ["two", "database is answering again"]


def test_a_listener_that_keeps_up_still_writes_in_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A listener that took a record a moment ago and found nothing more queued (as with
    a server answering one request at a time) is not woken by the next request log
    line: it waits for its turn, so a busy server does not wake it per answer."""
    monkeypatch.setattr(_logging, "WRITE_EVERY", 3600.0)
    handler, listener = _fed()
    handler.enqueue(_record("one"))
    assert listener.dequeue(True).getMessage() == "one"
    taker, later = _taking(listener)
    taker.join(0.1)  # waiting, with nothing queued
    handler.enqueue(_record("two"))
    taker.join(0.2)
    assert taker.is_alive(), "woken by a request log line before its turn"
    listener.enqueue_sentinel()
    taker.join(GUARD)
    assert later == ["two"]
