"""Logging set-up: text or JSON lines, and secrets redacted from every record.

The ``httpx`` logger prints request URLs at INFO, and a platform's request URL may hold
its token; it is turned down to WARNING and, as a second line of defence, every
record passes ``RedactSecrets`` before it is written: the configured secrets, and
anything shaped like a credential of an installed platform (each adapter registers
its ``SecretShape``s). Every message is also kept to one line (control characters
escaped, so text from outside cannot forge a record) of at most ``MAX_MESSAGE``
characters; a traceback stays whole.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

if TYPE_CHECKING:
    from .._registry import SecretShape

__all__ = [
    "MASK",
    "NOISY_LOGGERS",
    "JsonFormatter",
    "RedactSecrets",
    "TextFormatter",
    "quiet_noisy_loggers",
    "setup_logging",
    "write_info_lines",
]

MASK = "[redacted]"
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
        self._second: int | None = None
        self._stamp = ""

    def info_line(self, logger: str, created: float, message: str, fields: dict[str, Any]) -> str:
        """What ``format`` makes of an INFO record with these parts (``fields`` are not
        shown in text), without building the record."""
        second = int(created)
        if second != self._second:  # a batch's lines share their seconds
            self._second, self._stamp = (
                second,
                time.strftime(self.default_time_format, self.converter(created)),
            )
        return f"{self._stamp},{int((created - second) * 1000):03d} INFO {logger}: {message}"


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

    def info_line(self, logger: str, created: float, message: str, fields: dict[str, Any]) -> str:
        """What ``format`` makes of an INFO record with these parts and ``fields`` as its
        extras, without building the record."""
        time_ = dt.datetime.fromtimestamp(created, tz=dt.UTC)
        entry = {"level": "INFO", "logger": logger, "message": message, **fields, "time": time_}
        return self.jsonify_log_record(entry)


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler ``setup_logging`` installs (the one ``write_info_lines`` writes through)."""

    formatter: TextFormatter | JsonFormatter


def write_info_lines(
    logger: logging.Logger, lines: Sequence[tuple[float, str, dict[str, Any]]]
) -> bool:
    """Write ``lines`` (time, message, extra fields) as INFO records of ``logger`` would
    be written, in one write; False, with nothing written, unless ``setup_logging``'s
    handler is the only one that would see them (no other handler, no filter of a
    logger's own): the caller then logs them as records.

    Building and handling a record costs 10-16 µs a line; this, about 2 (docs/benchmarks.md).
    Only for lines that hold no text from outside: ``RedactSecrets`` does not see them.
    """
    handler = _sole_handler(logger)
    if handler is None:
        return False
    line = handler.formatter.info_line
    text = "".join(
        f"{line(logger.name, created, message, fields)}\n" for created, message, fields in lines
    )
    with handler.lock:  # type: ignore[union-attr]
        handler.stream.write(text)
        handler.flush()
    return True


def _sole_handler(logger: logging.Logger) -> _Handler | None:
    if logger.disabled:
        return None
    found: _Handler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if found is not None or type(handler) is not _Handler or handler.level > logging.INFO:
                return None
            if not isinstance(handler.formatter, TextFormatter | JsonFormatter):
                return None  # formatted some other way since
            if any(type(f) is not RedactSecrets for f in handler.filters):
                return None
            found = handler
        if not current.propagate:
            break
        current = current.parent
    return found


def setup_logging(
    fmt: str = "text",
    level: str = "INFO",
    secrets: Iterable[str] = (),
    shapes: Iterable[SecretShape] = (),
) -> None:
    """Configure the root logger once for the process."""
    handler = _Handler()
    handler.addFilter(RedactSecrets(secrets, shapes))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    # No format here shows the thread, the process or the caller's file and line, so
    # records skip collecting them (the logging HOWTO's "Optimization" section).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    quiet_noisy_loggers()


NOISY_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "uvicorn.access")
"""Loggers that print request URLs (which may hold a platform's token) at INFO."""


def quiet_noisy_loggers() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
