"""The python-telegram-bot ``Application``: handlers that turn updates into core calls.

- Commands (``/role mlops``, ``/role@BotName mlops``) in every chat; in groups the
  answer replies to the asking message. A command addressed to another bot is left
  alone. In a private chat an unknown command gets the help, and plain text is a
  question in words. In groups, plain text is read only when it mentions the bot
  (``@BotName …`` or a text mention) or replies to one of the bot's messages; a
  reply is a follow-up about the card it replies to ("and staff?"). Other chatter,
  the bot's own messages and other bots' are left alone.
- Buttons carry the command they run as ``callback_data``. Every callback query is
  answered. A keyboard whose buttons all run the same command (the salary levels,
  "did you mean" choices) is a switcher: pressing one edits the message in place.
- A card with a chart (the pay ladder) gets a "Chart" button: ``/chart role``, typed
  or pressed, is sent as a photo, uploaded once per chart version (see ``_chart``).
- Inline queries offer cards to share (see ``_inline``).
- Errors: a 429 pauses the flood budget and is retried (``FloodControl``); a user who blocked the bot is not
  an error; anything else is logged with the update id and the user gets
  ``messages.SORRY``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from telegram import Bot as TgBot
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    CallbackQuery,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram import Chat as TgChat
from telegram.constants import (
    BotCommandLimit,
    ChatType,
    MessageEntityType,
    MessageLimit,
    ParseMode,
)
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from careerbot_chat.adapter import (
    COMMANDS,
    CareerBot,
    Chat,
    CommandSpec,
    Inbound,
    Outcome,
    RedactSecrets,
    Reply,
    Settings,
    SettingsError,
    member_commands,
    messages,
    moderator_commands,
    shared_limiter,
)

from ._api import (
    PLATFORM,
    answer_callback,
    answer_chunks,
    answer_inline,
    counted,
    edit_text,
    failed_method,
)
from ._burst import Asker, GroupAnswers, addressed_to
from ._chart import ChartSender
from ._flood import FloodBudget, LocalBudget, SharedBudget
from ._inline import inline_results
from ._moderation import TelegramModeration
from ._registration import BOT_TOKEN
from ._render import CHART_COMMAND, Rendered, TelegramRenderer, render, sends_photo
from ._reply import FloodControl, forget_prepaid, prepay
from ._settings import TelegramSettings

__all__ = [
    "ALLOWED_UPDATES",
    "API_TIMEOUT_SECONDS",
    "LEAKY_LOGGERS",
    "Context",
    "FloodLimits",
    "Handlers",
    "bot_commands",
    "build_application",
    "delivery_unknown",
    "guard_token",
    "is_switcher",
    "keyboard_key",
    "message_key",
    "on_error",
    "publish_commands",
    "to_chat",
    "token_of",
]

log = logging.getLogger("careerbot.telegram")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Outgoing flood control (``FloodControl`` on a ``FloodBudget``) and update concurrency.

    The defaults are Telegram's published limits: 30 messages a second overall and
    20 a minute per group. A 429 with ``retry_after`` pauses all requests for that
    long and retries up to ``max_retries`` times. ``0`` disables a rate.
    """

    overall_per_second: float = 30
    group_per_minute: float = 20
    max_retries: int = 3
    concurrent_updates: int = 64

    @classmethod
    def from_settings(cls, settings: Settings) -> FloodLimits:
        """Telegram's limits unless ``TELEGRAM_RATE_LIMIT`` / ``..._GROUP_RATE_LIMIT`` say otherwise."""
        return cls(
            overall_per_second=settings.section(TelegramSettings).rate_limit,
            group_per_minute=settings.section(TelegramSettings).group_rate_limit,
        )

    def budget(self) -> LocalBudget:
        """These limits kept in this process (one replica's budget)."""
        return LocalBudget(self.overall_per_second, self.group_per_minute)

    def shared_budget(self, settings: Settings, token: str) -> FloodBudget:
        """These limits shared by replicas (Redis, else PostgreSQL), else in this process.

        The budget belongs to the bot (its id opens the token), not to the process.
        """
        section = settings.section(TelegramSettings)
        namespace = f"telegram:{token.partition(':')[0]}"
        limiter = shared_limiter(settings.database_url, section.redis_url, namespace=namespace)
        if limiter is None:
            return self.budget()
        return SharedBudget(limiter, self.overall_per_second, self.group_per_minute)


