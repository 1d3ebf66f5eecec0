"""Send a role's pay chart as a photo, uploading each chart version once.

The first send uploads the PNG (multipart ``sendPhoto``); Telegram answers with the
photo's ``file_id``, which the store remembers under the chart's name
(``<role>-<version>``), so every later send of that version is a ``file_id`` and no
upload. A new content version is a new name, hence one new upload. A remembered id
that Telegram no longer accepts is forgotten and the picture uploaded again.
"""

from __future__ import annotations

import asyncio
import html
import logging
from dataclasses import dataclass

from telegram import Bot, InputFile, Message, ReplyParameters
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from careerbot_chat.adapter import CareerBot, Reply, StoreError

from ._api import PLATFORM, counted
from ._render import utf16_units

__all__ = ["ChartSender", "caption", "chart_png"]

log = logging.getLogger("careerbot.telegram")


def caption(reply: Reply) -> str:
    """A short caption: the chart's title, and its source and date in italics."""
    text = f"<b>{html.escape(reply.title, quote=False)}</b>"
    if reply.footer:
        text += f"\n<i>{html.escape(reply.footer, quote=False)}</i>"
    if utf16_units(text) <= MessageLimit.CAPTION_LENGTH:
        return text
    return f"<b>{html.escape(reply.title[:200], quote=False)}</b>"  # a very long source list


def chart_png(careerbot: CareerBot, reply: Reply) -> bytes | None:
    """The PNG of the chart ``reply`` names, if its role still draws that very chart."""
    from careerbot_chat.adapter import chart_spec, render_png

    role = careerbot.catalog.get(reply.role or "")
    spec = None if role is None else chart_spec(role)
    if spec is None or reply.picture is None or spec.key != reply.picture.key:
        return None
    return render_png(spec)


@dataclass(frozen=True, slots=True)
class _Where:
    chat_id: int
    reply_to: int | None
    thread_id: int | None


async def _send_photo(bot: Bot, where: _Where, photo: str | InputFile, reply: Reply) -> Message:
    """``sendPhoto``: a ``file_id`` or an upload, captioned, replying where asked."""
    reply_parameters = (
        ReplyParameters(where.reply_to, allow_sending_without_reply=True)
        if where.reply_to is not None
        else None
    )
    return await counted(
        "sendPhoto",
        bot.send_photo(
            where.chat_id,
            photo,
            caption=caption(reply),
            parse_mode=ParseMode.HTML,
            message_thread_id=where.thread_id,
            reply_parameters=reply_parameters,
        ),
    )


class ChartSender:
    """Sends chart photos for one ``CareerBot``, remembering uploads in its store."""

    def __init__(self, careerbot: CareerBot) -> None:
        self.careerbot = careerbot

    async def send(
        self, bot: Bot, chat_id: int, reply: Reply, *, reply_to: int | None, thread_id: int | None
    ) -> Message | None:
        """Send ``reply``'s picture; None when it cannot be drawn (content changed)."""
        assert reply.picture is not None
        key = reply.picture.key
        where = _Where(chat_id, reply_to, thread_id)
        known = await self._remembered(key)
        if known is not None:
            try:
                return await _send_photo(bot, where, known, reply)
            except BadRequest as exc:
                log.warning("chart %s: remembered file id refused (%s); uploading again", key, exc)
        png = await asyncio.to_thread(chart_png, self.careerbot, reply)
        if png is None:
            return None
        upload = InputFile(png, filename=f"{key}.png", attach=True)
        sent = await _send_photo(bot, where, upload, reply)
        if sent.photo:
            await self._remember(key, sent.photo[-1].file_id)
        return sent

    async def _remembered(self, key: str) -> str | None:
        store = self.careerbot.store
        if store is None:
            return None
        try:
            return await store.get_photo(PLATFORM, key)
        except StoreError as exc:
            log.warning("store unavailable reading chart %s: %s", key, exc)
            return None

    async def _remember(self, key: str, file_id: str) -> None:
        store = self.careerbot.store
        if store is None:
            return
        try:
            await store.set_photo(PLATFORM, key, file_id)
        except StoreError as exc:
            log.warning("store unavailable saving chart %s: %s", key, exc)
