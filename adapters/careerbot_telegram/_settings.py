"""The Telegram adapter's settings section: every ``TELEGRAM_*`` variable. No SDK import."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from careerbot_chat.adapter import SettingsSection

from ._words import SERVE_PROBLEM

__all__ = ["TelegramSettings"]


class TelegramSettings(SettingsSection):
    """``TELEGRAM_BOT_TOKEN`` turns Telegram on; serving its webhook also needs the secret."""

    model_config = SettingsConfigDict(**{**SettingsSection.model_config, "env_prefix": "TELEGRAM_"})

    bot_token: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    webhook_url: str | None = None
    rate_limit: float = Field(
        30.0,
        ge=0,
        description="Messages per second overall (Telegram's limit: 30); 0 turns it off.",
    )
    group_rate_limit: float = Field(
        20.0,
        ge=0,
        description="Messages per minute to one group (Telegram's limit: 20); 0 turns it off.",
    )
    api_base_url: str = "https://api.telegram.org"
    redis_url: str | None = Field(
        None,
        validation_alias=AliasChoices("CAREERBOT_REDIS_URL", "careerbot_redis_url", "redis_url"),
        description="Replicas share the flood budget in this Redis (else in PostgreSQL "
        "when that is the database, else in process).",
    )

    @field_validator("webhook_secret")
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

    @field_validator("api_base_url", "webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None

    @property
    def serves(self) -> bool:
        return self.enabled and self.webhook_secret is not None

    def serve_problem(self) -> str | None:
        return SERVE_PROBLEM if self.enabled and self.webhook_secret is None else None
