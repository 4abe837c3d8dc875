"""Who said what: quotations with their speakers (Arabic and English), merged across documents.

:func:`find_quotes` reads one document: every quotation inside ``"…"``, ``“…”``, ``«…»`` or
``„…“`` of at least three words, credited to the speaker its sentence names with a reporting
verb (قال، أكد، أضاف، بحسب …; said, told, according to …). A pronoun or a bare verb ("he said",
"وأضاف انه …") takes the most recent named speaker of the article; a quotation whose speaker
cannot be named is dropped, never credited to a pronoun.

:func:`merge_quotes` joins the quotations several documents printed with the same words (as
printed: case, diacritics, tatweel and punctuation do not count, letter forms do; one inside the
other counts, keeping the shorter) and credits each entry to exactly the documents that printed
those words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from .records import ClusterQuote, Doc, Quote
from .text import TATWEEL, fold_line, normalize_text, strip_tashkeel


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _list(text: str) -> list[str]:
    return text.split()


_MIN_QUOTE_WORDS = 3
_MAX_SPEAKER_WORDS = 7
_WORD_CHAR = re.compile(r"[^\W_]")
_MARK_CANDIDATE = re.compile(f"[^\\w\\s]|{TATWEEL}")  # a nonspacing mark is no word character
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # beyond the Basic Multilingual Plane

# ---------------------------------------------------------------------------------------------
# quotation marks and sentences

_CLOSER = {"«": "»", "“": "”", "„": "“", '"': '"'}
_OPENER = re.compile('[«“„"]')
_NEWLINE = re.compile("\n")
_TERMINATORS = re.compile(r"[.!?؟…]+")
_ABBREVIATIONS = _words(
    "mr mrs ms dr sen rep gov gen lt col sgt capt st jr sr prof rev adm pres sec atty inc corp co ltd "
    "no vs jan feb mar apr aug sept sep oct nov dec mt ft"
    ""
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the text inside each pair of quotation marks.

    >>> s = 'He said "we will win" and «نحن هنا».'
    >>> [s[a:b] for a, b in quote_spans(s)]
    ['we will win', 'نحن هنا']
    """
    spans: list[tuple[int, int]] = []
    m = _OPENER.search(text)
    while m:
        j = text.find(_CLOSER[m.group()], m.end())
        if j >= 0:
            spans.append((m.end(), j))
        m = _OPENER.search(text, j + 1 if j >= 0 else m.end())
    return spans


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Tell whether the full stop at ``dot`` ends an abbreviation ("Sen.", "U.S.", "J.")."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:dot].lstrip("(\"'“«")
    return (len(word) == 1 and word.isupper()) or "." in word or word.lower() in _ABBREVIATIONS


def _stop_boundary(text: str, m: re.Match[str], spans: Sequence[tuple[int, int]]) -> int | None:
    """Return where a sentence ends after the terminator ``m``, or None when it does not."""
    if _inside(m.start(), spans):
        return None
    end = m.end()
    while end < len(text) and text[end] == ")":
        end += 1
    if end < len(text) and not text[end].isspace():
        return None
    rest = text[end:].lstrip()
    if rest and rest[0].isascii() and rest[0].islower():
        return None
    if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
        return None
    return end


_ATTRIBUTION_AFTER = re.compile(
    r"\s*[,،]?\s*(?:(?:[A-Z][\w.'’-]*\s+){0,4}(?:said|says|told|added|asked|wrote|tweeted|noted|"
    r"warned|according)\b|(?:he|she|they|it|we|I)\s+\w+\b|"
    r"(?:قال|قالت|بحسب|حسب|وفق|وفقا|اضاف|اضافت|اكد|اكدت|اوضح|اوضحت)(?!\w))"
)


def _quote_boundary(text: str, span: tuple[int, int]) -> int | None:
    """Return where a sentence ends right after a quotation that closes one ("…win." Then …)."""
    start, end = span
    inner = text[start:end].rstrip()
    if not inner or inner[-1] not in ".!?؟…":
        return None
    rest = text[end + 1 :]
    if not rest[:1].isspace():
        return None
    stripped = rest.lstrip()
    if not stripped or (stripped[0].isascii() and not stripped[0].isupper()):
        return None
    if _ATTRIBUTION_AFTER.match(fold_line(rest)):
        return None
    return end + 1


