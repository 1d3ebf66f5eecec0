"""Labelled conversations: a follow-up is read against the answer before it (issue 21).

Unlike the blind sets these were written for the patterns fixed, each before its fix:
every turn of every conversation must be right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careerbot_chat import Catalog
from tests.understanding.grading import Conversation, conversation_texts, grade, load_conversations

CONVERSATIONS = load_conversations(Path(__file__).with_name("conversations.yaml"))


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda conv: conv.id)
def test_every_turn_is_answered_right(
    conversation: Conversation, catalog: Catalog, known_numbers: set[str]
) -> None:
    texts = conversation_texts(conversation, catalog)
    wrong = [
        (turn.q, problems, text)
        for turn, text in zip(conversation.turns, texts, strict=True)
        if (problems := grade(turn, text, known_numbers))
    ]
    assert not wrong
