"""Normalize articles for matching: clean text, find metadata, tokenize and stem.

The text functions are pure and fast (they run over whole corpora):

- :func:`normalize_text` folds a text to its matching form (NFKC, Arabic letter variants,
  diacritics, digits, case, punctuation, whitespace) and keeps one line per paragraph.
- :func:`tokenize` splits that form into words; :func:`content_tokens` drops stop words, strips
  Arabic clitics and stems with Snowball (PyStemmer).
- :func:`is_furniture` recognizes page furniture lines ("تحميل المزيد", "Read more", share bars);
  :func:`cut_inline_furniture` cuts furniture segments out of a line (template placeholders) and
  :func:`cut_tail_block` finds the "related" / "most read" block that closes a flattened page.

:func:`normalize_article` turns an :class:`~clusterer.records.Article` into a
:class:`~clusterer.records.Doc`, with title, outlet and date found by :mod:`clusterer.metadata`.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .config import Config
from .records import NOT_FOUND, Article, Doc, Found

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# normalize_text

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ARABIC_LETTER_MAP = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0672": "\u0627",  # ٲ -> ا
    "\u0673": "\u0627",  # ٳ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u06cc": "\u064a",  # Persian ی -> ي
    "\u06d2": "\u064a",  # ے -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06c0": "\u0647",  # ۀ -> ه
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
    "\u06a9": "\u0643",  # Persian ک -> ك
}
# Combining marks removed outright: tashkeel, superscript alef, Quranic annotation marks.
_ARABIC_MARKS = (
    list(range(0x0610, 0x061B))
    + list(range(0x064B, 0x0660))
    + [0x0670]
    + list(range(0x06D6, 0x06DD))
    + list(range(0x06DF, 0x06E5))
    + list(range(0x06E7, 0x06E9))
    + list(range(0x06EA, 0x06EE))
    + list(range(0x08D3, 0x08E2))
    + list(range(0x08E3, 0x0900))
)
_TATWEEL = 0x0640


def _build_table() -> dict[int, str | None]:
    """Build the one-pass translation table used by :func:`normalize_text`."""
    table: dict[int, str | None] = {}
    for cp in range(0x30000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch in _LINE_BREAKS:
            table[cp] = "\n"
        elif ch in ".,":
            continue  # kept for decimal numbers; resolved in normalize_text
        elif ch.isspace() or cat[0] in "PSZ" or cat == "Cc":
            table[cp] = " "
        elif cat == "Cf":
            table[cp] = None
        elif cat == "Nd" and cp > 0x7F:
            table[cp] = str(unicodedata.decimal(ch))
    for cp in range(0xE0000, 0xE0080):  # tag characters
        table[cp] = None
    for cp in _ARABIC_MARKS:
        table[cp] = None
    table[_TATWEEL] = None
    table[0x066B] = "."  # Arabic decimal separator
    table[0x066C] = ","  # Arabic thousands separator
    table[0x060C] = " "  # Arabic comma (category Po, listed for clarity)
    for src, dst in _ARABIC_LETTER_MAP.items():
        table[ord(src)] = dst
    return table


_TABLE = _build_table()
_STR_TABLE: dict[str, str] = {chr(k): v or "" for k, v in _TABLE.items()}
# Characters that never change: most Arabic letters, a-z, 0-9, space, newline.
_UNCHANGED = "".join(c for c in map(chr, range(0x0621, 0x064B)) if c not in _STR_TABLE)
_NEEDS_MAPPING = re.compile(f"[^{_UNCHANGED} a-z0-9\n.,]")
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"\.(?<=\d\.)(?=\d)")
_TURKIC = {"tr", "az"}


def _translate(s: str) -> str:
    """Apply ``_TABLE``; replaces only the distinct characters present (much faster than translate)."""
    todo = _NEEDS_MAPPING.findall(s)
    if len(todo) * 4 > len(s):
        return s.translate(_TABLE)
    for ch in set(todo):
        repl = _STR_TABLE.get(ch)
        if repl is not None:
            s = s.replace(ch, repl)
    return s


def _fold(text: str, lang: str | None) -> str:
    """Apply NFKC, the translation table and case folding until stable."""
    s = unicodedata.normalize("NFKC", text)
    for _ in range(4):
        s = _translate(s)
        if lang in _TURKIC:
            s = s.replace("I", "ı").replace("İ", "i")
        s = s.casefold()
        if s.isascii() or unicodedata.is_normalized("NFKC", s):
            break
        s = unicodedata.normalize("NFKC", s)
    return s


def normalize_text(text: str, lang: str | None = None) -> str:
    """Return the matching form of ``text``: folded letters, ASCII digits, no punctuation.

    NFKC; Arabic diacritics, superscript alef and tatweel removed; alef forms -> ا, ى -> ي,
    ة -> ه, ؤ -> و, ئ -> ي; every decimal digit -> ASCII; casefold; punctuation and symbols ->
    space (a decimal point between digits is kept, thousands separators are dropped);
    spaces collapsed; one line per paragraph (blank lines dropped). Idempotent.

    Examples
    --------
    >>> normalize_text("قالَ الرئيسُ: «إنّ الأمــر هامٌّ» ١٢٣")
    'قال الرييس ان الامر هام 123'
    >>> normalize_text("Hello,  WORLD!\\n\\n2,500 people; 3.5%")
    'hello world\\n2500 people 3.5'
    """
    s = _normalize_core(text, _base_lang(lang) if lang else None)
    if "\n" not in s:
        return " ".join(s.split())
    lines = (" ".join(line.split()) for line in s.split("\n"))
    return "\n".join(line for line in lines if line)


def _normalize_core(text: str, lang: str | None) -> str:
    """Return the folded text with numbers resolved, before whitespace is collapsed."""
    s = _fold(text, lang)
    if "," in s:
        s = _THOUSANDS.sub("", s).replace(",", " ")
    if "." in s:
        s = _DECIMAL.sub("\x00", s).replace(".", " ").replace("\x00", ".")
    return s


def normalized_words(block: str) -> frozenset[str]:
    """Return the normalized words of a whitespace-separated word list."""
    return frozenset(normalize_text(block).split())


def tokenize(text: str) -> list[str]:
    """Return the words of ``normalize_text(text)`` (runs of letters, marks and digits).

    >>> tokenize("Biden's call, 23/02/2021")
    ['biden', 's', 'call', '23', '02', '2021']
    """
    return _normalize_core(text, None).split()


# ---------------------------------------------------------------------------------------------
# languages, stop words, stemming

SNOWBALL: dict[str, str] = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "eo": "esperanto",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "fa": "persian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
_LANG_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ara": "ar", "eng": "en"}
_STOPWORD_LANGS = (
    "ar",
    "da",
    "de",
    "en",
    "es",
    "fa",
    "fi",
    "fr",
    "id",
    "it",
    "nl",
    "no",
    "pt",
    "ro",
    "ru",
    "sv",
    "tr",
)
_LATIN_LANGS = ("en", "fr", "es", "de", "it", "pt", "nl", "sv", "da", "no", "fi", "tr", "id", "ro")
_AR_CONJUNCTIONS = ("و", "ف")
_AR_NO_CONJ_VARIANT = {"لي", "هم"}  # ولي (crown prince), فهم (understanding) are content words


def _base_lang(lang: str) -> str:
    """Map a language tag ("en-US", "ar_SA", "nb") to the base ISO 639-1 code we use."""
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return _LANG_ALIASES.get(code, code)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """Return the stop words of ``lang`` in normalized form (empty for unknown languages).

    >>> "الذي" in stop_words("ar"), "وفي" in stop_words("ar"), "the" in stop_words("en")
    (True, True, True)
    """
    code = _base_lang(lang)
    if code not in _STOPWORD_LANGS:
        return frozenset()
    raw = resources.files("clusterer").joinpath("data", f"stopwords_{code}.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for word in normalize_text(line, code).split():
            words.add(word)
            if code == "ar" and word not in _AR_NO_CONJ_VARIANT:
                words.update(c + word for c in _AR_CONJUNCTIONS)
    return frozenset(words)


@cache
def _stemmer(lang: str) -> Any:
    """Return a cached PyStemmer object for ``lang``, or None when Snowball lacks it."""
    algorithm = SNOWBALL.get(lang)
    if algorithm is None:
        return None
    import Stemmer  # PyStemmer; imported lazily so that metadata-only use stays light

    return Stemmer.Stemmer(algorithm)


# Arabic article prefixes (with their conjunction/preposition combinations), longest first.
_AR_ARTICLE_PREFIXES = (
    "وبال",
    "وكال",
    "فبال",
    "فكال",
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
)
_AR_MIN_STEM = 3


def strip_arabic_clitics(word: str) -> str:
    """Strip a leading article with its clitics (وال، بال، لل، ال ...) from a normalized word.

    Never leaves fewer than three letters; a conjunction before a short ال-word is still removed
    so that "والحي" and "الحي" agree.

    >>> strip_arabic_clitics("والكاظمي"), strip_arabic_clitics("للحكومه"), strip_arabic_clitics("الله")
    ('كاظمي', 'حكومه', 'الله')
    """
    for prefix in _AR_ARTICLE_PREFIXES:
        if word.startswith(prefix):
            if len(word) - len(prefix) >= _AR_MIN_STEM:
                return word[len(prefix) :]
            if len(prefix) == 3 and prefix[0] in "وفبك" and prefix[1:] == "ال":
                return word[1:]
            return word
    return word


# word -> content form ("" when it is a stop word), per language; cleared when it grows too big.
_CACHE: dict[str, dict[str, str]] = {}
_CACHE_LIMIT = 500_000


def _fill_cache(cache: dict[str, str], words: set[str], lang: str) -> None:
    """Compute the content form of each word in ``words`` into ``cache``."""
    stops = stop_words(lang)
    stemmer = _stemmer(lang)
    todo: list[str] = []
    bases: list[str] = []
    for w in words:
        base = strip_arabic_clitics(w) if lang == "ar" else w
        if w in stops or base in stops:
            cache[w] = ""
        else:
            todo.append(w)
            bases.append(base)
    stems = stemmer.stemWords(bases) if stemmer is not None else bases
    for w, base, stem in zip(todo, bases, stems, strict=True):
        cache[w] = base if (not stem or base.isdigit() or "." in base) else stem


def _content_forms(words: Sequence[str], lang: str) -> list[str]:
    """Return the content form of each word ("" for stop words), using the per-language cache."""
    cache = _CACHE.get(lang)
    if cache is None or len(cache) > _CACHE_LIMIT:
        cache = _CACHE[lang] = {}
    forms = list(map(cache.get, words))
    if None in forms:
        _fill_cache(cache, {w for w, f in zip(words, forms, strict=True) if f is None}, lang)
        forms = list(map(cache.__getitem__, words))
    return forms  # type: ignore[return-value]


def stem_word(word: str, lang: str) -> str:
    """Return the content form of one normalized word ("" for a stop word).

    >>> stem_word("والكاظمي", "ar") == stem_word("الكاظمي", "ar")
    True
    """
    return _content_forms([word], _base_lang(lang))[0]


def content_tokens(text: str, lang: str) -> list[str]:
    """Return the stemmed content words of ``text``: normalized, stop words dropped, clitics stripped.

    Numbers are kept as tokens. Stemmers are Snowball (PyStemmer); languages it lacks are not stemmed.

    >>> content_tokens("The rockets were fired at the embassy in 2021", "en")
    ['rocket', 'fire', 'embassi', '2021']
    """
    code = _base_lang(lang)
    words = _normalize_core(text, code).split()
    if not words:
        return []
    return list(filter(None, _content_forms(words, code)))


# ---------------------------------------------------------------------------------------------
# language detection

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
# page furniture

_FURNITURE_EXACT = frozenset(
    normalize_text(p)
    for p in """
