"""Check text against Telegram's HTML parse mode: only its tags, balanced, escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from telegram.constants import MessageLimit

ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote"})
ENTITIES = frozenset({"lt", "gt", "amp", "quot"})


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            self.problems.append(f"entity &{name}; not supported")
        self.text.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(name, ""))

    def handle_charref(self, name: str) -> None:
        self.text.append(chr(int(name[1:], 16) if name.startswith(("x", "X")) else int(name)))

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data or "&" in data:
            self.problems.append(f"unescaped markup character in {data[:40]!r}")
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")


def telegram_html_problems(text: str) -> list[str]:
    """Everything wrong with ``text`` as one Telegram HTML message (empty: valid)."""
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    problems = list(parser.problems)
    if parser.open:
        problems.append(f"unclosed {parser.open}")
    units = len("".join(parser.text).encode("utf-16-le")) // 2  # as Telegram counts
    if units > MessageLimit.MAX_TEXT_LENGTH:
        problems.append(f"{units} UTF-16 code units > {MessageLimit.MAX_TEXT_LENGTH}")
    if not text.strip():
        problems.append("empty message")
    return problems


def visible_text(text: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    return "".join(parser.text)
