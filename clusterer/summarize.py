"""Merge the articles of one event into a single, source-attributed account.

Each kept document's body is cut into sentences. Every sentence is tried as the *pivot* of a
statement: in each other document its best match (word TF-IDF cosine over stemmed content tokens,
character n-gram cosine and token coverage over normalized text, plus rapidfuzz matching of quoted
speech) supports it when the score clears a threshold. Paraphrases share little wording but the
same rare content, so a pair also earns a bonus for its *anchors*: figures ("14", "fourteen") and
word stems that each of the two documents uses in exactly one sentence; the bonus shrinks for long
documents, where one figure recurs in different contexts. Statements are ranked by news value: how
many outlets support them, how closely the other articles echo them (a soft, cross-article degree
centrality), closeness to the cluster's centroid and how early the articles tell them; redundant
ones are dropped (maximal marginal relevance), and those several outlets support come first. A
statement is worded by the supporting sentence the others cover best. The remaining room goes to
the single-outlet sentences of most news value, whether another outlet reports them in part or not
at all; sentences no other outlet reports are also listed as that outlet's ``unique`` statements.
Numbers and dates that differ between the supporting sentences of one statement are reported as
conflicts. A one-document cluster needs no alignment: its most salient sentences, strongly biased
to the lead (news puts the essentials first), are taken in article order.
"""

from __future__ import annotations

import dataclasses
import heapq
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import is_

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from .config import Config
from .conflicts import (
    NUMBER_WORDS,
    Claim,
    figures_differ,
    find_conflicts,
    number_values,
    unique_in_order,
    word_stems,
)
from .furniture import (
    NOTICE_WORDS,
    is_caption,
    is_furniture,
    is_notice,
    strip_site_name,
    trim_furniture,
    trim_title,
)
from .kernels import gram
from .quotes import speech_frames
from .records import Cluster, ClusterSummary, Conflict, Doc, Evidence, Statement
from .segment import find_quotes, split_sentences, tidy_sentence
from .sources import outlet_or_none
from .text import (
    TURKIC_LANGS,
    base_lang,
    content_forms,
    content_tokens,
    fold_lines,
    fold_text,
    normalize_text,
    normalized_words,
    strip_tashkeel,
    word_cache,
)

__all__ = ["compile_kernels", "summarize_cluster"]

log = logging.getLogger(__name__)

ALIGN_THRESHOLD = 0.50  # pivot/sentence score at which a document supports a statement
UNIQUE_THRESHOLD = 0.30  # below this against every other outlet, a sentence is outlet-unique
REDUNDANT_THRESHOLD = 0.55  # pivot/pivot score at which two statements say the same thing
REPEAT_THRESHOLD = 0.45  # ... at which a single-outlet sentence repeats one already said
MMR_LAMBDA = 0.85
QUOTE_MIN_CHARS = 30  # quotations shorter than this are not matched on their own
QUOTE_MATCH = 90.0  # rapidfuzz partial_ratio for "the same quotation"
QUOTE_COVER = 0.5  # a shared quotation aligns two sentences when it is this much of the pivot
ANCHOR_FLOOR = 0.08  # lexical score below which shared anchors do not count
ANCHOR_WORD = 0.1  # bonus per shared anchor word (see _anchor_bonus)
ANCHOR_MAX_WORDS = 3
ANCHOR_NUMBER = 0.3  # bonus for sharing a specific number
ANCHOR_SMALL_NUMBER = 0.15  # bonus for sharing a small count (2..10)
ANCHOR_DOC_SENTENCES = 8.0  # documents up to this many sentences get the full anchor bonus
KEY_CHARS = 5  # anchor keys are stems cut to this length (a light, cross-form match)
MIN_CONTENT_TOKENS = 4
MAX_DOCS = 40  # documents of one cluster that are read (the most central first)
MAX_SENTENCES_PER_DOC = 80
KEYWORDS = 8

_SENTENCE_END = tuple(".!?؟…»\"”')")


@dataclass(frozen=True, slots=True)
class _Sentence:
    doc: str
    outlet: str  # who reports it, for grouping: the outlet, else the document id (see _outlet)
    named: str | None  # the outlet as shown: None when unknown (never a file name)
    lang: str
    rank: int  # order of the document in the cluster
    order: int  # index of the sentence in its document
    position: float  # relative position in its document, 0 (lead) .. 1 (last)
    text: str  # fit to show: dateline and tatweel removed
    printed: str  # as the article printed it (evidence)
    norm: str
    tokens: tuple[str, ...]
    quotes: tuple[str, ...]  # normalized quotations long enough to match on their own
    keys: frozenset[str]  # anchor keys: truncated content stems and "#value" for numbers


@dataclass(slots=True)
class _Candidate:
    pivot: int
    support: dict[str, int]  # doc id -> sentence index (the pivot's own doc included)
    outlets: tuple[str, ...]
    relevance: float
    wording: int = -1  # the supporting sentence used as the statement's text (set once chosen)


@dataclass(frozen=True, slots=True)
class _Context:
    sentences: list[_Sentence]
    bodies: dict[str, str]  # doc id -> body as printed
    dates: dict[str, str | None]  # doc id -> reported date
    flat: dict[str, str] = field(default_factory=dict)  # doc id -> folded body, once read

    def flat_body(self, doc: str) -> str:
        """Return :func:`_flat` of a document's body (folded the first time it is read)."""
        if doc not in self.flat:
            self.flat[doc] = _flat(self.bodies.get(doc, ""))
        return self.flat[doc]


@dataclass(frozen=True, slots=True)
class _Scores:
    score: np.ndarray  # lexical support score (directional: does column say what row says)
    aligned: np.ndarray  # score plus the anchor bonus: what alignment uses
    coverage: np.ndarray  # idf-weighted share of row's content terms found in column
    sim: np.ndarray  # symmetric similarity, for redundancy
    centrality: np.ndarray  # similarity of each sentence to the cluster's centroid


@dataclass(frozen=True, slots=True)
class SummaryWeights:
    """Named weights of the summary: news value of a statement, lead choice, attribution, quotes.

    News value (used to pick and order statements) = ``support`` x outlets reporting it +
    ``agreement`` x how well they agree + ``echo`` x how closely the other articles say it (the
    mean, over the other articles, of their best-matching sentence's score, below the support
    threshold too) + ``centrality`` x closeness to the cluster's centroid + ``position`` x how
    early the articles tell it. The lead is the opening sentence (of some article) with the
    highest news value plus ``completeness`` x its share of the cluster's figures, dates and names
    (who, what, when, where). A one-document summary weighs closeness to the article's own term
    profile against ``single_position`` x how early the sentence comes.
    """

    support: float = 1.0
    agreement: float = 0.3
    echo: float = 0.5
    centrality: float = 0.5
    position: float = 0.4
    completeness: float = 0.3
    single_position: float = 2.0
    lead_words: int = 18  # a lead sentence shorter than this is followed by the next sentence
    lead_window: int = 1  # the lead is taken from the first sentences of an article
    quote_share: float = 0.34  # at most this share of the statements may be quotations
    attribution_cover: float = 0.3  # a citing sentence must carry this share of the statement
    quoted_cover: float = 0.5  # ... and this share when the statement quotes someone


