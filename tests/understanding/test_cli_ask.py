"""`careerbot ask` and `careerbot chat` read questions in words, without a chat SDK."""

from __future__ import annotations

import subprocess
import sys

SDKS = ("telegram", "slack_bolt", "slack_sdk", "aiohttp", "starlette")


def test_ask_a_sentence_and_a_search_without_a_chat_sdk() -> None:
    """A sentence (and one that needs the search index) loads no chat SDK."""
    code = (
        "import sys, io, contextlib\n"
        "from careerbot_chat.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['ask', 'how much does a senior mlops engineer make'])\n"
        "    main(['ask', 'what is kubeflow used for'])\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {SDKS!r})\n"
        "print(bad)\n"
        "print(out.getvalue())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    first, _, answers = done.stdout.partition("\n")
    assert first == "[]"
    lines = [line for line in answers.splitlines() if line.strip()]
    assert "₹45–80 LPA" in lines[0]
    assert "Kubeflow, Airflow, MLflow" in answers


def test_console_chat_reads_hinglish() -> None:
    """`careerbot chat` answers a Hinglish question typed at the prompt."""
    done = subprocess.run(
        [sys.executable, "-m", "careerbot_chat.cli", "chat"],
        input="staff mlops ko kitna milta hai\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "₹1.2 Cr+" in done.stdout
