"""Build large benchmark corpora (100k, 300k, 1M articles) from the real articles in ../shared/eval.

Deterministic: the same size and seed give the same bytes. Writes ``corpus_SIZE.jsonl`` (records
``{"id", "title", "text", "date", "source", "url", "lang"}``) and ``corpus_SIZE.truth.jsonl``
(``{"id", "event", "copy_of", "kind"}``: what was planted) into ``--out``.

How an article is made (word pools: Arabic from SaudiNewsNet, English from GVA, BASIL and
Multi-News; about 86% of the stories Arabic, as in the pools):

- a *story* has as many sentences as a real article of its language (drawn at random), each
  sentence a real one of the pool, every word swapped for a pool word (frequency-weighted) with
  probability ``STORY_SWAP`` and dropped with probability ``STORY_DROP``: news wording, but two
  stories do not share long passages by chance. Its title is a real title perturbed the same way,
  its date a day of 2015-2024, its outlet one of ``OUTLETS`` per language.
- *events*: ``EVENT_RATE`` of the stories are covered by 2-5 outlets. Each other version keeps
  ``EVENT_KEEP`` of the story's sentences, swaps ``EVENT_SWAP`` of the words, adds 2-4 sentences
  of its own and is dated within 2 days.
- *copies*: ``COPY_RATE`` of the articles get a copy at another outlet, one of ``exact`` (same
  title and text), ``near_duplicate`` (1-3% of the words swapped or dropped) or ``contained`` (the
  first 60-85% of the paragraphs plus a short line of its own), dated the same day or the next,
  and written up to ``COPY_DELAY`` articles later (so about 9% of a corpus are copies).

Usage: ``python bench/make_corpus.py --sizes 100k,300k --out bench/corpora``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
POOLS = {
    "ar": [
        "saudinewsnet_ar_unlabeled.part1",
        "saudinewsnet_ar_unlabeled.part2",
        "saudinewsnet_ar_unlabeled.part3",
    ],
    "en": ["gva_incidents_sample3k", "basil_events", "multinews_dev_clusters"],
}
OUTLETS = 300  # per language
STORY_SWAP, STORY_DROP = 0.25, 0.03
EVENT_RATE, EVENT_KEEP, EVENT_SWAP = 0.25, 0.6, 0.15
COPY_RATE = 0.10
COPY_KINDS = ("exact", "near_duplicate", "contained")
COPY_DELAY = 2000
FIRST_DAY, DAYS = date(2015, 1, 1), 3652
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
I32 = npt.NDArray[np.int32]


def parse_size(text: str) -> int:
    """``100k`` -> 100000, ``1m`` -> 1000000."""
    text = text.strip().lower()
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


@dataclass
class Pool:
    """One language's real material: sentences as word ids, titles, article lengths in sentences."""

    lang: str
    words: npt.NDArray[np.object_]  # id -> word
    stream: I32  # every word occurrence (frequency-weighted draws)
    sentences: list[I32]
    titles: list[I32]
    lengths: I32  # sentences per real article

    def text(self, ids: I32) -> str:
        return " ".join(self.words[ids].tolist())