WEIGHTS = SummaryWeights()


def summarize_cluster(cluster: Cluster, docs: Mapping[str, Doc], cfg: Config) -> ClusterSummary:
    """Return the merged, source-attributed summary of one cluster's kept documents.

    Duplicates are copies of kept documents and add no support, so only ``cluster.kept`` is read.
    ``cfg.summary_sentences`` bounds the number of ``statements``. Speaker attribution (quotes),
    the first report and the timeline are separate stages that read the same cluster.
    """
    kept = [docs[i] for i in cluster.kept if i in docs]
    if not kept:
        return ClusterSummary("", "", (), (), (), ())
    if len(kept) == 1:
        return _summarize_single(kept[0], cfg.summary_sentences)
    kept = _cap_docs(kept)
    outlets = unique_in_order(name for d in kept if (name := outlet_or_none(d)))
    dates = tuple(sorted({d.date.value for d in kept if d.date.value}))
    sentences = [s for rank, d in enumerate(kept) for s in _doc_sentences(d, rank)]
    keywords = _keywords(kept)
    if not sentences:
        headline, source = _headline(kept, None, [])
        return ClusterSummary(headline, source, keywords, outlets, dates, ())

    sc = _scores(sentences)
    candidates = _candidates(sentences, sc.score, sc.aligned, sc.centrality)
    lead = _lead(candidates, sentences)
    budget = cfg.summary_sentences
    consensus = _select_consensus(candidates, sentences, sc.sim, budget)
    for cand in consensus:
        elsewhere = {i for other in consensus if other is not cand for i in other.support.values()}
        cand.wording = _wording(cand, sentences, sc.coverage, elsewhere)
    unique_by_outlet = _select_unique(
        sentences, sc.aligned, sc.sim, sc.centrality, consensus, budget
    )
    taken = set(lead) | {i for c in consensus for i in c.support.values()}
    room = 2 * budget - len(consensus)  # spares for the quote cap
    one_outlet = _fill(candidates, sc.sim, taken | _outlet_repeats(sentences, sc.sim), room)
    alone = _alone(sentences, sc.aligned)
    ctx = _Context(sentences, {d.id: d.body for d in kept}, {d.id: d.date.value for d in kept})
    conflicts = tuple(c for cand in consensus for c in _conflicts(cand, ctx))
    value = {c.pivot: c.relevance for c in candidates}
    attributed = [(c, _statement(c, ctx, sc.coverage)) for c in consensus]
    picked = [
        (c.relevance + WEIGHTS.support * (st.support - len(c.outlets)), st) for c, st in attributed
    ]
    picked += [(value[i], _unique_statement(i, sentences, i in alone)) for i in one_outlet]
    said = {sentences[i].text for i in lead}  # the lead is read first: statements do not repeat it
    ranked = [st for _, st in sorted(picked, key=lambda vs: -vs[0]) if st.text not in said]
    statements = _cap_quotes(ranked, budget)
    unique = tuple(
        (
            sentences[idx[0]].named,
            tuple(
                _unique_statement(i, sentences)
                for i in sorted(idx, key=lambda i: (sentences[i].position, sentences[i].rank, i))
            ),
        )
        for idx in unique_by_outlet.values()
        if idx
    )
    best = max(consensus or candidates, key=lambda c: (c.relevance, -c.pivot))
    headline, source = _headline(kept, best, sentences)
    return ClusterSummary(
        headline=headline,
        headline_source=source,
        keywords=keywords,
        outlets=outlets,
        dates=dates,
        statements=statements,
        conflicts=conflicts,
        unique=unique,
        lead=" ".join(sentences[i].text for i in lead),
    )


def _summarize_single(doc: Doc, budget: int) -> ClusterSummary:
    """Summarize a one-document cluster: its most salient sentences in article order, no alignment.

    Salience is closeness to the article's own term profile plus a lead bonus (news puts the
    essentials first, so the bonus outweighs closeness); near-repeats are skipped.
    """
    outlet = outlet_or_none(doc)
    dates = (doc.date.value,) if doc.date.value else ()
    keywords = _keywords([doc])
    headline, source = _headline([doc], None, [])
    sentences = _doc_sentences(doc, 0, anchors=False)
    tf = Counter(t for s in sentences for t in s.tokens)
    norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0

    def salience(s: _Sentence) -> float:
        terms = set(s.tokens)
        central = sum(tf[t] for t in terms) / (norm * math.sqrt(len(terms)))
        return central + WEIGHTS.single_position * (1 - s.position)

    lead = _opening(sentences, _first_telling(sentences).get(doc.id, 0))
    picked: list[int] = []
    for i in sorted(range(len(sentences)), key=lambda i: (-salience(sentences[i]), i)):
        if len(picked) >= budget:
            break
        if i in lead:
            continue  # the lead is read first: statements do not repeat it
        terms = set(sentences[i].tokens)
        if any(_jaccard(terms, set(sentences[j].tokens)) >= REDUNDANT_THRESHOLD for j in picked):
            continue
        picked.append(i)
    statements = tuple(_unique_statement(i, sentences) for i in sorted(picked))
    if not headline and statements:
        headline, source = statements[0].text, doc.id
    return ClusterSummary(
        headline=headline,
        headline_source=source,
        keywords=keywords,
        outlets=(outlet,) if outlet else (),
        dates=dates,
        statements=statements,
        unique=((outlet, statements),) if statements else (),
        lead=" ".join(sentences[i].text for i in lead),
    )


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --- sentences -------------------------------------------------------------------------------


def _outlet(doc: Doc) -> str:
    """Return the key that groups a document's sentences by outlet: each unknown outlet is its own."""
    return outlet_or_none(doc) or doc.id


def _named(indices: Sequence[int], sentences: list[_Sentence]) -> tuple[str | None, ...]:
    """Return the outlets of the sentences as shown, one per outlet in order (None: one unknown)."""
    first = {sentences[i].outlet: sentences[i].named for i in indices}
    return tuple(first.values())


def _cap_docs(kept: list[Doc]) -> list[Doc]:
    """Keep at most MAX_DOCS documents, the ones sharing most terms with the rest."""
    if len(kept) <= MAX_DOCS:
        return kept
    df = Counter(t for d in kept for t in set(d.tokens))
    weight = [sum(df[t] for t in set(d.tokens)) / (1 + len(set(d.tokens))) for d in kept]
    order = sorted(range(len(kept)), key=lambda i: (-weight[i], kept[i].id))[:MAX_DOCS]
    return [kept[i] for i in sorted(order)]


def _shown(printed: str) -> str:
    """Return a sentence fit to show: dateline, tatweel and the page furniture glued to it removed."""
    return tidy_sentence(trim_furniture(tidy_sentence(printed)))


def _title(doc: Doc) -> str:
    """Return a document's title fit to show: furniture, site name, dateline and tatweel removed
    ("" when the title found is a photo caption or a player's notice, not a headline)."""
    if not doc.title.value:
        return ""
    title = strip_site_name(_shown(trim_title(doc.title.value)), outlet_or_none(doc))
    words = (doc.norm_title or normalize_text(doc.title.value)).split()
    if _PHOTO_WORDS.isdisjoint(words) and NOTICE_WORDS.isdisjoint(words):
        return title  # (what is shown holds only words of the title)
    return "" if _is_photo_text(title) else title


