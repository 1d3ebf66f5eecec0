"""The public surface: __all__ is sorted and every name in it exists."""

from __future__ import annotations

import careerbot_chat


def test_all_is_sorted_and_real() -> None:
    """Everything exported exists; the list stays sorted for readers."""
    names = careerbot_chat.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in names:
        assert hasattr(careerbot_chat, name), name
