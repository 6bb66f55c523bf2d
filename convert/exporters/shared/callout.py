"""The "Can you help?" call-out and the kind label: decided once, here, for every format.

An article gets a call-out when it asks the public for something: it is an appeal or a missing
person, it gives a reference to quote, or a way to respond stands in a sentence that asks for
information or witnesses. Recruitment and community items never do (a number to apply on is
not an appeal). The call-out holds only what the reader found verbatim in the text
(`Article.facts`): the references to quote, the numbers to call (101; 999 where the text gives
it as a way to report; a named team's number in an appeal sentence), Crimestoppers, where to
report online and e-mail addresses. Nothing is added: no number the article does not print.

Values (numbers, references) have U+00A0 for their spaces, so no format breaks them across
lines; formats that flatten whitespace (bulletins) glue them again themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ...model import Article, Contact, Month, Reference
from ...taxonomy import STORY_KIND_LABELS
from .typography import NBSP

TITLE = "Can you help?"

# Kinds of story that ask the public for help whatever else they say.
_APPEALING = frozenset({"appeal", "missing"})
# Kinds that never do: a number in a recruitment or community item is not an appeal.
_NEVER = frozenset({"recruitment", "community", "found"})
# A row of the box lists at most this many (the sample's most: 7 references in one article);
# a pack's "At a glance" cell at most MAX_GLANCE references.
MAX_ITEMS = 8
MAX_GLANCE = 3
# A sentence that asks for information (bounded repeats only: linear time).
_ASKS = re.compile(
    r"\b(?:(?:with|have|has|had|any|give|provide|pass|share)\W{1,3}(?:any\W{1,3})?info(?:rmation)?"
    r"|witness\w{0,4}|come\W{1,3}forward|appeal\w{0,3}|dash\W{0,2}cam\w{0,3}|footage|whereabouts"
    r"|sighting\w{0,1}|seen\W{1,3}(?:him|her|them|anything|anyone|the)|quot(?:ing|e))\b",
    re.IGNORECASE,
)
_REPORT = re.compile(r"\b(?:report\w{0,4}|submit\w{0,3}|upload\w{0,3}|tell\W{1,3}us)\b", re.IGNORECASE)
_REPORTING = frozenset({"Crimestoppers", "Major Incident Public Portal"})
# 999 counts only where the sentence offers it as a way to call (not "999 calls rose").
_CALL = re.compile(r"\b(?:call|dial|ring|phone|contact|report)\w{0,3}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to quote, call or visit: `value` as printed (spaces as U+00A0), an optional
    `note` saying whom it reaches, and a link (`tel:`, `mailto:`, the URL) when there is one."""

    value: str
    note: str = ""
    href: str | None = None

    @property
    def text(self) -> str:
        return f"{self.value} ({self.note})" if self.note else self.value


@dataclass(frozen=True, slots=True)
class Row:
    """A labelled line of the call-out: `Quote`, `Call`, `Anonymously`, `Online`, `E-mail`."""

    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Callout:
    title: str
    rows: tuple[Row, ...]


def mapped(box: Callout, text: Callable[[str], str], href: Callable[[str], str | None]) -> Callout:
    """The call-out with every string passed through `text` and every link through `href`:
    a format's own cleaning (and link policy) applied once."""
    rows = tuple(
        Row(text(row.label), tuple(
            Item(text(i.value), text(i.note), href(i.href) if i.href else None) for i in row.items
        ))
        for row in box.rows
    )
    return Callout(text(box.title), rows)


def to_quote(article: Article) -> str:
    """The references to quote, as printed, `; ` between them ('' for none): the pack's
    "At a glance" column. A reference's number never parts from the word before it ('incident
    48', 'reference 37/45092/21': a U+00A0); in that narrow column a longer one ('incident 110
    of the 18 November') may wrap at its other spaces, rather than have a word cut in two."""
    named = [_loose(name) for name in _named_all(article.facts.references, article.meta.published)]
    if len(named) > MAX_GLANCE:
        named[MAX_GLANCE:] = [f"{len(named) - MAX_GLANCE:,} more"]
    return "; ".join(named)


def _loose(reference: str) -> str:
    words = reference.replace(NBSP, " ").split(" ")
    number = next((i for i, w in enumerate(words) if any(c.isdigit() for c in w)), 1)
    glued = max(number, 1)  # the number and the word before it; with no number, the first two
    return " ".join([*words[: glued - 1], NBSP.join(words[glued - 1 : glued + 1]), *words[glued + 1 :]])


def kind_label(article: Article) -> str:
    """The main kind's display name ('Appeal', 'Missing person'), or '' ('other', or none)."""
    kinds = article.facts.kinds
    return STORY_KIND_LABELS.get(kinds[0], "") if kinds else ""


def appeals(article: Article) -> bool:
    """Whether the article asks the public for help (see the module's docstring)."""
    facts = article.facts
    kinds = set(facts.kinds)
    if facts.kinds and facts.kinds[0] in _NEVER:
        return False
    if kinds & _APPEALING or facts.references:
        return True
    return any(_ASKS.search(c.sentence) for c in facts.contacts)


