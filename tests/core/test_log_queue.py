"""``setup_logging``: records leave the caller's thread on a queue, a listener thread
writes them, and stopping it writes every one still queued, each with its own time."""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import threading
from collections.abc import Iterator

import pytest

from careerbot_chat.service._logging import MASK, setup_logging, stop_logging

LOGGER = logging.getLogger("careerbot.requests")


class Recording(io.StringIO):
    """A stream that remembers which threads wrote to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[int] = set()

    def write(self, text: str) -> int:
        self.writers.add(threading.get_ident())
        return super().write(text)


@pytest.fixture
def stream() -> Iterator[Recording]:
    """``setup_logging`` as ``careerbot serve`` runs it, into a stream; undone after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.logThreads, logging.logProcesses
    saved_more = logging.logMultiprocessing
    recording = Recording()
    try:
        yield recording
    finally:
        stop_logging()
        root.handlers[:], root.level, logging.logThreads, logging.logProcesses = saved
        logging.logMultiprocessing = saved_more


def test_lines_are_written_off_the_callers_thread_all_in_order(stream: Recording) -> None:
    """Each record goes through a QueueHandler; the listener's thread writes them, and
    stopping writes every one still queued, in order, each with its own time."""
    stop = setup_logging("json", "INFO", stream=stream)
    (handler,) = logging.getLogger().handlers
    assert isinstance(handler, logging.handlers.QueueHandler)
    for n in range(2000):
        LOGGER.info("telegram /role answered %d", n, extra={"n": n})
    stop()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["n"] for line in lines] == list(range(2000))
    assert lines[7]["message"] == "telegram /role answered 7"
    times = [line["time"] for line in lines]
    assert times == sorted(times)
    assert len(set(times)) > 1, "each line keeps the time it was logged at"
    assert stream.writers
    assert threading.get_ident() not in stream.writers


def test_traceback_and_redaction_cross_the_queue(stream: Recording) -> None:
    """A record's traceback stays its own JSON field, and secrets are redacted from
    both the message and the traceback, before the record is queued."""
    secret = "a-configured-secret"
    stop = setup_logging("json", "INFO", [secret], stream=stream)
    try:
        raise ValueError(f"bad token {secret}")
    except ValueError:
        logging.getLogger("careerbot").exception("failed with %s", secret)
    stop()
    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["message"] == f"failed with {MASK}"
    assert line["exception"].startswith("Traceback")
    assert f"ValueError: bad token {MASK}" in line["exception"]
    assert secret not in stream.getvalue()


def test_text_lines_and_setting_up_twice(stream: Recording) -> None:
    """Text format writes one plain line; setting up again stops the first listener
    (its lines written) and leaves one handler."""
    first = io.StringIO()
    setup_logging("text", "INFO", stream=first)
    LOGGER.info("first")
    setup_logging("text", "INFO", stream=stream)
    LOGGER.info("second")
    stop_logging()
    assert first.getvalue().endswith(" INFO careerbot.requests: first\n")
    assert stream.getvalue().endswith(" INFO careerbot.requests: second\n")
    assert len(logging.getLogger().handlers) == 1
