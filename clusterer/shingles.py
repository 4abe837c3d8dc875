"""Shingle fingerprints and a sub-quadratic candidate index for deduplication.

Everything here works on whole arrays, never on Python strings one token at a time:

1. *Normalize* a chunk of texts as one array of code points through a lookup table (Arabic
   letter variants unified, diacritics, tatweel and format characters dropped, digits made ASCII,
   letters lower-cased, every other character a separator).
2. *Hash tokens* with a polynomial rolling hash computed by prefix sums over the code points
   (64-bit, wrapping arithmetic), then mixed with a SplitMix64 finalizer. Stable across processes.
3. *Shingle*: word ``k``-grams hashed from consecutive token hashes inside one document.
4. *Index*: sort the shingle hashes once, drop repeats within a document, and build a sparse
   documents x shingles matrix. Shingles that occur in one document only can never be shared;
   shingles that occur in very many documents (stock phrases) are left out of candidate
   generation (their overlap is added back exactly when candidates are verified). The product of
   the remaining sparse matrix with its transpose, computed in row blocks, counts the rare shingles
   every pair shares: its cost is bounded by ``df_cap x nnz``, so it is sub-quadratic in practice.

This is an exact, deterministic alternative to MinHash + LSH: no permutations are sampled, so a
pair that shares its rare shingles is always a candidate, and verification uses exact counts.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .text import ARABIC_LETTER_MAP, TATWEEL

__all__ = [
    "CorpusKeys",
    "Fingerprints",
    "Offsets",
    "GramIndex",
    "Runs",
    "ShingleKeys",
    "TextShingles",
    "TextSpans",
    "TokenSpans",
    "candidate_pairs",
    "fingerprint_texts",
    "fingerprints_of_keys",
    "fingerprints_of_shingles",
    "key_bits",
    "load_table",
    "normalize_codepoints",
    "overlap_counts",
    "segment_hashes",
    "gram_index",
    "segment_shingles",
    "shared_runs",
    "shingle_keys",
    "spans_gram_index",
    "text_shingles",
    "text_spans",
    "token_hashes",
    "token_spans",
]

log = logging.getLogger(__name__)

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
Offsets = npt.NDArray[np.int64] | npt.NDArray[np.int32]

_SEP = 32
_P = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_P_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_SHINGLE_MUL = np.uint64(0x9E3779B97F4A7C15)
_POS_MUL = np.uint64(0xC2B2AE3D27D4EB4F)
_SHORT_DOC = np.uint64(0x165667B19E3779F9)


@functools.lru_cache(maxsize=1)
def _table() -> npt.NDArray[np.uint16]:
    """Return the UTF-16 code unit -> matching code point table (surrogates are separators).

    Arabic letter variants fold as in :data:`clusterer.text.ARABIC_LETTER_MAP` (after
    diacritics are dropped by decomposition), so dedup and clustering compare the same letters.
    """
    table = np.full(0x10000, _SEP, dtype=np.uint16)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf") or ch == TATWEEL:
            table[cp] = 0  # combining marks, tatweel, format characters: dropped
            continue
        if cat[0] == "N":
            digit = unicodedata.digit(ch, None)
            table[cp] = ord(str(digit)) if digit is not None else cp
            continue
        if cat[0] != "L":
            continue
        folded = ARABIC_LETTER_MAP.get(ch)
        if folded is None:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            folded = base if len(base) == 1 else ch
            folded = ARABIC_LETTER_MAP.get(folded, folded)
            lower = folded.lower()
            folded = lower if len(lower) == 1 else folded
        table[cp] = ord(folded) if ord(folded) <= 0xFFFF else cp
    table[ord(_JOIN)] = _JOIN_MARK
    return table


def load_table() -> None:
    """Build the code point table tokenizing reads, if not done yet (a process forked afterwards
    inherits it rather than building its own)."""
    _table()


def normalize_codepoints(units: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint16]:
    """Map UTF-16 code units to matching code points: 0 = drop, 32 = separator, else a letter."""
    return _table()[units]


def _units(text: str) -> npt.NDArray[np.uint16]:
    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)


_MIX_1, _MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_SHIFT_1, _SHIFT_2, _SHIFT_3 = np.uint64(30), np.uint64(27), np.uint64(31)
_BLOCK = 1 << 15  # array elements worked on at a time: they stay in the processor's cache


def _mix_block(x: U64, scratch: U64) -> None:
    """SplitMix64 finalizer, in place, ``scratch`` an array of the same size to work in."""
    np.right_shift(x, _SHIFT_1, out=scratch)
    x ^= scratch
    x *= _MIX_1
    np.right_shift(x, _SHIFT_2, out=scratch)
    x ^= scratch
    x *= _MIX_2
    np.right_shift(x, _SHIFT_3, out=scratch)
    x ^= scratch


def _mix(x: U64) -> U64:
    """SplitMix64 finalizer, in place on a fresh array (a block at a time)."""
    scratch = np.empty(min(x.size, _BLOCK), dtype=np.uint64)
    for lo in range(0, x.size, _BLOCK):
        block = x[lo : lo + _BLOCK]
        _mix_block(block, scratch[: block.size])
    return x


@functools.lru_cache(maxsize=4)
def _powers(length: int) -> tuple[U64, U64]:
    ppow = np.full(length, _P, dtype=np.uint64)
    ppow[0] = 1
    np.cumprod(ppow, out=ppow)
    ipow = np.full(length, _P_INV, dtype=np.uint64)
    ipow[0] = 1
    np.cumprod(ipow, out=ipow)
    return ppow, ipow


def _pow_arrays(length: int) -> tuple[U64, U64]:
    size = 1 << max(16, (length - 1).bit_length())
    ppow, ipow = _powers(size)
    return ppow[:length], ipow[:length]


@dataclass(frozen=True)
class _Tokens:
    hashes: U64  # one 64-bit hash per token, documents concatenated
    counts: I64  # tokens per document
    starts: I64  # token start offsets into the normalized code point array
    ends: I64


def _tokenize_codepoints(m: npt.NDArray[np.uint16]) -> tuple[I64, I64, U64]:
    """Return token (starts, ends, hashes) of a normalized code unit array (no zeros left)."""
    word = np.zeros(m.size + 2, dtype=np.bool_)
    np.not_equal(m, _SEP, out=word[1:-1])
    edges = np.flatnonzero(word[1:] != word[:-1])
    starts = edges[0::2]
    ends = edges[1::2]
    if starts.size == 0:
        return starts, ends, np.zeros(0, dtype=np.uint64)
    ppow, ipow = _pow_arrays(m.size + 1)
    prefix = np.empty(m.size + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(m, ppow[: m.size], out=prefix[1:], dtype=np.uint64, casting="unsafe")
    np.cumsum(prefix, out=prefix)
    h = prefix[ends] - prefix[starts]
    h *= ipow[starts]
    h += (ends - starts).astype(np.uint64)
    return starts, ends, _mix(h)


_JOIN = "\ue000"  # a private-use character joins the texts of a chunk
_JOIN_MARK = 10  # what the table maps it to (text newlines map to the separator)


def _chunk_tokens(texts: Sequence[str]) -> _Tokens:
    """Normalize and hash the tokens of a few documents at once."""
    m = normalize_codepoints(_units(_JOIN.join(texts)))
    keep = m != 0
    if not keep.all():
        m = m[keep]
    del keep
    marks = np.flatnonzero(m == _JOIN_MARK)
    if marks.size != len(texts) - 1:  # a text contains the joining character itself
        return _concat_tokens([_chunk_tokens([t]) for t in texts])
    m[marks] = _SEP
    starts, ends, hashes = _tokenize_codepoints(m)
    bounds = np.searchsorted(starts, np.append(marks, m.size))
    counts = np.diff(bounds, prepend=0).astype(np.int64)
    return _Tokens(hashes, counts, starts, ends)


def _concat_tokens(parts: list[_Tokens]) -> _Tokens:
    return _Tokens(
        np.concatenate([p.hashes for p in parts]),
        np.concatenate([p.counts for p in parts]),
        np.concatenate([p.starts for p in parts]),
        np.concatenate([p.ends for p in parts]),
    )


def _chunks(texts: Sequence[str], chunk_chars: int) -> Iterator[tuple[int, int]]:
    begin, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= chunk_chars:
            yield begin, i + 1
            begin, size = i + 1, 0
    if begin < len(texts):
        yield begin, len(texts)


def token_hashes(texts: Sequence[str], chunk_chars: int = 1 << 21) -> tuple[U64, I64]:
    """Return every document's token hashes (concatenated) and the token count of each document."""
    parts: list[U64] = []
    counts: list[I64] = []
    for lo, hi in _chunks(texts, chunk_chars):
        tok = _chunk_tokens(texts[lo:hi])
        parts.append(tok.hashes)
        counts.append(tok.counts)
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts), np.concatenate(counts)


