"""Money: what authors write is read, and shown the Indian way."""

from __future__ import annotations

import re

import pytest

from careerbot_chat import format_amount, format_band, format_rupees, parse_rupees


@pytest.mark.parametrize(
    ("written", "rupees"),
    [
        ("22L", 2_200_000),
        ("45 LPA", 4_500_000),
        ("1.2Cr", 12_000_000),
        ("₹12,50,000", 1_250_000),
        (1_250_000, 1_250_000),
        ("10 lakh", 1_000_000),
        ("2 crore", 20_000_000),
        ("850k", 850_000),
        ("0.055L", 5_500),
        ("1.25 Cr", 12_500_000),
        ("Rs. 5,00,000", 500_000),
        (45.5, 46),
    ],
)
def test_parse_rupees_reads_what_authors_write(written: object, rupees: int) -> None:
    """Every spelling in the authoring guide becomes whole rupees."""
    assert parse_rupees(written) == rupees


EXAMPLES = "22L, 45 LPA, 1.2Cr or 1250000"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("ten lakh", f"cannot read 'ten lakh' as an amount; write e.g. {EXAMPLES}"),
        ("22 bucks", f"cannot read '22 bucks' as an amount; write e.g. {EXAMPLES}"),
        ("", f"cannot read '' as an amount; write e.g. {EXAMPLES}"),
        ("-5L", f"cannot read '-5L' as an amount; write e.g. {EXAMPLES}"),
        (-3, "an amount cannot be negative"),
        (True, f"expected an amount such as {EXAMPLES}"),
        (None, f"expected an amount such as {EXAMPLES}"),
        ([1], f"expected an amount such as {EXAMPLES}"),
    ],
)
def test_parse_rupees_refuses_nonsense(bad: object, reason: str) -> None:
    """Unreadable amounts raise ValueError saying what was wrong and what to write."""
    with pytest.raises(ValueError, match=f"^{re.escape(reason)}$"):
        parse_rupees(bad)


@pytest.mark.parametrize(
    ("written", "rupees"),
    [
        ("45 LPA per annum", 4_500_000),
        ("₹22L p.a.", 2_200_000),
        ("12,50,000 Per Annum", 1_250_000),
        (0, 0),
        ("0", 0),
    ],
)
def test_parse_rupees_reads_per_annum_and_zero(written: object, rupees: int) -> None:
    """ "per annum" and "p.a." are words authors add, not units; zero is an amount."""
    assert parse_rupees(written) == rupees


@pytest.mark.parametrize(
    ("written", "rupees"), [(44.5, 45), ("0.5", 1), ("2.5", 3), ("0.000025L", 3)]
)
def test_parse_rupees_rounds_half_up(written: object, rupees: int) -> None:
    """Half a rupee rounds up, never to the even neighbour."""
    assert parse_rupees(written) == rupees


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (2_200_000, 4_500_000, "₹22–45 LPA"),
        (1_000_000, 4_500_000, "₹10–45 LPA"),
        (12_000_000, None, "₹1.2 Cr+"),
        (4_500_000, 8_000_000, "₹45–80 LPA"),
        (8_000_000, 15_000_000, "₹80 LPA–₹1.5 Cr"),
        (12_500_000, 20_000_000, "₹1.3–2 Cr"),  # 1.25 rounds half up
        (650_000, 1_250_000, "₹6.5–12.5 LPA"),
        (50_000, 90_000, "₹50,000–₹90,000"),
        (2_225_000, 4_549_999, "₹22.3–45.5 LPA"),
        (600_000, None, "₹6 LPA+"),
        (50_000, 100_000, "₹50,000–₹1 LPA"),  # below a lakh at either end: two amounts
        (100_000, 200_000, "₹1–2 LPA"),  # a lakh exactly is already lakhs
        (100_000, 100_000, "₹1–1 LPA"),
    ],
)
def test_format_band(low: int, high: int | None, shown: str) -> None:
    """Bands use one unit per range, round half up and drop a trailing .0."""
    assert format_band(low, high) == shown


@pytest.mark.parametrize(
    ("rupees", "shown"),
    [
        (0, "₹0"),
        (999, "₹999"),
        (1_000, "₹1,000"),
        (99_999, "₹99,999"),
        (1_250_000, "₹12,50,000"),
        (12_34_56_789, "₹12,34,56,789"),
        (100_000, "₹1,00,000"),
    ],
)
def test_format_rupees_groups_three_then_two(rupees: int, shown: str) -> None:
    """Exact figures use 3-2-2 grouping."""
    assert format_rupees(rupees) == shown


@pytest.mark.parametrize(
    ("rupees", "shown"),
    [
        (4_500_000, "₹45 LPA"),
        (10_000_000, "₹1 Cr"),
        (15_000, "₹15,000"),
        (99_999, "₹99,999"),
        (100_000, "₹1 LPA"),
    ],
)
def test_format_amount(rupees: int, shown: str) -> None:
    """Single amounts pick lakh or crore."""
    assert format_amount(rupees) == shown
