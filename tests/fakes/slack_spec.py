"""The Slack Web API method list as a judge of the calls the fake Slack receives.

``specs/slack-web-api.json`` lists Slack's Web API methods with their parameters
(from slackapi/slack-api-specs, 2021, MIT: ``specs/slack-web-api.LICENSE``). It is
older than today's API, so a method or parameter it lacks may still exist and is not
held against a call; what it does say is checked: a method it lists must get every
parameter it marks required.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).parent / "specs" / "slack-web-api.json"


class WebApiSpec:
    def __init__(self, data: dict[str, Any]) -> None:
        self.required = {
            name: tuple(p["name"] for p in spec.get("params", ()) if p.get("required"))
            for name, spec in data["methods"].items()
        }

    def check(self, method: str, params: dict[str, Any]) -> list[str]:
        """What Slack would refuse: a listed method's required parameters left out."""
        return [
            f"{method}: {name} is required"
            for name in self.required.get(method, ())
            if params.get(name) in (None, "")
        ]


@cache
def web_api_spec() -> WebApiSpec:
    return WebApiSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
