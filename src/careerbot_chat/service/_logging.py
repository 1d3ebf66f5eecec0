"""Logging set-up: text or JSON lines, and secrets redacted from every record.

The ``httpx`` logger prints request URLs at INFO, and a platform's request URL may hold
its token; it is turned down to WARNING and, as a second line of defence, every
record passes ``RedactSecrets`` before it is written: the configured secrets, and
anything shaped like a credential of an installed platform (each adapter registers
its ``SecretShape``s). Every message is also kept to one line (control characters
escaped, so text from outside cannot forge a record) of at most ``MAX_MESSAGE``
characters; a traceback stays whole.

Records are written off the serving thread, with the standard library's
``QueueHandler`` and ``QueueListener``: the caller's thread merges a record's arguments,
redacts it and puts it on a queue; the listener's thread formats and writes it, each
record with its own time. A busy listener (one that has fallen behind, or that took a
record less than ``WRITE_EVERY`` ago) takes what has queued up in turns ``WRITE_EVERY``
seconds apart rather than taking each record as it comes, and flushes its stream once
a turn: a thread woken per line, contending for the GIL with every answer, cost a busy
server more than the line itself. Only request log lines wait for a turn; any other
record, and the first after a quiet spell, is written at once. ``setup_logging``
starts the listener and returns what stops it; stopping writes every record still
queued (``careerbot serve`` stops it when it returns, SIGTERM included, and at exit as
a last resort).
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

if TYPE_CHECKING:
    from .._registry import SecretShape

__all__ = [
    "MASK",
    "NOISY_LOGGERS",
    "REQUESTS",
    "WRITE_EVERY",
    "JsonFormatter",
    "Listener",
    "RedactSecrets",
    "TextFormatter",
    "ToQueue",
    "Writer",
    "quiet_noisy_loggers",
    "setup_logging",
    "stop_logging",
]

MASK = "[redacted]"
WRITE_EVERY = 0.1
"""Seconds a listener that has fallen behind lets request log lines queue up before
its next turn (any other record ends the wait)."""
REQUESTS = "careerbot.requests"
"""The request log: a line per answer, the one record a busy server writes in turns."""
MAX_MESSAGE = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` with control characters escaped (``\\n``), cut to ``limit`` characters."""
    if not text.isprintable():  # isprintable() is false for every character _CONTROL finds
        text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return text


class RedactSecrets(logging.Filter):
    """Replace known secrets, and anything of a credential's ``shapes``, with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str] = (), shapes: Iterable[SecretShape] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)
        self.shapes = tuple(shapes)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        # Each pattern runs only where it could match: the substring tests cost far less.
        for shape in self.shapes:
            if shape.marker in text:
                text = shape.pattern.sub(MASK, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = one_line(self.redact(message))
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class TextFormatter(logging.Formatter):
    """``2026-11-26 17:10:22,876 INFO careerbot.runtime: ready`` (local time)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


class JsonFormatter(OrjsonFormatter):
    """One JSON object per line (python-json-logger, encoding with orjson).

    ``time`` (ISO 8601, UTC, with microseconds), ``level``, ``logger``, ``message``,
    every ``extra`` field a call passes, and ``exception`` with the traceback (the
    redacted one when ``RedactSecrets`` ran first). Text stays UTF-8, unescaped.
    uvicorn's ``color_message`` (its message again, with terminal colour codes) is left
    out: a JSON line is read by a machine.

    The server writes one line per answered request; with orjson that line costs
    about a third less than with the standard library's encoder (docs/benchmarks.md).
    """

    def __init__(self) -> None:
        super().__init__(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="time",
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )


