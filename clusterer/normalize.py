"""Normalize articles for matching: the article-level stage.

:func:`normalize_article` turns an :class:`~clusterer.records.Article` into a
:class:`~clusterer.records.Doc`: page furniture cut (:mod:`clusterer.furniture`), title, outlet
and date found (:mod:`clusterer.metadata`), repeated labels dropped, text normalized and
tokenized (:mod:`clusterer.text`). :func:`detect_lang` guesses the language when no field
gives it.

``normalize_text`` and ``content_tokens`` are re-exported from :mod:`clusterer.text` for
modules that still import them from here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from .config import Config
from .furniture import cut_inline_furniture, cut_tail_block, is_caption, is_furniture
from .metadata import (
    date_line_indices,
    header_end,
    is_byline,
    locate_date,
    locate_outlet,
    locate_title,
    normalize_date,
)
from .records import NOT_FOUND, Article, Doc, Found
from .text import (
    SENTENCE_END_CHARS,
    TURKIC_LANGS,
    base_lang,
    content_forms,
    content_tokens,
    fold_lines,
    fold_text,
    has_content,
    normalize_text,
    stop_words,
)

__all__ = [
    "content_tokens",
    "detect_lang",
    "is_usable",
    "normalize_article",
    "normalize_articles",
    "normalize_text",
]

# ---------------------------------------------------------------------------------------------
# language detection

_LATIN_LANGS = ("en", "fr", "es", "de", "it", "pt", "nl", "sv", "da", "no", "fi", "tr", "id", "ro")

_ARABIC_LETTERS = re.compile(
    "[\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
)
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CYRILLIC_LETTERS = re.compile("[\u0400-\u04ff]")
_GREEK_LETTERS = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_PERSIAN_LETTERS = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_DETECT_CHARS = 1500


@lru_cache(maxsize=1)
def _stop_owners() -> dict[str, tuple[str, ...]]:
    """Map each Latin-script stop word to the languages whose list holds it."""
    owners: dict[str, list[str]] = {}
    for code in _LATIN_LANGS:
        for w in stop_words(code):
            owners.setdefault(w, []).append(code)
    return {w: tuple(langs) for w, langs in owners.items()}


def _score_stop_hits(words: Sequence[str], langs: Sequence[str]) -> tuple[str, float]:
    """Return the language whose stop words cover ``words`` best, and its hit share."""
    if not words:
        return "und", 0.0
    counts = Counter(words)
    scores = dict.fromkeys(langs, 0.0)
    if langs is _LATIN_LANGS:
        owners = _stop_owners()
        for w, n in counts.items():
            holders = owners.get(w)
            if holders:
                share = n / len(holders)
                for code in holders:
                    scores[code] += share
    else:
        for code in langs:
            stops = stop_words(code)
            scores[code] = float(sum(n for w, n in counts.items() if w in stops))
    best = max(langs, key=lambda c: (scores[c], -langs.index(c)))
    return best, scores[best] / len(words)


def detect_lang(text: str) -> str:
    """Guess the ISO 639-1 language of ``text`` from its script and stop words; "und" if unsure.

    >>> detect_lang("قال البيت الأبيض إن الرئيس ناقش الهجمات"), detect_lang("The president said that it was")
    ('ar', 'en')
    >>> detect_lang("12345 !!!")
    'und'
    """
    sample = text[:_DETECT_CHARS]
    arabic = len(_ARABIC_LETTERS.findall(sample))
    latin = len(_LATIN_LETTERS.findall(sample))
    other = len(sample) - arabic - latin
    cyrillic = len(_CYRILLIC_LETTERS.findall(sample)) if other > arabic + latin else 0
    greek = len(_GREEK_LETTERS.findall(sample)) if other > arabic + latin else 0
    total = arabic + latin + cyrillic + greek
    if total < 3:
        return "und"
    if arabic * 2 > total:
        if not _PERSIAN_LETTERS.search(sample):
            return "ar"
        best, _ = _score_stop_hits(normalize_text(sample).split(), ("ar", "fa"))
        return "fa" if best == "fa" else "ar"
    if cyrillic * 2 > total:
        return "ru"
    if greek * 2 > total:
        return "el"
    if latin * 2 > total:
        words = normalize_text(sample).split()
        best, share = _score_stop_hits(words, _LATIN_LANGS)
        if share >= 0.08 or (best != "und" and share > 0 and len(words) < 8):
            return best
    return "und"


# ---------------------------------------------------------------------------------------------
# normalize_article

_REPEAT_LABEL_WORDS = 12
_OUTLET_LINES = 12  # a source field is looked for as a line among the first lines only


def _normalize_lines(text: str, lines: Sequence[str], lang: str) -> list[str]:
    """Return ``normalize_text`` of each line of ``text`` (as split by ``splitlines``) in one pass."""
    return _folded_lines(
        [" ".join(part.split()) for part in fold_text(text, lang).split("\n")], lines, lang
    )


def _folded_lines(norm: list[str], lines: Sequence[str], lang: str) -> list[str]:
    """Return the normalized lines of a text from its text folded, split at ``\\n`` (each line
    as ``normalize_text``; one by one when those are not its ``splitlines``)."""
    if len(norm) == len(lines) + 1 and not norm[-1]:
        norm.pop()
    if len(norm) != len(lines):
        return [normalize_text(line, lang) for line in lines]
    return norm


def _cut_page_furniture(text: str) -> tuple[str, list[str], list[str]]:
    """Return the text and its stripped lines without inline furniture and closing block, and the cuts."""
    lines = [line.strip() for line in text.splitlines()]
    segments: list[str] = []
    if "{" in text:
        for i, line in enumerate(lines):
            lines[i], cut = cut_inline_furniture(line)
            segments.extend(cut)
    tail = cut_tail_block(lines)
    if tail is not None:
        i, pos = tail
        segments.append(lines[i][pos:].strip())
        lines[i] = lines[i][:pos].strip()
    if segments:
        text = "\n".join(lines)
    return text, lines, segments


def _line_of(norm: str, norm_lines: Sequence[str]) -> int | None:
    """Return the index of the first line whose normalized form is ``norm``."""
    if not norm:
        return None
    try:
        return norm_lines.index(norm)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _normalized_field(value: str, lang: str) -> str:
    """Return ``normalize_text(value, lang)`` of a record field that repeats (an outlet name)."""
    return normalize_text(value, lang)


def _title(
    article: Article,
    lines: Sequence[str],
    norm_lines: Sequence[str],
    lang: str,
    norm_field: str | None = None,
) -> tuple[Found, str, int | None]:
    """Return the title (the record field wins over the text), its normalized form and its line
    index (``norm_field``: the field normalized, when already done)."""
    if not (article.title and article.title.strip()):
        found, idx = locate_title(lines, lang)
        return found, normalize_text(found.value or "", lang), idx
    value = article.title.strip()
    # that of the field: stripping changes only spaces
    norm_title = normalize_text(value, lang) if norm_field is None else norm_field
    return Found(value, "field", 1.0, article.title), norm_title, _line_of(norm_title, norm_lines)


def _outlet(
    article: Article,
    lines: Sequence[str],
    norm_lines: Sequence[str],
    title_idx: int | None,
    lang: str,
) -> tuple[Found, int | None]:
    """Return the outlet (the record field wins over the text) and the index of its own line."""
    if not (article.source and article.source.strip()):
        return locate_outlet(lines, title_idx)
    found = Found(article.source.strip(), "field", 1.0, article.source)
    return found, _line_of(_normalized_field(article.source, lang), norm_lines[:_OUTLET_LINES])


def _date(article: Article, text: str, lines: Sequence[str]) -> tuple[Found, list[int]]:
    """Return the date (the record field wins over the text) and the indices of all date lines."""
    if article.date and article.date.strip():
        found = Found(normalize_date(article.date), "field", 1.0, article.date)
        return found, date_line_indices(lines)
    return locate_date(text, lines)


def _furniture_lines(
    lines: Sequence[str], norm_lines: Sequence[str], lang: str, drop: set[int]
) -> list[int]:
    """Return the furniture and caption lines not in ``drop``; add them and header bylines to it."""
    end = header_end(lines)
    furniture: list[int] = []
    plain = lang not in TURKIC_LANGS  # norm_lines are then what is_furniture would compute
    for i, line in enumerate(lines):
        if not line or i in drop:
            continue
        norm = norm_lines[i] if plain else None
        if is_furniture(line, norm) or is_caption(line, in_header=i < end):
            furniture.append(i)
        elif i < end and is_byline(line):
            drop.add(i)
    drop.update(furniture)
    return furniture


def _paragraphs(
    lines: Sequence[str], norm_lines: Sequence[str], drop: set[int], furniture: list[int]
) -> list[tuple[str, str]]:
    """Return (line, normalized line) of the body paragraphs, each repeated paragraph once.

    A repeated short line that does not end like a sentence is a caption or label: none of it is
    kept. The lines left out are appended to ``furniture``.
    """
    kept = [i for i, line in enumerate(lines) if line and i not in drop]
    keys = [norm_lines[i] for i in kept]
    if len(set(keys)) == len(keys):  # no line repeats (most pages)
        return [(lines[i], key) for i, key in zip(kept, keys, strict=True)]
    counts = Counter(keys)
    seen: set[str] = set()
    paragraphs: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if not line or i in drop:
            continue
        key = norm_lines[i]
        if counts[key] > 1:
            label = len(key.split()) <= _REPEAT_LABEL_WORDS and not line.endswith(
                SENTENCE_END_CHARS
            )
            if label or key in seen:
                furniture.append(i)
                continue
            seen.add(key)
        paragraphs.append((line, key))
    return paragraphs


class _Page(NamedTuple):
    """An article's text with its page furniture cut, ready to be folded."""

    text: str
    lang: str
    lines: list[str]  # stripped lines
    segments: list[str]  # furniture segments cut out of lines


