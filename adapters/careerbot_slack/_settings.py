"""The Slack adapter's settings section: every ``SLACK_*`` variable. No SDK import."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from careerbot_chat.adapter import SettingsSection

from ._words import TWO_MODES, needs

__all__ = ["SlackSettings"]


class SlackSettings(SettingsSection):
    """The signing secret and one mode turn Slack on: ``SLACK_BOT_TOKEN`` (one workspace)
    or ``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET`` (any number, installed with Add to
    Slack, tokens in the database; encrypted there with ``CAREERBOT_SECRET_KEY`` when set).
    ``SLACK_APP_TOKEN`` is for Socket Mode."""

    model_config = SettingsConfigDict(
        **{**SettingsSection.model_config, "env_prefix": "SLACK_", "populate_by_name": True}
    )

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    secret_key: SecretStr | None = Field(default=None, validation_alias="CAREERBOT_SECRET_KEY")
    """Encrypts the workspaces' tokens at rest (Add to Slack mode)."""
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
    def oauth(self) -> bool:
        """The Add to Slack mode: any number of workspaces, each installed through OAuth."""
        return self.client_id is not None and self.client_secret is not None

    @property
    def enabled(self) -> bool:
        """Slack can run: served over HTTP, or over Socket Mode (``careerbot run``), which
        needs the bot and app tokens and no signing secret."""
        return self.serves or (self.bot_token is not None and self.app_token is not None)

    @property
    def serves(self) -> bool:
        mode = self.bot_token is not None or self.oauth
        return mode and self.signing_secret is not None

    def serve_problem(self) -> str | None:
        pair = (self.client_id is not None, self.client_secret is not None)
        if self.bot_token is not None and any(pair):
            return TWO_MODES
        if pair[0] != pair[1]:
            return needs(self.env_name("client_secret" if pair[0] else "client_id"))
        mode = self.bot_token is not None or self.oauth
        if mode == (self.signing_secret is not None):
            return None
        return needs(self.env_name("bot_token" if self.signing_secret else "signing_secret"))
