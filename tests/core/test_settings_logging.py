"""Settings are checked at start; secrets never reach a log line."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerbot_chat import Settings, SettingsError
from careerbot_chat._registry import registrations, secret_shapes
from careerbot_chat.service._logging import MAX_MESSAGE, JsonFormatter, RedactSecrets
from tests.conftest import isolate

TOKEN = "123456789:AAFakeTelegramTokenForTestsOnly_abcdefghij"
SLACK = "xoxb-0000-fake-slack-token"


def test_malformed_setting_named_not_printed() -> None:
    """A bad webhook secret is named in one line, and its value is never printed."""
    with pytest.raises(SettingsError) as caught:
        Settings.load(telegram_webhook_secret="has spaces and $ymbols!")
    message = str(caught.value)
    assert message.startswith("TELEGRAM_WEBHOOK_SECRET: must be 1–256 characters")
    assert "$ymbols" not in message


def test_moderator_ids_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """SLACK_MODERATOR_IDS is a comma-separated list."""
    monkeypatch.setenv("SLACK_MODERATOR_IDS", "U1, U2,,U3 ")
    assert Settings.load().slack_moderator_ids == ("U1", "U2", "U3")


def test_secrets_hidden_in_repr() -> None:
    """Settings print secrets as stars."""
    settings = Settings.load(telegram_bot_token=TOKEN, slack_bot_token=SLACK)
    assert TOKEN not in repr(settings)
    assert SLACK not in str(settings)
    assert set(settings.secrets()) == {TOKEN, SLACK}


def assert_all_defaults(settings: Settings) -> None:
    """Every field of the core and of every adapter's section holds its default."""
    assert settings.model_dump() == Settings.model_construct().model_dump()
    assert settings.sections  # the adapters' sections are there to be compared
    for name, section in settings.sections.items():
        assert section == type(section).model_construct(), name


def test_suite_sees_no_developer_configuration() -> None:
    """Tests run in an empty folder with no bot variables: Settings.load() is all defaults."""
    assert not (Path.cwd() / ".env").exists()
    assert not [name for name in os.environ if name.startswith(("TELEGRAM_", "SLACK_"))]
    assert_all_defaults(Settings.load())


def test_developer_env_file_does_not_leak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's .env in the working folder and exported bot variables, which the
    settings would read, are both hidden by the suite's isolation."""
    checkout, empty = tmp_path / "checkout", tmp_path / "empty"
    checkout.mkdir()
    empty.mkdir()
    (checkout / ".env").write_text("TELEGRAM_WEBHOOK_SECRET=dev-secret\nSLACK_MODERATOR_IDS=UDEV\n")
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK)
    leaky = Settings.load()
    assert leaky.slack_moderator_ids == ("UDEV",)
    assert set(leaky.secrets()) == {"dev-secret", SLACK}
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, empty)
        assert_all_defaults(Settings.load())


def test_serve_refuses_bad_config_in_one_line(tmp_path: object) -> None:
    """`careerbot serve` with a malformed URL exits 2 with one line naming the variable."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", "serve"],
        env={"PATH": "/usr/bin:/bin", "TELEGRAM_API_BASE_URL": "ftp://nope"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "careerbot: configuration error: TELEGRAM_API_BASE_URL: must be an http:// or https:// URL"
    ]


def test_webhook_needs_secret() -> None:
    """Serving Telegram without a webhook secret is refused before anything starts."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", "serve"],
        env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": TOKEN},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET is required" in done.stderr
    assert TOKEN not in done.stderr


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, args, None)


def test_redaction_of_known_and_token_shaped_secrets() -> None:
    """Known secrets and anything shaped like an installed platform's token are masked,
    args included."""
    redact = RedactSecrets(["signing-secret-value"], secret_shapes())
    rec = record(
        "POST https://api.telegram.org/bot%s/sendMessage %s", TOKEN, "signing-secret-value"
    )
    redact.filter(rec)
    text = rec.getMessage()
    assert TOKEN not in text
    assert "signing-secret-value" not in text
    assert text.count("[redacted]") == 2
    slack = record("auth with %s", SLACK)
    redact.filter(slack)
    assert SLACK not in slack.getMessage()


def test_token_shapes_come_from_the_adapters() -> None:
    """The core knows no token format: without the adapters' shapes only the configured
    secrets are masked; each adapter brings its own."""
    assert RedactSecrets().redact(f"{TOKEN} {SLACK}") == f"{TOKEN} {SLACK}"
    shapes = {name: adapter.secret_shapes for name, adapter in registrations().items()}
    assert RedactSecrets(shapes=shapes["telegram"]).redact(f"{TOKEN} {SLACK}") == (
        f"[redacted] {SLACK}"
    )
    assert RedactSecrets(shapes=shapes["slack"]).redact(f"{TOKEN} {SLACK}") == (
        f"{TOKEN} [redacted]"
    )


def test_redaction_covers_tracebacks() -> None:
    """A traceback that mentions the token is masked too."""
    redact = RedactSecrets([TOKEN])
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/getMe")
    except RuntimeError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    redact.filter(rec)
    assert rec.exc_text is not None
    assert TOKEN not in rec.exc_text


def test_every_message_is_one_capped_line() -> None:
    """Newlines and other control characters are escaped, so text from outside cannot
    forge a record; a huge message is cut to MAX_MESSAGE characters and says so."""
    redact = RedactSecrets()
    forged = record("user said %s", "x\n2026-01-01 ERROR forged\r\x1b[31m")
    redact.filter(forged)
    assert forged.getMessage() == "user said x\\n2026-01-01 ERROR forged\\r\\x1b[31m"
    huge = record("body: %s", "y" * 1_000_000)
    redact.filter(huge)
    assert len(huge.getMessage()) < MAX_MESSAGE + 40
    assert huge.getMessage().endswith(f"({1_000_000 + 6 - MAX_MESSAGE} more characters)")


def test_json_lines() -> None:
    """JSON logs carry the request fields as keys."""
    rec = record("telegram /role answered")
    rec.platform, rec.command, rec.outcome = "telegram", "role", "answered"
    entry = json.loads(JsonFormatter().format(rec))
    assert entry["platform"] == "telegram"
    assert entry["message"] == "telegram /role answered"


def test_public_url_is_a_base_url() -> None:
    """CAREERBOT_PUBLIC_URL loses its trailing slash; anything but http(s) is named."""
    assert Settings.load(public_url="https://bot.example.org/").public_url == (
        "https://bot.example.org"
    )
    with pytest.raises(SettingsError, match=r"^CAREERBOT_PUBLIC_URL: must be the server's https"):
        Settings.load(public_url="bot.example.org")


def test_preview_token_is_long_and_secret() -> None:
    """CAREERBOT_PREVIEW_TOKEN needs 16 characters, is redacted, and is never printed."""
    with pytest.raises(
        SettingsError, match=r"^CAREERBOT_PREVIEW_TOKEN: must be at least 16"
    ) as err:
        Settings.load(preview_token="short-secret")
    assert "short-secret" not in str(err.value)
    settings = Settings.load(preview_token="a-long-enough-preview-token")
    assert "a-long-enough-preview-token" not in repr(settings)
    assert "a-long-enough-preview-token" in settings.secrets()
