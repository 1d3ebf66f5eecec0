"""``careerbot serve``: one Starlette application under uvicorn, and the run commands.

Routes: ``GET /healthz`` (alive), ``GET /readyz`` (content loaded and database
reachable, else 503 naming what is not ready; 200 ``degraded`` naming a platform
still being started), ``GET
/metrics`` (Prometheus), ``GET
/charts/<role>-<version>.png`` (pay charts, public), ``/preview`` (only with
``CAREERBOT_PREVIEW_TOKEN``), plus each configured platform's routes
(``POST /telegram/webhook``, ``POST /slack/events``).

With an internal port (``--internal-port`` or ``CAREERBOT_INTERNAL_PORT``) the same
server listens twice: health, readiness and metrics answer only on the internal
port, everything else only on the public one, so publishing the public port (compose,
a Service behind an Ingress) never publishes ``/metrics`` or ``/readyz``.
uvicorn handles SIGTERM gracefully: it stops accepting, lets in-flight requests
finish, then the lifespan stops the platforms (which drain what they accepted); the
log's queue is written out last, and the exit status is 0. Which protections against
slow and excess clients come from uvicorn, from our ASGI code and from the reverse
proxy: ``_guard``.

``careerbot serve`` starts the runtime before uvicorn binds, so a start that cannot
succeed (a rejected token) is one line on stderr and exit status 1, with everything
opened so far closed again.

``careerbot run NAME`` runs the same runtime around the adapter's runner (a platform
that receives by polling or Socket Mode, with no route) and no public server: only
health, readiness and metrics, on the internal port when one is set (``_run_platform``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from .._errors import AdapterMissing, SettingsError, StartupError
from .._registry import find_adapter, needs_extra, registrations, secret_shapes
from ..catalog._loader import require_role_files
from ..chart._spec import CHARTS_PATH
from ..preview._card import Drawer
from ._bot import CareerBot
from ._logging import setup_logging, stop_logging
from ._platform import Platform
from ._runtime import ESSENTIAL, Runtime, setup_hints
from ._settings import Settings

__all__ = [
    "CHART_CACHE",
    "GRACEFUL_SHUTDOWN_SECONDS",
    "chart_route",
    "create_app",
    "load_settings",
    "preview_drawers",
    "refresh_pins_command",
    "retire_roles_command",
    "run_command",
    "serve",
    "serve_command",
]

log = logging.getLogger("careerbot.server")

GRACEFUL_SHUTDOWN_SECONDS = 25


INTERNAL_PATHS = ("/healthz", "/readyz", "/metrics")


def create_app(runtime: Runtime, *, split: bool = False, start: bool = True) -> Any:
    """The ASGI application for ``runtime``; with ``split``, a ``PortSplit`` whose
    internal app holds ``INTERNAL_PATHS`` and whose public app holds the rest. Its
    lifespan starts the runtime (unless ``start`` is false: already started) and stops it."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from . import _metrics as metrics
    from ._guard import BodyDeadline, exception_handlers

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        # Content and database decide readiness; a platform still starting only degrades
        # it: taking the replica out of service would stop the platforms that do work.
        parts = await runtime.readiness()
        blocking = [part for part in parts if part in ESSENTIAL]
        if blocking:
            reason = ", ".join(blocking) + " not ready"
            body = {"status": "unavailable", "reason": reason, "not_ready": blocking}
            return JSONResponse(body, status_code=503)
        catalog = runtime.holder.catalog
        ready: dict[str, object] = {"status": "ready", "roles": len(catalog)}
        ready["content"] = catalog.version
        if parts:
            ready |= {"status": "degraded", "degraded": parts}
        return JSONResponse(ready)

    async def metrics_page(request: Request) -> Response:
        body, content_type = metrics.exposition()
        return PlainTextResponse(body, media_type=content_type)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if start:
            await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    internal: list[Any] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    public: list[Any] = [route for platform in runtime.platforms for route in platform.routes()]
    public.append(Route(f"{CHARTS_PATH}/{{name}}", chart_route(runtime), methods=["GET"]))
    public.extend(_preview_routes(runtime))
    deadline = Middleware(BodyDeadline, timeout=runtime.settings.http_read_timeout)

    def app(routes: list[Any], **options: Any) -> Starlette:
        return Starlette(
            routes=routes, middleware=[deadline], exception_handlers=exception_handlers(), **options
        )

    if not split:
        return app(public + internal, lifespan=lifespan)
    return PortSplit(app(public, lifespan=lifespan), app(internal))


