"""Run settings: one frozen dataclass, validated on creation, echoed into the output."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

# Named granularities for --preset: the event threshold each one uses.
PRESETS: dict[str, float] = {"strict": 0.25, "event": 0.12, "story": 0.05}
KEEP_POLICIES = ("earliest", "longest", "first")


@dataclass(frozen=True, slots=True)
class Config:
    """Every tunable of the pipeline; field names match the CLI flags.

    Examples
    --------
    >>> Config(threshold=0.2).threshold
    0.2
    >>> Config(threshold=2.0)
    Traceback (most recent call last):
    ...
    clusterer.errors.ConfigError: threshold must be between 0 and 1 (got 2.0)
    """

    # event clustering
    threshold: float = PRESETS["event"]  # minimum combined pair score for one event
    story_threshold: float = 0.03  # minimum combined score between events of one story
    date_tau_days: float = 7.0  # date decay time constant
    date_weight: float = 0.5  # how much a large date gap can lower a score (0 = ignore dates)
    neighbors: int = 20  # candidate neighbours per document (sparse graph)
    # dedup
    near_threshold: float = 0.8  # Jaccard of shingles for near duplicates
    containment_threshold: float = 0.8  # share of the shorter doc found in the longer one
    syndicated_threshold: float = 0.3  # share of the shorter doc shared with the other
    lsh_threshold: float = (
        0.3  # share of shingles two docs must have in common to be compared (verified exactly)
    )
    shingle_size: int = 3
    keep: str = "earliest"
    seed: int = 1
    # boilerplate
    boilerplate_min_docs: int = 2  # a line must recur in this many distinct docs of one outlet
    # summaries
    summary_sentences: int = 6
    summaries: bool = True  # False: clusters only (faster), no merged summaries
    # run
    strict: bool = False
    lang: str | None = None  # force a language (ISO 639-1); None = detect per document

    def __post_init__(self) -> None:
        for name in (
            "threshold",
            "story_threshold",
            "date_weight",
            "near_threshold",
            "containment_threshold",
            "syndicated_threshold",
            "lsh_threshold",
        ):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1 (got {value!r})")
        if self.date_tau_days <= 0:
            raise ConfigError(f"date_tau_days must be positive (got {self.date_tau_days!r})")
        if self.keep not in KEEP_POLICIES:
            raise ConfigError(f"keep must be one of {', '.join(KEEP_POLICIES)} (got {self.keep!r})")
        if not 1 <= self.summary_sentences <= 50:
            raise ConfigError(
                f"summary_sentences must be between 1 and 50 (got {self.summary_sentences!r})"
            )
        if self.shingle_size < 1 or self.neighbors < 1 or self.boilerplate_min_docs < 2:
            raise ConfigError("shingle_size and neighbors must be >= 1, boilerplate_min_docs >= 2")

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict (for the output's ``params``)."""
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        """Return a copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)


def config_from_toml(path: Path, base: Config | None = None) -> Config:
    """Read settings from a TOML file; keys it does not set keep their ``base`` values."""
    base = base or Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    data = data.get("cluster", data)
    known = {f.name for f in dataclasses.fields(Config)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
    return base.replace(**data)
