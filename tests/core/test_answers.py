"""Every command on the MLOps card, and every fact of the source page answerable."""

from __future__ import annotations

import pytest

from careerbot_chat import Catalog, Outcome, Reply, answer, parse, render_plain
from tests.conftest import FIXTURES, shared_sources, source_page

SOURCE = "mlops-engineer-india-2026.txt"
# Each fact as the page words it, and as the bot says it.
SOURCE_FIGURES = (
    ("~1,260 open roles", "1,260"),
    ("₹10L – ₹45L", "₹10–45 LPA"),
    ("(3–6 yrs)", "3–6 yrs"),
    ("₹22–45 LPA", "₹22–45 LPA"),
    ("₹45–80 LPA", "₹45–80 LPA"),
    ("crosses ₹1.2 cr", "₹1.2 Cr+"),
    ("₹6–12 LPA", "₹6–12 LPA"),
    ("10–25% premium", "10–25%"),
    ("in India in 2026", "2026"),
)
SOURCE_NAMES = (
    "Kubeflow",
    "Airflow",
    "MLflow",
    "SageMaker",
    "Vertex AI",
    "TorchServe",
    "Triton",
    "Ray Serve",
    "Prometheus",
    "Grafana",
    "Datadog",
    "JP Morgan",
    "Goldman Sachs",
    "Walmart",
    "Adobe",
)


def ask(catalog: Catalog, text: str, default: str | None = None) -> Reply:
    command = parse(text, plain=True)
    assert command is not None
    return answer(command, catalog, default)


def shown(catalog: Catalog, text: str) -> str:
    return render_plain(ask(catalog, text))


def test_role_card_carries_summary_demand_pay_source(catalog: Catalog) -> None:
    """/role mlops: what it does, demand, headline pay, source and date, buttons."""
    reply = ask(catalog, "/role mlops")
    text = render_plain(reply)
    assert reply.outcome is Outcome.ANSWERED
    assert reply.card == "role"
    for fact in (
        "notebooks into production",
        "High demand",
        "about 1,260 open roles",
        "₹10–45 LPA",
        "MLOps Engineer careers in India in 2026",
        "careers page, 2026",
    ):
        assert fact in text
    assert [a.label for a in reply.actions] == ["Salary", "Pitfalls", "Skills", "FAQ"]
    assert all(len(a.command.encode()) <= 64 for a in reply.actions)


def test_role_card_fits_one_screen_one_line_per_part(catalog: Catalog) -> None:
    """/role: at most 15 non-empty lines; skills and the top pitfall each on one line."""
    lines = [line for line in shown(catalog, "/role mlops").splitlines() if line.strip()]
    assert len(lines) <= 15
    (skills,) = [line for line in lines if line.startswith("Skills panels expect")]
    for skill in ("Python", "Deep Kubernetes", "Docker", "AWS or GCP", "Prometheus", "SageMaker"):
        assert skill in skills
    (pitfall,) = [line for line in lines if line.startswith("Top interview pitfall")]
    assert "DevOps plus scripts" in pitfall


@pytest.mark.parametrize("name", ["mlops", "MLOps Engineer", "mlops-engineer", "ML OPS"])
def test_role_found_by_slug_title_alias(catalog: Catalog, name: str) -> None:
    """Any of the role's names, in any case, finds it."""
    assert ask(catalog, f"/role {name}").role == "mlops-engineer"


def test_salary_ladder(catalog: Catalog) -> None:
    """/salary: the ladder, headline band, premiums; no junior band invented."""
    text = shown(catalog, "/salary")
    for fact in (
        "Mid-level (3–6 yrs): ₹22–45 LPA",
        "Senior: ₹45–80 LPA",
        "Staff (FAANG-tier): ₹1.2 Cr+",
        "₹6–12 LPA over DevOps",
        "10–25% over DevOps and SRE",
        "no band below Mid-level",
    ):
        assert fact in text


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("/salary senior", "₹45–80 LPA"),
        ("/salary mlops senior", "₹45–80 LPA"),
        ("/salary SR mlops", "₹45–80 LPA"),
        ("/salary mid", "₹22–45 LPA"),
        ("/salary 5 years", "₹22–45 LPA"),
        ("/salary 5y", "₹22–45 LPA"),
        ("/salary 3 yrs mlops", "₹22–45 LPA"),
        ("/salary staff", "₹1.2 Cr+"),
        ("senior salary", "₹45–80 LPA"),
    ],
)
def test_salary_level(catalog: Catalog, text: str, band: str) -> None:
    """A level by id, label, alias or years, with the role anywhere."""
    reply = ask(catalog, text)
    assert reply.outcome is Outcome.ANSWERED
    assert reply.card is not None
    assert reply.card.startswith("salary:")
    assert band in render_plain(reply)


