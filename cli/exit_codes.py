"""Exit codes of the ``cluster`` command."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # no usable input, --strict failure, unexpected error
    USAGE = 2  # bad flag or value (click's own code)
    INTERRUPTED = 130
