"""Learn each outlet's boilerplate from the corpus and remove it from the matching text.

Scraped pages carry their site's furniture: menus, newsletter and cookie text, "read more",
photo credits. It is learned per outlet (``doc.outlet``, else the URL's host), in two passes:

1. *lines*: a paragraph whose normalized words recur as a whole paragraph in at least
   ``boilerplate_min_docs`` documents of the outlet and in a large share of them;
2. *spans*: many pages are one long line with the menu inlined, so word 6-grams are counted too;
   runs of 6-grams that recur in at least half of the outlet's documents (and in at least
   ``boilerplate_min_docs``) are cut out of the paragraph.

Documents are counted as *distinct* documents: copies of one article inside an outlet (the same
story at two URLs, a trimmed version) are grouped first (:func:`find_copies`) and each group counts
once, so an article published twice is not mistaken for the outlet's furniture. A stripped line or
span always occurs in at least ``boilerplate_min_docs`` distinct documents of its outlet: text of a
single distinct document is never removed. ``body`` keeps the original text; ``paragraphs``,
``norm`` and ``tokens`` lose the boilerplate.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

from .config import Config
from .dedup import UnionFind, copy_groups
from .minhash import TokenSpans, doc_shingles, text_hashes, token_spans
from .normalize import content_tokens, normalize_text
from .records import BoilerplateReport, Doc

__all__ = ["GRAM", "find_copies", "learn_boilerplate", "outlet_key"]

log = logging.getLogger(__name__)

GRAM = 6  # words per n-gram for inline boilerplate
GRAM_SHARE = 0.5  # an n-gram must recur in this share of the outlet's documents
LINE_SHARE = 0.5  # ... and a whole line in this share (lowered for large outlets, see _line_need)
MAX_EXAMPLES = 5
COPY_MIN_DOCS = 3  # deciding copies, text on this many distinct pages of an outlet is furniture


def outlet_key(doc: Doc) -> str | None:
    """Return the outlet a document's boilerplate is learned with: its outlet, else its URL host."""
    if doc.outlet.value and doc.outlet.value.strip():
        return doc.outlet.value.strip().casefold()
    if doc.url:
        host = urlsplit(doc.url).hostname
        if host:
            return host.removeprefix("www.")
    return None


def _line_need(n: int, min_docs: int) -> int:
    # In a small outlet a line must recur in half of the pages; in a big one, in 10 + 2% of them.
    return max(min_docs, min(math.ceil(LINE_SHARE * n), 10 + math.ceil(0.02 * n)))


def _gram_need(n: int, min_docs: int) -> int:
    return max(min_docs, math.ceil(GRAM_SHARE * n))


@dataclass(frozen=True)
class _Para:
    text: str
    spans: TokenSpans
    key: bytes  # the paragraph's normalized words, for whole-line matching


def _paragraphs(doc: Doc) -> list[_Para]:
    out = []
    for text in doc.paragraphs:
        spans = token_spans(text)
        out.append(_Para(text, spans, spans.hashes.tobytes()))
    return out


def _grams(p: _Para) -> np.ndarray:
    if p.spans.hashes.size < GRAM:
        return np.zeros(0, dtype=np.uint64)
    return doc_shingles(p.spans.hashes, GRAM)


@dataclass
class _Learned:
    lines: Counter[bytes]  # boilerplate line key -> occurrences removed
    line_norm: dict[bytes, str]  # line key -> normalized text
    spans: Counter[str]  # stripped span (normalized words) -> occurrences removed
    examples: dict[str, str]  # normalized -> original text


