from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EXAMPLES

from clusterer import Config, ConfigError
from clusterer.config import PRESETS, PairWeights, config_from_toml
from clusterer.records import KeepPolicy


def test_defaults_validate_and_echo() -> None:
    cfg = Config()
    assert cfg.to_dict()["threshold"] == cfg.threshold
    with pytest.raises(ConfigError, match="keep must be one of"):
        Config(keep="newest")
    with pytest.raises(ConfigError, match="threshold must be between 0 and 1"):
        Config(threshold=-0.1)


def test_toml_overrides_only_what_it_sets(tmp_path: Path) -> None:
    p = tmp_path / "cluster.toml"
    p.write_text("[cluster]\nthreshold = 0.3\nkeep = 'longest'\n", encoding="utf-8")
    cfg = config_from_toml(p)
    assert (cfg.threshold, cfg.keep, cfg.summary_sentences) == (
        0.3,
        "longest",
        Config().summary_sentences,
    )
    p.write_text("thresold = 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting\\(s\\): thresold"):
        config_from_toml(p)


def test_flags_beat_the_config_file(tmp_path: Path) -> None:
    p = tmp_path / "cluster.toml"
    p.write_text("threshold = 0.3\nsummary_sentences = 2\n", encoding="utf-8")
    import json

    res = CliRunner().invoke(cli, [str(EXAMPLES), "--config", str(p), "--threshold", "0.2", "-q"])
    params = json.loads(res.stdout)["params"]
    assert (params["threshold"], params["summary_sentences"]) == (0.2, 2)
    res = CliRunner().invoke(cli, [str(EXAMPLES), "--preset", "story", "-q"])
    assert json.loads(res.stdout)["params"]["threshold"] == PRESETS["story"]


def test_pair_weights_from_toml_table(tmp_path: Path) -> None:
    p = tmp_path / "cluster.toml"
    p.write_text(
        "[cluster]\nthreshold = 0.2\n[cluster.weights]\nbody = 0.6\ntitle = 0.0\n", encoding="utf-8"
    )
    cfg = config_from_toml(p)
    assert cfg.threshold == 0.2
    assert cfg.weights == PairWeights(body=0.6, title=0.0, rare=0.2, lead=0.2)
    assert cfg.to_dict()["weights"]["body"] == 0.6
    p.write_text("[cluster.weights]\nbodyy = 0.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"weights\.bodyy"):
        config_from_toml(p)
    p.write_text("[cluster.weights]\nbody = 0.7\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="sum to 1"):
        config_from_toml(p)


@pytest.mark.parametrize(
    "changes",
    [{"body": -0.1, "title": 0.6}, {"fuzzy_floor": 1.0}, {"lead": 2.0, "body": -0.5}],
)
def test_pair_weights_are_validated(changes: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        PairWeights(**changes)


def test_candidate_threshold_replaces_the_lsh_name_and_seed_is_gone(tmp_path: Path) -> None:
    assert Config(candidate_threshold=0.5).candidate_threshold == 0.5
    with pytest.raises(ConfigError):
        Config(candidate_threshold=1.5)
    params = Config().to_dict()
    assert "lsh_threshold" not in params and "seed" not in params
    p = tmp_path / "cluster.toml"
    p.write_text("lsh_threshold = 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        config_from_toml(p)


def test_keep_policy_is_an_enum_equal_to_its_string() -> None:
    cfg = Config(keep="longest")
    assert cfg.keep is KeepPolicy.LONGEST and cfg.keep == "longest"
    with pytest.raises(ConfigError, match="keep must be one of"):
        Config(keep="newest")
