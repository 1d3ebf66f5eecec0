"""Money: what authors write is read, and shown the Indian way."""

from __future__ import annotations

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


@pytest.mark.parametrize("bad", ["ten lakh", "22 bucks", "", "-5L", True, None, [1], -3])
def test_parse_rupees_refuses_nonsense(bad: object) -> None:
    """Unreadable amounts raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=r"amount|negative"):
        parse_rupees(bad)


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
    ("rupees", "shown"), [(4_500_000, "₹45 LPA"), (10_000_000, "₹1 Cr"), (15_000, "₹15,000")]
)
def test_format_amount(rupees: int, shown: str) -> None:
    """Single amounts pick lakh or crore."""
    assert format_amount(rupees) == shown