def _clean_outlet(docs: list[Doc], group: list[int], min_docs: int) -> tuple[dict[str, Doc], _Learned]:
    """Strip one outlet's boilerplate; ``group[k]`` numbers the distinct document ``docs[k]`` copies."""
    n = len(set(group))
    paras = [_paragraphs(d) for d in docs]
    line_sets: dict[int, set[bytes]] = defaultdict(set)
    for g, ps in zip(group, paras, strict=True):
        line_sets[g].update(p.key for p in ps if p.key)
    line_df: Counter[bytes] = Counter()
    for keys in line_sets.values():
        line_df.update(keys)
    need = _line_need(n, min_docs)
    bad_lines = {k for k, c in line_df.items() if c >= need}

    empty = np.zeros(0, dtype=np.uint64)
    grams: list[list[np.ndarray]] = []
    gram_sets: dict[int, list[np.ndarray]] = defaultdict(list)
    for g, ps in zip(group, paras, strict=True):
        doc_grams = [_grams(p) if p.key not in bad_lines else empty for p in ps]
        grams.append(doc_grams)
        gram_sets[g].extend(doc_grams)
    gram_df: Counter[int] = Counter()
    for arrays in gram_sets.values():
        if arrays:
            gram_df.update(np.unique(np.concatenate(arrays)).tolist())
    gneed = _gram_need(n, min_docs)
    bad_grams = np.array(sorted(g for g, c in gram_df.items() if c >= gneed), dtype=np.uint64)

    learned = _Learned(Counter(), {}, Counter(), {})
    out: dict[str, Doc] = {}
    for doc, ps, doc_grams in zip(docs, paras, grams, strict=True):
        kept: list[str] = []
        changed = False
        for p, g in zip(ps, doc_grams, strict=True):
            if p.key in bad_lines:
                learned.lines[p.key] += 1
                norm = learned.line_norm.setdefault(p.key, normalize_text(p.text, doc.lang))
                learned.examples.setdefault(norm, " ".join(p.text.split()))
                changed = True
                continue
            text = p.text
            if bad_grams.size and g.size:
                text, cut = _cut_spans(p, np.isin(g, bad_grams), doc.lang, learned)
                changed |= cut
            if text.strip():
                kept.append(text)
        if changed:
            out[doc.id] = _rebuild(doc, kept)
    return out, learned


