"""Prometheus metrics (prometheus-client, from the ``[server]`` extra).

Until ``enable()`` runs (the server calls it) every function here is a no-op, so the
core and the CLI neither import prometheus-client nor pay for counting; without the
``[server]`` extra ``enable()`` leaves them no-ops. Names follow Prometheus conventions: ``careerbot_`` prefix,
``_total`` for counters, seconds for durations.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

__all__ = [
    "REGISTRY",
    "AnswerDelivery",
    "api_error",
    "command_done",
    "content_loaded",
    "duplicate_dropped",
    "enable",
    "exposition",
    "idle_closed",
    "installations_counted",
    "pin_refresh_resumed",
    "pin_refreshed",
    "pins_recorded",
    "pins_to_refresh",
    "reload_done",
]

REGISTRY: Any = None
_M: dict[str, Any] = {}


def enable() -> bool:
    """Create the metrics (once); False when prometheus-client is not installed."""
    global REGISTRY
    if REGISTRY is not None:
        return True
    try:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
    except ImportError:  # pragma: no cover - exercised only without the [server] extra
        return False
    REGISTRY = CollectorRegistry(auto_describe=True)
    _M.update(
        commands=Counter(
            "careerbot_commands_total",
            "Commands answered",
            ["platform", "command", "outcome"],
            registry=REGISTRY,
        ),
        latency=Histogram(
            "careerbot_answer_seconds",
            "Time to answer a command",
            ["platform"],
            registry=REGISTRY,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
        ),
        content_version=Gauge(
            "careerbot_content_info",
            "Loaded content version (value 1)",
            ["version"],
            registry=REGISTRY,
        ),
        roles=Gauge("careerbot_roles_loaded", "Roles in the catalogue", registry=REGISTRY),
        reloads=Counter(
            "careerbot_content_reloads_total", "Content reloads", ["outcome"], registry=REGISTRY
        ),
        pins=Gauge("careerbot_pinned_cards", "Pinned cards recorded", registry=REGISTRY),
        installations=Gauge(
            "careerbot_installations",
            "Workspaces the app is installed in, by platform, as last counted here",
            ["platform"],
            registry=REGISTRY,
        ),
        refresh=Counter(
            "careerbot_pin_refresh_total",
            "Pinned-card refreshes",
            ["platform", "outcome"],
            registry=REGISTRY,
        ),
        refresh_remaining=Gauge(
            "careerbot_pin_refresh_remaining",
            "Pinned cards the refresh running here has yet to edit (0 when none runs)",
            registry=REGISTRY,
        ),
        refresh_resumed=Counter(
            "careerbot_pin_refresh_resumed_total",
            "Refreshes of pinned cards taken over here from a replica that left them unfinished",
            registry=REGISTRY,
        ),
        api_calls=Counter(
            "careerbot_platform_api_calls_total",
            "Platform API calls sent, by how they went out (call, webhook_reply)",
            ["platform", "method", "via"],
            registry=REGISTRY,
        ),
        api_errors=Counter(
            "careerbot_platform_api_errors_total",
            "Platform API errors",
            ["platform", "method"],
            registry=REGISTRY,
        ),
        duplicates=Counter(
            "careerbot_duplicate_updates_total",
            "Deliveries dropped as duplicates",
            ["platform"],
            registry=REGISTRY,
        ),
        rejected=Counter(
            "careerbot_http_rejected_total",
            "HTTP requests refused before reaching a platform (bad signature, malformed, "
            "too large, too slow, client gone, replayed)",
            ["reason"],
            registry=REGISTRY,
        ),
        idle_closed=Counter(
            "careerbot_http_idle_closed_total",
            "Idle kept-alive connections closed early to make room under the connection cap",
            registry=REGISTRY,
        ),
    )
    return True


_CHILDREN: dict[tuple[str, ...], Any] = {}


def _child(metric: str, *labels: str) -> Any:
    """``_M[metric].labels(*labels)``, looked up once: label sets here are few and fixed
    (platforms, commands, outcomes, methods), and ``labels()`` takes a lock each call."""
    key = (metric, *labels)
    child = _CHILDREN.get(key)
    if child is None:
        child = _CHILDREN[key] = _M[metric].labels(*labels)
    return child


Done = tuple[str, str, str, float]
"""A command counted: platform, command, outcome, seconds."""
_HELD: ContextVar[list[Done] | None] = ContextVar("careerbot_held_commands", default=None)


def command_done(platform: str, command: str, outcome: str, seconds: float) -> None:
    held = _HELD.get()
    if held is not None:  # counted once its answer's delivery is known (AnswerDelivery)
        held.append((platform, command, outcome, seconds))
    elif _M:
        _child("commands", platform, command, outcome).inc()
        _child("latency", platform).observe(seconds)


class AnswerDelivery:
    """Commands answered while ``holding()`` are counted once ``settle`` says whether
    their answer reached the chat: with the outcome they ended with if it did, else as
    ``failed``. For answers that go out after the command is answered, through a request
    that can fail on its own (Slack's ``response_url``); tasks started inside
    ``holding()`` hold their commands here too (they copy the context).
    """

    FAILED = "failed"

    def __init__(self) -> None:
        self.held: list[Done] = []

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        token = _HELD.set(self.held)
        try:
            yield
        finally:
            _HELD.reset(token)

    def settle(self, delivered: bool) -> None:
        """Count what is held: as it ended when ``delivered``, else as ``failed``."""
        held, self.held[:] = list(self.held), []
        for platform, command, outcome, seconds in held:
            command_done(platform, command, outcome if delivered else self.FAILED, seconds)


def content_loaded(version: str, roles: int) -> None:
    if _M:
        _M["content_version"].clear()
        _M["content_version"].labels(version).set(1)
        _M["roles"].set(roles)


def reload_done(outcome: str) -> None:
    if _M:
        _M["reloads"].labels(outcome).inc()


def pins_recorded(count: int) -> None:
    if _M:
        _M["pins"].set(count)


def installations_counted(platform: str, count: int) -> None:
    if _M:
        _child("installations", platform).set(count)


def pin_refreshed(platform: str, outcome: str) -> None:
    if _M:
        _M["refresh"].labels(platform, outcome).inc()


def pins_to_refresh(count: int) -> None:
    if _M:
        _M["refresh_remaining"].set(count)


def pin_refresh_resumed() -> None:
    if _M:
        _M["refresh_resumed"].inc()


def api_call(platform: str, method: str, via: str) -> None:
    """A call that went out: ``via`` is ``call`` or ``webhook_reply`` (carried by the answer)."""
    if _M:
        _child("api_calls", platform, method, via).inc()


def api_error(platform: str, method: str) -> None:
    if _M:
        _M["api_errors"].labels(platform, method).inc()


def duplicate_dropped(platform: str) -> None:
    if _M:
        _M["duplicates"].labels(platform).inc()


def request_rejected(reason: str) -> None:
    if _M:
        _M["rejected"].labels(reason).inc()


def idle_closed(count: int) -> None:
    if _M and count:
        _M["idle_closed"].inc(count)


def exposition() -> tuple[bytes, str]:
    """The metrics page and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