class ToQueue(logging.handlers.QueueHandler):
    """Puts each record on the listener's queue as ``RedactSecrets`` left it.

    ``QueueHandler.prepare`` would format the record here, folding its traceback into
    the message; the filter has already merged the arguments and turned the traceback
    into redacted text (``exc_text``), so the record goes as it is and the listener's
    formatter keeps message and exception apart (the JSON ``exception`` field).
    """

    def __init__(self, records: queue.SimpleQueue[logging.LogRecord]) -> None:
        super().__init__(records)
        self.wake = threading.Event()
        """Set for a record that must not wait for the listener's next turn."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record

    def enqueue(self, record: logging.LogRecord) -> None:
        super().enqueue(record)
        if record.name != REQUESTS:
            self.wake.set()


class Writer(logging.StreamHandler):  # type: ignore[type-arg]
    """A ``StreamHandler`` that leaves flushing to its listener: the stream is flushed
    once a turn, not per record. Each flush is a system call that hands the GIL to the
    serving thread, and the listener then waits to get it back, once per line."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + self.terminator)
        except RecursionError:
            raise
        except Exception:  # as StreamHandler.emit: logging must never break the caller
            self.handleError(record)


class Listener(logging.handlers.QueueListener):
    """A ``QueueListener`` that, when records queued up while it wrote the last ones or
    it took one less than ``WRITE_EVERY`` ago, waits up to ``WRITE_EVERY`` and then
    writes what was queued in one turn: a busy server wakes it a few times a second,
    not per request log line (a server answering one request at a time keeps up, and
    would wake it for each), and between turns the serving thread has the GIL to
    itself. Any record but a request log line ends the wait (``ToQueue.wake``); after
    a quiet spell the next record is written as it comes.

    ``dequeue`` and ``enqueue_sentinel`` are the methods the standard library names for
    overriding; ``stop`` ends the wait too and still writes every queued record.
    """

    def __init__(
        self,
        records: queue.SimpleQueue[logging.LogRecord],
        *handlers: logging.Handler,
        wake: threading.Event | None = None,
    ) -> None:
        super().__init__(records, *handlers)
        self._records = records
        self._wake = wake or threading.Event()
        self._stopping = False
        self._took: float | None = None
        """When (``time.monotonic``) the last record was taken; ``None`` before the first."""
        self._turn = 0
        """Records still to take in this turn before waiting for the next."""

    def dequeue(self, block: bool) -> logging.LogRecord:
        if self._turn:  # records queued when this turn began: taken without waiting
            self._turn -= 1
            return self._records.get_nowait()
        self._flush()  # the turn is over: what it wrote goes out now
        took = self._took
        busy = took is not None and (
            time.monotonic() - took < WRITE_EVERY or not self._records.empty()
        )
        if busy and not self._stopping:
            self._wake.wait(WRITE_EVERY)  # busy: let them gather while the server runs
            self._wake.clear()
        record = self._records.get(block)  # after a quiet spell, the next comes at once
        self._turn = self._records.qsize()
        self._took = time.monotonic()
        return record

    def _flush(self) -> None:
        for handler in self.handlers:
            handler.flush()

    def enqueue_sentinel(self) -> None:
        self._stopping = True
        self._wake.set()
        super().enqueue_sentinel()

    def stop(self) -> None:
        super().stop()
        self._flush()  # the last turn's lines: the thread has ended, nothing else writes


def setup_logging(
    fmt: str = "text",
    level: str = "INFO",
    secrets: Iterable[str] = (),
    shapes: Iterable[SecretShape] = (),
    stream: TextIO | None = None,
) -> Callable[[], None]:
    """Configure the root logger for the process: records go through ``RedactSecrets``
    onto a queue, and a listener thread writes them to ``stream`` (stderr). Returns what stops the
    listener once every queued record is written (also run at exit; twice is harmless).
    """
    stop_logging()
    writer = Writer(stream or sys.stderr)
    writer.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    handler = ToQueue(records)
    handler.addFilter(RedactSecrets(secrets, shapes))
    # No format here shows the thread or the process, so records skip collecting them
    # (the logging HOWTO's "Optimization" section).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_noisy_loggers()
    listener = Listener(records, writer, wake=handler.wake)
    listener.start()
    _listeners.append(listener)
    return stop_logging


_listeners: list[logging.handlers.QueueListener] = []


def stop_logging() -> None:
    """Write every record still queued and stop the listener ``setup_logging`` started."""
    while _listeners:
        _listeners.pop().stop()


atexit.register(stop_logging)


NOISY_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "uvicorn.access")
"""Loggers that print request URLs (which may hold a platform's token) at INFO."""


def quiet_noisy_loggers() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
