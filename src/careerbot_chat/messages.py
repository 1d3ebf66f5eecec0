"""Every word the bot says that does not come from content, in one place.

Keep the tone friendly and short: most readers are on phones in busy groups.
Templates use ``str.format`` fields; values are plain text, escaped by renderers.
"""

from __future__ import annotations

ECHO_MAX = 40
"""Longest piece of user text echoed back (then "…")."""

BOT_NAME = "careerbot"
TAGLINE = "Career answers for tech communities: roles, pay bands, interview pitfalls."
TRY = "Try {example}. Commands work in any order and any case."

HELP_TITLE = "What I can answer"
HELP_UNKNOWN = "I don't know the command /{name}. Here is what I can do."
START_TITLE = "Hi! I'm careerbot"
START_BODY = (
    "Ask me about tech roles in India: what the job is, what each level pays, "
    "and where interviews go wrong. Every figure comes with its source and date."
)

CATALOG_TITLE = "Roles I know ({count})"
CATALOG_MORE = "…and {more} more. Type /role and part of a name to find one."
CATALOG_EMPTY = "No roles are loaded yet."
WHICH_ROLE = "Which role? For example: {example}"

ROLE_NOT_FOUND_TITLE = "No role called “{query}”"
DID_YOU_MEAN = "Did you mean {names}?"
NO_SUGGESTION = "Type /roles to see every role I know."

LEVEL_NOT_IN_SOURCE = "The source gives no {level} band for {role}. It lists: {levels}."
NO_LADDER = "The source gives no pay bands by level for {role}."
NO_BAND_BELOW = "The source gives no band below {lowest}."
YEARS_NOT_IN_SOURCE = (
    "The source gives no level of {role} for {years} of experience. Levels with years: {known}."
)
YEARS_NONE_KNOWN = "The source gives no experience ranges for {role}'s levels."
LEVEL_UNKNOWN = "I don't know the level “{level}” for {role}. Levels: {levels}."
LEVEL_ACROSS_TITLE = "{level} pay across roles"
LEVEL_ACROSS_NONE = "No role I know lists a “{level}” band."
ALL_LEVELS = "All levels"

FAQ_NO_MATCH = "No question about “{words}” for {role}; here are all of them."
SECTION_EMPTY = "The source says nothing about {what} for {role} yet."

CARD_OUT_OF_DATE = "This card is out of date: that role is no longer in my catalogue."
SORRY = "Sorry, something went wrong on my side. Please try again in a minute."

MODERATORS_ONLY = "Sorry, only this chat's admins can use /{name}."
GROUPS_ONLY = "/{name} is for groups and channels: add me to one and ask there."
PINNED = "Pinned the {role} card."
UNPINNED = "Unpinned the {role} card."
NOTHING_PINNED = "I have no pinned card in this chat."
DEFAULT_ROLE_SET = "This chat's default role is now {role}: /salary senior needs no role here."
SETROLE_NEEDS_ROLE = "Which role? For example: /setrole mlops"
STORE_DOWN = "I couldn't save that just now; nothing changed. Please try again in a minute."
PIN_FAILED = "I couldn't pin that card ({reason}). Nothing was recorded; please try again."
NO_RIGHT = "I'm missing a permission here ({reason}); ask an admin to check my rights."

STATS_TITLE = "What this community asks"
STATS_TOP_ROLES = "Most asked roles"
STATS_TOP_COMMANDS = "Most used commands"
STATS_GAPS = "Asked but not found (content gaps)"
STATS_EMPTY = "Nothing asked yet."
STATS_LINE = "{key}: {week} in 7 days, {month} in 30"
STATS_FOOTER = "Counts per day; no user ids are kept."
QUOTED = "“{text}”"

SOURCE_FOOTER = "Source: {title} ({kind}, {as_of})"
SOURCE_NAMED = "{title} ({kind}, {as_of})"
SOURCE_ANSWER = "These figures are for {region} as a whole, as of {as_of}, from {sources}."

