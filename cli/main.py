"""The ``cluster`` command: parse arguments, call the library, write the result.

Everything here is argv, streams, formats and exit codes; the work is done by ``clusterer``.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import json
import logging
import multiprocessing
import os
import resource
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import orjson
from rich.console import Console

from clusterer import Config
from clusterer._version import __version__
from clusterer.config import KEEP_POLICIES, PRESETS, config_from_toml
from clusterer.constraints import Constraints, load_constraints
from clusterer.constraints import write_constraints as write_constraints_file
from clusterer.errors import ClustererError, ConfigError
from clusterer.ingest import MAX_BYTES, read_paths
from clusterer.prepare import default_jobs, run_dedup
from clusterer.records import Article, Report, Skipped
from clusterer.render import (
    dedup_report_to_dict,
    dumps,
    json_chunks,
    kept_records,
    materialized,
    record_line,
    report_fields,
    report_to_jsonl,
)
from clusterer.report_html import report_html
from clusterer.report_markdown import report_markdown
from clusterer.sanitize import printable
from clusterer.state import State

from .exit_codes import ExitCode
from .io import (
    OutputError,
    atomic_binary_output,
    atomic_output,
    check_destinations,
    check_stdout,
    silence_stdout,
)
from .output import Streams, bidi_enabled, safe, story_view
from .progress import StageProgress, progress_console, wanted


class _Lazy:
    """A library module imported on first use: clustering, summaries and evaluation load
    scikit-learn (about two seconds), which ``cluster dedup`` never needs."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


if TYPE_CHECKING:
    from clusterer import evaluate, incremental, pipeline
else:
    evaluate = _Lazy("clusterer.evaluate")
    incremental = _Lazy("clusterer.incremental")
    pipeline = _Lazy("clusterer.pipeline")

