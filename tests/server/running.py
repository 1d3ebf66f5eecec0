"""``careerbot run …`` as a process, for the tests of the run mode (both platforms)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

DEADLINE = 30.0
"""Seconds a process may take to say something or to stop (CI is slow)."""


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    """This environment without the bot's settings, a SQLite store in ``tmp_path``,
    INFO logs, and ``values``."""
    prefixes = ("CAREERBOT_", "TELEGRAM_", "SLACK_")
    kept = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {
        **kept,
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CAREERBOT_LOG_LEVEL": "INFO",
        **values,
    }


async def start_run(tmp_path: Path, env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    """``careerbot run ARGS`` started in ``tmp_path``, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "careerbot_chat.cli",
        "run",
        *args,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def lines_until(stream: asyncio.StreamReader, text: str, count: int = 1) -> list[str]:
    """Lines read from ``stream`` until ``count`` of them hold ``text``."""
    seen: list[str] = []
    async with asyncio.timeout(DEADLINE):
        while sum(text in line for line in seen) < count:
            line = (await stream.readline()).decode()
            assert line, f"the stream ended before {text!r}: {seen}"
            seen.append(line)
    return seen


async def stop_with(process: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> str:
    """Send ``sig``, wait for the end; what is left of stderr (killed if it hangs)."""
    process.send_signal(sig)
    return await finished(process)


async def finished(process: asyncio.subprocess.Process) -> str:
    """Wait for the end (killed if it hangs); its stderr."""
    try:
        async with asyncio.timeout(DEADLINE):
            _, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return err.decode()
