"""Independent checks of the merged summaries in ``cluster``'s JSON output (the measuring instrument).

Nothing here imports the summarizer or reuses its aligner: the checks read the public JSON output
(``clusterer.report_to_dict`` or the ``cluster`` command) and the ORIGINAL article text, read by the
caller from the input files, never the tool's cleaned body.

Folding (:func:`fold`) is deliberately light: NFKC, casefold, Arabic diacritics and tatweel dropped,
every run of punctuation or whitespace made one space. "Occurs" means the folded needle is found in
the folded document on word boundaries.

A citation (one evidence entry of a statement or unique fact: statement S cites document D with
D's sentence E) holds when

- E occurs in D (the outlet printed that sentence);
- E supports S: at least ``CONTAINMENT`` of S's character 5-grams, or at least ``WORD_CONTAINMENT``
  of S's content words (folded words of 3+ characters outside a small stop list), are in E;
- every quoted span of S (text between quotation marks of any script, at least ``MIN_QUOTE_WORDS``
  words) occurs in D: an outlet is credited with quoted words only if it printed them;
- when the entry says ``"match": "verbatim"``, S itself occurs in D.

A quote citation is one of: a citation whose statement holds a quoted span, or one source of a
``quotes`` entry (``{"speaker", "text", "sources", "outlets"}``), which holds when the quote's text
occurs in that source. Fields the output does not have yet (``lead``, ``quotes``, ``match``) are
simply not checked.

Furniture (:func:`find_furniture`): a displayed line or sentence (headline, lead, statement, quote,
unique fact) that contains a line the tool itself learned as an outlet's boilerplate, or matches
one of :data:`FURNITURE_PATTERNS` (copyright, share/menu/masthead lines, tatweel, datelines).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

CONTAINMENT = 0.3  # share of the statement's character 5-grams found in the evidence sentence
WORD_CONTAINMENT = 0.5  # or: share of the statement's content words found in it
MIN_QUOTE_WORDS = 3
MIN_BOILERPLATE_WORDS = 3  # shorter learned boilerplate lines are too generic to match on

_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, Quranic marks, tatweel
_NON_WORD = re.compile(r"[\W_]+")
# fmt: off
_STOP = frozenset((
    "the", "and", "for", "that", "with", "from", "this", "was", "were", "are", "has", "have",
    "had", "will", "would", "said", "says", "not", "but", "its", "his", "her", "their", "they",
    "who", "which", "when", "what", "into", "about", "after", "over", "than", "also", "been",
    "more", "one", "two", "في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "إن", "التي", "الذي",
    "الذين", "هذا", "هذه", "ذلك", "تلك", "مع", "كما", "بعد", "قبل", "كان", "كانت", "قد", "وقال",
    "قال", "أو", "او", "ثم", "حتى", "لم", "لن", "ما", "لا", "هو", "هي", "وفي", "ومن",
))
# fmt: on
# a closed pair of quotation marks around at least one character, in any common script
_QUOTED = (
    re.compile(r'"([^"]+)"'),
    re.compile("\u201c([^\u201c\u201d]+)\u201d"),  # “...”
    re.compile("\u201e([^\u201c\u201d\u201e]+)[\u201c\u201d]"),  # „...“
    re.compile("\u00ab([^\u00ab\u00bb]+)\u00bb"),  # «...»
    re.compile("\u2018([^\u2018\u2019]+)\u2019"),  # ‘...’
    re.compile(r"(?:^|(?<=[\s(\[]))'([^'\n]+?)'(?=[\s.,;:!?)\]]|$)"),  # '...', not apostrophes
)
# "WASHINGTON —", "NEW YORK (AP) -", "PARIS, France —" at the start of a sentence
_EN_DATELINE = (
    r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.]+)*(?: \([^)]+\))?(?:\s+[-—–]+\s|\s*[—–])"
)
_UNIT_SPLIT = re.compile(r"\n+|(?<=[.!?؟])\s+")
# (name, pattern) pairs; matched against the raw (unfolded) line or sentence
FURNITURE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("copyright", re.compile(r"©|\bcopyright\b|all rights reserved|حقوق (النشر|الطبع)", re.I)),
    ("copyright", re.compile(r"جميع الحقوق محفوظة|الحقوق محفوظة")),
    ("credits", re.compile(r"designe?d? (and|&) develop|powered by|developed by", re.I)),
    ("share", re.compile(r"\bshare (this|on)\b|\b(tweet|whatsapp|facebook|print|email)\s*$", re.I)),
    ("share", re.compile(r"شارك(ها)? (على|عبر)|تابعونا|اضغط هنا|اقرأ أيضا|اقرأ ايضا|إقرأ أيضا")),
    ("menu", re.compile(r"(^|\s)القائمة(\s+(أخر|آخر|اخر|الرئيسية)|\s*$)|(أخر|آخر) الأخبار")),
    ("menu", re.compile(r"\b(skip to (main )?content|main menu|sign in|subscribe now)\b", re.I)),
    ("masthead", re.compile(r"رئيس مجلسى? الإ?ا?دارة|رئيس التحرير|editor[- ]in[- ]chief", re.I)),
    (
        "masthead",
        re.compile(
            r"العدد \d+ (الأحد|الاحد|الإثنين|الاثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت)"
        ),
    ),
    (
        "masthead",
        re.compile(r"(آخر|اخر|أخر) تحديث\s*:?\s*(GMT|\d)|\blast updated?\s*:?\s*\d", re.I),
    ),
    ("tatweel", re.compile("\u0640")),
    ("dateline", re.compile(_EN_DATELINE)),
    (
        "dateline",
        re.compile(r"^[\u0600-\u06ff]+(?: [\u0600-\u06ff]+){0,2}\s*\([^)]{2,40}\)\s*[-–—:]"),
    ),
)


def fold(text: str) -> str:
    """Return the text NFKC-normalized, casefolded, without Arabic marks or tatweel, punctuation as spaces.

    Examples
    --------
    >>> fold("قالَ: «السلامُ»  Hello,   World!")
    'قال السلام hello world'
    """
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _NON_WORD.sub(" ", text).strip()


def fold_document(text: str) -> str:
    """Return the folded document padded with spaces, ready for :func:`occurs`."""
    return f" {fold(text)} "


def occurs(needle: str, folded_doc: str) -> bool:
    """Return whether the folded needle occurs on word boundaries in a :func:`fold_document` text.

    >>> occurs("the Quick, fox", fold_document("The quick fox jumps"))
    True
    >>> occurs("quick fo", fold_document("The quick fox jumps"))
    False
    """
    f = fold(needle)
    return bool(f) and f" {f} " in folded_doc


def grams(text: str, n: int = 5) -> set[str]:
    """Return the character n-grams of the folded text."""
    t = fold(text)
    return {t[i : i + n] for i in range(max(0, len(t) - n + 1))}


def content_words(text: str) -> set[str]:
    """Return the folded words of 3+ characters that are not in the small stop list."""
    return {w for w in fold(text).split() if len(w) >= 3 and w not in _STOP}


def gram_containment(statement: str, evidence: str) -> float:
    """Return the share of the statement's character 5-grams found in the evidence sentence."""
    g = grams(statement)
    return len(g & grams(evidence)) / len(g) if g else 0.0


