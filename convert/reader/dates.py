"""Publication dates: the header's date fields, or a date-stamp line in the body.

Every shape seen in the archive, e.g. `2020-09-30T21:49+00:00`, `19 Mar 2020`,
`12:31 18/12/2020` (day first), `Posted at 22:49 on 30th September 2020`,
`Thursday, April 11, 2019`, `Mar 31, 2021 20:10 BST`, `_Date published: 17 February 2021 10:54_`,
`22 Dec 20 8:47 AM`, `Release date: 29/Dec/2020 11:57`. A *stamp* is a line that is nothing but
such a date, perhaps with a label (`Posted on`, `Published`, ...) and a trailing category
(`in News stories`). Regular expressions only recognise stamps; dateutil (day first) reads them.
A date without a year takes the year from the URL (`/2020/december/`) or is not used at all:
`published` is never a guess. Times without a zone are UK local time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as _dateutil

from ..model import Month

LONDON = ZoneInfo("Europe/London")
Published = date | datetime

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_TIME = (
    r"(?:(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?::[0-5][0-9])?(?:\s*[ap]\.?m\.?)?"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?)(?:\s*(?:BST|GMT|UTC))?"
)
_DATE = (
    # 5th of May 2020, 22 Dec 20
    rf"(?:(?:the\s+)?{_DAY}(?:\s+of)?[\s-]+{_MONTH}(?:[\s,-]+(?:{_YEAR}|[0-9]{{2}}(?![0-9:.])))?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"  # April 11, 2019
    rf"|{_DAY}/{_MONTH}/{_YEAR}"  # 29/Dec/2020
    rf"|(?:3[01]|[12][0-9]|0?[1-9])[/.-](?:1[0-2]|0?[1-9])[/.-](?:{_YEAR}|[0-9]{{2}}))"  # 18/12/2020
)
_PHRASE = (
    rf"(?:{_TIME},?\s+(?:on\s+)?)?(?:{_WEEKDAY},?\s+)?{_DATE}"
    rf"(?:,?\s+(?:at\s+|-\s+)?{_TIME})?"
)
_LABEL = (
    r"(?:posted|published|date\s+published|dated|date|release\s+date|released|issued"
    r"|(?P<modified>last\s+modified|last\s+updated|updated|modified))"
    r"(?:\s+(?:on|at))?\s*[:|-]?"
)
_ISO = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)

STAMP = re.compile(
    rf"\s*(?P<label>{_LABEL}\s*)?(?P<phrase>{_PHRASE}|{_ISO})"
    r"(?:\s+in\s+[A-Z][\w ,&'-]*)?[\s.]*",  # "... in News stories, Rural"
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(
    rf"{_YEAR}|[/.-][0-9]{{2}}$|[/.-][0-9]{{2}}\s|^[0-9]{{4}}-"
    rf"|[0-9](?:st|nd|rd|th)?[\s-]+{_MONTH}[\s,-]+[0-9]{{2}}(?![0-9:.])",  # 22 Dec 20
    re.IGNORECASE,
)
_HAS_TIME = re.compile(_TIME, re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b([0-9]{1,2})\.([0-5][0-9])(?=\s*[ap]\.?m)", re.IGNORECASE)
_NOISE = re.compile(r"\b(?:on|at|the|of|BST|GMT)\b|(?<=[0-9])(?:st|nd|rd|th)\b", re.IGNORECASE)
_URL_YEAR = re.compile(r"/((?:19|20)[0-9]{2})(?:/|-|$)")
# `/news/2020/august/...`, `/2020/01/...`: a year folder and a month folder under it
_URL_MONTH = re.compile(r"/((?:19|20)[0-9]{2})/([A-Za-z]{3,9}|[0-9]{1,2})(?:/|$)")
_MONTH_NUMBERS = {
    name: number
    for number, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"), 1)
    for name in (full, full[:3], "sept" if number == 9 else full)
}
_EARLIEST, _LATEST = date(1990, 1, 1), date(2100, 1, 1)


def url_year(url: str | None) -> int | None:
    """The year in a URL path such as `/news/2020/december/...`, if there is one."""
    if not url:
        return None
    match = _URL_YEAR.search(url)
    return int(match.group(1)) if match else None


def url_month(url: str | None) -> Month | None:
    """The month of a URL path such as `/news/2020/august/...` or `/2020/01/...`: the last
    resort for an article that prints no date (Police Scotland's pages). The folder is the
    month the page was made: on the sample it is the published month for 206 of 216 dated
    articles (the others were published days later)."""
    if not url:
        return None
    match = _URL_MONTH.search(url)
    if match is None:
        return None
    folder = match.group(2).casefold()
    month = int(folder) if folder.isdigit() else _MONTH_NUMBERS.get(folder)
    if month is None or not 1 <= month <= 12:
        return None
    found = Month(int(match.group(1)), month, 1)
    return found if _EARLIEST <= found < _LATEST else None


# PSNI: the page's slug starts with the day it was published, `/040416-distraction-burglary-...`
# (ddmmyy). The header's date disagrees with it in 3 of the sample's 18 (by a day, a month, two
# months), and each story's own words ("yesterday, Sunday 03 April") side with the slug.
_SLUG_DAY = re.compile(r"/([0-9]{2})([0-9]{2})([0-9]{2})-[^/]*/?$")


def url_day(url: str | None) -> date | None:
    """The day a page's slug starts with (`/040416-...`: 4 April 2016), if it is a real day."""
    match = _SLUG_DAY.search(url or "")
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        found = date(2000 + year, month, day)
    except ValueError:
        return None
    return found if _EARLIEST <= found < _LATEST else None


MAX_STAMP = 90  # characters; a longer line is prose


def is_stamp(text: str) -> re.Match[str] | None:
    """The match if `text` is a date stamp line and nothing more."""
    if len(text) > MAX_STAMP:
        return None
    return STAMP.fullmatch(text)


def parse(text: str, year: int | None = None) -> Published | None:
    """A stamp or header value → date or tz-aware datetime; None if it is not one we can read.

    `year` fills in a stamp without one (from the URL); without it such a stamp is None.
    """
    match = is_stamp(text.replace("\xa0", " "))
    return None if match is None else from_match(match, year)


def from_match(match: re.Match[str], year: int | None = None) -> Published | None:
    phrase = match.group("phrase").strip()
    if phrase[:4].isdigit() and phrase[4:5] == "-":
        return _iso(phrase)
    has_year = _HAS_YEAR.search(phrase) is not None
    if not has_year and year is None:
        return None
    value = _quick(phrase, year)
    if value is None:
        cleaned = _NOISE.sub(" ", _DOTTED_TIME.sub(r"\1:\2", phrase))
        try:
            value = _dateutil.parse(
                cleaned, dayfirst=True, default=datetime(year or 2000, 1, 1), ignoretz=True
            )
        except (ValueError, OverflowError):
            return None
    if not _EARLIEST <= value.date() < _LATEST:
        return None
    if _HAS_TIME.search(phrase):
        if "UTC" in phrase.upper():
            return value.replace(tzinfo=UTC).astimezone(LONDON)
        return value.replace(tzinfo=LONDON)
    return value.date()


_MONTHS = {
    m: n
    for n, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_QUICK_TIME = re.compile(
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?:\s*(?P<ap>[ap])\.?m\.?)?"
    r"|(?P<h2>[0-9]{1,2})\.(?P<m2>[0-9]{2})\s*(?P<ap2>[ap])\.?m\.?"
    r"|(?P<h3>[0-9]{1,2})\s*(?P<ap3>[ap])\.?m\.?",
    re.IGNORECASE,
)
_QUICK_NUMERIC = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})")
_QUICK_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")