def sentence_spans(
    text: str, spans: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Split ``text`` into sentences, never inside a quotation; return ``(start, end)`` offsets.

    >>> t = 'Sen. Bob Corker said "it is over. We lost." He left. قال الوزير: "انتهى الأمر". ثم غادر.'
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Sen. Bob Corker said "it is over. We lost."', 'He left.', 'قال الوزير: "انتهى الأمر".', 'ثم غادر.']
    """
    spans = quote_spans(text) if spans is None else spans
    cuts = {len(text)}
    cuts.update(m.end() for m in _NEWLINE.finditer(text))
    for m in _TERMINATORS.finditer(text):
        cut = _stop_boundary(text, m, spans)
        if cut is not None:
            cuts.add(cut)
    for span in spans:
        cut = _quote_boundary(text, span)
        if cut is not None:
            cuts.add(cut)
    result: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts):
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            result.append((a, b))
        start = cut
    return result


# ---------------------------------------------------------------------------------------------
# folding with offsets


@cache
def _bmp_marks() -> re.Pattern[str]:
    """Return the pattern of the characters :func:`_fold_map` removes from text without astral
    characters: tatweel and every nonspacing mark (category Mn) of the Basic Multilingual Plane.

    Listed once (a bitmap for the regular expression engine), no match needs a category look-up.
    """
    marks = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Mn")
    return re.compile(f"[{re.escape(marks)}{TATWEEL}]")


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Return ``text`` with Arabic letters folded and marks/tatweel removed, and each char's offset."""
    folded = fold_line(text).replace("آ", "ا")
    if not _ASTRAL.search(folded):
        drops = [m.start() for m in _bmp_marks().finditer(folded)]
    else:
        drops = [
            m.start()
            for m in _MARK_CANDIDATE.finditer(folded)
            if m.group() == TATWEEL or unicodedata.category(m.group()) == "Mn"
        ]
    if not drops:
        return folded, list(range(len(text) + 1))
    chars: list[str] = []
    offsets: list[int] = []
    start = 0
    for drop in [*drops, len(folded)]:
        chars.append(folded[start:drop])
        offsets.extend(range(start, drop))
        start = drop + 1
    offsets.append(len(text))
    return "".join(chars), offsets


# ---------------------------------------------------------------------------------------------
# reporting verbs


def _alt(words: Sequence[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_AR_PAST = _list(
    "قال اكد اضاف اوضح صرح اشار ذكر كتب غرد اعلن تابع استدرك شدد لفت اعتبر افاد حذر كشف اردف "
    "استطرد علق ختم نوه"
)
_AR_PRESENT = _list("يقول يضيف يوكد يوضح يشير يذكر يعتبر يري")
_AR_PARTICIPLES = _list("قايل مضيف موكد موضح مشير مشدد لافت معتبر محذر منوه متابع مبين مستدرك مردف")
_AR_MASC = [*_AR_PAST, *_AR_PRESENT, "يقولون", *(p + "ا" for p in _AR_PARTICIPLES)]
_AR_FEM = [
    *(v + "ت" for v in _AR_PAST),
    *("ت" + v[1:] for v in _AR_PRESENT),
    *(p + "ه" for p in _AR_PARTICIPLES),
]
_AR_PLURAL = [*(v + "وا" for v in _AR_PAST), *(v + "ا" for v in _AR_PAST)]
_AR_PREPOSITIONS = r"بحسب|حسب|وفق|وفقا\s+ل|طبقا\s+ل|نقلا\s+عن|نقل\s+عن|علي\s+لسان"
_AR_VERB = re.compile(
    rf"(?<!\w)(?:و|ف)?(?:(?P<f>{_alt(_AR_FEM)})|(?P<p>{_alt(_AR_PLURAL)})|(?P<m>{_alt(_AR_MASC)})"
    rf"|(?P<prep>{_AR_PREPOSITIONS}))(?!\w)"
)
# the words an _AR_VERB match can open with: it starts where a run of word characters starts, and a
# single word (or a phrase's first word, followed by a space) is that whole run
_AR_VERB_OPENERS = frozenset(
    clitic + word.split("\\s+")[0]
    for clitic in ("", "و", "ف")
    for word in [*_AR_FEM, *_AR_PLURAL, *_AR_MASC, *_AR_PREPOSITIONS.split("|")]
)
_WORD_RUN = re.compile(r"\w+")


def _ar_verbs(folded: str) -> Iterator[re.Match[str]]:
    """Yield the matches of ``_AR_VERB.finditer(folded)``, trying the pattern only where a word
    that can open one starts (trying each of its alternatives at every character costs more)."""
    end = 0
    for word in _WORD_RUN.finditer(folded):
        if word.start() < end or word.group() not in _AR_VERB_OPENERS:
            continue
        m = _AR_VERB.match(folded, word.start())
        if m:
            end = m.end()
            yield m


_AR_PARTICIPLE_FORMS = frozenset(
    [*(p + "ا" for p in _AR_PARTICIPLES), *(p + "ه" for p in _AR_PARTICIPLES)]
)
_EN_VERBS = _list(
    "said says say told tells added adds stated wrote writes tweeted tweets asked noted warned warns "
    "explained explains continued insisted insists argued argues declared announced recalled "
    "acknowledged admitted conceded claimed claims replied responded urged stressed emphasized quipped "
    "joked remarked cautioned predicted complained vowed shouted testified posted reported called "
    "retorted"
)
_EN_PARTICIPLES = _list(
    "saying adding writing telling noting calling asking warning arguing explaining insisting "
    "declaring stressing tweeting"
)
_EN_VERB = re.compile(
    rf"\b(?:(?P<prep>according to)|(?P<v>{_alt(_EN_VERBS)})|(?P<part>{_alt(_EN_PARTICIPLES)}))\b"
)
_EN_NO_INVERSION = frozenset({"told", "tells"})  # "told Reuters": what follows is the listener

# ---------------------------------------------------------------------------------------------
# speaker phrases

_PRONOUNS = _words(
    "he she they it i we you him her them his hers their its هو هي هم هما هن نحن انا انت انتم "
    "انه انها انهم انهما"
)
_INDEFINITE = _words("someone somebody one many others some anyone nobody everyone")
_AR_STOP = _words(
    "ان انه انها انهم انهما انني اننا بان بانه بانها في فيها فيه خلال علي عن من الي مع عبر امام لدي عند "
    "بعد قبل منذ حيث الذي التي الذين اللذين ما ايضا كذلك اليوم امس غدا مساء صباح فجر ظهر ليل ليله يوم "
    "الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت حينها انذاك بدوره بدورها بعضها بعضهم هذا هذه "
    "ذلك تلك قد لقد لوسايل لوكاله لصحيفه لقناه لموقع للصحفيين للصحافيين لشبكه لتلفزيون لاذاعه لـ "
    "بالقول قايلا عنه عنها عنهم له لها لهم به بها منه منها اليه اليها عليه عليها"
)
_AR_TITLE = re.compile(
    r"(?<!\w)(?:و|ل|ب)?(?:رييس\s+(?:الوزراء|الحكومه|الجمهوريه|البرلمان|مجلس\s+\S+)|الرييس|وزير\s+\S+|"
    r"(?:المتحدث|المتحدثه|الناطق|الناطقه)\s+باسم\s+\S+(?:\s+ال\S+)?|نايب\s+\S+|السفير|زعيم|قايد|"
    r"الامين\s+العام|المبعوث|الجنرال|العقيد|اللواء|العميد|الشيخ|الملك|الامير|ولي\s+العهد)"
    r"(?:\s+ال\S+(?:ي|يه))*\s+(?P<first>[^\s\W\d]\w*)\s+(?P<last>[^\s\W\d]\w*)"
)
_EN_TITLES = _words(
    "sen. rep. gov. dr. mr. mrs. ms. gen. lt. col. sgt. capt. pres. sec. adm. prof. rev. atty. st."
)
_EN_ROLES = _words(
    "spokesman spokeswoman spokesperson official officials police authorities senator president "
    "minister secretary aide aides lawyer lawyers attorney chief director leader leaders governor mayor "
    "analyst analysts expert experts source sources witness witnesses investigators prosecutors "
    "prosecutor ambassador commander sheriff department ministry agency statement report residents "
    "resident activists campaign representative candidate member members executive chairman "
    "chairwoman economist researchers doctors organizers protesters critics supporters officer "
    "officers spokespeople administration office government military army court judge"
)
_INITIAL = re.compile(r"[A-Z]\.")
_EN_DETERMINED = re.compile(
    r"\b(?P<s>(?:[Aa]n?|[Tt]he|[Aa]nother|[Oo]ne)\s+(?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)\s*$"
)
_EN_CONNECTORS = frozenset({"of", "for", "the", "and", "from", "at"})
_EN_SKIP_BEFORE_VERB = _words(
    "also later then previously repeatedly reportedly has had have once recently again simply just "
    "flatly bluntly publicly privately separately earlier further initially first last finally "
    "yesterday today tonight monday tuesday wednesday thursday friday saturday sunday on morning "
    "afternoon evening night"
)
_EN_CAP_STOP = _words(
    "but and the when while after before in on at as if yet so then still now also however meanwhile "
    "later earlier instead asked speaking separately despite although though because since for with "
    "without during under according this that these those it there here what why how who where last "
    "next monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december a an both all many some most several each "
    "neither either none only even just"
)


def _en_word(raw: str) -> str:
    word = raw.strip("\"'“”‘’()[],;:")
    if word.endswith(".") and word.lower() not in _EN_TITLES and not _INITIAL.fullmatch(word):
        word = word.rstrip(".")
    return word


def _en_name_word(word: str) -> bool:
    """Tell whether ``word`` can be part of an English speaker phrase."""
    low = word.lower()
    if low in _EN_TITLES or low.rstrip("s") in _EN_ROLES or low in _EN_ROLES:
        return True
    return word[:1].isupper() and low.rstrip(".") not in _EN_CAP_STOP


def _en_valid(words: Sequence[str]) -> bool:
    return any(
        w.lower() in _EN_ROLES or (w[:1].isupper() and w.lower() not in _EN_CAP_STOP) for w in words
    )


def _trim_connectors(words: list[str]) -> list[str]:
    while words and words[0].lower() in _EN_CONNECTORS | {"a", "an"}:
        words = words[1:]
    while words and words[-1].lower() in _EN_CONNECTORS:
        words = words[:-1]
    return words


@dataclass(frozen=True, slots=True)
class _Subject:
    """What a reporting verb says about its speaker: a named phrase, a pronoun, or nothing."""

    name: str = ""
    pronoun: bool = False  # "he said", "وأضاف انه": resolve from the article
    gender: str = ""  # m, f or p (plural) when the verb or pronoun tells


_NONE = _Subject()
_PRONOUN = _Subject(pronoun=True)
_EN_PRONOUN_GENDER = {"he": "m", "she": "f", "they": "p"}
_EN_REFLEXIVE = frozenset({"himself", "herself", "themselves", "itself"})
_EN_AFFILIATION = re.compile(
    r",?\s*(?:\(\s*[RDI](?:-[A-Z][A-Za-z. ]*)?\s*\)|\b[RDI]-[A-Z][A-Za-z.]*)"
)


def _en_pronoun(word: str) -> _Subject:
    return _Subject(pronoun=True, gender=_EN_PRONOUN_GENDER.get(word.lower(), ""))


def _en_subject_before(text: str) -> _Subject:
    """Read the speaker phrase that ends right before an English verb ("Sen. Bob Corker said")."""
    words = _EN_AFFILIATION.sub("", text).split()
    while (
        words
        and _en_word(words[-1]).lower() in _EN_SKIP_BEFORE_VERB | _EN_REFLEXIVE
        and not words[-1].endswith(",")
    ):
        words.pop()
    if words and words[-1] == "and":  # "… and said": the sentence's speaker goes on
        return _PRONOUN
    if words and words[-1].endswith(","):  # "Beck, an outspoken critic of the president, said"
        commas = [i for i, w in enumerate(words[:-1]) if w.endswith(",")]
        if commas and len(words) - commas[-1] > 12:
            return _NONE
        words = words[: commas[-1] + 1] if commas else words
        words[-1] = words[-1][:-1]
    if words and _en_word(words[-1]).lower() in _PRONOUNS:
        return _en_pronoun(_en_word(words[-1]))
    picked: list[str] = []
    for raw in reversed(words):
        word = _en_word(raw)
        if raw.endswith((",", ";", ":")) and picked or not word:
            break
        if not (_en_name_word(word) or (picked and word.lower() in _EN_CONNECTORS)):
            break
        picked.insert(0, word)
    picked = _trim_connectors(picked)
    role = _EN_DETERMINED.search(
        " ".join(words)
    )  # "a neighbor told reporters", "the joint statement"
    if role and all(w.islower() for w in picked):
        return _Subject(role.group("s"))
    if not picked or not _en_valid(picked) or picked[-1].lower() in _INDEFINITE:
        return _NONE
    return _Subject(" ".join(picked[-_MAX_SPEAKER_WORDS:]))


def _en_subject_after(text: str) -> _Subject:
    """Read the speaker phrase right after an English verb.

    For example "said Sen. Bob Corker." or "according to police".
    """
    picked: list[str] = []
    for raw in _EN_AFFILIATION.sub("", text).split():
        word = _en_word(raw)
        low = word.lower()
        if not picked and low in _PRONOUNS:
            return _en_pronoun(low)
        if not word or not (_en_name_word(word) or low in _EN_CONNECTORS | {"a", "an"}):
            break
        keep = word if low in _EN_TITLES else word.rstrip(".")
        picked.append(keep)
        if raw.rstrip("\"'”’)").endswith((",", ";", ":", "?", "!")) or (
            raw.endswith(".") and low not in _EN_TITLES
        ):
            break
        if len(picked) >= _MAX_SPEAKER_WORDS:
            break
    picked = _trim_connectors(picked)
    if not picked or not _en_valid(picked):
        return _NONE
    return _Subject(" ".join(picked))


def _ar_subject_after(folded: str, start: int) -> tuple[int, int] | None:
    """Return the folded span of the Arabic words after a verb that name its subject."""
    words = list(re.finditer(r"[^\s،,:؛;.!?؟\"«»“”„()]+|[،,:؛;.!?؟\"«»“”„()]", folded[start:]))
    picked: list[re.Match[str]] = []
    for w in words:
        token = w.group()
        if not token[0].isalpha() or token in _AR_STOP or token.startswith("لـ"):
            break
        if _ar_pronoun(token):  # "قال وهو يغادر", "قالت فلانة وهي تبكي": the name ends here
            break
        if token.isdigit() or _AR_VERB.fullmatch(token):
            break
        picked.append(w)
        if len(picked) >= _MAX_SPEAKER_WORDS:
            break
    if not picked:
        return None
    return start + picked[0].start(), start + picked[-1].end()


def _ar_pronoun(token: str) -> bool:
    """Tell whether a folded Arabic word is a pronoun, alone or after و/ف ("وهو", "فهي")."""
    return token in _PRONOUNS or (token[:1] in "وف" and token[1:] in _PRONOUNS)


_AR_RELATIVE = re.compile(r"(?<!\w)(?:الذي|التي|الذين|اللذين|اللتين)\s+$")
_AR_SV = re.compile(
    r"(?:^|(?<=[\s،,]))(?:و?كان|و?كانت|ان|انه|اذ|ثم|لكن|ولكن)\s+(?P<s>[^\s\W\d]\w*(?:\s+[^\s\W\d]\w*)?)"
    r"\s+(?:قد\s+)?$"
)


# ---------------------------------------------------------------------------------------------
# one document


@dataclass(slots=True)
class _State:
    """What the article has said so far about who is speaking."""

    last: list[tuple[str, str]] = field(default_factory=list)  # (speaker, gender) in text order
    names: dict[str, str] = field(default_factory=dict)  # folded name -> name as printed

    def push(self, speaker: str, gender: str) -> None:
        self.last.append((speaker, gender))
        key = " ".join(_fold_map(speaker)[0].split())
        self.names.setdefault(key, speaker)
        self.names.setdefault(key.split()[-1], speaker.split()[-1])

    def resolve(self, gender: str) -> str:
        """Return the most recent speaker whose gender agrees with the verb's, else ""."""
        for speaker, g in reversed(self.last):
            if not gender or not g or g == gender or "p" in (g, gender):
                return speaker
        return ""


@dataclass(frozen=True, slots=True)
class _Event:
    """A reporting verb in a sentence and the speaker it gives."""

    start: int
    end: int
    speaker: str


def _gender(m: re.Match[str]) -> str:
    return next((g for g in ("f", "p", "m") if m.group(g)), "")


def _ar_topic(folded: str, state: _State) -> str:
    """Return the known name a sentence opens with ("الكاظمي نشر …", "وكان الكاظمي …"), or ""."""
    words = folded.split()[:3]
    if words and words[0] in {"وكان", "كان", "وكانت", "كانت"}:
        words = words[1:]
    for n in (2, 1):
        key = " ".join(words[:n])
        for cand in (key, key[1:] if key[:1] in "وف" else ""):
            if cand and cand in state.names:
                return state.names[cand]
    return ""


def _ar_events(sentence: str, spans: Sequence[tuple[int, int]], state: _State) -> list[_Event]:
    """Find the Arabic reporting verbs of a sentence, in order, resolving bare ones."""
    folded, offsets = _fold_map(sentence)
    for m in _AR_TITLE.finditer(folded):
        state.names.setdefault(
            m.group("last"), sentence[offsets[m.start("last")] : offsets[m.end("last")]]
        )
    events: list[_Event] = []
    for m in _ar_verbs(folded):
        a, b = offsets[m.start()], offsets[m.end()]
        if _inside(a, spans):
            continue
        if _AR_RELATIVE.search(folded, 0, m.start()):
            continue  # "الانسحاب الذي أعلنت عنه": a relative clause, not an attribution
        speaker = _ar_speaker(sentence, folded, offsets, m, state)
        if speaker is None:
            continue
        if speaker:
            state.push(speaker, _gender(m) if not m.group("prep") else "")
        events.append(_Event(a, b, speaker))
    return events


def _ar_speaker(
    sentence: str, folded: str, offsets: list[int], m: re.Match[str], state: _State
) -> str | None:
    """Return the speaker of one Arabic verb ("" unresolved), or None when it is no attribution."""
    span = (
        None
        if m.group().lstrip("وف") in _AR_PARTICIPLE_FORMS
        else _ar_subject_after(folded, m.end())
    )
    if span is not None:
        return sentence[offsets[span[0]] : offsets[span[1]]].strip()
    if m.group("prep"):
        return None
    sv = _AR_SV.search(folded, 0, m.start())
    if sv and sv.group("s").split()[0] not in _AR_STOP | _PRONOUNS:
        return sentence[offsets[sv.start("s")] : offsets[sv.end("s")]]
    return _ar_topic(folded, state) or state.resolve(_gender(m))


_EN_SUBJECT_LEAD = re.compile(
    r"^(?:[A-Z][^,\"“”]{0,60},\s+)?(?:(?:An?|The)\s+(?:[a-z][\w-]*\s+){0,2}(?=[A-Z]))?"
    r"(?P<s>(?:(?:[A-Z][\w.’'-]*|of|the)\s+){0,4}[A-Z][\w’'-]*[\w])(?=,|\s+[a-z])"
)
_EN_VERB_NEXT = re.compile(
    r"\s+(?:(?:also|later|then|\w+ly)\s+)?(?:[a-z]+ed|says|said|told|has|had|was|is)\b"
)
_EN_TITLE_GENDER = {"mr.": "m", "mrs.": "f", "ms.": "f"}


def _en_gender(name: str) -> str:
    return _EN_TITLE_GENDER.get(name.split()[0].lower(), "")


def _en_lead(sentence: str, state: _State) -> None:
    """Note the person a sentence opens with ("Majority Whip Kevin McCarthy, who …, made …")."""
    lead = _EN_SUBJECT_LEAD.match(sentence)
    if not lead:
        return
    name = lead.group("s")
    words = name.split()
    if words[0].lower().rstrip(".") in _EN_CAP_STOP or name.endswith(("’s", "'s")):
        return
    if len(words) >= 2 or words[0] in state.names or _EN_VERB_NEXT.match(sentence, lead.end()):
        state.push(name, _en_gender(name))


def _en_named(name: str) -> bool:
    return any(w[:1].isupper() and w.lower().rstrip(".") not in _EN_CAP_STOP for w in name.split())


def _en_events(sentence: str, spans: Sequence[tuple[int, int]], state: _State) -> list[_Event]:
    """Find the English reporting verbs of a sentence, in order, resolving pronouns."""
    _en_lead(sentence, state)
    events: list[_Event] = []
    for m in _EN_VERB.finditer(sentence):
        if _inside(m.start(), spans):
            continue
        before_start = max([b + 1 for a, b in spans if b < m.start()], default=0)
        subject = _en_subject(sentence, m, before_start)
        speaker = state.resolve(subject.gender) if subject.pronoun else subject.name
        if subject.name and _en_named(subject.name):
            state.push(subject.name, _en_gender(subject.name))
        if speaker or subject.pronoun:
            events.append(_Event(m.start(), m.end(), speaker))
    return events


def _en_subject(sentence: str, m: re.Match[str], before_start: int) -> _Subject:
    before = sentence[before_start : m.start()]
    after = sentence[m.end() :]
    if m.group("prep"):
        return _en_subject_after(after)
    if m.group("part"):
        return _PRONOUN  # "…, saying that …": the sentence's speaker
    subject = _en_subject_before(before)
    inverted = not before.strip(" ,\"'”’") or before.rstrip().endswith((",", "”", '"', "’"))
    if (
        not subject.name
        and not subject.pronoun
        and inverted
        and m.group("v") not in _EN_NO_INVERSION
    ):
        return _en_subject_after(after)
    return subject


def _pick_event(events: Sequence[_Event], start: int, end: int, at_start: bool) -> _Event | None:
    """Choose the reporting verb that introduces the quotation at ``start:end``."""
    before = [e for e in events if e.end <= start]
    after = [e for e in events if e.start >= end]
    if at_start and after:
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else None


def _clean_quote(text: str) -> str:
    return text.strip().strip(",،;؛:").strip()


def _is_pronoun(speaker: str) -> bool:
    words = _fold_map(speaker)[0].lower().split()
    return not words or _ar_pronoun(words[0]) or words[-1] in _PRONOUNS


def _is_english(lang: str | None, text: str) -> bool:
    """Tell whether ``text`` is read with the English verbs (else the Arabic ones)."""
    return lang == "en" or not _ARABIC_LETTER.search(text)


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def _paragraph_quotes(
    doc: Doc, paragraph: str, spans: Sequence[tuple[int, int]], state: _State
) -> list[Quote]:
    """Return every quotation of one paragraph (``spans``: its quote spans) with its speaker ("" when
    none could be named)."""
    english = _is_english(doc.lang, paragraph)
    found: list[Quote] = []
    previous = ""
    for s_start, s_end in sentence_spans(paragraph, spans):
        sentence = paragraph[s_start:s_end]
        local = [(a - s_start, b - s_start) for a, b in spans if s_start <= a and b <= s_end]
        events = (_en_events if english else _ar_events)(sentence, local, state)
        for a, b in local:
            text = _clean_quote(sentence[a:b])
            if sum(1 for w in text.split() if _WORD_CHAR.search(w)) < _MIN_QUOTE_WORDS:
                continue
            at_start = not sentence[: a - 1].strip()
            event = _pick_event(events, a, b, at_start)
            speaker = event.speaker if event else (previous if at_start else "")
            if speaker and _is_pronoun(speaker):
                speaker = ""
            found.append(Quote(speaker, text, doc.id, sentence))
            previous = speaker or previous
    return found


# reporting verbs that often tell something else: "responded to the scene", "called 911", "posted
# bail", "was reported missing", "asked the court", "claimed two lives"
_NOT_ALWAYS_SPEECH = _words("responded called posted reported asked claimed claims continued")


def speech_frames(sentence: str, lang: str | None) -> list[str]:
    """Return the attribution frames of one sentence: each reporting verb outside quotation marks,
    with the speaker it names (as printed), in order. A pronoun's speaker is not looked for (the
    sentence is read on its own).

    >>> speech_frames("Port chief Graham Pollock said he hoped to meet the unions.", "en")
    ['said', 'Port chief Graham Pollock']
    >>> speech_frames("قال وزير الخارجية فؤاد حسين إن الزيارة ناجحة", "ar")
    ['قال', 'وزير الخارجية فؤاد حسين']
    >>> speech_frames("The port reopened on Monday.", "en")
    []
    """
    english = _is_english(lang, sentence)
    state = _State()
    found: list[str] = []
    for event in (_en_events if english else _ar_events)(sentence, quote_spans(sentence), state):
        verb = sentence[event.start : event.end]
        if verb.lower() in _NOT_ALWAYS_SPEECH:
            continue
        found.append(verb)
        if event.speaker and not _is_pronoun(event.speaker):
            found.append(_en_phrase(sentence, event) if english else event.speaker)
    return found


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”«»—–]")
_MAX_FRAME_WORDS = 10


def _en_phrase(sentence: str, event: _Event) -> str:
    """Return the whole phrase an English speaker is named in, between the reporting verb and the
    nearest clause break ("Port authority chief executive Graham Pollock" said; said "Lt. Steve
    Jauch of the sheriff's department"), or the speaker alone when that phrase is long."""
    last = event.speaker.split()[-1]
    before = sentence[: event.start]
    if last in before:
        breaks = list(_CLAUSE_BREAK.finditer(before))
        phrase = before[breaks[-1].end() if breaks else 0 :]
    else:
        after = sentence[event.end :]
        cut = _CLAUSE_BREAK.search(after)
        phrase = after[: cut.start() if cut else len(after)].rstrip(" .!?")
    if last not in phrase or len(phrase.split()) > _MAX_FRAME_WORDS:
        return event.speaker
    return phrase.strip()


def quotations(doc: Doc) -> tuple[Quote, ...]:
    """Return every quotation of ``doc`` in text order, with ``speaker == ""`` when none was named."""
    paragraphs = [p for p in doc.body.split("\n\n") if p.strip()]
    spans = [quote_spans(p) for p in paragraphs]
    last = max((i for i, s in enumerate(spans) if s), default=-1)  # later ones tell no quotation
    state = _State()
    found: list[Quote] = []
    for paragraph, quoted in zip(paragraphs[: last + 1], spans[: last + 1], strict=True):
        found.extend(_paragraph_quotes(doc, paragraph, quoted, state))
    return tuple(found)


def find_quotes(doc: Doc) -> tuple[Quote, ...]:
    """Return the quotations of ``doc`` whose speaker is named (a name or role, never a pronoun).

    >>> from clusterer.config import Config
    >>> from clusterer.normalize import normalize_article
    >>> from clusterer.records import Article
    >>> text = 'Talks end\\n\\nSen. Bob Corker met the press. "We are not there yet," he said.'
    >>> doc = normalize_article(Article("a", text, "a", lang="en"), Config())
    >>> [(q.speaker, q.text) for q in find_quotes(doc)]
    [('Sen. Bob Corker', 'We are not there yet')]
    """
    return tuple(q for q in quotations(doc) if q.speaker)


# ---------------------------------------------------------------------------------------------
# across documents


_NON_WORD = re.compile(r"[\W_]+")


def printed_words(text: str) -> str:
    """Return the words of ``text`` as printed, space-padded, for matching one inside another.

    Only case, Arabic marks and tatweel, punctuation (quotation marks included) and spacing
    are let go; letters stay as printed, so alef, hamza, ya and ta marbuta forms differ.

    >>> printed_words("«إنّ الأمــرَ,  هامٌّ»")
    ' إن الأمر هام '
    >>> printed_words("ان الامر") == printed_words("إن الأمر")
    False
    """
    folded = strip_tashkeel(unicodedata.normalize("NFKC", text).casefold())
    return " " + " ".join(w for w in _NON_WORD.split(folded) if w) + " "


def _best_speaker(quotes: Sequence[Quote]) -> str:
    counts = Counter(" ".join(normalize_text(q.speaker).split()) for q in quotes)
    best = min(
        quotes,
        key=lambda q: (
            -counts[" ".join(normalize_text(q.speaker).split())],
            len(q.speaker),
            q.speaker,
        ),
    )
    return best.speaker


def merge_quotes(
    per_doc: Mapping[str, tuple[Quote, ...]], outlets: Mapping[str, str | None]
) -> tuple[ClusterQuote, ...]:
    """Join the quotations that several documents printed with the same words.

    Two quotations are the same when their :func:`printed_words` are equal or one holds the
    other (the shorter words are kept). Each entry's sources are exactly the documents that printed those
    words; entries come in order of first position in the document with the most quotations.

    >>> q = lambda doc, text: Quote("Corker", text, doc, text)
    >>> per_doc = {"a": (q("a", "an island of stability"),),
    ...            "b": (q("b", "It is an island of stability, he said"),)}
    >>> merged = merge_quotes(per_doc, {"a": "X", "b": None})
    >>> [(m.text, m.sources, m.outlets) for m in merged]
    [('an island of stability', ('a', 'b'), ('X', None))]
    """
    order = {doc: i for i, doc in enumerate(per_doc)}
    items = [
        (printed_words(q.text), order[doc], pos, q)
        for doc, qs in per_doc.items()
        for pos, q in enumerate(qs)
    ]
    items = [it for it in items if it[0].strip()]
    items.sort(key=lambda it: (len(it[0]), it[1], it[2]))
    groups: list[tuple[str, list[tuple[int, Quote]], list[Quote]]] = []
    for key, _, pos, quote in items:
        homes = [g for g in groups if g[0] in key]
        if not homes:
            groups.append((key, [(pos, quote)], [quote]))
        for home_key, members, exact in homes:
            members.append((pos, quote))
            if home_key == key:
                exact.append(quote)
    cited = Counter(doc for _, members, _ in groups for doc in {q.doc for _, q in members})
    rank = {doc: (-cited[doc], order[doc]) for doc in per_doc}
    entries: list[tuple[tuple[int, int], int, str, ClusterQuote]] = []
    for _, members, exact in groups:
        docs = sorted({q.doc for _, q in members}, key=lambda d: order[d])
        first_pos, first = min(members, key=lambda m: (rank[m[1].doc], m[0]))
        quotes = [q for _, q in members]
        text = min(exact, key=lambda q: (len(normalize_text(q.text)), order[q.doc])).text
        merged = ClusterQuote(
            _best_speaker(quotes), text, tuple(docs), tuple(outlets.get(d) for d in docs)
        )
        entries.append((rank[first.doc], first_pos, text, merged))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    return tuple(e[3] for e in entries)
