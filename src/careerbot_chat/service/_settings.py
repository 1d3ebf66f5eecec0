"""Configuration from the environment and a ``.env`` file (pydantic-settings).

``Settings`` holds the core's own settings (``CAREERBOT_*``) and one section per
installed adapter: each adapter registers a ``SettingsSection`` subclass with its
own environment variables (``env_prefix``, such as ``TELEGRAM_``), its own checks
and its own idea of "configured". The core reads sections only through that
interface, so it names no platform.

``Settings.load()`` checks everything at start: a missing or malformed setting stops
the process with one line naming the variable. Secrets are ``SecretStr``: they print
as ``**********`` in reprs, logs and error messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .._errors import SettingsError
from .._registry import SettingsSection, registrations
from ..store._contract import DEFAULT_DATABASE_URL

__all__ = ["Settings"]

S = TypeVar("S", bound="SettingsSection")


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """The core's settings and every registered adapter's section.

    ``Settings(telegram_bot_token=...)`` and ``settings.telegram_bot_token`` reach the
    ``telegram`` section's ``bot_token``: keyword overrides and attribute reads named
    ``<section>_<field>`` go to that section, whatever the adapter.
    """

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
    internal_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        validation_alias=_env("CAREERBOT_INTERNAL_PORT"),
        description="Serve /healthz, /readyz and /metrics only on this port, not the public one.",
    )
    http_read_timeout: float = Field(
        10.0,
        gt=0,
        validation_alias=_env("CAREERBOT_HTTP_READ_TIMEOUT"),
        description="Seconds a client has to send a request's body once its headers are in, "
        "and that an idle kept-alive connection stays open (headers: the proxy's deadline).",
    )
    http_max_connections: int = Field(
        1000,
        ge=1,
        validation_alias=_env("CAREERBOT_HTTP_MAX_CONNECTIONS"),
        description="Open connections served at once (lowered to fit the open-files limit).",
    )
    unanswered_retention_days: int = Field(
        90,
        ge=0,
        validation_alias=_env("CAREERBOT_UNANSWERED_RETENTION_DAYS"),
        description="Days the text of questions the bot could not answer is kept for /stats "
        "(their counts stay); 0 stores none of it.",
    )
    public_url: str | None = Field(
        None,
        validation_alias=_env("CAREERBOT_PUBLIC_URL"),
        description="The https base URL at which the platforms reach `careerbot serve`.",
    )
    preview_token: SecretStr | None = Field(
        None,
        validation_alias=_env("CAREERBOT_PREVIEW_TOKEN"),
        description="Turns on /preview in `careerbot serve`, behind this token.",
    )

    _sections: dict[str, SettingsSection] = PrivateAttr(default_factory=dict)

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        scheme = value.partition("://")[0].lower() if "://" in value else ""
        if scheme not in ("sqlite", "postgres", "postgresql"):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    def __init__(self, **values: Any) -> None:
        options = {key: value for key, value in values.items() if key.startswith("_")}
        kinds = {name: adapter.settings for name, adapter in registrations().items()}
        own, by_section = _split(values, kinds)
        lines: list[str] = []
        try:
            super().__init__(**options, **own)
        except ValidationError as exc:
            lines += _lines(exc, _core_env_name)
        sections: dict[str, SettingsSection] = {}
        for name, kind in kinds.items():
            try:
                sections[name] = kind(**options, **by_section[name])
            except ValidationError as exc:
                lines += _lines(exc, kind.env_name)
        if lines:
            raise SettingsError("; ".join(lines))
        self._sections = sections

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
            raise ValueError(
                "must be the server's https:// base URL, such as https://bot.example.org"
            )
        return value

    @field_validator("preview_token")
    @classmethod
    def _preview_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (it guards unreleased content)")
        return value

    @property
    def sections(self) -> Mapping[str, SettingsSection]:
        """Each registered adapter's settings, by adapter name."""
        return self._sections

    def section(self, kind: type[S]) -> S:
        """The section of type ``kind`` (an adapter asks for its own)."""
        for section in self._sections.values():
            if isinstance(section, kind):
                return section
        raise LookupError(f"no settings section {kind.__name__}: is its adapter registered?")

    def secrets(self) -> list[str]:
        """Every secret value, for log redaction."""
        own = [self.preview_token.get_secret_value()] if self.preview_token else []
        return own + [secret for section in self._sections.values() for secret in section.secrets()]

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Read the environment; raise ``SettingsError`` with one line per bad setting."""
        return cls(**overrides)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            try:
                return super().__getattr__(name)
            except AttributeError:
                pass
            for section_name, section in self.__pydantic_private__["_sections"].items():
                field = name.removeprefix(section_name + "_")
                if field != name and hasattr(section, field):
                    return getattr(section, field)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _split(
    values: Mapping[str, Any], kinds: Mapping[str, type[SettingsSection]]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Keyword values for the core's fields, and ``<section>_<field>`` ones per section."""
    own: dict[str, Any] = {}
    by_section: dict[str, dict[str, Any]] = {name: {} for name in kinds}
    for key, value in values.items():
        if key.startswith("_"):
            continue
        for name, kind in kinds.items():
            field = key.removeprefix(name + "_")
            if field != key and field in kind.model_fields:
                by_section[name][field] = value
                break
        else:
            own[key] = value
    return own, by_section


def _core_env_name(field: str) -> str:
    """``database_url`` or (read from the environment) ``CAREERBOT_DATABASE_URL``: the latter."""
    name = field.upper()
    return name if name.startswith("CAREERBOT_") else f"CAREERBOT_{name}"


def _lines(error: ValidationError, env_name: Any) -> list[str]:
    """One ``NAME: reason`` line per problem, never the value."""
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        name = str(env_name(str(item["loc"][0]))) if item["loc"] else "settings"
        lines.append(f"{name}: {item['msg'].removeprefix('Value error, ')}")
    return lines