FORMATS = ("auto", "json", "jsonl", "table", "html", "markdown")
FULL_COLLECTION_EVERY = 1000  # second-generation passes between full collections (default 10)
# -o FILE with --format auto: the file's extension picks the format (JSON otherwise)
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".jsonl": "jsonl"}


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, runs the default ``run`` command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands and os.path.exists(args[0]):
            click.echo(
                f"warning: {safe(args[0])} is taken as the subcommand; "
                f"to read the path {safe(args[0])}, write ./{safe(args[0])}",
                err=True,
            )
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _apply(opts: list[Callable[..., Any]], f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``f`` with a group of click options, listed in the order ``--help`` shows them."""
    for opt in reversed(opts):
        f = opt(f)
    return f


def _tuning_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="TOML file of settings (flags override it).",
        ),
        click.option(
            "--preset",
            type=click.Choice(sorted(PRESETS)),
            default=None,
            help="Granularity: "
            + ", ".join(f"{k} ({v})" for k, v in sorted(PRESETS.items()))
            + "; event is the default, story groups related events.",
        ),
        click.option(
            "--threshold",
            type=click.FloatRange(0, 1),
            default=None,
            help=f"Minimum pair score for two articles to share an event (default {Config().threshold}).",
        ),
        click.option(
            "--keep",
            type=click.Choice(KEEP_POLICIES),
            default=None,
            help="Which copy of a duplicate group is kept (default: earliest).",
        ),
        click.option(
            "--summary-sentences",
            type=click.IntRange(1, 50),
            default=None,
            help=f"Length budget of each merged summary (default {Config().summary_sentences}).",
        ),
        click.option(
            "--no-summaries",
            "no_summaries",
            is_flag=True,
            help="Cluster only: skip the merged summaries (much faster on large corpora).",
        ),
        click.option(
            "--lang",
            default=None,
            help="Force the language of every document (ISO code, e.g. ar, en).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Fail (exit 1) on the first unreadable input instead of skipping it.",
        ),
        click.option(
            "--constraints",
            "constraints_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help='Corrections, JSONL of {"must_link": [a, b]} / {"cannot_link": [a, b]}: '
            "honoured for events and stories (unknown ids are warned about).",
        ),
        click.option(
            "--include-hidden",
            is_flag=True,
            help="Read hidden files and folders (names starting with .) in folders; "
            "by default they are listed as skipped.",
        ),
        click.option(
            "--follow-symlinks",
            is_flag=True,
            help="Read symbolic links that point outside the paths given (skipped by default).",
        ),
        click.option(
            "--max-bytes",
            type=click.IntRange(1),
            default=MAX_BYTES,
            show_default=True,
            help="Largest file read (after gzip decompression); bigger files are skipped.",
        ),
    ]
    return _apply(opts, f)


def _common_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option("-q", "--quiet", is_flag=True, help="No warnings or summary line on stderr."),
        click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug)."),
        click.option(
            "--traceback", is_flag=True, help="Show the full traceback of an unexpected error."
        ),
    ]
    return _apply(opts, f)


def _speed_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(1),
            default=None,
            help="Worker processes for the stages that parallelize (default: all cores); "
            "the output does not depend on it.",
        ),
        click.option(
            "--profile",
            is_flag=True,
            help="Print each stage's time and the peak memory on stderr (never in the output).",
        ),
    ]
    return _apply(opts, f)


def _engine_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--engine",
            type=click.Choice(["local", "dask"]),
            default="local",
            show_default=True,
            help="Where the stages run: this process (and --jobs processes), or a Dask cluster "
            "(needs the dask extra); the output is the same.",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            envvar="DASK_SCHEDULER_ADDRESS",
            default=None,
            help="--engine dask: the scheduler to use (e.g. tcp://host:8786; default "
            "$DASK_SCHEDULER_ADDRESS); without one, a local cluster of --jobs workers.",
        ),
    ]
    return _apply(opts, f)


def _dask_report(
    paths: Sequence[str], cfg: Config, jobs: int | None, scheduler: str | None, opts: dict[str, Any]
) -> Report:
    """Run on Dask (the optional extra is imported only here, so the local engine never needs it)."""
    if "-" in paths:
        raise _error("--engine dask reads files and folders, not stdin (-): the workers read them")
    if _constraints(opts) is not None:
        raise _error("--constraints needs --engine local")
    try:
        engine = importlib.import_module("clusterer.engine_dask")
    except ImportError as exc:
        raise _error(f"--engine dask needs Dask: pip install 'cluster-news[dask]' ({exc})") from exc
    read = engine.ReadOptions(
        include_hidden=opts.get("include_hidden", False),
        follow_symlinks=opts.get("follow_symlinks", False),
        max_bytes=opts.get("max_bytes", MAX_BYTES),
    )
    with engine.connect(scheduler, jobs or default_jobs()) as client:
        report: Report = engine.run_dask([os.fspath(p) for p in paths], cfg, client, read)[0]
    return report


def _warn_skipped(
    skipped: Iterable[Skipped], streams: Streams, quiet: bool, warned: set[Skipped] | None = None
) -> None:
    """Warn about each skipped input not in ``warned`` (those the reader warned about as it read;
    the others were skipped later in the run, a document with no words left, say)."""
    for item in () if quiet else skipped:
        if warned is None or item not in warned:
            _warn_one(item, streams)


def _warn_one(item: Skipped, streams: Streams) -> None:
    click.echo(f"warning: {safe(item.origin)}: {safe(item.reason)}; skipped", file=streams.stderr)


def _print_profile(timings: dict[str, float], streams: Streams) -> None:
    """Write the stage timings and the peak resident memory (this process and its workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    click.echo(
        f"profile: {stages}; total {sum(timings.values()):.2f}s; peak memory "
        f"{own * scale / 2**20:.0f} MiB (largest worker {workers * scale / 2**20:.0f} MiB)",
        file=streams.stderr,
    )


def config_from_options(opts: dict[str, Any]) -> Config:
    """Build the Config: defaults < --config file < --preset < explicit flags."""
    try:
        cfg = config_from_toml(opts["config_path"]) if opts.get("config_path") else Config()
    except ConfigError as exc:
        raise click.BadParameter(printable(exc), param_hint="'--config'") from exc
    changes: dict[str, Any] = {}
    if opts.get("preset"):
        changes["threshold"] = PRESETS[opts["preset"]]
    for key in ("threshold", "keep", "summary_sentences", "lang"):
        if opts.get(key) is not None:
            changes[key] = opts[key]
    if opts.get("strict"):
        changes["strict"] = True
    if opts.get("no_summaries"):
        changes["summaries"] = False
    try:
        return cfg.replace(**changes)
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from exc


def _constraints(opts: dict[str, Any]) -> Constraints | None:
    """Read the --constraints file, if one was given."""
    path = opts.get("constraints_path")
    return load_constraints(path) if path else None


class _StderrHandler(logging.Handler):
    def __init__(self, streams: Streams) -> None:
        super().__init__()
        self.streams = streams

    def emit(self, record: logging.LogRecord) -> None:
        level = "warning" if record.levelno >= logging.WARNING else record.levelname.lower()
        click.echo(f"{level}: {safe(record.getMessage())}", file=self.streams.stderr)


def _setup_logging(streams: Streams, quiet: bool, verbose: int) -> None:
    root = logging.getLogger("clusterer")
    root.handlers[:] = [_StderrHandler(streams)]
    root.propagate = False
    root.setLevel(
        logging.ERROR
        if quiet
        else logging.DEBUG
        if verbose > 1
        else logging.INFO
        if verbose
        else logging.WARNING
    )


def _read(
    paths: Sequence[str],
    cfg: Config,
    streams: Streams,
    quiet: bool,
    opts: dict[str, Any],
    warned: set[Skipped] | None = None,
) -> Iterator[Article | Skipped]:
    """Read ``paths``, warning about each skipped input as it comes (added to ``warned``)."""
    items = read_paths(
        paths,
        strict=cfg.strict,
        include_hidden=opts.get("include_hidden", False),
        follow_symlinks=opts.get("follow_symlinks", False),
        max_bytes=opts.get("max_bytes", MAX_BYTES),
    )
    for item in items:
        if isinstance(item, Skipped) and not quiet:
            _warn_one(item, streams)
            if warned is not None:
                warned.add(item)
        yield item


def _error(message: object) -> click.ClickException:
    """A one-line ``Error:`` whose text (it may quote input) is made safe to print."""
    return click.ClickException(printable(message))


def _fail(exc: BaseException, show_traceback: bool) -> None:
    if show_traceback:
        raise exc
    raise _error(f"{type(exc).__name__}: {exc}") from exc


def _progress(streams: Streams, quiet: bool) -> StageProgress:
    console = progress_console(streams.stderr, streams.stderr_isatty)
    return StageProgress(console, enabled=wanted(console, quiet))


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cluster")
def cli() -> None:
    """Deduplicate news articles and group them by event, with one merged,
    source-attributed summary per event.

    \b
    Examples:
        cluster examples/newsroom              # story view on a terminal, JSON in a pipe
        cluster articles/ | jq '.clusters[] | {headline, members}'
        cluster articles/ -o report.html       # a self-contained page to share (.md: Markdown)
        cat articles.jsonl | cluster -         # read JSONL (or one plain-text article) from stdin
        cluster dedup corpus.jsonl -o unique.jsonl
        cluster eval gold.jsonl out.json
        cluster explain DOC_A DOC_B articles/

    Run `cluster COMMAND -h` for a command's options and examples.
    """


def _render(
    data: dict[str, Any],
    fmt: str,
    *,
    ascii_: bool,
    bidi: str,
    limit: int,
) -> str:
    """Return the report dict in ``fmt`` as text (the story view as plain text, 120 columns);
    JSON is not built here but written in pieces (:func:`_write_report`)."""
    if fmt == "jsonl":
        return "".join(dumps(rec, ascii_=ascii_) + "\n" for rec in report_to_jsonl(data))
    if fmt == "html":
        return report_html(data)
    if fmt == "markdown":
        return report_markdown(data)
    buffer = io.StringIO()
    view = story_view(data, bidi=bidi_enabled(bidi), max_clusters=limit or None)
    Console(file=buffer, force_terminal=False, width=120).print(view)
    return buffer.getvalue()


def _write_report(
    fields: dict[str, Any],
    fmt: str,
    streams: Streams,
    output: Path | None,
    *,
    ascii_: bool,
    indent: int | None,
    bidi: str,
    limit: int,
) -> None:
    """Write the report (:func:`~clusterer.render.report_fields`) in ``fmt`` to ``output``
    (atomically, cli/io.py) or stdout; JSON is written piece by piece, never whole in memory."""
    if fmt == "json":
        chunks: Iterable[str] = chain(json_chunks(fields, ascii_=ascii_, indent=indent), "\n")
    else:
        data = materialized(fields)
        if output is None and fmt == "table":
            view = story_view(data, bidi=bidi_enabled(bidi), max_clusters=limit or None)
            streams.out_console().print(view)
            return
        chunks = [_render(data, fmt, ascii_=ascii_, bidi=bidi, limit=limit)]
    with atomic_output(output) if output else contextlib.nullcontext(streams.stdout) as out:
        out.writelines(chunks)
        out.flush()


def _pick_format(fmt: str, json_: bool, output: Path | None, stdout_isatty: bool) -> str:
    """Resolve ``--format auto``: the -o file's extension, else JSON off a terminal, else the view."""
    if json_:
        return "json"
    if fmt != "auto":
        return fmt
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), "json")
    return "table" if stdout_isatty else "json"