def _doc_sentences(doc: Doc, rank: int, anchors: bool = True) -> list[_Sentence]:
    title = doc.norm_title
    code = base_lang(doc.lang)
    raw: list[tuple[str, str, str, tuple[str, ...]]] = []
    seen: set[str] = set(doc.furniture)
    for printed, text, norm in _shown_sentences(doc):
        if text in seen:
            continue
        tokens = tuple(filter(None, content_forms(norm.split(), code)))
        if len(tokens) < MIN_CONTENT_TOKENS:
            continue
        if not text.endswith(_SENTENCE_END) and len(tokens) < 8:
            continue  # headings, captions, bylines
        if norm in seen or (title and norm == title):
            continue
        seen.add(norm)
        raw.append((printed, text, norm, tokens))
        if len(raw) >= MAX_SENTENCES_PER_DOC:
            break
    n = len(raw)
    outlet = _outlet(doc)
    named = outlet_or_none(doc)
    out = []
    for k, (printed, text, norm, tokens) in enumerate(raw):
        quotes = (
            tuple(
                q
                for q in (normalize_text(q, doc.lang) for q in find_quotes(text))
                if len(q) >= QUOTE_MIN_CHARS
            )
            if anchors
            else ()
        )
        position = k / (n - 1) if n > 1 else 0.0
        out.append(
            _Sentence(
                doc.id,
                outlet,
                named,
                doc.lang,
                rank,
                k,
                position,
                text,
                printed,
                norm,
                tokens,
                quotes,
                _anchor_keys(text, tokens) if anchors else frozenset(),
            )
        )
    return out


_FOLD_BLOCK = 32  # sentences normalized together (one array) by _shown_sentences


def _shown_sentences(doc: Doc) -> Iterator[tuple[str, str, str]]:
    """Yield each sentence of ``doc``'s body that may be news, in order: as printed, as shown
    (:func:`_shown`) and normalized (:func:`normalize_text`); page furniture and filler are left
    out. The sentences of a few paragraphs at a time are normalized together."""
    lang = base_lang(doc.lang) if doc.lang else None
    block: list[tuple[str, str]] = []
    for paragraph in doc.paragraphs:
        for printed in split_sentences(paragraph, doc.lang):
            if text := _shown(printed):
                block.append((printed, text))
        if len(block) >= _FOLD_BLOCK:
            yield from _news(block, lang)
            block = []
    yield from _news(block, lang)


def _news(block: list[tuple[str, str]], lang: str | None) -> Iterator[tuple[str, str, str]]:
    """Yield each (printed, shown) pair of ``block`` that is not furniture or filler, with
    :func:`normalize_text` of the shown text (which :func:`is_furniture` reads, but for the
    Turkic languages, whose case folding differs)."""
    folded = fold_lines([text for _, text in block], [lang] * len(block))
    plain = lang not in TURKIC_LANGS
    for (printed, text), lines in zip(block, folded, strict=True):
        norm = "\n".join(line for line in lines if line)
        if not (is_furniture(text, norm if plain else None) or _is_filler(text, norm)):
            yield printed, text, norm


def _anchor_keys(text: str, tokens: Sequence[str]) -> frozenset[str]:
    """Return the keys a sentence can share with a paraphrase: stems cut to KEY_CHARS, and numbers.

    Numbers are keyed by value so that "fourteen", "14" and "١٤" agree; years are left out (they
    date a story rather than state a fact).
    """
    keys = {t[:KEY_CHARS] for t in tokens if not t[0].isdigit() and t not in NUMBER_WORDS}
    for value in number_values(text):
        if not (value.is_integer() and 1900 <= value <= 2100):
            keys.add(f"#{value:g}")
    return frozenset(keys)


# A link or address, or an embedded tweet ("... pic.twitter.com/x — Name (@name) June 20, 2017").
_LINK = re.compile(
    r"https?://|www\.\w|\w@\w+\.\w|pic\.twitter\.com/"
    r"|\(@\w{1,15}\)\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}"
)
# A photo's caption: one that ends in its credit ("Ana Garza (Photo: KENS)") or says what the
# picture shows ("In this Sept. 26, 2006, file photo, ...", "File photo of ...").
_PHOTO_CAPTION = re.compile(
    r"\((?:photograph|photo|image|picture|video|credit)s?\b(?:\s+by|\s+courtesy(?:\s+of)?)?\s*[:：]?"
    r"\s*[^()]{1,60}\)"
    r"\s*\.?\s*$"
    r"|\bin\s+this\s+(?:this\s+)?(?:[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4},?\s+)?(?:file\s+)?"
    r"(?:photo|image|picture)\b|^file\s+(?:photo|image|picture)\b",
    re.IGNORECASE,
)
# Every match of _PHOTO_CAPTION holds one of these as a word of the normalized text.
_PHOTO_WORDS = normalized_words(
    "photograph photographs photo photos image images picture pictures video videos credit credits"
)
_HEADING_WORD = re.compile(r"[A-Z0-9][\w'’.&-]*|(?:a|an|and|at|by|for|in|of|on|or|the|to|with)$")
_FULL_STOP = re.compile(r"[.!…؟?][\"'”’»)\]]*$")


def _is_photo_text(text: str, norm: str | None = None) -> bool:
    """Tell whether ``text`` is a photo's caption (:data:`_PHOTO_CAPTION`) or a notice of the
    page's player, embed or sign-up form (:func:`~clusterer.furniture.is_notice`); ``norm``:
    ``normalize_text(text)``, when known (only a text holding one of their words is searched)."""
    if norm is None:
        norm = normalize_text(text)
    words = norm.split()
    if not _PHOTO_WORDS.isdisjoint(words) and _PHOTO_CAPTION.search(text):
        return True
    return is_notice(text, words)


def _is_filler(text: str, norm: str | None = None) -> bool:
    """Tell whether a sentence is page filler rather than news: a link or address to follow, a
    photo caption or credit, a remark in parentheses, or a Title Case heading without a full stop.
    """
    if _LINK.search(text) or is_caption(text) or _is_photo_text(text, norm):
        return True
    if text[0] in "([" and text[-1] in ")]":
        return True
    words = text.split()
    if _FULL_STOP.search(text) or len(words) < 3:
        return False
    return sum(bool(_HEADING_WORD.match(w)) for w in words) >= 0.8 * len(words)


# A sentence that reports speech without naming the speaker ("وأضاف أنه ...", "He added that ..."):
# read on its own, as a lead or a statement, its words seem to be someone else's.
_UNNAMED_SPEECH = re.compile(
    r"^(?:[وف])?(?:أضاف|اضاف|قال|تابع|أكد|اكد|أوضح|اوضح|أشار|اشار|لفت|بين|شدد|ذكر|أردف|اردف"
    r"|استطرد|أفاد|افاد|نوه|اعتبر|رأى|راى|لفت|زعم|حذر|طالب|دعا|نفى)(?:ت)?"
    r"(?:\s+(?:قائلا|قائلة|بالقول|أيضا|ايضا|كذلك|في (?:تصريح|بيان|حديث|كلمة|مقابلة)\S*))*"
    r"\s*(?:[:،,]|(?:أن|إن|ان)(?:ه|ها|هم)?(?=\s))"
    r"|^(?:(?:But|And|However,?)\s+)?(?:[Hh]e|[Ss]he|[Tt]hey)\s+(?:also\s+)?(?:said|added|noted|continued"
    r"|explained|stressed|argued|warned|insisted|told|says|adds)\b"
)


