"""The CLI the way authors and operators run it: as a process where the process itself is
what is tested (exit status of the interpreter, signals, pipes, a full disk, what gets
imported, logging), else ``main()`` in this process, which is the same code without the
~0.25 s of CPU an interpreter start costs."""

from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from careerbot_chat.cli import main
from tests.conftest import FIXTURES


@dataclass(frozen=True)
class Done:
    """What a ``careerbot`` run left: its status and its two outputs."""

    returncode: int
    stdout: str
    stderr: str


Careerbot = Callable[..., Done]


@pytest.fixture
def here(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Careerbot:
    """``careerbot ARGS`` run by ``main()`` in this process, given ``env`` on top."""

    def run(*args: str, env: dict[str, str] | None = None) -> Done:
        with monkeypatch.context() as patch:
            patch.delenv("CAREERBOT_PUBLIC_URL", raising=False)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            capsys.readouterr()
            try:
                status = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                status = exc.code if isinstance(exc.code, int) else 1
            out, err = capsys.readouterr()
        return Done(status, out, err)

    return run


def careerbot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``careerbot ARGS`` as its own process."""
    environment = {k: v for k, v in os.environ.items() if k != "CAREERBOT_PUBLIC_URL"}
    return subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
        env={**environment, **(env or {})},
    )


def test_ask_plain(here: Careerbot) -> None:
    """`careerbot ask` prints the plain answer and exits 0."""
    done = here("ask", "/salary", "senior", "mlops")
    assert done.returncode == 0, done.stderr
    assert "₹45–80 LPA" in done.stdout


def test_the_package_runs_as_the_command() -> None:
    """`python -m careerbot_chat` is `careerbot`: same answer, same exit codes."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat", "ask", "/salary", "senior", "mlops"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == careerbot("ask", "/salary", "senior", "mlops").stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "careerbot_chat", "no-such-command"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert wrong.returncode == 2
    assert "Traceback" not in wrong.stderr


def test_reader_that_stops_early_is_no_error() -> None:
    """`careerbot ask … | head -1`: a closed pipe ends the command quietly with status 0."""
    with subprocess.Popen(
        [sys.executable, "-m", "careerbot_chat.cli", "ask", "/role", "mlops"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # the reader is gone before the answer is written
        status = process.wait(timeout=60)
        stderr = process.stderr.read().decode()
    assert status == 0, stderr
    assert stderr == ""


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


def test_validate_ok_without_warnings(here: Careerbot) -> None:
    """`careerbot validate` passes the bundled content with no warning."""
    done = here("validate")
    assert done.returncode == 0
    assert "warning:" not in done.stdout
    assert "ok: 1 role(s), 0 warning(s)" in done.stdout


def test_unknown_format_names_the_choices_not_an_extra(here: Careerbot) -> None:
    """`--format xml`: a usage error listing the formats, no made-up pip extra."""
    done = here("ask", "/role", "--format", "xml")
    assert done.returncode == 2
    assert "careerbot-chat[xml]" not in done.stderr
    assert "one of: plain," in done.stderr
    assert "slack" in done.stderr
    assert "telegram" in done.stderr


def test_validate_errors_exit_1(here: Careerbot, tmp_path: Path) -> None:
    """Invalid content: every problem on stderr, exit status 1."""
    done = here("validate", str(FIXTURES / "duplicate"))
    assert done.returncode == 1
    assert "aliases[0]: 'Shared' already names role 'first-role'" in done.stderr


def test_content_option_and_bad_folder(here: Careerbot, tmp_path: Path) -> None:
    """--content points elsewhere; a missing folder is a clear error, not a traceback."""
    done = here("--content", str(tmp_path / "nope"), "roles")
    assert done.returncode == 1
    assert "no such content directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_error_exits_2(here: Careerbot) -> None:
    """Unknown subcommands and options are usage errors (exit 2)."""
    assert here("frobnicate").returncode == 2
    assert here("ask", "/role", "--format", "fax").returncode == 2


def test_schema_prints_json(here: Careerbot) -> None:
    """`careerbot schema` prints the JSON Schema."""
    done = here("schema")
    assert json.loads(done.stdout)["title"] == "Role"


def test_roles_lists_catalogue(here: Careerbot) -> None:
    """`careerbot roles` prints one line per role."""
    assert "mlops-engineer" in here("roles").stdout


def test_console_chat_until_ctrl_d() -> None:
    """`careerbot chat` answers each line and quits on end of input."""
    done = careerbot("chat", stdin="mlops\nsenior salary\n/pin\n")
    assert done.returncode == 0, done.stderr
    assert "MLOps Engineer · India, 2026" in done.stdout
    assert "₹45–80 LPA" in done.stdout
    assert "/pin is for groups" in done.stdout


@pytest.mark.parametrize("word", ["quit", "exit", "  Quit  ", "/quit"])
def test_console_chat_quits_on_quit(
    here: Careerbot, word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quit` or `exit` on a line of its own ends the chat (status 0); nothing after it
    is answered, and `quit` is not searched for."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"mlops\n{word}\n/salary senior\n"))
    done = here("chat")
    assert done.returncode == 0, done.stderr
    assert "MLOps Engineer · India, 2026" in done.stdout
    assert done.stdout.count("you> ") == 2  # the line after `quit` was never read
    assert "quit" not in done.stdout.casefold().split("quit (or ctrl-d) quits", 1)[1]


@pytest.mark.parametrize("command", [["ask", "/role", "mlops"], ["roles"], ["validate"]])
def test_global_option_after_the_subcommand(
    here: Careerbot, command: list[str], tmp_path: Path
) -> None:
    """`--content DIR` works after the subcommand as well as before it."""
    missing = str(tmp_path / "nope")
    for args in (["--content", missing, *command], [*command, "--content", missing]):
        done = here(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert "no such content directory" in done.stderr


def test_global_option_after_the_subcommand_is_used(here: Careerbot, tmp_path: Path) -> None:
    """Given after the subcommand, `--content` really picks the folder that answers."""
    roles = tmp_path / "content" / "roles"
    roles.mkdir(parents=True)
    source = (FIXTURES.parent.parent / "content" / "roles" / "mlops-engineer.yaml").read_text()
    (roles / "mlops-engineer.yaml").write_text(source.replace("MLOps Engineer", "MLOps Wrangler"))
    done = here("roles", "--content", str(tmp_path / "content"))
    assert done.returncode == 0, done.stderr
    assert "MLOps Wrangler" in done.stdout


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["frobnicate"], 2),
        (["ask"], 2),
        (["ask", "/role", "--format", "fax"], 2),
        (["roles", "--nope"], 2),
        (["serve", "--port", "eighty"], 2),
        (["slack-manifest", "--url", "example.org"], 2),
        (["slack-manifest", "--url", "http://bot.example.org"], 2),
        (["--content", "/nonexistent-careerbot", "roles"], 1),
        (["serve", "--port", "99999"], 2),
        (["serve", "--internal-port", "70000"], 2),
        (["preview", "--port", "-1"], 2),
        (["run", "--port", "65536"], 2),
        (["run", "slack"], 2),
        (["run", "telegram"], 2),
        (["--content", "/nonexistent-careerbot", "serve", "--port", "0"], 1),
        (["--content", "/nonexistent-careerbot", "preview", "--port", "0"], 1),
    ],
)
def test_every_error_is_one_line(here: Careerbot, args: list[str], status: int) -> None:
    """Usage errors exit 2 (a port out of range, a missing token too), other errors 1;
    either way one line on stderr, no traceback. Commands that serve run as a process:
    they set up logging for the whole process."""
    serves = {"serve", "preview", "run"} & set(args)
    done = careerbot(*args) if serves else here(*args)
    assert done.returncode == status, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("url", ["http://bot.example.org", "ftp://bot.example.org"])
def test_serve_and_manifest_agree_on_an_http_public_url(here: Careerbot, url: str) -> None:
    """CAREERBOT_PUBLIC_URL over http: `serve` refuses it as `slack-manifest` does, and
    both name the variable (not a --url nobody gave)."""
    env = {"CAREERBOT_PUBLIC_URL": url}
    for args, run in ((["serve", "--port", "0"], careerbot), (["slack-manifest"], here)):
        done = run(*args, env=env)
        assert done.returncode == 2, (args, done.stderr)
        (line,) = done.stderr.splitlines()
        assert "CAREERBOT_PUBLIC_URL" in line
        assert "--url" not in line


def test_slack_manifest_needs_https_and_says_so(here: Careerbot) -> None:
    """`--url example.org`: one line saying an https URL is needed, exit 2."""
    done = here("slack-manifest", "--url", "example.org")
    assert done.returncode == 2
    assert "must be an https:// URL" in done.stderr


def test_slack_manifest_events_url_not_doubled(here: Careerbot) -> None:
    """`--url https://host/slack/events` is taken as the events URL itself."""
    done = here("slack-manifest", "--url", "https://bot.example.org/slack/events")
    assert done.returncode == 0, done.stderr
    assert "https://bot.example.org/slack/events" in done.stdout
    assert "/slack/events/slack/events" not in done.stdout


def test_slack_manifest_without_url(here: Careerbot) -> None:
    """No `--url`: CAREERBOT_PUBLIC_URL if set, else a placeholder, said on stderr."""
    placeholder = here("slack-manifest")
    assert placeholder.returncode == 0
    assert "placeholder https://careerbot.example.com" in placeholder.stderr
    assert "https://careerbot.example.com/slack/events" in placeholder.stdout
    public = here("slack-manifest", env={"CAREERBOT_PUBLIC_URL": "https://bot.example.org"})
    assert public.returncode == 0
    assert public.stderr == ""
    assert "https://bot.example.org/slack/events" in public.stdout


def console_env(tmp_path: Path) -> dict[str, str]:
    """An environment with no platform configured, unbuffered, outside any `.env`."""
    drop = ("TELEGRAM_", "SLACK_", "CAREERBOT_")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {
        **environment,
        "PYTHONUNBUFFERED": "1",
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path}/db",
    }


def read_until(stream: IO[bytes], marker: bytes, deadline: float) -> bytes:
    """Read ``stream`` until ``marker`` appears; fail at ``deadline`` (monotonic)."""
    seen = b""
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"never saw {marker!r}: {seen[-500:]!r}"
        ready, _, _ = select.select([stream], [], [], remaining)
        if ready:
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, f"stream closed before {marker!r}: {seen[-500:]!r}"
            seen += chunk
    return seen


def interrupt(process: subprocess.Popen[bytes], deadline: float) -> int:
    """Press Ctrl-C until ``process`` exits; its exit status.

    Pressed again each second: a signal landing between the prompt being written and
    the read starting is seen only at the next one (in any Python program).
    """
    while True:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            assert time.monotonic() < deadline, "Ctrl-C did not quit"


@pytest.mark.parametrize("command", [["chat"], ["run"]])
def test_console_chat_quits_on_ctrl_c(command: list[str], tmp_path: Path) -> None:
    """Ctrl-C at the prompt (or while the stdin stays open) quits with status 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "careerbot_chat.cli", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=console_env(tmp_path),
        cwd=tmp_path,
        # As in a terminal: a test runner started in the background ignores SIGINT,
        # and a child inherits that unless it is reset.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdin is not None
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        read_until(process.stdout, b"you> ", deadline)
        process.stdin.write(b"mlops\n")
        process.stdin.flush()
        read_until(process.stdout, b"you> ", deadline)
        assert interrupt(process, deadline) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_console_chat_logs_warnings_only(tmp_path: Path) -> None:
    """`careerbot run` with no platform opens the console chat with no INFO lines."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", "run"],
        input="mlops\n/salary senior\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**console_env(tmp_path), "CAREERBOT_LOG_LEVEL": "INFO"},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "₹45–80 LPA" in done.stdout
    assert " INFO " not in done.stderr, done.stderr


@pytest.mark.parametrize("command", [["validate"], ["ask", "/role"]])
def test_impossible_date_is_an_error_not_a_traceback(
    here: Careerbot, command: list[str], tmp_path: Path
) -> None:
    """`as_of: 2026-02-30` names the file, the field and why; exit 1, no traceback."""
    roles = tmp_path / "content" / "roles"
    roles.mkdir(parents=True)
    (roles / "impossible-day.yaml").write_bytes(
        (FIXTURES / "invalid" / "impossible-day.yaml").read_bytes()
    )
    done = here(*command, "--content", str(tmp_path / "content"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "impossible-day.yaml: as_of: 2026-02-30 is not a date" in done.stderr


@pytest.mark.parametrize("command", [["schema"], ["roles"], ["ask", "/salary", "mlops"]])
def test_a_full_disk_is_one_line(command: list[str]) -> None:
    """Output that cannot be written (`> /dev/full`): one line on stderr, status 1."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "careerbot_chat.cli", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "careerbot: cannot write the output: No space left on device"
    ]


@pytest.mark.parametrize(
    "command", [["validate"], ["serve", "--port", "0"], ["preview", "--port", "0"]]
)
def test_a_folder_without_role_files_is_an_error(
    here: Careerbot, command: list[str], tmp_path: Path
) -> None:
    """A content folder with no role files (no roles/ in it) is an error, not 0 roles:
    `validate` does not say ok, `serve` and `preview` do not start."""
    (tmp_path / "content").mkdir()
    run = here if command == ["validate"] else careerbot
    done = run("--content", str(tmp_path / "content"), *command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no role files here" in done.stderr
    assert "ok:" not in done.stdout
    assert "Traceback" not in done.stderr
