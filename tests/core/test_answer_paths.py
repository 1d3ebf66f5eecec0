"""answer() down every path: no roles, one, two, a long catalogue; levels, years and FAQs
that match nothing; help and start. What the member sees, and what the reply is about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate_catalog
from careerbot_chat import (
    Bullets,
    Catalog,
    Fields,
    Outcome,
    Paragraph,
    Reply,
    answer,
    load_catalog,
    member_commands,
    moderator_commands,
    parse,
)
from careerbot_chat import messages as msg
from careerbot_chat.answering._compose import (
    CATALOG_SHOWN,
    CATALOG_WITH_SUMMARIES,
    ROLE_BUTTONS,
    help_reply,
)

MLOPS_LEVELS = "Mid-level, Senior and Staff"


def ask(catalog: Catalog, text: str, default: str | None = None) -> Reply:
    command = parse(text, plain=True)
    assert command is not None
    return answer(command, catalog, default)


def paragraphs(reply: Reply) -> list[str]:
    return [block.text for block in reply.blocks if isinstance(block, Paragraph)]


def fields(reply: Reply) -> list[Fields]:
    return [block for block in reply.blocks if isinstance(block, Fields)]


def commands(reply: Reply) -> list[str]:
    return [action.command for action in reply.actions]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Catalog]:
    """A catalogue of ``n`` roles: MLOps Engineer and generated copies."""

    def make(count: int) -> Catalog:
        return load_catalog(generate_catalog(tmp_path_factory.mktemp(f"roles{count}"), count))

    return make


def test_no_roles_loaded(content_dir: Callable[..., Path]) -> None:
    """An empty catalogue says so, for /roles and for any command needing a role."""
    empty = load_catalog(content_dir())
    for text in ("/roles", "/pitfalls"):
        reply = ask(empty, text)
        assert reply.title == msg.CATALOG_TITLE.format(count=0)
        assert paragraphs(reply) == [msg.CATALOG_EMPTY]
        assert reply.command == "roles"


@pytest.mark.parametrize("count", [CATALOG_WITH_SUMMARIES, CATALOG_WITH_SUMMARIES + 1])
def test_catalogue_shows_summaries_only_while_short(
    generated: Callable[[int], Catalog], count: int
) -> None:
    """Up to eight roles are listed with their summaries; more, by title and command."""
    catalog = generated(count)
    (listing,) = [block for block in ask(catalog, "/roles").blocks if isinstance(block, Bullets)]
    first = catalog.roles[0]
    if count <= CATALOG_WITH_SUMMARIES:
        assert listing.items[0] == f"{first.title}: {first.summary}"
    else:
        assert listing.items[0] == f"{first.title} (/role {first.slug})"
    assert len(listing.items) == count


@pytest.mark.parametrize(
    ("count", "more"), [(CATALOG_SHOWN, None), (CATALOG_SHOWN + 5, 5)], ids=["25", "30"]
)
def test_long_catalogue_is_cut_with_a_count_of_the_rest(
    generated: Callable[[int], Catalog], count: int, more: int | None
) -> None:
    """At most 25 roles are listed, then "…and N more"; eight buttons open role cards."""
    catalog = generated(count)
    reply = ask(catalog, "/roles")
    assert reply.title == msg.CATALOG_TITLE.format(count=count)
    assert reply.command == "roles"
    expected_more = [] if more is None else [msg.CATALOG_MORE.format(more=more)]
    assert paragraphs(reply) == expected_more
    assert commands(reply) == [f"/role {r.slug}" for r in catalog.roles[:ROLE_BUTTONS]]


def test_command_without_a_role_asks_which(generated: Callable[[int], Catalog]) -> None:
    """/pitfalls with several roles and no default asks which role, with pitfalls buttons."""
    catalog = generated(3)
    reply = ask(catalog, "/pitfalls")
    assert reply.command == "pitfalls"
    assert reply.outcome is Outcome.ANSWERED
    assert paragraphs(reply)[0] == msg.WHICH_ROLE.format(example="/pitfalls mlops")
    assert commands(reply) == [f"/pitfalls {r.slug}" for r in catalog.roles]


def test_level_across_many_roles_is_capped(generated: Callable[[int], Catalog]) -> None:
    """/salary senior across 30 roles: 25 rows, 8 buttons, each to that role's level."""
    catalog = generated(CATALOG_SHOWN + 5)
    reply = ask(catalog, "/salary senior")
    assert reply.title == "Senior pay across roles"
    assert reply.command == "salary"
    (rows,) = fields(reply)
    assert len(rows.items) == CATALOG_SHOWN
    assert rows.items[0] == ("MLOps Engineer", "₹45–80 LPA")
    assert commands(reply) == [f"/salary senior {r.slug}" for r in catalog.roles[:ROLE_BUTTONS]]


def test_level_across_by_years(two_roles: Catalog) -> None:
    """/salary 4 years with no role: only roles whose levels give years answer."""
    reply = ask(two_roles, "/salary 4 years")
    (rows,) = fields(reply)
    assert rows.items == (("MLOps Engineer", "₹22–45 LPA"),)
    assert commands(reply) == ["/salary mid mlops-engineer"]