def _unnamed_speech(text: str) -> bool:
    """Tell whether a sentence opens with a reporting verb whose speaker it does not name.

    >>> _unnamed_speech("وأضاف أنه لن يتم التراجع عن القرار"), _unnamed_speech("He added that talks failed.")
    (True, True)
    >>> _unnamed_speech("وأضاف الوزير أن القرار نهائي"), _unnamed_speech("He was elected in 2010.")
    (False, False)
    """
    return bool(_UNNAMED_SPEECH.match(text))


def _tells(s: _Sentence) -> bool:
    """Tell whether a sentence can open a summary: a statement (not a question, a heading or
    speech whose speaker it does not name) of at least half the lead length."""
    return (
        bool(_FULL_STOP.search(s.text))
        and not _unnamed_speech(s.text)
        and not s.text.rstrip("\"'”’»)]").endswith(("?", "؟"))
        and len(s.text.split()) * 2 >= WEIGHTS.lead_words
    )


def _first_telling(sentences: list[_Sentence]) -> dict[str, int]:
    """Return, per document, the index of its first sentence that can open a summary (else its first)."""
    first: dict[str, int] = {}
    fallback: dict[str, int] = {}
    for i, s in enumerate(sentences):
        fallback.setdefault(s.doc, i)
        if s.doc not in first and _tells(s):
            first[s.doc] = i
    return fallback | first


# --- similarity ------------------------------------------------------------------------------


_HASH = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the polynomial 4-gram key
_SHORT = np.uint64(0x110001)  # not a code point: marks a padded word shorter than 4 characters


def _tfidf(rows: np.ndarray, cols: np.ndarray, n: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return L2-normalized sublinear TF-IDF rows from (row, term column) occurrences, and the idf.

    The weighting is scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (smooth idf), built
    without fitting a vectorizer: the columns are the terms in sorted order.
    """
    if not len(cols):
        return sparse.csr_matrix((n, 1)), np.ones(1)
    width = int(cols.max()) + 1
    # the counts of each (row, column), rows in order and each row's columns sorted: the CSR
    # matrix SciPy builds from the occurrences (duplicates summed), without its conversions
    cells, times = np.unique(rows * width + cols, return_counts=True)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cells // width, minlength=n), out=indptr[1:])
    counts = sparse.csr_matrix(
        (times.astype(np.float64), (cells % width).astype(np.int32), indptr), shape=(n, width)
    )
    df = np.bincount(counts.indices, minlength=width)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    inplace_csr_row_normalize_l2(counts)
    return counts, idf


def _word_rows(sentences: list[_Sentence]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return the word TF-IDF rows (stemmed content tokens) of the sentences, and the idf."""
    rows = np.repeat(np.arange(len(sentences)), [len(s.tokens) for s in sentences])
    column = {t: j for j, t in enumerate(sorted({t for s in sentences for t in s.tokens}))}
    cols = np.array([column[t] for s in sentences for t in s.tokens], dtype=np.int64)
    return _tfidf(rows, cols, len(sentences))


def _char_rows(sentences: list[_Sentence]) -> sparse.csr_matrix:
    """Return the character 4-gram TF-IDF rows of the sentences' normalized text.

    As scikit-learn's ``char_wb`` analyzer: each word padded with a space on either side gives
    its 4-grams (a padded word shorter than that counts once, whole). The grams of all sentences
    are keyed at once with numpy (a polynomial hash of the code points).
    """
    split = [s.norm.split() for s in sentences]
    words = [w for ws in split for w in ws]
    if not words:
        return sparse.csr_matrix((len(sentences), 1))
    per_sentence = list(map(len, split))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
    text = f" {'  '.join(words)} "  # each word with a space on either side
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    word_of = np.repeat(np.arange(len(words)), lengths)
    row_of_word = np.repeat(np.arange(len(sentences)), per_sentence)
    padded = np.concatenate([codes, np.full(3, _SHORT, dtype=np.uint64)])
    starts = np.arange(len(codes))
    ends = np.minimum(starts + 3, len(codes) - 1)
    whole = (starts + 3 < len(codes)) & (word_of[ends] == word_of)
    short = (lengths[word_of] == 3) & (np.concatenate([[True], word_of[1:] != word_of[:-1]]))
    take = whole | short
    keys = np.zeros(len(codes), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(4):
            part = padded[starts + k] if k < 3 else np.where(short, _SHORT, padded[starts + k])
            keys = keys * _HASH + part
    cols = np.unique(keys[take], return_inverse=True)[1].ravel()
    return _tfidf(row_of_word[word_of[take]], cols, len(sentences))[0]


def _scores(sentences: list[_Sentence]) -> _Scores:
    """Return the pair scores of every two sentences of the cluster, and each sentence's centrality.

    The lexical score mixes word TF-IDF cosine, character n-gram cosine and idf-weighted term
    coverage. The anchored score adds a bonus for the anchors two sentences of different documents
    share (see :func:`_anchor_bonus`); it is what alignment uses.
    """
    n = len(sentences)
    w, idf = _word_rows(sentences)
    c = _char_rows(sentences)
    word_cos = gram(_parts(w), _parts(w), w.shape[1])
    char_cos = gram(_parts(c), _parts(c), c.shape[1])
    sim = (word_cos + char_cos) / 2.0
    coverage = _coverage(w, idf)
    score = 0.35 * word_cos + 0.35 * char_cos + 0.30 * coverage

    quoting = np.array([bool(s.quotes) for s in sentences])
    near = (char_cos > 0.1) & (quoting[:, None] | quoting[None, :])
    repeats: dict[tuple[str, str], bool] = {}  # both (p, s) and (s, p) try the same quotations
    for p, s_idx in zip(*np.nonzero(near), strict=True):
        sp, ss = sentences[p], sentences[s_idx]
        if ss.doc != sp.doc and _quote_cover(sp, ss, repeats) >= QUOTE_COVER:
            score[p, s_idx] = max(score[p, s_idx], ALIGN_THRESHOLD + 0.1)
    aligned = _anchored(sentences, score)
    centroid = np.asarray(w.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid)) or 1.0
    centrality = np.asarray(w @ (centroid / norm)).ravel()
    for matrix in (score, aligned, sim, coverage):
        np.fill_diagonal(matrix, 1.0)
    assert score.shape == (n, n)
    return _Scores(score, aligned, coverage, sim, centrality)


def compile_kernels() -> None:
    """Compile the kernel that the pair scores use (before worker processes fork: each would
    compile its own)."""
    w, _ = _tfidf(np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), 1)
    gram(_parts(w), _parts(w), w.shape[1])


