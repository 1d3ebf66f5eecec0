"""What `careerbot ask` imports with the catalogue cache warm: answering, not the service."""

from __future__ import annotations

import subprocess
import sys


def test_ask_imports_no_service_module() -> None:
    """The service (and what it brings: asyncio, sqlite3, pydantic-settings) loads only
    when used; the public names it exports (``Chat``, ``Inbound``, ...) load on first use."""
    code = (
        "import sys, io, contextlib\n"
        "from careerbot_chat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', '/role', 'mlops'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('careerbot_chat.service')))\n"
        "from careerbot_chat import Chat, Inbound, Moderation, Publisher\n"
        "print(Chat.__module__, Inbound.__module__, Moderation.__module__, Publisher.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    imported, modules = done.stdout.splitlines()
    assert imported == "[]"
    assert modules.split() == ["careerbot_chat.service._inbound"] * 4
