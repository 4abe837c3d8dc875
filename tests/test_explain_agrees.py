"""``cluster explain`` and ``cluster`` agree on every pair: the dedup relation and the same-event verdict."""

from __future__ import annotations

from itertools import combinations

import pytest
from conftest import EXAMPLES, SHARED

from clusterer import Config
from clusterer.copies import KINDS
from clusterer.dedup import decide_pairs, find_duplicates
from clusterer.ingest import read_paths
from clusterer.pipeline import Explainer, run
from clusterer.records import Article, RelationKind

CFG = Config()

TITLES = [
    "Dockworkers strike shuts the port of Antwerp for a third day",
    "Dockworkers strike shuts the port of Antwerp for a third day",
    "Dockworkers' strike shuts the port of Antwerp for a third day",
    "Central bank holds interest rates steady as inflation cools",
]


def _title_only() -> list[Article]:
    arts = [Article(id=f"t{k}", text="", origin=f"t{k}", title=t) for k, t in enumerate(TITLES)]
    body = "The port of Antwerp stayed shut on Wednesday as dockworkers struck for a third day."
    return [*arts, Article(id="body", text=body, origin="body", title=TITLES[0])]


def _corpora() -> list[tuple[str, list[Article]]]:
    out = [("newsroom", [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)])]
    if (SHARED / "seeds").is_dir():
        out.append(("seeds", [a for a in read_paths([SHARED / "seeds"]) if isinstance(a, Article)]))
    return [*out, ("title-only", _title_only())]


@pytest.mark.parametrize(
    ("name", "articles"), _corpora(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_explain_agrees_with_dedup_and_clustering(name: str, articles: list[Article]) -> None:
    explainer = Explainer(articles, CFG)
    matching = list(explainer.prep.corpus.matching.values())
    decided = decide_pairs(matching, CFG)
    ver = decided.ver
    kinds = {
        (matching[i].id, matching[j].id): code
        for i, j, code in zip(ver.i.tolist(), ver.j.tolist(), ver.kind.tolist(), strict=True)
    }
    report = run(articles, CFG)
    cluster_of = {m: c.id for c in report.clusters for m in c.members}
    assert find_duplicates(matching, CFG) == report.dedup
    for a, b in combinations([d.id for d in matching], 2):
        relation = explainer.relation(a, b).kind
        assert relation == KINDS[kinds.get((a, b), 0)], (name, a, b)
        assert explainer.same_event(a, b) == (cluster_of[a] == cluster_of[b]), (name, a, b)


def test_title_only_records_are_matched_on_their_titles() -> None:
    report = run(_title_only(), CFG)
    dups = {r.id: (r.other, r.kind) for r in report.dedup.duplicates}
    assert dups["t1"] == ("t0", RelationKind.EXACT)
    explainer = Explainer(_title_only(), CFG)
    assert explainer.relation("t0", "t1").kind == RelationKind.EXACT
    assert explainer.relation("t0", "t3").kind is None


def test_explain_lines_report_the_clustering() -> None:
    lines = Explainer(_title_only(), CFG).lines("t0", "t1")
    assert any(line.startswith("clusters: ") and line.endswith("same event") for line in lines)
