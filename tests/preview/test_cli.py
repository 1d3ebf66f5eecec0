"""`careerbot preview` prints where it serves, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow


def test_preview_prints_its_url_and_serves_the_page(preview_url: str) -> None:
    """The printed URL is on loopback and answers with the page listing the role."""
    assert preview_url.startswith("http://127.0.0.1:")
    assert preview_url.endswith("/preview/")
    page = httpx.get(preview_url, timeout=10)
    assert page.status_code == 200
    assert 'id="mlops-engineer"' in page.text
    root = httpx.get(preview_url.removesuffix("preview/"), timeout=10, follow_redirects=True)
    assert str(root.url) == preview_url
