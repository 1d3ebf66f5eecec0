"""The CLI as a subprocess, the way authors and operators run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow


def careerbot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


def test_ask_plain() -> None:
    """`careerbot ask` prints the plain answer and exits 0."""
    done = careerbot("ask", "/salary", "senior", "mlops")
    assert done.returncode == 0, done.stderr
    assert "₹45–80 LPA" in done.stdout


def test_ask_imports_no_chat_sdk() -> None:
    """`careerbot ask` never imports python-telegram-bot or slack-bolt."""
    code = (
        "import sys, io, contextlib\n"
        "from careerbot_chat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', '/role', 'mlops'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('telegram', 'slack_bolt', 'slack_sdk', 'aiohttp', 'starlette', 'careerbot_telegram', 'careerbot_slack'))\n"
        "print(bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_validate_ok_with_warnings() -> None:
    """`careerbot validate` passes the bundled content and prints its warnings."""
    done = careerbot("validate")
    assert done.returncode == 0
    assert "warning:" in done.stdout
    assert "ok: 1 role(s)" in done.stdout


def test_validate_errors_exit_1(tmp_path: Path) -> None:
    """Invalid content: every problem on stderr, exit status 1."""
    done = careerbot("validate", str(FIXTURES / "duplicate"))
    assert done.returncode == 1
    assert "aliases[0]: 'Shared' already names role 'first-role'" in done.stderr


def test_content_option_and_bad_folder(tmp_path: Path) -> None:
    """--content points elsewhere; a missing folder is a clear error, not a traceback."""
    done = careerbot("--content", str(tmp_path / "nope"), "roles")
    assert done.returncode == 1
    assert "no such content directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_error_exits_2() -> None:
    """Unknown subcommands and options are usage errors (exit 2)."""
    assert careerbot("frobnicate").returncode == 2
    assert careerbot("ask", "/role", "--format", "fax").returncode == 2


def test_schema_prints_json() -> None:
    """`careerbot schema` prints the JSON Schema."""
    done = careerbot("schema")
    assert json.loads(done.stdout)["title"] == "Role"


def test_roles_lists_catalogue() -> None:
    """`careerbot roles` prints one line per role."""
    assert "mlops-engineer" in careerbot("roles").stdout


def test_console_chat_until_ctrl_d() -> None:
    """`careerbot chat` answers each line and quits on end of input."""
    done = careerbot("chat", stdin="mlops\nsenior salary\n/pin\n")
    assert done.returncode == 0, done.stderr
    assert "MLOps Engineer · India, 2026" in done.stdout
    assert "₹45–80 LPA" in done.stdout
    assert "/pin is for groups" in done.stdout