def callout(article: Article) -> Callout | None:
    """The call-out for an article that appeals and says how to respond; None otherwise."""
    if not appeals(article):
        return None
    facts = article.facts
    rows: list[Row] = []
    quote = tuple(Item(name) for name in _named_all(facts.references, article.meta.published))
    if quote:
        rows.append(Row("Quote", _capped(quote)))
    call: list[Item] = []
    anonymous: list[Item] = []
    online: list[Item] = []
    email: list[Item] = []
    for contact in facts.contacts:
        if contact.kind == "phone":
            item = _phone(contact)
            if item is None:
                continue
            (anonymous if contact.reaches == "Crimestoppers" else call).append(item)
        elif contact.kind == "online" and _offered(contact):
            target = anonymous if contact.reaches == "Crimestoppers" else online
            target.append(Item(contact.value, "" if target is online else "online", _web(contact.value)))
        elif contact.kind == "email" and _offered(contact):
            email.append(Item(contact.value, "", f"mailto:{contact.value}"))
    if not anonymous and any("crimestoppers" in c.sentence.casefold() and _ASKS.search(c.sentence)
                             for c in facts.contacts):
        anonymous.append(Item("Crimestoppers"))  # named, with no number printed: none is added
    for label, items in (("Call", call), ("Anonymously", anonymous), ("Online", online), ("E-mail", email)):
        if items:
            rows.append(Row(label, _capped(items)))
    if not rows:
        return None
    return Callout(TITLE, tuple(rows))


def _capped(items: Sequence[Item]) -> tuple[Item, ...]:
    """At most MAX_ITEMS of a row, then a count of the rest: a box is read at a glance (and a
    hostile seed's 3,000 references in one box kept WeasyPrint past the time limit)."""
    if len(items) <= MAX_ITEMS:
        return tuple(items)
    return (*items[:MAX_ITEMS], Item(f"and {len(items) - MAX_ITEMS:,} more in the article"))


def _named_all(references: Sequence[Reference], published: date | None = None) -> list[str]:
    """Each reference as a caller says it (`_named`), the kind said once for a run of the same
    kind: 'crime reference 37/71195/17; 37/71135/17', not 'crime reference' before each; and
    'log 154 of today' as the day it was written, 'log 154 of 20 December 2020'."""
    out: list[str] = []
    for n, reference in enumerate(references):
        named = _named(reference)
        if n and reference.kind == references[n - 1].kind and named != _glued(reference.text):
            named = _glued(reference.text)
        out.append(_dated(named, published))
    return out


_DAYS_AGO = {"today": 0, "yesterday": 1}


def _dated(named: str, published: date | None) -> str:
    """`... of today` and `... of yesterday` (incident logs) on the day the article gives, which
    is not the day a reader calls; `of yesterday, Monday 30 January` keeps the date it names."""
    head, of, day = named.rpartition(f"{NBSP}of{NBSP}")  # a reference's own spaces are glued
    word, comma, rest = day.partition(",")
    days = _DAYS_AGO.get(word.strip().casefold())
    if not of or days is None:
        return named
    if comma and rest.strip():
        return f"{head}{of}{_glued(rest.strip())}"
    if published is None or isinstance(published, Month):  # no day to give: as written
        return named
    when = published - timedelta(days=days)
    return f"{head}{of}{_glued(f'{when.day} {when:%B %Y}')}"


def _named(reference: Reference) -> str:
    """The reference as a caller says it: '48 of 30 January 2021' is quoted as 'incident 48 of
    30 January 2021' (the article's 'quoting incident number 48 …' reads the kind before it);
    a text that already starts with its kind ('Operation Zebu') is kept as printed."""
    kind, text = reference.kind, _glued(reference.text)
    if kind in ("other", "operation") or reference.text.casefold().startswith(kind.casefold()):
        return text
    return f"{kind} {text}"


def _phone(contact: Contact) -> Item | None:
    value, sentence = contact.value, contact.sentence
    href = "tel:" + "".join(c for c in value if c.isdigit() or c == "+")
    if value == "101":
        return Item("101", "non-emergency", href)
    if value == "999":
        return Item("999", "emergency", href) if _CALL.search(sentence) else None
    if contact.reaches == "Crimestoppers":
        return Item(_glued(value), "Crimestoppers", href)
    if not (_ASKS.search(sentence) or _police(contact)):
        return None  # a helpline or a switchboard, not a way to give information
    return Item(_glued(value), contact.reaches or "", href)


def _offered(contact: Contact) -> bool:
    """A link or address offered for giving information, not for a helpline or further reading."""
    sentence = contact.sentence
    return bool(_ASKS.search(sentence) or _REPORT.search(sentence)) or _police(contact)


def _police(contact: Contact) -> bool:
    """It reaches the police (a force, a team, an officer's address) or a reporting service."""
    reaches = contact.reaches or ""
    return "polic" in reaches.casefold() or reaches in _REPORTING


def _web(value: str) -> str:
    return value if "://" in value else f"https://{value}"


def _glued(value: str) -> str:
    return value.replace(" ", NBSP)
