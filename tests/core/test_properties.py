"""Property tests: arbitrary user text through parse → answer → plain render never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from careerbot_chat import Catalog, answer, parse, render_plain
from careerbot_chat.messages import ECHO_MAX
from tests.strategies import hostile_text


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text)
def test_any_text_answers_calmly(catalog: Catalog, text: str) -> None:
    """Whatever is typed, the core answers with a short, well-formed reply."""
    for plain in (False, True):
        command = parse(text, plain=plain)
        if command is None:
            continue
        reply = answer(command, catalog)
        rendered = render_plain(reply)
        assert reply.title
        assert rendered.startswith(reply.title)
        assert len(rendered) < 6000
        assert len(reply.query) <= ECHO_MAX
        for action in reply.actions:
            assert len(action.command.encode()) <= 64