def test_level_across_that_no_role_has(two_roles: Catalog) -> None:
    """/salary principal with no role: no role lists it, said plainly, nothing invented."""
    reply = ask(two_roles, "/salary principal")
    assert reply.outcome is Outcome.NOT_FOUND
    assert reply.command == "salary"
    assert reply.title == "Principal pay across roles"
    assert paragraphs(reply) == [msg.LEVEL_ACROSS_NONE.format(level="principal")]
    assert reply.actions == ()


def test_salary_without_role_or_level_asks_which(two_roles: Catalog) -> None:
    """/salary with two roles and no default asks which role."""
    reply = ask(two_roles, "/salary")
    assert reply.command == "salary"
    assert paragraphs(reply)[0].startswith("Which role?")
    assert commands(reply) == [f"/salary {role.slug}" for role in two_roles.roles]


def test_salary_for_an_unknown_word_without_a_role_is_a_role_miss(two_roles: Catalog) -> None:
    """/salary wizard with two roles: "wizard" is neither a level nor a role."""
    reply = ask(two_roles, "/salary wizard")
    assert reply.outcome is Outcome.NOT_FOUND
    assert reply.command == "salary"
    assert reply.title == msg.ROLE_NOT_FOUND_TITLE.format(query="wizard")
    assert reply.query == "wizard"


def test_unknown_level_of_a_known_role(catalog: Catalog) -> None:
    """/salary wizard mlops: the level is unknown, and the role's levels are listed."""
    reply = ask(catalog, "/salary wizard mlops")
    assert reply.outcome is Outcome.NOT_FOUND
    assert (reply.command, reply.role, reply.query) == ("salary", "mlops-engineer", "wizard")
    assert paragraphs(reply)[0] == msg.LEVEL_UNKNOWN.format(
        level="wizard", role="MLOps Engineer", levels=MLOPS_LEVELS
    )
    assert reply.title.startswith("MLOps Engineer")  # the ladder follows the notice


def test_generic_level_missing_from_the_source(catalog: Catalog) -> None:
    """/salary principal: a real level name the page does not give; the levels it does."""
    reply = ask(catalog, "/salary principal")
    assert paragraphs(reply)[0] == msg.LEVEL_NOT_IN_SOURCE.format(
        level="principal", role="MLOps Engineer", levels=MLOPS_LEVELS
    )
    assert (reply.outcome, reply.query) == (Outcome.NOT_FOUND, "principal")


def test_misspelt_role_in_salary_is_a_did_you_mean(catalog: Catalog) -> None:
    """/salary mlosp (one role loaded): a near miss of a role name, not an unknown level."""
    reply = ask(catalog, "/salary mlosp")
    assert reply.title == msg.ROLE_NOT_FOUND_TITLE.format(query="mlosp")
    assert commands(reply) == ["/salary mlops-engineer"]


def test_years_outside_every_range_name_the_ranges(catalog: Catalog) -> None:
    """/salary 40 years: the page ties no level to 40 years; the ranges it has are named."""
    reply = ask(catalog, "/salary 40 years")
    assert reply.outcome is Outcome.NOT_FOUND
    assert (reply.role, reply.query) == ("mlops-engineer", "40 years")
    (notice, *_) = paragraphs(reply)
    assert "40 years" in notice
    assert "Mid-level 3–6 yrs" in notice


def test_years_for_a_role_without_ranges(two_roles: Catalog) -> None:
    """/salary 5 years data engineer: its levels give no years, and it says so."""
    reply = ask(two_roles, "/salary 5 years de")
    assert paragraphs(reply)[0] == msg.YEARS_NONE_KNOWN.format(role="Data Engineer")
    assert (reply.outcome, reply.role) == (Outcome.NOT_FOUND, "data-engineer")


def test_default_role_answers_for_the_chat(two_roles: Catalog) -> None:
    """A chat's default role answers role-less /salary and /faq, and is asked back in full."""
    salary = ask(two_roles, "/salary", "data-engineer")
    assert (salary.role, salary.asked) == ("data-engineer", "/salary data-engineer")
    faq = ask(two_roles, "/faq", "mlops-engineer")
    assert (faq.role, faq.card) == ("mlops-engineer", "faq")


def test_faq_without_a_role_asks_which(two_roles: Catalog) -> None:
    """/faq with two roles and no default asks which role; a near miss is a did-you-mean."""
    which = ask(two_roles, "/faq")
    assert paragraphs(which)[0].startswith("Which role?")
    assert commands(which) == [f"/faq {role.slug}" for role in two_roles.roles]
    miss = ask(two_roles, "/faq mlosp")
    assert miss.title == msg.ROLE_NOT_FOUND_TITLE.format(query="mlosp")
    assert commands(miss) == ["/faq mlops-engineer"]


