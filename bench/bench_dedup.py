"""Dedup benchmark: throughput against datasketch and rensa, quality on known edits, boilerplate.

1. Throughput on the 30,676 SaudiNewsNet articles: this project's dedup (exact shingle index,
   verified), datasketch MinHashLSH and rensa RMinHashLSH (word 2-gram shingles, 128
   permutations, threshold 0.5; rensa with 32 bands), each in a fresh subprocess so peak memory
   (``ru_maxrss``) is per tool. Timing starts after the texts are loaded.
2. Quality: real articles with realistic syndication edits (exact / near_duplicate / contained /
   syndicated copies with known answers) plus hard negatives (different articles of the same day
   sharing many words, and wire headlines whose bodies differ); precision/recall per relation.
3. Copies inside small outlets: the same article at two URLs of one small site (exact, edited or
   trimmed), the site's menu and footer on every page, sometimes a third, different article; copies
   must stay duplicates (their text must not be learned as the site's boilerplate), the third
   article must not join them, and the menu must still be stripped where there is a second article.
4. Boilerplate learned per outlet on ``ar_claims_dev.jsonl`` (raw pages with site menus).

    python bench/bench_dedup.py --shared ../shared [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clusterer import Config  # noqa: E402
from clusterer.boilerplate import learn_boilerplate  # noqa: E402
from clusterer.dedup import dedup_fingerprints, explain_pair, find_duplicates  # noqa: E402
from clusterer.normalize import normalize_article, normalize_text  # noqa: E402
from clusterer.records import DUPLICATE_KINDS, Article, Doc  # noqa: E402
from clusterer.unionfind import UnionFind  # noqa: E402

SAUDI = "eval/saudinewsnet_ar_unlabeled.part{}.jsonl"
CLAIMS = "eval/ar_claims_dev.jsonl"
PEER_WORD = re.compile(r"\w+")


def load_saudi(shared: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Return SaudiNewsNet records in file order (all three parts)."""
    out: list[dict[str, Any]] = []
    for part in (1, 2, 3):
        with (shared / SAUDI.format(part)).open(encoding="utf-8") as fh:
            for line in fh:
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    return out
    return out


# ---------------------------------------------------------------------------------------------
# 1. throughput (each tool in its own process)


def _peer_shingles(texts: Sequence[str]) -> list[list[str]]:
    sets = []
    for text in texts:
        words = PEER_WORD.findall(text.lower())
        sets.append([f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] or words)
    return sets


def _groups_from_pairs(n: int, pairs: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """Return the number of groups and the documents dropped (all but the first of each group)."""
    uf = UnionFind(n)
    for a, b in pairs:
        uf.union(a, b)
    return len(uf.groups()), [k for k in range(n) if uf.find(k) != k]


def run_tool(tool: str, texts: list[str]) -> dict[str, Any]:
    """Deduplicate ``texts`` with one tool; return time, groups and pairs."""
    t0 = time.perf_counter()
    if tool == "cluster":
        res = dedup_fingerprints(texts, Config())
        groups, pairs = res.n_groups, res.duplicate_pairs()
        dropped = np.flatnonzero(res.kept_of != np.arange(res.n_docs)).tolist()
    elif tool == "datasketch":
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        sets = _peer_shingles(texts)
        mhs = MinHash.bulk([[s.encode("utf-8") for s in x] for x in sets], num_perm=128, seed=1)
        for i, m in enumerate(mhs):
            lsh.insert(i, m)
        found = [(i, j) for i, m in enumerate(mhs) for j in lsh.query(m) if j > i]
        (groups, dropped), pairs = _groups_from_pairs(len(texts), found), len(found)
    elif tool == "rensa":
        import rensa

        sets = _peer_shingles(texts)
        mhs = rensa.RMinHash.from_token_sets(sets, num_perm=128, seed=1)
        lsh = rensa.RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)
        lsh.insert_many(mhs)
        found = [(i, j) for i, cands in enumerate(lsh.query_all(mhs)) for j in cands if j > i]
        (groups, dropped), pairs = _groups_from_pairs(len(texts), found), len(found)
    else:
        raise SystemExit(f"unknown tool {tool!r}")
    seconds = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "tool": tool,
        "seconds": seconds,
        "peak_mb": self_kb / 1024,
        "groups": groups,
        "pairs": pairs,
        "docs": len(texts),
        "dropped": dropped,
    }


def throughput(shared: Path, quick: bool) -> list[dict[str, Any]]:
    rows = []
    for tool in ("cluster", "datasketch", "rensa"):
        cmd = [sys.executable, __file__, "--shared", str(shared), "--worker", tool] + (
            ["--quick"] if quick else []
        )
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"  {tool}: failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return rows


