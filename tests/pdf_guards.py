"""Fixtures that fail a test on a network connection or a WeasyPrint error.

Load them in a test module with `pytest_plugins = ("pdf_guards",)`.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail the test on any attempt to open a network connection or resolve a name."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert not attempts, f"network access attempted: {attempts!r}"


@pytest.fixture
def weasyprint_errors() -> Iterator[list[logging.LogRecord]]:
    """Collect what WeasyPrint logs at ERROR or worse; the test fails if anything was logged.

    A test that expects errors can empty the list before it returns.
    """
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(level=logging.ERROR)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
    assert not records, "WeasyPrint logged errors: " + "; ".join(r.getMessage() for r in records)
