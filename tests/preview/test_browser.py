"""The preview page in a real browser (Debian's Chromium via Playwright), reading content.

One ``careerbot preview`` serves every test here: none of them edits the content. The
tests that save files have their own preview each (``test_browser_edits.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from careerbot_chat import bundled_content_dir, load_catalog
from tests.preview.conftest import running_preview

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled content, shared by the module's tests (none edits it); its
    headline band's 'covers' names no level, so the pay cards carry warnings."""
    folder = tmp_path_factory.mktemp("preview") / "content"
    shutil.copytree(bundled_content_dir(), folder)
    role = folder / "roles" / "mlops-engineer.yaml"
    text = role.read_text()
    covers = "its senior and staff bands go\n    higher"
    assert covers in text
    role.write_text(text.replace(covers, "mid-level pay"))
    return folder


@pytest.fixture(scope="module")
def preview_url(content: Path) -> Iterator[str]:
    """One ``careerbot preview`` on ``content`` for the whole module."""
    with running_preview(content, content.parent / "preview.log") as url:
        yield url


def ask(*args: str, content: Path) -> str:
    """What ``careerbot ask`` prints for these arguments."""
    command = [sys.executable, "-m", "careerbot_chat.cli", "--content", str(content), "ask", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_page_lists_every_role_and_command(page: Any, content: Path) -> None:
    """Every role has a section, with a row for each of its commands and each level."""
    catalog = load_catalog(content)
    for role in catalog.roles:
        section = page.locator(f"article#{role.slug}")
        assert section.count() == 1
        commands = section.locator("section.row").evaluate_all(
            "rows => rows.map(r => r.dataset.command)"
        )
        expected = [f"/role {role.slug}", f"/salary {role.slug}"]
        expected += [f"/salary {level.id} {role.slug}" for level in role.ladder]
        expected += [f"/{name} {role.slug}" for name in ("chart", "pitfalls", "skills", "faq")]
        assert commands == expected
    general = page.locator("article#general section.row").evaluate_all(
        "rows => rows.map(r => r.dataset.command)"
    )
    assert general == ["/roles", "/help", "/start"]


def test_previews_show_the_same_facts_as_careerbot_ask(page: Any, content: Path) -> None:
    """Telegram's bubble holds the HTML `ask --format telegram` prints; Slack's JSON is `ask --format slack`'s."""
    row = page.locator('section.row[data-command="/salary senior mlops-engineer"]')
    telegram_html = row.locator('.cell[data-platform="telegram"] .tg-bubble').first.inner_html()
    printed = ask("--format", "telegram", "/salary senior mlops-engineer", content=content)
    assert telegram_html == printed.split("\n--- keyboard ---")[0]
    slack_text = row.locator('.cell[data-platform="slack"] .sk-body').inner_text()
    plain = row.locator(".plain pre").text_content()
    assert plain.strip() == ask("/salary senior mlops-engineer", content=content).strip()
    for fact in ("Senior pay", "₹45–80 LPA", "Source: MLOps Engineer careers in India in 2026"):
        assert fact in slack_text
        assert fact in plain
    copied = row.locator('.cell[data-platform="slack"] .copy').get_attribute("data-copy")
    assert '"blocks"' in copied
    assert "₹45–80 LPA" in copied


def test_block_kit_builder_link_carries_the_blocks(page: Any) -> None:
    """Each Slack preview links to Block Kit Builder with its blocks in the fragment."""
    from urllib.parse import unquote

    link = page.locator(
        'section.row[data-command="/role mlops-engineer"] .cell[data-platform="slack"] a.link'
    )
    href = link.get_attribute("href")
    assert href.startswith("https://app.slack.com/block-kit-builder/#")
    assert '"type":"header"' in unquote(href.split("#", 1)[1])


def test_pressing_a_level_button_changes_the_preview(page: Any) -> None:
    """Senior under the Telegram pay ladder turns the bubble into the Senior card."""
    cell = page.locator(
        'section.row[data-command="/salary mlops-engineer"] .cell[data-platform="telegram"]'
    )
    assert "Senior pay" not in cell.locator(".tg-bubble").first.inner_text()
    cell.get_by_role("button", name="Senior").click()
    cell = page.locator(
        'section.row[data-command="/salary mlops-engineer"] .cell[data-platform="telegram"]'
    )
    page.wait_for_function(
        """() => document.querySelector('section.row[data-command="/salary mlops-engineer"] .cell[data-platform="telegram"] .tg-bubble').innerText.includes('Senior pay')"""
    )
    assert "₹45–80 LPA" in cell.locator(".tg-bubble").first.inner_text()


def test_chart_has_one_bar_per_level_and_alt_text_names_the_bands(page: Any, content: Path) -> None:
    """The Chart button shows the photo; its SVG draws a bar per level; alt names each band."""
    cell = page.locator(
        'section.row[data-command="/salary mlops-engineer"] .cell[data-platform="telegram"]'
    )
    cell.get_by_role("button", name="Chart").click()
    image = page.locator(
        'section.row[data-command="/salary mlops-engineer"] .cell[data-platform="telegram"] img'
    )
    image.wait_for()
    alt = image.get_attribute("alt")
    for band in (
        "Mid-level (3–6 yrs) ₹22–45 LPA",
        "Senior ₹45–80 LPA",
        "Staff (FAANG-tier) ₹1.2 Cr+ (and above)",
    ):
        assert band in alt
    svg = page.request.get(image.evaluate("img => img.src")).text()
    levels = re.findall(r'class="bar" data-level="([^"]+)"', svg)
    assert levels == [level.label for level in load_catalog(content).roles[0].ladder]


def test_asking_a_question_shows_the_answer(page: Any) -> None:
    """The box answers a question typed as a member would, on every platform."""
    page.get_by_label("Question").fill("senior mlops salary")
    page.get_by_role("button", name="Ask").click()
    answer = page.locator("#answers section.row")
    answer.wait_for()
    assert (
        "Senior MLOps Engineer pay"
        in answer.locator('.cell[data-platform="telegram"]').inner_text()
    )
    assert (
        "Senior MLOps Engineer pay" in answer.locator('.cell[data-platform="slack"]').inner_text()
    )


def test_warnings_sit_beside_the_cards_they_concern(page: Any, content: Path) -> None:
    """A headline band that ends where Senior begins is flagged on the pay cards, not on FAQ."""
    salary = page.locator('section.row[data-command="/salary mlops-engineer"] .warnings')
    assert "headline_pay.max" in salary.inner_text()
    assert page.locator('section.row[data-command="/faq mlops-engineer"] .warnings').count() == 0


def test_screenshots_at_1280_and_360(browser: Any, preview_url: str, tmp_path: Path) -> None:
    """The page renders at desktop and phone widths; screenshots land in the test's folder."""
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        shot = context.new_page()
        shot.goto(preview_url)
        overflow = shot.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        path = tmp_path / f"preview-{width}.png"
        shot.screenshot(path=str(path), full_page=False)
        context.close()
        assert path.stat().st_size > 10_000
        assert overflow <= 0, f"the page scrolls sideways at {width} px"


def test_readme_screenshot(browser: Any, preview_url: str, tmp_path: Path) -> None:
    """The pay ladder on both platforms with the chart open: README's picture.

    ``make screenshots`` runs this with ``CAREERBOT_SCREENSHOT_DIR=docs`` to refresh
    ``docs/preview.png``; otherwise it lands in the test's own folder.
    """
    import os

    folder = Path(os.environ.get("CAREERBOT_SCREENSHOT_DIR") or tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    shot = context.new_page()
    shot.goto(preview_url)
    row = shot.locator('section.row[data-command="/salary mlops-engineer"]')
    row.locator('.cell[data-platform="telegram"]').get_by_role("button", name="Chart").click()
    shot.locator('section.row[data-command="/salary mlops-engineer"] .tg-bubble img').wait_for()
    shot.wait_for_load_state("networkidle")
    shot.add_style_tag(content="header { position: static; }")  # not over the row
    row.scroll_into_view_if_needed()
    path = folder / "preview.png"
    row.screenshot(path=str(path))
    context.close()
    assert path.stat().st_size > 20_000


def test_copy_buttons_copy_the_exact_payload(browser: Any, preview_url: str, content: Path) -> None:
    """Copy HTML puts Telegram's HTML on the clipboard; Copy JSON, Slack's message JSON."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(preview_url)
    row = page.locator('section.row[data-command="/skills mlops-engineer"]')
    row.locator('.cell[data-platform="telegram"] .copy').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    printed = ask("--format", "telegram", "/skills mlops-engineer", content=content)
    assert copied == printed.split("\n--- keyboard ---")[0].replace(
        "\n--- next message ---\n", "\n\n"
    )
    row.locator('.cell[data-platform="slack"] .copy').click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert json.loads(copied)["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "MLOps Engineer · skills and toolchains"},
    }
    context.close()
