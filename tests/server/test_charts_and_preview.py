"""`careerbot serve` serves pay charts to Slack, and /preview only behind its token."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio
from PIL import Image

from tests.server.conftest import start_stack
from tests.server.stack import Stack
from tests.slack import builders as slack_builders

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]
PUBLIC_URL = "https://bot.example.org"
"""Where Slack would fetch charts: the server behind its proxy (here, the server itself)."""
PREVIEW_TOKEN = "preview-token-for-tests-0123456789"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def public(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """One server with CAREERBOT_PUBLIC_URL and CAREERBOT_PREVIEW_TOKEN set."""
    async with start_stack(
        tmp_path_factory.mktemp("public"),
        CAREERBOT_PUBLIC_URL=f"{PUBLIC_URL}/",
        CAREERBOT_PREVIEW_TOKEN=PREVIEW_TOKEN,
    ) as started:
        yield started


async def slash(stack: Stack, command: str, text: str) -> dict[str, object]:
    body = slack_builders.slash(command, text, response_url=stack.slack.response_url())
    headers = {**slack_builders.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{stack.url}/slack/events", headers=headers, content=body)
    assert response.status_code == 200
    answer: dict[str, object] = response.json()
    return answer


async def test_slack_salary_card_image_url_answers_with_the_chart_png(public: Stack) -> None:
    """The image block's URL, under CAREERBOT_PUBLIC_URL, serves a 960 px PNG, cacheable."""
    message = await slash(public, "/salary", "mlops")
    (image,) = [b for b in message["blocks"] if b["type"] == "image"]  # type: ignore[attr-defined]
    url = image["image_url"]
    assert url.startswith(f"{PUBLIC_URL}/charts/mlops-engineer-")
    assert url.endswith(".png")
    assert "Senior ₹45–80 LPA" in image["alt_text"]
    async with httpx.AsyncClient() as client:
        response = await client.get(public.url + urlsplit(url).path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "public" in response.headers["cache-control"]
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    assert picture.width == 960
    assert 400 <= picture.height <= 1200


@pytest.mark.parametrize(
    "name",
    [
        "mlops-engineer-0000000000.png",  # an old or made-up version
        "nobody-0123456789.png",
        "mlops-engineer.png",
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
async def test_unknown_chart_names_are_404(public: Stack, name: str) -> None:
    """Anything but a current role's current chart is 404."""
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{public.url}/charts/{name}")
    assert response.status_code == 404


async def test_preview_asks_for_the_token_and_opens_with_it(public: Stack) -> None:
    """Without the cookie: the token form (and 401 for the data routes); a wrong token: 401."""
    async with httpx.AsyncClient(base_url=public.url) as client:
        form = await client.get("/preview/")
        assert form.status_code == 200
        assert 'name="token"' in form.text
        assert "MLOps Engineer" not in form.text
        assert (await client.get("/preview/body")).status_code == 401
        wrong = await client.post("/preview/", data={"token": PREVIEW_TOKEN[:-1] + "x"})
        assert wrong.status_code == 401
        assert "careerbot_preview" not in client.cookies
        right = await client.post("/preview/", data={"token": PREVIEW_TOKEN})
        assert right.status_code == 303
        page = await client.get("/preview/")
        assert page.status_code == 200
        assert 'data-command="/salary mlops-engineer"' in page.text
        assert (await client.get("/preview/body")).status_code == 200
    assert PREVIEW_TOKEN not in str(right.headers)


async def test_no_preview_without_the_token_setting(stack_for_test: Stack) -> None:
    """Unless CAREERBOT_PREVIEW_TOKEN is set, /preview does not exist."""
    async with httpx.AsyncClient(base_url=stack_for_test.url) as client:
        for path in ("/preview", "/preview/", "/preview/body", "/preview/state"):
            assert (await client.get(path)).status_code == 404


async def test_preview_form_reads_at_most_a_mebibyte(public: Stack) -> None:
    """A POST to /preview/ without the cookie: 413 once it passes 1 MiB, declared or
    streamed, never read whole before the token is checked (it was: 401 after all)."""

    async def stream() -> AsyncIterator[bytes]:
        chunk = b"token=" + b"x" * (64 * 1024)
        for _ in range(48):  # 3 MiB, sent chunked: no Content-Length to refuse early
            yield chunk

    async with httpx.AsyncClient(base_url=public.url, timeout=30) as client:
        declared = await client.post("/preview/", content=b"token=" + b"x" * (2 << 20))
        streamed = await client.post("/preview/", content=stream())
        small = await client.post("/preview/", data={"token": "wrong"})
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert small.status_code == 401


async def test_preview_charts_are_not_publicly_cacheable(public: Stack) -> None:
    """The preview's SVG charts (unreleased content, behind the token) are ``private``."""
    async with httpx.AsyncClient(base_url=public.url) as client:
        await client.post("/preview/", data={"token": PREVIEW_TOKEN})
        page = (await client.get("/preview/body")).text
        src = page.split('src="/preview/charts/', 1)[1].split('"', 1)[0]
        chart = await client.get(f"/preview/charts/{src}")
    assert chart.status_code == 200, src
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert "private" in chart.headers["cache-control"]
    assert "public" not in chart.headers["cache-control"]
