"""The Slack app manifest: generated from the registry, and the checked-in copy current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from careerbot_chat import member_commands
from careerbot_slack import manifest, manifest_yaml, slash_commands

ROOT = Path(__file__).resolve().parents[2]
CHECKED_IN = ROOT / "deploy" / "slack" / "manifest.yaml"
URL = "https://careerbot.example.com"


def test_checked_in_manifest_is_current() -> None:
    """deploy/slack/manifest.yaml equals what the registry generates today."""
    assert CHECKED_IN.read_text(encoding="utf-8") == manifest_yaml(URL)


def test_slash_commands_come_from_registry() -> None:
    """One slash command per member card command, plus /careerbot, with the registry's words."""
    commands = yaml.safe_load(manifest_yaml(URL))["features"]["slash_commands"]
    by_name = {entry["command"]: entry for entry in commands}
    assert list(by_name) == list(slash_commands())
    assert list(by_name) == [
        "/role",
        "/salary",
        "/pitfalls",
        "/skills",
        "/faq",
        "/ask",
        "/roles",
        "/careerbot",
    ]
    for spec in member_commands():
        if f"/{spec.name}" in by_name:
            entry = by_name[f"/{spec.name}"]
            assert entry["description"] == spec.description
            assert entry.get("usage_hint", "") == spec.usage
    assert {entry["url"] for entry in commands} == {f"{URL}/slack/events"}
    assert {entry["should_escape"] for entry in commands} == {False}


def test_scopes_home_and_request_urls() -> None:
    """Scopes, App Home, interactivity and the events (App Home, mentions, DMs) at /slack/events."""
    data = manifest("https://bot.example.org/")
    assert data["oauth_config"]["scopes"]["bot"] == [
        "commands",
        "chat:write",
        "pins:write",
        "users:read",
        "app_mentions:read",
        "im:history",
    ]
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert data["settings"]["interactivity"] == {
        "is_enabled": True,
        "request_url": "https://bot.example.org/slack/events",
    }
    assert data["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_mention",
        "message.im",
    ]
    assert (
        data["settings"]["event_subscriptions"]["request_url"]
        == "https://bot.example.org/slack/events"
    )


def test_manifest_is_deterministic() -> None:
    """The same URL gives byte-identical YAML."""
    assert manifest_yaml(URL) == manifest_yaml(URL)


@pytest.mark.parametrize(
    "url",
    [
        "careerbot.example.com",
        "ftp://x",
        "https://x\nsettings: {}",
        "http://bot.example.org",
        "https://",
        "https://bot.example.org/?x=1",
    ],
)
def test_bad_url_is_refused(url: str) -> None:
    """Anything but a plain https URL (Slack calls only https) is refused, not written."""
    with pytest.raises(ValueError, match="https:// URL"):
        manifest_yaml(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org",
        "https://bot.example.org/",
        "https://bot.example.org/slack/events",
        "https://bot.example.org/slack/events/",
    ],
)
def test_events_path_is_added_once(url: str) -> None:
    """The base URL or the events URL itself: the request URL ends in /slack/events once."""
    data = manifest(url)
    assert data["settings"]["interactivity"]["request_url"] == (
        "https://bot.example.org/slack/events"
    )


@pytest.mark.slow
def test_cli_prints_the_manifest() -> None:
    """``careerbot slack-manifest --url`` prints the generated manifest."""
    env_path = f"{ROOT / 'adapters'}"
    code = "import sys; from careerbot_chat.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "slack-manifest", "--url", URL],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": env_path, "PATH": ""},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == manifest_yaml(URL)


def test_manifest_url_defaults_to_the_public_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --url, ``slack-manifest`` uses CAREERBOT_PUBLIC_URL; --url still wins."""
    from careerbot_chat.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAREERBOT_PUBLIC_URL", "https://bot.example.org/")
    assert main(["slack-manifest"]) == 0
    assert capsys.readouterr().out == manifest_yaml("https://bot.example.org")
    assert main(["slack-manifest", "--url", URL]) == 0
    assert capsys.readouterr().out == manifest_yaml(URL)
