"""Named date and title shapes, shared by the profiler (`learn.py`) and the generator (`corpus.py`).

Each date shape has a pattern (to recognise it in the real sample) and a renderer (to write it for a
synthetic article), so the profile can store only shape *names* and counts, never corpus text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _clock(d: datetime, sep: str = ":", pad: bool = False) -> str:
    """12-hour time: 9:05am, or 09.05pm."""
    h = d.hour % 12 or 12
    hour = f"{h:02d}" if pad else str(h)
    return f"{hour}{sep}{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


def _month(d: datetime) -> str:
    return MONTHS[d.month - 1]


def _mon(d: datetime) -> str:
    return MONTHS[d.month - 1][:3]


def _wd(d: datetime) -> str:
    return WEEKDAYS[d.weekday()]


def _tz(d: datetime) -> str:
    return "BST" if 4 <= d.month <= 10 else "GMT"


@dataclass(frozen=True, slots=True)
class DateShape:
    name: str
    pattern: re.Pattern[str]
    render: Callable[[datetime, random.Random], str]


def _shape(name: str, pattern: str, render: Callable[[datetime, random.Random], str]) -> DateShape:
    return DateShape(name, re.compile(pattern), render)


_D = r"\d{1,2}"
_TH = r"\d{1,2}(?:st|nd|rd|th)"
_MONTH = r"[A-Z][a-z]+"
_MON = r"[A-Z][a-z]{2}"

# Order matters: the first pattern that matches names the shape.
SHAPES: tuple[DateShape, ...] = (
    _shape("iso_min", r"^\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d$",
           lambda d, r: d.strftime("%Y-%m-%dT%H:%M+00:00")),
    _shape("iso_sec", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$",
           lambda d, r: d.strftime("%Y-%m-%dT%H:%M:%S+00:00")),
    _shape("hm_dmy", r"^\d\d:\d\d \d\d/\d\d/\d{4}$", lambda d, r: d.strftime("%H:%M %d/%m/%Y")),
    _shape("d_mon_y", rf"^{_D} {_MON} \d{{4}}$", lambda d, r: f"{d.day} {_mon(d)} {d.year}"),
    _shape("d_mon_y_hm", rf"^{_D} {_MON} \d{{4}} \d\d:\d\d$",
           lambda d, r: f"{d.day:02d} {_mon(d)} {d.year} {d:%H:%M}"),
    _shape("d_month_y", rf"^{_D} {_MONTH} \d{{4}}$", lambda d, r: f"{d.day:02d} {_month(d)} {d.year}"),
    _shape("dth_month_y", rf"^{_TH} {_MONTH} \d{{4}}$",
           lambda d, r: f"{ordinal(d.day)} {_month(d)} {d.year}"),
    _shape("posted_at", rf"^Posted at \d\d:\d\d on {_TH} {_MONTH} \d{{4}}$",
           lambda d, r: f"Posted at {d:%H:%M} on {ordinal(d.day)} {_month(d)} {d.year}"),
    _shape("posted_on_hms", rf"^Posted on \d\d:\d\d:\d\d on {_TH} {_MONTH} \d{{4}}$",
           lambda d, r: f"Posted on {d:%H:%M}:00 on {ordinal(d.day)} {_month(d)} {d.year}"),
    _shape("wd_month_d_y", rf"^{_MONTH}day, {_MONTH} {_D}, \d{{4}}$",
           lambda d, r: f"{_wd(d)}, {_month(d)} {d.day}, {d.year}"),
    _shape("month_d_y", rf"^{_MONTH} {_D}, \d{{4}}$", lambda d, r: f"{_month(d)} {d.day}, {d.year}"),
    _shape("mon_d_y_hm_tz", rf"^{_MON} {_D}, \d{{4}} \d\d:\d\d (?:BST|GMT)$",
           lambda d, r: f"{_mon(d)} {d.day}, {d.year} {d:%H:%M} {_tz(d)}"),
    _shape("date_published", rf"^_Date published: {_D} {_MONTH} \d{{4}} \d\d:\d\d_$",
           lambda d, r: (f"_Date published: {d.day} {_month(d)} {d.year} {d:%H:%M}_\n\n"
                         f" _Dated: {d.day} {_month(d)} {d.year} {d:%H:%M}:{r.randrange(60):02d}_")),
    _shape("published_bold", rf"^\*\*Published {_D} {_MONTH} \d{{4}}\*\*$",
           lambda d, r: f"**Published {d.day} {_month(d)} {d.year}**"),
    _shape("last_modified", rf"^Last modified: {_D} {_MONTH} \d{{4}} at {_D}:\d\d[ap]m$",
           lambda d, r: f"Last modified: {d.day} {_month(d)} {d.year} at {_clock(d)}"),
    _shape("posted_on_in", rf"^Posted on {_D} {_MONTH} \d{{4}} at \d\d:\d\d[ap]m in .+$",
           lambda d, r: f"Posted on {d.day} {_month(d)} {d.year} at {_clock(d, pad=True)} in News stories"),
    _shape("wd_d_month_y_bold", rf"^\*\*{_MONTH}day {_D} {_MONTH},? \d{{4}}\*\*$",
           lambda d, r: f"**{_wd(d)} {d.day} {_month(d)}{r.choice(('', ','))} {d.year}**"),
    _shape("wd_dth_month_y", rf"^{_MONTH}day {_TH} {_MONTH} \d{{4}}\.?$",
           lambda d, r: f"{_wd(d)} {ordinal(d.day)} {_month(d)} {d.year}."),
    _shape("release_date", rf"^Release date: \d\d/{_MON}/\d{{4}} \d\d:\d\d$",
           lambda d, r: f"Release date: {d.day:02d}/{_mon(d)}/{d.year} {d:%H:%M}"),
    _shape("h2_dmy", r"^## \d\d/\d\d/\d{4}$", lambda d, r: f"## {d:%d/%m/%Y}"),
    _shape("d_mon_yy_12h", rf"^{_D} {_MON} \d\d {_D}:\d\d [AP]M$",
           lambda d, r: f"{d.day} {_mon(d)} {d.year % 100:02d} {_clock(d)[:-2]} {_clock(d)[-2:].upper()}"),
    _shape("published_on_em", rf"^_Published on (?:{_MONTH}day, )?(?:{_D} )?{_MONTH} (?:{_D}, )?\d{{4}}_$",
           lambda d, r: f"_Published on {d.day} {_month(d)} {d.year}_"),
    _shape("published_at", rf"^_?Published at {_D}\.\d\d[ap]m on {_MONTH}day {_D} {_MONTH} \d{{4}}\. ?_?$",
           lambda d, r: f"Published at {_clock(d, '.')} on {_wd(d)} {d.day} {_month(d)} {d.year}."),
)
BY_NAME: dict[str, DateShape] = {s.name: s for s in SHAPES}


def classify_date(line: str) -> str | None:
    """The name of the date shape `line` has, or None."""
    line = line.strip()
    for shape in SHAPES:
        if shape.pattern.match(line):
            return shape.name
    return None


def render_date(name: str, when: datetime, rng: random.Random) -> str:
    return BY_NAME[name].render(when, rng)


# Title shapes: how the page title wraps the clean headline.
_PIPE = re.compile(r"^(?P<h>.+?) \| (?P<a>.+)$")
_PIPE_EMPTY = re.compile(r"^(?P<h>.+?) ?\|$")
_DASH = re.compile(r"^(?P<h>.+) [-–] (?P<a>[^-–]+)$")


def classify_title(title: str | None, og_title: str | None) -> tuple[str, str]:
    """(kind, affix): kind is bare, pipe, pipe_empty, dash, prefix or missing."""
    if not title:
        return "missing", ""
    if og_title and og_title != title:
        if title.startswith(og_title):
            rest = title[len(og_title):].strip()
            if rest == "|":
                return "pipe_empty", ""
            if rest[:1] in "|-–":
                return ("pipe" if rest[0] == "|" else "dash"), rest[1:].strip()
        elif title.endswith(og_title):
            return "prefix", title[: -len(og_title)].rstrip(" -–|")
    if m := _PIPE_EMPTY.match(title):
        return "pipe_empty", ""
    if m := _PIPE.match(title):
        return "pipe", m["a"]
    m = _DASH.match(title)
    if m and len(m["a"].split()) <= 3 and (m["a"].isupper() or m["a"][:1].isupper()):
        return "dash", m["a"]
    return "bare", ""


def render_title(kind: str, affix: str, headline: str) -> str | None:
    if kind == "missing":
        return None
    if kind == "pipe":
        return f"{headline} | {affix}"
    if kind == "pipe_empty":
        return f"{headline} |"
    if kind == "dash":
        return f"{headline} - {affix}"
    if kind == "prefix":
        return f"{affix} - {headline}"
    return headline


def headline_of(title: str, kind: str, affix: str) -> str:
    """The title with the affix that `classify_title` found taken off."""
    if kind in ("pipe", "dash") and affix and title.endswith(affix):
        return title[: -len(affix)].rstrip(" |-–")
    if kind == "pipe_empty":
        return title.rstrip(" |")
    if kind == "prefix" and title.startswith(affix):
        return title[len(affix):].lstrip(" -–")
    return title
