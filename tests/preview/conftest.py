"""Fixtures for the preview: a content folder to edit, ``careerbot preview`` running on
it as a subprocess, and Debian's Chromium driven by Playwright.

The browser tests skip (with the reason) only where no Chromium is installed and
``CI`` is unset; in CI a missing browser is an error, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from careerbot_chat import bundled_content_dir

CHROMIUM = os.environ.get("CAREERBOT_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home at start, and this machine refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the bundled content that a test may edit."""
    folder = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), folder)
    return folder


@pytest.fixture
def preview_url(content: Path, tmp_path: Path) -> Iterator[str]:
    """``careerbot preview --content DIR --port 0`` running; the URL it printed."""
    with running_preview(content, tmp_path / "preview.log") as url:
        yield url


@contextlib.contextmanager
def running_preview(content: Path, log: Path) -> Iterator[str]:
    """``careerbot preview`` on ``content`` (its log in ``log``) until the block ends."""
    command = [sys.executable, "-m", "careerbot_chat.cli", "--content", str(content)]
    with (
        log.open("w") as errors,
        subprocess.Popen(
            [*command, "preview", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        ) as process,
    ):
        assert process.stdout is not None
        line = process.stdout.readline()
        try:
            assert "http://127.0.0.1:" in line, (line, log.read_text())
            url = line.split(" at ", 1)[1].split()[0]
            wait_until_listening(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def wait_until_listening(url: str, process: subprocess.Popen[str], log: Path) -> None:
    """The URL is printed once the port is bound, a moment before uvicorn listens on it:
    wait for a connection to be accepted (or the process to die, or 15 s)."""
    port = int(url.split(":")[2].split("/")[0])
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"preview never listened: {log.read_text()}") from None
            time.sleep(0.01)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless Chromium per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, preview_url: str) -> Iterator[Any]:
    """The preview open at 1280 px wide; fails the test on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(preview_url)
    yield opened
    context.close()
    assert errors == [], errors
