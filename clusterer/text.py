"""Text primitives shared by every stage: folding, words, stems, stop words, months, IDF.

One place decides how text is compared, so that deduplication (:mod:`clusterer.shingles`),
clustering (:mod:`clusterer.vectorize`, :mod:`clusterer.cluster`), metadata and summaries see
the same letters:

- :data:`ARABIC_LETTER_MAP` folds Arabic letter variants (alef forms, ya forms, ta marbuta,
  hamza seats, Persian kaf); :data:`ARABIC_MARKS` and :data:`TATWEEL` are dropped.
- :func:`normalize_text` gives the full matching form (NFKC, folded letters, ASCII digits, no
  punctuation, casefold); :func:`tokenize` its words; :func:`content_tokens` drops stop words,
  strips Arabic clitics and stems with Snowball (PyStemmer).
- :func:`fold_line` is a light, length-preserving fold for regular expressions over raw lines;
  :func:`fold_word` a light fold of one word (number words, month names).
- :data:`MONTH_NAMES` is the one month table (MSA, Egyptian, Levantine, Maghrebi, English).
- :data:`FULL_STOPS`, :data:`SENTENCE_TERMINATORS` and :data:`SENTENCE_END_CHARS` say how
  sentences end; :data:`PROCLITICS` and :data:`ARTICLE_PREFIXES` name the Arabic clitics.
- :func:`idf` and :func:`idf_weights` are the one inverse document frequency formula.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import Stemmer  # PyStemmer

# ---------------------------------------------------------------------------------------------
# letters

ARABIC_LETTER_MAP: dict[str, str] = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0672": "\u0627",  # ٲ -> ا
    "\u0673": "\u0627",  # ٳ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u06cc": "\u064a",  # Persian ی -> ي
    "\u06d0": "\u064a",  # ې -> ي
    "\u06d2": "\u064a",  # ے -> ي
    "\u06d3": "\u064a",  # ۓ -> ي
    "\u0626": "\u064a",  # ئ -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06c0": "\u0647",  # ۀ -> ه
    "\u06d5": "\u0647",  # ە -> ه
    "\u0624": "\u0648",  # ؤ -> و
    "\u06a9": "\u0643",  # Persian ک -> ك
    "\u06aa": "\u0643",  # ڪ -> ك
}
"""Arabic letter variants and the letter each one is matched as."""

# Combining marks removed outright: tashkeel, superscript alef, Quranic annotation marks.
ARABIC_MARKS: tuple[int, ...] = (
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E5),
    *range(0x06E7, 0x06E9),
    *range(0x06EA, 0x06EE),
    *range(0x08D3, 0x08E2),
    *range(0x08E3, 0x0900),
)
TATWEEL = "\u0640"
# Short vowels, tanwin, shadda and sukun (U+064B-U+0652), superscript alef and tatweel.
_TASHKEEL = re.compile("[\u064b-\u0652\u0670\u0640]")

ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
"""Translation table: Arabic-Indic digits (U+0660-U+0669) -> ASCII."""
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
"""Translation table: Extended Arabic-Indic (Persian, Urdu) digits (U+06F0-U+06F9) -> ASCII."""

# ---------------------------------------------------------------------------------------------
# normalize_text

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


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
    for cp in ARABIC_MARKS:
        table[cp] = None
    table[ord(TATWEEL)] = None
    table[0x066B] = "."  # Arabic decimal separator
    table[0x066C] = ","  # Arabic thousands separator
    table[0x060C] = " "  # Arabic comma (category Po, listed for clarity)
    for src, dst in ARABIC_LETTER_MAP.items():
        table[ord(src)] = dst
    return table


_TABLE = _build_table()
_STR_TABLE: dict[str, str] = {chr(k): v or "" for k, v in _TABLE.items()}
# Characters that never change: most Arabic letters, a-z, 0-9, space, newline.
_UNCHANGED = "".join(c for c in map(chr, range(0x0621, 0x064B)) if c not in _STR_TABLE)
_NEEDS_MAPPING = re.compile(f"[^{_UNCHANGED} a-z0-9\n.,]")
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"\.(?<=\d\.)(?=\d)")
TURKIC_LANGS = frozenset({"tr", "az"})  # dotted and dotless i: the only language-dependent fold


_DROPPED = 0x110000  # past the last code point: a character the table deletes


def _code_table() -> npt.NDArray[np.uint32]:
    """``_TABLE`` as a code point -> code point array (every value is one character or none)."""
    table = np.arange(_DROPPED + 1, dtype=np.uint32)
    keys = np.fromiter((ord(k) for k in _STR_TABLE), dtype=np.uint32, count=len(_STR_TABLE))
    values = [ord(v) if v else _DROPPED for v in _STR_TABLE.values()]
    table[keys] = np.array(values, dtype=np.uint32)
    return table


_CODE_TABLE = _code_table()
_ARRAY_TRANSLATE_CHARS = 256  # from this length a text is translated as an array of code points


def _translate(s: str) -> str:
    """Apply ``_TABLE``; replaces only the distinct characters present (much faster than translate).

    No value of the table is itself a key with another value, so the order of replacements does
    not matter; long texts go through the table as one array.
    """
    if len(s) >= _ARRAY_TRANSLATE_CHARS and not s.isascii():
        codes = _CODE_TABLE[np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
        folded: str = codes[codes != _DROPPED].tobytes().decode("utf-32-le", "surrogatepass")
        return folded
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
        if lang in TURKIC_LANGS:
            s = s.replace("I", "ı").replace("İ", "i")
        s = s.casefold()
        if s.isascii() or unicodedata.is_normalized("NFKC", s):
            break
        s = unicodedata.normalize("NFKC", s)
    return s


def fold_text(text: str, lang: str | None = None) -> str:
    """Return the matching form of ``text`` with numbers resolved, before whitespace is collapsed.

    ``lang`` is a base language code (see :func:`base_lang`); line breaks are kept as ``\\n``.

    >>> fold_text("٢٬٥٠٠  شخصٍ\\n")
    '2500  شخص\\n'
    """
    s = _fold(text, lang)
    if "," in s:
        s = _THOUSANDS.sub("", s).replace(",", " ")
    if "." in s:
        s = _DECIMAL.sub("\x00", s).replace(".", " ").replace("\x00", ".")
    return s


# ---------------------------------------------------------------------------------------------
# many texts folded at once

_REFOLD = _DROPPED + 1  # a character one pass of the table does not fold (see _fold_codes)
_SPACE, _NEWLINE, _COMMA, _POINT, _ZERO = 32, 10, 44, 46, 48
_NOT_FOLDED_AT_ONCE = re.compile(r"[^\S \n]|[^\D0-9]|\x00")


def _casefold_codes() -> npt.NDArray[np.uint32]:
    """Return code point -> its case folding (``_REFOLD`` when that is several characters)."""
    codes = np.arange(_DROPPED, dtype=np.uint32)
    out = codes.copy()
    step = 1 << 14
    for lo in range(0, _DROPPED, step):
        hi = min(lo + step, _DROPPED)
        parts = [(lo, 0xD800), (0xE000, hi)] if lo <= 0xD800 < hi else [(lo, hi)]
        for a, b in parts:  # surrogates fold to themselves
            chunk = codes[a:b].tobytes().decode("utf-32-le")
            folded = chunk.casefold()
            if len(folded) == b - a:  # each character folds to one
                out[a:b] = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
                continue
            for cp in range(a, b):
                one = chr(cp).casefold()
                out[cp] = ord(one) if len(one) == 1 else _REFOLD
    return out


@cache
def _fold_codes() -> npt.NDArray[np.uint32]:
    """Return what one pass of :func:`_fold` does to each character after NFKC (the translation
    table, then case folding) as a code point -> code point array: ``_DROPPED`` for a character
    deleted, ``_REFOLD`` for one :func:`fold_lines` leaves to :func:`fold_text` (case folded to
    several characters, or folded to a space other than " ", a digit other than ASCII or NUL,
    which its number and space rules would read otherwise)."""
    after = np.append(_casefold_codes(), np.array([_DROPPED, _REFOLD], dtype=np.uint32))
    table = after[_CODE_TABLE]
    values = table[table < _DROPPED].tobytes().decode("utf-32-le", "surrogatepass")
    odd = {ord(c) for c in _NOT_FOLDED_AT_ONCE.findall(values)}
    if odd:
        table[np.isin(table, np.array(sorted(odd), dtype=np.uint32))] = _REFOLD
    return table


def load_fold_table() -> None:
    """Build the table :func:`fold_lines` reads, if not done yet (a process forked afterwards
    inherits it rather than building its own)."""
    _fold_codes()


_HARAKAT_RUN = re.compile("[\u064b-\u0652]{2,}")  # short vowels, tanwin, shadda, sukun


def _in_canonical_order(run: re.Match[str]) -> str:
    return "".join(sorted(run.group(), key=unicodedata.combining))  # (a stable sort)


def _nfkc(text: str) -> str:
    """Return NFKC of ``text``. When it is not normalized, what most often makes Arabic text so
    is rewritten first (a no-break space as the space it decomposes to, a shadda typed before its
    vowel sorted after it: the same NFKC); then only the lines still not normalized are (a line
    break never combines with another character)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _HARAKAT_RUN.sub(_in_canonical_order, text.replace("\u00a0", " "))
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join([unicodedata.normalize("NFKC", line) for line in text.split("\n")])