def word_containment(statement: str, evidence: str) -> float:
    """Return the share of the statement's content words found in the evidence sentence."""
    w = content_words(statement)
    return len(w & content_words(evidence)) / len(w) if w else 0.0


def supports(statement: str, evidence: str, threshold: float = CONTAINMENT) -> bool:
    """Return whether the evidence sentence carries the statement (5-gram or content-word containment).

    >>> supports("Ten ships wait offshore.", "Harbour officials said ten ships wait offshore.")
    True
    >>> supports("Ten ships wait offshore.", "The mayor opened a bakery.")
    False
    """
    return (
        gram_containment(statement, evidence) >= threshold
        or word_containment(statement, evidence) >= WORD_CONTAINMENT
    )


def quoted_spans(text: str, min_words: int = MIN_QUOTE_WORDS) -> list[str]:
    """Return the spans between quotation marks of any script that have at least ``min_words`` words.

    >>> quoted_spans('He said "we will not be frightened" and «كلمة واحدة» left.')
    ['we will not be frightened']
    """
    spans = [m.group(1).strip() for rx in _QUOTED for m in rx.finditer(text)]
    return [s for s in spans if len(fold(s).split()) >= min_words]


@dataclass(frozen=True)
class Citation:
    """One checked citation: ``statement`` credited to document ``doc``.

    ``quotes_ok`` and ``verbatim_ok`` are None when the check does not apply (no quoted span, no
    verbatim claim); ``kind`` is ``statement``, ``unique`` or ``quote``.
    """

    kind: str
    doc: str
    statement: str
    evidence: str
    occurs: bool
    supports: bool
    quotes_ok: bool | None = None
    verbatim_ok: bool | None = None

    @property
    def holds(self) -> bool:
        """Return whether every check that applies passes."""
        return (
            self.occurs
            and self.supports
            and self.quotes_ok is not False
            and self.verbatim_ok is not False
        )

    @property
    def is_quote(self) -> bool:
        """Return whether this citation credits quoted words."""
        return self.kind == "quote" or self.quotes_ok is not None

    @property
    def quote_holds(self) -> bool:
        """Return whether the quoted words are exactly in the cited document."""
        return self.occurs if self.kind == "quote" else self.quotes_ok is not False


