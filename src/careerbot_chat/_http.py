"""What every route that reads a body before authenticating needs (the webhooks, the
preview's token form), without importing a web framework."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Protocol

__all__ = ["MAX_BODY", "StreamingRequest", "read_capped"]

MAX_BODY = 1 << 20
"""The largest request body a webhook route accepts (1 MiB); larger ones get 413."""


class StreamingRequest(Protocol):
    """The part of a Starlette ``Request`` that ``read_capped`` uses."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    def stream(self) -> AsyncIterator[bytes]: ...


async def read_capped(request: StreamingRequest, limit: int = MAX_BODY) -> bytes | None:
    """The request body, or ``None`` as soon as it is known to pass ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before reading anything;
    a body that streams past it is cut off there, so a huge upload costs nothing.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