@cli.command("run")
@click.argument("paths", nargs=-1, required=True)
@_tuning_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    help="Output format; auto = story view on a terminal, JSON otherwise (with -o: by the file's "
    "extension, .html, .md, .jsonl, else JSON). html: one self-contained page; markdown: a .md file.",
)
@click.option("--json", "json_", is_flag=True, help="Same as --format json.")
@click.option("--indent", type=click.IntRange(0, 8), default=None, help="Indent JSON output.")
@click.option("--ascii", "ascii_", is_flag=True, help="Escape non-ASCII characters in JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the result to this file instead of stdout (written whole, or not at all).",
)
@click.option(
    "--bidi",
    type=click.Choice(["auto", "on", "off"]),
    default="auto",
    help="Story view: reorder right-to-left text for terminals that do not. auto: CLUSTER_BIDI=1|0 "
    "decides if set, else on only in terminals known to lack bidi (see README).",
)
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=40,
    show_default=True,
    help="Story view: show at most this many clusters, largest first (0 = all). JSON always has all.",
)
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Gold labels (JSONL with id and label): print scores on stderr.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Add PATHS to this state database (created if absent): events keep their ids from run "
    "to run, and the output covers every document in the state.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="With --state: output only the events this run created or changed.",
)
@_speed_options
@_engine_options
@_common_options
def run_cmd(
    paths: tuple[str, ...],
    fmt: str,
    json_: bool,
    indent: int | None,
    ascii_: bool,
    output: Path | None,
    bidi: str,
    limit: int,
    gold: Path | None,
    state_path: Path | None,
    changed: bool,
    jobs: int | None,
    profile: bool,
    engine: str,
    scheduler: str | None,
    quiet: bool,
    verbose: int,
    traceback: bool,
    **opts: Any,
) -> None:
    """Cluster the articles in PATHS (files, folders, or - for stdin).

    \b
    Examples:
        cluster examples/newsroom                     # the story view (JSON when piped)
        cluster examples/newsroom -o report.html      # a self-contained HTML report
        cluster examples/newsroom --format markdown > report.md
        cluster corpus/ --format jsonl > clusters.jsonl
        cluster corpus/ --preset story --no-summaries -q
    """
    streams = Streams()
    _setup_logging(streams, quiet, verbose)
    cfg = config_from_options(opts)
    _check_outputs([("-o", output)] if output else [], paths, None if output else streams)
    if state_path is not None and engine == "dask":
        raise _error("--state runs on the local engine; leave out --engine dask")
    try:
        if engine == "dask":
            report = _dask_report(paths, cfg, jobs, scheduler, opts)
            _warn_skipped(report.skipped, streams, quiet)
        else:
            warned: set[Skipped] = set()
            with _progress(streams, quiet) as progress:
                items = _read(paths, cfg, streams, quiet, opts, warned)
                report = (
                    _run_state(state_path, items, cfg, progress, jobs, changed, _constraints(opts))
                    if state_path is not None
                    else pipeline.run(
                        items, cfg, on_progress=progress, jobs=jobs, constraints=_constraints(opts)
                    )
                )
            _warn_skipped(report.skipped, streams, quiet, warned)
    except ClustererError as exc:
        raise _error(exc) from exc
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback, unless asked
        _fail(exc, traceback)
        return
    fields = report_fields(report, __version__)
    fmt = _pick_format(fmt, json_, output, streams.stdout_isatty)
    _deliver(
        lambda: _write_report(
            fields, fmt, streams, output, ascii_=ascii_, indent=indent, bidi=bidi, limit=limit
        )
    )
    if not quiet:
        st = fields["stats"]
        click.echo(
            f"clustered {st['documents']} documents → {st['clusters']} clusters "
            f"({st['multi_document_clusters']} with several documents); {st['duplicates']} duplicates, "
            f"{st['skipped']} skipped",
            file=streams.stderr,
        )
        if verbose:
            click.echo(
                "timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()),
                file=streams.stderr,
            )
    if profile:
        _print_profile(report.timings, streams)
    if gold:
        scores = evaluate.score_clustering(
            evaluate.load_gold(gold), {m: c.id for c in report.clusters for m in c.members}
        )
        click.echo(json.dumps(scores.as_dict(), ensure_ascii=False), file=streams.stderr)
    if cfg.strict and report.skipped:
        raise click.exceptions.Exit(ExitCode.ERROR)


