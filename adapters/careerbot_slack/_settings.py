"""The Slack adapter's settings section: every ``SLACK_*`` variable. No SDK import."""

from __future__ import annotations

from typing import Annotated

from pydantic import SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from careerbot_chat.adapter import SettingsSection

from ._words import needs

__all__ = ["SlackSettings"]


class SlackSettings(SettingsSection):
    """The bot token and signing secret turn Slack on; ``SLACK_APP_TOKEN`` is for Socket Mode."""

    model_config = SettingsConfigDict(**{**SettingsSection.model_config, "env_prefix": "SLACK_"})

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_base_url: str = "https://slack.com/api/"
    moderator_ids: Annotated[tuple[str, ...], NoDecode] = ()
    in_channel: bool = False

    @field_validator("moderator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("api_base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None and self.signing_secret is not None

    def serve_problem(self) -> str | None:
        if (self.bot_token is None) == (self.signing_secret is None):
            return None
        return needs(self.env_name("signing_secret" if self.bot_token else "bot_token"))
