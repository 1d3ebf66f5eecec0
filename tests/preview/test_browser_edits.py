"""The preview page in a real browser while content files are saved: each test has its own
content folder and its own ``careerbot preview``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from careerbot_chat import load_catalog

pytestmark = pytest.mark.slow
ROLE_FILE = Path("roles/mlops-engineer.yaml")
UPDATE_MS = 2000
"""The page must show a saved change within two seconds."""


def test_saving_a_file_updates_the_open_page(page: Any, content: Path) -> None:
    """A saved YAML change reaches the open page within two seconds, no reload."""
    page.evaluate("window.notReloaded = true")
    role_file = content / ROLE_FILE
    role_file.write_text(role_file.read_text().replace("max: 80 LPA", "max: 85 LPA"))
    page.wait_for_function(
        "() => document.querySelector('#content').innerText.includes('₹45–85 LPA')",
        timeout=UPDATE_MS,
    )
    assert page.evaluate("window.notReloaded") is True


def test_broken_file_shows_the_error_and_keeps_the_last_good_preview(
    page: Any, content: Path
) -> None:
    """An invalid change shows file, field and reason at the top; the cards stay."""
    role_file = content / ROLE_FILE
    role_file.write_text(role_file.read_text().replace("min: 45 LPA", "min: 95 LPA", 1))
    problems = page.locator(".problems")
    problems.wait_for(timeout=UPDATE_MS)
    text = problems.inner_text()
    assert "mlops-engineer.yaml" in text
    assert "ladder[1]" in text
    assert "must not exceed max" in text
    assert page.locator('section.row[data-command="/salary senior mlops-engineer"]').count() == 1
    assert "₹45–80 LPA" in page.locator("#content").inner_text()


@pytest.fixture
def large_content(content: Path) -> Path:
    """Twenty roles: more than the page draws at once."""
    from bench.generate import generate_catalog

    generate_catalog(content, 20)
    return content


def test_large_catalogue_draws_a_role_when_opened(
    large_content: Path, browser: Any, preview_url: str
) -> None:
    """Past eight roles each role waits to be opened; opened, it stays open across a save."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(preview_url)
    assert page.locator("article.role.lazy").count() == 20
    assert page.locator("section.row").count() == 3  # /roles, /help, /start
    page.locator("nav.toc a", has_text="Generated Role 0007").click()
    rows = page.locator("article#role-0007 section.row")
    rows.first.wait_for()
    role = load_catalog(large_content).get("role-0007")
    assert role is not None
    assert rows.count() == 6 + len(role.ladder)  # role, salary, each level, chart, 3 more
    role_file = large_content / "roles" / "role-0007.yaml"
    role_file.write_text(role_file.read_text().replace("max: 80 LPA", "max: 85 LPA"))
    page.wait_for_function(
        "() => (document.querySelector('#role-0007') || {}).innerText?.includes('₹45–85 LPA')",
        timeout=UPDATE_MS,
    )
    assert page.locator("article.role.lazy").count() == 19
    page.close()
    assert errors == []
