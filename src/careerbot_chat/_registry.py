"""The adapter registry: find platform adapters, and what each one registers, without
importing its SDK. It lives beside ``adapter.py`` (the adapters' one import), below
``preview`` and ``service``, which read it.

An adapter package registers one ``AdapterRegistration`` under the entry-point group
``careerbot_chat.adapters`` (``telegram = "careerbot_telegram:ADAPTER"``). The
registration is light: its name, its settings section, its edit pacing and its own
words, plus functions that import the platform SDK only when called: the renderer
``careerbot ask --format NAME`` prints, the platform ``careerbot serve`` mounts, the
development runner of ``careerbot run NAME`` and any subcommands of its own. The core
knows adapters only through this list, so a new platform needs no core change;
``register`` adds one in-process (tests, embedding applications).

What a registration holds is defined here too: ``SettingsSection`` (an adapter's own
environment variables) and ``SecretShape`` (what its tokens look like). The callables
that take the running bot's ``Settings`` and ``CareerBot``, or return its
``Platform`` or a ``PreviewCard``, are typed loosely (``Any``) on purpose: those
types live in ``service`` and ``preview``, above this module, and naming them here
would make the layers import each other. Their callers (``service._runtime``,
``preview._page``) hold the precise types.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ._errors import AdapterMissing

if TYPE_CHECKING:
    import re

    from .answering._reply import Reply

__all__ = [
    "GROUP",
    "AdapterRegistration",
    "CliCommand",
    "SecretShape",
    "SettingsSection",
    "find_adapter",
    "later",
    "lazy_names",
    "names",
    "needs_extra",
    "register",
    "registrations",
    "secret_shapes",
    "unregister",
]

GROUP = "careerbot_chat.adapters"
log = logging.getLogger("careerbot")


@dataclass(frozen=True, slots=True)
class SecretShape:
    """What a platform's credentials look like, so a log line never shows one, even a
    token this process was not configured with."""

    marker: str
    """A substring every match contains: the pattern runs only on text that has it."""
    pattern: re.Pattern[str]


class SettingsSection(BaseSettings):
    """One adapter's settings: fields read from ``env_prefix + FIELD`` (and ``.env``).

    Subclasses set ``model_config = SettingsConfigDict(env_prefix="NAME_", ...)`` (start
    from ``SettingsSection.model_config``) and override ``enabled``, ``serves`` and
    ``serve_problem`` to say when the platform is configured.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    @property
    def enabled(self) -> bool:
        """Credentials are present: the platform can run (at least for development)."""
        return False

    @property
    def serves(self) -> bool:
        """Configured enough for ``careerbot serve`` to mount it."""
        return self.enabled

    def serve_problem(self) -> str | None:
        """Why ``careerbot serve`` must refuse this configuration (one line), or ``None``."""
        return None

    def secrets(self) -> list[str]:
        """Every secret value of this section, for log redaction."""
        values = (getattr(self, name) for name in type(self).model_fields)
        return [
            v.get_secret_value()
            for v in values
            if isinstance(v, SecretStr) and v.get_secret_value()
        ]

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable of ``field``: ``bot_token`` → ``TELEGRAM_BOT_TOKEN``."""
        return (str(cls.model_config.get("env_prefix") or "") + field).upper()


@dataclass(frozen=True, slots=True)
class CliCommand:
    """A ``careerbot`` subcommand an adapter adds (``careerbot slack-manifest``)."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    """Run the command; returns the exit status."""
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    """Add the command's own options to its parser."""


