"""The ``cluster`` command's entry point: it answers Ctrl-C even while the libraries load.

Importing the command (NumPy, scikit-learn, rich) takes a noticeable moment; an interrupt then
would otherwise end in an import traceback. This module imports nothing heavy itself.
"""

from __future__ import annotations

import os
import sys

from .exit_codes import ExitCode


def main() -> None:
    """Load the command and run it; exit 130 with one line if interrupted while loading."""
    try:
        from .main import main as run  # noqa: PLC0415  # deliberately late: see the module doc
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
    run()
