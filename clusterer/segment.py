"""Sentence segmentation for Arabic and English news text.

Rules, in order of precedence:

- blank lines and (for Arabic, and for any line that does not look hard-wrapped) line breaks end
  a sentence;
- ``؟ ! ? . …`` end a sentence when followed by white space or the end of the text; the Arabic
  comma ``،`` and the semicolon never do;
- nothing inside a quotation (``«...»``, ``“...”``, ``"..."``) ends a sentence, unless the quote
  itself closes on a sentence end (``... "we will respond." Then ...``);
- English abbreviations (``Mr.``, ``Dr.``, ``U.S.``, ``Jan. 5``, ``e.g.``), initials (``George W.
  Bush``), decimals (``3.5``) and times (``5:40``, ``5.40``) do not end a sentence.

Sentences keep their original wording; runs of white space are collapsed to one space.
"""

from __future__ import annotations

import re

__all__ = ["find_quotes", "split_sentences", "strip_dateline", "tidy_sentence"]

_TERMINATORS = frozenset(".!?؟…۔")
_STRONG = frozenset("!?؟۔")
_CLOSERS_AFTER = frozenset("\"'”’»)]}")
_OPEN_BRACKETS = frozenset("([{")
_PAIRED_QUOTES = {"«": "»", "“": "”", "„": "“"}
_STRAIGHT = '"'
_PROCLITICS = frozenset("لبوفك")
_TATWEEL = "ـ"
_ATTRIBUTION = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|asked|added|says|asks|adds|wrote|writes|continued|"
    r"told \w+|explained|replied|noted|tweeted|declared|insisted|argued|recalled)\.$"
)
_WORD_AT = re.compile(r"[^\W_]+")
_QUOTE_MARK = re.compile('["«»“”„]')
_TERMINATOR_AT = re.compile("[.!?؟…۔]")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations that precede a name or number and never end a sentence.
_TITLES = _wordset(
    """mr mrs ms messrs dr prof sen rep gov gen lt col capt cpt sgt maj cmdr adm rev hon pres
    reps sens govs gens supt det insp atty amb fr sr jr st mt ft no nos vol pp vs v cf approx dept est fig"""
)
# Abbreviations that usually do not end a sentence but may (break only before a typical opener).
_SOFT = _wordset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    inc corp co ltd llc bros etc al ave blvd rd
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont
    neb nev okla ore pa penn tenn tex va vt wash wis wyo"""
)
_NEVER_BEFORE_LOWER = frozenset(["e.g", "i.e"])
# Words that typically open an English sentence: after a soft abbreviation such as "U.S." or
# "Inc.", a following "The" or "He" means the sentence did end there.
_OPENERS = _wordset(
    """the a an he she it they we i you his her its their our my this that these those there
    but and or so yet in on at for as after before when while if although though however
    meanwhile still then now today yesterday tomorrow earlier later last next one some many
    most several no not officials police authorities"""
)


def split_sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` into sentences, keeping the original wording (stripped, spaces collapsed).

    Examples
    --------
    >>> split_sentences("Mr. Smith arrived at 5:40 p.m. in the U.S. capital. He spoke.", "en")
    ['Mr. Smith arrived at 5:40 p.m. in the U.S. capital.', 'He spoke.']
    >>> split_sentences("قال: «سنرد. في الوقت المناسب». وغادر، ثم عاد؟ نعم", "ar")
    ['قال: «سنرد. في الوقت المناسب».', 'وغادر، ثم عاد؟', 'نعم']
    """
    english = (lang or "").lower().startswith("en")
    sentences: list[str] = []
    pending = ""
    for unit in _units(text, english):
        for piece in _split_unit(unit, english):
            cleaned = " ".join(piece.split())
            if not cleaned:
                continue
            if any(ch.isalnum() for ch in cleaned):
                sentences.append(f"{pending} {cleaned}".strip() if pending else cleaned)
                pending = ""
            elif sentences:
                sentences[-1] = f"{sentences[-1]} {cleaned}"
            else:
                pending = f"{pending} {cleaned}".strip()
    if pending:
        sentences.append(pending)
    return sentences


def find_quotes(text: str) -> list[str]:
    """Return the texts of the outermost quotations in ``text`` (without the quote marks).

    >>> find_quotes('قال: «سنرد» ثم أضاف "في الوقت المناسب".')
    ['سنرد', 'في الوقت المناسب']
    """
    found: list[str] = []
    for unit in _units(text, english=False):
        found.extend(unit[start + 1 : end].strip() for start, end in _quote_spans(unit))
    return [q for q in found if q]