تحميل المزيد|المزيد|عرض المزيد|الخط|حجم الخط|تكبير الخط|تصغير الخط|+ الخط -|اقرأ أيضا|اقرأ أيضاً|اقرأ المزيد|
شارك|شارك الخبر|شارك المقال|مشاركة|مشاركة الخبر|طباعة|طباعة الخبر|أرسل لصديق|ارسل لصديق|نسخ الرابط|الرابط المختصر|
رابط مختصر|مواضيع ذات صلة|أخبار ذات صلة|مقالات ذات صلة|اخبار متعلقة|الأكثر قراءة|الأكثر مشاهدة|الأكثر تعليقا|
التعليقات|تعليقات|أضف تعليق|أضف تعليقك|اترك تعليقا|كلمات مفتاحية|الكلمات المفتاحية|الكلمات الدلالية|وسوم|الوسوم|
إعلان|إعلانات|اشترك|اشترك الآن|تابعنا|تابعونا|الرئيسية|الصفحة الرئيسية|العودة للأعلى|العودة إلى الأعلى|
فيسبوك|تويتر|واتساب|واتس اب|تلغرام|تيليجرام|لينكدإن|انستغرام|يوتيوب|البريد الإلكتروني|مشاهدة|فيديو|صور|
advertisement|advertisements|sponsored|sponsored content|read more|read more:|read next|share|share this|
share this article|share this story|share on facebook|share on twitter|tweet|print|email|e-mail|comments|comment|
related|related articles|related stories|related content|related coverage|most read|most popular|trending|
subscribe|subscribe now|sign up|log in|login|skip to content|skip to main content|loading|loading...|
continue reading|story continues below|advertisement story continues below|click here|watch|video|photo|photos|
image|images|back to top|top|home|menu|search|close|next|previous|next article|previous article|facebook|
twitter|whatsapp|telegram|linkedin|pinterest|reddit|instagram|youtube|copy link|listen|listen to this article|
""".replace("\n", "").split("|")
    if p.strip()
)

_FURNITURE_PREFIXES = tuple(
    normalize_text(p)
    for p in (
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "اقرأ المزيد",
        "اقرأ كذلك",
        "إقرأ أيضا",
        "شاهد أيضا",
        "شاهد أيضاً",
        "طالع أيضا",
        "تابعنا على",
        "تابعونا على",
        "تابعوا",
        "اشترك في",
        "اشتركوا في",
        "انضم إلى",
        "انضموا إلى",
        "حمل تطبيق",
        "اضغط هنا",
        "انقر هنا",
        "جميع الحقوق محفوظة",
        "حقوق النشر",
        "سياسة الخصوصية",
        "شروط الاستخدام",
        "النشرة البريدية",
        "النشرة الإخبارية",
        "ملفات تعريف الارتباط",
        "شارك على",
        "مشاركة عبر",
        "read more",
        "read also",
        "also read",
        "see also",
        "related:",
        "more:",
        "follow us",
        "follow on",
        "subscribe to",
        "sign up for",
        "sign up to",
        "join our",
        "download the app",
        "download our app",
        "click here",
        "all rights reserved",
        "copyright",
        "privacy policy",
        "terms of use",
        "cookie policy",
        "we use cookies",
        "this site uses cookies",
        "this website uses cookies",
        "by continuing to use",
        "accept cookies",
        "manage cookies",
        "get the latest",
        "newsletter",
        "share on",
        "share via",
        "photo:",
        "photo by",
        "image:",
        "image by",
        "credit:",
        "photograph:",
        "file photo",
    )
)
_COOKIE_WORDS = frozenset(
    {"cookie", "cookies", "newsletter", "subscribe", "subscription", "الارتباط", "النشره", "اشترك"}
)
_SHARE_WORDS = normalized_words(
    "facebook twitter whatsapp telegram linkedin pinterest reddit email print share tweet messenger "
    "instagram youtube x فيسبوك تويتر واتساب تلغرام تيليجرام لينكدإن انستغرام يوتيوب طباعة مشاركة شارك "
    "البريد الإلكتروني ماسنجر"
)
_CREDITS = (
    r"getty(?: images)?|reuters|afp|ap(?: photo)?|epa(?:-efe)?|efe|anadolu(?: agency)?|shutterstock|"
    r"istock(?:photo)?|xinhua|sputnik|dpa|upi|رويترز|ا ?\. ?ف ?\. ?ب|ا ف ب|فرانس برس|الاناضول|اناضول|"
    r"اسوشيتد برس|الاسوشيتد برس|ارشيفيه|ارشيف|صوره ارشيفيه|وكالات|مواقع التواصل|سبوتنيك|شينخوا|د ب ا|"
    r"الانترنت|انترنت|تويتر|فيسبوك|وام|واس|قنا|كونا"
)
_CREDIT_ONLY = re.compile(
    r"^\(?\s*(?:(?:photo|image|credit|صوره|الصوره|تصوير)\s*[:：]?\s*)?(?:" + _CREDITS + r")"
    r"(?:\s*/\s*[^()/]{1,40})?\s*\)?\.?$",
    re.IGNORECASE,
)
_MAX_FURNITURE_WORDS = 15
_MAX_NOTICE_WORDS = 45


def fold_line(line: str) -> str:
    """Return a lightly folded copy of ``line`` with the same length (for regex matching).

    Arabic alef/yaa/taa-marbuta/hamza-seat variants fold together (آ is kept, it tells آب
    from اب) and Arabic-Indic digits become ASCII; every other character is left alone, so
    offsets into the folded text are offsets into ``line``. Match it case-insensitively.

    >>> fold_line("إلى ٢٧ فبراير")
    'الي 27 فبراير'
    """
    for ch, repl in _FOLD_ITEMS:
        if ch in line:
            line = line.replace(ch, repl)
    return line


_FOLD_ITEMS: tuple[tuple[str, str], ...] = (
    *((k, v) for k, v in _ARABIC_LETTER_MAP.items() if k != "\u0622"),
    *((chr(0x0660 + i), str(i)) for i in range(10)),
    *((chr(0x06F0 + i), str(i)) for i in range(10)),
)


def _looks_like_numeric_date(words: Sequence[str]) -> bool:
    """Tell whether digit-only words look like a numeric date (day, month and a 4-digit year)."""
    return (
        len(words) >= 3
        and any(len(w) == 4 for w in words[:3])
        and all(len(w) <= 4 for w in words[:3])
    )


def is_furniture(line: str) -> bool:
    """Tell whether ``line`` is page furniture (menus, share bars, "Read more", credits), not news.

    Only short lines qualify; a real sentence never does.

    >>> is_furniture("تحميل المزيد"), is_furniture("+ الخط -"), is_furniture("Advertisement")
    (True, True, True)
    >>> is_furniture("قال البيت الأبيض إن الرئيس ناقش الهجمات الصاروخية")
    False
    """
    raw = line.strip()
    if not raw or len(raw.split()) > _MAX_NOTICE_WORDS:
        return False
    norm = normalize_text(raw)
    words = norm.split()
    if len(words) > _MAX_NOTICE_WORDS:
        return False
    if not words:
        return True  # only symbols and punctuation
    if len(words) > _MAX_FURNITURE_WORDS:
        return any(w in _COOKIE_WORDS for w in words) and any(
            norm.startswith(p) for p in _FURNITURE_PREFIXES
        )
    if norm in _FURNITURE_EXACT:
        return True
    if all(w.replace(".", "").isdigit() for w in words):
        return not _looks_like_numeric_date(words)
    if "©" in raw or any(norm.startswith(p) for p in _FURNITURE_PREFIXES):
        return True
    if all(w in _SHARE_WORDS for w in words):
        return True
    return bool(_CREDIT_ONLY.match(fold_line(raw).strip()))


# Unrendered template placeholders ("{{ title }}", "{{#articles}}", "{* signInForm *}", "{% if x %}"),
# also as scraped text with spaces between the symbols: page code, never article text.
_TEMPLATE_PLACEHOLDER = re.compile(
    r"\{[ \t]*[{*%][ \t]*[#/^!>&]?[ \t]*[A-Za-z_][\w.]*(?:[ \t]+[\w.]+){0,3}[ \t]*[*%}]?[ \t]*\}(?:[ \t]*\})?"
)


def cut_inline_furniture(line: str) -> tuple[str, tuple[str, ...]]:
    """Return ``line`` without the furniture segments inside it, and the segments cut.

    Segments are unrendered template placeholders (``{{ title }}``, ``{* loginWidget *}``,
    ``{% if user %}``), written with or without spaces between their symbols.

    >>> cut_inline_furniture("Rain in Paris {{ ptitle }} : { { title } } today")
    ('Rain in Paris : today', ('{{ ptitle }}', '{ { title } }'))
    """
    if "{" not in line:
        return line, ()
    cut = tuple(m.group() for m in _TEMPLATE_PLACEHOLDER.finditer(line))
    if not cut:
        return line, ()
    return " ".join(_TEMPLATE_PLACEHOLDER.sub(" ", line).split()), cut


# Headings of the blocks of other articles' headlines that close a page ("most read", "related"), in
# fold_line form; English ones only title-cased, as headings are (a sentence says "the most read").
_TAIL_BLOCK = re.compile(
    r"(?:الاكثر قراءه|الاكثر مشاهده|الاكثر تعليقا|(?:مواضيع|موضوعات|اخبار|مقالات) ذات صله|(?:اخبار|مواضيع) متعلقه"
    r"|Related (?:Articles|Stories|News|Posts)|Most (?:Read|Popular|Viewed)|You May Also Like|Recommended for You)"
)
_TAIL_SHARE = 0.7  # a block heading counts in the last paragraph and the last 30% of the page only


def cut_tail_block(lines: Sequence[str]) -> tuple[int, int] | None:
    """Return (line, offset) where a trailing "related" / "most read" block starts, or None.

    Only the last non-empty line is searched, and only its part in the last 30% of the page, so a
    heading inside the article (whose text continues after it) is left alone.

    >>> cut_tail_block(["Rain fell on Paris all day and the river rose.", "It will stop. Most Read Other news"])
    (1, 14)
    >>> cut_tail_block(["الأكثر قراءة في المدينة كان خبر المطر الذي هطل طوال اليوم", "قال المسؤول إن المياه ارتفعت"]) is None
    True
    """
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if last is None:
        return None
    total = sum(len(line) + 1 for line in lines[: last + 1])
    before = total - len(lines[last]) - 1
    floor = max(0, math.ceil(_TAIL_SHARE * total) - before)
    m = _TAIL_BLOCK.search(fold_line(lines[last]), floor)
    return (last, m.start()) if m else None


# ---------------------------------------------------------------------------------------------
# normalize_article

_REPEAT_LABEL_WORDS = 12
_SENTENCE_ENDS = (".", "!", "?", "؟", "…", '"', "»", "”")


def _normalize_lines(text: str, lines: Sequence[str], lang: str) -> list[str]:
    """Return ``normalize_text`` of each line of ``text`` (as split by ``splitlines``) in one pass."""
    norm = [" ".join(part.split()) for part in _normalize_core(text, lang).split("\n")]
    if len(norm) == len(lines) + 1 and not norm[-1]:
        norm.pop()
    if len(norm) != len(lines):
        return [normalize_text(line, lang) for line in lines]
    return norm


def normalize_article(article: Article, cfg: Config) -> Doc:
    """Turn an article into a :class:`Doc`: metadata found, furniture and repeats removed, text normalized.

    Record fields (``article.title``/``source``/``date``) win over what the text suggests.
    """
    from . import metadata as meta

    text = (article.text or "").replace("\r\n", "\n")
    lang = _base_lang(article.lang or cfg.lang or detect_lang(text))
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
    norm_lines = _normalize_lines(text, lines, lang)
    if article.title and article.title.strip():
        title_found = Found(article.title.strip(), "field", 1.0, article.title)
        field_norm = normalize_text(article.title, lang)
        title_idx = next((i for i, n in enumerate(norm_lines) if n and n == field_norm), None)
    else:
        title_found, title_idx = meta.locate_title(lines, lang)
    norm_title = normalize_text(title_found.value or "", lang)

    if article.source and article.source.strip():
        outlet_found = Found(article.source.strip(), "field", 1.0, article.source)
        source_norm = normalize_text(article.source, lang)
        outlet_idx = next(
            (i for i, n in enumerate(norm_lines[:12]) if n and n == source_norm), None
        )
    else:
        outlet_found, outlet_idx = meta.locate_outlet(lines, title_idx)
    date_found, date_lines = meta.locate_date(text, lines)
    if article.date and article.date.strip():
        date_found = Found(meta.normalize_date(article.date), "field", 1.0, article.date)

    drop: set[int] = set(date_lines)
    if outlet_idx is not None:
        drop.add(outlet_idx)
    if title_found.source != "lead" and norm_title:
        drop.update(i for i, n in enumerate(norm_lines) if n == norm_title)
    header_end = meta.header_end(lines)

    furniture: list[int] = []
    for i, line in enumerate(lines):
        if not line or i in drop:
            continue
        if is_furniture(line) or meta.is_caption(line, in_header=i < header_end):
            furniture.append(i)
        elif i < header_end and meta.is_byline(line):
            drop.add(i)
    drop.update(furniture)

    counts = Counter(norm_lines[i] for i, line in enumerate(lines) if line and i not in drop)
    seen: set[str] = set()
    paragraphs: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        if not line or i in drop:
            continue
        key = norm_lines[i]
        if counts[key] > 1:
            if len(key.split()) <= _REPEAT_LABEL_WORDS and not line.endswith(_SENTENCE_ENDS):
                furniture.append(i)  # a repeated caption or label: keep none of it
                continue
            if key in seen:
                furniture.append(i)
                continue
            seen.add(key)
        paragraphs.append((i, line, key))

    body = "\n\n".join(line for _, line, _ in paragraphs)
    title_words = norm_title.split()
    body_words = [w for _, _, n in paragraphs for w in n.split()]
    return Doc(
        id=article.id,
        origin=article.origin,
        lang=lang,
        title=title_found,
        outlet=outlet_found,
        date=date_found if date_found.value else NOT_FOUND,
        url=article.url,
        body=body,
        paragraphs=tuple(line for _, line, _ in paragraphs),
        norm_title=norm_title,
        norm="\n".join(n for _, _, n in paragraphs if n),
        tokens=tuple(filter(None, _content_forms(title_words + body_words, lang))),
        title_tokens=tuple(filter(None, _content_forms(title_words, lang))),
        furniture=(*(lines[i] for i in sorted(set(furniture))), *segments),
    )
