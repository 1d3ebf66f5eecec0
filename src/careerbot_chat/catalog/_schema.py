"""The JSON Schema of a role file, as ``careerbot schema`` prints and content/schema.json holds."""

from __future__ import annotations

import json

from ._models import Role

__all__ = ["role_schema", "schema_json"]


def role_schema() -> dict[str, object]:
    schema = Role.model_json_schema(by_alias=True, mode="validation")
    properties = schema.get("properties")
    if isinstance(properties, dict):
        properties["$schema"] = {"type": "string", "description": "Path of this schema."}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_json() -> str:
    return json.dumps(role_schema(), indent=2, ensure_ascii=False) + "\n"