def _doc_hashes(hashes: U64, counts: I64) -> U64:
    """Return an order-sensitive hash of each document's token sequence (0 for empty docs)."""
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    local = np.arange(hashes.size, dtype=np.int64) - np.repeat(offsets[:-1], counts)
    v = hashes ^ _mix((local.astype(np.uint64) + np.uint64(1)) * _POS_MUL)
    v = _mix(v)
    csum = np.zeros(hashes.size + 1, dtype=np.uint64)
    np.cumsum(v, out=csum[1:])
    doc = _mix(csum[offsets[1:]] - csum[offsets[:-1]] + counts.astype(np.uint64) * _SHORT_DOC)
    doc[counts == 0] = 0
    return doc


def segment_shingles(hashes: U64, counts: I64, k: int) -> tuple[U64, I64, I64]:
    """Return the word ``k``-grams inside each segment of a token stream, in text order.

    ``counts[s]`` tokens belong to segment ``s``; a k-gram never spans two segments. Returns each
    k-gram's hash, its segment and the index of its first token.
    """
    n = hashes.size
    if n < k:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    grams = n - k + 1
    s = np.empty(grams, dtype=np.uint64)
    scratch = np.empty(min(grams, _BLOCK), dtype=np.uint64)
    for lo in range(0, grams, _BLOCK):  # each block through every round while in cache
        block = s[lo : lo + _BLOCK]
        block[:] = hashes[lo : lo + block.size]
        for r in range(1, k):
            block *= _SHINGLE_MUL
            block += hashes[lo + r : lo + r + block.size]
            _mix_block(block, scratch[: block.size])
    seg_of = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    first = np.flatnonzero(seg_of[:grams] == seg_of[k - 1 :])
    return s[first], seg_of[first], first


def segment_hashes(hashes: U64, counts: I64) -> U64:
    """Return an order-sensitive hash of each segment's token sequence (0 for empty segments)."""
    return _doc_hashes(hashes, counts)


