"""The adapter's public surface, and the boundary: the core never imports telegram."""

from __future__ import annotations

import subprocess
import sys

import careerbot_telegram


def test_all_is_sorted_and_complete() -> None:
    """``__all__`` is sorted and every name in it exists."""
    assert careerbot_telegram.__all__ == sorted(careerbot_telegram.__all__)
    for name in careerbot_telegram.__all__:
        assert getattr(careerbot_telegram, name) is not None


def test_module_level_api_the_core_calls() -> None:
    """The three functions the core's plugin loader calls are there."""
    assert callable(careerbot_telegram.format_reply)
    assert callable(careerbot_telegram.run_dev)
    assert callable(careerbot_telegram.create_platform)


def test_core_imports_no_telegram() -> None:
    """Importing the core (and answering) loads no python-telegram-bot."""
    code = (
        "import sys, careerbot_chat as c\n"
        "c.answer(c.parse('/role mlops'), c.load_catalog())\n"
        "assert not [m for m in sys.modules if m == 'telegram' or m.startswith('telegram.')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
