"""Configuration from the environment and a ``.env`` file (pydantic-settings).

``Settings.load()`` checks everything at start: a missing or malformed setting stops
the process with one line naming it. Secrets are ``SecretStr``: they print as
``**********`` in reprs, logs and error messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ..store._sqlite import DEFAULT_DATABASE_URL


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    content_dir: Path | None = Field(None, validation_alias=_env("CAREERBOT_CONTENT_DIR"))
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("CAREERBOT_DATABASE_URL"))
    log_format: Literal["text", "json"] = Field(
        "text", validation_alias=_env("CAREERBOT_LOG_FORMAT")
    )
    log_level: str = Field("INFO", validation_alias=_env("CAREERBOT_LOG_LEVEL"))
    reload_max_drop: float = Field(
        0.5,
        ge=0,
        le=1,
        validation_alias=_env("CAREERBOT_RELOAD_MAX_DROP"),
        description="Largest share of roles a content reload may remove (never all of them).",
    )

    telegram_bot_token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias=_env("TELEGRAM_WEBHOOK_SECRET")
    )
    telegram_webhook_url: str | None = Field(None, validation_alias=_env("TELEGRAM_WEBHOOK_URL"))
    telegram_rate_limit: float = Field(
        30.0,
        ge=0,
        validation_alias=_env("TELEGRAM_RATE_LIMIT"),
        description="Messages per second overall (Telegram's limit: 30); 0 turns it off.",
    )
    telegram_group_rate_limit: float = Field(
        20.0,
        ge=0,
        validation_alias=_env("TELEGRAM_GROUP_RATE_LIMIT"),
        description="Messages per minute to one group (Telegram's limit: 20); 0 turns it off.",
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org", validation_alias=_env("TELEGRAM_API_BASE_URL")
    )

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_base_url: str = Field(
        "https://slack.com/api/", validation_alias=_env("SLACK_API_BASE_URL")
    )
    slack_moderator_ids: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias=_env("SLACK_MODERATOR_IDS")
    )
    slack_in_channel: bool = Field(False, validation_alias=_env("SLACK_IN_CHANNEL"))

    @field_validator("slack_moderator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # The Bot API accepts 1–256 characters of A-Z a-z 0-9 _ -.
        if value is not None:
            raw = value.get_secret_value()
            if (
                not raw
                or len(raw) > 256
                or not all(c.isascii() and (c.isalnum() or c in "_-") for c in raw)
            ):
                raise ValueError("must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        scheme = value.partition("://")[0].lower() if "://" in value else ""
        if scheme not in ("sqlite", "postgres", "postgresql"):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @field_validator("telegram_api_base_url", "slack_api_base_url", "telegram_webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    def secrets(self) -> list[str]:
        """Every secret value, for log redaction."""
        fields = (
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
        )
        return [f.get_secret_value() for f in fields if f is not None and f.get_secret_value()]

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Read the environment; raise ``SettingsError`` with one line per bad setting."""
        try:
            return cls(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            lines = []
            for error in exc.errors(include_url=False, include_input=False):
                name = str(error["loc"][0]).upper() if error["loc"] else "settings"
                lines.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
            raise SettingsError("; ".join(lines)) from None


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it, never its value."""
