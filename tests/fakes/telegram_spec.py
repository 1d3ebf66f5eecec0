"""The published Bot API as the judge of every call the fake Telegram receives.

``specs/telegram-bot-api.json`` is Bot API 10.1's method and type list (names,
kinds, required flags; MIT data from PaulSonOfLars/telegram-bot-api-spec, see
``specs/telegram-bot-api.LICENSE``). ``BotApiSpec.check(method, params)`` returns
what Telegram would refuse about a call: an unknown method, a missing required
field, an unknown field, a value of the wrong kind, callback data over 64 bytes, a
text over 4,096 or a caption over 1,024 UTF-16 code units after entity parsing
(``MESSAGE_TOO_LONG``, ``MEDIA_CAPTION_TOO_LONG``: an emoji counts two).

Parameters arrive two ways. A form-encoded call (what python-telegram-bot sends)
carries every value as a string: strings as they are, numbers, booleans, objects
and arrays as JSON. ``decode_form`` reads each one by the kinds the spec allows for
that field, so ``text="42"`` stays a string while ``chat_id="42"`` is a number. A
webhook reply's JSON body carries the values as they are.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).parent / "specs" / "telegram-bot-api.json"
CALLBACK_DATA_MAX_BYTES = 64
TEXT_MAX_UNITS = {"text": 4096, "message_text": 4096, "caption": 1024}
"""Fields counted after entity parsing, in UTF-16 code units, in objects with a parse_mode."""
_TAG = re.compile(r"<[^>]*>")
SCALARS = frozenset({"Integer", "Float", "Boolean", "String", "True"})


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    required: bool
    kinds: tuple[str, ...]


class BotApiSpec:
    """Methods and types of one Bot API version, checked field by field."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods = {name: _fields(spec) for name, spec in data["methods"].items()}
        self.types = {name: _fields(spec) for name, spec in data["types"].items()}
        self.subtypes: dict[str, tuple[str, ...]] = {
            name: tuple(spec.get("subtypes", ())) for name, spec in data["types"].items()
        }

    def decode_form(self, method: str, form: list[tuple[str, str]]) -> dict[str, Any]:
        """Form fields decoded by the kinds the spec allows for each (unknown ones: as JSON)."""
        fields = self.methods.get(method, {})
        return {key: _decode(value, fields.get(key)) for key, value in form}

    def check(self, method: str, params: dict[str, Any]) -> list[str]:
        """Every reason Telegram would refuse ``method`` with ``params`` (empty: accepted)."""
        fields = self.methods.get(method)
        if fields is None:
            return [f"unknown method {method!r} ({self.version})"]
        return self._check_object(fields, params, method)

    def _check_object(self, fields: dict[str, Field], value: Any, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        errors = [f"{where}.{name}: unknown field" for name in value if name not in fields]
        for field in fields.values():
            if field.name not in value or value[field.name] is None:
                if field.required:
                    errors.append(f"{where}.{field.name}: required")
                continue
            errors += self._check_value(field.kinds, value[field.name], f"{where}.{field.name}")
        if "callback_data" in fields and isinstance(value.get("callback_data"), str):
            size = len(value["callback_data"].encode())
            if size > CALLBACK_DATA_MAX_BYTES:
                errors.append(f"{where}.callback_data: {size} bytes, over 64 (BUTTON_DATA_INVALID)")
        if "parse_mode" in fields:
            errors += _too_long(value, where)
        return errors

    def _check_value(self, kinds: tuple[str, ...], value: Any, where: str) -> list[str]:
        """Accepted when any allowed kind accepts it; else the closest kind's reasons."""
        best: list[str] | None = None
        for kind in kinds:
            errors = self._check_kind(kind, value, where)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        return best or [f"{where}: no kind allowed"]

    def _check_kind(self, kind: str, value: Any, where: str) -> list[str]:
        if kind.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{where}: expected {kind}, got {type(value).__name__}"]
            item = kind.removeprefix("Array of ")
            return [
                e for i, v in enumerate(value) for e in self._check_kind(item, v, f"{where}[{i}]")
            ]
        if kind in SCALARS:
            return [] if _is_scalar(kind, value) else [f"{where}: expected {kind}, got {value!r}"]
        if kind == "InputFile":
            return []  # an upload or a string (file_id / URL): the fake takes both
        if self.subtypes.get(kind):
            return self._check_value(self.subtypes[kind], value, where)
        if kind not in self.types:
            return [f"{where}: the spec has no type {kind!r}"]
        return self._check_object(self.types[kind], value, f"{where}<{kind}>")


def parsed_units(text: str, parse_mode: object) -> int:
    """What Telegram counts of ``text``: UTF-16 code units after entity parsing."""
    if parse_mode == "HTML":
        text = html.unescape(_TAG.sub("", text))
    return len(text.encode("utf-16-le")) // 2


def _too_long(value: dict[str, Any], where: str) -> list[str]:
    errors = []
    for name, limit in TEXT_MAX_UNITS.items():
        text = value.get(name)
        if isinstance(text, str) and (units := parsed_units(text, value.get("parse_mode"))) > limit:
            errors.append(f"{where}.{name}: {units} UTF-16 code units, over {limit}")
    return errors


def _is_scalar(kind: str, value: Any) -> bool:
    if kind == "String":
        return isinstance(value, str)
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "True":
        return value is True
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, int | float) and not isinstance(value, bool)  # Float


def _fields(spec: dict[str, Any]) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], bool(f["required"]), tuple(f["types"]))
        for f in spec.get("fields", ())
    }


def _decode(raw: str, field: Field | None) -> Any:
    """A form value as Telegram reads it: JSON unless the field's kinds make it a string."""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if field is not None and "String" in field.kinds and not _fits_non_string(field, value):
        return raw
    return value


def _fits_non_string(field: Field, value: Any) -> bool:
    """Whether a JSON-decoded value is meant as one of the field's other kinds."""
    for kind in field.kinds:
        if kind in ("Integer", "Float", "Boolean") and _is_scalar(kind, value):
            return True
        if kind not in SCALARS and isinstance(value, dict | list):
            return True
    return False


@cache
def bot_api_spec() -> BotApiSpec:
    """The spec in ``specs/``, read once."""
    return BotApiSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