# Cards: titles, headings, labels and buttons
ROLE_TITLE = "{role} · {region}, {as_of}"
SALARY_TITLE = "{role} pay · {region}, {as_of}"
LEVEL_TITLE = "{role} · {level} pay ({region}, {as_of})"
PITFALLS_TITLE = "{role} · interview pitfalls"
SKILLS_TITLE = "{role} · skills and toolchains"
FAQ_TITLE = "{role} · common questions"
BUTTON_SALARY = "Salary"
BUTTON_PITFALLS = "Pitfalls"
BUTTON_SKILLS = "Skills"
BUTTON_FAQ = "FAQ"
BUTTON_ROLES = "Roles"
BUTTON_ROLE = "Role"
BUTTON_ROLE_CARD = "Role card"
WHAT_IT_IS = "What it is"
LEVEL_PREMIUM = "{level} premium"
PITFALL = "Interview pitfall"
STRONG_CANDIDATES_SHORT = "Strong candidates speak about"
DEMAND = "Demand"
DEMAND_OPEN_ROLES = "{label} · {about}{count:,} open roles"
ABOUT = "about "
PAY = "Pay"
BAND_COVERS = "{band} ({covers})"
BY_LEVEL = "By level"
DUTIES = "What the job involves"
WHY_NOW = "Why it matters now"
EMPLOYERS_NAMED = "Employers named"
LABELLED = "{label}: {text}"
SKILLS_EXPECTED = "Skills panels expect"
ALSO_EXPECTED = "Panels also expect"
TOP_PITFALL = "Top interview pitfall"
ONE_LINE_JOIN = " · "
HEADLINE_BAND = "Headline band"
PREMIUMS = "Premium over other roles"
PREMIUM_LABEL = "Premium"
PAY_PER_YEAR = "Pay per year"
EXPERIENCE = "Experience"
WHERE = "Where"
STRONG_CANDIDATES = "Strong candidates speak fluently about"
CORE_COMPETENCIES = "Core competencies panels expect"
FROM_ROLE = "From {origin}"
WHAT_PITFALLS = "interview pitfalls"
WHAT_SKILLS = "skills"
WHAT_FAQ = "common questions"
YEARS_FROM = "{min:g}+ yrs"
YEARS_RANGE = "{min:g}–{max:g} yrs"
PERCENT_RANGE = "{min:g}–{max:g}%"
PREMIUM = "{measure} over {roles}"