def _cut_spans(p: _Para, hit: np.ndarray, lang: str, learned: _Learned) -> tuple[str, bool]:
    """Remove the runs of boilerplate n-grams from one paragraph; return the rest."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], hit.astype(np.int8), [0]))))
    if edges.size == 0:
        return p.text, False
    pieces: list[str] = []
    pos = 0
    for start, stop in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        lo = int(p.spans.starts[start])
        hi = int(p.spans.ends[stop - 1 + GRAM - 1])
        pieces.append(p.text[pos:lo])
        span = p.text[lo:hi]
        norm = normalize_text(span, lang)
        learned.spans[norm] += 1
        learned.examples.setdefault(norm, " ".join(span.split()))
        pos = hi
    pieces.append(p.text[pos:])
    return " ".join(" ".join(piece.split()) for piece in pieces if piece.strip()), True


def _rebuild(doc: Doc, paragraphs: list[str]) -> Doc:
    body = "\n\n".join(paragraphs)
    title = doc.title.value or ""
    return dataclasses.replace(
        doc,
        paragraphs=tuple(paragraphs),
        norm=normalize_text(body, doc.lang),
        tokens=tuple(content_tokens(f"{title}\n{body}" if title else body, doc.lang)),
    )


def find_copies(docs: Sequence[Doc], cfg: Config) -> dict[str, str]:
    """Return doc id -> id of the first document of its outlet it is a copy of (copies only).

    Copies are exact, near-duplicate or contained documents (as :func:`~clusterer.dedup.find_duplicates`
    defines them) of the same outlet. Pages with the same normalized text are always copies. Other
    pairs are judged once the text found on ``COPY_MIN_DOCS`` or more distinct pages of the outlet
    is set aside: two pages that share nothing but the site's furniture are not one article.
    """
    keys = [outlet_key(d) for d in docs]
    multi = {k for k, c in Counter(keys).items() if k is not None and c > 1}
    idx = [k for k, key in enumerate(keys) if key in multi]
    if not idx:
        return {}
    sub = [docs[k] for k in idx]
    sub_keys = [keys[k] for k in idx]
    uf = UnionFind(len(sub))
    first_exact: dict[tuple[str | None, int], int] = {}
    for pos, (key, h) in enumerate(zip(sub_keys, text_hashes([d.norm for d in sub]).tolist(), strict=True)):
        if h:
            uf.union(first_exact.setdefault((key, h), pos), pos)
    raw = copy_groups([d.norm for d in sub], cfg, sub_keys)
    suspects = {sub_keys[pos] for pos in range(len(sub)) if raw[pos] != pos and uf.find(pos) != uf.find(int(raw[pos]))}
    if suspects:
        check = [pos for pos, key in enumerate(sub_keys) if key in suspects]
        by_outlet: dict[str | None, list[int]] = defaultdict(list)
        for pos in check:
            by_outlet[sub_keys[pos]].append(pos)
        stripped: dict[int, Doc] = {}
        for members in by_outlet.values():
            numbers: dict[int, int] = {}
            distinct = [numbers.setdefault(uf.find(pos), len(numbers)) for pos in members]
            cleaned, _ = _clean_outlet([sub[pos] for pos in members], distinct, max(COPY_MIN_DOCS, cfg.boilerplate_min_docs))
            stripped.update({pos: cleaned.get(sub[pos].id, sub[pos]) for pos in members})
        found = copy_groups([stripped[pos].norm for pos in check], cfg, [sub_keys[pos] for pos in check])
        for local, pos in enumerate(check):
            uf.union(pos, check[int(found[local])])
    out: dict[str, str] = {}
    for pos, d in enumerate(sub):
        root = uf.find(pos)
        if root != pos:
            out[d.id] = sub[root].id
    return out


def learn_boilerplate(
    docs: Sequence[Doc], cfg: Config, copies: Mapping[str, str] | None = None
) -> tuple[list[Doc], list[BoilerplateReport]]:
    """Learn each outlet's boilerplate lines and spans; return the docs without them and a report.

    ``copies`` maps a document id to the id of the document it is a copy of (see
    :func:`find_copies`, the default); each group of copies counts as one document of its outlet.
    Documents without an outlet (and outlets with fewer than ``cfg.boilerplate_min_docs``
    distinct documents) are returned unchanged. Reports are sorted by occurrences removed, then outlet.
    """
    if copies is None:
        copies = find_copies(docs, cfg)
    position = {d.id: k for k, d in enumerate(docs)}
    uf = UnionFind(len(docs))
    for a, b in copies.items():
        if a in position and b in position:
            uf.union(position[a], position[b])
    by_outlet: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        key = outlet_key(doc)
        if key is not None:
            by_outlet[key].append(doc)
    replaced: dict[str, Doc] = {}
    reports: list[BoilerplateReport] = []
    for outlet in sorted(by_outlet):
        group = by_outlet[outlet]
        numbers: dict[int, int] = {}
        distinct = [numbers.setdefault(uf.find(position[d.id]), len(numbers)) for d in group]
        if len(numbers) < cfg.boilerplate_min_docs:
            continue
        cleaned, learned = _clean_outlet(group, distinct, cfg.boilerplate_min_docs)
        replaced.update(cleaned)
        removed = sum(learned.lines.values()) + sum(learned.spans.values())
        if not removed:
            continue
        top: Counter[str] = Counter()
        for line_key, count in learned.lines.items():
            top[learned.line_norm[line_key]] += count
        top.update(learned.spans)
        examples = tuple(
            _short(learned.examples.get(text, text))
            for text, _ in sorted(top.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_EXAMPLES]
        )
        reports.append(
            BoilerplateReport(
                outlet=outlet,
                lines=len(learned.lines) + len(learned.spans),
                removed=removed,
                examples=examples,
            )
        )
        log.debug("boilerplate: %s: %d lines/spans, %d removed", outlet, len(learned.lines), removed)
    reports.sort(key=lambda r: (-r.removed, r.outlet))
    return [replaced.get(d.id, d) for d in docs], reports


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