def saudi_paths(shared: Path) -> list[Path]:
    return [shared / SAUDI.format(part) for part in (1, 2, 3)]


def peer_command(tool: str, paths: Sequence[Path], output: Path) -> None:
    """A peer's whole dedup pipeline, files in -> file out: read JSONL, dedup, write the kept."""
    records = [json.loads(line) for p in paths for line in p.open(encoding="utf-8") if line.strip()]
    texts = [str(r.get("text") or "") for r in records]
    res = run_tool(tool, texts)
    dropped = set(res.pop("dropped"))
    with output.open("w", encoding="utf-8") as fh:
        for k, rec in enumerate(records):
            if k not in dropped:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def timed(cmd: Sequence[str]) -> dict[str, Any]:
    """Run ``cmd`` in its own process under /usr/bin/time: wall and CPU seconds, peak resident MB,
    the load average before and after (on a busy machine wall time is not CPU time) and the
    ``profile:`` lines it printed."""
    load = os.getloadavg()[0]
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "@@ %e %U %S %M", *cmd], capture_output=True, text=True, check=False
    )
    last = [line for line in proc.stderr.splitlines() if line.startswith("@@ ")]
    if proc.returncode != 0 or not last:
        raise RuntimeError(f"{cmd[0]} failed: {proc.stderr.strip()[-300:]}")
    _, seconds, user, system, kb = last[-1].split()
    return {
        "seconds": float(seconds),
        "cpu_seconds": float(user) + float(system),
        "peak_mb": int(kb) / 1024,
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "profile": [line for line in proc.stderr.splitlines() if line.startswith("profile:")],
    }