def _parts(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return m.indptr, m.indices, m.data


def _coverage(w: sparse.csr_matrix, idf: np.ndarray) -> np.ndarray:
    """Return coverage[p, s]: the idf-weighted share of p's content terms that s also uses.

    The values, to the last bit, of ``weighted @ binary.T`` over the row sums of ``weighted``
    (``binary`` the terms each row uses, ``weighted = binary @ diags(idf)``): SciPy's product
    with the diagonal lists each row's terms in reverse, which sets the order of the sums.
    """
    n = w.shape[0]
    sizes = np.diff(w.indptr)
    row = np.repeat(np.arange(n), sizes)
    reverse = w.indptr[row] + w.indptr[row + 1] - 1 - np.arange(w.indices.size)
    indices = w.indices[reverse]
    weights = idf[indices]
    totals = np.zeros(n)
    nonempty = np.flatnonzero(sizes)
    if nonempty.size:
        totals[nonempty] = np.add.reduceat(weights, w.indptr[nonempty])
    totals[totals == 0] = 1.0
    ones = np.ones(w.indices.size)
    covered = gram((w.indptr, indices, weights), (w.indptr, w.indices, ones), w.shape[1])
    return covered / totals[:, None]


def _anchor_bonus(
    sentences: list[_Sentence], ranks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the pairs of sentences of different documents that share anchors, and the bonus
    each pair earns: ``(rows, cols, bonus)``, each pair once (a sparse matrix's coordinates).

    An anchor is a key (stem or number) that each of the two documents uses in exactly one
    sentence: a rare word or a figure that two outlets both mention once ties those two sentences
    together even when the rest is paraphrased. Specific numbers (decimals, 11 and more) count
    most, small counts less, 0 and 1 not at all. ``ranks``: each sentence's document rank.
    """
    n = len(sentences)
    every = list(chain.from_iterable(s.keys for s in sentences))
    index = {k: j for j, k in enumerate(dict.fromkeys(every))}  # key -> column, first seen first
    none = np.zeros(0, dtype=np.int64)
    if not every:
        return none, none, np.zeros(0)
    key_of = np.fromiter(map(index.__getitem__, every), dtype=np.int64, count=len(every))
    row_of = np.repeat(np.arange(n, dtype=np.int64), [len(s.keys) for s in sentences])
    # the keys each document uses in exactly one sentence (a sentence's keys are a set)
    doc_key = ranks[row_of] * len(index) + key_of
    _, at, uses = np.unique(doc_key, return_inverse=True, return_counts=True)
    once = uses[at.ravel()] == 1
    kind_of = np.fromiter(map(_anchor_kind, index), dtype=np.int64, count=len(index))[key_of]
    take = once & (kind_of < len(_ANCHOR_WEIGHTS))
    # each anchor (a key of one kind: words, specific numbers, small counts; 0 and 1 none) ties
    # every two of the sentences that use it: pairs counted per kind, each kind's bonus capped
    pairs, kinds = _shared_pairs(key_of[take], row_of[take], kind_of[take], n)
    if not pairs.size:
        return none, none, np.zeros(0)
    row, col = pairs // n, pairs % n
    other = ranks[row] != ranks[col]
    (coded, pair_of), kinds = np.unique(pairs[other], return_inverse=True), kinds[other]
    pair_of = pair_of.ravel()
    counts = np.bincount(kinds * coded.size + pair_of, minlength=len(_ANCHOR_WEIGHTS) * coded.size)
    earned = [
        weight * np.minimum(counts[k * coded.size : (k + 1) * coded.size].astype(np.float64), most)
        for k, (weight, most) in enumerate(
            zip(_ANCHOR_WEIGHTS, (ANCHOR_MAX_WORDS, 1, 1), strict=True)
        )
    ]
    # a pair's bonus sums its kinds in order (as adding each kind to a matrix of zeros would)
    bonus = earned[0]
    for part in earned[1:]:
        bonus = bonus + part
    return coded // n, coded % n, bonus


_ANCHOR_WEIGHTS = (ANCHOR_WORD, ANCHOR_NUMBER, ANCHOR_SMALL_NUMBER)


def _shared_pairs(
    key_of: np.ndarray, row_of: np.ndarray, kind_of: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return every ordered pair of rows (``row * n + col``, self pairs included) that share a
    key, once per key they share, with the key's kind (what the product of the key incidence
    matrix with its transpose counts)."""
    order = np.lexsort((row_of, key_of))
    key_of, row_of, kind_of = key_of[order], row_of[order], kind_of[order]
    _, first, size = np.unique(key_of, return_index=True, return_counts=True)
    per_key = size * size
    offset = np.repeat(first, per_key)
    within = np.arange(int(per_key.sum())) - np.repeat(np.cumsum(per_key) - per_key, per_key)
    width = np.repeat(size, per_key)
    a, b = offset + within // width, offset + within % width
    return row_of[a] * n + row_of[b], kind_of[a]


@lru_cache(maxsize=1 << 16)
def _anchor_kind(key: str) -> int:
    """Return the kind of an anchor key: 0 a word, 1 a specific number, 2 a small count, 3 none."""
    if not key.startswith("#"):
        return 0
    value = float(key[1:])
    return 1 if (not value.is_integer() or value > 10) else 2 if value > 1 else 3


def _anchored(sentences: list[_Sentence], score: np.ndarray) -> np.ndarray:
    """Return the lexical score plus the anchor bonus, discounted for long documents.

    In short reports each sentence carries one or two facts, so a word or figure both documents
    use once marks the same fact; long articles cite the same figure in different contexts, so
    the bonus shrinks with the square of the documents' length beyond ANCHOR_DOC_SENTENCES.
    Only pairs whose lexical score reaches ANCHOR_FLOOR earn it.
    """
    ranks = np.array([s.rank for s in sentences], dtype=np.int64)
    rows, cols, bonus = _anchor_bonus(sentences, ranks)
    lexical = score[rows, cols]
    earns = lexical >= ANCHOR_FLOOR
    rows, cols, bonus, lexical = rows[earns], cols[earns], bonus[earns], lexical[earns]
    length = np.bincount(ranks).astype(np.float64)[ranks]
    scale = np.minimum(1.0, ANCHOR_DOC_SENTENCES**2 / (length[rows] * length[cols]))
    anchored = score.copy()
    anchored[rows, cols] = lexical + bonus * scale
    return anchored


def _quote_cover(pivot: _Sentence, other: _Sentence, repeats: dict[tuple[str, str], bool]) -> float:
    """Return the share of ``pivot`` made of a quotation that ``other`` repeats (0 when none).

    ``repeats`` remembers each (quotation, sentence) test: the pair's other direction makes the
    same tests, and the fuzzy match is the costly part.
    """
    best = 0.0
    for quote, target in [(q, other.norm) for q in pivot.quotes] + [
        (q, pivot.norm) for q in other.quotes
    ]:
        found = repeats.get((quote, target))
        if found is None:
            found = repeats[quote, target] = _repeats(quote, target)
        if found:
            shared = min(len(quote), len(target), len(other.norm))
            best = max(best, shared / max(1, len(pivot.norm)))
    return best


def _repeats(quote: str, target: str) -> bool:
    """Tell whether ``target`` repeats the quotation (a QUOTE_MATCH partial match)."""
    return (
        _may_contain(quote, target)
        and fuzz.partial_ratio(quote, target, score_cutoff=QUOTE_MATCH) >= QUOTE_MATCH
    )


def _may_contain(quote: str, target: str) -> bool:
    """Cheap necessary test before fuzzy matching: a third of the quotation's words occur in target.

    A 90% partial match leaves most words of the quotation intact, so pairs sharing fewer words
    cannot match and skip the costly alignment.
    """
    words = _word_set(quote)
    return len(words & _word_set(target)) * 3 >= len(words)


@lru_cache(maxsize=1 << 14)  # a sentence is tested against every other of its cluster
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- statements ------------------------------------------------------------------------------


def _candidates(
    sentences: list[_Sentence], score: np.ndarray, aligned: np.ndarray, centrality: np.ndarray
) -> list[_Candidate]:
    """Make every sentence the pivot of a statement and find its support in the other documents.

    A document supports the pivot with its best-matching sentence when the anchored score clears
    ALIGN_THRESHOLD; below it, the match still counts towards the pivot's echo (news value).
    """
    docs, best, clear, echo = _best_matches(sentences, aligned)
    best_of, clears, echo_of = best.tolist(), clear.tolist(), echo.tolist()
    out: list[_Candidate] = []
    for p, sp in enumerate(sentences):
        support = {sp.doc: p}
        echoes = []
        for k, doc in enumerate(docs):
            if doc == sp.doc:
                continue
            echoes.append(echo_of[p][k])
            if clears[p][k]:
                support[doc] = best_of[p][k]
        outlets = unique_in_order(
            sentences[i].outlet for i in sorted(support.values(), key=lambda i: sentences[i].rank)
        )
        others = [i for d, i in support.items() if d != sp.doc]
        agreement = (
            sum(min(1.0, aligned[p, i]) + min(1.0, aligned[i, p]) for i in others)
            / (2 * len(others))
            if others
            else 0.0
        )
        lead = 1.0 - sum(sentences[i].position for i in support.values()) / len(support)
        relevance = (
            WEIGHTS.support * len(outlets)
            + WEIGHTS.agreement * agreement
            + WEIGHTS.centrality * float(centrality[p])
            + WEIGHTS.position * lead
            + WEIGHTS.echo * (sum(echoes) / len(echoes) if echoes else 0.0)
        )
        out.append(_Candidate(p, support, outlets, relevance))
    return out


def _best_matches(
    sentences: list[_Sentence], aligned: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Return the documents (in order) and, for each sentence and document, the best match there
    (the first of equals), whether it clears ALIGN_THRESHOLD, and its echo: the higher of the
    two directed scores, at most 1."""
    n = len(sentences)
    starts = [i for i in range(n) if i == 0 or sentences[i].doc != sentences[i - 1].doc]
    best = np.stack(
        [
            lo + aligned[:, lo:hi].argmax(axis=1)
            for lo, hi in zip(starts, [*starts[1:], n], strict=True)
        ],
        axis=1,
    )
    mine = np.take_along_axis(aligned, best, axis=1)
    theirs = aligned[best, np.arange(n)[:, None]]
    echo = np.minimum(1.0, np.maximum(mine, theirs))
    return [sentences[i].doc for i in starts], best, mine >= ALIGN_THRESHOLD, echo


def _wording(
    cand: _Candidate, sentences: list[_Sentence], coverage: np.ndarray, elsewhere: set[int]
) -> int:
    """Return the supporting sentence whose content the other supporting sentences cover best.

    The sentence that says least beyond what every source says is the fairest text for a
    statement several outlets support. Sentences that also support another chosen statement
    are used only when no other will do, and a sentence that names its speaker is preferred to
    one that does not ("He added that ..."); the pivot wins ties.
    """
    members = sorted(set(cand.support.values()))
    if len(members) < 2:
        return cand.pivot

    def key(m: int) -> tuple[bool, bool, float, bool, int]:
        covered = min(float(coverage[m, e]) for e in members if e != m)
        return (
            m not in elsewhere,
            not _unnamed_speech(sentences[m].text),
            covered,
            m == cand.pivot,
            -m,
        )

    return max(members, key=key)


def _select_consensus(
    candidates: list[_Candidate],
    sentences: list[_Sentence],
    sim: np.ndarray,
    budget: int,
) -> list[_Candidate]:
    """Pick the statements of most news value with maximal marginal relevance."""
    pool = [c for c in candidates if len(c.outlets) >= 2]
    if not pool:
        return []
    held = {c.pivot: frozenset(c.support.values()) for c in pool}
    # each candidate's highest redundancy with the statements chosen so far: a new choice can
    # only raise it, so each round compares the pool with the last one chosen alone
    worst = dict.fromkeys(held, 0.0)
    chosen: list[_Candidate] = []
    while pool and len(chosen) < budget:
        best: tuple[float, int] | None = None
        survivors = []
        for cand in pool:
            if chosen:
                worst[cand.pivot] = max(worst[cand.pivot], _redundancy(cand, chosen[-1], sim, held))
            redundancy = worst[cand.pivot]
            if redundancy >= REDUNDANT_THRESHOLD:
                continue
            survivors.append(cand)
            value = MMR_LAMBDA * cand.relevance - (1 - MMR_LAMBDA) * redundancy
            if best is None or value > best[0] + 1e-12:
                best = (value, len(survivors) - 1)
        if best is None:
            break
        chosen.append(survivors.pop(best[1]))
        pool = survivors
    return chosen


def _redundancy(
    a: _Candidate, b: _Candidate, sim: np.ndarray, held: Mapping[int, frozenset[int]]
) -> float:
    """Return how much statement ``a`` repeats statement ``b`` (1.0: one supports the other).

    ``held``: each candidate's supporting sentences (by pivot), made into sets once.
    """
    in_a, in_b = held[a.pivot], held[b.pivot]
    if a.pivot in in_b or b.pivot in in_a:
        return 1.0
    shared = len(in_a & in_b)
    if shared >= 2 and shared * 2 >= min(len(a.support), len(b.support)):
        return 1.0
    return float(sim[a.pivot, b.pivot])


def _alone(sentences: list[_Sentence], score: np.ndarray) -> set[int]:
    """Return the sentences no other outlet reports: none of its sentences scores UNIQUE_THRESHOLD
    with them either way (every sentence, when the cluster has a single outlet)."""
    outlet = np.array([s.outlet for s in sentences])
    other = outlet[:, None] != outlet[None, :]
    if not other.any():
        return set(range(len(sentences)))
    best = np.where(other, np.maximum(score, score.T), 0.0).max(axis=1)
    return {int(i) for i in np.nonzero(best < UNIQUE_THRESHOLD)[0]}


def _select_unique(
    sentences: list[_Sentence],
    score: np.ndarray,
    sim: np.ndarray,
    centrality: np.ndarray,
    consensus: list[_Candidate],
    budget: int,
) -> dict[str, list[int]]:
    """Pick, per outlet, the sentences no other outlet reports (most central first)."""
    outlets = unique_in_order(s.outlet for s in sentences)
    used = {i for c in consensus for i in c.support.values()}
    lonely = len(outlets) == 1
    alone = _alone(sentences, score) - (set() if lonely else used)
    result: dict[str, list[int]] = {}
    for outlet in outlets:
        ranked = sorted(
            (-(float(centrality[i]) + (0.5 if lonely else 0.1) * (1 - s.position)), i)
            for i, s in enumerate(sentences)
            if s.outlet == outlet and i in alone
        )
        picked: list[int] = []
        for _, i in ranked:
            if len(picked) >= budget:
                break
            if any(sim[i, j] >= REDUNDANT_THRESHOLD for j in picked):
                continue
            picked.append(i)
        result[outlet] = picked
    return result


def _statement(cand: _Candidate, ctx: _Context, coverage: np.ndarray) -> Statement:
    """Return the statement of a chosen candidate, citing only the outlets that print its fact.

    The statement is worded by one supporting sentence. Another document is cited only when its
    own sentence carries enough of that wording (``attribution_cover``), prints every quotation
    in it word for word, and gives no different figure for the same thing (that is a conflict).
    """
    sentences = ctx.sentences
    wording = cand.wording if cand.wording >= 0 else cand.pivot
    text = sentences[wording].text
    quotes = [q for q in (_flat(q) for q in find_quotes(text) + _SINGLE_QUOTED.findall(text)) if q]
    kept = sorted(
        (
            (doc, i)
            for doc, i in cand.support.items()
            if i == wording
            or _carries(sentences[wording], quotes, sentences[i], float(coverage[wording, i]))
        ),
        key=lambda kv: sentences[kv[1]].rank,
    )
    flat_text = _flat(text)
    evidence = tuple(
        Evidence(
            doc,
            sentences[i].named,
            sentences[i].printed,
            "verbatim" if flat_text in ctx.flat_body(doc) else "paraphrase",
        )
        for doc, i in kept
    )
    outlets = _named([i for _, i in kept], sentences)
    return Statement(
        text=text,
        sources=tuple(doc for doc, _ in kept),
        outlets=outlets,
        support=len(outlets),
        evidence=evidence,
        # (an outlet whose own wording was not carried still reported the fact: not "only this one")
        unique=len(outlets) == 1 and len(cand.outlets) == 1,
    )


def _carries(mine: _Sentence, quotes: list[str], other: _Sentence, cover: float) -> bool:
    """Tell whether ``other`` carries the fact worded by ``mine``: enough of its wording
    (``attribution_cover``; with quotations, ``quoted_cover`` of it and the quotations word for
    word, letters as printed), and no different figure. A shared figure alone never credits a
    sentence that carries little else of the wording: the rest of the statement is another fact."""
    text = mine.text
    need = WEIGHTS.attribution_cover
    if quotes:  # quoted words are credited only with enough of what frames them
        need = max(need, WEIGHTS.quoted_cover)
    if cover < need:
        return False
    flat = _flat(other.text)
    if any(q not in flat for q in quotes):
        return False
    theirs = set(other.tokens)
    if not _carries_beyond_frame(mine, theirs, need):
        return False
    if not all(_carried(c, theirs, CLAUSE_COVER) for c in _clause_forms(mine.text, mine.lang)):
        return False  # a statement joining two facts: "b" must print some of each
    return not figures_differ(text, other.text, other.lang)


def _carried(forms: Collection[str], theirs: set[str], need: float) -> bool:
    """Tell whether ``theirs`` holds at least ``need`` of ``forms``."""
    return sum(t in theirs for t in forms) >= need * len(forms)


# where a sentence joins two facts: ", and", ", but", ", while", ";", Arabic "، و"
_CLAUSE_JOIN = re.compile(r"[,،]\s*(?:and|but|while|whereas|و)\s+|[,،]\s*و(?=\w)|;\s+|؛\s*")
CLAUSE_MIN_FORMS = 3  # a clause this long (content words) is a fact of its own
CLAUSE_COVER = 0.2  # share of each such clause a citing sentence must carry


def _clauses(text: str) -> list[str]:
    """Split a sentence where it joins two facts; never inside an enumeration ("Clark, Lee,
    Nelson, and Robinson traveled ...": a comma a few words before the join lists names)."""
    parts: list[str] = []
    start = 0
    for m in _CLAUSE_JOIN.finditer(text):
        item = text[start : m.start()].rsplit(",", 1)
        if m.group().startswith((",", "،")) and len(item) > 1 and len(item[1].split()) <= 3:
            continue
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    return parts


@lru_cache(maxsize=1 << 12)
def _clause_forms(text: str, lang: str) -> tuple[frozenset[str], ...]:
    """Return the content forms of each clause of a sentence that joins several (frames left out);
    () for a sentence of one clause."""
    parts = _clauses(text)
    if len(parts) < 2:
        return ()
    frame = _frame_forms(text, lang)
    clauses = (frozenset(content_tokens(p, lang)) - frame for p in parts)
    return tuple(c for c in clauses if len(c) >= CLAUSE_MIN_FORMS)


def _carries_beyond_frame(mine: _Sentence, theirs: set[str], need: float) -> bool:
    """Tell whether ``theirs`` (a citing sentence's tokens) holds ``need`` of the content words of
    ``mine`` that are not its attribution frame (the speaker and the reporting verb: "Pollock said
    ..."). A sentence that quotes the same person on something else shares the frame, not the fact."""
    frame = _frame_forms(mine.text, mine.lang)
    rest = [t for t in mine.tokens if t not in frame] if frame else []
    return not rest or _carried(rest, theirs, need)


@lru_cache(maxsize=1 << 12)  # a statement is tested against each supporting sentence
def _frame_forms(text: str, lang: str) -> frozenset[str]:
    """Return the content forms of the attribution frames of a sentence (:func:`speech_frames`)."""
    return frozenset(content_tokens(" ".join(speech_frames(text, lang)), lang))


def _unique_statement(i: int, sentences: list[_Sentence], unique: bool = True) -> Statement:
    """Return sentence ``i`` as a statement of its own outlet (``unique``: no other reports it)."""
    s = sentences[i]
    evidence = (Evidence(s.doc, s.named, s.printed, "verbatim"),)
    return Statement(s.text, (s.doc,), (s.named,), 1, evidence, unique)


def _outlet_repeats(sentences: list[_Sentence], sim: np.ndarray) -> set[int]:
    """Return the sentences another document of the same outlet prints (nearly) word for word:
    the outlet's page furniture (a login box, a standard footer) more often than news."""
    outlet = np.array([s.outlet for s in sentences])
    doc = np.array([s.doc for s in sentences])
    same = (outlet[:, None] == outlet[None, :]) & (doc[:, None] != doc[None, :])
    return {int(i) for i in np.nonzero(((sim >= 0.9) & same).any(axis=1))[0]}


def _fill(candidates: list[_Candidate], sim: np.ndarray, taken: set[int], room: int) -> list[int]:
    """Return up to ``room`` more sentences, most news value first, that repeat none taken.

    These are the sentences of one outlet: those another outlet reports only in part (too little
    for a shared statement), often the most central of the story, and those no other outlet
    reports. Each is credited to its own outlet alone. A sentence close to one taken
    (REPEAT_THRESHOLD) adds too little to be worth its words.
    """
    out: list[int] = []
    chosen = sorted(taken)
    for cand in sorted(candidates, key=lambda c: (-c.relevance, c.pivot)):
        if len(out) >= room:
            break
        i = cand.pivot
        if i in taken or (chosen and float(sim[i, chosen].max()) >= REPEAT_THRESHOLD):
            continue
        out.append(i)
        chosen.append(i)
    return out


def _cap_quotes(statements: list[Statement], budget: int) -> tuple[Statement, ...]:
    """Keep the first ``budget`` statements, skipping quotations beyond ``quote_share`` of them."""
    room = max(1, math.ceil(WEIGHTS.quote_share * budget))
    out: list[Statement] = []
    for st in statements:
        if len(out) >= budget:
            break
        if find_quotes(st.text):
            if room == 0:
                continue
            room -= 1
        out.append(st)
    return tuple(out)


def _lead(candidates: list[_Candidate], sentences: list[_Sentence]) -> list[int]:
    """Return the lead: the opening sentence with most news value, plus the next when it is short.

    Only the first ``lead_window`` sentences of each article compete; news value is the
    candidate's relevance (support across outlets, agreement, centrality, position) plus how many
    of the cluster's shared figures and names it states (completeness).
    """
    df = Counter(k for s in sentences for k in s.keys)
    shared = {k for k, n in df.items() if n >= 2}

    def value(c: _Candidate) -> float:
        keys = sentences[c.pivot].keys
        complete = len(keys & shared) / (1 + len(keys))
        return c.relevance + WEIGHTS.completeness * complete

    first = _first_telling(sentences)
    opening = [
        c for c in candidates if 0 <= c.pivot - first[sentences[c.pivot].doc] < WEIGHTS.lead_window
    ]
    if not opening:
        return []
    return _opening(sentences, max(opening, key=lambda c: (value(c), -c.pivot)).pivot)


def _opening(sentences: list[_Sentence], first: int) -> list[int]:
    """Return ``first`` and, when it is shorter than ``lead_words``, the sentence after it."""
    if first >= len(sentences):
        return []
    nxt = first + 1
    short = len(sentences[first].text.split()) < WEIGHTS.lead_words
    if short and nxt < len(sentences) and sentences[nxt].doc == sentences[first].doc:
        return [first, nxt]
    return [first]


_NON_WORD = re.compile(r"[\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_SINGLE_QUOTED = re.compile("\u2018([^\u2018\u2019]+)\u2019")  # ‘...’ (an apostrophe never opens)


def _flat(text: str) -> str:
    """Fold text for verbatim tests: case, Arabic marks and tatweel, punctuation and spaces.

    Letters stay as printed (alef, hamza and ya forms are not folded): a quotation or a
    sentence is credited as printed only when the outlet spelled it the same way.
    """
    folded = strip_tashkeel(unicodedata.normalize("NFKC", text).casefold())
    return " ".join(filter(None, _NON_WORD.split(folded)))


def _conflicts(cand: _Candidate, ctx: _Context) -> list[Conflict]:
    """Return the figure and date disagreements between the sentences that aligned with a statement."""
    text = ctx.sentences[cand.wording if cand.wording >= 0 else cand.pivot].text
    claims = [
        Claim(doc, s.outlet, s.text, s.lang, ctx.dates.get(doc))
        for doc, s in sorted(
            ((d, ctx.sentences[i]) for d, i in cand.support.items()), key=lambda ds: ds[1].rank
        )
    ]
    named: dict[str | None, str | None] = {s.outlet: s.named for s in ctx.sentences}
    return [
        dataclasses.replace(
            c,
            versions=tuple(
                (value, docs, tuple(named[o] for o in outs)) for value, docs, outs in c.versions
            ),
        )
        for c in find_conflicts(text, claims)
    ]


# --- headline and keywords -------------------------------------------------------------------


def _headline(
    kept: list[Doc], lead: _Candidate | None, sentences: list[_Sentence]
) -> tuple[str, str]:
    """Return the most central confident title, else the best-supported lead sentence."""
    shown = {d.id: _title(d) for d in kept}
    titled = [d for d in kept if shown[d.id] and d.title.confidence >= 0.5 and d.title_tokens]
    if titled:
        if len(kept) == 1:
            return shown[titled[0].id], titled[0].id
        df = Counter(t for d in kept for t in set(d.tokens))

        def centrality(d: Doc) -> float:
            terms = set(d.title_tokens)
            # fsum is exactly rounded in any set order: equal titles tie the same way every run
            shared = math.fsum(math.log(1 + df[t] - (t in d.tokens)) for t in terms)
            return shared / math.sqrt(len(terms))

        best = max(titled, key=lambda d: (centrality(d), -kept.index(d)))
        return shown[best.id], best.id
    if lead is not None:
        s = sentences[lead.pivot]
        return s.text, s.doc
    return shown[kept[0].id], kept[0].id


def _keywords(kept: list[Doc]) -> tuple[str, ...]:
    """Return the content terms most shared across the documents, in a readable surface form."""
    df: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    for d in kept:
        df.update(set(d.tokens))
        tf.update(d.tokens)
    ranked = heapq.nsmallest(
        KEYWORDS * 3,
        [
            (-(n * (1 + math.log(tf[t]))), t)
            for t, n in df.items()
            if not t.isdigit() and len(t) > 1
        ],
    )
    scored = [t for _, t in ranked]
    wanted = set(scored)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for d in kept:
        words = Counter(_LETTERS.findall(" ".join((d.title.value or "", d.body))))
        stems = _word_stems(list(words), d.lang)
        for (word, count), stem in compress(
            zip(words.items(), stems, strict=True), map(wanted.__contains__, stems)
        ):
            surfaces[stem][word] += count
    out: list[str] = []
    for t in scored:
        forms = surfaces.get(t)
        if not forms:
            continue
        word = min(forms, key=lambda w: (_prefix_penalty(w), -forms[w], w))
        if word not in out and word.casefold() not in {o.casefold() for o in out}:
            out.append(word)
        if len(out) >= KEYWORDS:
            break
    return tuple(out)


# per language: word -> its one content stem ("" for a stop word or a word of several stems)
_STEMS: dict[str, dict[str, str]] = {}


def _word_stems(words: list[str], lang: str) -> list[str]:
    """Return the one content stem of each word ("" for a stop word or a word of several stems).

    A word folds to its own line (the words are folded together, one line each): a word that
    folds to one word takes that word's content form, any other the one stem of its words
    (:func:`word_stems`). Each word is stemmed once per process.
    """
    cache = word_cache(_STEMS, lang)
    stems = list(map(cache.get, words))
    if None in stems:
        missing = list(dict.fromkeys(compress(words, map(is_, stems, repeat(None)))))
        code = base_lang(lang)
        lines = [line.split() for line in fold_text("\n".join(missing), code).split("\n")]
        if len(lines) != len(missing):  # (no letter folds to a line break: never so far)
            lines = [fold_text(w, code).split() for w in missing]
        one = [k for k, line in enumerate(lines) if len(line) == 1]
        for k, form in zip(one, content_forms([lines[k][0] for k in one], code), strict=True):
            cache[missing[k]] = form
        for word, line in zip(missing, lines, strict=True):
            if len(line) != 1:
                found = word_stems(word, lang)
                cache[word] = found[0] if len(found) == 1 else ""
        stems = list(map(cache.__getitem__, words))
    return stems  # type: ignore[return-value]


def _prefix_penalty(word: str) -> int:
    return 1 if re.match(r"^(?:و|ف|ب|ل|ك)(?:ال|ل)", word) else 0