def check_statement(
    statement: dict[str, Any], folded: Mapping[str, str], kind: str = "statement"
) -> list[Citation]:
    """Check every evidence entry of one statement against the folded original documents."""
    text = statement["text"]
    spans = quoted_spans(text)
    out: list[Citation] = []
    for ev in statement.get("evidence", []):
        doc = folded.get(ev["doc"], "")
        sentence = ev.get("sentence") or ""
        verbatim = occurs(text, doc) if ev.get("match") == "verbatim" else None
        out.append(
            Citation(
                kind=kind,
                doc=ev["doc"],
                statement=text,
                evidence=sentence,
                occurs=occurs(sentence, doc),
                supports=supports(text, sentence),
                quotes_ok=all(occurs(s, doc) for s in spans) if spans else None,
                verbatim_ok=verbatim,
            )
        )
    return out


def check_quote(quote: dict[str, Any], folded: Mapping[str, str]) -> list[Citation]:
    """Check that a ``quotes`` entry's words occur in every document it cites."""
    text = quote.get("text") or ""
    return [
        Citation("quote", doc, text, text, occurs(text, folded.get(doc, "")), True)
        for doc in quote.get("sources", [])
    ]


def check_cluster(cluster: dict[str, Any], folded: Mapping[str, str]) -> list[Citation]:
    """Check every citation of one cluster: statements, unique facts and quotes."""
    out = [c for st in cluster.get("summary", []) for c in check_statement(st, folded)]
    for group in cluster.get("unique", []):
        out += [c for st in group["statements"] for c in check_statement(st, folded, "unique")]
    for quote in cluster.get("quotes") or []:
        out += check_quote(quote, folded)
    return out


def check_report(data: dict[str, Any], texts: Mapping[str, str]) -> list[Citation]:
    """Check every citation of a report (the JSON dict) against the original texts by document id."""
    folded = {doc_id: fold_document(text) for doc_id, text in texts.items()}
    return [c for cluster in data["clusters"] for c in check_cluster(cluster, folded)]


def attribution_figures(citations: list[Citation]) -> dict[str, Any]:
    """Return the counts and shares of citations that hold (all, fact only, quotes)."""
    quotes = [c for c in citations if c.is_quote]
    merged = [c for c in quotes if c.kind == "statement"]  # the merged summary, unique facts apart
    n = len(citations)
    return {
        "citations": n,
        "holding": sum(c.holds for c in citations) / n if n else None,
        "fact_holding": sum(c.occurs and c.supports for c in citations) / n if n else None,
        "quote_citations": len(quotes),
        "quote_holding": sum(c.quote_holds for c in quotes) / len(quotes) if quotes else None,
        "summary_quote_citations": len(merged),
        "summary_quote_holding": sum(c.quote_holds for c in merged) / len(merged)
        if merged
        else None,
        "quote_entries": sum(c.kind == "quote" for c in citations),
        "verbatim_claims": sum(c.verbatim_ok is not None for c in citations),
    }


def displayed_texts(cluster: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (field, text) for everything a reader sees: headline, lead, statements, quotes, unique facts."""
    for field in ("headline", "lead"):
        if cluster.get(field):
            yield field, cluster[field]
    for st in cluster.get("summary", []):
        yield "statement", st["text"]
    for quote in cluster.get("quotes") or []:
        yield "quote", quote.get("text") or ""
    for group in cluster.get("unique", []):
        for st in group["statements"]:
            yield "unique", st["text"]


def text_units(text: str) -> list[str]:
    """Split a displayed text into lines and sentences."""
    return [u.strip() for u in _UNIT_SPLIT.split(text) if u.strip()]


def learned_boilerplate(data: dict[str, Any]) -> list[str]:
    """Return the folded boilerplate examples the tool reports (a trailing ellipsis marks a cut)."""
    out: list[str] = []
    for entry in data.get("boilerplate", []):
        for example in entry.get("examples", []):
            f = fold(example.rstrip("…").rstrip())
            if len(f.split()) >= MIN_BOILERPLATE_WORDS:
                out.append(f)
    return out


def furniture_reason(unit: str, boilerplate: list[str]) -> str | None:
    """Return why a line or sentence is page furniture (a pattern name or ``boilerplate``), or None."""
    for name, rx in FURNITURE_PATTERNS:
        if rx.search(unit):
            return name
    f = f" {fold(unit)} "
    if any(f" {b} " in f for b in boilerplate):
        return "boilerplate"
    return None


def find_furniture(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (field, unit, reason) for every furniture line or sentence shown in the report."""
    boilerplate = learned_boilerplate(data)
    out: list[tuple[str, str, str]] = []
    for cluster in data["clusters"]:
        for field, text in displayed_texts(cluster):
            for unit in text_units(text):
                reason = furniture_reason(unit, boilerplate)
                if reason:
                    out.append((field, unit, reason))
    return out
