"""Add to Slack: workspaces' installations and the OAuth state, kept in our database.

- ``StoreInstallations``: slack_sdk's public ``AsyncInstallationStore`` over the core's
  store (SQLite or PostgreSQL, table ``installations``): one row per workspace (or per
  organisation, for an org-wide install), so every replica reads the same rows and an
  installation outlives restarts and deploys. Bolt's own ``authorize`` looks a request's
  workspace up here; ``app_uninstalled`` and ``tokens_revoked`` delete it.
- ``Sealer``: what a row holds. With ``CAREERBOT_SECRET_KEY`` set, the installation
  (tokens and all) is encrypted with Fernet (cryptography); without it, plain JSON.
  A row written with a key cannot be read without it. Tokens are never logged.
- ``SignedStates``: slack_sdk's public ``AsyncOAuthStateStore``. A state is a random
  nonce and its expiry, signed (HMAC-SHA256) with a key derived from
  ``SLACK_CLIENT_SECRET``, which every replica has; consuming one checks the signature
  and the expiry, then claims the nonce in the store (``claim_update``), so a state
  works once, on whichever replica the browser comes back to. A forged, expired or
  reused state is refused before Bolt exchanges any code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from careerbot_chat.adapter import StoreError, count_installations

__all__ = [
    "PLATFORM",
    "STATE_SECONDS",
    "InstallationRows",
    "Sealer",
    "SignedStates",
    "StoreInstallations",
    "installation_key",
]

log = logging.getLogger("careerbot.slack")

PLATFORM = "slack"
STATE_SECONDS = 600
"""How long an OAuth state (the browser's round trip through Slack) stays valid."""
_SEALED = "fernet:"
_PLAIN = "json:"


class InstallationRows(Protocol):
    """What the installation store needs from the core's store."""

    async def get_installation(self, platform: str, key: str) -> str | None: ...
    async def set_installation(self, platform: str, key: str, data: str) -> None: ...
    async def remove_installation(self, platform: str, key: str) -> None: ...
    async def installation_keys(self, platform: str) -> list[str]: ...
    async def claim_update(self, key: str, ttl: float) -> bool: ...
    async def set_chat_installation(self, platform: str, chat_id: str, key: str) -> None: ...
    async def chat_installation(self, platform: str, chat_id: str) -> str | None: ...


class Sealer:
    """Turns an installation into a row and back; encrypted with Fernet when keyed.

    The key is ``CAREERBOT_SECRET_KEY`` as given: any string, stretched to Fernet's
    32 bytes by SHA-256 (so use a long random one, such as ``openssl rand -hex 32``).
    """

    def __init__(self, secret_key: str | None) -> None:
        self.fernet = None
        if secret_key:
            digest = hashlib.sha256(secret_key.encode()).digest()
            self.fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, installation: Installation) -> str:
        values = installation.to_dict_for_copying()
        text = json.dumps(values, default=_timestamp, separators=(",", ":"))
        if self.fernet is None:
            return _PLAIN + text
        return _SEALED + self.fernet.encrypt(text.encode()).decode()

    def open(self, row: str) -> Installation:
        """The installation in ``row``; ``StoreError`` if it cannot be read (never the row)."""
        if row.startswith(_SEALED):
            if self.fernet is None:
                raise StoreError("an installation is encrypted: CAREERBOT_SECRET_KEY is not set")
            try:
                text = self.fernet.decrypt(row.removeprefix(_SEALED).encode()).decode()
            except InvalidToken:
                raise StoreError(
                    "an installation cannot be decrypted with CAREERBOT_SECRET_KEY"
                ) from None
        else:
            text = row.removeprefix(_PLAIN)
        return Installation(**json.loads(text))


