"""Each exporter's own options, the one registry with `register()`, and its one warm cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bulletin_fixtures import make, para
from seedkit import make_corpus

import convert
from convert import exporters
from convert.exporters import REGISTRY, ExportError, OptionError, Options, TitledOptions, setting
from convert.exporters.txt.exporter import TxtOptions
from convert.exporters.web.pdf import PdfOptions


def test_each_format_takes_the_settings_it_declares() -> None:
    settings = {"width": 60, "ascii": True, "title": "Pack", "pdf_variant": "pdf/ua-1", "styles": "s",
                "fetch_images": None}
    built = REGISTRY.options(["txt", "pdf", "json", "html"], settings)
    assert built["txt"] == TxtOptions(width=60, ascii=True, title="Pack", styles=Path("s"))
    assert built["pdf"] == PdfOptions(variant="pdf/ua-1", title="Pack", styles=Path("s"))  # None: default
    assert built["json"] == Options(styles=Path("s"))
    assert built["html"] == TitledOptions(title="Pack", styles=Path("s"))
    assert PdfOptions.settings() == {"styles": "styles", "title": "title", "pdf_variant": "variant",
                                     "fetch_images": "fetch_images", "group_by": "group_by"}


def test_a_stamp_covers_only_the_options_an_output_depends_on() -> None:
    plain, wide = TxtOptions(), TxtOptions(width=100)
    assert plain.fingerprint() != wide.fingerprint()
    titled = TxtOptions(title="Weekly")
    assert titled.fingerprint() == plain.fingerprint()  # a title is for bundles
    assert titled.fingerprint(bundle=True) != plain.fingerprint(bundle=True)
    styled = TxtOptions(styles=Path("mine"))
    assert styled.fingerprint(bundle=True) == plain.fingerprint(bundle=True)  # files are stamped instead
    assert styled.identity() != plain.identity()  # but it is another exporter instance


def test_a_value_is_checked_once_where_the_options_are_made() -> None:
    with pytest.raises(OptionError, match="too narrow"):
        REGISTRY.options(["txt"], {"width": 5})
    assert REGISTRY.options(["json"], {"width": 5})["json"] == Options()  # not json's concern
    with pytest.raises(OptionError, match="PDF variant"):
        PdfOptions(variant=3)  # type: ignore[arg-type]


def test_the_library_names_a_misspelt_option() -> None:
    article = make(para("Words enough to wrap at twenty columns, but not at sixty-six."))
    with pytest.raises(TypeError, match="unknown option 'widht'"):
        convert.export(article, "txt", widht=66)
    assert convert.export(article, "json", width=66) == convert.export(article, "json")  # another format's
    assert convert.export(article, "txt", width=66) != convert.export(article, "txt", width=20)


def test_convert_paths_names_a_misspelt_option(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 1)
    with pytest.raises(TypeError, match="unknown option 'titel'"):
        convert.convert_paths(tmp_path / "in", "txt", tmp_path / "out", titel="x")
    assert not (tmp_path / "out").exists()


@dataclass(frozen=True)
class ShoutOptions(Options):
    bang: int = setting(1, name="shout_bangs")

    def validate(self) -> None:
        if self.bang < 0:
            raise OptionError("bangs cannot be negative")


class Shout:
    """Headlines in capitals."""

    name = "shout"
    extension = "shout"
    options_class = ShoutOptions
    built = 0

    def __init__(self, options: ShoutOptions) -> None:
        type(self).built += 1
        self.options = options

    def export(self, article: convert.Article) -> bytes:
        return (article.meta.headline.upper() + "!" * self.options.bang).encode()

    def export_bundle(self, articles: object) -> bytes:
        return b"".join(self.export(a) for a in articles)  # type: ignore[attr-defined]


@pytest.fixture
def shout() -> object:
    cls = exporters.register(Shout)
    yield cls
    exporters.unregister("shout")


def test_register_adds_a_format_with_its_own_options(shout: type) -> None:
    assert exporters.get("shout") is shout and "shout" in convert.formats()
    assert shout.description == "Headlines in capitals." and shout.version == "0"  # defaults filled in
    assert convert.export(make(), "shout", shout_bangs=3) == b"HEADLINE!!!"
    with pytest.raises(OptionError, match="negative"):
        convert.export(make(), "shout", shout_bangs=-1)
    exporters.unregister("shout")
    assert "shout" not in exporters.registry() and "shout" not in exporters.names()


def test_the_registry_is_edited_only_through_register() -> None:
    with pytest.raises(TypeError):
        exporters.registry()["x"] = Shout  # type: ignore[index]
    with pytest.raises(ValueError, match="already installed"):
        exporters.register(Shout, "txt")
    with pytest.raises(ValueError, match="no export_bundle"):
        exporters.register(type("Half", (), {"extension": "h", "export": lambda self, a: b""}), "half")


def test_one_warm_cache(shout: type) -> None:
    shout.built = 0  # the class as registered: a subclass with the defaults filled in
    first = REGISTRY.instance("shout", ShoutOptions(), "digest-a")
    assert REGISTRY.instance("shout", ShoutOptions(), "digest-a") is first
    assert REGISTRY.instance("shout", ShoutOptions(bang=2), "digest-a") is not first
    assert REGISTRY.instance("shout", ShoutOptions(), "digest-b") is not first  # the styles changed
    assert shout.built == 3


def test_a_failure_to_start_is_remembered() -> None:
    class Broken:
        name, extension, tries = "broken-start", "bs", 0

        def __init__(self, options: Options) -> None:
            type(self).tries += 1
            raise RuntimeError("no fonts")

        def export(self, article: object) -> bytes:
            return b""

        def export_bundle(self, articles: object) -> bytes:
            return b""

    exporters.register(Broken)
    try:
        for _ in range(3):
            with pytest.raises(ExportError, match="cannot start the broken-start exporter: RuntimeError"):
                REGISTRY.instance("broken-start", Options())
        assert exporters.get("broken-start").tries == 1
    finally:
        exporters.unregister("broken-start")


def test_the_library_picks_up_an_edited_template(tmp_path: Path) -> None:
    """The warm exporter is keyed by the style files as they are now, not only by the options."""
    template = tmp_path / "bulletin.txt.j2"
    template.write_text("first {{ article.headline }}\n")
    assert convert.export(make(), "txt", styles=tmp_path) == b"first Headline\n"
    template.write_text("second, edited {{ article.headline }}\n")
    assert convert.export(make(), "txt", styles=tmp_path) == b"second, edited Headline\n"
