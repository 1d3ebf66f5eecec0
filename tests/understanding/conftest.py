"""The labelled questions and the numbers the catalogue's cards hold."""

from __future__ import annotations

import pytest

from careerbot_chat import Catalog
from tests.understanding.grading import Labelled, card_numbers, load_questions


@pytest.fixture(scope="session")
def questions() -> list[Labelled]:
    return load_questions()


@pytest.fixture(scope="session")
def known_numbers(catalog: Catalog) -> set[str]:
    return card_numbers(catalog)
