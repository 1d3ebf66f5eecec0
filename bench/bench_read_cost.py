"""What understanding a message costs: ``read`` and ``understand`` per message.

Run: ``python -m bench.bench_read_cost``.

Over every labelled question (``tests/understanding/questions.yaml``) and every turn
of the labelled conversations, after one warm pass (the lexicon built, typo
corrections remembered): the median (and lowest) over rounds of the mean µs per message of

- ``read`` (the understanding step alone: words, slots, intents);
- ``understand`` (read and decide, no memory);
- the whole answer without the memo (understand, compose, render), which is what a
  message costs the first time it is asked.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from careerbot_chat import load_catalog, render_plain
from careerbot_chat.answering import _derived as derived
from careerbot_chat.answering._answer import _understood
from careerbot_chat.answering._decide import understand
from careerbot_chat.answering._understand import read
from tests.understanding.grading import QUESTIONS, load_conversations, load_questions


def _per_message(fn: Callable[[str], object], texts: list[str], rounds: int) -> str:
    """Median and lowest over ``rounds`` of the mean CPU µs per message (CPU time of this
    process, not wall time: the machine is shared; the lowest is the least disturbed)."""
    means = []
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            fn(text)
        means.append((time.process_time() - started) / len(texts))
    return f"median {statistics.median(means) * 1e6:7.1f}  lowest {min(means) * 1e6:7.1f}"


def main(rounds: int = 30) -> None:
    catalog = load_catalog()
    lexicon = derived.lexicon(catalog)
    derived.search_index(catalog)
    conversations = load_conversations(QUESTIONS.with_name("conversations.yaml"))
    texts = [item.q for item in load_questions()]
    texts += [turn.q for conv in conversations for turn in conv.turns]
    for text in texts:  # warm: corrections remembered, cards built
        _understood(understand(text, catalog), text, catalog, None)

    def whole(text: str) -> None:
        render_plain(_understood(understand(text, catalog), text, catalog, None))

    print(f"{len(texts)} labelled messages, median of {rounds} rounds, µs per message:")
    print(f"  read               {_per_message(lambda t: read(t, lexicon), texts, rounds)}")
    print(f"  understand         {_per_message(lambda t: understand(t, catalog), texts, rounds)}")
    print(f"  answer, no memo    {_per_message(whole, texts, rounds // 3 or 1)}")


if __name__ == "__main__":
    main()
