"""The seed's ```yaml header fence → a plain, JSON-safe dict, and the body text after it.

The header is untrusted. libyaml (through PyYAML's C parser, or PyYAML's pure-Python parser
where libyaml is missing) turns it into parse events; this module builds values from those
events itself, instead of composing a node tree and using a PyYAML constructor, so that

- the limits hold while reading: values and nesting are counted event by event, and a header
  fails at its 20,001st value or 33rd level, before anything big is built (a node tree of a
  5 MB `[0,0,...]` took 800 MB before it could be counted);
- no tag can construct an object: only the YAML core types exist, any other tag
  (`!!python/object/apply:os.system`, `!foo`) is a `SeedError`;
- aliases are refused (a real header never needs one), which also defeats alias bombs;
- dates stay strings, scalars resolve by the YAML 1.2 core schema (`yes`/`no`, `1:20`
  and `2020-01-01` are text, not a bool, a sexagesimal int or a date);
- everything that comes out is JSON-safe: str keys; str, int, float, bool, None, list, dict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .decode import clean_value
from .errors import SeedError


class PyParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python event parser: the fallback without libyaml (the tests run both)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # libyaml: fast, and it limits nesting itself
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback
    _Parser = PyParser  # type: ignore[misc,assignment]


MAX_DEPTH = 32
MAX_NODES = 20_000

_OPEN_FENCE = re.compile(r"(?:```|~~~)[ \t]*(?:ya?ml)?[ \t]*", re.IGNORECASE)
_CLOSE_LINE = re.compile(r"^[ \t]*(?:```|~~~)[ \t]*$", re.MULTILINE)
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,14})")  # no leading zeros: 0800 numbers stay text
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]{0,15})(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]{1,3})?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

_T = "tag:yaml.org,2002:"
_STR, _INT_TAG, _FLOAT_TAG, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_AS_TEXT = frozenset({_STR, _T + "timestamp", _T + "binary", _T + "value", _T + "merge"})
_MAPS = frozenset({_T + "map", _T + "set"})
_SEQS = frozenset({_T + "seq", _T + "omap", _T + "pairs"})


@dataclass(frozen=True, slots=True)
class Split:
    """A seed cut at its header fence. Line numbers are 1-based lines of the seed."""

    header: str
    header_line: int  # the line of the opening fence
    body: str
    body_line: int  # the first line after the closing fence


def split(text: str, source: str | None) -> Split:
    """Find the header fence at the top of the seed (blank lines before it are fine)."""
    start = 0
    while True:  # skip blank lines without splitting the whole seed into lines
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() or end < 0:
            break
        start = end + 1
    line_no = text.count("\n", 0, start) + 1
    if not _OPEN_FENCE.fullmatch(line.strip()):
        shown = line.strip()[:40]
        raise SeedError(f"no opening ```yaml fence (the seed starts with {shown!r})", source, line_no)
    if end < 0:
        raise SeedError(f"no closing ``` fence for the header opened on line {line_no}", source, line_no)
    close = _CLOSE_LINE.search(text, end + 1)
    if close is None:
        raise SeedError(f"no closing ``` fence for the header opened on line {line_no}", source, line_no)
    after = text.find("\n", close.end())
    body = "" if after < 0 else text[after + 1 :]
    return Split(
        header=text[end + 1 : close.start()].removesuffix("\n"),
        header_line=line_no,
        body=body,
        body_line=line_no + text.count("\n", end, close.start()) + 1,
    )


def parse(part: Split, source: str | None) -> dict[str, Any]:
    """The header as a dict. Raises `SeedError` with the seed's line number on bad YAML."""
    offset = part.header_line  # header line 0 is seed line header_line + 1
    events = _Parser(part.header)
    try:
        return _Builder(events, source, offset).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise SeedError(f"YAML syntax error in the header: {problem}", source, line) from None
    except yaml.YAMLError as exc:
        raise SeedError(f"YAML error in the header: {exc}", source, offset) from None
    finally:
        events.dispose()


