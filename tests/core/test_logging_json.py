"""JSON log lines (python-json-logger): every extra kept, tracebacks kept, precise times."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from careerbot_chat.service._logging import JsonFormatter


def test_any_extra_and_the_traceback_are_kept() -> None:
    """Fields a caller adds appear as keys; a traceback appears without any filter first."""
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "careerbot", logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info()
        )
    record.update_id = 42
    record.anything_new = {"nested": True}
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed x"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "careerbot"
    assert entry["update_id"] == 42
    assert entry["anything_new"] == {"nested": True}
    assert "RuntimeError: boom" in entry["exception"]


def test_time_has_milliseconds_and_a_zone() -> None:
    """``time`` is ISO 8601 with sub-second digits and an explicit UTC offset."""
    record = logging.LogRecord("careerbot", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 1_700_000_000.123456
    stamp = json.loads(JsonFormatter().format(record))["time"]
    parsed = dt.datetime.fromisoformat(stamp)
    assert parsed.utcoffset() == dt.timedelta(0)
    assert parsed.microsecond // 1000 == 123


def test_text_stays_readable_utf8_and_odd_values_still_encode() -> None:
    """Rupees and Hindi are written as themselves, not as ``\\u`` escapes; a value JSON
    has no type for (a path, a set) is written as text rather than losing the line."""
    record = logging.LogRecord("careerbot", logging.INFO, __file__, 1, "%s", ("₹22L सैलरी",), None)
    record.where = sys  # a module: no JSON type
    line = JsonFormatter().format(record)
    assert "₹22L सैलरी" in line
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "₹22L सैलरी"
    assert "sys" in entry["where"]


def test_uvicorns_colour_copy_of_the_message_is_left_out() -> None:
    """uvicorn adds ``color_message`` (terminal escapes); the JSON line keeps the message."""
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, "Finished server process [%d]", (7,), None
    )
    record.color_message = "Finished server process [\x1b[36m%d\x1b[0m]"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Finished server process [7]"
    assert "color_message" not in entry
