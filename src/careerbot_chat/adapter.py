"""The adapter interface: everything a platform adapter may use from the core.

An adapter (``careerbot_telegram``, ``careerbot_slack``, or one of your own) is a
converter, as a bolt-python adapter is: it turns its platform's payload into an
``Inbound`` message, asks the ``CareerBot``, and renders the neutral ``Reply`` it gets
back. It imports from this module only, never from ``careerbot_chat`` itself, a
subpackage or a private module (a test enforces this), so the core can change behind
these names.

The pieces:

- the request and the answer: ``Chat``, ``Inbound``, ``CareerBot``, ``Reply`` and
  its blocks (``Reply.asked`` is the canonical command a card answers: buttons,
  Share and follow-ups repeat it instead of rebuilding it from the card);
- the powers an adapter lends the core: ``Moderation`` (admins, post, pin),
  ``Publisher`` (edit a posted card), ``Platform`` (what ``careerbot serve`` runs);
- answering, for inline answers and menus: ``Catalog``, ``Role``, ``Command``,
  ``parse``, ``answer``, ``find_role``, ``COMMANDS`` and ``CommandSpec`` (with
  ``command_spec``, ``member_commands``, ``moderator_commands``), ``messages`` (the
  bot's words), ``PlainRenderer`` and ``render_plain``;
- charts and the preview: ``chart_spec``, ``render_png``, ``chart_url``;
  ``PreviewCard`` and ``ChartSource`` (what ``careerbot preview`` shows of a reply);
- errors an adapter raises or meets: ``PlatformError``, ``PermissionMissing`` (with
  the words to show the moderator), ``StartupError`` (a start that waiting cannot
  cure, such as a rejected token: ``careerbot serve`` exits; other failures are
  retried), ``SettingsError``, ``StoreError``;
- helpers every adapter needs: ``read_capped`` (the capped body reader for webhook
  routes), ``retry_policy`` and its ``Backoff`` (the one retry policy: tenacity, one
  log line per retry), ``RedactSecrets`` and ``SecretShape`` (the log filter that hides tokens, and
  the shape of a platform's tokens for it), the metrics hooks ``count_api_call`` (a
  call sent, directly or inside a webhook's answer), ``count_api_error``,
  ``AnswerDelivery`` (commands counted once their answer is known to have arrived),
  ``count_duplicate``, ``count_rejected`` and ``count_installations`` (a gauge: the
  workspaces installed, as counted in the store);
- budgets shared by replicas: ``shared_limiter`` (Redis or PostgreSQL, or ``None``
  for one replica), the ``SharedLimiter`` it returns and the ``Rate`` it takes;
  ``MemoryLimiter``, the same windows kept in this process (one replica);
  ``in_background()``: the call being made is background work (a pinned-card
  refresh), to be given only what member answers leave (``Rate.spare()``);
- registration: an adapter package exposes one ``AdapterRegistration`` under the
  entry-point group ``careerbot_chat.adapters``: its name, its ``SettingsSection``
  (its own environment variables), its ``careerbot ask --format`` renderer, its
  platform factory, its edit pacing, its words and any ``CliCommand`` of its own.
  ``register`` adds one in-process. The registration must import no platform SDK,
  so ``careerbot ask`` stays quick; ``Settings.section(MySettings)`` reads it back.
"""

from __future__ import annotations

# What the package already exports comes from it: one list of public names, not two.
from . import (
    COMMANDS,
    Action,
    Block,
    Bullets,
    CareerBot,
    Catalog,
    Chat,
    Command,
    CommandSpec,
    Divider,
    Fields,
    Inbound,
    Moderation,
    Outcome,
    Paragraph,
    PermissionMissing,
    Picture,
    PlainRenderer,
    PlatformError,
    Publisher,
    Reply,
    Role,
    Settings,
    SettingsError,
    StartupError,
    StoreError,
    answer,
    command_spec,
    find_role,
    member_commands,
    messages,
    moderator_commands,
    parse,
    render_plain,
)
from ._http import MAX_BODY, StreamingRequest, read_capped
from ._registry import (
    AdapterRegistration,
    CliCommand,
    SecretShape,
    SettingsSection,
    later,
    lazy_names,
    register,
    unregister,
)
from .answering._reply import label_ends_sentence, label_separator
from .chart import chart_spec, chart_url, render_png
from .preview import ChartSource, PreviewCard
from .service._budget import MemoryLimiter, Rate, SharedLimiter, in_background, shared_limiter
from .service._logging import RedactSecrets
from .service._metrics import AnswerDelivery
from .service._metrics import api_call as count_api_call
from .service._metrics import api_error as count_api_error
from .service._metrics import duplicate_dropped as count_duplicate
from .service._metrics import installations_counted as count_installations
from .service._metrics import request_rejected as count_rejected
from .service._platform import Platform
from .service._retry import Backoff, retry_policy

__all__ = [
    "COMMANDS",
    "MAX_BODY",
    "Action",
    "AdapterRegistration",
    "AnswerDelivery",
    "Backoff",
    "Block",
    "Bullets",
    "CareerBot",
    "Catalog",
    "ChartSource",
    "Chat",
    "CliCommand",
    "Command",
    "CommandSpec",
    "Divider",
    "Fields",
    "Inbound",
    "MemoryLimiter",
    "Moderation",
    "Outcome",
    "Paragraph",
    "PermissionMissing",
    "Picture",
    "PlainRenderer",
    "Platform",
    "PlatformError",
    "PreviewCard",
    "Publisher",
    "Rate",
    "RedactSecrets",
    "Reply",
    "Role",
    "SecretShape",
    "Settings",
    "SettingsError",
    "SettingsSection",
    "SharedLimiter",
    "StartupError",
    "StoreError",
    "StreamingRequest",
    "answer",
    "chart_spec",
    "chart_url",
    "command_spec",
    "count_api_call",
    "count_api_error",
    "count_duplicate",
    "count_installations",
    "count_rejected",
    "find_role",
    "in_background",
    "label_ends_sentence",
    "label_separator",
    "later",
    "lazy_names",
    "member_commands",
    "messages",
    "moderator_commands",
    "parse",
    "read_capped",
    "register",
    "render_plain",
    "render_png",
    "retry_policy",
    "shared_limiter",
    "unregister",
]
