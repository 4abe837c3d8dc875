"""Evaluate a clustering against gold labels: B-cubed, pairwise, ARI, NMI, worst merges and splits."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from .constraints import Constraints
from .errors import InputError


@dataclass(frozen=True, slots=True)
class Scores:
    """Clustering quality against gold labels."""

    docs: int
    missing: int
    gold_clusters: int
    pred_clusters: int
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pair_p: float
    pair_r: float
    pair_f1: float
    ari: float
    nmi: float
    worst_merges: tuple[
        tuple[str, tuple[tuple[str, int], ...]], ...
    ]  # (predicted cluster, ((gold label, count), ...))
    worst_splits: tuple[
        tuple[str, tuple[tuple[str, int], ...]], ...
    ]  # (gold label, ((predicted cluster, count), ...))

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready dict."""
        out: dict[str, Any] = {
            k: (round(v, 4) if isinstance(v, float) else v)
            for k, v in (
                ("docs", self.docs),
                ("missing", self.missing),
                ("gold_clusters", self.gold_clusters),
                ("pred_clusters", self.pred_clusters),
                ("bcubed_p", self.bcubed_p),
                ("bcubed_r", self.bcubed_r),
                ("bcubed_f1", self.bcubed_f1),
                ("pair_p", self.pair_p),
                ("pair_r", self.pair_r),
                ("pair_f1", self.pair_f1),
                ("ari", self.ari),
                ("nmi", self.nmi),
            )
        }
        out["worst_merges"] = [
            {"cluster": c, "gold": dict(parts)} for c, parts in self.worst_merges
        ]
        out["worst_splits"] = [
            {"gold": g, "clusters": dict(parts)} for g, parts in self.worst_splits
        ]
        return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clustering(gold: Mapping[str, str], pred: Mapping[str, str], worst: int = 5) -> Scores:
    """Score ``pred`` (doc id -> cluster id) against ``gold`` (doc id -> label); ids missing from
    pred are singletons. Raises :class:`InputError` when ``gold`` is empty (nothing to score)."""
    if not gold:
        raise InputError("no gold documents to score (the gold file has no records)")
    pred = dict(pred)
    missing = [d for d in gold if d not in pred]
    for k, d in enumerate(missing):
        pred[d] = f"\x00missing{k}"
    ids = list(gold)
    by_g: dict[str, set[str]] = defaultdict(set)
    by_p: dict[str, set[str]] = defaultdict(set)
    for d in ids:
        by_g[gold[d]].add(d)
        by_p[pred[d]].add(d)
    bp = sum(len(by_p[pred[d]] & by_g[gold[d]]) / len(by_p[pred[d]]) for d in ids) / max(
        1, len(ids)
    )
    br = sum(len(by_p[pred[d]] & by_g[gold[d]]) / len(by_g[gold[d]]) for d in ids) / max(
        1, len(ids)
    )
    cont = Counter((gold[d], pred[d]) for d in ids)
    tp = sum(comb(n, 2) for n in cont.values())
    gp = sum(comb(len(s), 2) for s in by_g.values())
    pp = sum(comb(len(s), 2) for s in by_p.values())
    pair_p = tp / pp if pp else 1.0
    pair_r = tp / gp if gp else 1.0
    labels_g = [gold[d] for d in ids]
    labels_p = [pred[d] for d in ids]

    # a merge costs the wrong pairs it creates; a split the right pairs it loses
    merges = []
    for c, members in by_p.items():
        parts = Counter(gold[d] for d in members)
        wrong = comb(len(members), 2) - sum(comb(n, 2) for n in parts.values())
        if wrong:
            merges.append((wrong, c, tuple(sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])))))
    splits = []
    for g, members in by_g.items():
        parts = Counter(pred[d] for d in members)
        lost = comb(len(members), 2) - sum(comb(n, 2) for n in parts.values())
        if lost:
            splits.append((lost, g, tuple(sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])))))
    merges.sort(key=lambda t: (-t[0], t[1]))
    splits.sort(key=lambda t: (-t[0], t[1]))
    return Scores(
        docs=len(ids),
        missing=len(missing),
        gold_clusters=len(by_g),
        pred_clusters=len(by_p),
        bcubed_p=bp,
        bcubed_r=br,
        bcubed_f1=_f1(bp, br),
        pair_p=pair_p,
        pair_r=pair_r,
        pair_f1=_f1(pair_p, pair_r),
        ari=float(adjusted_rand_score(labels_g, labels_p)) if ids else 0.0,
        nmi=float(normalized_mutual_info_score(labels_g, labels_p)) if ids else 0.0,
        worst_merges=tuple((c, parts) for _, c, parts in merges[:worst]),
        worst_splits=tuple((g, parts) for _, g, parts in splits[:worst]),
    )


