"""The adapter's public surface (that the core imports no chat SDK: tests/core/test_cli.py)."""

from __future__ import annotations

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