def _shingles(hashes: U64, counts: I64, k: int, doc_hash: U64, first_doc: int) -> tuple[U64, I64]:
    """Return (shingle hash, document index) pairs: word k-grams inside each document."""
    sh, dd, _ = segment_shingles(hashes, counts, k)
    short = np.flatnonzero((counts > 0) & (counts < k))
    if short.size:
        sh = np.concatenate((sh, _mix(doc_hash[short] ^ _SHORT_DOC)))
        dd = np.concatenate((dd, short))
    return sh, dd + first_doc


@dataclass(frozen=True)
class Fingerprints:
    """Exact shingle sets of a corpus, as a sparse documents x shingles matrix.

    ``matrix`` rows are documents (input order), columns are the distinct shingles found in two
    or more documents (ids in hash order), values 1; ``df`` counts documents per column.
    ``sizes`` counts every distinct shingle of each document (shared or not),
    ``doc_hash`` an order-sensitive hash of each document's normalized token sequence (equal
    hashes = same normalized text; 0 = no tokens), ``n_tokens`` tokens per document.
    """

    matrix: sparse.csr_matrix
    df: npt.NDArray[np.int64]
    sizes: I64
    doc_hash: U64
    n_tokens: I64
    shingle_size: int

    @property
    def n_docs(self) -> int:
        return int(self.matrix.shape[0])

    def rows(self, docs: I64) -> Fingerprints:
        """Return the fingerprints of the corpus of the documents ``docs`` (distinct), document
        ``docs[d]`` numbered ``d``: the shingles two of them share, in the same order.

        The same as fingerprinting their texts when that packs documents in as many bits as this
        corpus did (see :meth:`CorpusKeys.subset`): every shingle two of them share is shared here.
        """
        x = self.matrix[docs]
        df = np.bincount(x.indices, minlength=x.shape[1])
        shared = df >= 2
        if not shared.all():
            keep = shared[x.indices]
            column = np.cumsum(shared) - 1  # a shared shingle's column among the shared ones
            kept = np.zeros(keep.size + 1, dtype=np.int64)
            np.cumsum(keep, out=kept[1:])
            x = sparse.csr_matrix(
                (x.data[keep], column[x.indices[keep]].astype(x.indices.dtype), kept[x.indptr]),
                shape=(docs.size, int(shared.sum())),
            )
            x.has_sorted_indices = True
        return Fingerprints(
            x,
            df[shared].astype(np.int64),
            self.sizes[docs],
            self.doc_hash[docs],
            self.n_tokens[docs],
            self.shingle_size,
        )


def _chunk_keys(texts: Sequence[str], lo: int, k: int, doc_bits: int) -> tuple[U64, U64, U64, I64]:
    """Fingerprint a chunk: packed ``shingle-high-bits | doc`` keys split by the top bit."""
    tok = _chunk_tokens(texts)
    dh = _doc_hashes(tok.hashes, tok.counts)
    sh, dd = _shingles(tok.hashes, tok.counts, k, dh, lo)
    sh &= ~np.uint64((1 << doc_bits) - 1)
    sh |= dd.astype(np.uint64)
    top = sh >= np.uint64(1 << 63)
    return sh[~top], sh[top], dh, tok.counts


def key_bits(n: int) -> int:
    """Return the low bits of a packed ``shingle-high-bits | doc`` key that hold the document,
    for a corpus of ``n`` documents."""
    return max(1, (max(n, 1) - 1).bit_length())


@dataclass(frozen=True)
class ShingleKeys:
    """Part of a corpus fingerprinted: its sorted ``shingle-high-bits | doc`` keys (documents by
    their index in the whole corpus) and, per text of the part, its hash and token count."""

    keys: U64
    doc_hash: U64
    n_tokens: I64


def shingle_keys(
    texts: Sequence[str], docs: I64, shingle_size: int, doc_bits: int, chunk_chars: int = 1 << 20
) -> ShingleKeys:
    """Fingerprint the texts of one part of a corpus, text ``t`` being document ``docs[t]`` of it.

    The keys of all parts, sorted together, are the keys :func:`fingerprint_texts` sorts for the
    whole corpus (with ``doc_bits = key_bits(n)``): see :func:`fingerprints_of_keys`.
    """
    mask = np.uint64((1 << doc_bits) - 1)
    parts: list[U64] = [np.zeros(0, dtype=np.uint64)]
    hashes: list[U64] = [np.zeros(0, dtype=np.uint64)]
    counts: list[I64] = [np.zeros(0, dtype=np.int64)]
    for lo, hi in _chunks(texts, chunk_chars):
        low, high, dh, n_tok = _chunk_keys(texts[lo:hi], 0, shingle_size, doc_bits)
        keys = np.concatenate((low, high))
        parts.append((keys & ~mask) | docs[lo:hi][(keys & mask).astype(np.int64)].astype(np.uint64))
        hashes.append(dh)
        counts.append(n_tok)
    keys = np.concatenate(parts)
    keys.sort()
    return ShingleKeys(keys, np.concatenate(hashes), np.concatenate(counts))


def fingerprints_of_keys(
    keys: U64, doc_hash: U64, n_tokens: I64, shingle_size: int
) -> Fingerprints:
    """Return the fingerprints of a corpus of ``len(doc_hash)`` documents from all its sorted keys
    (:func:`shingle_keys`) and its documents' hashes and token counts (in corpus order)."""
    n = len(doc_hash)
    return _index(keys, key_bits(n), doc_hash, n_tokens, n, shingle_size)


_EMPTY_U64: U64 = np.zeros(0, dtype=np.uint64)
_EMPTY_I64: I64 = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class TextShingles:
    """Each text's word k-gram hashes (full 64 bits, one text's together), hash and token count:
    what :func:`fingerprint_texts` computes per text, kept to be packed into a corpus later
    (:func:`fingerprints_of_shingles`), e.g. by the process that normalized the texts."""

    hashes: U64  # text t's shingles are hashes[offsets[t]:offsets[t + 1]] (repeats included)
    counts: I64  # shingles per text
    doc_hash: U64
    n_tokens: I64

    @classmethod
    def concat(cls, parts: Sequence[TextShingles]) -> TextShingles:
        """Return the texts of ``parts``, one after the other."""
        if not parts:
            return cls(_EMPTY_U64, _EMPTY_I64, _EMPTY_U64, _EMPTY_I64)
        return cls(
            np.concatenate([p.hashes for p in parts]),
            np.concatenate([p.counts for p in parts]),
            np.concatenate([p.doc_hash for p in parts]),
            np.concatenate([p.n_tokens for p in parts]),
        )

    def keys(self, docs: I64, doc_bits: int) -> U64:
        """Return the packed ``shingle-high-bits | doc`` keys (unsorted) of the texts ``t`` with
        ``docs[t] >= 0``, text ``t`` being document ``docs[t]`` of a corpus."""
        high = ~np.uint64((1 << doc_bits) - 1)
        if (docs >= 0).all():
            out = self.hashes & high
            out |= np.repeat(docs.astype(np.uint64), self.counts)
            return out
        doc_of = np.repeat(docs, self.counts)
        keep = doc_of >= 0
        out = self.hashes[keep]
        out &= high
        out |= doc_of[keep].astype(np.uint64)
        return out


def text_shingles(
    texts: Sequence[str], shingle_size: int, chunk_chars: int = 1 << 20
) -> TextShingles:
    """Return the shingles of every text (normalized for matching, as :func:`fingerprint_texts`)."""
    parts: list[TextShingles] = []
    for lo, hi in _chunks(texts, chunk_chars):
        tok = _chunk_tokens(texts[lo:hi])
        dh = _doc_hashes(tok.hashes, tok.counts)
        sh, dd = _shingles(tok.hashes, tok.counts, shingle_size, dh, 0)
        order = np.argsort(dd, kind="stable")
        counts = np.bincount(dd, minlength=hi - lo).astype(np.int64)
        parts.append(TextShingles(sh[order], counts, dh, tok.counts))
    return TextShingles.concat(parts)


def fingerprints_of_shingles(
    parts: Sequence[tuple[TextShingles, I64]], n: int, shingle_size: int, workers: int = 2
) -> Fingerprints:
    """Return the fingerprints of a corpus of ``n`` documents from its texts' shingles: in each
    part ``(shingles, docs)``, text ``t`` is document ``docs[t]`` (left out when negative); every
    document is in one part. The same as :func:`fingerprint_texts` of the texts."""
    doc_bits = key_bits(n)
    doc_hash = np.zeros(n, dtype=np.uint64)
    n_tokens = np.zeros(n, dtype=np.int64)
    for shingles, docs in parts:
        mine = docs >= 0
        doc_hash[docs[mine]] = shingles.doc_hash[mine]
        n_tokens[docs[mine]] = shingles.n_tokens[mine]
    keys = np.concatenate([s.keys(docs, doc_bits) for s, docs in parts] or [_EMPTY_U64])
    top = keys >= np.uint64(1 << 63)
    halves = [keys[~top], keys[top]]
    del keys, top
    keys = _sorted_halves(halves, workers)
    return _index(keys, doc_bits, doc_hash, n_tokens, n, shingle_size)


@dataclass(frozen=True)
class CorpusKeys:
    """A corpus fingerprinted once (text ``t`` of its shingles is document ``t``): its keys sorted,
    to build its fingerprints, those of a part of it, or of it with a few texts changed, without
    sorting them all again."""

    keys: U64  # sorted ``shingle-high-bits | doc`` keys, ``doc_bits`` low bits for the document
    doc_bits: int
    doc_hash: U64
    n_tokens: I64

    @classmethod
    def of(cls, shingles: TextShingles, workers: int = 2) -> CorpusKeys:
        """Sort the keys of every text of ``shingles``."""
        n = shingles.counts.size
        doc_bits = key_bits(n)
        keys = shingles.keys(np.arange(n, dtype=np.int64), doc_bits)
        top = keys >= np.uint64(1 << 63)
        halves = [keys[~top], keys[top]]
        del keys, top
        return cls(_sorted_halves(halves, workers), doc_bits, shingles.doc_hash, shingles.n_tokens)

    @property
    def doc_mask(self) -> np.uint64:
        """The low bits of a key: its document."""
        return np.uint64((1 << self.doc_bits) - 1)

    def fingerprints(self, shingle_size: int) -> Fingerprints:
        """Return the fingerprints of the corpus (:func:`fingerprint_texts` of its texts)."""
        n = self.doc_hash.size
        return _index(self.keys, self.doc_bits, self.doc_hash, self.n_tokens, n, shingle_size)

    def subset(self, docs: I64, whole: Fingerprints) -> Fingerprints | None:
        """Return the fingerprints of the corpus of the documents ``docs`` (distinct), document
        ``docs[d]`` numbered ``d``: :func:`fingerprint_texts` of their texts, in that order, as rows
        of ``whole`` (:meth:`fingerprints` of this corpus).

        None when such a corpus packs its documents in fewer bits (fewer than half the documents):
        its keys keep bits of the hashes these keys do not have.
        """
        if key_bits(docs.size) != self.doc_bits:
            return None
        return whole.rows(docs)

    def replaced(self, docs: I64, texts: TextShingles) -> CorpusKeys:
        """Return the corpus with document ``docs[t]``'s text replaced by the text ``t`` of ``texts``."""
        if docs.size == 0:
            return self
        mask = self.doc_mask
        gone = np.zeros(self.doc_hash.size, dtype=np.bool_)
        gone[docs] = True
        keys = self.keys[~gone[(self.keys & mask).astype(np.int64)]]
        fresh = texts.keys(docs, self.doc_bits)
        fresh.sort()
        doc_hash, n_tokens = self.doc_hash.copy(), self.n_tokens.copy()
        doc_hash[docs], n_tokens[docs] = texts.doc_hash, texts.n_tokens
        merged = np.insert(keys, np.searchsorted(keys, fresh), fresh)
        return CorpusKeys(merged, self.doc_bits, doc_hash, n_tokens)


def _sorted_halves(halves: list[U64], workers: int) -> U64:
    """Sort the keys below and from the top bit (two threads: numpy releases the GIL); join them."""
    if workers > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(np.ndarray.sort, halves))
    else:
        for half in halves:
            half.sort()
    return np.concatenate(halves)


def fingerprint_texts(
    texts: Sequence[str], shingle_size: int = 3, chunk_chars: int = 1 << 20, workers: int = 2
) -> Fingerprints:
    """Return the exact word ``shingle_size``-gram sets of ``texts`` (normalized for matching)."""
    n = len(texts)
    doc_bits = key_bits(n)
    spans = list(_chunks(texts, chunk_chars))

    def run(span: tuple[int, int]) -> tuple[U64, U64, U64, I64]:
        return _chunk_keys(texts[span[0] : span[1]], span[0], shingle_size, doc_bits)

    if workers <= 1 or len(spans) <= 1:
        parts = [run(span) for span in spans]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:  # numpy releases the GIL
            parts = list(pool.map(run, spans))
    empty_u = np.zeros(0, dtype=np.uint64)
    doc_hash = np.concatenate([p[2] for p in parts]) if parts else empty_u
    n_tokens = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    halves = [np.concatenate([p[h] for p in parts]) if parts else empty_u for h in (0, 1)]
    del parts
    keys = _sorted_halves(halves, workers)
    del halves
    return _index(keys, doc_bits, doc_hash, n_tokens, n, shingle_size)


def _index(
    keys: U64, doc_bits: int, doc_hash: U64, n_tokens: I64, n: int, shingle_size: int
) -> Fingerprints:
    """Build the fingerprints from sorted ``shingle-high-bits | doc`` keys."""
    if keys.size:
        keep = np.empty(keys.size, dtype=np.bool_)
        keep[0] = True
        np.not_equal(keys[1:], keys[:-1], out=keep[1:])
        keys = keys[keep]
        del keep
        docs = (keys & np.uint64((1 << doc_bits) - 1)).astype(np.int32)
        shingle = keys >> np.uint64(doc_bits)
        del keys
        new = np.empty(shingle.size + 1, dtype=np.bool_)
        new[0] = new[-1] = True
        np.not_equal(shingle[1:], shingle[:-1], out=new[1:-1])
        del shingle
        bounds = np.flatnonzero(new)
        del new
        df_all = np.diff(bounds)
        sizes = np.bincount(docs, minlength=n).astype(np.int64)
        shared = df_all >= 2
        df = df_all[shared].astype(np.int64)
        entry_shared = np.repeat(shared, df_all)
        docs = docs[entry_shared]
        indptr = np.zeros(df.size + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
    else:
        docs = np.zeros(0, dtype=np.int32)
        df = np.zeros(0, dtype=np.int64)
        indptr = np.zeros(1, dtype=np.int64)
        sizes = np.zeros(n, dtype=np.int64)
    by_shingle = sparse.csr_matrix(
        (np.ones(docs.size, dtype=np.int32), docs, indptr), shape=(df.size, n)
    )
    matrix = by_shingle.T.tocsr()
    matrix.has_sorted_indices = True
    return Fingerprints(matrix, df, sizes, doc_hash, n_tokens, shingle_size)


def _rare_matrix(fp: Fingerprints, df_cap: int) -> sparse.csr_matrix:
    x = fp.matrix
    mask = fp.df[x.indices] <= df_cap
    csum = np.zeros(mask.size + 1, dtype=np.int64)
    np.cumsum(mask, out=csum[1:])
    return sparse.csr_matrix((x.data[mask], x.indices[mask], csum[x.indptr]), shape=x.shape)


class _RunProducts:
    """The rows of each run of documents and their transpose, for :func:`candidate_pairs`: built
    when a block of the run first needs them, freed when its last block is done, so only the
    runs being worked on are held (one transpose per run, each as tall as the corpus has
    shingles, would hold a row pointer per shingle per outlet: gigabytes at 100k documents).

    ``compact``: the columns of a run's rows are renumbered to the shingles it holds.
    """

    def __init__(self, xr: sparse.csr_matrix, *, compact: bool) -> None:
        self._xr, self._compact = xr, compact
        self._lock = threading.Lock()
        self._bounds: dict[int, int] = {}
        self._left: dict[int, int] = {}
        self._held: dict[int, tuple[sparse.csr_matrix, sparse.csr_matrix]] = {}

    def expect(self, g0: int, g1: int, blocks: int) -> None:
        self._bounds[g0], self._left[g0] = g1, blocks

    def get(self, g0: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        with self._lock:
            held = self._held.get(g0)
            if held is None:
                rows = self._xr
                if self._compact:
                    rows = rows[g0 : self._bounds[g0]]
                    used, local = np.unique(rows.indices, return_inverse=True)
                    rows = sparse.csr_matrix(
                        (rows.data, local.astype(np.int32), rows.indptr),
                        shape=(rows.shape[0], used.size),
                    )
                held = self._held[g0] = (rows, rows.T.tocsr())
            return held

    def done(self, g0: int) -> None:
        with self._lock:
            self._left[g0] -= 1
            if self._left[g0] == 0:
                self._held.pop(g0, None)


def candidate_pairs(
    fp: Fingerprints,
    min_ratio: float,
    min_shared: int = 2,
    df_cap: int = 32,
    block_rows: int = 2048,
    workers: int = 2,
    min_count: int | None = None,
    groups: I64 | None = None,
) -> tuple[I64, I64]:
    """Return pairs ``(i, j)``, ``i < j``, that share many rare shingles, sorted.

    A pair is a candidate when the shingles it shares among those in 2..``df_cap`` documents are
    at least ``min_shared`` and either at least ``min_ratio`` of the smaller document's rare
    shingles or at least ``min_count``. Exact duplicates (same ``doc_hash``) are always
    candidates of each other. With ``groups`` (the bounds of runs of documents: run ``g`` is
    ``groups[g]:groups[g + 1]``), pairs of two runs are left out of the sparse product (only
    those: exact duplicates and chains of copies of two runs are still found).
    """
    n = fp.n_docs
    xr = _rare_matrix(fp, df_cap)
    rare_sizes = np.diff(xr.indptr)
    runs = np.array([0, n], dtype=np.int64) if groups is None else groups
    products = _RunProducts(xr, compact=groups is not None)
    jobs = []
    for g0, g1 in zip(runs[:-1].tolist(), runs[1:].tolist(), strict=True):
        if g1 - g0 > 1:
            starts = range(g0, g1, block_rows)
            products.expect(g0, g1, len(starts))
            jobs += [(g0, r0, min(g1, r0 + block_rows)) for r0 in starts]

    def block(job: tuple[int, int, int]) -> tuple[I64, I64]:
        g0, r0, r1 = job
        rows_of, transposed = products.get(g0)
        prod = (rows_of[r0 - g0 : r1 - g0] @ transposed).tocsr()
        products.done(g0)
        counts = prod.data
        rows = np.repeat(np.arange(r0, r1, dtype=np.int64), np.diff(prod.indptr))
        cols = prod.indices.astype(np.int64) + g0
        del prod
        ok = (cols > rows) & (counts >= min_shared)
        rows, cols, counts = rows[ok], cols[ok], counts[ok]
        need = np.ceil(min_ratio * np.minimum(rare_sizes[rows], rare_sizes[cols]))
        ok = counts >= need
        if min_count is not None:
            ok |= counts >= min_count
        return rows[ok], cols[ok]

    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = list(pool.map(block, jobs))
    else:
        found = [block(job) for job in jobs]
    exact_i, exact_j = _exact_pairs(fp.doc_hash)
    chain_i, chain_j = _chain_pairs(fp, df_cap, min_ratio, min_shared)
    ii = np.concatenate([*(f[0] for f in found), exact_i, chain_i])
    jj = np.concatenate([*(f[1] for f in found), exact_j, chain_j])
    key = np.unique(ii * max(n, 1) + jj)
    return key // max(n, 1), key % max(n, 1)


def _chain_pairs(
    fp: Fingerprints, df_cap: int, min_ratio: float, min_shared: int
) -> tuple[I64, I64]:
    """Return pairs of neighbouring documents that share many of the frequent shingles.

    Shingles in more than ``df_cap`` documents are left out of the all-pairs product (stock
    phrases would make it quadratic), which would also hide an article copied more than
    ``df_cap`` times. Here each frequent shingle links only consecutive documents among those
    holding it, so the cost is linear in its postings; a pair linked by at least ``min_ratio`` of
    the smaller document's shingles is a candidate. Copies then join through these chains.
    """
    n = fp.n_docs
    frequent = np.flatnonzero(fp.df > df_cap)
    if frequent.size == 0 or n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    xc = fp.matrix[:, frequent].tocsc()
    xc.sort_indices()
    docs = xc.indices.astype(np.int64)
    column = np.repeat(np.arange(frequent.size), np.diff(xc.indptr))
    same = column[:-1] == column[1:]
    a, b = docs[:-1][same], docs[1:][same]
    keys, counts = np.unique(a * n + b, return_counts=True)
    first, second = keys // n, keys % n
    need = np.maximum(
        min_shared, np.ceil(min_ratio * np.minimum(fp.sizes[first], fp.sizes[second]))
    )
    ok = counts >= need
    return first[ok], second[ok]


def _exact_pairs(doc_hash: U64) -> tuple[I64, I64]:
    """Return (first, other) index pairs of documents with the same non-empty hash."""
    order = np.argsort(doc_hash, kind="stable")
    hs = doc_hash[order]
    same = (hs[1:] == hs[:-1]) & (hs[1:] != 0)
    if not same.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    group_start = np.concatenate(([True], ~same))
    first_pos = np.maximum.accumulate(np.where(group_start, np.arange(hs.size), 0))
    idx = np.flatnonzero(np.concatenate(([False], same)))
    a = order[first_pos[idx]].astype(np.int64)
    b = order[idx].astype(np.int64)
    return np.minimum(a, b), np.maximum(a, b)


def overlap_counts(fp: Fingerprints, i: I64, j: I64, batch: int = 20000) -> I64:
    """Return the exact number of shingles documents ``i[k]`` and ``j[k]`` share."""
    out = np.zeros(i.size, dtype=np.int64)
    x = fp.matrix
    for lo in range(0, i.size, batch):
        hi = min(i.size, lo + batch)
        prod = x[i[lo:hi]].multiply(x[j[lo:hi]])
        out[lo:hi] = np.asarray(prod.sum(axis=1)).ravel()
    return out


@dataclass(frozen=True)
class TokenSpans:
    """Normalized tokens of one text with their character spans in the original text."""

    hashes: U64
    starts: I64  # original character offsets
    ends: I64


def token_spans(text: str) -> TokenSpans:
    """Return the matching tokens of ``text`` and where each one is in ``text`` (string indices)."""
    units = _units(text)
    m = normalize_codepoints(units)
    m[m == _JOIN_MARK] = _SEP
    kept = np.flatnonzero(m != 0)
    starts, ends, hashes = _tokenize_codepoints(m[kept])
    if starts.size == 0:
        return TokenSpans(hashes, starts.astype(np.int64), ends.astype(np.int64))
    starts = kept[starts].astype(np.int64)
    ends = kept[ends - 1].astype(np.int64) + 1
    high = (units >= 0xD800) & (units < 0xDC00)
    if high.any():  # UTF-16 offsets -> string indices: each astral character is two code units
        before = np.concatenate(([0], np.cumsum(high)))
        starts -= before[starts]
        ends -= before[ends]
    return TokenSpans(hashes, starts, ends)


@dataclass(frozen=True)
class TextSpans:
    """Matching tokens of several texts, with their character spans inside their own text
    (64-bit, or 32-bit as kept for a whole corpus)."""

    hashes: U64
    starts: Offsets  # string index inside the token's own text
    ends: Offsets
    counts: I64  # tokens per text

    @property
    def offsets(self) -> I64:
        """Text ``t``'s tokens are ``[offsets[t], offsets[t + 1])``."""
        out = np.zeros(self.counts.size + 1, dtype=np.int64)
        np.cumsum(self.counts, out=out[1:])
        return out

    @classmethod
    def concat(cls, parts: Sequence[TextSpans]) -> TextSpans:
        """Return the texts of ``parts``, one after the other."""
        return cls(
            np.concatenate([_EMPTY_U64, *(p.hashes for p in parts)]),
            np.concatenate([_EMPTY_I64, *(p.starts for p in parts)]),
            np.concatenate([_EMPTY_I64, *(p.ends for p in parts)]),
            np.concatenate([_EMPTY_I64, *(p.counts for p in parts)]),
        )

    def take(self, texts: I64) -> TextSpans:
        """Return the spans of the texts ``texts``, in that order."""
        offsets = self.offsets
        counts = self.counts[texts]
        at = np.repeat(offsets[texts] - np.cumsum(counts) + counts, counts)
        at += np.arange(at.size, dtype=np.int64)
        return TextSpans(self.hashes[at], self.starts[at], self.ends[at], counts)

    def lines(self, lengths: I64, lines: I64) -> TextSpans:
        """Return the spans of the lines of every text, text ``t`` being its ``lines[t]`` lines
        joined by newlines (line ``p`` of them all is ``lengths[p]`` characters long): what
        :func:`text_spans` of the lines gives (a token never holds a newline). The tokens of a
        text of no lines are left out."""
        begin = np.cumsum(lengths + 1) - (lengths + 1)  # line p's start, all lines joined
        first = np.cumsum(lines) - lines  # text t's first line
        text = np.repeat(np.arange(self.counts.size, dtype=np.int64), self.counts)
        hashes, starts, ends = self.hashes, self.starts, self.ends
        if not (lines > 0).all():
            has = (lines > 0)[text]
            text, hashes, starts, ends = text[has], hashes[has], starts[has], ends[has]
        base = begin[first[text]]  # where the token's text starts, all lines joined
        # a line's first token: the tokens (in order) before its start
        counts = np.diff(np.searchsorted(starts + base, begin), append=base.size)
        line = np.repeat(np.arange(lengths.size, dtype=np.int64), counts)
        start = (begin[line] - base).astype(starts.dtype)  # the line's start in its text
        return TextSpans(hashes, starts - start, ends - start, counts)


def _chunk_bounds(texts: Sequence[str], chunk_chars: int) -> Iterator[tuple[int, int]]:
    """Yield ``(lo, hi)``: each chunk takes texts while they fit in ``chunk_chars`` once joined
    (one text at least)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    begin = np.zeros(lengths.size + 1, dtype=np.int64)  # texts before t take begin[t] characters
    np.cumsum(lengths + 1, out=begin[1:])
    last = begin[1:] - 1  # characters up to the end of text t
    lo = 0
    while lo < lengths.size:
        hi = max(lo + 1, int(np.searchsorted(last, chunk_chars + begin[lo])))
        yield lo, hi
        lo = hi


def text_spans(texts: Sequence[str], chunk_chars: int = 1 << 20) -> TextSpans:
    """Return :func:`token_spans` of every text, computed a chunk of newline-joined texts at a time."""
    hashes: list[U64] = [np.zeros(0, dtype=np.uint64)]
    starts: list[I64] = [np.zeros(0, dtype=np.int64)]
    ends: list[I64] = [np.zeros(0, dtype=np.int64)]
    counts: list[I64] = [np.zeros(0, dtype=np.int64)]
    for lo, hi in _chunk_bounds(texts, chunk_chars):
        chunk = texts[lo:hi]
        offsets = np.cumsum([0] + [len(t) + 1 for t in chunk[:-1]]).astype(np.int64)
        spans = token_spans("\n".join(chunk))
        text = np.searchsorted(offsets, spans.starts, side="right") - 1
        hashes.append(spans.hashes)
        starts.append(spans.starts - offsets[text])
        ends.append(spans.ends - offsets[text])
        counts.append(np.bincount(text, minlength=len(chunk)).astype(np.int64))
    return TextSpans(
        np.concatenate(hashes), np.concatenate(starts), np.concatenate(ends), np.concatenate(counts)
    )


@dataclass(frozen=True)
class GramIndex:
    """Several texts' tokens (character spans) and word k-grams in text order, for pair lookups.

    Text ``t``'s k-gram ``j`` starts at its token ``j`` (a text of fewer than ``k`` tokens has
    none). ``members`` holds a 64-bit key per distinct (text, k-gram): the text in the high bits
    (one text's keys sit together, so looking up one pair stays in cache), the k-gram's hash in the
    rest, as the shingle index packs a shingle with its document.
    """

    spans: TextSpans
    grams: U64
    doc_gram: I64  # text t's k-grams are grams[doc_gram[t]:doc_gram[t + 1]]
    members: U64  # sorted distinct _member_key(text, k-gram)
    text_bits: int

    def key(self, text: I64, gram: U64) -> U64:
        """Return the member keys of ``(text[i], gram[i])``."""
        high = text.astype(np.uint64) << np.uint64(64 - self.text_bits)
        return high | (gram >> np.uint64(self.text_bits))


def gram_index(texts: Sequence[str], k: int) -> GramIndex:
    """Tokenize ``texts`` once and index their word ``k``-grams."""
    return spans_gram_index(text_spans(texts), k)


def spans_gram_index(spans: TextSpans, k: int) -> GramIndex:
    """Index the word ``k``-grams of texts already tokenized (:func:`text_spans`)."""
    n = spans.counts.size
    grams, text_of, _ = segment_shingles(spans.hashes, spans.counts, k)
    doc_gram = np.searchsorted(text_of, np.arange(n + 1)).astype(np.int64)
    index = GramIndex(spans, grams, doc_gram, grams[:0], max(1, (n - 1).bit_length()))
    members = index.key(text_of, grams)
    members.sort()
    if members.size:
        members = members[np.concatenate(([True], members[1:] != members[:-1]))]
    return dataclasses.replace(index, members=members)


@dataclass(frozen=True)
class Runs:
    """Runs of consecutive k-grams of one text found in another, per pair: ``[start, stop)``."""

    pair: I64
    start: I64  # index of the run's first k-gram (= its first token) in the first text
    stop: I64


def shared_runs(index: GramIndex, a: I64, b: I64, batch: int = 1 << 20, workers: int = 2) -> Runs:
    """Return the runs of text ``a[p]``'s k-grams (text order) found in text ``b[p]``, every pair.

    Runs come ordered by pair, then start. Pairs are looked up ``batch`` k-grams at a time, on
    ``workers`` threads (numpy releases the GIL).
    """
    lens = index.doc_gram[a + 1] - index.doc_gram[a]
    ends = np.cumsum(lens)
    parts: list[tuple[int, int]] = []
    lo = 0
    while lo < a.size:
        done = int(ends[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, done + batch, side="right")))
        parts.append((lo, hi))
        lo = hi

    def run(part: tuple[int, int]) -> tuple[I64, I64, I64]:
        lo, hi = part
        return _runs(index, a[lo:hi], b[lo:hi], lens[lo:hi], lo)

    if workers > 1 and len(parts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = list(pool.map(run, parts))
    else:
        found = [run(part) for part in parts]
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Runs(empty, empty, empty)
    return Runs(*(np.concatenate([f[r] for f in found]) for r in range(3)))


def _runs(index: GramIndex, a: I64, b: I64, lens: I64, first: int) -> tuple[I64, I64, I64]:
    total = int(lens.sum())
    begin = np.zeros(lens.size, dtype=np.int64)
    np.cumsum(lens[:-1], out=begin[1:])
    local = np.arange(total, dtype=np.int64) - np.repeat(begin, lens)
    query = index.key(np.repeat(b, lens), index.grams[np.repeat(index.doc_gram[a], lens) + local])
    pos = np.minimum(np.searchsorted(index.members, query), max(index.members.size - 1, 0))
    hit = np.zeros(total + 2, dtype=np.int8)
    if index.members.size:
        hit[1:-1] = index.members[pos] == query
    pair = np.repeat(np.arange(first, first + lens.size, dtype=np.int64), lens)
    boundary = np.ones(total + 1, dtype=np.bool_)  # between positions t-1 and t: a pair changes
    boundary[1:-1] = pair[1:] != pair[:-1]
    step = np.diff(hit)
    starts = np.flatnonzero((hit[1:] == 1) & ((step == 1) | boundary))
    stops = np.flatnonzero((hit[:-1] == 1) & ((step == -1) | boundary)) - 1
    return pair[starts], local[starts], local[stops] + 1
