"""Where results go: destinations checked before any work, files replaced atomically.

A result file is written to a temporary file in its destination folder and renamed over
the destination only when complete, so an interrupted or failed write (Ctrl-C, a full
disk, a file-size limit) leaves the previous content intact. Devices and pipes named as
destinations (``/dev/stdout``, a FIFO) are written directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from clusterer.errors import ClustererError
from clusterer.sanitize import printable

__all__ = [
    "OutputError",
    "atomic_binary_output",
    "atomic_output",
    "check_destinations",
    "check_stdout",
    "describe_os_error",
    "silence_stdout",
]


class OutputError(ClustererError):
    """A result cannot be written where it was asked to go."""


def describe_os_error(exc: OSError) -> str:
    """An OS error as a short reason (``no space left on device``)."""
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def _is_regular_or_absent(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True


def _inputs_holding(path: Path, inputs: Sequence[str]) -> str | None:
    """The input that ``path`` is, or lies in (an existing file under an input folder), if any."""
    if not path.exists():
        return None
    real = os.path.realpath(path)
    for given in inputs:
        if given == "-":
            continue
        with contextlib.suppress(OSError):
            if os.path.isdir(given):
                root = os.path.realpath(given)
                if os.path.commonpath([root, real]) == root:
                    return given
            elif os.path.samefile(given, path):
                return given
    return None


def check_destinations(outputs: Sequence[tuple[str, Path]], inputs: Sequence[str]) -> None:
    """Refuse, before any work, destinations that cannot or must not be written.

    ``outputs`` are ``(option, path)`` pairs. Raises :class:`OutputError` when a destination
    is an input file (or a file inside an input folder), names the same file as another
    output of the run, is a folder, or its folder does not exist or is not writable.
    """
    seen: dict[str, str] = {}
    for option, path in outputs:
        where = f"{option} {printable(os.fsdecode(path))}"
        real = os.path.realpath(path)
        if real in seen:
            raise OutputError(f"{where}: the same file as {seen[real]}; refusing to overwrite it")
        seen[real] = option
        if path.is_dir():
            raise OutputError(f"{where}: is a folder")
        held = _inputs_holding(path, inputs)
        if held is not None:
            raise OutputError(
                f"{where}: would overwrite the input {printable(held)}; choose another file"
            )
        if not _is_regular_or_absent(path):
            continue  # a device or a pipe: written directly
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(f"{where}: folder {printable(os.fsdecode(folder))} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{where}: folder {printable(os.fsdecode(folder))} is not writable")


def check_stdout(stream: IO[str] | None) -> None:
    """Raise :class:`OutputError` when standard output is closed (results would be lost)."""
    if stream is None or stream.closed:
        raise OutputError("standard output is closed; use -o FILE")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` for writing text so that it is replaced only when the block completes.

    On any exception (an OS error, Ctrl-C) the temporary file is removed and the destination
    keeps its previous content; OS errors become :class:`OutputError`.
    """
    with _atomic(path, "w", "utf-8") as fh:
        yield fh


@contextlib.contextmanager
def atomic_binary_output(path: Path) -> Iterator[IO[bytes]]:
    """:func:`atomic_output` for bytes (text already encoded, e.g. by orjson: not encoded twice)."""
    with _atomic(path, "wb", None) as fh:
        yield fh


@contextlib.contextmanager
def _atomic(path: Path, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    where = printable(os.fsdecode(path))
    if not _is_regular_or_absent(path):
        try:
            with path.open(mode, encoding=encoding) as fh:
                yield fh
        except OSError as exc:
            raise OutputError(f"cannot write {where}: {describe_os_error(exc)}") from exc
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {where}: {describe_os_error(exc)}") from exc
    try:
        with os.fdopen(fd, mode, encoding=encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"cannot write {where}: {describe_os_error(exc)}") from exc
    except BaseException:
        _remove(tmp)
        raise


def _keep_mode(path: Path, tmp: str) -> None:
    """Give the temporary file the destination's permissions (or the usual ones for a new file)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so that flushing a broken pipe at exit stays quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