def _records(shared: Path, names: Sequence[str]) -> Iterator[dict[str, Any]]:
    for name in names:
        with (shared / "eval" / f"{name}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def load_pool(shared: Path, lang: str) -> Pool:
    """Split the real articles of ``lang`` into sentences of word ids."""
    vocab: dict[str, int] = {}

    def ids(text: str) -> I32:
        return np.array([vocab.setdefault(w, len(vocab)) for w in text.split()], dtype=np.int32)

    sentences: list[I32] = []
    titles: list[I32] = []
    lengths: list[int] = []
    for rec in _records(shared, POOLS[lang]):
        found = [
            ids(s)
            for para in str(rec.get("text") or "").split("\n")
            for s in SENTENCE_END.split(para)
        ]
        found = [s for s in found if s.size >= 3]
        if not found:
            continue
        sentences.extend(found)
        lengths.append(len(found))
        if rec.get("title"):
            titles.append(ids(str(rec["title"])))
    words = np.empty(len(vocab), dtype=object)
    words[:] = list(vocab)
    return Pool(
        lang, words, np.concatenate(sentences), sentences, titles, np.array(lengths, dtype=np.int32)
    )


@dataclass
class Article:
    id: str
    title: str
    paragraphs: list[str]
    day: int
    outlet: int
    lang: str
    event: str
    copy_of: str | None = None
    kind: str = "original"

    def record(self) -> dict[str, Any]:
        source = f"{self.lang}-outlet-{self.outlet:03d}.example"
        return {
            "id": self.id,
            "title": self.title,
            "text": "\n\n".join(self.paragraphs),
            "date": (FIRST_DAY + timedelta(days=self.day)).isoformat(),
            "source": source,
            "url": f"https://{source}/{self.id}",
            "lang": self.lang,
        }

    def truth(self) -> dict[str, Any]:
        return {"id": self.id, "event": self.event, "copy_of": self.copy_of, "kind": self.kind}


class Generator:
    """Stories, their events and copies, drawn from one seeded random generator."""

    def __init__(self, pools: dict[str, Pool], seed: int) -> None:
        self.pools = pools
        self.rng = np.random.default_rng(seed)
        total = sum(len(p.sentences) for p in pools.values())
        self.langs = list(pools)
        self.lang_p = np.array([len(pools[k].sentences) / total for k in self.langs])
        self.count = 0

    def _perturb(self, pool: Pool, ids: I32, swap: float, drop: float) -> I32:
        return self._perturb_all(pool, [ids], swap, drop)[0]

    def _perturb_all(self, pool: Pool, parts: Sequence[I32], swap: float, drop: float) -> list[I32]:
        """Swap each word for a pool word with probability ``swap``, drop it with ``drop``."""
        if not parts:
            return []
        ids = np.concatenate(parts)
        r = self.rng.random(ids.size)
        swapped = r < swap
        ids[swapped] = pool.stream[self.rng.integers(0, pool.stream.size, int(swapped.sum()))]
        keep = swapped | (r >= swap + drop)
        starts = np.cumsum([0] + [p.size for p in parts[:-1]])
        kept = np.add.reduceat(keep, starts) if ids.size else np.zeros(len(parts), dtype=np.int64)
        return np.split(ids[keep], np.cumsum(kept)[:-1])

    def _sentences(self, pool: Pool, n: int, swap: float, drop: float) -> list[I32]:
        picks = self.rng.integers(0, len(pool.sentences), n)
        return self._perturb_all(pool, [pool.sentences[k] for k in picks.tolist()], swap, drop)

    def _paragraphs(self, pool: Pool, sentences: Sequence[I32]) -> list[str]:
        out: list[str] = []
        k = 0
        while k < len(sentences):
            step = int(self.rng.integers(1, 4))
            out.append(" ".join(pool.text(s) for s in sentences[k : k + step]))
            k += step
        return out

    def _next_id(self) -> str:
        self.count += 1
        return f"a{self.count:07d}"

    def story(self) -> list[Article]:
        """One story: its first article and, for an event, the other outlets' versions."""
        lang = self.langs[int(self.rng.choice(len(self.langs), p=self.lang_p))]
        pool = self.pools[lang]
        n = int(pool.lengths[self.rng.integers(0, pool.lengths.size)])
        sentences = self._sentences(pool, n, STORY_SWAP, STORY_DROP)
        title = self._perturb(
            pool, pool.titles[self.rng.integers(0, len(pool.titles))], STORY_SWAP, 0
        )
        day = int(self.rng.integers(0, DAYS))
        outlets = self.rng.choice(OUTLETS, 5, replace=False).tolist()
        event = f"e{self.count + 1:07d}"
        first = Article(
            self._next_id(),
            pool.text(title),
            self._paragraphs(pool, sentences),
            day,
            outlets[0],
            lang,
            event,
        )
        versions = [first]
        if self.rng.random() < EVENT_RATE:
            for outlet in outlets[1 : int(self.rng.integers(2, 6))]:
                versions.append(self._version(pool, sentences, title, day, outlet, event))
        return versions

    def _version(
        self, pool: Pool, sentences: list[I32], title: I32, day: int, outlet: int, event: str
    ) -> Article:
        chosen = self.rng.random(len(sentences)) < EVENT_KEEP
        kept = self._perturb_all(
            pool, [s for s, c in zip(sentences, chosen, strict=True) if c], EVENT_SWAP, 0
        )
        own = self._sentences(pool, int(self.rng.integers(2, 5)), STORY_SWAP, STORY_DROP)
        at = int(self.rng.integers(0, len(kept) + 1))
        body = kept[:at] + own + kept[at:]
        day = min(DAYS - 1, max(0, day + int(self.rng.integers(-2, 3))))
        return Article(
            self._next_id(),
            pool.text(self._perturb(pool, title, 0.3, 0)),
            self._paragraphs(pool, body),
            day,
            outlet,
            pool.lang,
            event,
        )

    def copy(self, art: Article) -> Article:
        """A copy of ``art`` at another outlet: exact, near duplicate or contained."""
        kind = COPY_KINDS[int(self.rng.integers(0, len(COPY_KINDS)))]
        pool = self.pools[art.lang]
        paragraphs = list(art.paragraphs)
        if kind == "near_duplicate":
            rate = float(self.rng.uniform(0.01, 0.03))
            ids = [
                np.array([pool_id(pool, w) for w in p.split()], dtype=np.int32) for p in paragraphs
            ]
            paragraphs = [pool.text(p) for p in self._perturb_all(pool, ids, rate / 2, rate / 2)]
        elif kind == "contained" and len(paragraphs) > 1:
            keep = max(1, int(len(paragraphs) * float(self.rng.uniform(0.6, 0.85))))
            line = pool.titles[self.rng.integers(0, len(pool.titles))]  # a short line of its own
            paragraphs = paragraphs[:keep] + [pool.text(self._perturb(pool, line, 0.1, 0))]
        outlet = (art.outlet + 1 + int(self.rng.integers(0, OUTLETS - 1))) % OUTLETS
        day = min(DAYS - 1, art.day + int(self.rng.integers(0, 2)))
        return Article(
            self._next_id(), art.title, paragraphs, day, outlet, art.lang, art.event, art.id, kind
        )


_POOL_INDEX: dict[str, dict[str, int]] = {}


def pool_id(pool: Pool, word: str) -> int:
    """The id of ``word`` in ``pool`` (index built on first use)."""
    index = _POOL_INDEX.get(pool.lang)
    if index is None:
        index = _POOL_INDEX[pool.lang] = {w: k for k, w in enumerate(pool.words.tolist())}
    return index[word]


def generate(pools: dict[str, Pool], n: int, seed: int) -> Iterator[Article]:
    """Yield ``n`` articles; copies come up to ``COPY_DELAY`` articles after their original."""
    gen = Generator(pools, seed)
    pending: deque[tuple[int, Article]] = deque()
    made = 0
    while made < n:
        while pending and pending[0][0] <= made:
            yield pending.popleft()[1]
            made += 1
            if made >= n:
                return
        for art in gen.story():
            yield art
            made += 1
            if made >= n:
                return
            if gen.rng.random() < COPY_RATE:
                due = made + int(gen.rng.integers(1, COPY_DELAY))
                pending.append((due, gen.copy(art)))
                pending = deque(sorted(pending, key=lambda p: p[0]))


def write_corpus(pools: dict[str, Pool], n: int, out: Path, seed: int) -> Path:
    """Write the corpus of ``n`` articles and its truth file; return the corpus path."""
    out.mkdir(parents=True, exist_ok=True)
    path = corpus_path(out, n)
    truth = truth_path(path)
    tmp, tmp_truth = path.with_suffix(".part"), truth.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as fh, tmp_truth.open("w", encoding="utf-8") as th:
        _write(generate(pools, n, seed), fh, th)
    tmp.replace(path)
    tmp_truth.replace(truth)
    return path


def _write(articles: Iterator[Article], fh: TextIO, th: TextIO) -> None:
    for art in articles:
        fh.write(json.dumps(art.record(), ensure_ascii=False) + "\n")
        th.write(json.dumps(art.truth()) + "\n")


def corpus_path(out: Path, n: int) -> Path:
    """Where the corpus of ``n`` articles is written."""
    name = f"corpus_{n // 1000}k" if n % 1_000_000 else f"corpus_{n // 1_000_000}m"
    return out / f"{name}.jsonl"


def truth_path(corpus: Path) -> Path:
    """Where the planted answers of ``corpus`` are written."""
    return corpus.with_suffix(".truth.jsonl")


def ensure_corpus(shared: Path, out: Path, n: int, seed: int = 18) -> Path:
    """Return the corpus of ``n`` articles, building it (and loading the pools) if it is missing."""
    path = corpus_path(out, n)
    if not path.exists():
        pools = {lang: load_pool(shared, lang) for lang in POOLS}
        write_corpus(pools, n, out, seed)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "corpora")
    ap.add_argument("--sizes", default="100k", help="comma-separated, e.g. 100k,300k,1m")
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pools = {lang: load_pool(args.shared, lang) for lang in POOLS}
    print(
        f"pools loaded in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(
            f"{k} {len(p.sentences)} sentences, {p.words.size} words" for k, p in pools.items()
        )
    )
    for size in args.sizes.split(","):
        t0 = time.perf_counter()
        path = write_corpus(pools, parse_size(size), args.out, args.seed)
        mb = path.stat().st_size / 2**20
        print(f"{path} ({mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
