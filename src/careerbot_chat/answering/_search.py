"""Full-text search over every piece of every card, ranked by tantivy (BM25).

Each piece is one line a card shows: a duty, a skill, a toolchain, a why-now line,
a premium, a pitfall or what strong candidates discuss, an FAQ question with its
answer, a path step. The index is built once per catalogue (in memory, one
segment) and replaced with it on reload; ``careerbot ask`` imports tantivy only
when a question needs a search.

Why tantivy: its top-k search skips the rows a common word holds, where SQLite
FTS5's bm25() scores every one of them, and it needs no numpy/scipy import as bm25s
does; the figures are in docs/benchmarks.md ("Choosing the search library").
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Role
from ._vocabulary import EMPLOYER_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import tantivy

__all__ = ["HEAP", "MAX_TERMS", "Hit", "Piece", "SearchIndex", "pieces"]

_TERM = re.compile(r"[a-z0-9]+")
MAX_TERMS = 12
HEAP = 15_000_000


@dataclass(frozen=True, slots=True)
class Piece:
    """One line of one card: the role, the card it is on, a label and its text."""

    slug: str
    card: str
    label: str
    text: str
    words: str = ""
    """More words to find it by (an FAQ's ``match:``), indexed but not shown."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A piece that matched a question, and how well."""

    piece: Piece
    score: float


def pieces(role: Role) -> Iterator[Piece]:
    """Every searchable line of ``role``'s cards."""
    slug = role.slug
    yield Piece(slug, "role", msg.WHAT_IT_IS, role.summary)
    for duty in role.duties:
        yield Piece(slug, "role", msg.DUTIES, duty)
    if role.why_now is not None:
        for line in (role.why_now.summary, *role.why_now.market):
            yield Piece(slug, "role", msg.WHY_NOW, line)
        if role.why_now.employers:
            label = role.why_now.employers_are or msg.EMPLOYERS_NAMED  # "GCCs", found by it
            named = ", ".join(role.why_now.employers)
            yield Piece(slug, "role", label, named, " ".join(EMPLOYER_WORDS))
    for premium in role.premiums:
        level = role.level(premium.level)
        label = level.label if level is not None else premium.level
        yield Piece(slug, "salary", msg.LEVEL_PREMIUM.format(level=label), show.premium(premium))
    for competency in role.competencies:
        yield Piece(slug, "skills", msg.SKILLS_EXPECTED, competency)
    for chain in role.toolchains:
        yield Piece(slug, "skills", chain.purpose, ", ".join(chain.tools))
    for path in role.paths:
        for step in path.steps:
            yield Piece(slug, "skills", msg.FROM_ROLE.format(origin=path.origin), step)
    for pitfall in role.pitfalls:
        yield Piece(slug, "pitfalls", msg.PITFALL, pitfall.mistake)
        for line in pitfall.strong_candidates_discuss:
            yield Piece(slug, "pitfalls", msg.STRONG_CANDIDATES_SHORT, line)
    for question in role.faq:
        yield Piece(slug, "faq", question.question, question.answer, " ".join(question.match))


def _plurals(terms: list[str]) -> Iterator[str]:
    """Each term, and its plural too where the English stemmer keeps the plural whole:
    after a vowel or in a word without one ("SLOs", "APIs", "GCCs"), so "slo" alone
    would not find them. Elsewhere ("overs") the stemmer already makes them one."""
    for term in terms:
        yield term
        vowels = [letter in "aeiouy" for letter in term]
        if term.isalpha() and len(term) <= 4 and (vowels[-1] or not any(vowels)):
            yield f"{term}s"


class SearchIndex:
    """BM25 over ``pieces`` of every role; ``search`` is safe from any thread."""

    def __init__(self, roles: Iterable[Role]) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("slug", tokenizer_name="raw")
        builder.add_text_field("label", tokenizer_name="en_stem")
        builder.add_text_field("text", tokenizer_name="en_stem")
        builder.add_integer_field("id", stored=True, indexed=False)
        self._schema = builder.build()
        self._index = tantivy.Index(self._schema)
        self.pieces: list[Piece] = []
        writer = self._index.writer(heap_size=HEAP, num_threads=1)
        for role in roles:
            for piece in pieces(role):
                writer.add_document(
                    tantivy.Document(
                        slug=piece.slug,
                        label=piece.label,
                        text=f"{piece.text} {piece.words}",
                        id=len(self.pieces),
                    )
                )
                self.pieces.append(piece)
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        self._searcher = self._index.searcher()
        self._lock = threading.Lock()

    def search(self, words: Iterable[str], slug: str | None = None, limit: int = 3) -> list[Hit]:
        """The best pieces for ``words`` (any of them), within one role when ``slug`` is given."""
        terms = list(
            dict.fromkeys(t for word in words for t in _plurals(_TERM.findall(word.casefold())))
        )
        if not terms:
            return []
        query = self._query(terms[:MAX_TERMS], slug)
        with self._lock:
            found = self._searcher.search(query, limit)
            ids = [(score, self._searcher.doc(address)["id"][0]) for score, address in found.hits]
        return [Hit(self.pieces[int(piece_id)], float(score)) for score, piece_id in ids]

    def _query(self, terms: list[str], slug: str | None) -> tantivy.Query:
        import tantivy  # already loaded by __init__: a dictionary lookup

        parsed = self._index.parse_query(" ".join(terms), ["text", "label"])
        if slug is None:
            return parsed
        must = tantivy.Occur.Must
        role = tantivy.Query.term_query(self._schema, "slug", slug)
        return tantivy.Query.boolean_query([(must, role), (must, parsed)])