API_TIMEOUT_SECONDS = 10.0
"""Connect, read, write and pool timeout for Bot API calls. A call that times out is
logged and not retried: sendMessage is not idempotent, a retry could answer twice."""


def token_of(settings: Settings) -> str:
    """The bot token; a clear error naming the setting when it is missing."""
    token = settings.section(TelegramSettings).bot_token
    if token is None or not token.get_secret_value():
        raise SettingsError("TELEGRAM_BOT_TOKEN: required for Telegram")
    return token.get_secret_value()


def build_application(
    settings: Settings,
    careerbot: CareerBot,
    *,
    webhook: bool,
    limits: FloodLimits | None = None,
    renderer: TelegramRenderer = render,
    budget: FloodBudget | None = None,
    api_timeout: float = API_TIMEOUT_SECONDS,
) -> Application:  # type: ignore[type-arg]
    """The Application aimed at ``TELEGRAM_API_BASE_URL``; no updater in webhook mode.

    Calls are paced by ``budget``; by default ``limits`` shared by the replicas
    (``FloodLimits.shared_budget``). Each Bot API call may take ``api_timeout`` seconds
    to connect, send, be answered and wait for a pooled connection.
    """
    token = token_of(settings)
    guard_token(token)
    limits = limits or FloodLimits.from_settings(settings)
    root = settings.section(TelegramSettings).api_base_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(
            FloodControl(
                budget or limits.shared_budget(settings, token), max_retries=limits.max_retries
            )
        )
        .request(_request(api_timeout))
        .get_updates_request(_request(None))
        .concurrent_updates(limits.concurrent_updates)
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    Handlers(careerbot, renderer).install(application)
    return application