def load_gold(path: Path, field: str = "label") -> dict[str, str]:
    """Read gold labels from JSONL records with ``id`` and ``field``."""
    gold: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    gold[str(rec["id"])] = str(rec[field])
                except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
                    raise InputError(
                        f"{path}:{n}: not a gold record with 'id' and '{field}' ({_why(exc)})"
                    ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    if not gold:
        raise InputError(f"{path}: no gold records (expected JSONL with 'id' and '{field}')")
    return gold


def _why(exc: BaseException) -> str:
    """A short reason for a record that could not be read."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, KeyError):
        return f"no {exc}"
    return str(exc)


def load_prediction(path: Path) -> dict[str, str]:
    """Read a prediction (this tool's JSON output, or a list of clusters) as doc id -> cluster id."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise InputError(f"{path}: not readable JSON output ({_why(exc)})") from exc
    return prediction_from_dict(data, str(path))


def prediction_from_dict(data: Any, origin: str = "prediction") -> dict[str, str]:
    """Return doc id -> cluster id from this tool's JSON output (or a bare list of clusters).

    Raises :class:`InputError` when ``data`` does not have that shape.
    """
    clusters = data.get("clusters", []) if isinstance(data, dict) else data
    if not isinstance(clusters, list):
        raise InputError(f"{origin}: no list of clusters (expected this tool's JSON output)")
    pred: dict[str, str] = {}
    for i, c in enumerate(clusters):
        members = c.get("members", []) if isinstance(c, dict) else None
        if not isinstance(members, list):
            raise InputError(f"{origin}: cluster {i} is not an object with a list of members")
        cid = str(c.get("id", f"c{i}"))
        for m in members:
            doc = m if isinstance(m, str | int) else m.get("id") if isinstance(m, dict) else None
            if doc is None:
                raise InputError(f"{origin}: cluster {i} has a member that is not an id")
            pred[str(doc)] = cid
    return pred


def starter_constraints(
    gold: Mapping[str, str], pred: Mapping[str, str], worst: int = 5
) -> Constraints:
    """Return corrections for the ``worst`` merges and splits of ``pred``: a cannot-link pair
    between one document of each wrongly merged gold event and one of its largest part, and a
    must-link pair joining one document of each piece of a split gold event to its largest piece
    (documents the prediction lacks are left out)."""
    scores = score_clustering(gold, pred, worst=worst)
    first: dict[tuple[str, str], str] = {}  # (gold label, predicted cluster) -> first doc id
    for doc_id in sorted(d for d in gold if d in pred):
        first.setdefault((gold[doc_id], pred[doc_id]), doc_id)
    cannot: list[tuple[str, str]] = []
    must: list[tuple[str, str]] = []
    for cluster, merged in scores.worst_merges:
        reps = [first[(label, cluster)] for label, _ in merged if (label, cluster) in first]
        cannot += [(reps[0], other) for other in reps[1:]]
    for label, pieces in scores.worst_splits:
        reps = [first[(label, c)] for c, _ in pieces if (label, c) in first]
        must += [(reps[0], other) for other in reps[1:]]
    return Constraints(tuple(must), tuple(cannot))
