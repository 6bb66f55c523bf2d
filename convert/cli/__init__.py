"""The command line: `convert FORMAT PATH...`, `convert formats`, `convert styles init DIR`.

FORMAT is a format name, a comma list (`pdf,docx,txt`: each seed is read once) or `all`;
any first word that is not a subcommand is taken as FORMAT, so `convert pdf --help` works.
Exit status: 0 all converted, 1 something failed, 2 usage error, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from .. import catalog
from ..limits import MAX_BYTES, TIMEOUT
from ..taxonomy import GROUPINGS, STORY_KINDS

# The engine, the exporters and the reader are imported by the commands that use them:
# `--help`, `formats` and usage errors stay quick (see convert.catalog).


class Day(click.ParamType):
    """A date on the command line; `end` makes a month or year mean its last day."""

    name = "date"

    def __init__(self, end: bool = False) -> None:
        self.end = end

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..select import parse_day

        try:
            return parse_day(str(value), end=self.end)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Size(click.ParamType):
    """A byte count: 5000000, 500k, 5M, 1G."""

    name = "size"
    _units: ClassVar[dict[str, int]] = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            return value
        m = re.fullmatch(r"\s*(\d+)\s*([kmg]?)i?b?\s*", str(value), re.IGNORECASE)
        if not m or int(m[1]) < 1:
            self.fail(f"{value!r} is not a size (e.g. 5000000, 500k, 5M)", param, ctx)
        size = int(m[1]) * self._units[m[2].lower()]
        if size > sys.maxsize:  # no file can be that big, and reads would overflow
            self.fail(f"{value!r} is too large (at most {sys.maxsize:,} bytes)", param, ctx)
        return size


def resolve_formats(spec: str) -> tuple[str, ...]:
    """`pdf`, `pdf,docx,txt` or `all` → format names, in order, each once.

    No built-in exporter is imported here; a plugin named is (`all`: every one that loads). A
    format whose plugin cannot be loaded is an error naming its package (exit 1), not an
    unknown format."""
    from ..exporters import names as installed

    known = installed()
    names: list[str] = []
    for part in (p.strip().lower() for p in spec.split(",")):
        if not part:
            continue
        for name in sorted(f.name for f in catalog.listing()) if part == "all" else [part]:
            if name not in known:
                listed = ", ".join(known) or "none installed"
                raise click.UsageError(f"unknown format {name!r} (known: {listed}, or all)")
            if name not in names:
                names.append(name)
    if not names:
        raise click.UsageError("no format given")
    for name in names:
        if not catalog.builtin(name):  # (a built-in is imported when the command runs: `load`)
            load(name)
    return tuple(names)


def load(name: str) -> None:
    """Import the exporter of `name`; one that cannot be loaded is an error naming its package."""
    from ..exporters import PluginError, get

    try:
        get(name)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None


def _convert_options(f: Any) -> Any:
    options = [
        click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                       type=click.Path(exists=True, path_type=Path)),
        click.option("-o", "--out", default=Path("out"), show_default=True, metavar="OUT",
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder; outputs mirror each input's path below the folder given."),
        click.option("--bundle", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
                     help="All selected articles in one file per format (several formats: FILE's stem "
                          "with each extension); relative to OUT when -o is given."),
        click.option("--title", help="Title of a bundle (cover, contents)."),
        click.option("--group-by", "group_by", default="area", show_default=True,
                     type=click.Choice(GROUPINGS, case_sensitive=False),
                     help="How a bundle groups its contents and articles: by area, kind of story or date."),
        click.option("--width", default=72, show_default=True, type=int,
                     help="Line width of plain-text bulletins (20 to 1000)."),
        click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII punctuation in bulletins."),
        click.option("--pdf-variant", metavar="V", help="PDF variant, e.g. pdf/a-3b or pdf/ua-1."),
        click.option("--styles", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="A styles folder (see `convert styles init`); missing files fall back."),
        click.option("-j", "--jobs", default=0, type=click.IntRange(min=0), metavar="N",
                     help="Worker processes [default: all cores]; with --timeout 0, 1 runs in this process."),
        click.option("--timeout", default=TIMEOUT, show_default=True, type=click.FloatRange(min=0),
                     metavar="SECONDS",
                     help="A seed taking longer fails; the run goes on (its worker is replaced). "
                          "0: no limit."),
        click.option("--scheduler", envvar="CONVERT_SCHEDULER", metavar="tcp://HOST:PORT",
                     help="Run on the Dask cluster with this scheduler (or set CONVERT_SCHEDULER; an "
                          "explicit -j runs locally). Needs convert[dask] on every worker and the output "
                          "folder on a shared filesystem."),
        click.option("--force", is_flag=True, help="Rebuild every output, even when up to date."),
        click.option("--fail-fast", is_flag=True, help="Stop at the first failure."),
        click.option("--area", multiple=True, metavar="NAME",
                     help="Only articles from this area (repeatable, any case)."),
        click.option("--since", type=Day(), help="Only articles published on or after DATE."),
        click.option("--until", type=Day(end=True), help="Only articles published on or before DATE."),
        click.option("--grep", metavar="TEXT", help="Only articles whose headline or body contains TEXT."),
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     type=click.Choice(sorted(STORY_KINDS), case_sensitive=False),
                     help="Only articles of this kind of story (repeatable: any of them)."),
        click.option("--has-reference", is_flag=True,
                     help="Only articles that give a reference to quote (incident, log, crime ref...)."),
        click.option("--max-bytes", default=MAX_BYTES, show_default=True, type=Size(), metavar="N",
                     help="Refuse seeds larger than this (e.g. 5M)."),
        click.option("--follow-links", is_flag=True, help="Follow symbolic links inside input folders."),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
        click.option("-v", "--verbose", is_flag=True,
                     help="Name every output written, and what reading repaired in each seed."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _convert_command(name: str, formats: tuple[str, ...]) -> click.Command:
    described = "; ".join(f"{f}: {catalog.describe(f)}" for f in formats)

    @click.command(name=name, help=f"Convert seed files (or folders of them) to {', '.join(formats)}.\n\n"
                   f"\b\n{described}")
    @_convert_options
    @click.pass_context
    def command(ctx: click.Context, **kw: Any) -> None:
        run(ctx, formats, everything="all" in name.split(","), **kw)

    return command


def run(ctx: click.Context, formats: tuple[str, ...], everything: bool = False, **kw: Any) -> None:
    from ..engine.batch import Batch, Config, StartError
    from ..engine.cluster import ClusterError
    from ..exporters import OptionError
    from ..select import Selection
    from ..signals import Stopped, exit_status, handled
    from .progress import reporter

    if kw["quiet"] and kw["verbose"]:
        raise click.UsageError("-q and -v cannot be used together")
    for name in formats:
        load(name)
    try:
        selection = Selection.make(kw["area"], kw["since"], kw["until"], kw["grep"], kw["kinds"],
                                   kw["has_reference"])
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    # One flat set of settings: each format takes the ones it declares (and checks them).
    settings = {"width": kw["width"], "ascii": kw["ascii_"], "title": kw["title"],
                "pdf_variant": kw["pdf_variant"], "styles": kw["styles"]}
    bundle = kw["bundle"]
    if bundle is not None and not bundle.is_absolute() and \
            ctx.get_parameter_source("out") is not click.core.ParameterSource.DEFAULT and \
            not (Path.cwd() / bundle).resolve().is_relative_to(kw["out"].resolve()):
        bundle = kw["out"] / bundle  # `-o OUT --bundle FILE`: FILE inside OUT (unless it names OUT already)
    config = Config(
        formats=formats, paths=tuple(kw["paths"]), out=kw["out"], settings=settings, selection=selection,
        bundle=bundle, jobs=kw["jobs"], force=kw["force"], fail_fast=kw["fail_fast"],
        max_bytes=kw["max_bytes"], follow_links=kw["follow_links"], timeout=kw["timeout"],
        group_by=kw["group_by"].lower(),
    )
    report = reporter(quiet=kw["quiet"], verbose=kw["verbose"], debug=kw["debug"])
    if everything and not kw["quiet"]:
        _plugin_problems(report.warning)
    if bundle is None and ctx.get_parameter_source("group_by") is not click.core.ParameterSource.DEFAULT:
        report.warning("warning: --group-by orders a bundle's articles; without --bundle it changes nothing")
    try:
        with handled():  # Ctrl-C and SIGTERM from here on: the summary, then 130 or 143
            try:
                batch = Batch(config, report, _executor(ctx, kw))
            except ValueError as exc:
                raise click.UsageError(str(exc)) from exc
            except FileNotFoundError as exc:  # a style file an exporter names is missing
                raise click.ClickException(str(exc)) from exc
            with report:
                summary = batch.run()
            report.finish(summary)
    except StartError as exc:
        raise click.ClickException(str(exc)) from None
    except OptionError as exc:  # a bad --pdf-variant or --styles, found before any seed converts
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt as exc:  # before the run started, or a second Ctrl-C while stopping
        ctx.exit(exit_status(exc.signum if isinstance(exc, Stopped) else 2))
    except (click.ClickException, click.exceptions.Exit):
        raise
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        if kw["debug"]:
            raise
        reason = f"internal error: {type(exc).__name__}: {exc} (--debug shows where)"
        raise click.ClickException(reason) from exc
    ctx.exit(summary.exit_code)


def _executor(ctx: click.Context, kw: dict[str, Any]) -> Any:
    """`--scheduler` (or CONVERT_SCHEDULER): the Dask executor, imported only then; None: local."""
    address = (kw["scheduler"] or "").strip()
    if not address:
        return None
    source = click.core.ParameterSource.COMMANDLINE
    if ctx.get_parameter_source("jobs") is source:
        if ctx.get_parameter_source("scheduler") is source:
            raise click.UsageError("-j and --scheduler cannot be used together")
        return None  # -j on the command line beats CONVERT_SCHEDULER in the environment
    from ..engine.cluster import dask

    return dask(address)


def _plugin_problems(say: Any) -> None:
    for p in catalog.problems():
        say(f"warning: format {p.name!r} from package {p.package} cannot be loaded: {p.error}")


class FormatGroup(click.Group):
    """Subcommands as usual; any other first word is a FORMAT for the convert command."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        return _convert_command(cmd_name, resolve_formats(cmd_name))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_commands(ctx, formatter)
        rows = [(f.name, f.description) for f in sorted(catalog.listing(), key=lambda f: f.name)]
        rows.append(("all", "every format above"))
        with formatter.section("Formats (FORMAT may also be a comma list: pdf,docx,txt)"):
            formatter.write_dl(rows)