def whole_commands(paths: Sequence[Path], tmp: Path, rounds: int = 3) -> list[dict[str, Any]]:
    """Time ``cluster dedup PATHS -o FILE`` and the peers' whole pipelines, each in its own process,
    ``rounds`` times each, interleaved; each row holds the medians and every run."""
    n = sum(1 for p in paths for line in p.open(encoding="utf-8") if line.strip())
    cluster = str(Path(sys.executable).with_name("cluster"))
    cmds = {
        "cluster dedup": [
            cluster,
            "dedup",
            *map(str, paths),
            "-o",
            str(tmp / "c.jsonl"),
            "-q",
            "--profile",
        ],
        **{
            tool: [sys.executable, __file__, "--peer", tool, "-o", str(tmp / f"{tool}.jsonl")]
            + [str(p) for p in paths]
            for tool in ("datasketch", "rensa")
        },
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in cmds}
    for _ in range(rounds):  # interleaved: a slow spell of the machine hits every command alike
        for name, cmd in cmds.items():
            runs[name].append(timed(cmd))
    rows = []
    for name, cmd in cmds.items():
        row = {"tool": name, "docs": n, **_median_run(runs[name]), "runs": runs[name]}
        row["kept"] = sum(1 for _ in (tmp / Path(cmd[cmd.index("-o") + 1]).name).open())
        rows.append(row)
    return rows


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs of one command (the first run's load and profile)."""
    return {
        **runs[0],
        **{
            key: statistics.median(r[key] for r in runs)
            for key in ("seconds", "cpu_seconds", "peak_mb")
        },
        "seconds_range": [min(r["seconds"] for r in runs), max(r["seconds"] for r in runs)],
    }


def round_ratios(ours: dict[str, Any], peer: dict[str, Any]) -> list[float]:
    """The peer's wall time over ours, round by round (each pair ran minutes apart at most)."""
    return [p["seconds"] / o["seconds"] for o, p in zip(ours["runs"], peer["runs"], strict=True)]


# ---------------------------------------------------------------------------------------------
# 2. quality: an edit benchmark with known answers

EDIT_KINDS = ("exact", "near_duplicate", "contained", "syndicated")
ARABIC_MARKS = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"
HEADERS = [
    "الرياض - واس:",
    "جدة - {outlet}:",
    "متابعات - {outlet}",
    "القاهرة (رويترز) -",
    "دبي - خاص",
]
FOOTERS = [
    "للمزيد من الأخبار تابعونا على تويتر وفيسبوك - {outlet}",
    "جميع الحقوق محفوظة لصحيفة {outlet} 2015",
    "اقرأ أيضاً: آخر الأخبار المحلية والدولية على موقع {outlet}",
]


@dataclass
class EditBench:
    docs: list[Doc]
    # doc id -> family (original id) for the original and its duplicate copies
    family: dict[str, str]
    truth_kind: dict[str, str]  # copy id -> exact | near_duplicate | contained | syndicated
    origin_of: dict[str, str]  # copy id -> original id
    hard_negatives: list[tuple[str, str]] = field(default_factory=list)


def _variants(text: str, rnd: random.Random) -> str:
    """Diacritics, tatweel, alef/ya/ta-marbuta variants and a cp1256 round trip: same normalized text."""
    words = text.split(" ")
    out = []
    for w in words:
        r = rnd.random()
        if r < 0.15 and len(w) > 2:
            pos = rnd.randrange(1, len(w))
            w = w[:pos] + rnd.choice(ARABIC_MARKS) + w[pos:]
        elif r < 0.22 and len(w) > 3:
            pos = rnd.randrange(1, len(w) - 1)
            w = w[:pos] + "ـ" + w[pos:]
        elif r < 0.32 and w.startswith("ا"):
            w = rnd.choice("أإآ") + w[1:]
        elif r < 0.38 and w.endswith("ي"):
            w = w[:-1] + "ى"
        elif r < 0.42 and w.endswith("ة"):
            w = w[:-1] + "ه"
        out.append(w)
    text = " ".join(out)
    return text.encode("cp1256", errors="replace").decode("cp1256")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _substitute(paras: list[str], rnd: random.Random, vocab: Sequence[str], n: int) -> list[str]:
    paras = list(paras)
    for _ in range(n):
        k = rnd.randrange(len(paras))
        words = paras[k].split()
        if len(words) > 3:
            words[rnd.randrange(len(words))] = rnd.choice(vocab)
            paras[k] = " ".join(words)
    return paras


def _words(text: str) -> set[str]:
    return set(normalize_text(text).split())


def _candidates(records: Sequence[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    """Return the records with at least 4 paragraphs and 150-1500 words, shuffled with ``rnd``."""
    good = [
        r
        for r in records
        if len(_paragraphs(r["text"])) >= 4 and 150 <= len(r["text"].split()) <= 1500
    ]
    rnd.shuffle(good)
    return good


def _distinct_titles(records: Sequence[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Return the first ``limit`` records whose title no earlier record has."""
    out: list[dict[str, Any]] = []
    titles: set[str] = set()
    for rec in records:
        if len(out) >= limit:
            break
        if rec["title"] not in titles:
            titles.add(rec["title"])
            out.append(rec)
    return out


def _pick_originals(pool: Sequence[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Return up to ``n`` pool records that are different articles from each other."""
    texts = [r["text"] for r in pool]
    cont = _containment(texts, texts)
    chosen: list[int] = []
    for k in range(len(pool)):
        if len(chosen) >= n:
            break
        if not chosen or cont[k, chosen].max() < 0.5:
            chosen.append(k)
    return [pool[k] for k in chosen]


def _pick_filler(
    good: Sequence[dict[str, Any]], originals: Sequence[dict[str, Any]], n: int
) -> list[dict[str, Any]]:
    """Return up to ``2 n`` other records sharing little with any original (the outlets' own material)."""
    orig_ids = {r["id"] for r in originals}
    spare = [r for r in good if r["id"] not in orig_ids][: 4 * n]
    cont = _containment([r["text"] for r in spare], [r["text"] for r in originals])
    return [r for r, c in zip(spare, cont.max(axis=1), strict=True) if c < 0.3][: 2 * n]


def _word_count(paras: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paras)


def _exact_copy(paras: Sequence[str], rnd: random.Random) -> list[str]:
    """Return the article with spelling variants only (the same normalized text)."""
    return [_variants(p, rnd) for p in paras]


def _near_duplicate_copy(
    paras: list[str], rnd: random.Random, vocab: Sequence[str], outlet: str
) -> list[str]:
    """Return the article with 1-3 words substituted, maybe a header, swapped paragraphs, a footer."""
    new = _substitute(paras, rnd, vocab, rnd.randint(1, 3))
    if rnd.random() < 0.5:
        new[0] = rnd.choice(HEADERS).format(outlet=outlet) + " " + new[0]
    if rnd.random() < 0.5 and len(new) > 4:
        i = rnd.randrange(1, len(new) - 1)
        new[i], new[i + 1] = new[i + 1], new[i]
    if rnd.random() < 0.5:
        new.append(rnd.choice(FOOTERS).format(outlet=outlet))
    return [_variants(p, rnd) for p in new]


def _contained_copy(paras: Sequence[str], rnd: random.Random) -> list[str]:
    """Return the first paragraphs of the article, 35-65% of its words."""
    keep: list[str] = []
    count = 0
    target = rnd.uniform(0.35, 0.65) * _word_count(paras)
    for p in paras:
        if count >= target:
            break
        keep.append(p)
        count += len(p.split())
    return [_variants(p, rnd) for p in keep]


def _wire_part(paras: Sequence[str], rnd: random.Random) -> list[str]:
    """Return consecutive paragraphs from a random start holding 40-70% of the wire story's words."""
    words = _word_count(paras)
    start = rnd.randrange(0, max(1, len(paras) // 2))
    shared: list[str] = []
    count = 0
    for p in paras[start:]:
        shared.append(p)
        count += len(p.split())
        if count >= 0.4 * words:
            break
    if count > 0.7 * words:  # one long paragraph: cut it so that 40-70% is shared
        extra = count - int(0.55 * words)
        last = shared[-1].split()
        shared[-1] = " ".join(last[: max(1, len(last) - extra)])
    return shared


def _own_part(material: Iterable[dict[str, Any]], shared_words: int) -> list[str]:
    """Return the outlet's own paragraphs from ``material``, 1.3 times the shared words."""
    own: list[str] = []
    for rec in material:
        own += _paragraphs(rec["text"])
        if _word_count(own) >= 1.3 * shared_words:
            break
    take: list[str] = []
    count = 0
    for p in own:
        take.append(p)
        count += len(p.split())
        if count >= 1.3 * shared_words:
            break
    return take


def _syndicated_copy(
    paras: Sequence[str], rnd: random.Random, material: Iterable[dict[str, Any]]
) -> list[str]:
    """Return 40-70% of the wire story plus the outlet's own, longer reporting from ``material``."""
    shared = _wire_part(paras, rnd)
    take = _own_part(material, _word_count(shared))
    new = [*take[:1], *shared, *take[1:]] if rnd.random() < 0.5 else [*shared, *take]
    return [_variants(p, rnd) for p in new]


@dataclass
class _BenchBuilder:
    """Articles of the edit benchmark and their known answers, added one at a time."""

    outlets: list[str]
    vocab: list[str]
    filler: list[dict[str, Any]]
    articles: list[Article] = field(default_factory=list)
    family: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    origin_of: dict[str, str] = field(default_factory=dict)
    own_material: Iterator[dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        # each syndicated copy takes the next filler articles, so no two copies share their own material
        self.own_material = cycle(self.filler)

    def add(self, rid: str, text: str, rec: dict[str, Any], outlet: str) -> None:
        self.articles.append(
            Article(
                id=rid,
                text=text,
                origin=rid,
                title=rec["title"],
                source=outlet,
                date=rec["date"],
                lang="ar",
            )
        )

    def add_original(self, rec: dict[str, Any]) -> None:
        self.family[rec["id"]] = rec["id"]
        self.add(rec["id"], rec["text"], rec, rec["source"])

    def add_copy(self, rec: dict[str, Any], c: int, kind: str, rnd: random.Random) -> None:
        """Add copy number ``c`` of the original ``rec``, edited as ``kind``, at another outlet."""
        oid = rec["id"]
        cid = f"{oid}~{c}{kind[:4]}"
        outlet = rnd.choice([o for o in self.outlets if o != rec["source"]])
        new = self.edit(kind, _paragraphs(rec["text"]), rnd, outlet)
        self.kinds[cid] = kind
        self.origin_of[cid] = oid
        if kind in DUPLICATE_KINDS:
            self.family[cid] = oid
        self.add(cid, "\n\n".join(new), rec, outlet)

    def edit(self, kind: str, paras: list[str], rnd: random.Random, outlet: str) -> list[str]:
        """Return the paragraphs of a copy of ``paras`` edited as ``kind``."""
        if kind == "exact":
            return _exact_copy(paras, rnd)
        if kind == "near_duplicate":
            return _near_duplicate_copy(paras, rnd, self.vocab, outlet)
        if kind == "contained":
            return _contained_copy(paras, rnd)
        return _syndicated_copy(paras, rnd, islice(self.own_material, len(self.filler)))

    def add_negatives(
        self, negatives: Sequence[tuple[str, dict[str, Any]]], orig_ids: set[str]
    ) -> list[tuple[str, str]]:
        """Add each hard negative once unless it is an original; return (original id, negative id) pairs."""
        pairs: list[tuple[str, str]] = []
        used: set[str] = set()
        for oid, rec in negatives:
            if rec["id"] in used or rec["id"] in orig_ids:
                continue
            used.add(rec["id"])
            nid = f"neg:{rec['id']}"
            self.add(nid, rec["text"], rec, rec["source"])
            pairs.append((oid, nid))
        return pairs


def build_edit_benchmark(records: Sequence[dict[str, Any]], n: int, seed: int = 7) -> EditBench:
    """Build ``n`` originals with edited copies and hard negatives from SaudiNewsNet records."""
    rnd = random.Random(seed)
    good = _candidates(records, rnd)
    originals = _pick_originals(_distinct_titles(good, 3 * n), n)
    filler = _pick_filler(good, originals, n)
    vocab = [w for r in filler[:50] for w in r["text"].split() if len(w) > 3]
    builder = _BenchBuilder(sorted({r["source"] for r in records}), vocab, filler)
    for k, rec in enumerate(originals):
        builder.add_original(rec)
        pair = (EDIT_KINDS[k % 4], EDIT_KINDS[(k + 1 + rnd.randrange(3)) % 4])
        for c, kind in enumerate(pair):
            builder.add_copy(rec, c, kind, rnd)
    orig_ids = {r["id"] for r in originals}
    negatives = _hard_negatives(records, originals, orig_ids | {r["id"] for r in filler})
    if negatives:  # a negative must not be a copy of any original either
        cont = _containment([rec["text"] for _, rec in negatives], [r["text"] for r in originals])
        negatives = [neg for neg, c in zip(negatives, cont.max(axis=1), strict=True) if c < 0.7]
    neg_pairs = builder.add_negatives(negatives, orig_ids)
    cfg = Config()
    docs = [normalize_article(a, cfg) for a in builder.articles]
    return EditBench(docs, builder.family, builder.kinds, builder.origin_of, neg_pairs)


def _containment(rows: Sequence[str], cols: Sequence[str]) -> np.ndarray:
    """Return the word-set containment (shared words / smaller set) of every row text in every column text."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(binary=True, token_pattern=r"\S+", lowercase=False)
    x = vec.fit_transform([normalize_text(t) for t in (*rows, *cols)]).tocsr()
    xr, xc = x[: len(rows)], x[len(rows) :]
    shared = (xr @ xc.T).toarray()
    sr = np.asarray(xr.sum(axis=1)).ravel()
    sc = np.asarray(xc.sum(axis=1)).ravel()
    out: np.ndarray = shared / np.maximum(1, np.minimum(sr[:, None], sc[None, :]))
    return out


def _hard_negatives(
    records: Sequence[dict[str, Any]], originals: Sequence[dict[str, Any]], exclude: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    """Different articles of the same day that share many words, and same-headline different bodies."""
    by_date: dict[str, list[int]] = defaultdict(list)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_date[r["date"]].append(i)
        by_title[r["title"]].append(i)
    out: list[tuple[str, dict[str, Any]]] = []
    for start in range(0, len(originals), 100):
        batch = originals[start : start + 100]
        pool = sorted(
            {
                i
                for o in batch
                for i in (*by_date[o["date"]][:600], *by_title[o["title"]])
                if records[i]["id"] not in exclude
            }
        )
        cont = _containment([o["text"] for o in batch], [records[i]["text"] for i in pool])
        for row, o in enumerate(batch):
            for k in np.argsort(-cont[row], kind="stable")[:30].tolist():
                rec = records[pool[k]]
                c = cont[row, k]
                same_title = rec["title"] == o["title"]
                if c < 0.7 and (
                    (same_title and c >= 0.2) or (rec["date"] == o["date"] and c >= 0.45)
                ):
                    out.append((o["id"], rec))
                    break
    return out


@dataclass
class Quality:
    per_kind: dict[str, dict[str, float]]
    dup_precision: float
    dup_recall: float
    hard_negatives: int
    hard_negative_dups: int
    hard_negative_syndicated: int
    docs: int
    seconds: float


def evaluate(bench: EditBench, cfg: Config | None = None) -> Quality:
    """Run boilerplate learning + dedup on the benchmark; score against the known answers."""
    cfg = cfg or Config()
    t0 = time.perf_counter()
    matching, _ = learn_boilerplate(bench.docs, cfg)
    res = find_duplicates(matching, cfg)
    seconds = time.perf_counter() - t0
    kept_of = {d.id: d.id for d in bench.docs}
    kept_of.update(res.duplicate_of())
    groups: dict[str, set[str]] = defaultdict(set)
    for d, k in kept_of.items():
        groups[k].add(d)
    pred_pairs = {(a, b) for g in groups.values() for a in g for b in g if a < b}
    fams: dict[str, set[str]] = defaultdict(set)
    for d, f in bench.family.items():
        fams[f].add(d)
    true_pairs = {(a, b) for g in fams.values() for a in g for b in g if a < b}
    tp = len(pred_pairs & true_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0

    by_id = {d.id: d for d in matching}
    pred_kind: dict[tuple[str, str], str] = {}
    for r in (*res.duplicates, *res.related):
        pred_kind[(min(r.id, r.other), max(r.id, r.other))] = r.kind
    per_kind: dict[str, dict[str, float]] = {}
    for kind in EDIT_KINDS:
        copies = [c for c, k in bench.truth_kind.items() if k == kind]
        if kind in DUPLICATE_KINDS:
            found = sum(1 for c in copies if kept_of[c] == kept_of[bench.origin_of[c]])
        else:
            found = sum(
                1
                for c in copies
                if pred_kind.get(_key(kept_of[c], kept_of[bench.origin_of[c]])) == "syndicated"
            )
        exact_kind = sum(
            1 for c in copies if explain_pair(by_id[c], by_id[bench.origin_of[c]], cfg).kind == kind
        )
        predicted = [pair for pair, k in pred_kind.items() if k == kind]
        if kind in DUPLICATE_KINDS:
            correct = sum(
                1
                for a, b in predicted
                if bench.family.get(a, a) == bench.family.get(b, b) and a in bench.family
            )
        else:
            correct = sum(
                1
                for a, b in predicted
                if _family_origins(bench, kept_of, a) & _family_origins(bench, kept_of, b)
            )
        per_kind[kind] = {
            "copies": len(copies),
            "recall": found / len(copies) if copies else 1.0,
            "kind_match": exact_kind / len(copies) if copies else 1.0,
            "predicted": len(predicted),
            "precision": correct / len(predicted) if predicted else 1.0,
        }
    hn_dups = sum(1 for a, b in bench.hard_negatives if kept_of[a] == kept_of[b])
    hn_synd = sum(1 for a, b in bench.hard_negatives if pred_kind.get(_key(a, b)) == "syndicated")
    return Quality(
        per_kind,
        precision,
        recall,
        len(bench.hard_negatives),
        hn_dups,
        hn_synd,
        len(bench.docs),
        seconds,
    )


def _key(a: str, b: str) -> tuple[str, str]:
    return (min(a, b), max(a, b))


def _family_origins(bench: EditBench, kept_of: dict[str, str], kept: str) -> set[str]:
    """Return the originals behind a kept document's group (itself, its copies, its duplicates)."""
    return {bench.origin_of.get(d, d) for d, k in kept_of.items() if k == kept}


# ---------------------------------------------------------------------------------------------
# 3. copies inside small outlets

SITE_MENU = "الرئيسية | محليات | اقتصاد | رياضة | منوعات | اتصل بنا | موقع {site}"
SITE_FOOTER = "جميع الحقوق محفوظة لموقع {site} - سياسة الخصوصية - اشترك في النشرة البريدية"


@dataclass
class SmallOutlets:
    docs: list[Doc]
    copies: list[tuple[str, str]]  # (original, copy) at the same site
    others: list[tuple[str, str]]  # (original, a different article) at the same site


def build_small_outlets(records: Sequence[dict[str, Any]], n: int, seed: int = 5) -> SmallOutlets:
    """Build ``n`` small sites of 2-3 pages.

    Each site holds an article with its copy at another URL, another article, or both.
    """
    rnd = random.Random(seed)
    pool = _distinct_titles(_candidates(records, rnd), 2 * n)
    vocab = [w for r in pool[:50] for w in r["text"].split() if len(w) > 3]
    articles: list[Article] = []
    copies: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    for k in range(n):
        site = f"site{k}.example"
        rec, other = pool[2 * k], pool[2 * k + 1]
        paras = _paragraphs(rec["text"])
        kind = ("exact", "near_duplicate", "contained")[(k // 3) % 3]
        if kind == "near_duplicate":
            copy = _substitute(paras, rnd, vocab, 2)
        elif kind == "contained":
            copy = paras[: max(2, (len(paras) * 3) // 5)]
        else:
            copy = list(paras)
        pages = [(f"{site}/a", paras)]
        if k % 3 != 2:  # two thirds of the sites hold a copy
            pages.append((f"{site}/a-amp", copy))
            copies.append((f"{site}/a", f"{site}/a-amp"))
        if k % 3 != 0:  # two thirds hold a second, different article
            pages.append((f"{site}/b", _paragraphs(other["text"])))
            others.append((f"{site}/a", f"{site}/b"))
        for pid, body in pages:
            text = "\n\n".join([SITE_MENU.format(site=site), *body, SITE_FOOTER.format(site=site)])
            title = other["title"] if pid.endswith("/b") else rec["title"]
            articles.append(
                Article(
                    id=pid,
                    text=text,
                    origin=pid,
                    title=title,
                    source=site,
                    date=rec["date"],
                    lang="ar",
                )
            )
    cfg = Config()
    return SmallOutlets([normalize_article(a, cfg) for a in articles], copies, others)


def evaluate_small_outlets(
    bench: SmallOutlets, cfg: Config, group_copies: bool = True
) -> dict[str, float]:
    """Return copy recall, false merges of different articles and the share of menus stripped."""
    matching, _ = learn_boilerplate(bench.docs, cfg, copies=None if group_copies else {})
    kept_of = {d.id: d.id for d in bench.docs}
    kept_of.update(find_duplicates(matching, cfg).duplicate_of())
    by_id = {d.id: d for d in matching}
    menus = [d for a, b in bench.others for d in (by_id[a], by_id[b])]
    furniture = ("الرئيسية |", "جميع الحقوق محفوظة")
    return {
        "copies": len(bench.copies),
        "copy_recall": sum(kept_of[a] == kept_of[b] for a, b in bench.copies) / len(bench.copies),
        "false_merges": sum(kept_of[a] == kept_of[b] for a, b in bench.others),
        "menu_stripped": sum(not any(p.startswith(furniture) for p in d.paragraphs) for d in menus)
        / len(menus),
    }


# ---------------------------------------------------------------------------------------------
# 4. boilerplate on raw pages


def boilerplate_report(shared: Path, top: int = 10) -> list[dict[str, Any]]:
    cfg = Config()
    docs = []
    with (shared / CLAIMS).open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            art = Article(
                id=r["id"],
                text=r["text"],
                origin=r["id"],
                title=r.get("title"),
                source=r.get("source"),
                date=r.get("date"),
                lang="ar",
            )
            docs.append(normalize_article(art, cfg))
    outlet_docs = Counter(d.outlet.value for d in docs)
    _, reports = learn_boilerplate(docs, cfg)
    return [
        {
            "outlet": r.outlet,
            "docs": outlet_docs.get(r.outlet, 0),
            "lines": r.lines,
            "removed": r.removed,
            "examples": list(r.examples[:3]),
        }
        for r in reports[:top]
    ] + [
        {
            "outlets_with_boilerplate": len(reports),
            "outlets": len(outlet_docs),
            "removed_total": sum(r.removed for r in reports),
        }
    ]


# ---------------------------------------------------------------------------------------------


def _parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument(
        "--quick", action="store_true", help="5,000 articles and a 300-article edit benchmark"
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument(
        "--peer", help=argparse.SUPPRESS
    )  # a peer's whole pipeline: --peer TOOL -o OUT PATHS
    ap.add_argument("-o", "--output", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times each whole command runs, interleaved (medians reported; default 3)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: commands,throughput,quality,outlets,boilerplate",
    )
    return ap.parse_args()


def _compare_peers(rows: list[dict[str, Any]]) -> None:
    """Print this project's speed and memory relative to each peer; add them to its row."""
    by = {r["tool"]: r for r in rows}
    if "cluster" not in by:
        return
    for peer in ("datasketch", "rensa"):
        if peer in by:
            speed = by[peer]["seconds"] / by["cluster"]["seconds"]
            mem = by["cluster"]["peak_mb"] / by[peer]["peak_mb"]
            print(f"  cluster vs {peer}: {speed:.2f}x throughput, {mem:.2f}x peak memory")
            by["cluster"][f"speedup_vs_{peer}"] = round(speed, 3)
            by["cluster"][f"memory_vs_{peer}"] = round(mem, 3)


def _report_throughput(shared: Path, quick: bool) -> list[dict[str, Any]]:
    scope = " first 5,000" if quick else ""
    print(
        f"== throughput (SaudiNewsNet{scope}; time after loading; "
        "peak = ru_maxrss of each tool's process)"
    )
    rows = throughput(shared, quick)
    header = (
        f"{'tool':<11}{'docs':>7}{'seconds':>9}{'docs/s':>9}{'peak MB':>9}{'groups':>8}{'pairs':>8}"
    )
    print(f"  {header}")
    for r in rows:
        print(
            f"  {r['tool']:<11}{r['docs']:>7}{r['seconds']:>9.2f}{r['docs'] / r['seconds']:>9.0f}"
            f"{r['peak_mb']:>9.0f}{r['groups']:>8}{r['pairs']:>8}"
        )
    _compare_peers(rows)
    return rows


def _report_commands(shared: Path, rounds: int) -> list[dict[str, Any]]:
    print(
        "== whole commands, files in -> file out (SaudiNewsNet, 3 JSONL parts; each in its own "
        f"process; peak = max resident set; medians of {rounds} interleaved rounds)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        rows = whole_commands(saudi_paths(shared), Path(tmp), rounds)
    print(
        f"  {'command':<15}{'docs':>7}{'seconds':>9}{'range':>14}{'cpu s':>8}{'docs/s':>9}"
        f"{'peak MB':>9}{'kept':>8}"
    )
    for r in rows:
        lo, hi = r["seconds_range"]
        print(
            f"  {r['tool']:<15}{r['docs']:>7}{r['seconds']:>9.2f}{f'{lo:.1f}-{hi:.1f}':>14}"
            f"{r['cpu_seconds']:>8.2f}{r['docs'] / r['seconds']:>9.0f}{r['peak_mb']:>9.0f}"
            f"{r['kept']:>8}"
        )
        for line in r["profile"]:
            print(f"    {line}")
    ours = rows[0]
    for peer in rows[1:]:
        ratios = round_ratios(ours, peer)
        peer["speedup_rounds"] = [round(x, 3) for x in ratios]
        print(
            f"  cluster dedup vs {peer['tool']}: {statistics.median(ratios):.2f}x throughput "
            f"(median of the rounds' ratios, {min(ratios):.2f}-{max(ratios):.2f}; "
            f"{peer['cpu_seconds'] / ours['cpu_seconds']:.2f}x in CPU time), "
            f"{ours['peak_mb'] / peer['peak_mb']:.2f}x peak memory"
        )
    return rows


def _report_quality(shared: Path, quick: bool) -> dict[str, Any]:
    n = 300 if quick else 1000
    print(
        f"== quality: edit benchmark ({n} SaudiNewsNet originals, 2 edited copies each, "
        "hard negatives)"
    )
    t0 = time.perf_counter()
    bench = build_edit_benchmark(load_saudi(shared), n)
    built = time.perf_counter() - t0
    q = evaluate(bench)
    print(
        f"  {q.docs} documents (built in {built:.1f} s, boilerplate + dedup in {q.seconds:.2f} s)"
    )
    header = f"{'relation':<16}{'copies':>7}{'recall':>8}{'kind ok':>9}{'predicted':>10}{'precision':>10}"
    print(f"  {header}")
    for kind, m in q.per_kind.items():
        print(
            f"  {kind:<16}{m['copies']:>7}{m['recall']:>8.3f}{m['kind_match']:>9.3f}"
            f"{m['predicted']:>10}{m['precision']:>10.3f}"
        )
    print(
        "  duplicates (exact+near_duplicate+contained, pairwise): "
        f"P {q.dup_precision:.4f}  R {q.dup_recall:.4f}  (targets P >= 0.99, R >= 0.95)"
    )
    print(
        f"  hard negatives: {q.hard_negatives} pairs, "
        f"{q.hard_negative_dups} called duplicates (target 0), "
        f"{q.hard_negative_syndicated} called syndicated"
    )
    return q.__dict__


def _report_small_outlets(shared: Path, quick: bool) -> list[dict[str, Any]]:
    n = 150 if quick else 600
    print(
        f"== copies inside small outlets ({n} sites of 2-3 pages: "
        "an article with its copy at another URL, a second article, or both; "
        "menu and footer on every page)"
    )
    small = build_small_outlets(load_saudi(shared, 6000), n)
    rows = []
    for label, cfg, grouped in (
        ("default (copies counted once)", Config(), True),
        ("copies counted per page, min_docs=2", Config(boilerplate_min_docs=2), False),
        ("copies counted per page, min_docs=3", Config(boilerplate_min_docs=3), False),
    ):
        m = evaluate_small_outlets(small, cfg, grouped)
        rows.append({"setting": label, **m})
        print(
            f"  {label:<38} copies found {m['copy_recall']:.3f}  different articles merged "
            f"{m['false_merges']:>3}  menus stripped {m['menu_stripped']:.3f}"
        )
    return rows


def _report_boilerplate(shared: Path) -> list[dict[str, Any]]:
    print("== boilerplate learned on ar_claims_dev.jsonl (top outlets by occurrences removed)")
    rows = boilerplate_report(shared)
    for r in rows[:-1]:
        print(
            f"  {r['outlet']:<26} docs {r['docs']:>2}  lines/spans {r['lines']:>3}  "
            f"removed {r['removed']:>3}  e.g. {r['examples'][0]!r}"
        )
    tail = rows[-1]
    print(
        f"  {tail['outlets_with_boilerplate']} of {tail['outlets']} outlets had boilerplate; "
        f"{tail['removed_total']} occurrences removed"
    )
    return rows


def main() -> None:
    args = _parse_args()
    shared: Path = args.shared
    if args.worker:
        texts = [r["text"] for r in load_saudi(shared, 5000 if args.quick else None)]
        row = run_tool(args.worker, texts)
        row.pop("dropped")
        print(json.dumps(row))
        return
    if args.peer:
        peer_command(args.peer, args.paths, args.output)
        return
    skip = set(args.skip.split(","))
    results: dict[str, Any] = {"quick": args.quick}
    if "commands" not in skip and not args.quick:
        results["commands"] = _report_commands(shared, args.rounds)
    if "throughput" not in skip:
        results["throughput"] = _report_throughput(shared, args.quick)
    if "quality" not in skip:
        results["quality"] = _report_quality(shared, args.quick)
    if "outlets" not in skip:
        results["small_outlets"] = _report_small_outlets(shared, args.quick)
    if "boilerplate" not in skip:
        results["boilerplate"] = _report_boilerplate(shared)

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("dedup_quick.json" if args.quick else "dedup.json")
    path.write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    print(f"results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
