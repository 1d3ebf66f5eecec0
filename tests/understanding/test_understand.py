"""Reading sentences into the grammar's commands; topic words, follow-ups, search, gaps."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from careerbot_chat import Catalog, CatalogHolder, Outcome, answer, parse, render_plain
from careerbot_chat.answering import _vocabulary as vocab
from careerbot_chat.answering._decide import understand
from careerbot_chat.answering._derived import search_index, warm
from tests.conftest import MLOPS_YAML, source_page


def said(catalog: Catalog, text: str, after: str | None = None) -> str:
    command = parse(text, plain=True)
    assert command is not None
    return render_plain(answer(command, catalog, None, parse(after) if after else None))


def test_each_cue_word_means_one_thing() -> None:
    """A word is a cue for one intent only, and never also a stopword."""
    seen: dict[str, str] = {}
    for intent, words in vocab.INTENTS.items():
        for word in words:
            assert word not in seen, (word, seen.get(word), intent)
            assert word not in vocab.STOPWORDS, word
            seen[word] = intent
    assert set(vocab.PRIORITY) == set(vocab.INTENTS)


def test_sentences_become_the_grammars_commands(catalog: Catalog) -> None:
    """A sentence is read into the command a member could have typed."""
    cases = {
        "how much does a senior mlops engineer make": "/salary senior mlops-engineer",
        "mlosp salary senoir": "/salary senior mlops-engineer",
        "salary for 4 yrs experience": "/salary 4 years",
        "5 saal experience pe salary kitni milegi": "/salary 5 years",
        "mlops interview tips": "/pitfalls mlops-engineer",
        "mlops engineer kya karta hai": "/role mlops-engineer",
        "can a backend engineer move into mlops": "/faq mlops-engineer switch backend",
        "does mlops pay more than devops": "/salary mlops-engineer vs devops",
        "which tools should I learn for ml ops": "/skills mlops-engineer",
    }
    for text, command in cases.items():
        understood = understand(text, catalog)
        assert understood.command is not None, text
        assert understood.command.text == command, text


def test_search_when_no_command_fits(catalog: Catalog) -> None:
    """A question about a tool is a search, answered with the line and its card's button."""
    understood = understand("what is kubeflow used for", catalog)
    assert understood.command is None
    command = parse("what is kubeflow used for", plain=True)
    assert command is not None
    reply = answer(command, catalog)
    assert "Kubeflow, Airflow, MLflow" in render_plain(reply)
    assert [a.command for a in reply.actions] == ["/skills mlops-engineer"]
    assert reply.footer is not None
    assert "careers page" in reply.footer


def test_topic_words_narrow_a_card(catalog: Catalog) -> None:
    """/skills kubernetes puts the Kubernetes lines first; /pitfalls kubernetes adds them."""
    skills = said(catalog, "/skills kubernetes").splitlines()
    assert "Kubernetes" in skills[2]
    pitfalls = said(catalog, "/pitfalls kubernetes")
    assert pitfalls.startswith("MLOps Engineer · interview pitfalls")
    assert "Deep Kubernetes" in pitfalls
    assert "No role called" not in pitfalls
    faq = said(catalog, "/faq switch").splitlines()
    assert "backend" in faq[2]


def test_a_typed_near_miss_still_asks_did_you_mean(catalog: Catalog) -> None:
    """/role mlop keeps its "did you mean" button; only sentences are corrected silently."""
    command = parse("/role mlop")
    assert command is not None
    assert answer(command, catalog).outcome is Outcome.NOT_FOUND


def test_follow_up_is_about_the_card_replied_to(catalog: Catalog) -> None:
    """ "and staff?" in reply to the senior band answers the staff band."""
    assert "₹1.2 Cr+" in said(catalog, "and staff?", after="/salary senior mlops-engineer")
    bangalore = said(catalog, "and in bangalore?", after="/salary senior mlops-engineer")
    assert "₹45–80 LPA" in bangalore
    assert "no figures by city (Bangalore)" in bangalore


def test_gaps_are_said_plainly(catalog: Catalog) -> None:
    """A city, remote work, a role we lack, a fresher band: said plainly, nothing invented."""
    assert "I have no card for Data Scientist" in said(catalog, "data scientist salary")
    assert "nothing about remote" in said(catalog, "is mlops remote friendly")
    fresher = said(catalog, "fresher mlops salary")
    assert "The source gives no fresher band" in fresher
    assert "Fresher: ₹" not in fresher