class _Builder:
    """Parse events → plain values, refusing aliases, foreign tags, depth and size abuse as
    each event arrives: at most MAX_NODES small events are ever read from a hostile header."""

    def __init__(self, events: Any, source: str | None, offset: int) -> None:
        self.events = events  # a CParser or PyParser: check_event / get_event
        self.source = source
        self.offset = offset
        self.count = 0
        self.anchors: dict[str, Event] = {}  # an alias is reported at its anchor's line

    def fail(self, reason: str, event: Event) -> SeedError:
        mark = event.start_mark  # always set by the parser (the stubs allow None)
        return SeedError(reason, self.source, None if mark is None else self.offset + mark.line + 1)

    def document(self) -> dict[str, Any]:
        events = self.events
        events.get_event()  # stream start
        if events.check_event(StreamEndEvent):
            return {}
        events.get_event()  # document start
        root = events.get_event()
        if isinstance(root, (ScalarEvent, SequenceStartEvent)):
            kind = "a list" if isinstance(root, SequenceStartEvent) else "a single value"
            raise self.fail(f"the header is {kind}, not a mapping of keys", root)
        value = self.value(root, 0)
        if not isinstance(value, dict):  # a `!!set`
            raise self.fail("the header is a list, not a mapping of keys", root)
        events.get_event()  # document end
        if not events.check_event(StreamEndEvent):
            raise self.fail("the header holds more than one YAML document", events.peek_event())
        return value

    def value(self, event: Event, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"the header has more than {MAX_NODES:,} values", event)
        if depth > MAX_DEPTH:
            raise self.fail(f"the header is nested more than {MAX_DEPTH} levels deep", event)
        anchor = getattr(event, "anchor", None)  # every node event has one (not the stubs' Event)
        if anchor is not None:
            if isinstance(event, AliasEvent):
                at = self.anchors.get(anchor, event)
                raise self.fail("YAML anchors and aliases (&name, *name) are not allowed in the header", at)
            self.anchors[anchor] = event
        if isinstance(event, ScalarEvent):
            return self.scalar(event)
        tag = event.tag  # type: ignore[attr-defined]
        events = self.events
        if isinstance(event, MappingStartEvent):
            tag = _T + "map" if tag is None or tag == "!" else tag
            if tag not in _MAPS:
                raise self.fail(f"unsupported YAML tag {_short(tag)} in the header", event)
            out: dict[str, Any] = {}
            while not events.check_event(MappingEndEvent):
                key = events.get_event()
                if not isinstance(key, ScalarEvent) and not isinstance(key, AliasEvent):
                    raise self.fail("a header key must be plain text, not a list or mapping", key)
                self.value(key, depth + 1)  # counts it and checks its tag
                assert isinstance(key, ScalarEvent)  # an alias was refused just above
                item = self.value(events.get_event(), depth + 1)
                out[clean_value(key.value)] = None if tag == _T + "set" else item
            events.get_event()
            return list(out) if tag == _T + "set" else out
        tag = _T + "seq" if tag is None or tag == "!" else tag
        if tag not in _SEQS:
            raise self.fail(f"unsupported YAML tag {_short(tag)} in the header", event)
        items = []
        while not events.check_event(SequenceEndEvent):
            items.append(self.value(events.get_event(), depth + 1))
        events.get_event()
        return items

    def scalar(self, event: ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag is None or tag == "!":
            tag = _STR
        if event.style == '"':  # only double-quoted YAML can spell control characters
            text = clean_value(text)
        if tag == _STR:
            return text if event.style else _resolve_plain(text)  # plain: None or ""
        if tag in _AS_TEXT:
            return text
        if tag == _INT_TAG:
            return int(text) if _INT.fullmatch(text) else text
        if tag == _FLOAT_TAG:
            return _float(text)
        if tag == _BOOL:
            return True if text in _TRUE else False if text in _FALSE else text
        if tag == _NULL:
            return None
        raise self.fail(f"unsupported YAML tag {_short(tag)} in the header", event)


def _resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for unquoted scalars; anything not JSON-safe stays text."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "-+.":
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text) and not text.lstrip("+-").isdigit():  # long digit runs stay text
            return _float(text)
    return text


def _float(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _short(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag
