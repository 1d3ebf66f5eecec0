"""What answering derives from a catalogue, built once per catalogue and kept with it:
the understanding step's lexicon, the search index and (see ``_cards``) built cards."""

from __future__ import annotations

from ..catalog._loader import Catalog
from ._search import SearchIndex
from ._understand import Lexicon

__all__ = ["lexicon", "search_index", "warm"]


def lexicon(catalog: Catalog) -> Lexicon:
    """Every word the understanding step knows for ``catalog``."""
    return catalog.derived("lexicon", lambda: Lexicon(catalog))


def search_index(catalog: Catalog) -> SearchIndex:
    """The full-text index over every piece of every card of ``catalog``."""
    return catalog.derived("search_index", lambda: SearchIndex(catalog.roles))


def warm(catalog: Catalog) -> Catalog:
    """Build the lexicon and the search index now, before ``catalog`` serves anyone."""
    lexicon(catalog)
    search_index(catalog)
    return catalog