@click.group(
    cls=FormatGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    subcommand_metavar="FORMAT PATH... | COMMAND ...",
)
@click.version_option(package_name="convert", message="convert %(version)s")
def main() -> None:
    """Turn police press-release seed files into PDF briefings, Word documents, plain-text
    bulletins and more.

    \b
      convert pdf seeds/                  every seed under seeds/ → out/…/<name>.pdf
      convert pdf,docx,txt corpus/ -o x   three formats, each seed read once
      convert docx corpus/ --area Kent --since 2020-03 --bundle kent.docx
      convert FORMAT --help               every option

    Outputs already up to date are skipped (--force rebuilds them).
    """


@main.command("formats")
def formats_command() -> None:
    """List the output formats."""
    known = sorted(catalog.listing(), key=lambda f: f.name)
    width = max((len(f.name) for f in known), default=0)
    for f in known:
        click.echo(f"{f.name:<{width}}  .{f.extension:<5} {f.description}")
    _plugin_problems(lambda line: click.echo(line, err=True))


@main.group("styles")
def styles_group() -> None:
    """Manage styles folders (templates, CSS, the Word reference document)."""


@styles_group.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def styles_init(folder: Path, force: bool) -> None:
    """Copy the default styles to FOLDER, to edit and pass with --styles."""
    from ..styles import default_dir

    source = default_dir()
    files = sorted(
        p for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                   for part in p.relative_to(source).parts)
    )
    existing = [folder / p.relative_to(source) for p in files if (folder / p.relative_to(source)).exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing[:5]) + (" …" if len(existing) > 5 else "")
        raise click.ClickException(f"would overwrite {names} (use --force)")
    for p in files:
        target = folder / p.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)
    click.echo(f"copied {len(files)} style files to {folder}; use them with --styles {folder}")


