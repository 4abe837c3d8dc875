from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_cli.main import cli
from conftest import EXAMPLES

from clusterer import Config, ConfigError
from clusterer.config import PRESETS, config_from_toml


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