def _numbers_and_spaces(m: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Return folded code points with :func:`fold_text`'s number rules applied (thousands commas
    dropped, decimal points kept, other commas and points a space) and each line's spaces
    collapsed as ``" ".join(line.split())`` does (the only spaces left are " " and newlines)."""
    n = m.size

    def digit(at: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether the characters at ``at`` are digits (none past either end)."""
        inside = (at >= 0) & (at < n)
        found: npt.NDArray[np.bool_] = m[np.clip(at, 0, max(n - 1, 0))] - np.uint32(_ZERO) < 10
        return inside & found  # (the subtraction wraps below "0")

    keep = np.ones(n, dtype=np.bool_)
    commas = np.flatnonzero(m == _COMMA)
    points = np.flatnonzero(m == _POINT)
    if commas.size:  # a comma after a digit and before exactly three digits separates thousands
        ahead = digit(commas + 1) & digit(commas + 2) & digit(commas + 3) & ~digit(commas + 4)
        thousands = digit(commas - 1) & ahead
        keep[commas[thousands]] = False
        m[commas[~thousands]] = _SPACE
    if points.size:  # a point between digits is a decimal point
        m[points[~(digit(points - 1) & digit(points + 1))]] = _SPACE
    space = m == _SPACE
    first = np.empty(n, dtype=np.bool_)  # after a line start, a newline or a space
    if n:
        first[0] = True
        np.logical_or(space[:-1], m[:-1] == _NEWLINE, out=first[1:])
    m = m[keep & ~(space & first)]  # runs of spaces are one, none at a line's start
    last = np.empty(m.size, dtype=np.bool_)  # before a newline or the end
    if m.size:
        last[-1] = True
        np.equal(m[1:], _NEWLINE, out=last[:-1])
    out: npt.NDArray[np.uint32] = m[~((m == _SPACE) & last)]
    return out