class PortSplit:
    """Two ASGI apps behind one server: a request that came in on ``internal_port`` goes
    to ``internal``, every other one (and the lifespan) to ``public``."""

    def __init__(self, public: Any, internal: Any) -> None:
        self.public = public
        self.internal = internal
        self.internal_port: int | None = None
        """Set once the internal socket is bound."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        server = scope.get("server") if scope["type"] != "lifespan" else None
        if server is not None and server[1] == self.internal_port:
            await self.internal(scope, receive, send)
        else:
            await self.public(scope, receive, send)


CHART_CACHE = "public, max-age=31536000, immutable"
"""A chart's name holds its version: the bytes behind a name never change."""


def chart_route(runtime: Runtime) -> Any:
    """``GET /charts/<role>-<version>.png``: public, cacheable, 404 for unknown names."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response

    from ..chart import chart_spec, parse_key, render_png

    async def chart(request: Request) -> Response:
        name: str = request.path_params["name"]
        parsed = parse_key(name.removesuffix(".png")) if name.endswith(".png") else None
        role = runtime.holder.catalog.get(parsed[0]) if parsed else None
        spec = chart_spec(role) if role else None
        if spec is None or parsed is None or spec.version != parsed[1]:
            return PlainTextResponse("no such chart", status_code=404)
        png = await asyncio.to_thread(render_png, spec)
        return Response(png, media_type="image/png", headers={"Cache-Control": CHART_CACHE})

    return chart


def _preview_routes(runtime: Runtime) -> list[Any]:
    """``/preview`` behind ``CAREERBOT_PREVIEW_TOKEN``; not mounted (404) without it."""
    token = runtime.settings.preview_token
    if token is None:
        return []
    from ..preview import preview_routes
    from ..preview._state import PreviewState

    state = PreviewState(runtime.holder.catalog, runtime.holder.content_dir)
    return preview_routes(
        state,
        preview_drawers(),
        token=token.get_secret_value(),
        public_url=runtime.settings.public_url,
    )


def preview_drawers() -> dict[str, Drawer]:
    """Each registered adapter that draws previews, as the preview's ``Drawer``, by name."""
    return {
        name: Drawer(adapter.preview_card, adapter.preview_css)
        for name, adapter in registrations().items()
        if adapter.preview_card is not None
    }


def load_settings() -> Settings:
    """Settings from the environment, or exit 2 with one line naming the bad setting."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"careerbot: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    return settings


def _settings_and_logging() -> Settings:
    """``load_settings``, then the process's logging as they configure it, with every
    installed platform's token shapes redacted."""
    settings = load_settings()
    setup_logging(settings.log_format, settings.log_level, settings.secrets(), secret_shapes())
    return settings


def _check_serve(settings: Settings) -> None:
    """Exit 2 with one line when a platform's settings cannot be served as they are."""
    for section in settings.sections.values():
        problem = section.serve_problem()
        if problem is not None:
            print(f"careerbot: configuration error: {problem}", file=sys.stderr)
            raise SystemExit(2)
    public = settings.public_url
    if public is not None and not _https_or_loopback(public):
        # Slack fetches chart images and the manifest names this URL: https only (a
        # loopback http URL is let through for trying the server on one machine).
        print(
            "careerbot: configuration error: CAREERBOT_PUBLIC_URL must be an https:// URL "
            f"(such as https://bot.example.org), not {public!r}",
            file=sys.stderr,
        )
        raise SystemExit(2)


def _https_or_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    loopback = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    return parts.scheme == "https" or (parts.scheme == "http" and loopback)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    _check_serve(settings)
    # A mistyped content folder is an error here, not a server with no roles.
    require_role_files(args.content or settings.content_dir)
    runtime = Runtime(settings, args.content, watch=getattr(args, "watch", False))
    return asyncio.run(_serve(runtime, settings, args))


async def _serve(runtime: Runtime, settings: Settings, args: argparse.Namespace) -> int:
    """Start the runtime, then serve until SIGTERM; 1 if it could not start."""
    import uvicorn
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from ._guard import IdleGiveWay, connection_cap, quiet_repeated_warnings, server_limits

    internal_port = getattr(args, "internal_port", None) or settings.internal_port
    if internal_port is not None and internal_port == args.port:
        print("careerbot: the internal port must differ from --port", file=sys.stderr)
        return 2
    try:
        await runtime.start()
    except StartupError as exc:
        print(f"careerbot: cannot start: {exc}", file=sys.stderr)
        return 1
    cap = connection_cap(settings.http_max_connections)
    if cap < settings.http_max_connections:
        log.warning("serving at most %d connections at once: the open-files limit is low", cap)
    quiet_repeated_warnings()
    # What start-up built (modules, content, the search index) lives as long as the
    # process: kept out of the collector's way, full collections stay short under load.
    gc.freeze()
    app = create_app(runtime, split=internal_port is not None, start=False)
    guard = IdleGiveWay(app, cap, keep_alive=settings.http_read_timeout)
    config = uvicorn.Config(
        guard,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        # Applied inside the guard below: it tells connections apart by the client
        # address uvicorn saw, which the proxy headers replace.
        proxy_headers=False,
        server_header=False,
        # An idle kept-alive connection closes after the read deadline; the proxy in
        # front (deploy/nginx.conf) lets its own upstream connections go sooner.
        **server_limits(settings.http_read_timeout, cap),
    )
    guard.app = ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)
    server = uvicorn.Server(config)
    guard.watch(server.server_state.connections)
    try:
        sockets = [config.bind_socket()]
        if internal_port is not None:
            internal = uvicorn.Config(app, host=args.host, port=internal_port, log_config=None)
            sockets.append(internal.bind_socket())
            app.internal_port = sockets[1].getsockname()[1]
            log.info(
                "serving on http://%s:%d; health, readiness and metrics on port %d",
                args.host,
                args.port,
                app.internal_port,
            )
        else:
            log.info("serving on http://%s:%d", args.host, args.port)
        with _stopped_by_signal():
            await server.serve(sockets=sockets)
    except SystemExit as exc:  # uvicorn could not listen; its one log line says why
        return 1 if exc.code else 0
    finally:  # the lifespan stops it too, unless uvicorn never got that far
        await runtime.stop()
    return 0 if server.started else 1