def _page(article: Article, cfg: Config) -> _Page:
    text = (article.text or "").replace("\r\n", "\n")
    lang = base_lang(article.lang or cfg.lang or detect_lang(text))
    text, lines, segments = _cut_page_furniture(text)
    return _Page(text, lang, lines, segments)


def normalize_article(article: Article, cfg: Config, *, stem: bool = True) -> Doc:
    """Turn an article into a :class:`Doc`: metadata found, furniture and repeats removed, text normalized.

    Record fields (``article.title``/``source``/``date``) win over what the text suggests. With
    ``stem=False`` (dedup only: it matches on ``norm``) ``tokens`` and ``title_tokens`` are left
    empty; :func:`is_usable` tells whether the document has words either way.
    """
    page = _page(article, cfg)
    return _doc(article, page, _normalize_lines(page.text, page.lines, page.lang), stem)


def normalize_articles(
    articles: Sequence[Article], cfg: Config, *, stem: bool = True
) -> list[Doc | Exception]:
    """Return :func:`normalize_article` of each article, their texts and titles folded together
    (much less work per article); an article that cannot be processed gives the exception it
    raised."""
    pages: list[_Page | Exception] = []
    for article in articles:
        try:
            pages.append(_page(article, cfg))
        except Exception as exc:  # noqa: BLE001  # one bad document never loses the others
            pages.append(exc)
    ready = [(a, p) for a, p in zip(articles, pages, strict=True) if isinstance(p, _Page)]
    folded = iter(_fold_pages(ready) or [])
    out: list[Doc | Exception] = []
    for article, page in zip(articles, pages, strict=True):
        if isinstance(page, Exception):
            out.append(page)
            continue
        lines, title = next(folded, (None, None))
        try:
            norm_lines = (
                _folded_lines(lines, page.lines, page.lang)
                if lines is not None
                else _normalize_lines(page.text, page.lines, page.lang)
            )
            out.append(_doc(article, page, norm_lines, stem, title))
        except Exception as exc:  # noqa: BLE001
            out.append(exc)
    return out


