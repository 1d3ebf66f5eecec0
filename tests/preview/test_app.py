"""The preview's routes and state, without a browser (ASGI in process)."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from careerbot_chat.preview import preview_routes
from careerbot_chat.preview._state import PreviewState
from careerbot_chat.service._server import preview_drawers

ROLE_FILE = Path("roles/mlops-engineer.yaml")


@pytest.fixture
async def client(content: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=preview_routes(PreviewState.load(content), preview_drawers()))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://preview") as opened:
        yield opened


def touch_later(file: Path) -> None:
    """Move the file's mtime on, so a same-size edit within one clock tick is seen."""
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_broken_content_at_start_previews_problems_then_fills_in(content: Path) -> None:
    """Invalid from the start: no roles and the problems; fixed: the roles appear."""
    role_file = content / ROLE_FILE
    good = role_file.read_text()
    role_file.write_text(good.replace("as_of: 2026\n", "", 1))
    state = PreviewState.load(content)
    assert len(state.catalog) == 0
    assert [(p.file.name if p.file else "", p.path) for p in state.problems] == [
        ("mlops-engineer.yaml", "as_of")
    ]
    role_file.write_text(good)
    touch_later(role_file)
    assert await state.check() == 1
    assert state.problems == ()
    assert [role.slug for role in state.catalog.roles] == ["mlops-engineer"]


async def test_unchanged_files_are_not_reloaded(content: Path) -> None:
    """Polling without a save keeps the revision (and the catalogue object)."""
    state = PreviewState.load(content)
    catalog = state.catalog
    assert await state.check() == 0
    assert state.catalog is catalog


async def test_state_and_body_follow_a_saved_file(client: httpx.AsyncClient, content: Path) -> None:
    """After a save the state's revision moves and the body shows the new band."""
    assert (await client.get("/preview/state")).json() == {"revision": 0, "errors": 0}
    role_file = content / ROLE_FILE
    role_file.write_text(role_file.read_text().replace("max: 80 LPA", "max: 85 LPA"))
    touch_later(role_file)
    assert (await client.get("/preview/state")).json() == {"revision": 1, "errors": 0}
    assert "₹45–85 LPA" in (await client.get("/preview/body")).text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/preview/card?platform=nowhere&command=/role", 404),
        ("/preview/card?platform=telegram&command=", 404),
        ("/preview/charts/mlops-engineer-0000000000.svg", 404),
        ("/preview/charts/nothing.svg", 404),
        ("/preview", 307),
    ],
)
async def test_bad_requests_get_4xx_not_500(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    """Unknown platforms, empty commands and unknown charts are client errors."""
    assert (await client.get(path)).status_code == status


async def test_question_box_answers_and_escapes(client: httpx.AsyncClient) -> None:
    """A typed question is answered on every platform; what was typed is escaped."""
    answered = await client.get("/preview/ask", params={"q": "senior mlops salary"})
    assert answered.text.count('class="cell"') == 2
    assert "Senior MLOps Engineer pay" in answered.text
    hostile = await client.get("/preview/ask", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in hostile.text
    assert (await client.get("/preview/ask", params={"q": "  "})).text == ""


@pytest.mark.parametrize("question", ["senior mlops salary", "/skills"])
async def test_question_box_shows_the_question_once(
    client: httpx.AsyncClient, question: str
) -> None:
    """The answer's heading names what was typed once, not as a label and again as code."""
    answered = await client.get("/preview/ask", params={"q": question})
    (heading,) = re.findall(r"<h3>(.*?)</h3>", answered.text, flags=re.DOTALL)
    assert re.sub(r"<[^>]+>", "", heading).count(question) == 1


async def test_a_command_row_names_its_command_once(client: httpx.AsyncClient) -> None:
    """A general row whose label is its command (/help) shows the command once."""
    body = (await client.get("/preview/body")).text
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h3>(.*?)</h3>", body)]
    assert "/help" in headings


async def test_posting_to_the_open_preview_is_405(client: httpx.AsyncClient) -> None:
    """Without a token there is no form: a POST is refused, not a server error."""
    response = await client.post("/preview/", data={"token": "anything"})
    assert response.status_code == 405