@dataclass(frozen=True, slots=True)
class AdapterRegistration:
    """What a platform adapter tells the core about itself."""

    name: str
    """The platform's name: ``Chat.platform``, ``careerbot run NAME``, ``--format NAME``."""
    settings: type[SettingsSection]
    """Its settings section (its own environment variables)."""
    create_platform: Callable[..., Any]
    """``(settings, bot) -> Platform``: what ``careerbot serve`` mounts when the section
    ``serves``."""
    format_reply: Callable[[Reply], str]
    """What ``careerbot ask --format NAME`` prints."""
    run_dev: Callable[..., Awaitable[None]] | None = None
    """``(settings, bot)``: ``careerbot run NAME`` (polling, Socket Mode ...) until
    cancelled, when the adapter has no ``create_runner``."""
    create_runner: Callable[..., Any] | None = None
    """``(settings, bot) -> Platform`` that receives without a public URL (polling,
    Socket Mode) and has no routes: what ``careerbot run NAME`` starts, inside the same
    runtime as ``serve`` (store, content reload, pinned-card refresh, metrics)."""
    edit_pace: float = 0.0
    """Seconds between two edits of pinned cards (the platform's rate limit)."""
    setup_hint: str = ""
    """How to turn it on, in a few words (``TELEGRAM_BOT_TOKEN for Telegram``)."""
    commands: tuple[CliCommand, ...] = ()
    preview_card: Callable[[Reply, Callable[[str], str], str | None], Any] | None = None
    """``(reply, chart_source, public_url) -> PreviewCard``: ``careerbot preview``'s
    picture of the reply as this platform shows it, as an HTML fragment (given where
    chart pictures live and ``CAREERBOT_PUBLIC_URL``)."""
    preview_css: str = ""
    """The styles of those fragments."""
    secret_shapes: tuple[SecretShape, ...] = ()
    """What this platform's tokens look like: redacted from every log line."""


_REGISTERED: dict[str, AdapterRegistration] = {}


@functools.cache
def _installed() -> dict[str, AdapterRegistration]:
    found: dict[str, AdapterRegistration] = {}
    for point in entry_points(group=GROUP):
        try:
            adapter = point.load()
        except ImportError as exc:
            log.warning("adapter %s could not be loaded: %s", point.name, exc)
            continue
        if not isinstance(adapter, AdapterRegistration):
            log.warning("entry point %s is not an AdapterRegistration; ignored", point.value)
            continue
        found[adapter.name] = adapter
    return found


def registrations() -> dict[str, AdapterRegistration]:
    """Every adapter, installed (entry points, sorted by name) or registered in-process."""
    return dict(sorted({**_installed(), **_REGISTERED}.items()))


def secret_shapes() -> tuple[SecretShape, ...]:
    """Every installed platform's token shapes, for the log filter."""
    return tuple(shape for adapter in registrations().values() for shape in adapter.secret_shapes)


def register(adapter: AdapterRegistration) -> None:
    """Add ``adapter`` in this process, as if it were installed."""
    _REGISTERED[adapter.name] = adapter


def unregister(name: str) -> None:
    """Undo ``register``."""
    _REGISTERED.pop(name, None)


def find_adapter(name: str) -> AdapterRegistration:
    """The adapter called ``name``; ``AdapterMissing`` names the pip extra otherwise."""
    adapter = registrations().get(name)
    if adapter is None:
        raise AdapterMissing(
            f"no {name} adapter is installed: pip install 'careerbot-chat[{name}]'"
        )
    return adapter


def later(target: str) -> Callable[..., Any]:
    """A function that imports ``"package.module:name"`` when first called, then calls it.

    Registrations name their SDK-bound functions this way, so registering an adapter
    imports no platform SDK.
    """
    module, _, name = target.partition(":")

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def lazy_names(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each of ``names`` (name → submodule) on use."""

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(importlib.import_module(names[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


def needs_extra(name: str, exc: ImportError) -> str:
    """The one line saying an adapter's platform SDK is not installed."""
    return f"the {name} adapter needs its extra: pip install 'careerbot-chat[{name}]' ({exc})"


def names() -> list[str]:
    """The names of every adapter, without loading any (entry-point names only)."""
    return sorted({point.name for point in entry_points(group=GROUP)} | set(_REGISTERED))