def _fold_pages(ready: list[tuple[Article, _Page]]) -> list[tuple[list[str], str | None]] | None:
    """Return the folded lines of each page and its title field normalized (None without one),
    folded all together; None when that fails (each page is then folded alone)."""
    titles = [(a.title or "").strip() for a, _ in ready]
    texts = [p.text for _, p in ready] + [t for t in titles if t]
    langs = [p.lang for _, p in ready] + [
        p.lang for (_, p), t in zip(ready, titles, strict=True) if t
    ]
    try:
        folded = fold_lines(texts, langs)
    except Exception:  # noqa: BLE001  # then each text alone: only one that fails is lost
        return None
    norm_titles = iter(folded[len(ready) :])
    return [
        (lines, "\n".join(filter(None, next(norm_titles))) if title else None)
        for lines, title in zip(folded[: len(ready)], titles, strict=True)
    ]


def _doc(
    article: Article,
    page: _Page,
    norm_lines: list[str],
    stem: bool,
    norm_field: str | None = None,
) -> Doc:
    """Return the document of a page (``norm_field``: its title field normalized, if known)."""
    text, lang, lines, segments = page
    title, norm_title, title_idx = _title(article, lines, norm_lines, lang, norm_field)
    outlet, outlet_idx = _outlet(article, lines, norm_lines, title_idx, lang)
    date, drop_lines = _date(article, text, lines)

    drop = set(drop_lines)
    if outlet_idx is not None:
        drop.add(outlet_idx)
    if title.source != "lead" and norm_title:
        drop.update(i for i, n in enumerate(norm_lines) if n == norm_title)
    furniture = _furniture_lines(lines, norm_lines, lang, drop)
    paragraphs = _paragraphs(lines, norm_lines, drop, furniture)

    title_words = norm_title.split() if stem else []
    body_words = [w for _, n in paragraphs for w in n.split()] if stem else []
    return Doc(
        id=article.id,
        origin=article.origin,
        lang=lang,
        title=title,
        outlet=outlet,
        date=date if date.value else NOT_FOUND,
        url=article.url,
        body="\n\n".join(line for line, _ in paragraphs),
        norm_title=norm_title,
        norm="\n".join(n for _, n in paragraphs if n),
        tokens=tuple(filter(None, content_forms(title_words + body_words, lang))) if stem else (),
        title_tokens=tuple(filter(None, content_forms(title_words, lang))) if stem else (),
        furniture=(*(lines[i] for i in sorted(set(furniture))), *segments),
        decode_errors=article.decode_errors,
    )


def is_usable(doc: Doc, stem: bool = True) -> bool:
    """Return whether ``doc`` has a content word (normalized ``stem=False``: found without stems)."""
    if stem:
        return bool(doc.tokens)
    return has_content(doc.norm_title.split(), doc.lang) or has_content(doc.norm.split(), doc.lang)