def echo(text: str) -> str:
    """User text as it may be shown back: capped at ``ECHO_MAX`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1].rstrip() + "…"


def join_names(names: list[str] | tuple[str, ...], last: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


# Charts of the pay ladder.
CHART_TITLE = "{role} pay by level"
CHART_SUBTITLE = "{region}, {as_of} · yearly pay in rupees"
CHART_FOOTER = "Source: {sources}"
CHART_UNITS = "LPA: lakh per annum"
CHART_OPEN_BAND = "{band} (and above)"
CHART_ALT = "Bar chart of {title} ({subtitle}): {bands}"
CHART_WORDS = "Yearly pay ({where}): {bands}"
CHART_ALT_HEADLINE = "Headline band {band}."
CHART_LABEL = "Chart"
NO_CHART = "{role} has no pay levels to chart yet."

# Questions in words: saying plainly what the source does not cover
GAP_CITY = "The source gives no figures by city ({place}); these are for {region} as a whole."
GAP_COUNTRY = "The source covers {region} only; it gives no figures for {place}."
GAP_COMPANY = (
    "The source gives no pay for {place} in particular; these are for {region} as a whole."
)
GAP_CITY_COMPANY = (
    "The source gives no figures by employer or city ({places}); these are for {region} as a whole."
)
GAP_OTHER_ROLE_RELATED = (
    "The source has no card for {name}; what it says relating {name} to {role}:"
)
GAP_TOPIC = "The source says nothing about {words} for {role}. What it does say:"
GAP_PAY_FORM = (
    "The source does not say anything about {words}: it gives yearly pay bands (LPA) for "
    "{role} only."
)
GAP_PAY_BASIS = (
    "The source does not say whether its bands are CTC or in-hand: it gives yearly pay bands "
    "(LPA) for {role} only."
)
GAP_BEYOND_HEADLINE = (
    "The source does not say why {level} pay goes past its headline band of {band}; "
    "it gives the two apart."
)
GAP_CURRENCY = "The source gives no figures in {place}: its pay is in rupees, for {region}."
GAP_FUTURE = "The source does not say what comes next for {role}; it gives figures as of {as_of}."
GAP_UNEXPLAINED = (
    "The source does not say more about {words} for {role} than its name; where it comes up:"
)
GAP_UNNAMED_FIRMS = "The source gives no names of {kinds} companies. {names}."
GAP_ALL_FIRMS = "The source does not say it holds at every company; only of the kinds it names."
GAP_REMOTE = "The source says nothing about remote or hybrid work for {role}."
GAP_YEAR = "The source gives no figures for {year}; these are as of {as_of}."
GAP_LEVEL_YEARS = "The source gives no experience range for {level} {role}{known}."
GAP_LEVEL_YEARS_KNOWN = "; it gives years only for {levels}"
GAP_LEVEL = "The source gives no {level} level for {role}; its lowest is {lowest}."
GAP_PATH = (
    "The source gives no route into {role} from {origin}; the route it describes is from {known}."
)
GAP_NOTHING = "The source says nothing about “{words}” for {role}. Here is what it does say."
OTHER_ROLE_TITLE = "No card for {name} yet"
GAP_OTHER_ROLE = "I have no card for {name} yet; the roles I know are {roles}."
GAP_PREMIUM = (
    "The source gives no premium of {role} over {other}; here is what it says about {other}."
)
GAP_COMPARE_NONE = (
    "The source gives no pay for {other} and nothing comparing it with {role}; "
    "what it gives for {role}:"
)
COMPARE_TITLE = "{role} vs {other} · pay ({region}, {as_of})"
SEARCH_TITLE = "What the source says about “{query}”"
SEARCH_NONE = "I found nothing about “{query}” in my sources."
SEARCH_TRY = "Try a question like “senior mlops salary” or “mlops interview tips”, or /roles."
ALSO_IN_SOURCE = "Also in the source"
NOTHING_IN_CARD = "Nothing on this card mentions “{words}”."

# Answers to questions in words: the answer is the first line, a sentence.
PAY_LEVEL = "{level} {role} pay in {region}: {band} a year ({as_of})."
PAY_BY_YEARS = (
    "With {years} years you are {level} ({range}): {role} pay there is {band} a year "
    "in {region} ({as_of})."
)
LEVEL_YEARS = "{level} means {range} of experience."
LEVEL_YEARS_PAY = (
    "{level} means {range} of experience; {role} pay there: {band} a year in {region} ({as_of})."
)
ROLES_ANSWER = "I can answer about {names}{more}."
ROLES_MORE = ", and more: type /roles"
ROLES_ASK = "Ask what a role does, its salary by level, its skills or its interview pitfalls."
GAP_QUALIFIER = (
    "The source gives the {level} band for {qualifier} companies only; it does not say "
    "what others pay."
)
PRIVACY_REPLY = (
    "I keep what you tell me about yourself in a chat (your years, pay and former role) "
    "only to read your next questions there, and forget it after a while. You need not "
    "give your pay: every band is shown without it."
)
GAP_PREMIUM_UNIT = (
    "The source does not give the {level} premium of {role} in rupees or lakhs, "
    "only as a percentage: {premium}."
)
GAP_WHY = "The source gives no reason for {role}'s pay."
PAY_HEADLINE = (
    "{role} pay in {region}: {band} a year ({as_of}), the headline band; "
    "the senior and staff bands go higher."
)
PAY_NO_HEADLINE = "The source gives pay for {role} in {region} ({as_of}) by level only."
PAY_BY_LEVEL = "By level: {levels}"
PAY_PLACED = "Your {pay} is {where} the {level} band for {role} in {region}: {band} ({as_of})."
PAY_PLACED_OTHER = "{pay} is {where} the {level} band for {role} in {region}: {band} ({as_of})."
PAY_NEXT = "{level} pays {band}."
PAY_OUTSIDE = "The source has no {role} band that holds {pay}."
PAY_PLACED_HEADLINE = (
    "{pay} is {where} the headline band for {role} in {region}: {band} ({as_of}); "
    "no level band holds it."
)
PAY_BETWEEN = (
    "{pay} is above the {lower} band for {role} in {region} ({lower_band}) and below the "
    "{higher} band ({higher_band}), as of {as_of}."
)
PAY_HEADLINE_TOO = "The headline band for {role} is {band}."
PAY_LEVELS = "{role} pay in {region} ({as_of}): {levels}."
WHERE_BELOW = "below"
WHERE_ABOVE = "above"
WHERE_BOTTOM = "inside, at the low end of"
WHERE_MIDDLE = "inside, in the middle of"
WHERE_TOP = "inside, at the top end of"
WHERE_OPEN = "inside, above the floor of"
YES_PAYS_MORE = "Yes: {line}"
"""Opens the premium when a member asks yes or no whether a role pays more."""
THANKS_REPLY = "You're welcome! Ask me about a role's salary, skills or interviews any time."
HELLO_REPLY = (
    "Hi! Ask me what a role does, its salary by level or its interviews; /help lists more."
)
DUTIES = "What the job involves"
DEMAND_LINE = "{role}: {demand} in {region}."
OK_REPLY = "Sure. Ask me whenever you like."
