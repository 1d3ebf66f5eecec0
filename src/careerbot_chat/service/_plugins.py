"""Find platform adapters, and what each one registers, without importing its SDK.

An adapter package registers one ``AdapterRegistration`` under the entry-point group
``careerbot_chat.adapters`` (``telegram = "careerbot_telegram:ADAPTER"``). The
registration is light: its name, its settings section, its edit pacing and its own
words, plus functions that import the platform SDK only when called: the renderer
``careerbot ask --format NAME`` prints, the platform ``careerbot serve`` mounts, the
development runner of ``careerbot run NAME`` and any subcommands of its own. The core
knows adapters only through this list, so a new platform needs no core change;
``register`` adds one in-process (tests, embedding applications).
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

from ._logging import SecretShape
from ._settings import SettingsSection

if TYPE_CHECKING:
    from ..answering._reply import Reply
    from ..preview._card import ChartSource, PreviewCard
    from ._bot import CareerBot
    from ._platform import Platform
    from ._settings import Settings

__all__ = [
    "GROUP",
    "AdapterMissing",
    "AdapterRegistration",
    "CliCommand",
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


class AdapterMissing(ImportError):
    """The adapter or its platform SDK is not installed."""


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
    create_platform: Callable[[Settings, CareerBot], Platform]
    """The platform ``careerbot serve`` mounts when the section ``serves``."""
    format_reply: Callable[[Reply], str]
    """What ``careerbot ask --format NAME`` prints."""
    run_dev: Callable[[Settings, CareerBot], Awaitable[None]] | None = None
    """``careerbot run NAME``: polling, Socket Mode ... until cancelled."""
    edit_pace: float = 0.0
    """Seconds between two edits of pinned cards (the platform's rate limit)."""
    setup_hint: str = ""
    """How to turn it on, in a few words (``TELEGRAM_BOT_TOKEN for Telegram``)."""
    commands: tuple[CliCommand, ...] = ()
    preview_card: Callable[[Reply, ChartSource, str | None], PreviewCard] | None = None
    """``careerbot preview``: the reply as this platform shows it, as an HTML fragment
    (given where chart pictures live and ``CAREERBOT_PUBLIC_URL``)."""
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