def _request(api_timeout: float | None) -> HTTPXRequest:
    """A Bot API connection pool, for calls (each part of a call within ``api_timeout``
    seconds, 256 connections) or, given ``None``, for polling (PTB's own defaults: one
    connection, 5 s). Both share one TLS context: each would otherwise load the CA
    bundle again (about 40 ms of CPU and 0.8 MB)."""
    tls = {"verify": _tls()}
    if api_timeout is None:
        return HTTPXRequest(connection_pool_size=1, httpx_kwargs=tls)
    return HTTPXRequest(
        connection_pool_size=256,
        connect_timeout=api_timeout,
        read_timeout=api_timeout,
        write_timeout=api_timeout,
        pool_timeout=api_timeout,
        httpx_kwargs=tls,
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """The TLS context of every Bot API connection: httpx's default."""
    return httpx.create_ssl_context()


_GUARDED: set[str] = set()


# Loggers that write URLs holding the token: httpx at INFO for every request, and
# python-telegram-bot's Bot at DEBUG when it is built. Filters on a logger apply to
# its own records only, so each is named.
LEAKY_LOGGERS = ("httpx", "httpcore", "telegram.Bot", "telegram.ext.ExtBot")


def guard_token(token: str) -> None:
    """Redact ``token`` from the loggers that would otherwise print it."""
    if token in _GUARDED:
        return
    _GUARDED.add(token)
    redact = RedactSecrets([token], (BOT_TOKEN,))
    for name in LEAKY_LOGGERS:
        logging.getLogger(name).addFilter(redact)


def to_chat(chat: TgChat) -> Chat:
    return Chat(platform=PLATFORM, chat_id=str(chat.id), is_group=chat.type != ChatType.PRIVATE)


def _thread_id(message: Message) -> int | None:
    return message.message_thread_id if message.is_topic_message else None


class Handlers:
    """The update handlers, bound to one ``CareerBot``."""

    def __init__(self, careerbot: CareerBot, renderer: TelegramRenderer = render) -> None:
        self.careerbot = careerbot
        self.renderer = renderer
        self.charts = ChartSender(careerbot)
        self.bursts = GroupAnswers()
        self.renderer_limit = getattr(renderer, "limit", MessageLimit.MAX_TEXT_LENGTH)

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        names = sorted({name for spec in COMMANDS for name in (spec.name, *spec.aliases)})
        new = filters.UpdateType.MESSAGE
        private = filters.ChatType.PRIVATE
        application.add_handlers(
            [
                CommandHandler(names, self.on_command, filters=new),
                MessageHandler(new & filters.COMMAND & private, self.on_command),
                MessageHandler(new & filters.TEXT & ~filters.COMMAND & private, self.on_text),
                MessageHandler(
                    new & filters.TEXT & ~filters.COMMAND & ~private, self.on_group_text
                ),
                CallbackQueryHandler(self.on_button),
                InlineQueryHandler(self.on_inline),
            ]
        )
        application.add_error_handler(on_error)

    async def on_command(self, update: Update, context: Context) -> None:
        """``/name[@bot] args`` in any chat; unknown ones reach here in private chats only."""
        await self._answer(update, context, plain=False)

    async def on_text(self, update: Update, context: Context) -> None:
        """Plain text in a private chat: a question in words (``senior mlops salary``)."""
        message = update.effective_message
        if message is None or _from_a_bot(message):
            return
        await self._answer(update, context, plain=True)

    async def on_group_text(self, update: Update, context: Context) -> None:
        """Group text: answered only when it mentions the bot or replies to the bot."""
        message = update.effective_message
        if message is None or message.text is None or _from_a_bot(message):
            return
        bot = context.bot
        mentioned = _mentions(message, bot)
        replied = _replies_to(message, bot)
        if not mentioned and not replied:
            return  # group chatter
        text = _without_mentions(message, bot) if mentioned else message.text
        await self._answer(update, context, plain=True, text=text, replying_to=replied)

    async def _answer(
        self,
        update: Update,
        context: Context,
        *,
        plain: bool,
        text: str | None = None,
        replying_to: Message | None = None,
    ) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        chat = to_chat(message.chat)
        user = message.from_user
        moderation = TelegramModeration(
            context.bot,
            sender_chat_id=message.sender_chat.id if message.sender_chat else None,
            thread_id=_thread_id(message),
            renderer=self.renderer,
        )
        if replying_to is None and message.reply_to_message is not None:
            replying_to = _replies_to(message, context.bot)
        inbound = Inbound(
            message.text if text is None else text,
            chat,
            str(user.id) if user else None,
            addressed=plain,
            replying_to=await self._card_asked(replying_to) if replying_to is not None else None,
            bot_username=context.bot.username,
        )
        reply = await self.careerbot.handle(inbound, moderation)
        if reply is None:
            return
        reply_to = message.message_id if chat.is_group else None
        if sends_photo(reply):
            photo = await self.charts.send(
                context.bot,
                message.chat_id,
                reply,
                reply_to=reply_to,
                thread_id=_thread_id(message),
            )
            if photo is not None:
                await self._remember(message.chat_id, [photo], reply)
                return
        await self._send(context.bot, message, reply, reply_to)

    async def _send(self, bot: TgBot, message: Message, reply: Reply, reply_to: int | None) -> None:
        rendered = self._render(reply)
        thread = _thread_id(message)
        limiter = getattr(bot, "rate_limiter", None)  # ExtBot's public property
        user = message.from_user
        prepaid = None
        if reply_to is not None and reply.asked and user and isinstance(limiter, FloodControl):
            asker = Asker(user.id, user.full_name)
            turn = await self.bursts.turn(
                limiter.budget, message.chat_id, thread, reply.asked, asker
            )
            if turn is None:
                log.info("chat %s: %s served by the answer waiting", message.chat_id, reply.asked)
                return
            rendered = addressed_to(rendered, turn.others, self.renderer_limit)
            prepaid = prepay(message.chat_id, may_ride=not turn.waited)
        try:
            sent = await answer_chunks(
                bot, message.chat_id, rendered, reply_to=reply_to, thread_id=thread
            )
        finally:
            if prepaid is not None:
                forget_prepaid(prepaid)
        await self._remember(message.chat_id, sent, reply, rendered)

    async def _remember(
        self,
        chat_id: int,
        sent: Sequence[Message] | None,
        reply: Reply,
        rendered: Rendered | None = None,
    ) -> None:
        """Note which command each sent card answers, for replies to it ("and staff?").

        In the store (``CareerBot.conversations``), so a reply reaching another replica
        finds it. A card carried by the webhook's answer (``sent is None``) has no
        message id known to us; it is remembered by its chat and keyboard, which
        Telegram shows us again in ``reply_to_message`` (the latest such card in the
        chat wins). The route answers Telegram only after this, so no reply to the
        card can arrive before it is noted.
        """
        if not reply.asked:
            return
        if sent is None:
            keys = [keyboard_key(chat_id, _buttons(rendered.markup if rendered else None))]
        else:
            keys = [message_key(card.chat_id, card.message_id) for card in sent]
        for key in keys:
            await self.careerbot.conversations.remember(PLATFORM, key, reply.asked)

    async def _card_asked(self, card: Message) -> str | None:
        """The command of the bot's ``card``: remembered, else its buttons' role."""
        markup = card.reply_markup
        datas = [b.callback_data for row in markup.inline_keyboard for b in row] if markup else []
        conversations = self.careerbot.conversations
        asked = await conversations.recall(PLATFORM, message_key(card.chat_id, card.message_id))
        if asked is None:
            buttons = tuple(d for d in datas if isinstance(d, str))
            asked = await conversations.recall(PLATFORM, keyboard_key(card.chat_id, buttons))
        if asked is not None:
            return asked
        for data in datas:
            if isinstance(data, str) and len(data.split()) >= 2:
                return f"/role {data.split()[-1]}"  # card buttons end with the role's slug
        return None

    def _render(self, reply: Reply) -> Rendered:
        rendered = self.renderer(reply)
        for action in rendered.dropped:
            log.warning("button %r left out: callback data over 64 bytes", action.label)
        return rendered

    async def on_button(self, update: Update, context: Context) -> None:
        """Run the button's command; always answer the query, even when something fails."""
        query = update.callback_query
        if query is None:
            return
        answered = False
        try:
            reply = await self._press(query, context)
            answered = True
            if reply.outcome is Outcome.STALE:
                await _answer_query(query, reply.title)
                return
            await _answer_query(query)
            if sends_photo(reply) and await self._send_chart(query, context, reply):
                return
            await self._show(query, context, reply)
        finally:
            if not answered:
                await _answer_query(query)

    async def _press(self, query: CallbackQuery, context: Context) -> Reply:
        message = query.message
        sender = str(query.from_user.id)
        if message is None:  # a message sent through inline mode: no chat to speak of
            chat = Chat(PLATFORM, sender, is_group=False)
            return await self.careerbot.press(Inbound(query.data or "", chat, sender))
        moderation = TelegramModeration(
            context.bot,
            thread_id=_thread_id(message) if isinstance(message, Message) else None,
            renderer=self.renderer,
        )
        pressed = Inbound(query.data or "", to_chat(message.chat), sender)
        return await self.careerbot.press(pressed, moderation)

    async def _show(self, query: CallbackQuery, context: Context, reply: Reply) -> None:
        """Edit a switcher (or an inline message) in place; otherwise send a new message."""
        rendered = self._render(reply)
        message = query.message
        inline = message is None
        if inline or (len(rendered.chunks) == 1 and is_switcher(message, query.data)):
            await edit_text(query, rendered)
            if isinstance(message, Message):  # the same message, now showing this card
                await self._remember(message.chat.id, [message], reply, rendered)
            return
        assert message is not None
        group = message.chat.type != ChatType.PRIVATE
        thread = _thread_id(message) if isinstance(message, Message) else None
        sent = await answer_chunks(
            context.bot,
            message.chat.id,
            rendered,
            reply_to=message.message_id if group else None,
            thread_id=thread,
        )
        await self._remember(message.chat.id, sent, reply, rendered)

    async def _send_chart(self, query: CallbackQuery, context: Context, reply: Reply) -> bool:
        """The chart as a photo beside the card whose button was pressed."""
        message = query.message
        if message is None:  # an inline message: no chat to send a photo to
            return False
        group = message.chat.type != ChatType.PRIVATE
        sent = await self.charts.send(
            context.bot,
            message.chat.id,
            reply,
            reply_to=message.message_id if group else None,
            thread_id=_thread_id(message) if isinstance(message, Message) else None,
        )
        if sent is not None:
            await self._remember(message.chat.id, [sent], reply)
        return sent is not None

    async def on_inline(self, update: Update, context: Context) -> None:
        """Offer cards for ``@BotName query``; the catalogue when the query is empty."""
        query = update.inline_query
        if query is None:
            return
        results = inline_results(self.careerbot.catalog, query.query, self.renderer)
        await answer_inline(query, results, cache_time=60)


def _from_a_bot(message: Message) -> bool:
    """Sent by a bot (this one or another), or posted through one: never answered."""
    user = message.from_user
    return (user is not None and user.is_bot) or message.via_bot is not None


def _mentions(message: Message, bot: TgBot) -> bool:
    """Whether ``message`` mentions the bot by @username or by a text mention."""
    name = f"@{bot.username}".casefold()
    for entity, text in message.parse_entities(
        [MessageEntityType.MENTION, MessageEntityType.TEXT_MENTION]
    ).items():
        if entity.type == MessageEntityType.MENTION and text.casefold() == name:
            return True
        if entity.user is not None and entity.user.id == bot.id:
            return True
    return False


def _without_mentions(message: Message, bot: TgBot) -> str:
    """The text without the words that mention the bot (they are no part of the question)."""
    text = message.text or ""
    for entity, said in message.parse_entities(
        [MessageEntityType.MENTION, MessageEntityType.TEXT_MENTION]
    ).items():
        if (
            entity.type == MessageEntityType.TEXT_MENTION
            or said.casefold() == f"@{bot.username}".casefold()
        ):
            text = text.replace(said, " ", 1)
    return " ".join(text.split())


def _replies_to(message: Message, bot: TgBot) -> Message | None:
    """The bot's own message that ``message`` replies to, if it replies to one."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return replied
    return None


async def _answer_query(query: CallbackQuery, alert: str | None = None) -> None:
    """Stop the button's spinner (with ``alert`` as a pop-up); a failure here is not fatal."""
    try:
        await answer_callback(query, alert)
    except TelegramError as exc:
        log.warning("could not answer callback query %s: %s", query.id, exc)


def message_key(chat_id: int, message_id: int) -> str:
    """The conversation key of a card the bot sent as a call: its chat and message id."""
    return f"{chat_id}:{message_id}"


def keyboard_key(chat_id: int, buttons: tuple[str, ...]) -> str:
    """The key of a card carried by a webhook answer: its chat and a digest of its buttons."""
    digest = hashlib.blake2b("\n".join(buttons).encode(), digest_size=16).hexdigest()
    return f"{chat_id}:keyboard:{digest}"


def _buttons(markup: dict[str, Any] | None) -> tuple[str, ...]:
    """The callback data of a keyboard in ``to_dict()`` form, in order."""
    rows = markup.get("inline_keyboard", []) if markup else []
    return tuple(b["callback_data"] for row in rows for b in row if "callback_data" in b)


def is_switcher(message: object, data: str | None) -> bool:
    """Whether every button on ``message`` runs the same command as the one pressed."""
    markup = getattr(message, "reply_markup", None)
    if markup is None or not data:
        return False
    command = data.split(maxsplit=1)[0]
    datas = [b.callback_data for row in markup.inline_keyboard for b in row]
    # The Chart button sends a photo beside the card; it does not make it a menu.
    datas = [d for d in datas if not (isinstance(d, str) and d.startswith(CHART_COMMAND + " "))]
    return all(isinstance(d, str) and d.split(maxsplit=1)[0] == command for d in datas)


async def on_error(update: object, context: Context) -> None:
    """Log a failed update with its id and apologise; a blocked bot is no error."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    method = failed_method(error)
    extra = {
        "platform": PLATFORM,
        "update_id": update_id,
        "method": method,
        "chat": chat.id if chat else None,
    }
    if isinstance(error, Forbidden):
        log.info(
            "update %s: user blocked the bot or left the chat (%s)", update_id, error, extra=extra
        )
        return
    if isinstance(error, RetryAfter):
        log.warning(
            "update %s: still flood-limited after retries (%s)", update_id, error, extra=extra
        )
        return
    log.error(
        "update %s in chat %s failed calling %s: %s",
        update_id,
        chat.id if chat else "?",
        method,
        error,
        exc_info=error,
        extra=extra,
    )
    if (
        isinstance(update, Update)
        and update.effective_chat is not None
        and not delivery_unknown(error)
    ):
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(update.effective_chat.id, messages.SORRY)


def delivery_unknown(error: object) -> bool:
    """A timeout or a dropped connection: the answer may have arrived, so no apology.

    python-telegram-bot raises ``TimedOut`` for timeouts and a ``NetworkError`` named
    after the httpx exception for transport failures; HTTP errors (400, 500 ...) carry
    the server's description instead, and the message surely did not go out.
    """
    return isinstance(error, TimedOut) or (
        isinstance(error, NetworkError) and str(error).startswith("httpx.")
    )


def bot_commands(specs: tuple[CommandSpec, ...]) -> list[BotCommand]:
    limit = BotCommandLimit.MAX_DESCRIPTION
    return [BotCommand(spec.name, spec.description[:limit]) for spec in specs]


async def publish_commands(bot: TgBot) -> None:
    """The menu: member commands for everyone, all commands for chat administrators."""
    members = bot_commands(member_commands())
    await counted("setMyCommands", bot.set_my_commands(members))
    everyone = members + bot_commands(moderator_commands())
    await counted(
        "setMyCommands", bot.set_my_commands(everyone, scope=BotCommandScopeAllChatAdministrators())
    )
