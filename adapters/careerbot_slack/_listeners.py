"""Bolt listeners: Slack payload in, core ``Command`` through ``CareerBot``, card out.

Every listener runs before Bolt answers the HTTP request (``process_before_response``),
so a slash command's card is the body of the response itself. A member's slash
command is answered one step earlier, by the ``SlashCommands`` middleware right after
Bolt's own checks; a moderator's reaches ``Listeners.command``. Buttons:

- ``careerbot_run_N`` runs its command: on the asker's private card it replaces the
  card in place (level switch); on a shared card it answers the presser privately;
  in App Home it re-publishes the tab with the card. A moderator's button (Pin) runs
  once per signed request, across replicas, as a moderator's slash command does.
- ``careerbot_share`` posts the card for everyone (chat.postMessage) and removes the
  private copy; ``careerbot_pin`` runs the core's moderator flow.

Questions in words: an ``app_mention`` in a channel and a direct message to the app
(``message.im``) are answered in their thread with ``chat.postMessage``; a later
message in that thread is a follow-up about the card answered there. Messages from
bots (this one included) and edits are left alone. A message can arrive as two events
(a direct message that mentions the app: ``message.im`` and ``app_mention``, with
their own event ids); it is claimed in the store by workspace, channel and ``ts``, so
it is answered once, on whichever replica claims it first.

Slack gives up on an answer after 3 seconds. Work that calls the Web API (pinning,
sharing) gets ``ANSWER_BUDGET_SECONDS``; if it is not done by then, Slack is answered
at once ("on it") and the result follows through the payload's ``response_url``.

An answer that goes out through a ``response_url`` (buttons, a slow moderator
command) or is shared with ``chat.postMessage`` is counted in the metrics once it is
known to have arrived: a post that failed counts the command as ``failed``
(``AnswerDelivery``), not as answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Collection, Coroutine, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from careerbot_chat.adapter import (
    AnswerDelivery,
    CareerBot,
    Chat,
    Command,
    Inbound,
    Outcome,
    PermissionMissing,
    PlatformError,
    Reply,
    command_spec,
    parse,
)

from . import _words as texts
from ._home import home_view
from ._moderation import SlackModeration
from ._render import Mode, SlackRenderer
from ._text import escape
from ._web import SlackWeb

__all__ = [
    "ANSWER_BUDGET_SECONDS",
    "BODY_CACHE_SIZE",
    "DRAIN_SECONDS",
    "PLATFORM",
    "AnswerBodies",
    "DropRetries",
    "Listeners",
    "Payload",
    "SlashCommands",
    "chat_of",
]

log = logging.getLogger("careerbot.slack")
Payload = dict[str, Any]
T = TypeVar("T")

PLATFORM = "slack"
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
ANSWER_BUDGET_SECONDS = 2.5
"""How long a listener may work before Slack is answered and the rest goes on behind."""
REPLAY_WINDOW_SECONDS = 5 * 60 + 60
"""How long a moderator command's signature is remembered: Slack's 5-minute window, and a minute's skew."""
DRAIN_SECONDS = 20.0
"""How long stopping waits for work that went on behind (within uvicorn's 25 s grace)."""
BODY_CACHE_SIZE = 512
"""Slash-command answers kept as response bodies (least recently asked dropped first)."""


def chat_of(channel_id: str) -> Chat:
    """A channel is a group; a direct message with the app (``D…``) is not."""
    return Chat(platform=PLATFORM, chat_id=channel_id, is_group=not channel_id.startswith("D"))


def _channel(body: Payload) -> str:
    channel = body.get("channel") or {}
    return str(channel.get("id") or (body.get("container") or {}).get("channel_id") or "")


def _user(body: Payload) -> str:
    return str((body.get("user") or {}).get("id") or "")


