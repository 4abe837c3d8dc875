"""cluster: deduplicate a news corpus and group its articles by event.

The library never imports click or rich; the ``cluster`` command in ``cli/`` is a thin layer over it.
"""

from ._version import __version__
from .config import PRESETS, Config
from .errors import ClustererError, ConfigError, EmptyCorpusError, InputError
from .pipeline import run
from .records import Article, Doc, Report, Skipped
from .render import SCHEMA_VERSION, report_to_dict

__all__ = [
    "PRESETS",
    "SCHEMA_VERSION",
    "Article",
    "ClustererError",
    "Config",
    "ConfigError",
    "Doc",
    "EmptyCorpusError",
    "InputError",
    "Report",
    "Skipped",
    "__version__",
    "report_to_dict",
    "run",
]
