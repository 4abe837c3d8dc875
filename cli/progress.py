"""Progress on stderr for long runs, fed by the library's ``on_progress(stage, done, total)`` hook.

The bar (stage, done/total, rate, ETA) appears only once a run has lasted ``delay`` seconds, only
when stderr is an interactive terminal as rich defines it (not ``TERM=dumb``), never with
``NO_COLOR`` set or ``-q``, and never on stdout. It is transient: it is gone when the run ends.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


def progress_console(stderr: IO[str], stderr_isatty: bool) -> Console:
    """Return the stderr console the progress bar would draw on."""
    return Console(file=stderr, force_terminal=stderr_isatty or None, stderr=True)


def wanted(console: Console, quiet: bool) -> bool:
    """Tell whether to show progress: not ``-q``, an interactive terminal, colour not refused."""
    return not quiet and console.is_interactive and not console.no_color


class RateColumn(ProgressColumn):
    """Items per second of a stage."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


class StageProgress:
    """Callable ``(stage, done, total)`` that drives a rich progress bar once ``delay`` passed.

    Use as a context manager so the bar is removed when the run ends (or fails).
    """

    def __init__(self, console: Console, *, enabled: bool, delay: float = 1.5) -> None:
        self.console = console
        self.enabled = enabled
        self.delay = delay
        self.start = time.monotonic()
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageProgress:
        self.start = time.monotonic()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def _open(self) -> Progress:
        bar = Progress(
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        bar.start()
        return bar

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.start < self.delay:
                return
            self.bar = self._open()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)
