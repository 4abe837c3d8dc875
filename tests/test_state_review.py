"""Reviews of a growing state, and corrections the state remembers (issue 15)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import EXAMPLES

from clusterer import Article, Config, incremental
from clusterer.constraints import Constraints
from clusterer.incremental import load_report, update
from clusterer.state import State

SOLAR, SOLAR2, MARATHON = (
    "11_en_solar_farm_wire.txt",
    "12_en_solar_farm_coastal.txt",
    "13_en_marathon_ledger.txt",
)
PORT = [
    "07_en_port_strike_ledger.txt",
    "08_en_port_strike_wire.txt",
    "09_en_port_strike_coastal.txt",
]
BRIDGE = "01_ar_bridge_rafidain.txt"


def _article(name: str) -> Article:
    return Article(name, (EXAMPLES / name).read_text(encoding="utf-8"), name)


def _feed(state: State, batches: list[list[str]], cfg: Config | None = None) -> list[object]:
    return [
        update(state, [_article(n) for n in names], cfg or Config(), jobs=1) for names in batches
    ]


def _event_of(state: State) -> dict[str, str]:
    return {m: c.id for c in load_report(state, jobs=1).clusters for m in c.members}


def test_the_review_when_the_state_doubles_weighs_early_joins_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first batch clustered loosely joins the marathon report to the solar farm's; once the
    state has doubled, a batch clusters every stored event again and the join is undone."""

    def feed(db: Path) -> tuple[dict[str, str], dict[str, str], list[str | None]]:
        with State(db) as state:
            update(
                state,
                [_article(n) for n in (SOLAR, SOLAR2, MARATHON)],
                Config(threshold=0.0, idf_prior=50.0),
            )
            first = _event_of(state)
            sizes = []
            for name in [*PORT, BRIDGE]:  # the state holds 3, 4, 5, then 6 kept documents
                update(state, [_article(name)], Config(), jobs=1)
                sizes.append(state.meta("reviewed"))
            return first, _event_of(state), sizes

    first, reviewed, sizes = feed(tmp_path / "review.db")
    assert first[MARATHON] == first[SOLAR] == first[SOLAR2]
    assert sizes == ["3", "3", "3", "6"]  # reviewed when the batch found 6 = 2 x 3
    assert reviewed[SOLAR] == reviewed[SOLAR2] == first[SOLAR]  # the larger part keeps the id
    assert reviewed[MARATHON] != first[SOLAR]
    assert len({reviewed[p] for p in PORT}) == 1

    monkeypatch.setattr(incremental, "REVIEW_GROWTH", math.inf)
    _, pinned, _ = feed(tmp_path / "never.db")
    assert pinned[MARATHON] == pinned[SOLAR]  # without a review the early join stays


def test_a_review_keeps_the_corrections_of_earlier_runs(tmp_path: Path) -> None:
    with State(tmp_path / "n.db") as state:
        update(
            state,
            [_article(n) for n in (SOLAR, MARATHON)],
            constraints=Constraints(((SOLAR, MARATHON),)),
            jobs=1,
        )
        for name in [SOLAR2, *PORT]:  # the last batch reviews: 4 = 2 x 2 kept documents
            update(state, [_article(name)], jobs=1)
        assert state.meta("reviewed") == "4"
        event = _event_of(state)
    assert event[SOLAR] == event[MARATHON] == event[SOLAR2]


def test_a_cannot_link_given_once_holds_in_later_batches(tmp_path: Path) -> None:
    apart = Constraints(cannot_link=((PORT[0], PORT[1]),))
    with State(tmp_path / "n.db") as state:
        update(state, [_article(PORT[0])], constraints=apart, jobs=1)
        update(state, [_article(PORT[1])], jobs=1)  # no corrections given this time
        event = _event_of(state)
    assert event[PORT[0]] != event[PORT[1]]
    with State(tmp_path / "plain.db") as state:  # without the correction the two reports join
        _feed(state, [[PORT[0]], [PORT[1]]])
        plain = _event_of(state)
    assert plain[PORT[0]] == plain[PORT[1]]


def test_a_correction_given_now_overrides_the_opposite_one_given_before(tmp_path: Path) -> None:
    with State(tmp_path / "n.db") as state:
        update(
            state,
            [_article(PORT[0])],
            constraints=Constraints(cannot_link=((PORT[0], PORT[1]),)),
            jobs=1,
        )
        update(state, [_article(PORT[1])], constraints=Constraints(((PORT[1], PORT[0]),)), jobs=1)
        remembered = incremental._remembered(state, Constraints())
        event = _event_of(state)
    assert remembered == Constraints(((PORT[1], PORT[0]),), ())
    assert event[PORT[0]] == event[PORT[1]]