def _run_state(
    path: Path,
    items: Iterator[Article | Skipped],
    cfg: Config,
    progress: StageProgress,
    jobs: int | None,
    changed: bool,
    constraints: Constraints | None,
) -> Report:
    """Add ``items`` to the state at ``path``; return the report of the state (or of the change)."""
    with State(path) as state:
        result = incremental.update(
            state, items, cfg, on_progress=progress, jobs=jobs, constraints=constraints
        )
        return incremental.load_report(state, result.touched if changed else None, result)


@cli.group("state")
def state_group() -> None:
    """Inspect and maintain a state database (cluster PATHS --state news.db).

    \b
    Examples:
        cluster state show news.db            # the story view of every event in the state
        cluster state stats news.db           # counts, sizes and one line per run (JSON)
        cluster state export news.db -o all.json
        cluster state vacuum news.db          # compact the file
    """


def _open_state(path: Path) -> State:
    try:
        return State(path, create=False, lock_timeout=5.0)
    except ClustererError as exc:
        raise _error(exc) from exc


@state_group.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=40,
    show_default=True,
    help="Clusters shown (0 = all).",
)
def state_show(path: Path, limit: int) -> None:
    """Show the events of the state as the story view."""
    streams = Streams()
    with _open_state(path) as state:
        fields = report_fields(incremental.load_report(state), __version__)
    _deliver(
        lambda: _write_report(
            fields, "table", streams, None, ascii_=False, indent=None, bidi="auto", limit=limit
        )
    )


