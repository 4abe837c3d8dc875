"""Run settings: one frozen dataclass, validated on creation, echoed into the output."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .records import KeepPolicy

# Named granularities for --preset: the event threshold each one uses.
PRESETS: dict[str, float] = {"strict": 0.25, "event": 0.12, "story": 0.05}
KEEP_POLICIES = tuple(p.value for p in KeepPolicy)

# The IDF prior (clusterer.text.idf_weights): every corpus counts as if ``Config.idf_prior`` more
# documents had been read, in which every term occurs at this rate.
IDF_PRIOR_RATE = 0.02
IDF_PRIOR_DOCS = 3.0  # the default of Config.idf_prior


# field type (as annotated) -> the Python types a value may have, and its name in messages
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "float": ((int, float), "a number"),
    "int": ((int,), "an integer"),
    "bool": ((bool,), "true or false"),
    "str | None": ((str, type(None)), "a string"),
    "str": ((str,), "a string"),
    "KeepPolicy": ((str,), "a string"),
}


def check_types(obj: object, prefix: str = "") -> None:
    """Raise ConfigError naming the setting and the expected type when a field has the wrong type.

    Booleans are not numbers here (``strict = "false"`` or ``neighbors = true`` are refused,
    never taken as truthy), and a float is not an integer (``neighbors = 1.5``).

    Examples
    --------
    >>> Config(neighbors=1.5)
    Traceback (most recent call last):
    ...
    clusterer.errors.ConfigError: neighbors must be an integer (got 1.5)
    >>> Config(strict="false")
    Traceback (most recent call last):
    ...
    clusterer.errors.ConfigError: strict must be true or false (got 'false')
    """
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        expected = _FIELD_TYPES.get(str(f.type))
        if expected is None:
            continue
        value = getattr(obj, f.name)
        types, name = expected
        is_bool = isinstance(value, bool)
        if not isinstance(value, types) or (is_bool and bool not in types):
            raise ConfigError(f"{prefix}{f.name} must be {name} (got {value!r})")


def _unit(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` is a number between 0 and 1."""
    if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        raise ConfigError(f"{name} must be between 0 and 1 (got {value!r})")


@dataclass(frozen=True, slots=True)
class PairWeights:
    """Weights of the signals in the combined event score of a pair (they sum to 1).

    Examples
    --------
    >>> PairWeights().body
    0.5
    >>> PairWeights(body=0.9)
    Traceback (most recent call last):
    ...
    clusterer.errors.ConfigError: weights body, title, rare and lead must sum to 1 (got 1.4)
    """

    body: float = 0.5  # body TF-IDF cosine
    title: float = 0.1  # title similarity (TF-IDF cosine or fuzzy ratio)
    rare: float = 0.2  # IDF-weighted overlap of rare terms (names, places, numbers)
    lead: float = 0.2  # TF-IDF cosine of title + first words of the body
    # fuzzy title ratio below which titles count as unrelated ([fuzzy_floor, 1] maps to [0, 1])
    fuzzy_floor: float = 0.6
    # specific evidence (clusterer.signals): how much complete disagreement on a facet lowers the
    # score (the score is multiplied by 1 - weight * (1 - agreement); a facet a document lacks is
    # neutral). Not part of the sum above.
    who: float = 0.0  # named people and organisations
    where: float = 0.0  # places
    when: float = 0.0  # event dates written in the text
    count: float = 0.3  # numbers with the word they count
    # a pair without trusted dates on both sides has no date evidence: its who and where
    # disagreement weighs this much more (undated documents are not pulled together by vocabulary)
    undated: float = 0.1
    # agreement on specific names and places (the mean of the who and where agreements, IDF-weighted,
    # 0 when a side lacks them) adds this many points: evidence of one event, never a penalty
    specific: float = 0.05

    def __post_init__(self) -> None:
        check_types(self, "weights.")
        for f in dataclasses.fields(self):
            _unit(f"weights.{f.name}", getattr(self, f.name))
        total = self.body + self.title + self.rare + self.lead
        if abs(total - 1.0) > 1e-6:
            raise ConfigError(
                f"weights body, title, rare and lead must sum to 1 (got {round(total, 6)})"
            )
        if self.fuzzy_floor >= 1.0:
            raise ConfigError(f"weights.fuzzy_floor must be below 1 (got {self.fuzzy_floor!r})")


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
    # IDF prior, in pseudo-documents (clusterer.text.idf_weights): without it a corpus of a few
    # articles discounts the very words they share (chosen across the labeled sets: bench-quality)
    idf_prior: float = IDF_PRIOR_DOCS
    weights: PairWeights = PairWeights()  # of the signals in the pair score ([cluster.weights])
    # dedup
    near_threshold: float = 0.8  # Jaccard of shingles for near duplicates
    containment_threshold: float = 0.8  # share of the shorter doc found in the longer one
    syndicated_threshold: float = 0.3  # share of the shorter doc shared with the other
    # share of rare shingles two docs must have in common to be compared (then verified exactly)
    candidate_threshold: float = 0.3
    shingle_size: int = 3
    keep: KeepPolicy = KeepPolicy.EARLIEST
    # boilerplate
    boilerplate_min_docs: int = 2  # a line must recur in this many distinct docs of one outlet
    # summaries
    summary_sentences: int = 6
    summaries: bool = True  # False: clusters only (faster), no merged summaries
    # run
    strict: bool = False
    lang: str | None = None  # force a language (ISO 639-1); None = detect per document

    def __post_init__(self) -> None:
        check_types(self)
        for name in (
            "threshold",
            "story_threshold",
            "date_weight",
            "near_threshold",
            "containment_threshold",
            "syndicated_threshold",
            "candidate_threshold",
        ):
            _unit(name, getattr(self, name))
        if not 0 <= self.idf_prior < float("inf"):
            raise ConfigError(f"idf_prior must be zero or positive (got {self.idf_prior!r})")
        if not 0 < self.date_tau_days < float("inf"):
            raise ConfigError(f"date_tau_days must be positive (got {self.date_tau_days!r})")
        if self.keep not in KEEP_POLICIES:
            raise ConfigError(f"keep must be one of {', '.join(KEEP_POLICIES)} (got {self.keep!r})")
        object.__setattr__(self, "keep", KeepPolicy(self.keep))  # a plain string becomes the enum
        if not isinstance(self.weights, PairWeights):
            raise ConfigError(f"weights must be PairWeights (got {self.weights!r})")
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


def _check_known(path: Path, data: dict[str, Any], cls: type[Any], prefix: str = "") -> None:
    unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s): {', '.join(prefix + name for name in unknown)}"
        )


def config_from_toml(path: Path, base: Config | None = None) -> Config:
    """Read settings from a TOML file; keys it does not set keep their ``base`` values.

    Settings sit at the top level or under ``[cluster]``; the pair-score weights under
    ``[cluster.weights]`` (``body``, ``title``, ``rare``, ``lead``, ``fuzzy_floor``).
    """
    base = base or Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config: not UTF-8 text ({exc.reason})") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    data = data.get("cluster", data)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: cluster must be a table ([cluster])")
    data = dict(data)
    _check_known(path, data, Config)
    if "weights" in data:
        weights = data["weights"]
        if not isinstance(weights, dict):
            raise ConfigError(f"{path}: weights must be a table ([cluster.weights])")
        _check_known(path, weights, PairWeights, "weights.")
        try:
            data["weights"] = dataclasses.replace(base.weights, **weights)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    try:
        return base.replace(**data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
