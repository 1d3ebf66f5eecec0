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


def test_preview_answers_only_its_own_host_names(preview_url: str) -> None:
    """A ``Host`` that is not this machine's (DNS rebinding) gets 400, not the content;
    localhost and the loopback address are served."""
    port = preview_url.split(":")[2].split("/")[0]
    for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.nip.io"):
        refused = httpx.get(preview_url, headers={"Host": host}, timeout=10)
        assert refused.status_code == 400, host
        assert "mlops-engineer" not in refused.text
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert httpx.get(preview_url, headers={"Host": host}, timeout=10).status_code == 200


def test_bundled_content_previews_without_warnings(preview_url: str) -> None:
    """The bundled role shows no content warning on any card (it showed two, on six)."""
    body = httpx.get(preview_url.removesuffix("/") + "/body", timeout=10)
    assert body.status_code == 200
    assert 'id="mlops-engineer"' in body.text
    assert 'class="warnings"' not in body.text
