"""What a pay-ladder chart shows, its name and its alt text. Pure; no drawing library.

A chart is named ``<role>-<version>``: the version is a hash of exactly the facts it
draws (title, region, date, levels, headline band, sources), so it changes when the
picture would, and only then. Platforms cache by that name (Slack's image URL,
Telegram's uploaded ``file_id``), and ``careerbot ask`` can name a chart without
importing the library that draws it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from .. import messages as msg
from ..catalog import _show as show
from ..catalog._content import Role

__all__ = [
    "CHARTS_PATH",
    "Bar",
    "ChartSpec",
    "alt_text",
    "bands_in_words",
    "chart_spec",
    "chart_url",
    "parse_key",
]

CHARTS_PATH = "/charts"
"""Where ``careerbot serve`` serves chart PNGs: ``/charts/<role>-<version>.png``."""
_KEY = re.compile(r"^(?P<role>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<version>[0-9a-f]{10})$")


@dataclass(frozen=True, slots=True)
class Bar:
    """One level: its name, what qualifies it, and its band (``high`` None: open-ended)."""

    label: str
    low: int
    high: int | None
    band: str
    years: str = ""
    qualifier: str = ""


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Everything a chart draws, in the order it draws it."""

    role: str
    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    headline: tuple[int, int | None, str] | None
    footer: str

    @property
    def version(self) -> str:
        facts = json.dumps(
            [self.title, self.subtitle, self.bars, self.headline, self.footer],
            default=_plain,
            ensure_ascii=False,
        )
        return hashlib.sha256(facts.encode()).hexdigest()[:10]

    @property
    def key(self) -> str:
        """``<role>-<version>``: the chart's file name without ``.png``."""
        return f"{self.role}-{self.version}"


def _plain(value: object) -> object:
    if isinstance(value, Bar):
        return [value.label, value.low, value.high, value.years, value.qualifier]
    raise TypeError(type(value).__name__)  # pragma: no cover - only bars are nested


def chart_spec(role: Role) -> ChartSpec | None:
    """The chart of ``role``'s ladder, or None when it has no levels to draw."""
    if not role.ladder:
        return None
    bars = tuple(
        Bar(
            level.label,
            level.min,
            level.max,
            show.band(level),
            show.years(level.years) if level.years else "",
            level.qualifier or "",
        )
        for level in role.ladder
    )
    head = role.headline_pay
    headline = None if head is None else (head.min, head.max, show.band(head))
    sources = " · ".join(f"{s.title} ({s.kind}, {s.as_of})" for s in role.sources)
    return ChartSpec(
        role.slug,
        msg.CHART_TITLE.format(role=role.title),
        msg.CHART_SUBTITLE.format(region=role.region, as_of=role.as_of),
        bars,
        headline,
        msg.CHART_FOOTER.format(sources=sources),
    )


def bands_in_words(spec: ChartSpec) -> str:
    """Each level and its band, then the headline band: what the bars say."""
    parts = []
    for bar in spec.bars:
        extras = ", ".join(x for x in (bar.years, bar.qualifier) if x)
        name = f"{bar.label} ({extras})" if extras else bar.label
        band = msg.CHART_OPEN_BAND.format(band=bar.band) if bar.high is None else bar.band
        parts.append(f"{name} {band}")
    text = "; ".join(parts) + "."
    if spec.headline is not None:
        text += " " + msg.CHART_ALT_HEADLINE.format(band=spec.headline[2])
    return text


def alt_text(spec: ChartSpec, *, source: bool = True) -> str:
    """The chart in words, band by band, for screen readers and captions."""
    where = spec.subtitle.split(" · ")[0]
    text = msg.CHART_ALT.format(title=spec.title, subtitle=where, bands=bands_in_words(spec))
    return f"{text} {spec.footer}." if source else text


def parse_key(name: str) -> tuple[str, str] | None:
    """``mlops-engineer-0123456789`` → ``("mlops-engineer", "0123456789")``; None if malformed."""
    match = _KEY.match(name)
    return None if match is None else (match["role"], match["version"])


def chart_url(public_url: str, key: str) -> str:
    """The public URL of chart ``key`` under the server's base URL."""
    return f"{public_url.rstrip('/')}{CHARTS_PATH}/{key}.png"