def _quick(phrase: str, year: int | None) -> datetime | None:
    """The stamp shapes seen in the archive, read directly (dateutil costs ~70 µs a call).

    Only called on text the STAMP pattern accepted; returns None to defer to dateutil.
    """
    hour = minute = second = 0
    time = _QUICK_TIME.search(phrase)
    if time is not None:
        g = time.groupdict()
        hour = int(g["h"] or g["h2"] or g["h3"])
        minute = int(g["m"] or g["m2"] or 0)
        second = int(g["s"] or 0)
        half = (g["ap"] or g["ap2"] or g["ap3"] or "").lower()
        if half and not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0) if half else hour
        phrase = phrase[: time.start()] + " " + phrase[time.end() :]
    numeric = _QUICK_NUMERIC.search(phrase)
    if numeric is not None:
        day, month, found = (int(x) for x in numeric.groups())
        found_year: int | None = found + 2000 if found < 100 else found
    else:
        day = month = 0
        found_year = None
        numbers: list[str] = []
        for token in _QUICK_TOKEN.findall(phrase):
            if token.isdigit():
                numbers.append(token)
            elif not month and token[:3].lower() in _MONTHS and len(token) >= 3:
                month = _MONTHS[token[:3].lower()]
                if numbers:  # "22 Dec 20": a number after the month is the year
                    day = int(numbers.pop())
        if not month:
            return None
        for token in numbers:
            if len(token) == 4 and found_year is None:
                found_year = int(token)
            elif day == 0 and len(token) <= 2:
                day = int(token)
            elif len(token) == 2 and found_year is None:
                found_year = 2000 + int(token)
            else:
                return None
    try:
        return datetime(found_year or year or 0, month, day, hour, minute, second)
    except ValueError:
        return None


def _iso(text: str) -> Published | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if not _EARLIEST <= value.date() < _LATEST:
        return None
    if len(text) == 10:
        return value.date()
    if value.tzinfo is None:
        return value.replace(tzinfo=LONDON)
    return value.astimezone(LONDON)


def from_parts(day: object, month: object, year: object, time: object, url: str | None) -> Published | None:
    """Separate `day` / `month` / `time` header keys (no year: it comes from the URL)."""
    if day is None or month is None:
        return None
    text = f"{day} {month}"
    year_text = str(year) if year is not None else ""
    if year_text.isdigit():
        text += f" {year_text}"
    if time is not None:
        text += f" {_time_text(time)}"
    return parse(text, url_year(url))


def _time_text(value: object) -> str:
    # YAML 1.1 readers turn an unquoted 14:23 into 862 (sexagesimal); ours keeps it text,
    # but accept the int form too.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return str(value)


def same_day(a: Published, b: Published) -> bool:
    return _day(a) == _day(b)


def _day(value: Published) -> date:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date() if value.tzinfo else value.date()
    return value


def is_modified_label(match: re.Match[str]) -> bool:
    """`Last modified: ...` / `Updated ...`: a date, but not the publication date."""
    return match.group("modified") is not None


__all__ = [
    "LONDON",
    "STAMP",
    "Published",
    "from_match",
    "from_parts",
    "is_stamp",
    "parse",
    "same_day",
    "url_year",
]
