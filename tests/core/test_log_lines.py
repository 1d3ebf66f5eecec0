"""Lines written in a batch (the request log) read exactly as their records would."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from careerbot_chat.service import _bot
from careerbot_chat.service._logging import setup_logging, write_info_lines

LOGGER = logging.getLogger("careerbot.requests")
LINES = [
    # A whole second (no fraction in JSON's time), two in the same second, the next one.
    (1_764_172_222.0, "slack /salary answered 0.19ms", {"platform": "slack", "latency_ms": 0.19}),
    (1_764_172_222.876_469, "telegram /role answered 1.25ms", {"command": "role"}),
    (1_764_172_222.999_9, '₹ सैलरी 100% \\ "quoted"', {"outcome": "answered"}),
    (1_764_172_223.000_5, "next second", {}),
]


@pytest.fixture
def production_logging() -> Iterator[io.StringIO]:
    """``setup_logging`` as ``careerbot serve`` runs it, its stream captured; undone after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.logThreads, logging.logProcesses
    saved_more = logging.logMultiprocessing, logging._srcfile
    stream = io.StringIO()
    yield stream
    root.handlers[:], root.level, logging.logThreads, logging.logProcesses = saved
    logging.logMultiprocessing, logging._srcfile = saved_more


def install(fmt: str, stream: io.StringIO) -> logging.Handler:
    setup_logging(fmt, "INFO", ["a-configured-secret"])
    (handler,) = logging.getLogger().handlers
    handler.setStream(stream)  # type: ignore[attr-defined]
    return handler


def as_record(created: float, message: str, fields: dict[str, Any]) -> logging.LogRecord:
    record = LOGGER.makeRecord(
        LOGGER.name, logging.INFO, "(unknown file)", 0, message, (), None, extra=fields
    )
    record.created, record.msecs = created, int((created - int(created)) * 1000) + 0.0
    return record


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_batch_reads_as_its_records_would(fmt: str, production_logging: io.StringIO) -> None:
    handler = install(fmt, production_logging)
    assert write_info_lines(LOGGER, LINES)
    written = production_logging.getvalue()
    expected = [handler.format(as_record(*line)) for line in LINES]
    assert written == "".join(f"{line}\n" for line in expected)
    if fmt == "json":
        entries = [json.loads(line) for line in written.splitlines()]
        assert entries[0]["time"] == "2025-11-26T15:50:22+00:00"
        assert entries[1]["time"].endswith(".876469+00:00")
        assert entries[0]["latency_ms"] == 0.19
    else:
        assert written.splitlines()[2].endswith(
            ',999 INFO careerbot.requests: ₹ सैलरी 100% \\ "quoted"'
        )


def test_anything_else_listening_gets_records(production_logging: io.StringIO) -> None:
    """Another handler, a logger's own filter or a disabled logger: nothing is written
    past them, and the caller logs records instead."""
    install("text", production_logging)
    extra = logging.StreamHandler(io.StringIO())
    keep_all = logging.Filter()
    for attach, detach in (
        (lambda: LOGGER.addHandler(extra), lambda: LOGGER.removeHandler(extra)),
        (
            lambda: logging.getLogger().addHandler(extra),
            lambda: logging.getLogger().removeHandler(extra),
        ),
        (lambda: LOGGER.addFilter(keep_all), lambda: LOGGER.removeFilter(keep_all)),
        (lambda: setattr(LOGGER, "disabled", True), lambda: setattr(LOGGER, "disabled", False)),
    ):
        attach()
        try:
            assert not write_info_lines(LOGGER, LINES)
        finally:
            detach()
    assert production_logging.getvalue() == ""
    assert write_info_lines(LOGGER, LINES)


def test_request_log_lines_in_production_logging(production_logging: io.StringIO) -> None:
    """The request log's batch goes out as JSON lines with its fields and each answer's time."""
    install("json", production_logging)
    _bot.request_log._waiting[:] = [
        (1_764_172_222.5, "slack", "salary", "answered", 0.000_25),
        (1_764_172_223.25, "telegram", "role", "not_found", 0.001_5),
    ]
    _bot.request_log.flush()
    first, second = (json.loads(line) for line in production_logging.getvalue().splitlines())
    assert first["message"] == "slack /salary answered 0.25ms"
    assert {k: first[k] for k in ("platform", "command", "outcome", "latency_ms")} == {
        "platform": "slack",
        "command": "salary",
        "outcome": "answered",
        "latency_ms": 0.25,
    }
    assert first["time"] == "2025-11-26T15:50:22.500000+00:00"
    assert second["logger"] == "careerbot.requests"
    assert second["time"] == "2025-11-26T15:50:23.250000+00:00"
    assert not _bot.request_log._waiting
