"""The worker pool: waits on a normal exit, never on an interrupted one; workers ignore SIGINT."""

from __future__ import annotations

import os
import signal
import time

import pytest

from clusterer.workers import _malloc_trim, process_pool, release_free_memory


def _sigint_handler(_: int) -> bool:
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def _pid(_: int) -> int:
    return os.getpid()


_MARK: list[str] = []


def _mark(value: str) -> None:
    _MARK.append(value)


def _marked(_: int) -> list[str]:
    return _MARK


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:  # a zombie is not alive
        return fh.read().split()[2] != "Z"


def test_workers_ignore_sigint_and_run_the_initializer() -> None:
    with process_pool(2, _mark, ("set up",)) as pool:
        assert list(pool.map(_sigint_handler, range(4))) == [True] * 4
        assert pool.submit(_marked, 0).result() == ["set up"]


def test_an_exception_in_the_block_terminates_busy_workers_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), process_pool(2) as pool:
        pids = set(pool.map(_pid, range(8)))
        pool.submit(time.sleep, 60)  # a task that would keep a waiting exit for a minute
        raise KeyboardInterrupt
    assert time.monotonic() - started < 20
    assert pids and not any(_alive(pid) for pid in pids)


def test_a_normal_exit_waits_for_the_tasks() -> None:
    with process_pool(2) as pool:
        future = pool.submit(time.sleep, 0.2)
    assert future.done() and future.exception() is None


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library keeps no freed heap to return")
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    """Texts over pymalloc's size live on the C heap; freed under a text still held (the heap's
    top), glibc keeps their pages. Releasing returns them: what a worker forked next would map."""
    texts = ["ب" * 1500 + str(k) for k in range(60_000)]  # about 180 MB of 3 KB strings
    held = texts[-1]
    before = _resident_mb()
    del texts
    kept = _resident_mb()
    release_free_memory()
    after = _resident_mb()
    assert held.endswith("59999")
    assert kept > before - 60  # the C library kept most of it
    assert after < kept - 100  # released: most of the 180 MB is gone