class AnswerBodies:
    """Slash-command answers as HTTP response bodies, each rendered and serialised once.

    One cache (cachetools' ``LRUCache``), keyed by what produced the answer: the
    catalogue's version and the command as understood. An entry keeps the reply it was
    rendered from and serves only that reply (the very object, as the core hands back
    for a repeated question, or an equal one): the same words can get another reply (a
    channel's default role, a store that failed), which is then rendered anew.
    """

    def __init__(self, render: SlackRenderer, size: int = BODY_CACHE_SIZE) -> None:
        self.render = render
        self.cache: LRUCache[Hashable, tuple[Reply, str]] = LRUCache(maxsize=size)

    def body(self, key: Hashable, reply: Reply, mode: Mode, response_type: str) -> str:
        """The JSON body answering with ``reply`` (shown in ``mode`` as ``response_type``)."""
        hit = self.cache.get(key)
        if hit is not None and (hit[0] is reply or hit[0] == reply):
            return hit[1]
        message = {"response_type": response_type, **self.render(reply, mode)}
        body = json.dumps(message, ensure_ascii=False)
        self.cache[key] = (reply, body)
        return body


class Listeners:
    """The app's listeners, sharing one bot, renderer and Web API wrapper."""

    def __init__(
        self,
        bot: CareerBot,
        web: SlackWeb,
        render: SlackRenderer,
        moderation: SlackModeration,
        *,
        in_channel: bool = False,
        answer_budget: float = ANSWER_BUDGET_SECONDS,
    ) -> None:
        self.bot = bot
        self.answer_budget = answer_budget
        """Seconds a listener's work may take before Slack is answered "on it" and the
        result follows through the ``response_url``."""
        self.web = web
        self.render = render
        self.moderation = moderation
        self.in_channel = in_channel
        self.bodies = AnswerBodies(render)
        self._behind: set[asyncio.Task[Any]] = set()

    async def _within_budget(self, work: Coroutine[Any, Any, T]) -> tuple[bool, asyncio.Task[T]]:
        """Run ``work`` for up to the budget; ``(False, task)`` if it must go on behind."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=self.answer_budget)
        if done:
            return True, task
        self._hold(task)
        return False, task

    def _hold(self, task: asyncio.Task[Any]) -> None:
        """Keep ``task`` until it ends, so stopping can wait for it."""
        self._behind.add(task)
        task.add_done_callback(self._behind.discard)

    async def drain(self) -> None:
        """Wait up to ``DRAIN_SECONDS`` for the work going on behind and its follow-ups."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DRAIN_SECONDS):
                while self._behind:
                    await asyncio.wait(set(self._behind))
        if self._behind:
            log.warning("stopping with %d Slack task(s) unfinished", len(self._behind))
            for task in self._behind:
                task.cancel()

    # -- slash commands ---------------------------------------------------------------

    def _shared(self, reply: Reply) -> bool:
        """In-channel only when the operator chose it, and only for answered cards."""
        spec = command_spec(reply.command) if reply.command else None
        moderator = spec is not None and spec.moderator
        return self.in_channel and reply.outcome is Outcome.ANSWERED and not moderator

    def _read(self, command: Payload) -> tuple[Command, Inbound]:
        """What a slash command's payload asks (``/help`` when we understand nothing)."""
        message = Inbound(
            f"{command.get('command', '')} {command.get('text', '')}",
            chat_of(str(command.get("channel_id", ""))),
            str(command.get("user_id", "")),
            addressed=True,
        )
        return self.bot.understand(message) or _help(), message

    async def from_memory(self, command: Payload) -> BoltResponse | None:
        """The answer to a member's slash command (``None`` for a moderator command).

        Answered from memory: the card's JSON body, serialised once per question and
        content version (``AnswerBodies``), is the HTTP response itself.
        """
        understood, message = self._read(command)
        if understood.spec.moderator:
            return None
        key = (self.bot.catalog.version, understood.text, understood.unknown)
        reply = await self.bot.respond(understood, message, self.moderation)
        return BoltResponse(status=200, body=self.bodies.body(key, reply, *self._mode(reply)))

    async def command(self, ack: AsyncAck, command: Payload, request: AsyncBoltRequest) -> None:
        """A moderator's slash command (``SlashCommands`` answered every other one).

        Moderator commands call Slack's Web API; if they are slow, Slack hears "on it"
        in time and the result follows through ``response_url``. One runs once per
        signed request: a copy replayed within Slack's window (same signature and
        timestamp) is answered without running it again.
        """
        understood, message = self._read(command)
        if not await self._first_run(request, "command"):
            await ack(response_type="ephemeral", text=escape(texts.ALREADY_RUN))
            return
        delivery = AnswerDelivery()
        with delivery.holding():
            on_time, task = await self._within_budget(self._answer(understood, message))
        if on_time:
            delivery.settle(True)  # the answer is the HTTP response itself
            await ack(**task.result())
            return
        await ack(response_type="ephemeral", text=escape(texts.STILL_WORKING))
        url = command.get("response_url")
        task.add_done_callback(lambda done: self._respond_later(done, url, delivery))

    async def _first_run(self, request: AsyncBoltRequest, kind: str) -> bool:
        """Whether this signed request is seen for the first time (claimed in the store,
        so across replicas too); ``kind`` keeps commands' and buttons' claims apart."""
        signature = request.headers.get("x-slack-signature", [""])[0]
        timestamp = request.headers.get("x-slack-request-timestamp", [""])[0]
        if not signature:  # Socket Mode: no HTTP request to replay
            return True
        digest = hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()
        return await self.bot.first_delivery(PLATFORM, f"{kind}:{digest}", REPLAY_WINDOW_SECONDS)

    def _mode(self, reply: Reply) -> tuple[Mode, str]:
        """How a slash command's card is shown: the render mode and Slack's response_type."""
        return (Mode.SHARED, "in_channel") if self._shared(reply) else (Mode.EPHEMERAL, "ephemeral")

    async def _answer(self, command: Command, message: Inbound) -> dict[str, Any]:
        reply = await self.bot.respond(command, message, self.moderation)
        mode, response_type = self._mode(reply)
        return {"response_type": response_type, **self.render(reply, mode)}

    def _respond_later(
        self, done: asyncio.Task[dict[str, Any]], url: str | None, delivery: AnswerDelivery
    ) -> None:
        if done.cancelled() or done.exception() is not None:
            delivery.settle(False)
            log.error("a slow slash command failed", exc_info=done.exception())
            return
        message = {"replace_original": False, **done.result()}
        self._hold(asyncio.ensure_future(self._deliver(url, message, delivery)))

    async def _deliver(
        self, url: str | None, message: dict[str, Any], delivery: AnswerDelivery
    ) -> None:
        delivery.settle(await self.web.respond(url, message))

    async def _respond(self, body: Payload, **message: Any) -> bool:
        """Answer through the payload's ``response_url``; whether it arrived (none, or a
        failure: one log line)."""
        return await self.web.respond(body.get("response_url"), message)

    async def _settle(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` within the budget; an error it raised in time is raised here (else
        it is logged when the task ends behind), never left unretrieved."""
        on_time, task = await self._within_budget(work)
        if on_time:
            task.result()
        else:
            task.add_done_callback(_log_failure)

    # -- buttons ----------------------------------------------------------------------

    async def run(
        self, ack: AsyncAck, body: Payload, action: Payload, request: AsyncBoltRequest
    ) -> None:
        """A card's button: run its command; replace a private card in place."""
        await ack()
        value = str(action.get("value", ""))
        if _moderator(value) and not await self._first_run(request, "action"):
            await self._tell(body, texts.ALREADY_RUN)
            return
        container = body.get("container") or {}
        if container.get("type") == "view":
            await self._home(_user(body), value)
            return
        pressed = Inbound(value, chat_of(_channel(body)), _user(body))
        delivery = AnswerDelivery()
        with delivery.holding():
            reply = await self.bot.press(pressed, self.moderation)
        if container.get("is_ephemeral"):
            message = {"replace_original": True, **self.render(reply, Mode.EPHEMERAL)}
        else:
            message = {"response_type": "ephemeral", "replace_original": False}
            message |= self.render(reply)
        delivery.settle(await self._respond(body, **message))

    async def share(self, ack: AsyncAck, body: Payload, action: Payload) -> None:
        """The Share button: post the same card for everyone, drop the private copy."""
        await ack()
        await self._settle(self._share(body, action))

    async def _share(self, body: Payload, action: Payload) -> None:
        chat = chat_of(_channel(body))
        delivery = AnswerDelivery()
        with delivery.holding():
            reply = await self.bot.press(Inbound(str(action.get("value", "")), chat, _user(body)))
        if reply.outcome is not Outcome.ANSWERED:
            delivery.settle(
                await self._respond(
                    body, response_type="ephemeral", replace_original=False, **self.render(reply)
                )
            )
            return
        try:
            await self.web.post(chat.chat_id, self.render(reply, Mode.SHARED))
        except PlatformError as exc:
            delivery.settle(False)
            await self._tell(body, _failure_text(exc))
            return
        delivery.settle(True)
        await self._respond(body, delete_original=True)

    async def pin(
        self, ack: AsyncAck, body: Payload, action: Payload, request: AsyncBoltRequest
    ) -> None:
        """The Pin button on a shared card: the core checks rights, posts, pins, records.

        Like a moderator's slash command, it runs once per signed request, on whichever
        replica it reaches first; a copy is told it already ran."""
        await ack()
        if not await self._first_run(request, "action"):
            await self._tell(body, texts.ALREADY_RUN)
            return
        await self._settle(self._pin(body, action))

    async def _pin(self, body: Payload, action: Payload) -> None:
        chat = chat_of(_channel(body))
        pressed = Inbound(str(action.get("value", "")), chat, _user(body))
        delivery = AnswerDelivery()
        with delivery.holding():
            reply = await self.bot.press(pressed, self.moderation)
        message = {"response_type": "ephemeral", "replace_original": False, **self.render(reply)}
        delivery.settle(await self._respond(body, **message))

    async def home_button(self, ack: AsyncAck, body: Payload) -> None:
        """The All roles button in App Home: show the catalogue again."""
        await ack()
        await self._home(_user(body), None)

    async def _tell(self, body: Payload, text: str) -> None:
        await self._respond(
            body, response_type="ephemeral", replace_original=False, text=escape(text)
        )

    # -- questions in words: mentions and direct messages ---------------------------

    async def mention(self, event: Payload, body: Payload) -> None:
        """``@careerbot how much does a senior make?`` in a channel: answered in thread."""
        await self._converse(event, body)

    async def direct(self, event: Payload, body: Payload) -> None:
        """A direct message to the app (``message.im``): answered in its thread."""
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            # edits, joins, deletions, other channels; and bots, this one included (Bolt
            # ignores its own messages only once auth.test has told it who it is)
            return
        await self._converse(event, body)

    async def _converse(self, event: Payload, body: Payload) -> None:
        if event.get("bot_id") or event.get("subtype") == "bot_message":
            return  # never answer a bot, this one included
        channel = str(event.get("channel", ""))
        if not await self._first_sight(event, body, channel):
            return
        thread = str(event.get("thread_ts") or event.get("ts") or "")
        conversation = f"{channel}:{thread}"
        # Only a message in a thread can follow up on a card answered there.
        earlier = (
            await self.bot.conversations.recall(PLATFORM, conversation)
            if event.get("thread_ts")
            else None
        )
        message = Inbound(
            _MENTION.sub(" ", str(event.get("text", ""))),
            chat_of(channel),
            str(event.get("user", "")),
            addressed=True,
            replying_to=earlier,
        )
        reply = await self.bot.handle(message, self.moderation)
        if reply is None:
            return
        try:
            await self.web.post(channel, {**self.render(reply, Mode.POSTED), "thread_ts": thread})
        except PlatformError as exc:
            log.warning("could not answer in %s: %s", channel, exc)
            return
        if reply.asked:
            await self.bot.conversations.remember(PLATFORM, conversation, reply.asked)

    async def _first_sight(self, event: Payload, body: Payload, channel: str) -> bool:
        """Whether this message is seen for the first time, whichever event brought it
        (claimed in the store by workspace, channel and ``ts``, so across replicas)."""
        ts = event.get("ts")
        if not ts:
            return True
        team = body.get("team_id") or event.get("team") or ""
        return await self.bot.first_delivery(PLATFORM, f"message:{team}:{channel}:{ts}")

    # -- App Home ---------------------------------------------------------------------

    async def home_opened(self, event: Payload) -> None:
        """A member opened the Home tab: publish the role catalogue."""
        if event.get("tab", "home") == "home":
            await self._home(str(event.get("user", "")), None)

    async def _home(self, user_id: str, command: str | None) -> None:
        card = None
        if command is not None:
            home = Chat(PLATFORM, user_id, is_group=False)
            card = await self.bot.press(Inbound(command, home, user_id))
        try:
            await self.web.publish_home(user_id, home_view(self.bot.catalog, card))
        except PlatformError as exc:
            log.warning("could not publish App Home for %s: %s", user_id, exc)


class _AnswerOrPass(AsyncMiddleware):
    """A global Bolt middleware that answers a request from its payload, or passes it on.

    A class, not a function middleware: Bolt then builds no keyword arguments for it on
    every request (what that saves is in docs/benchmarks.md).
    """

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt passes it by this name
    ) -> BoltResponse | None:
        answered = await self.answer(req.body)
        return answered if answered is not None else await next()

    async def answer(self, body: Payload) -> BoltResponse | None:
        """The response to ``body``, or ``None`` to let the rest of Bolt handle it."""
        raise NotImplementedError


class SlashCommands(_AnswerOrPass):
    """Members' slash commands, answered in Bolt's middleware chain, after Bolt's own.

    Bolt's own middleware (SSL check, authorisation; the signature and timestamp window
    when Bolt checks them, else our route did before) run first, as for any request.
    Past them, a member's command needs none of what Bolt's listeners do
    for it (trying each listener's matchers, building keyword arguments, an ``ack``
    object): answering it costs less than that machinery did. So it is answered here,
    the way Bolt's own ``url_verification`` middleware answers its request, by
    returning a response without calling ``next()``. A moderator command goes on to
    its listener (``Listeners.command``), which has ``ack``, the ``response_url`` and the budget.
    """

    def __init__(self, listeners: Listeners, commands: Collection[str]) -> None:
        self.listeners = listeners
        self.commands = frozenset(commands)

    async def answer(self, body: Payload) -> BoltResponse | None:
        if body.get("command") not in self.commands:
            return None
        return await self.listeners.from_memory(body)


class DropRetries(_AnswerOrPass):
    """An event Slack delivers again (``X-Slack-Retry-Num``) is acknowledged, not rerun.

    The event id is claimed in the store at first delivery, so this holds across
    replicas too.
    """

    def __init__(self, bot: CareerBot) -> None:
        self.bot = bot

    async def answer(self, body: Payload) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self.bot.first_delivery(PLATFORM, str(event_id)):
            return BoltResponse(status=200, body="")
        return None


def _moderator(value: str) -> bool:
    """Whether a button's command is a moderator's (which must run once per request)."""
    command = parse(value)
    return command is not None and command.spec.moderator


def _log_failure(task: asyncio.Task[Any]) -> None:
    """Log the error of work that ended behind its answer (retrieving it)."""
    if not task.cancelled() and task.exception() is not None:
        log.error("a Slack button's work failed", exc_info=task.exception())


def _help() -> Command:
    """``/help``: the answer to a slash command with nothing we understand in it."""
    command = parse("/help")
    assert command is not None
    return command


def _failure_text(exc: PlatformError) -> str:
    if isinstance(exc, PermissionMissing):
        return exc.hint or str(exc)
    return texts.SHARE_FAILED.format(reason=exc.reason or "platform error")
