"""Pay-ladder charts: what they draw, their names, their alt text, their PNG."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace

import pytest
from PIL import Image

from careerbot_chat import Catalog, Role
from careerbot_chat.chart import alt_text, chart_spec, chart_url, parse_key, render_png, render_svg
from careerbot_chat.chart._layout import WIDTH, Text, layout
from careerbot_chat.chart._paint import measure

PHONE_PHOTO = 300
"""How wide a phone's chat (360 px screen) shows a photo, in CSS pixels."""


@pytest.fixture
def role(catalog: Catalog) -> Role:
    return catalog.get("mlops-engineer")  # type: ignore[return-value]


def spec_of(role: Role):  # type: ignore[no-untyped-def]
    spec = chart_spec(role)
    assert spec is not None
    return spec


def test_svg_has_one_bar_per_level_in_ladder_order(role: Role) -> None:
    """Each level is one bar, junior to senior."""
    svg = render_svg(spec_of(role))
    assert re.findall(r'class="bar" data-level="([^"]+)"', svg) == [
        lvl.label for lvl in role.ladder
    ]


def test_open_ended_band_fades_into_an_arrow(role: Role) -> None:
    """Staff has no max: its bar runs to the edge, ends in an arrow, and says "and above"."""
    svg = render_svg(spec_of(role))
    assert svg.count("<polygon") == 1
    assert "₹1.2 Cr and above" in svg
    closed = replace(role, ladder=role.ladder[:2])
    assert "<polygon" not in render_svg(spec_of(closed))


def test_chart_labels_qualifier_headline_source_and_rupees(role: Role) -> None:
    """FAANG-tier is labelled, the headline band marked, the source dated, ticks in lakh/crore."""
    svg = render_svg(spec_of(role))
    for text in (
        ">FAANG-tier<",
        ">Headline band ₹10–45 LPA<",
        "Source: MLOps Engineer careers in India in 2026",
        "(careers page, 2026)",
        ">₹50 LPA<",
        ">₹1 Cr<",
        ">₹22–45 LPA<",
    ):
        assert text in svg


def test_alt_text_names_every_band_in_words(role: Role) -> None:
    """Alt text reads the ladder out: each level, its years and qualifier, its band."""
    alt = alt_text(spec_of(role))
    assert alt.startswith("Bar chart of MLOps Engineer pay by level (India, 2026):")
    for words in (
        "Mid-level (3–6 yrs) ₹22–45 LPA",
        "Senior ₹45–80 LPA",
        "Staff (FAANG-tier) ₹1.2 Cr+ (and above)",
        "Headline band ₹10–45 LPA.",
        "Source: MLOps Engineer careers in India in 2026 (careers page, 2026).",
    ):
        assert words in alt
    assert f'aria-label="{alt}"' in render_svg(spec_of(role))


def test_version_follows_what_is_drawn(role: Role) -> None:
    """A band's change renames the chart; a change the chart does not draw keeps its name."""
    spec = spec_of(role)
    other_summary = replace(role, summary="Something else entirely.")
    assert spec_of(other_summary).key == spec.key
    senior = replace(role.ladder[1], max=81 * 100_000)
    moved = replace(role, ladder=(role.ladder[0], senior, role.ladder[2]))
    assert spec_of(moved).key != spec.key
    assert parse_key(spec.key) == ("mlops-engineer", spec.version)


@pytest.mark.parametrize(
    "name", ["mlops-engineer", "mlops-engineer-012345678", "Mlops-0123456789", "../x-0123456789"]
)
def test_malformed_chart_names_do_not_parse(name: str) -> None:
    """Only ``<slug>-<10 hex digits>`` is a chart name."""
    assert parse_key(name) is None


def test_chart_url_under_the_public_url() -> None:
    """The URL Slack fetches: the public base, /charts/, the name, .png."""
    assert chart_url("https://bot.example.org/", "x-0123456789") == (
        "https://bot.example.org/charts/x-0123456789.png"
    )


def test_no_chart_without_a_ladder(role: Role) -> None:
    """A role with no levels has nothing to chart."""
    assert chart_spec(replace(role, ladder=())) is None


def test_png_is_960_px_wide_and_legible_at_phone_width(role: Role) -> None:
    """The PNG is 960 px wide; shown 300 px wide in a phone's chat, no text is under 10 px."""
    spec = spec_of(role)
    picture = Image.open(io.BytesIO(render_png(spec)))
    assert (picture.format, picture.width) == ("PNG", 960)
    sizes = [shape.size for shape in layout(spec, measure).shapes if isinstance(shape, Text)]
    assert min(sizes) * PHONE_PHOTO / WIDTH >= 10


def test_text_stays_inside_the_frame(role: Role) -> None:
    """No label runs off either edge of the chart."""
    for shape in layout(spec_of(role), measure).shapes:
        if isinstance(shape, Text):
            width = measure(shape.text, shape.size, shape.bold)
            left = {"start": shape.x, "middle": shape.x - width / 2, "end": shape.x - width}
            assert left[shape.anchor] >= 0, shape
            assert left[shape.anchor] + width <= WIDTH, shape


def test_careerbot_ask_does_not_import_the_drawing_library() -> None:
    """`careerbot ask /salary` (which names a chart) loads neither Pillow nor the painter."""
    code = (
        "import sys; from careerbot_chat.cli import main; main(['ask', '/salary']); "
        "print(sorted(m for m in sys.modules if m.startswith(('PIL', 'careerbot_chat.chart._'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['careerbot_chat.chart._spec']"


def test_long_names_stay_inside_the_frame(role: Role) -> None:
    """Long level names and qualifiers are cut at a word with an ellipsis, not off the edge."""
    long = replace(
        role.ladder[2],
        label="Principal Machine Learning Platform Engineer for Global Capability Centres",
        qualifier="FAANG-tier and well-funded AI-native start-ups in Bengaluru",
    )
    spec = spec_of(replace(role, ladder=(*role.ladder[:2], long)))
    texts = [s for s in layout(spec, measure).shapes if isinstance(s, Text)]
    assert any(t.text.startswith("Principal Machine") and t.text.endswith("…") for t in texts)
    for shape in texts:
        width = measure(shape.text, shape.size, shape.bold)
        left = {"start": shape.x, "middle": shape.x - width / 2, "end": shape.x - width}
        assert left[shape.anchor] >= 0, shape
        assert left[shape.anchor] + width <= WIDTH, shape
    assert long.label in alt_text(spec)
