"""Worker processes that never outlive an interrupted run.

``concurrent.futures.ProcessPoolExecutor`` used as a context manager waits for its workers when
the block exits, also when it exits on Ctrl-C: an interrupt that lands while the executor is
starting a worker or handing over a task can leave that wait hanging, and the interpreter's own
exit hook joins the executor's threads again. :func:`process_pool` waits only on a normal exit;
on any exception it cancels what is queued, terminates its workers and re-raises at once.

Workers ignore SIGINT: a Ctrl-C in a terminal reaches the whole process group, and the main
process alone decides what an interrupt means (no traceback from each worker).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, cast

__all__ = ["process_pool", "release_free_memory", "shared_value", "sharing_pool"]


def _start(initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    """Set up one worker: ignore SIGINT, then run the caller's initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` without waiting: drop queued tasks and terminate every worker."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in workers:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()


def _start_workers(pool: ProcessPoolExecutor) -> None:
    """Start the workers of ``pool`` now, with a Ctrl-C held back until they exist.

    A forked worker runs the parent's SIGINT handler until its initializer ignores the signal;
    an interrupt in between would end it with a traceback and break the pool. So, in the main
    thread, SIGINT is only recorded while the workers start (with the fork start method they
    all start on the first task), then raised in the parent as ``KeyboardInterrupt``.
    """
    if threading.current_thread() is not threading.main_thread():
        pool.submit(int).result()
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        pool.submit(int).result()
    finally:  # (None: a handler not set from Python, e.g. in an embedding program)
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if held:
        raise KeyboardInterrupt


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return the C library's ``malloc_trim`` (glibc), or None where there is none."""
    try:  # the symbols the process already has loaded (no search for the library on disk)
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return cast(Callable[[int], int], trim)


def release_free_memory() -> None:
    """Give the memory this process has freed back to the system, where the C library keeps it
    (glibc holds on to freed heap pages: after normalizing or clustering 100k articles a gigabyte
    or more). A worker forked afterwards does not start with those pages mapped."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def process_pool(
    jobs: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[ProcessPoolExecutor]:
    """Yield ``jobs`` worker processes (each first runs ``initializer(*initargs)``).

    On a normal exit the block waits for the workers, as the executor's own ``with`` does; on an
    exception (``KeyboardInterrupt`` included, or the consumer of a generator closing it) the
    workers are terminated and the exception propagates without waiting.

    Examples
    --------
    >>> with process_pool(2) as pool:
    ...     sorted(pool.map(abs, [-2, 1]))
    [1, 2]
    """
    release_free_memory()  # before the workers fork: they would map it too
    pool = ProcessPoolExecutor(
        max_workers=jobs, initializer=_start, initargs=(initializer, initargs)
    )
    try:
        _start_workers(pool)
        yield pool
    except BaseException:
        _abandon(pool)
        raise
    pool.shutdown(wait=True)


_GIVEN: list[object] = []  # what :func:`sharing_pool` gave this worker process (one item)


def _give(value: object) -> None:
    _GIVEN[:] = [value]


def sharing_pool(
    jobs: int, value: object
) -> contextlib.AbstractContextManager[ProcessPoolExecutor]:
    """Return :func:`process_pool` whose workers each read ``value`` with :func:`shared_value`:
    set once per worker as it starts (forked, not pickled), not sent with every task."""
    return process_pool(jobs, _give, (value,))


def shared_value() -> object:
    """Return what :func:`sharing_pool` gave this worker process."""
    return _GIVEN[0]