def _fold_together(texts: Sequence[str]) -> list[list[str] | None]:
    """Return :func:`fold_lines` of each (non-Turkic) text, None for those one pass of the table
    does not fold (they go through :func:`fold_text`)."""
    normalized = [_nfkc(t) for t in texts]
    try:
        codes = np.frombuffer("\n".join(normalized).encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return [None] * len(texts)
    ends = np.cumsum(np.fromiter(map(len, normalized), dtype=np.int64, count=len(texts)) + 1) - 1
    m = _fold_codes()[codes]  # each text ends at ends[k] (the newline joining the next)
    refold = np.flatnonzero(m == _REFOLD)
    redo = set(np.searchsorted(ends, refold).tolist())
    m[refold] = _SPACE
    breaks = np.flatnonzero(m == _NEWLINE)
    owner = np.searchsorted(ends, breaks)
    inner = ends[np.minimum(owner, ends.size - 1)] != breaks
    lines = np.bincount(owner[inner], minlength=len(texts)) + 1
    keep = m != _DROPPED
    m = m[keep]
    folded = m.tobytes().decode("utf-32-le")
    if not unicodedata.is_normalized("NFKC", folded):  # another pass would change those texts
        stops = np.cumsum(keep)[ends[:-1]] - 1
        bounds = zip([0, *(stops + 1).tolist()], [*stops.tolist(), len(folded)], strict=True)
        redo.update(
            k
            for k, (a, b) in enumerate(bounds)
            if not unicodedata.is_normalized("NFKC", folded[a:b])
        )
    every = _numbers_and_spaces(m.copy()).tobytes().decode("utf-32-le").split("\n")
    starts = np.concatenate(([0], np.cumsum(lines))).tolist()
    return [None if k in redo else every[starts[k] : starts[k + 1]] for k in range(len(texts))]


def fold_lines(texts: Sequence[str], langs: Sequence[str | None]) -> list[list[str]]:
    """Return ``[" ".join(line.split()) for line in fold_text(text, lang).split("\\n")]`` of every
    text (``langs``: their base languages), most of them folded together as one array.

    >>> fold_lines(["٢٬٥٠٠  شخصٍ\\n", "Hello,  WORLD!"], ["ar", "en"])
    [['2500 شخص', ''], ['hello world']]
    """
    out: list[list[str] | None] = [None] * len(texts)
    together = [k for k, lang in enumerate(langs) if lang not in TURKIC_LANGS]
    if together:
        for k, lines in zip(together, _fold_together([texts[k] for k in together]), strict=True):
            out[k] = lines
    return [
        lines
        if lines is not None
        else [" ".join(part.split()) for part in fold_text(texts[k], langs[k]).split("\n")]
        for k, lines in enumerate(out)
    ]


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
    s = fold_text(text, base_lang(lang) if lang else None)
    if "\n" not in s:
        return " ".join(s.split())
    lines = (" ".join(line.split()) for line in s.split("\n"))
    return "\n".join(line for line in lines if line)


def normalized_words(block: str) -> frozenset[str]:
    """Return the normalized words of a whitespace-separated word list."""
    return frozenset(normalize_text(block).split())


def tokenize(text: str) -> list[str]:
    """Return the words of ``normalize_text(text)`` (runs of letters, marks and digits).

    >>> tokenize("Biden's call, 23/02/2021")
    ['biden', 's', 'call', '23', '02', '2021']
    """
    return fold_text(text).split()


# ---------------------------------------------------------------------------------------------
# light folds: lines for regular expressions, single words


_FOLD_ITEMS: tuple[tuple[str, str], ...] = (
    *((k, v) for k, v in ARABIC_LETTER_MAP.items() if k != "\u0622"),
    *((chr(0x0660 + i), str(i)) for i in range(10)),
    *((chr(0x06F0 + i), str(i)) for i in range(10)),
)


def fold_line(line: str) -> str:
    """Return a lightly folded copy of ``line`` with the same length (for regex matching).

    Arabic alef/yaa/taa-marbuta/hamza-seat variants fold together (آ is kept, it tells آب
    from اب) and Arabic-Indic digits become ASCII; every other character is left alone, so
    offsets into the folded text are offsets into ``line``. Match it case-insensitively.

    >>> fold_line("إلى ٢٧ فبراير")
    'الي 27 فبراير'
    """
    return _replaced(line, _FOLD_ITEMS)


def _replaced(text: str, items: Iterable[tuple[str, str]]) -> str:
    """Return ``text`` with each ``(character, replacement)`` of ``items`` replaced, in order
    (str.replace of the characters present: a translation table reads every character)."""
    for ch, repl in items:
        if ch in text:
            text = text.replace(ch, repl)
    return text


_WORD_FOLD = tuple((k, ARABIC_LETTER_MAP[k]) for k in "أإآٱىة")  # no replacement is a key


def strip_tashkeel(text: str) -> str:
    """Remove Arabic short vowels, tanwin, shadda, sukun, superscript alef and tatweel.

    >>> strip_tashkeel("الأمــرُ")
    'الأمر'
    """
    return _TASHKEEL.sub("", text)


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """Return a light matching form of one word: NFKC, casefold, no tashkeel, alef/ya/ta folded.

    Lighter than :func:`normalize_text` (hamza seats ؤ ئ and digits stay), for matching words
    against small tables such as :data:`MONTH_WORDS`; ``normalize_text`` of the result equals
    ``normalize_text`` of the word.

    >>> fold_word("آذار"), fold_word("February"), fold_word("ثلاثةُ")
    ('اذار', 'february', 'ثلاثه')
    """
    word = unicodedata.normalize("NFKC", word).casefold()
    return _replaced(strip_tashkeel(word), _WORD_FOLD)


# ---------------------------------------------------------------------------------------------
# months


class MonthNames(NamedTuple):
    """The names of one month, by naming tradition, in :func:`fold_line` form (lower case)."""

    msa: tuple[str, ...]  # Egypt, the Gulf and most wire copy (يناير ...)
    egyptian: tuple[str, ...]  # Egyptian spelling variants (يونيه ...)
    levantine: tuple[str, ...]  # Syriac names of the Levant and Iraq (كانون الثاني ...)
    maghrebi: tuple[str, ...]  # French-derived names of North Africa (جانفي ...)
    english: tuple[str, ...]  # names and abbreviations


MONTH_NAMES: dict[int, MonthNames] = {
    1: MonthNames(("يناير",), (), ("كانون الثاني", "كانون ثاني"), ("جانفي",), ("january", "jan")),
    2: MonthNames(("فبراير",), (), ("شباط",), ("فيفري",), ("february", "feb")),
    3: MonthNames(("مارس",), (), ("آذار", "اذار"), (), ("march", "mar")),
    4: MonthNames(("ابريل",), (), ("نيسان",), ("افريل",), ("april", "apr")),
    5: MonthNames(("مايو",), (), ("ايار", "آيار"), ("ماي",), ("may",)),
    6: MonthNames(("يونيو",), ("يونيه",), ("حزيران",), ("جوان",), ("june", "jun")),
    7: MonthNames(("يوليو",), ("يوليه",), ("تموز",), ("جويليه", "يوليوز"), ("july", "jul")),
    8: MonthNames(("اغسطس",), (), ("آب",), ("اوت", "غشت"), ("august", "aug")),
    9: MonthNames(("سبتمبر",), (), ("ايلول",), ("شتنبر",), ("september", "sept", "sep")),
    10: MonthNames(("اكتوبر",), (), ("تشرين الاول", "تشرين اول"), (), ("october", "oct")),
    11: MonthNames(
        ("نوفمبر",), (), ("تشرين الثاني", "تشرين ثاني"), ("نونبر",), ("november", "nov")
    ),
    12: MonthNames(("ديسمبر",), (), ("كانون الاول", "كانون اول"), ("دجنبر",), ("december", "dec")),
}
"""The one month table: month number -> its names in every tradition we read."""

MONTHS: dict[str, int] = {
    name: num for num, names in MONTH_NAMES.items() for group in names for name in group
}
"""Every month name (:func:`fold_line` form, lower case; may hold a space) -> month number."""

MONTH_WORDS: dict[str, int] = {
    fold_word(name): num
    for num, names in MONTH_NAMES.items()
    for name in (*names.msa, *names.levantine, *names.english)
    if " " not in name
}
"""Single-word MSA, Levantine and English month names in :func:`fold_word` form -> number."""

# ---------------------------------------------------------------------------------------------
# sentences

FULL_STOPS = ".!?؟"
"""Characters that end a sentence in Arabic and Latin script: . ! ? and the Arabic question mark."""
SENTENCE_TERMINATORS = FULL_STOPS + "…۔"
"""Sentence splitting points: :data:`FULL_STOPS`, the ellipsis and the Urdu full stop."""
CLOSING_QUOTES = '"»”'
SENTENCE_END_CHARS: tuple[str, ...] = tuple(FULL_STOPS + "…" + CLOSING_QUOTES)
"""Last characters of a line that reads as a sentence (for ``str.endswith``)."""
LOOSE_SENTENCE_END_CHARS: tuple[str, ...] = (*SENTENCE_END_CHARS, "'", ")")
""":data:`SENTENCE_END_CHARS`, a closing single quote or parenthesis (a sentence in summaries)."""

# ---------------------------------------------------------------------------------------------
# languages, stop words, clitics, stemming

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
STOPWORD_LANGS = (
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
"""Languages with a stop word list in ``clusterer/data``."""

CONJUNCTIONS = "وف"
"""Arabic conjunction proclitics (و، ف)."""
PROCLITICS = CONJUNCTIONS + "بلك"
"""Arabic one-letter proclitics: the conjunctions و ف and the prepositions ب ل ك."""
ARTICLE = "ال"
# ل + ال is written لل; the other prepositions keep the article whole (بال، كال).
ARTICLE_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p + ARTICLE for c in ("", *CONJUNCTIONS) for p in ("", "ب", "ك")}
        | {c + "لل" for c in ("", *CONJUNCTIONS)},
        key=lambda p: (-len(p), p),
    )
)
"""The article with its clitic combinations (وبال، فكال، ولل، بال، لل، ال ...), longest first."""
_AR_NO_CONJ_VARIANT = {"لي", "هم"}  # ولي (crown prince), فهم (understanding) are content words
_AR_MIN_STEM = 3