@contextlib.contextmanager
def _stopped_by_signal() -> Iterator[None]:
    """SIGINT and SIGTERM, once uvicorn has stopped gracefully and raised them again,
    end the serve call instead of the process: what follows (the runtime stopped, the
    log written out) still runs, and the exit status is 0."""
    caught: list[int] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda sig, frame: caught.append(sig)) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_command(args: argparse.Namespace) -> int:
    settings = _settings_and_logging()
    try:
        return serve(settings, args)
    finally:
        stop_logging()  # every record still queued is written before the process ends


def run_command(args: argparse.Namespace) -> int:
    """``careerbot run [PLATFORM]``: one platform without a public URL (polling, Socket
    Mode), or whatever is configured."""
    settings = _settings_and_logging()
    try:
        return _run(settings, args)
    finally:
        stop_logging()


def _run(settings: Settings, args: argparse.Namespace) -> int:
    platform = args.platform
    if platform is None:
        sections = settings.sections.values()
        if any(section.serves for section in sections):
            return serve(settings, args)
        platform = _dev_platform(settings)
        if platform is None:
            from ..catalog._loader import load_catalog
            from ._console import console_chat

            print(
                f"No platform configured ({setup_hints()}): starting the console chat.\n",
                file=sys.stderr,
            )
            return console_chat(load_catalog(args.content or settings.content_dir))
    return asyncio.run(_run_dev(settings, args, platform))


def _dev_platform(settings: Settings) -> str | None:
    """The first configured platform that can run without serving (polling), if any."""
    adapters = registrations()
    return next(
        (
            name
            for name, section in settings.sections.items()
            if section.enabled
            and name in adapters
            and (adapters[name].create_runner or adapters[name].run_dev) is not None
        ),
        None,
    )