def test_salary_junior_says_the_source_has_none(catalog: Catalog) -> None:
    """No junior band on the page: the bot says so rather than inventing one."""
    reply = ask(catalog, "/salary junior")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "The source gives no junior band for MLOps Engineer" in render_plain(reply)


def test_salary_years_outside_known_ranges(catalog: Catalog) -> None:
    """1 year matches no level with years; the answer says which levels have them."""
    text = shown(catalog, "/salary 1 year")
    assert "gives no level of MLOps Engineer for 1 year of experience" in text
    assert "Mid-level 3–6 yrs" in text


def test_pitfalls_and_strong_topics(catalog: Catalog) -> None:
    """/pitfalls (and /interview): the self-elimination mistake and the four topics."""
    for command in ("/pitfalls", "/interview mlops"):
        text = shown(catalog, command)
        for fact in (
            "DevOps plus scripts",
            "feature freshness",
            "training and serving",
            "Shadow deployments",
            "batch and online inference",
        ):
            assert fact in text


def test_skills_toolchains_and_path(catalog: Catalog) -> None:
    """/skills: competencies, toolchains by purpose, the path from backend."""
    text = shown(catalog, "/skills")
    for fact in (
        "Python and at least one ML framework",
        "Deep Kubernetes",
        "Docker",
        "AWS or GCP",
        "Prometheus, Grafana or Datadog",
        "Kubeflow, Airflow, MLflow, SageMaker, Vertex AI",
        "TorchServe, Triton, Ray Serve",
        "Vertex AI, SageMaker or self-hosted",
        "From Backend engineer",
    ):
        assert fact in text


def test_role_card_why_now(catalog: Catalog) -> None:
    """Why it matters now: GCC employers, parity, the smaller talent pool, duties."""
    text = shown(catalog, "/role")
    for fact in (
        "Examples of GCCs the source names: JP Morgan, Goldman Sachs, Walmart and Adobe",
        "same as senior backend and SRE",
        "an order of magnitude smaller",
        "feature stores",
        "drift",
        "SLOs",
        "low-latency APIs",
    ):
        assert fact in text


def test_faq_both_questions_and_filter(catalog: Catalog) -> None:
    """/faq lists both questions; words filter them."""
    text = shown(catalog, "/faq")
    assert "compare with DevOps and SRE" in text
    assert "from a backend role" in text
    filtered = shown(catalog, "/faq mlops backend")
    assert "from a backend role" in filtered
    assert "compare with DevOps" not in filtered


def test_source_page_figures_all_answerable(catalog: Catalog) -> None:
    """Every figure and named tool or employer on the source page shows up in some answer."""
    page = " ".join(source_page(SOURCE).split())
    everything = "\n".join(
        shown(catalog, c) for c in ("/role", "/salary", "/pitfalls", "/skills", "/faq")
    )
    for on_page, said in SOURCE_FIGURES:
        assert on_page in page, on_page
        assert said in everything, said
    for name in SOURCE_NAMES:
        assert name in page, name
        assert name in everything, name


def test_did_you_mean(catalog: Catalog) -> None:
    """A near miss is suggested with a button that retries, never answered silently."""
    reply = ask(catalog, "/role mlop")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "Did you mean MLOps Engineer?" in render_plain(reply)
    assert reply.actions[0].command == "/role mlops-engineer"
    pitfalls = ask(catalog, "/pitfalls mlopps")
    assert pitfalls.actions[0].command == "/pitfalls mlops-engineer"


def test_far_miss_points_at_catalogue(catalog: Catalog) -> None:
    """Nothing close: point at /roles."""
    reply = ask(catalog, "/role astronaut")
    assert reply.outcome is Outcome.NOT_FOUND
    assert "/roles" in render_plain(reply)


def test_roles_help_start(catalog: Catalog) -> None:
    """The catalogue, help from the registry, and a greeting."""
    assert "MLOps Engineer" in shown(catalog, "/roles")
    help_text = shown(catalog, "/help")
    for usage in ("/role [role]", "/salary [level | N years] [role]", "/pin [role]"):
        assert usage in help_text
    assert "Hi!" in shown(catalog, "/start")
    unknown = ask(catalog, "/bogus")
    assert unknown.outcome is Outcome.NOT_FOUND
    assert "/bogus" in render_plain(unknown)


