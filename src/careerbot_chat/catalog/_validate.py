"""The validator of a whole role file: pydantic's ``TypeAdapter`` over ``Role``.

Its own module so that the rules (``_rules``, which ``_content``'s markers load on first
validation) never import the classes back. Imported only to validate and to print the
JSON Schema; never by a start that reads the catalogue cache.
"""

from __future__ import annotations

from functools import cache

from pydantic import TypeAdapter

from ._content import Role

__all__ = ["role_adapter"]


@cache
def role_adapter() -> TypeAdapter[Role]:
    """Validates one role file's data into a ``Role`` (built once, on first use)."""
    return TypeAdapter(Role)
