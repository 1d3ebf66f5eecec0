"""The JSON Schema of a role file, as ``careerbot schema`` prints and content/schema.json holds."""

from __future__ import annotations

import json

from ._loader import SCHEMA_KEY
from ._validate import role_adapter

__all__ = ["role_schema", "schema_json"]


def role_schema() -> dict[str, object]:
    schema = role_adapter().json_schema(by_alias=True, mode="validation")
    properties = schema.get("properties")
    if isinstance(properties, dict):  # the file may name its schema; the role has no such field
        own = {"type": "string", "description": "Path of this schema."}
        schema["properties"] = {SCHEMA_KEY: own, **properties}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_json() -> str:
    return json.dumps(role_schema(), indent=2, ensure_ascii=False) + "\n"