def _units(text: str, english: bool) -> list[str]:
    """Cut the text at line breaks, re-joining lines that look hard-wrapped (English only)."""
    units: list[str] = []
    for paragraph in re.split(r"\n[ \t\r\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        current = ""
        for raw in paragraph.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if current and english and _is_wrapped(current, line):
                current = f"{current} {line}"
            else:
                if current:
                    units.append(current)
                current = line
        if current:
            units.append(current)
    return units


def _is_wrapped(previous: str, line: str) -> bool:
    """Return True when ``line`` continues ``previous`` (a hard-wrapped English line)."""
    last = previous.rstrip()[-1]
    first = line[0]
    return (
        last not in _TERMINATORS and last not in _CLOSERS_AFTER and last != ":" and first.islower()
    )


def _quote_spans(unit: str) -> list[tuple[int, int]]:
    """Return the (open, close) indices of the outermost quotations in ``unit``.

    Only quote marks are visited (a line without any costs one scan in C).
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    n = len(unit)
    for m in _QUOTE_MARK.finditer(unit):
        i = m.start()
        ch = unit[i]
        if ch in _PAIRED_QUOTES:
            stack.append((_PAIRED_QUOTES[ch], i))
        elif stack and ch == stack[-1][0] and ch != _STRAIGHT:
            closer, start = stack.pop()
            if not stack:
                spans.append((start, i))
        elif ch == _STRAIGHT:
            prev = unit[i - 1] if i > 0 else " "
            nxt = unit[i + 1] if i + 1 < n else " "
            can_open = not nxt.isspace() and (
                not prev.isalnum()
                or prev == _TATWEEL
                or (prev in _PROCLITICS and (i < 2 or not unit[i - 2].isalnum()))
            )
            can_close = not prev.isspace() and not nxt.isalnum()
            if stack and stack[-1][0] == _STRAIGHT:
                if can_close or not can_open:
                    _, start = stack.pop()
                    if not stack:
                        spans.append((start, i))
                else:
                    stack[-1] = (_STRAIGHT, i)
            elif can_open or not can_close:
                stack.append((_STRAIGHT, i))
    return spans


def _split_unit(unit: str, english: bool) -> list[str]:
    """Split one line of text at sentence ends outside quotations.

    Only terminators and closing quote marks can end a sentence, so the scan jumps from one to
    the next instead of visiting every character.
    """
    inside = bytearray(len(unit))
    closes: set[int] = set()
    for start, end in _quote_spans(unit):
        inside[start + 1 : end] = b"\x01" * (end - start - 1)
        closes.add(end)
    stops = sorted(closes.union(m.start() for m in _TERMINATOR_AT.finditer(unit)))
    pieces: list[str] = []
    begin = 0
    i = 0
    for at in stops:
        if at < i or inside[at]:
            continue
        cut, i = _cut_at(unit, at, inside, at in closes, english)
        if cut > begin:
            pieces.append(unit[begin:cut])
            begin = cut
            i = max(i, cut)
    pieces.append(unit[begin:])
    if english:
        pieces = _rejoin_attributions(pieces)
    return pieces


def _skip(unit: str, k: int, inside: bytearray, chars: frozenset[str]) -> int:
    """Return the first index from ``k`` on that is not one of ``chars`` outside a quotation."""
    while k < len(unit) and unit[k] in chars and not inside[k]:
        k += 1
    return k


def _cut_at(unit: str, i: int, inside: bytearray, closes: bool, english: bool) -> tuple[int, int]:
    """Return (where the sentence ends, -1 if not here; the index to resume scanning at)."""
    if unit[i] in _TERMINATORS:
        j = _skip(unit, i, inside, _TERMINATORS)
        k = _skip(unit, j, inside, _CLOSERS_AFTER)
        return (k if _ends_sentence(unit, i, unit[i:j], k, english) else -1), j
    if closes:
        last = _last_visible(unit, i)
        if last >= 0 and unit[last] in _TERMINATORS:
            k = _skip(unit, i + 1, inside, _CLOSERS_AFTER)
            if _ends_sentence(unit, i, unit[last], k, english, after_quote=True):
                return k, i + 1
    return -1, i + 1


def _rejoin_attributions(pieces: list[str]) -> list[str]:
    """Re-attach a short speech tag (``"Why?" Obama asked.``) to the quote it follows."""
    merged: list[str] = []
    for piece in pieces:
        prev = merged[-1].rstrip() if merged else ""
        if prev and prev[-1] in _CLOSERS_AFTER and _ATTRIBUTION.match(piece.strip()):
            merged[-1] = merged[-1] + piece
        else:
            merged.append(piece)
    return merged


def _ends_sentence(
    unit: str, pos: int, run: str, after: int, english: bool, after_quote: bool = False
) -> bool:
    """Decide whether the terminator ``run`` at ``pos`` (text resumes at ``after``) ends a sentence."""
    n = len(unit)
    if after >= n:
        return True
    if not unit[after].isspace():
        return english and after == pos + len(run) and _glued(unit, pos, after)
    start = after
    while start < n and unit[start].isspace():
        start += 1
    if start >= n:
        return True
    nxt = unit[start]
    if english and nxt.islower():
        return False
    if any(c in _STRONG for c in run) or "…" in run or len(run) >= 2 or after_quote:
        return True
    next_word = _WORD_AT.match(unit, start)
    return _period_ends(
        _word_before(unit, pos), pos, nxt, next_word.group(0) if next_word else "", english
    )


def _glued(unit: str, pos: int, after: int) -> bool:
    """Tell whether a terminator at ``pos`` ends a sentence glued to the next (``Ebola.The CDC``).

    Text flattened from a web page can lose the space between sentences. The terminator then
    follows a lower-case word of two letters or more (not an abbreviation such as ``Mrs``) and
    a capitalized word (a capital, then a lower-case letter) follows it at once.

    >>> _glued("symptoms of Ebola.The CDC says", 17, 18), _glued("Mrs.Smith", 3, 4)
    (True, False)
    >>> _glued("visit Example.com today", 13, 14), _glued("the U.S.Army", 7, 8)
    (False, False)
    """
    word = _word_before(unit, pos)
    return (
        len(word) >= 2
        and word.isalpha()
        and word[-1].islower()
        and word.lower() not in _TITLES
        and word.lower() not in _SOFT
        and unit[after].isupper()
        and after + 1 < len(unit)
        and unit[after + 1].islower()
    )


def _period_ends(word: str, pos: int, nxt: str, next_token: str, english: bool) -> bool:
    """Decide whether a single period after ``word`` ends the sentence (abbreviations, initials)."""
    if not word:
        return True
    low = word.lower()
    if len(word) == 1 and word.isalpha() and (not english or word.isupper() or pos < 2):
        return False
    if low in _NEVER_BEFORE_LOWER or (english and low in _TITLES):
        return False
    if english and (low in _SOFT or "." in word):
        return not nxt.isdigit() and next_token.lower() in _OPENERS
    return True


def _last_visible(unit: str, end: int) -> int:
    """Return the index of the last non-space character before ``end`` (-1 when none)."""
    k = end - 1
    while k >= 0 and unit[k].isspace():
        k -= 1
    return k


def _word_before(unit: str, pos: int) -> str:
    """Return the word (letters/digits, inner dots allowed: ``U.S``, ``3.5``) ending at ``pos``.

    Scans backwards from ``pos`` only as far as the word reaches, so splitting a paragraph stays
    linear in its length.

    >>> _word_before("in the U.S. capital", 10)
    'U.S'
    """
    k = pos
    while k > 0 and (
        unit[k - 1].isalnum() or (unit[k - 1] == "." and k < pos and unit[k].isalnum())
    ):
        k -= 1
    while k < pos and unit[k] == ".":
        k += 1
    return unit[k:pos]


_DATELINES = (
    # "WASHINGTON —", "NEW YORK (AP) --", "LONDON, England (CNN) -", "Washington (Reuters) -"
    re.compile(
        r"^(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z0-9][\w.'’-]*){0,4}\s*)?\([^()\n]{1,40}\)\s*(?:[-–—]{1,2}|:)\s*"
    ),
    # "WASHINGTON—Joining", "WASHINGTON –- The": a long dash may touch the next word
    re.compile(
        r"^(?=[A-Z][A-Z'’-]{2})[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,3}\s*(?:[–—][-–—]*\s*|--?\s+)"
    ),
    # "الموصل (الخبر اليوم) -", "أربيل (كوردستان 24)-", "الرياض - واس:"
    re.compile(r"^[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+){0,2}\s*\([^()\n]{2,40}\)\s*[-–—:]\s*"),
    re.compile(r"^[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)?\s*[-–—]\s*[\u0600-\u06ff]+\s*:\s*"),
)
_MIN_WORDS_AFTER = 4


def strip_dateline(sentence: str) -> str:
    """Remove a dateline ("WASHINGTON —", "(Reuters) -", "الموصل (الخبر اليوم) -") opening a sentence.

    The dateline is kept when too little would remain for a sentence.

    >>> strip_dateline("WASHINGTON — The Senate passed the bill on Tuesday.")
    'The Senate passed the bill on Tuesday.'
    >>> strip_dateline("الموصل (الخبر اليوم) - أعلنت الشرطة اعتقال ثلاثة مشتبه بهم")
    'أعلنت الشرطة اعتقال ثلاثة مشتبه بهم'
    >>> strip_dateline("PORT KARSBY, June 3 (Northern Wire) - Ships waited at anchor on Tuesday.")
    'Ships waited at anchor on Tuesday.'
    >>> strip_dateline("WASHINGTON—Joining a chorus of bishops, 90 faculty members wrote.")
    'Joining a chorus of bishops, 90 faculty members wrote.'
    >>> strip_dateline("U.S.—China talks resumed on Friday in Geneva.")
    'U.S.—China talks resumed on Friday in Geneva.'
    >>> strip_dateline("NATO (the alliance) is large.")
    'NATO (the alliance) is large.'
    """
    for pattern in _DATELINES:
        m = pattern.match(sentence)
        if m:
            rest = sentence[m.end() :]
            if len(rest.split()) >= _MIN_WORDS_AFTER:
                return rest
    return sentence


def tidy_sentence(sentence: str) -> str:
    """Return a sentence fit to show: dateline stripped, tatweel removed, spaces collapsed.

    >>> tidy_sentence("(Reuters) - قالت الحكومة إن الاجتمـــاع انتهى اليوم")
    'قالت الحكومة إن الاجتماع انتهى اليوم'
    """
    return " ".join(strip_dateline(sentence.replace(_TATWEEL, "")).split())