def test_a_question_only_about_a_gap_starts_with_it(catalog: Catalog) -> None:
    """Asked about what the source lacks and no card in particular: the gap is the first line."""
    for text, gap in (
        ("is remote work common in bangalore?", "no figures by city (Bangalore)"),
        ("mlops in hyderabad", "no figures by city (Hyderabad)"),
    ):
        lines = [line for line in said(catalog, text).splitlines() if line.strip()]
        assert gap in " ".join(lines[:2]), (text, lines[:2])


def test_a_gap_question_shows_no_line_matched_by_a_modifier(catalog: Catalog) -> None:
    """A question about remote work that says "common" gets both gaps first, then the
    role's first lines; never the pitfall that says "the most common way candidates fail"."""
    text = said(catalog, "is remote work common in bangalore?")
    lines = [line for line in text.splitlines() if line]
    assert {lines[0], lines[1]} == {
        "The source says nothing about remote or hybrid work for MLOps Engineer.",
        "The source gives no figures by city (Bangalore); these are for India as a whole.",
    }
    assert "most common way" not in text


def test_pay_questions_start_with_the_band(catalog: Catalog) -> None:
    """The first line is the band asked for (no title line before it)."""
    for text, band in (
        ("sr mlops ctc?", "₹45–80 LPA"),
        ("staff mlops ko kitna milta hai", "₹1.2 Cr+"),
        ("senior mlops vs devops", "10–25%"),
    ):
        lines = [line for line in said(catalog, text).splitlines() if line.strip()]
        assert band in lines[0], (text, lines[:2])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(sorted(vocab.STOPWORDS | vocab.LEVELS)) | st.text(), max_size=8))
def test_never_no_role_called_a_sentence(catalog: Catalog, words: list[str] | str) -> None:
    """Whatever a member types in words, the answer never calls it a role name."""
    text = words if isinstance(words, str) else " ".join(words)
    if not text.strip() or text.lstrip().startswith("/"):
        return
    reply = render_plain(answer(parse(text, plain=True) or parse("/help"), catalog))  # type: ignore[arg-type]
    for name in re.findall(r"No role called “([^”]*)”", reply):
        assert len(name.split()) <= 3


def test_search_index_is_swapped_with_the_catalogue(content_dir, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A reload builds the new catalogue's index before it serves; the old one is untouched."""
    from careerbot_chat import load_catalog

    folder = content_dir(MLOPS_YAML)
    holder = CatalogHolder(load_catalog(folder), folder, prepare=warm)
    old = holder.catalog
    assert not search_index(old).search(["quantisation"])
    role_file = folder / "roles" / MLOPS_YAML.name
    role_file.write_text(
        role_file.read_text().replace("- Docker\n", "- Docker\n  - Model quantisation\n")
    )
    built: list[object] = []
    fresh = holder.reload()
    fresh.derived("search_index", lambda: built.append("on first question"))
    assert built == []  # built during reload, not on first question
    assert search_index(fresh).search(["quantisation"])
    assert not search_index(old).search(["quantisation"])


def test_fact_audit(catalog: Catalog) -> None:
    """The fixes from the fact audit of the MLOps card against the source page."""
    role = said(catalog, "/role")
    assert "Staff ₹1.2 Cr+ (FAANG-tier)" in role
    assert "an order of magnitude smaller" in role
    assert "ten times" not in role
    assert "Examples of GCCs the source names: JP Morgan, Goldman Sachs, Walmart and Adobe" in role
    ladder = said(catalog, "/salary")
    assert "Headline band: ₹10–45 LPA (the range" in ladder
    assert "LPA: the range" not in ladder
    junior = said(catalog, "/salary junior")
    assert junior.count("no junior band") + junior.count("no band below") == 1


def test_faq_answers_are_in_our_own_words(catalog: Catalog) -> None:
    """No run of eight words of an FAQ answer is copied from the source page."""
    page = source_page("mlops-engineer-india-2026.txt")
    source = " ".join(re.findall(r"[a-z0-9%–]+", page.casefold()))
    for question in catalog.roles[0].faq:
        words = re.findall(r"[a-z0-9%–]+", question.answer.casefold())
        for start in range(len(words) - 7):
            run = " ".join(words[start : start + 8])
            assert run not in source, run
