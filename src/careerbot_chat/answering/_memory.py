"""What a conversation remembers of a member: the last card, their years, pay, old role.

Part of reading (read → decide → compose → render): ``Memory`` is what the member
said before, carried between messages as a short text the store keeps, so any
replica continues the conversation. "I'm a backend dev" → "4 yrs" → "what would I
get?" is answered with the band for 4 years; "fair?" places their stated figure.
Pure; imports nothing that decides or composes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ._understand import Reading

__all__ = ["Memory"]


@dataclass(frozen=True, slots=True)
class Memory:
    """The last card's command, and what the member told about themselves."""

    last: str = ""
    years: float | None = None
    pay: int | None = None
    pay_text: str = ""
    origin: str = ""
    level: str = ""
    years_text: str = ""
    """The years as the member wrote them in words ("eight"), echoed instead of a figure."""
    asked: str = ""
    """What the last message asked (``salary``) of a role with no card ("SRE pay?"): no
    card shows it, so "I meant MLOps" asks it again of the role named."""

    @property
    def knows_member(self) -> bool:
        return self.years is not None or self.pay is not None or bool(self.level)

    def dumps(self) -> str:
        """One line per known field (``years=4``): what the store keeps."""
        values = {
            "last": self.last,
            "years": "" if self.years is None else f"{self.years:g}",
            "pay": "" if self.pay is None else str(self.pay),
            "pay_text": self.pay_text,
            "origin": self.origin,
            "level": self.level,
            "years_text": self.years_text,
            "asked": self.asked,
        }
        return "\n".join(f"{key}={value}" for key, value in values.items() if value)

    @classmethod
    def loads(cls, text: str | None) -> Memory:
        """The memory ``dumps`` wrote; a bare command (an older context) is the last card."""
        if not text:
            return cls()
        if text.startswith("/"):
            return cls(last=text)
        values = dict(line.partition("=")[::2] for line in text.splitlines())
        try:
            years = float(values["years"]) if values.get("years") else None
            pay = int(values["pay"]) if values.get("pay") else None
        except ValueError:
            years, pay = None, None
        return cls(
            last=values.get("last", ""),
            years=years,
            pay=pay,
            pay_text=values.get("pay_text", "") if pay is not None else "",
            origin=values.get("origin", ""),
            level=values.get("level", ""),
            years_text=values.get("years_text", "") if years is not None else "",
            asked=values.get("asked", ""),
        )

    def after(self, reading: Reading | None, asked: str) -> Memory:
        """This memory once a message read as ``reading`` was answered with ``asked``."""
        card = asked and not asked.startswith("/ask ")  # small talk and searches show no card
        memory = replace(self, last=asked) if card else self
        if reading is None:
            return replace(memory, asked="")
        other = reading.role is None and bool(reading.others)  # "SRE pay?": no card shows it
        memory = replace(memory, asked=(reading.intent or "") if other else "")
        if reading.years is not None:
            memory = replace(memory, years=reading.years, years_text=reading.years_text)
        if reading.pay is not None and not reading.pay_of_other:  # not a friend's pay
            memory = replace(memory, pay=reading.pay, pay_text=reading.pay_text)
        if reading.others and reading.role is None:
            memory = replace(memory, origin=reading.others[0])
        if reading.level is None or reading.asks_standing:
            return memory  # "where do I stand in the senior band?": a band, not theirs
        if reading.about_self:
            memory = replace(memory, level=reading.level)  # "I'm senior", not "and staff?"
        elif reading.years is not None or reading.pay is not None:
            memory = replace(memory, level=reading.level)  # "senior, 7 yoe"
        return memory