def _timestamp(value: object) -> str:
    """A moment as ISO 8601 text, which ``Installation`` reads back for either of its
    timestamp types (``installed_at`` a float, ``bot_token_expires_at`` an int)."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__}")


def installation_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> str:
    """One row per workspace, or per organisation for an org-wide install."""
    if is_enterprise_install or not team_id:
        return f"E:{enterprise_id or ''}"
    return f"T:{team_id}"


class StoreInstallations(AsyncInstallationStore):
    """slack_sdk's ``AsyncInstallationStore`` over the core's store (bot installations)."""

    def __init__(
        self, rows: InstallationRows, sealer: Sealer, rotator: AsyncTokenRotator | None = None
    ) -> None:
        self.rows = rows
        self.sealer = sealer
        self.rotator = rotator
        """Refreshes a rotating token outside a request (the pinned-card refresh); Bolt's
        ``authorize`` does it for requests."""

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        key = installation_key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        await self.rows.set_installation(PLATFORM, key, self.sealer.seal(installation))
        await self.count()
        log.info("slack: installed in %s (%s)", key, installation.team_name or "unnamed")

    async def _find(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
    ) -> Installation | None:
        row = await self.rows.get_installation(
            PLATFORM, installation_key(enterprise_id, team_id, is_enterprise_install)
        )
        if row is None:
            log.info(
                "slack: no installation for %s",
                installation_key(enterprise_id, team_id, is_enterprise_install),
            )
            return None
        return self.sealer.open(row)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's installation; asked for one user's, it is that one only if the
        user installed it (one row per workspace: no other user's is kept)."""
        found = await self._find(enterprise_id, team_id, is_enterprise_install)
        if found is not None and user_id is not None and found.user_id != user_id:
            return None
        return found

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._find(enterprise_id, team_id, is_enterprise_install)
        return found.to_bot() if found is not None and found.bot_token else None

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        key = installation_key(enterprise_id, team_id, None)
        await self.rows.remove_installation(PLATFORM, key)
        await self.count()
        log.info("slack: uninstalled from %s", key)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # a user's own token is never kept: only the bot's row
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def by_key(self, key: str) -> Installation | None:
        row = await self.rows.get_installation(PLATFORM, key)
        return None if row is None else self.sealer.open(row)

    async def remember_chat(self, chat_id: str, key: str) -> None:
        """``chat_id`` belongs to the installation ``key`` (so its pinned cards can be
        refreshed with that workspace's token)."""
        await self.rows.set_chat_installation(PLATFORM, chat_id, key)

    async def token_of_chat(self, chat_id: str) -> str | None:
        """The bot token of the workspace ``chat_id`` belongs to, while it is installed."""
        key = await self.rows.chat_installation(PLATFORM, chat_id)
        found = None if key is None else await self.by_key(key)
        if found is not None and found.bot_refresh_token and self.rotator is not None:
            refreshed = await self.rotator.perform_token_rotation(installation=found)
            if refreshed is not None:
                await self.async_save(refreshed)
                found = refreshed
        return None if found is None else found.bot_token

    async def workspaces(self) -> list[str]:
        """Every installed workspace's key (``T:…`` or ``E:…``)."""
        return await self.rows.installation_keys(PLATFORM)

    async def count(self) -> None:
        """Set the installations gauge from the store (at start, after each change)."""
        try:
            count_installations(PLATFORM, len(await self.workspaces()))
        except StoreError as exc:
            log.warning("slack: could not count the installations: %s", exc)


class SignedStates(AsyncOAuthStateStore):
    """slack_sdk's ``AsyncOAuthStateStore``: signed, expiring, single-use states."""

    def __init__(
        self,
        rows: InstallationRows,
        client_secret: str,
        *,
        seconds: float = STATE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rows = rows
        self.key = hashlib.sha256(b"careerbot oauth state\0" + client_secret.encode()).digest()
        self.seconds = seconds
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, payload: str) -> str:
        return hmac.new(self.key, payload.encode(), hashlib.sha256).hexdigest()

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        payload = f"{secrets.token_urlsafe(16)}.{int(self.clock() + self.seconds)}"
        return f"{payload}.{self._sign(payload)}"

    async def async_consume(self, state: str) -> bool:
        payload, _, signature = state.rpartition(".")
        nonce, _, expires = payload.partition(".")
        if not hmac.compare_digest(signature, self._sign(payload)) or not expires.isdigit():
            log.info("slack: refused an OAuth state that we did not sign")
            return False
        left = int(expires) - self.clock()
        if left <= 0:
            log.info("slack: refused an expired OAuth state")
            return False
        if not await self.rows.claim_update(f"slack:oauth-state:{nonce}", left + 60):
            log.info("slack: refused an OAuth state used before")
            return False
        return True