@lru_cache(maxsize=1024)
def base_lang(lang: str) -> str:
    """Map a language tag ("en-US", "ar_SA", "nb") to the base ISO 639-1 code we use.

    >>> base_lang("en-US"), base_lang("ar_SA"), base_lang("nb")
    ('en', 'ar', 'no')
    """
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return _LANG_ALIASES.get(code, code)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """Return the stop words of ``lang`` in normalized form (empty for unknown languages).

    >>> "الذي" in stop_words("ar"), "وفي" in stop_words("ar"), "the" in stop_words("en")
    (True, True, True)
    """
    code = base_lang(lang)
    if code not in STOPWORD_LANGS:
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
                words.update(c + word for c in CONJUNCTIONS)
    return frozenset(words)


@cache
def _stemmer(lang: str) -> Any:
    """Return a cached PyStemmer object for ``lang``, or None when Snowball lacks it."""
    algorithm = SNOWBALL.get(lang)
    return None if algorithm is None else Stemmer.Stemmer(algorithm)


def strip_arabic_clitics(word: str) -> str:
    """Strip a leading article with its clitics (وال، بال، لل، ال ...) from a normalized word.

    Never leaves fewer than three letters; a conjunction before a short ال-word is still removed
    so that "والحي" and "الحي" agree.

    >>> strip_arabic_clitics("والكاظمي"), strip_arabic_clitics("للحكومه"), strip_arabic_clitics("الله")
    ('كاظمي', 'حكومه', 'الله')
    """
    for prefix in ARTICLE_PREFIXES:
        if word.startswith(prefix):
            if len(word) - len(prefix) >= _AR_MIN_STEM:
                return word[len(prefix) :]
            if len(prefix) == len(ARTICLE) + 1 and prefix.endswith(ARTICLE):  # وال، بال ...
                return word[1:]
            return word
    return word


