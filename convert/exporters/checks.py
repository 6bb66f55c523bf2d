"""Style files checked once, before a run: a template that does not compile, or styles that
cannot render even a small sample article, would fail every seed the same way.

Both end in one `OptionError` naming the file and, where it can be known, the line: the
command line's usage error (exit 2), instead of one failure per seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import Environment, Template, TemplateSyntaxError

from ..model import (
    Article,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)
from . import Exporter, ExportError, OptionError, Options


def compile_templates(env: Environment, names: Sequence[str]) -> list[Template]:
    """Compile every template a format uses now, not on first use (a `{% import %}`ed one is
    otherwise only compiled while rendering a seed)."""
    found = []
    for name in names:
        try:
            found.append(env.get_template(name))
        except TemplateSyntaxError as exc:
            problem = _one_line(exc.message or str(exc))
            raise OptionError(f"{exc.filename or name}:{exc.lineno}: {problem}") from None
    return found


def _sample(n: int, area: str, day: date | datetime) -> Article:
    """A small article that goes through every branch a template has: each kind of block and
    inline, every field of the title block."""
    meta = Meta(
        headline=f"Sample article {n} for a style check", area=area,
        url=f"https://www.example.police.uk/news/sample-{n}/", title=f"Sample article {n} | {area} Police",
        publisher=f"{area} Police", published=day, summary="A summary that is not the first paragraph.",
        image=None, speakers=("Inspector Sam Sample",),  # no image: nothing is fetched, ever
    )
    blocks = (
        Paragraph((Text("Officers "), Strong((Text("praised"),)), Text(" the "), Emphasis((Text("public"),)),
                   Text(": see "), Link("https://www.example.police.uk/", (Text("the site"),)), LineBreak(),
                   Text("or write to press@example.police.uk."))),
        Heading(2, (Text("What happened"),)),
        Heading(3, (Text("And then"),)),
        ListBlock(False, ((Paragraph((Text("One"),)), ListBlock(True, ((Paragraph((Text("Nested"),)),),))),
                          (Paragraph((Text("Two"),)),))),
        ListBlock(True, ((Paragraph((Text("First"),)),), (Paragraph((Text("Second"),)),)), start=3),
        Quote((Paragraph((Text("We thank everyone who came forward."),)),), speaker="Inspector Sam Sample"),
        Rule(),
        Paragraph((Text("Anyone with information should call 101."),)),
    )
    return Article(meta, blocks)


SAMPLES = (
    _sample(1, "Kent", datetime(2020, 3, 1, 10, 30, tzinfo=UTC)),
    _sample(2, "Cumbria", date(2020, 2, 14)),
)


def try_styles(made: Exporter, fmt: str, options: Options, *, bundle: bool) -> None:
    """With a styles folder of the user's, export the sample article (and a bundle, when the
    run makes one) once; a failure is an `OptionError` naming the file (and line) at fault.
    Formats that read none of the user's files are not tried: the shipped styles are tested."""
    folder = options.styles
    names = tuple(getattr(made, "style_files", ()))
    if folder is None or not any((folder / name).is_file() for name in names):
        return
    try:
        made.export(SAMPLES[0])
        if bundle:
            made.export_bundle(list(SAMPLES))
    except Exception as exc:
        files = {options.theme.path(name).resolve(): name for name in names}
        where = _template_line(exc, files)
        if where is None:
            locate = getattr(made, "failing_style", None)  # e.g. the PDF's stylesheet rule
            where = locate(SAMPLES[0]) if locate is not None else None
        if where is None:
            where = ", ".join(str(folder / name) for name in names if (folder / name).is_file())
        reason = _one_line(str(exc) if isinstance(exc, ExportError) else f"{type(exc).__name__}: {exc}")
        raise OptionError(f"{where}: the {fmt} format cannot render a sample article with these "
                          f"styles, so no seed would convert: {reason}") from None


def _template_line(exc: BaseException, files: dict[Path, str]) -> str | None:
    """`path:line` of the innermost template frame in the traceback (Jinja gives its frames the
    template's file name and line), following the chain of causes."""
    found = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        tb: TracebackType | None = current.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2") and _resolved(name) in files:
                found = f"{name}:{tb.tb_lineno}"
            tb = tb.tb_next
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None


def _resolved(name: str) -> Any:
    try:
        return Path(name).resolve()
    except OSError:
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