@state_group.command("stats")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def state_stats(path: Path) -> None:
    """Print counts, the file size and one record per run, as JSON."""
    with _open_state(path) as state:
        data = {**state.stats(), "runs": state.history()}
    click.echo(dumps(data, indent=2))


@state_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of stdout.",
)
@click.option("--indent", type=click.IntRange(0, 8), default=None, help="Indent JSON output.")
def state_export(path: Path, output: Path | None, indent: int | None) -> None:
    """Write every event of the state in the JSON contract of a run (docs/schema.md)."""
    streams = Streams()
    with _open_state(path) as state:
        fields = report_fields(incremental.load_report(state), __version__)
    _deliver(
        lambda: _write_report(
            fields, "json", streams, output, ascii_=False, indent=indent, bidi="off", limit=0
        )
    )


@state_group.command("vacuum")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def state_vacuum(path: Path) -> None:
    """Compact the state file (checkpoint the write-ahead log, rebuild the file)."""
    with _open_state(path) as state:
        before = state.path.stat().st_size
        state.vacuum()
        after = state.path.stat().st_size
    click.echo(f"{path}: {before} -> {after} bytes", err=True)


@cli.command("dedup")
@click.argument("paths", nargs=-1, required=True)
@_tuning_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the kept documents here as JSONL.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the duplicates report (JSON) here (default: OUTPUT with .duplicates.json).",
)
@_speed_options
@_common_options
def dedup_cmd(
    paths: tuple[str, ...],
    output: Path,
    report_path: Path | None,
    jobs: int | None,
    profile: bool,
    quiet: bool,
    verbose: int,
    traceback: bool,
    **opts: Any,
) -> None:
    """Write the documents of PATHS without their duplicates (no clustering or summaries).

    \b
    Examples:
        cluster dedup examples/newsroom -o unique.jsonl     # + unique.duplicates.json
        cluster dedup corpus.jsonl -o kept.jsonl --report dups.json --keep longest
    """
    streams = Streams()
    _setup_logging(streams, quiet, verbose)
    cfg = config_from_options(opts)
    report_path = report_path or output.with_suffix(".duplicates.json")
    _check_outputs([("-o", output), ("--report", report_path)], paths, None)
    try:
        warned: set[Skipped] = set()
        result = run_dedup(_read(paths, cfg, streams, quiet, opts, warned), cfg, jobs=jobs)
        _warn_skipped(result.skipped, streams, quiet, warned)
    except ClustererError as exc:
        raise _error(exc) from exc
    except Exception as exc:  # noqa: BLE001
        _fail(exc, traceback)
        return
    _deliver(lambda: _write_dedup(result, output, report_path))
    if not quiet:
        click.echo(
            f"kept {len(result.dedup.kept)} of {len(result.docs)} documents "
            f"({len(result.dedup.duplicates)} duplicates, {len(result.skipped)} skipped) → {output}; "
            f"report → {report_path}",
            file=streams.stderr,
        )
    if profile:
        _print_profile(result.timings, streams)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("prediction", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field", default="label", show_default=True, help="Gold label field.")
@click.option(
    "--worst",
    type=click.IntRange(0, 100),
    default=5,
    show_default=True,
    help="How many worst merges/splits to list.",
)
@click.option(
    "--write-constraints",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a starter corrections file (JSONL) from the worst merges and splits.",
)
def eval_cmd(
    gold: Path, prediction: Path, field: str, worst: int, write_constraints: Path | None
) -> None:
    """Score PREDICTION (this tool's JSON output) against GOLD labels: B-cubed, pairwise, ARI, NMI.

    \b
    Examples:
        cluster examples/newsroom -o out.json
        cluster eval examples/newsroom.gold.jsonl out.json
        cluster eval gold.jsonl out.json --worst 10 --write-constraints fixes.jsonl
    """
    try:
        labels, pred = evaluate.load_gold(gold, field), evaluate.load_prediction(prediction)
        scores = evaluate.score_clustering(labels, pred, worst=worst)
    except ClustererError as exc:
        raise _error(exc) from exc
    click.echo(json.dumps(scores.as_dict(), ensure_ascii=False, indent=1))
    if write_constraints:
        starter = evaluate.starter_constraints(labels, pred, worst=worst)
        write_constraints_file(write_constraints, starter)
        click.echo(
            f"wrote {len(starter.must_link)} must-link and {len(starter.cannot_link)} cannot-link "
            f"pairs → {write_constraints}",
            err=True,
        )


@cli.command("explain")
@click.argument("doc_a")
@click.argument("doc_b")
@click.argument("paths", nargs=-1, required=True)
@_tuning_options
@_common_options
def explain_cmd(
    doc_a: str,
    doc_b: str,
    paths: tuple[str, ...],
    quiet: bool,
    verbose: int,
    traceback: bool,
    **opts: Any,
) -> None:
    """Explain why documents DOC_A and DOC_B (ids) are or are not duplicates and in one event.

    \b
    Examples:
        cluster explain 07_en_port_strike_ledger.txt 10_en_port_strike_ledger_copy.txt examples/newsroom
        cluster explain DOC_A DOC_B corpus.jsonl --threshold 0.2
    """
    streams = Streams()
    _setup_logging(streams, quiet, verbose)
    cfg = config_from_options(opts)
    try:
        lines = pipeline.explain(
            _read(paths, cfg, streams, quiet, opts), doc_a, doc_b, cfg, _constraints(opts)
        )
    except ClustererError as exc:
        raise _error(exc) from exc
    except Exception as exc:  # noqa: BLE001
        _fail(exc, traceback)
        return
    for line in lines:
        click.echo(safe(line))


def _check_outputs(
    outputs: list[tuple[str, Path]], paths: Sequence[str], stdout: Streams | None
) -> None:
    """Refuse bad destinations (or a closed stdout) before any work is done."""
    try:
        check_destinations(outputs, paths)
        if stdout is not None:
            check_stdout(stdout.stdout)
    except OutputError as exc:
        raise _error(exc) from exc


def _deliver(write: Callable[[], None]) -> None:
    """Run ``write``; a failed output (full disk, closed pipe) is one ``Error:`` line, exit 1."""
    try:
        write()
    except BrokenPipeError as exc:
        silence_stdout()
        raise _error("output pipe closed before the result was written") from exc
    except OutputError as exc:
        raise _error(exc) from exc
    except OSError as exc:
        raise _error(f"cannot write the result: {(exc.strerror or str(exc)).lower()}") from exc


def _write_dedup(result: Any, output: Path, report_path: Path) -> None:
    with atomic_binary_output(output) as fh:
        fh.writelines(_record_bytes(rec) for rec in kept_records(result))
    with atomic_output(report_path) as fh:
        fh.write(dumps(dedup_report_to_dict(result, __version__), indent=1) + "\n")


def _record_bytes(rec: dict[str, str | None]) -> bytes:
    """Return :func:`record_line` encoded in UTF-8, as orjson writes it (not decoded and encoded
    again: a line of the kept documents is their whole text)."""
    try:
        return orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        # a lone surrogate: the standard library's line (its encoding fails as before)
        return record_line(rec).encode("utf-8")


def _run_cli(args: list[str]) -> int:
    """Run the command without click's own Ctrl-C and error handling; return the exit code."""
    try:
        rv = cli.main(args=args, prog_name="cluster", standalone_mode=False)
    except click.ClickException as exc:
        exc.message = printable(exc.message)  # type: ignore[misc]  # it may quote the input
        exc.show()
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            click.echo("interrupted", err=True)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return ExitCode.ERROR
    except ClustererError as exc:
        click.echo(f"Error: {printable(exc)}", err=True)
        return ExitCode.ERROR
    return rv if isinstance(rv, int) else ExitCode.OK


def _rare_full_collections() -> None:
    """Make the garbage collector's full passes rare: a run keeps its documents until it ends, so
    scanning them all again and again frees nothing (young objects are still collected as usual);
    what the imports made is set aside for good."""
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, FULL_COLLECTION_EVERY)


def main() -> None:
    """Entry point: run the CLI; exit 130 on Ctrl-C, without a traceback or click's ``Aborted!``."""
    _rare_full_collections()
    code = _run_cli(sys.argv[1:])
    if code == ExitCode.INTERRUPTED:
        _exit_interrupted(code)
    sys.exit(code)


def _exit_interrupted(code: int) -> None:
    """Leave at once after a Ctrl-C: every output was already rolled back while the interrupt
    unwound, so stop worker processes that may remain and skip the interpreter's exit hooks
    (they join worker-pool threads, which an interrupt can leave waiting forever)."""
    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.kill()
    with contextlib.suppress(Exception):
        sys.stderr.flush()  # stdout holds no result after an interrupt: what is buffered is dropped
    os._exit(code)
