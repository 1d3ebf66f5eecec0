"""Hypothesis strategies for hostile user text."""

from __future__ import annotations

from hypothesis import strategies as st

from careerbot_chat import COMMANDS

METACHARACTERS = [
    "<",
    ">",
    "&",
    "<!channel>",
    "<!here>",
    "<@U123>",
    "<script>",
    "*",
    "_",
    "`",
    "~",
    "</b>",
    "&amp;",
    "\u202e",
    "\u200f",
    "\x00",
    "\n",
    "\t",
    "👩🏽‍💻",
    "مرحبا",
]
WORDS = [
    "mlops",
    "MLOps",
    "senior",
    "sr",
    "mid",
    "staff",
    "junior",
    "5",
    "years",
    "5y",
    "12",
    "engineer",
    "devops",
    "backend",
    "mlop",
    "@careerbot_bot",
]

command_names = st.sampled_from([f"/{c.name}" for c in COMMANDS] + ["/careerbot", "/nope", "/"])
tokens = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(METACHARACTERS), st.text(min_size=1, max_size=20)
)
hostile_text = st.one_of(
    st.text(max_size=300),
    st.builds(lambda c, ts: " ".join([c, *ts]), command_names, st.lists(tokens, max_size=8)),
    st.builds(lambda c, n: c + " " + "x" * n, command_names, st.integers(0, 10_000)),
)