# word -> content form ("" when it is a stop word), per language; cleared when it grows too big.
_CACHE: dict[str, dict[str, str]] = {}
_CACHE_LIMIT = 500_000


def word_cache(store: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    """Return the word cache of ``lang`` in ``store`` (one per language): a new one when there is
    none yet or when it holds more than ``_CACHE_LIMIT`` words (memory stays bounded)."""
    cache = store.get(lang)
    if cache is None or len(cache) > _CACHE_LIMIT:
        cache = store[lang] = {}
    return cache


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


def content_forms(words: Sequence[str], lang: str) -> list[str]:
    """Return the content form of each normalized word ("" for stop words) of base language ``lang``.

    >>> content_forms(["the", "rockets"], "en")
    ['', 'rocket']
    """
    cache = word_cache(_CACHE, lang)
    forms = list(map(cache.get, words))
    if None in forms:
        _fill_cache(cache, {w for w, f in zip(words, forms, strict=True) if f is None}, lang)
        forms = list(map(cache.__getitem__, words))
    return forms  # type: ignore[return-value]


def has_content(words: Sequence[str], lang: str) -> bool:
    """Return whether any normalized word has a content form (is not a stop word), without stemming.

    Same as ``any(content_forms(words, lang))``, for the stages that need no stems.

    >>> has_content(["the", "of"], "en"), has_content(["the", "rockets"], "en")
    (False, True)
    """
    stops = stop_words(lang)
    if lang == "ar":
        return any(w not in stops and strip_arabic_clitics(w) not in stops for w in words)
    return any(w not in stops for w in words)


def stem_word(word: str, lang: str) -> str:
    """Return the content form of one normalized word ("" for a stop word).

    >>> stem_word("والكاظمي", "ar") == stem_word("الكاظمي", "ar")
    True
    """
    return content_forms([word], base_lang(lang))[0]


def content_tokens(text: str, lang: str) -> list[str]:
    """Return the stemmed content words of ``text``: normalized, stop words dropped, clitics stripped.

    Numbers are kept as tokens. Stemmers are Snowball (PyStemmer); languages it lacks are not stemmed.

    >>> content_tokens("The rockets were fired at the embassy in 2021", "en")
    ['rocket', 'fire', 'embassi', '2021']
    """
    code = base_lang(lang)
    words = fold_text(text, code).split()
    if not words:
        return []
    return list(filter(None, content_forms(words, code)))


# ---------------------------------------------------------------------------------------------
# inverse document frequency


def idf(df: float, n_docs: int) -> float:
    """Return the inverse document frequency of a term found in ``df`` of ``n_docs`` documents.

    ``log((n_docs + 1) / (df + 0.5))``: unlike scikit-learn's smoothed IDF (which adds 1, so a
    word found in every article of a small corpus still weighs half as much as the rarest one),
    such a word weighs almost nothing here, while large corpora get the usual ranking.

    >>> round(idf(1, 5), 3), round(idf(5, 5), 3)
    (1.386, 0.087)
    """
    return math.log((n_docs + 1.0) / (df + 0.5))


def idf_weights(
    df: npt.NDArray[Any], n_docs: int, prior_docs: float = 0.0, prior_rate: float = 0.0
) -> npt.NDArray[np.float32]:
    """Return :func:`idf` of every document frequency in ``df``, as float32.

    With a prior, the corpus counts as if ``prior_docs`` more documents had been read in which
    every term occurs at rate ``prior_rate``: ``log((n + K + 1) / (df + 0.5 + K * rate))``. In a
    corpus of two articles on one event, the words they share then still weigh about as much as
    the words only one of them has (without it, 0.18 against 0.69), while in a large corpus the
    prior is a small share of the counts and the usual ranking stays.

    >>> import numpy as np
    >>> [round(float(w), 2) for w in idf_weights(np.array([1, 2]), 2)]
    [0.69, 0.18]
    >>> [round(float(w), 2) for w in idf_weights(np.array([1, 2]), 2, 50.0, 0.02)]
    [3.05, 2.72]
    """
    prior = prior_docs * prior_rate
    return np.log((n_docs + prior_docs + 1.0) / (df + 0.5 + prior)).astype(np.float32)