def test_faq_words_that_match_no_question(catalog: Catalog) -> None:
    """/faq zzz: no question mentions it; all of them are shown, with a note saying so."""
    reply = ask(catalog, "/faq zzz")
    assert reply.card == "faq"
    assert paragraphs(reply) == [msg.FAQ_NO_MATCH.format(words="zzz", role="MLOps Engineer")]
    assert len(reply.blocks) == 3  # the note and both questions


def test_faq_near_miss_of_a_role_is_a_did_you_mean(catalog: Catalog) -> None:
    """/faq mlosp: matches no question but nearly names a role: did you mean it?"""
    reply = ask(catalog, "/faq mlosp")
    assert reply.title == msg.ROLE_NOT_FOUND_TITLE.format(query="mlosp")
    assert reply.query == "mlosp"


def test_help_lists_member_then_moderator_commands() -> None:
    """/help: member commands, moderators' commands, then an example to try."""
    reply = help_reply()
    members, moderators = fields(reply)
    assert [row[0] for row in members.items] == [s.usage_line for s in member_commands()]
    assert [row[0] for row in moderators.items] == [s.usage_line for s in moderator_commands()]
    assert paragraphs(reply)[-1].startswith("Try /")
    assert (reply.outcome, reply.command, reply.query) == (Outcome.ANSWERED, "help", "")


def test_unknown_command_is_help_that_names_it(catalog: Catalog) -> None:
    """/bogus: help, opening with the unknown name; a miss for the statistics."""
    reply = ask(catalog, "/bogus")
    assert paragraphs(reply)[0] == msg.HELP_UNKNOWN.format(name="bogus")
    assert (reply.outcome, reply.command, reply.query) == (Outcome.NOT_FOUND, "help", "bogus")


def test_start_greets_with_member_commands_only(catalog: Catalog) -> None:
    """/start: the greeting, member commands (no moderators'), and a Roles button."""
    reply = ask(catalog, "/start")
    assert reply.title == msg.START_TITLE
    assert paragraphs(reply)[0] == msg.START_BODY
    (members,) = fields(reply)
    assert [row[0] for row in members.items] == [s.usage_line for s in member_commands()]
    assert commands(reply) == ["/roles"]
    assert reply.command == "start"


def test_role_named_among_several_answers_for_it(two_roles: Catalog) -> None:
    """With two roles, a name anywhere in the words picks that role's card."""
    reply = ask(two_roles, "/role de")
    assert (reply.role, reply.card) == ("data-engineer", "role")


def test_answered_reply_carries_the_question_as_asked(two_roles: Catalog) -> None:
    """A button repeats what was asked: plus the role when it came from the chat's default."""
    named = ask(two_roles, "/salary senior mlops")
    assert named.asked == "/salary senior mlops"
    defaulted = ask(two_roles, "/salary senior", "data-engineer")
    assert defaulted.asked == "/salary senior data-engineer"
    across = ask(two_roles, "/salary senior")
    assert across.asked == "/salary senior"
    missed = ask(two_roles, "/role astronaut")
    assert missed.outcome is Outcome.NOT_FOUND
    assert missed.asked == Reply("").asked  # a miss is not repeated by buttons


def test_catalogue_answers_are_kept_apart(two_roles: Catalog) -> None:
    """The catalogue, a "which role?" per command and a level across roles never mix up,
    however often each is asked."""
    for _ in range(2):
        assert ask(two_roles, "/roles").command == "roles"
        assert ask(two_roles, "/pitfalls").command == "pitfalls"
        assert ask(two_roles, "/skills").command == "skills"
        assert ask(two_roles, "/salary senior").title == "Senior pay across roles"
        assert ask(two_roles, "/salary sr").title == "Sr pay across roles"


def test_role_miss_is_counted_under_its_command(catalog: Catalog) -> None:
    """/pitfalls astronaut: a miss of /pitfalls (for statistics), retried as /pitfalls."""
    reply = ask(catalog, "/pitfalls astronaut")
    assert (reply.outcome, reply.command, reply.query) == (
        Outcome.NOT_FOUND,
        "pitfalls",
        "astronaut",
    )


def test_years_outside_two_ranges_name_both(content_dir: Callable[..., Path]) -> None:
    """/salary 1 year for a role with two year ranges: both ranges named, joined by "and"."""
    folder = content_dir()
    (folder / "roles" / "sre.yaml").write_text(
        "slug: sre\ntitle: SRE\nregion: India\nas_of: 2026\nsummary: Keeps it up.\nladder:\n"
        "  - {id: mid, label: Mid, years: {min: 3, max: 6}, min: 20L, max: 30L}\n"
        "  - {id: senior, label: Senior, years: {min: 7, max: 12}, min: 30L, max: 50L}\n"
        "sources:\n  - {title: Test, kind: survey, as_of: 2026}\n"
    )
    reply = ask(load_catalog(folder), "/salary 1 year")
    assert paragraphs(reply)[0] == msg.YEARS_NOT_IN_SOURCE.format(
        role="SRE", years="1 year", known="Mid 3–6 yrs and Senior 7–12 yrs"
    )
