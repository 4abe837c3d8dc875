"""cluster: deduplicate a news corpus and group its articles by event.

The library never imports click or rich; the ``cluster`` command in ``cli/`` is a thin layer over it.
``run`` (clustering, summaries: scikit-learn) is loaded on first use, so that importing the package
for deduplication alone (:func:`clusterer.prepare.run_dedup`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .config import PRESETS, Config
from .errors import ClustererError, ConfigError, EmptyCorpusError, InputError
from .records import Article, Doc, Report, Skipped
from .render import SCHEMA_VERSION, report_to_dict

if TYPE_CHECKING:
    from .pipeline import run

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


def __getattr__(name: str) -> Any:
    """Load ``run`` from :mod:`clusterer.pipeline` when it is first asked for."""
    if name == "run":
        return importlib.import_module(".pipeline", __name__).run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