def test_user_text_echo_is_capped(catalog: Catalog) -> None:
    """What the user typed comes back at most 40 characters long."""
    reply = ask(catalog, "/role " + "q" * 200)
    assert "q" * 41 not in render_plain(reply)
    assert "…" in reply.title


def test_default_role_and_across_roles(two_roles: Catalog) -> None:
    """Several roles: no default → the level across roles; a default answers for it."""
    across = render_plain(ask(two_roles, "/salary senior"))
    assert "MLOps Engineer: ₹45–80 LPA" in across
    assert "Engineer: Senior:" not in across  # the title names the level once
    assert "Data Engineer: ₹30–50 LPA" in across
    assert "₹30–50 LPA" in render_plain(ask(two_roles, "/salary senior", "data-engineer"))
    assert ask(two_roles, "/role").command == "role"
    assert "Which role?" in render_plain(ask(two_roles, "/pitfalls"))
    assert ask(two_roles, "/role", "mlops-engineer").role == "mlops-engineer"


def test_vendored_sources_match_shared() -> None:
    """The copy under tests/fixtures/sources/ is the shared source page, byte for byte."""
    vendored = FIXTURES / "sources" / SOURCE
    shared = [folder / SOURCE for folder in shared_sources() if (folder / SOURCE).is_file()]
    if not shared:
        pytest.skip("no shared/sources/ beside this checkout to compare the copy with")
    assert vendored.read_bytes() == shared[0].read_bytes()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("senior mlops salary", "SALARY"),
        ("mlops salary vs backend", "COMPARE"),
        ("backend to mlops", "PATH"),
        ("is mlops hiring", "DEMAND"),
        ("sre salary", "OTHER_ROLE"),
        ("hello", "CHAT"),
        ("help", "START"),
    ],
)
def test_a_sentence_is_understood_as_a_kind(catalog: Catalog, text: str, kind: str) -> None:
    """What a sentence asks is one of the ``Kind`` members, not a bare string."""
    from careerbot_chat.answering._decide import Kind, understand

    understood = understand(text, catalog)
    assert isinstance(understood.kind, Kind)
    assert understood.kind is Kind[kind]


def _first_line(catalog: Catalog, text: str) -> str:
    return next(line for line in shown(catalog, text).splitlines() if line.strip())


@pytest.mark.parametrize("text", ["highest salary for mlops", "max mlops pay", "mlops pay ceiling"])
def test_the_highest_pay_is_the_top_rung(catalog: Catalog, text: str) -> None:
    """Asking for the most a role pays leads with its top rung's band, not the headline."""
    assert "₹1.2 Cr" in _first_line(catalog, text)


@pytest.mark.parametrize(
    "text", ["is mlops the highest paid track", "highest paying tech jobs mlops"]
)
def test_highest_paid_asks_the_role_s_standing(catalog: Catalog, text: str) -> None:
    """ "Highest paid" about the role is the source's standing of it, not the top band."""
    assert "highest-paid sub-tracks" in _first_line(catalog, text)


@pytest.mark.parametrize(
    "text", ["must-have skills mlops", "mlops requirements", "what do mlops panels look for"]
)
def test_requirement_words_ask_for_skills(catalog: Catalog, text: str) -> None:
    """Must-have, requirements, "look for": the competencies panels expect."""
    answer = shown(catalog, text)
    assert "Docker" in answer
    assert "Python" in answer


@pytest.mark.parametrize("text", ["which GCCs does the source name for mlops", "mlops kaunse gcc"])
def test_which_employers_names_them(catalog: Catalog, text: str) -> None:
    """A question for the employers gets the line that names them."""
    assert "JP Morgan" in shown(catalog, text)


@pytest.mark.parametrize(
    ("text", "nearest"),
    [("azure experience okay for mlops", "AWS or GCP"), ("mlops helm", "Kubernetes")],
)
def test_an_uncovered_tool_gets_the_nearest_covered_line(
    catalog: Catalog, text: str, nearest: str
) -> None:
    """A tool the source never names: said so first, then what it says nearest to it."""
    first, second = [line for line in shown(catalog, text).splitlines() if line.strip()][:2]
    assert "says nothing about" in first
    assert nearest in second
    assert "Python" not in second  # that line, not the whole list of competencies


@pytest.mark.parametrize(
    "text", ["do devops and sre get paid the same", "devops or sre, who earns more"]
)
def test_two_other_roles_lead_with_the_line_naming_both(catalog: Catalog, text: str) -> None:
    """Two other roles named: the source's line about both of them comes first."""
    lines = [line for line in shown(catalog, text).splitlines() if line.strip()]
    assert "DevOps and SRE pay roughly the same" in lines[1]