async def _run_dev(settings: Settings, args: argparse.Namespace, platform: str) -> int:
    try:
        adapter = find_adapter(platform)
    except AdapterMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    if adapter.create_runner is not None:
        return await _run_platform(settings, args, platform, adapter.create_runner)
    if adapter.run_dev is None:
        print(
            f"careerbot: {platform} has no development mode; use `careerbot serve`", file=sys.stderr
        )
        return 2
    runtime = Runtime(settings, args.content, platforms=[])
    await runtime.start(warn_without_platforms=False)
    try:
        await adapter.run_dev(settings, runtime.bot)
    except StartupError as exc:
        # Development at a terminal: say so and stop (``serve`` retries instead).
        print(f"careerbot: cannot start {platform}: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(needs_extra(platform, exc), file=sys.stderr)
        return 1
    finally:
        await runtime.stop()
    return 0


async def _run_platform(
    settings: Settings,
    args: argparse.Namespace,
    name: str,
    create_runner: Callable[[Settings, CareerBot], Platform],
) -> int:
    """``careerbot run NAME`` with the adapter's runner (polling, Socket Mode) inside the
    runtime ``serve`` has: the store, content reload on SIGHUP, pinned cards refreshed on
    start and after a reload, and with an internal port /healthz, /readyz and /metrics.

    SIGINT or SIGTERM stops it: the runner finishes what it has in hand, then the
    runtime stops (usage written, store closed); the status is 0. A start that cannot
    succeed (a token rejected, at start a Bot API that cannot be reached) is one line
    and 1; a missing setting is a ``SettingsError`` (one line and 2, from the CLI).
    """
    internal_port = getattr(args, "internal_port", None) or settings.internal_port
    runtime = Runtime(settings, args.content, platforms=[])
    try:
        platform: Platform = create_runner(settings, runtime.bot)
    except ImportError as exc:
        print(needs_extra(name, exc), file=sys.stderr)
        return 1
    stop = asyncio.Event()
    attached = False
    with _stopping_on_signal(stop):
        try:
            await runtime.start(warn_without_platforms=False)
            async with _internal_server(runtime, args.host, internal_port) as listening:
                if not listening:
                    return 1
                if not await _started_unless_stopped(platform, stop):
                    return 0  # stopped while it was still connecting
                runtime.attach(platform)
                attached = True
                await stop.wait()
                log.info("stopping: finishing the work in hand")
        except StartupError as exc:
            print(f"careerbot: cannot start {name}: {exc}", file=sys.stderr)
            return 1
        finally:
            if not attached:
                await platform.stop()
            await runtime.stop()  # an attached platform first; again after a failed start: harmless
    return 0


async def _started_unless_stopped(platform: Platform, stop: asyncio.Event) -> bool:
    """Start ``platform``; ``False`` if ``stop`` was set first (the start is cancelled)."""
    starting = asyncio.ensure_future(platform.start())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait((starting, stopping), return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if starting.done():
        starting.result()  # its StartupError, if any
        return True
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await starting
    return False


@contextlib.contextmanager
def _stopping_on_signal(stop: asyncio.Event) -> Iterator[None]:
    """Set ``stop`` on SIGINT or SIGTERM while inside (the event loop's handlers)."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def _internal_server(runtime: Runtime, host: str, port: int | None) -> AsyncIterator[bool]:
    """/healthz, /readyz and /metrics on ``port`` while inside (nothing without a port);
    yields ``False`` when the port cannot be listened on (uvicorn's one line says why).

    uvicorn takes SIGINT and SIGTERM while it serves and raises them again once
    stopped; the loop's handlers (``_stopping_on_signal``) hear them either way.
    """
    if port is None:
        yield True
        return
    import uvicorn

    app = create_app(runtime, split=True, start=False)
    config = uvicorn.Config(
        app.internal,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    try:
        sock = config.bind_socket()
    except SystemExit:
        yield False
        return
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    log.info("health, readiness and metrics on http://%s:%d", host, sock.getsockname()[1])
    try:
        yield True
    finally:
        server.should_exit = True
        await serving
        sock.close()


def refresh_pins_command(args: argparse.Namespace) -> int:
    """``careerbot refresh-pins``: edit pinned cards whose content changed, and report."""
    settings = _settings_and_logging()
    try:
        return asyncio.run(_refresh_once(settings, args))
    finally:
        stop_logging()


async def _refresh_once(settings: Settings, args: argparse.Namespace) -> int:
    runtime = Runtime(settings, args.content, refresh_on_start=False)
    try:
        await runtime.start(warn_without_platforms=False)
    except StartupError as exc:
        print(f"careerbot: cannot start: {exc}", file=sys.stderr)
        return 1
    try:
        if not runtime.store_open:
            print(f"careerbot: database unavailable: {runtime.store_error}", file=sys.stderr)
            return 1
        report = await runtime.refresh()
    finally:
        await runtime.stop()
    for pin in report.edited:
        print(
            f"edited   {pin.platform}:{pin.chat_id} message {pin.message_id} ({pin.role}, {pin.card})"
        )
    for pin in report.stale:
        print(
            f"outdated {pin.platform}:{pin.chat_id} message {pin.message_id} ({pin.role} removed)"
        )
    for pin, error in report.failed:
        print(f"failed   {pin.platform}:{pin.chat_id} message {pin.message_id}: {error}")
    print(report.summary())
    return 1 if report.failed else 0


def retire_roles_command(args: argparse.Namespace) -> int:
    """``careerbot retire-roles SLUG…``: take roles out of the reload guard's baseline,
    so the next reload (SIGHUP, ``--watch``) may remove them on purpose."""
    settings = _settings_and_logging()
    try:
        return asyncio.run(_retire(settings, args))
    finally:
        stop_logging()


async def _retire(settings: Settings, args: argparse.Namespace) -> int:
    from ..catalog._loader import load_catalog
    from ..store import open_store
    from ._reloader import retire

    catalog = load_catalog(args.content or settings.content_dir)
    still = sorted(set(args.slugs) & {role.slug for role in catalog.roles})
    if still:
        print(
            f"careerbot: still in the content folder: {', '.join(still)} "
            "(delete their files first)",
            file=sys.stderr,
        )
        return 1
    store = open_store(settings.database_url)
    await store.open()
    try:
        kept = await retire(store, args.slugs, catalog)
    finally:
        await store.close()
    print(
        f"retired {', '.join(args.slugs)}; the reload guard now counts from {len(kept)} "
        "role(s). Reload (SIGHUP, or --watch) within a day to take the removal."
    )
    return 0
