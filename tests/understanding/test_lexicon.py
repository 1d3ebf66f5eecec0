"""The lexicon: every word the vocabulary and the catalogue know is left as typed; only
unknown words are corrected, and only to a known word."""

from __future__ import annotations

import pytest

from careerbot_chat import Catalog
from careerbot_chat.answering import _vocabulary as vocab
from careerbot_chat.answering._understand import Lexicon, content_words


@pytest.fixture(scope="module")
def lexicon(catalog: Catalog) -> Lexicon:
    return Lexicon(catalog)


@pytest.mark.parametrize(
    "group",
    [
        "STOPWORDS",
        "INTENTS",
        "LEVELS",
        "SHORT_FORMS",
        "SHORT_FORM_VALUES",
        "CITIES",
        "COUNTRIES",
        "COMPANIES",
        "REMOTE",
        "COMMAND_WORDS",
        "OTHER_ROLES",
    ],
)
def test_every_vocabulary_list_is_known(lexicon: Lexicon, group: str) -> None:
    """Each of the vocabulary's lists reaches the lexicon, whole."""
    if group == "INTENTS":
        words = {word for cues in vocab.INTENTS.values() for word in cues}
    elif group == "SHORT_FORM_VALUES":
        words = set(vocab.SHORT_FORMS.values())
    elif group == "OTHER_ROLES":
        words = {word for key in vocab.OTHER_ROLES for word in key}
    else:
        words = set(getattr(vocab, group))
    assert words
    assert words <= lexicon.known, sorted(words - lexicon.known)[:5]


def test_role_and_level_names_and_content_are_known(lexicon: Lexicon, catalog: Catalog) -> None:
    """Role names and aliases, level names and every word of the cards are known."""
    role = catalog.roles[0]
    for word in ("mlops", "engineer", "senior", "staff", "kubeflow", "triton"):
        assert word in lexicon.known, word
    assert lexicon.longest_name == max(len(name.split()) for name in role.names)


def test_content_words_come_from_every_part_of_a_card(catalog: Catalog) -> None:
    """Summary, duties, tools, pitfalls, what strong candidates discuss, FAQs, paths and
    why-now all feed the words that are never corrected."""
    role = catalog.roles[0]
    words = content_words(catalog)
    parts = {
        "summary": role.summary,
        "duties": " ".join(role.duties),
        "tools": " ".join(tool for chain in role.toolchains for tool in chain.tools),
        "mistakes": " ".join(p.mistake for p in role.pitfalls),
        "discussed": " ".join(line for p in role.pitfalls for line in p.strong_candidates_discuss),
        "faq": " ".join(f"{q.question} {q.answer}" for q in role.faq),
        "paths": " ".join(" ".join(path.steps) for path in role.paths),
    }
    if role.why_now is not None:
        parts["why now"] = " ".join(role.why_now.market)
    for part, text in parts.items():
        plain = [w for w in text.casefold().replace(",", " ").split() if w.isalpha() and len(w) > 3]
        assert plain, part
        assert set(plain) <= words, (part, sorted(set(plain) - words)[:5])


def test_known_words_are_never_corrected(lexicon: Lexicon) -> None:
    """A known word, a short word and a word with digits come back as typed."""
    for word in ("pune", "remote", "ctc", "k8s", "devops", "lpa"):
        assert lexicon.fix(word) == word


def test_a_typo_is_corrected_to_the_closest_known_word(lexicon: Lexicon) -> None:
    """An unknown word close to a known one becomes it; nothing close, it stays."""
    assert lexicon.fix("bangalor") == "bangalore"
    assert lexicon.fix("salery") == "salary"
    assert lexicon.fix("zzzzqqqq") == "zzzzqqqq"
    assert lexicon.fix("bangalor") == "bangalore"  # the second time from memory
