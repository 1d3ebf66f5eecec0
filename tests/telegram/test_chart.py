"""The Chart button: the pay ladder sent as a photo, uploaded once per chart version."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

from PIL import Image

from careerbot_chat import Catalog, SQLiteStore, answer, parse
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.builders import GROUP_ID, callback_update, group_chat, text_update
from tests.telegram.html_check import telegram_html_problems, visible_text

Process = Callable[[dict[str, Any]], Awaitable[None]]
LEVELS = (
    "/salary mid mlops-engineer",
    "/salary senior mlops-engineer",
    "/salary staff mlops-engineer",
)
SALARY_KEYBOARD = (*LEVELS, "/chart mlops-engineer")


async def test_salary_card_has_a_chart_button(fake: FakeTelegram, process: Process) -> None:
    """The whole ladder's card ends with a Chart button that runs /chart for its role."""
    await process(text_update("/salary mlops"))
    (sent,) = fake.called("sendMessage")
    buttons = [b for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
    assert (buttons[-1]["text"], buttons[-1]["callback_data"]) == (
        "Chart",
        "/chart mlops-engineer",
    )


async def test_level_button_still_edits_the_card_in_place(
    fake: FakeTelegram, process: Process
) -> None:
    """The Chart button does not turn the level switcher into a menu of new messages."""
    await process(callback_update("/salary senior mlops-engineer", buttons=SALARY_KEYBOARD))
    (edit,) = fake.called("editMessageText")
    assert "Senior pay" in visible_text(edit.params["text"])
    assert fake.called("sendMessage") == []


async def test_chart_button_uploads_once_then_reuses_the_file_id(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore, catalog: Catalog
) -> None:
    """First press: one multipart upload of a PNG; second press: the remembered file_id."""
    await process(callback_update("/chart mlops-engineer", buttons=SALARY_KEYBOARD))
    (first,) = fake.called("sendPhoto")
    upload = first.params["photo"]
    assert isinstance(upload, bytes)
    assert Image.open(io.BytesIO(upload)).format == "PNG"
    (file_id,) = fake.uploads
    assert fake.uploads[file_id] == upload
    key = answer(parse("/chart mlops"), catalog).picture.key  # type: ignore[union-attr]
    assert await sqlite_store.get_photo("telegram", key) == file_id

    await process(callback_update("/chart mlops-engineer", buttons=SALARY_KEYBOARD))
    second = fake.called("sendPhoto")[1]
    assert second.params["photo"] == file_id
    assert len(fake.uploads) == 1
    assert fake.called("editMessageText") == []
    assert fake.called("sendMessage") == []


async def test_chart_caption_is_short_html_with_the_source(
    fake: FakeTelegram, process: Process
) -> None:
    """The photo's caption names the chart and its source, in valid Telegram HTML."""
    await process(text_update("/chart mlops"))
    (sent,) = fake.called("sendPhoto")
    caption = sent.params["caption"]
    assert telegram_html_problems(caption) == []
    assert visible_text(caption).startswith("MLOps Engineer pay by level")
    assert "Source: MLOps Engineer careers in India in 2026" in visible_text(caption)
    assert len(caption) <= 1024


async def test_refused_file_id_is_uploaded_again(
    fake: FakeTelegram, process: Process, sqlite_store: SQLiteStore, catalog: Catalog
) -> None:
    """A remembered file_id Telegram no longer knows is replaced by a fresh upload."""
    key = answer(parse("/chart mlops"), catalog).picture.key  # type: ignore[union-attr]
    await sqlite_store.set_photo("telegram", key, "AgAC-forgotten")
    await process(text_update("/chart mlops"))
    refused, uploaded = fake.called("sendPhoto")
    assert refused.params["photo"] == "AgAC-forgotten"
    assert isinstance(uploaded.params["photo"], bytes)
    assert await sqlite_store.get_photo("telegram", key) == next(iter(fake.uploads))


async def test_chart_in_a_group_replies_to_the_card(fake: FakeTelegram, process: Process) -> None:
    """Pressed under a card in a group, the photo replies to that card."""
    update = callback_update(
        "/chart mlops-engineer", chat=group_chat(), message_id=950, buttons=SALARY_KEYBOARD
    )
    await process(update)
    (sent,) = fake.called("sendPhoto")
    assert sent.params["chat_id"] == GROUP_ID
    assert sent.params["reply_parameters"]["message_id"] == 950
