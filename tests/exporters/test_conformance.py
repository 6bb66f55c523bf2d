"""What every registered exporter must do, built-in or plugin: the engine relies on all of it.

It declares the protocol (name, a file extension, a description, a version, the style files it
reads, its options); `export` and `export_bundle` return bytes, the same bytes every time, and
never write a file themselves; a bundle of one or many articles is made whatever their order,
and an empty one is bytes or a clean `ExportError`; what the engine writes carries the
format's extension. The example plugin (tests/plugins/convert-csv) is registered here for the
duration, so it is held to the same rules as the built-in formats.
"""

from __future__ import annotations

import importlib.util
import io
import json
import random
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from renderkit import BUILTIN, load
from seedkit import write_seed
from testpaths import TESTS

import convert
from convert import exporters
from convert.exporters import Exporter, ExportError, Options
from convert.styles import Styles

PLUGIN = TESTS / "plugins" / "convert-csv" / "convert_csv.py"
FORMATS = [*BUILTIN, "csv"]
SINGLES = ["seed", "header", "links", "hostile", "scripts", "lists-quotes-headings", "byline-area"]

# What the bytes of each known extension start with, or must parse as.
MAGIC: dict[str, Callable[[bytes], bool]] = {
    "pdf": lambda data: data.startswith(b"%PDF-"),
    "docx": lambda data: "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist(),
    "json": lambda data: isinstance(json.loads(data), dict | list),
    "html": lambda data: data.startswith(b"<!DOCTYPE html>"),
    "md": lambda data: data.startswith(b"---\n"),
    "txt": lambda data: bool(data.decode("utf-8")),
    "csv": lambda data: data.startswith(b"\xef\xbb\xbfarea,"),
}


@pytest.fixture(autouse=True)
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The example plugin, registered as an installed one would be found; a fixed clock."""
    spec = importlib.util.spec_from_file_location("convert_csv", PLUGIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # importable by name, as an installed plugin is: its options travel to worker processes
    monkeypatch.setitem(sys.modules, "convert_csv", module)
    spec.loader.exec_module(module)
    exporters.register(module.CSVTable)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # Word's timestamps, a pack's date of issue
    yield
    exporters.unregister("csv")


@pytest.fixture(params=FORMATS)
def fmt(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def fresh(fmt: str) -> Exporter:
    """A new instance, not the warm one: nothing may carry over from an earlier export."""
    cls = exporters.get(fmt)
    return cls(cls.options_class())


def test_it_declares_the_protocol(fmt: str) -> None:
    cls = exporters.get(fmt)
    assert cls.name == fmt and fmt in exporters.registry()
    assert re.fullmatch(r"[a-z0-9]+", cls.extension)
    assert isinstance(cls.description, str) and cls.description.strip()
    assert isinstance(cls.version, str) and cls.version
    assert isinstance(cls.style_files, tuple)
    for name in cls.style_files:
        assert Styles().path(name).is_file()  # shipped: --styles only overrides
    assert issubclass(cls.options_class, Options)
    assert cls.options_class.from_settings({}) == cls.options_class()
    assert isinstance(fresh(fmt), Exporter)


def test_one_article_is_bytes_and_the_same_bytes_every_time(fmt: str) -> None:
    for case in SINGLES:
        article = load(case)
        data = fresh(fmt).export(article)
        assert type(data) is bytes and data, case
        assert MAGIC[fmt](data), case
        assert fresh(fmt).export(article) == data, f"{case}: not deterministic"


def test_a_bundle_of_zero_one_or_many(fmt: str) -> None:
    try:
        empty = fresh(fmt).export_bundle([])
    except ExportError:
        pass  # refusing is fine (a PDF pack needs a page); any other exception is not
    else:
        assert type(empty) is bytes
    one = fresh(fmt).export_bundle([load("header")])
    assert type(one) is bytes and one and MAGIC[fmt](one)
    many = [*load("weekly"), load("seed"), load("links"), load("scripts")]
    data = fresh(fmt).export_bundle(many)
    assert type(data) is bytes and MAGIC[fmt](data)
    shuffled = many[:]
    random.Random(7).shuffle(shuffled)
    assert fresh(fmt).export_bundle(shuffled) == data  # the order of a bundle is the format's
    assert data != one


def test_it_never_writes_a_file(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exporter = fresh(fmt)
    exporter.export(load("seed"))
    exporter.export_bundle(load("weekly"))
    assert list(tmp_path.iterdir()) == []


def test_the_engine_writes_its_extension(fmt: str, tmp_path: Path) -> None:
    write_seed(tmp_path / "in" / "Kent", "a.md", area="Kent")
    summary = convert.convert_paths(tmp_path / "in", fmt, tmp_path / "out", jobs=1)
    assert summary.exit_code == 0, summary.failures
    ext = exporters.get(fmt).extension
    (written,) = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert written == tmp_path / "out" / "Kent" / f"a.{ext}"
    assert MAGIC[fmt](written.read_bytes())
