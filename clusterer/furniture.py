"""Page furniture: the lines and segments of a scraped page that are not the article.

- :func:`is_furniture` recognizes furniture lines ("تحميل المزيد", "Read more", share bars,
  photo credits, copyright and cookie notices);
- :func:`is_notice` recognizes the fixed texts of players, embeds and sign-up forms;
- :func:`is_caption` recognizes photo captions that end in a credit ("... - رويترز");
- :func:`cut_inline_furniture` cuts furniture segments out of a line (template placeholders);
- :func:`cut_tail_block` finds the "related" / "most read" block that closes a flattened page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

from .text import fold_line, normalize_text, normalized_words

# ---------------------------------------------------------------------------------------------
# furniture lines

_FURNITURE_EXACT = frozenset(
    normalize_text(p)
    for p in """
تحميل المزيد|المزيد|عرض المزيد|الخط|حجم الخط|تكبير الخط|تصغير الخط|+ الخط -|اقرأ أيضا|اقرأ أيضاً|
اقرأ المزيد|شارك|شارك الخبر|شارك المقال|مشاركة|مشاركة الخبر|طباعة|طباعة الخبر|أرسل لصديق|ارسل لصديق|
نسخ الرابط|الرابط المختصر|رابط مختصر|مواضيع ذات صلة|أخبار ذات صلة|مقالات ذات صلة|اخبار متعلقة|
الأكثر قراءة|الأكثر مشاهدة|الأكثر تعليقا|التعليقات|تعليقات|أضف تعليق|أضف تعليقك|اترك تعليقا|
كلمات مفتاحية|الكلمات المفتاحية|الكلمات الدلالية|وسوم|الوسوم|إعلان|إعلانات|اشترك|اشترك الآن|تابعنا|
تابعونا|الرئيسية|الصفحة الرئيسية|العودة للأعلى|العودة إلى الأعلى|فيسبوك|تويتر|واتساب|واتس اب|تلغرام|
تيليجرام|لينكدإن|انستغرام|يوتيوب|البريد الإلكتروني|مشاهدة|فيديو|صور|advertisement|advertisements|
sponsored|sponsored content|read more|read more:|read next|share|share this|share this article|
share this story|share on facebook|share on twitter|tweet|print|email|e-mail|comments|comment|
related|related articles|related stories|related content|related coverage|most read|most popular|
trending|subscribe|subscribe now|sign up|log in|login|skip to content|skip to main content|loading|
loading...|continue reading|story continues below|advertisement story continues below|click here|
watch|video|photo|photos|image|images|back to top|top|home|menu|search|close|next|previous|
next article|previous article|facebook|twitter|whatsapp|telegram|linkedin|pinterest|reddit|
instagram|youtube|copy link|listen|listen to this article|
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
# Photo and agency credits, in fold_line form (matched ignoring case).
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


def _looks_like_numeric_date(words: Sequence[str]) -> bool:
    """Tell whether digit-only words look like a numeric date (day, month and a 4-digit year)."""
    return (
        len(words) >= 3
        and any(len(w) == 4 for w in words[:3])
        and all(len(w) <= 4 for w in words[:3])
    )


def _count_words(norm: str) -> int:
    """Return the number of words of a normalized text (one space or newline between words),
    counted up to ``_MAX_NOTICE_WORDS + 1``."""
    if not norm:
        return 0
    spaces = norm.count(" ")
    if spaces >= _MAX_NOTICE_WORDS:
        return _MAX_NOTICE_WORDS + 1
    return spaces + norm.count("\n") + 1


def _may_have_more_words(text: str, most: int) -> bool:
    """Tell whether ``text`` may have more than ``most`` words (False: it has ``most`` at most,
    told from its length, or from its spaces when " " is its only kind of space)."""
    return len(text) > 2 * most and not (text.isprintable() and text.count(" ") < most)


def is_furniture(line: str, norm: str | None = None) -> bool:
    """Tell whether ``line`` is page furniture (menus, share bars, "Read more", credits), not news.

    Only short lines qualify; a real sentence never does. ``norm``, when the caller has it, is
    ``normalize_text(line)`` (saves normalizing the line again).

    >>> is_furniture("تحميل المزيد"), is_furniture("+ الخط -"), is_furniture("Advertisement")
    (True, True, True)
    >>> is_furniture("قال البيت الأبيض إن الرئيس ناقش الهجمات الصاروخية")
    False
    """
    raw = line.strip()
    n = _count_words(norm) if norm is not None else 0
    if not raw or n > _MAX_NOTICE_WORDS:
        return False
    if _may_have_more_words(raw, _MAX_NOTICE_WORDS) and (
        len(raw.split(maxsplit=_MAX_NOTICE_WORDS)) > _MAX_NOTICE_WORDS
    ):
        return False
    if norm is None:
        norm = normalize_text(raw)
        n = _count_words(norm)
        if n > _MAX_NOTICE_WORDS:
            return False
    if not n:
        return True  # only symbols and punctuation
    if n > _MAX_FURNITURE_WORDS:
        return norm.startswith(_FURNITURE_PREFIXES) and not _COOKIE_WORDS.isdisjoint(norm.split())
    words = norm.split()
    if norm in _FURNITURE_EXACT:
        return True
    if all(w.replace(".", "").isdigit() for w in words):
        return not _looks_like_numeric_date(words)
    if "©" in raw or norm.startswith(_FURNITURE_PREFIXES):
        return True
    if all(w in _SHARE_WORDS for w in words):
        return True
    return bool(_CREDIT_ONLY.match(fold_line(raw).strip()))


# The fixed texts that players, embeds and sign-up forms put inside a scraped article's text (the
# words of a sign-up form, a tweet's location notice, a player's "enable JavaScript"): never news.
_NOTICE = re.compile(
    r"\benable\s+javascript\b|\bjavascript\s+(?:is\s+)?(?:required|disabled)\b"
    r"|\byour\s+browser\s+does\s+not\s+support\b|\bmedia\s+playback\s+is\s+unsupported\b"
    r"|^media\s+caption\b|\bwhen\s+you\s+tweet\s+with\s+a\s+location\b"
    r"|\bswitch\s+location\s+on/off\b|\bdelete\s+your\s+location\s+history\b"
    r"|\bwe\s+do\s+not\s+pre-?screen\s+comments\b"
    r"|\bby\s+(?:signing\s+up|registering|submitting\s+[\w ]{1,40}?|clicking\s+[\w ]{1,40}?),?"
    r"\s+you\s+agree\b"
    r"|\byou'?ll\s+(?:get|receive)\s+an\s+email\b|\bemail\s+notifications\s+are\s+only\s+sent\b"
    r"|\bget\s+email\s+notifications\s+on\b|\bclick\s+on\s+the\s+link\s+to\s+activate\b"
    r"|\bto\s+seeing\s+you\s+on\s+\S+\s+frequently\b"
    r"|\bcopy\s+this\s+code\s+to\s+your\s+(?:website|site|blog)\b|\bthis\s+video\s+is\s+represented\s+by\b"
    r"|\benlarge\s+this\s+image\b|\btoggle\s+caption\b|\bthis\s+crawl\s+was\s+run\b"
    # the same in Arabic: a player that cannot play, a log-in or sign-up form
    r"|لا\s+يدعم\s+تشغيل|تم\s+تعطيل\s+حسابك|كلمة\s+(?:مرور|سر)\s+جديدة|نسيت\s+كلمة\s+(?:المرور|السر)"
    r"|\bلإكمال\s+تسجيلك|\bستتلقى\s+بريدا|[إا]نك\s+تقر\s+بموافقتك|الرجاء\s+تأكيد\s+المعلومات"
    r"|قم\s+بتسجيل\s+الدخول|\bسجل\s+دخولك|\bبريد\s+التأكيد|\bالربط\s+بين\s+الحسابات",
    re.IGNORECASE,
)
# Every match of _NOTICE holds one of these as a word of the normalized text (each Arabic phrase
# has one between spaces, or opens at a word boundary): a text without one is not searched.
NOTICE_WORDS = normalized_words(
    "javascript browser playback caption tweet location comments agree email activate frequently "
    "code represented enlarge crawl يدعم تعطيل مرور سر كلمة لإكمال ستتلقى تقر تأكيد بتسجيل سجل بريد "
    "الربط"
)


def is_notice(text: str, words: Sequence[str] | None = None) -> bool:
    """Tell whether ``text`` holds one of the fixed texts of a page's player, embed or sign-up
    form ("Please enable JavaScript to watch this video"): page furniture, whatever its length.
    ``words``, when the caller has them, are those of ``normalize_text(text)``.

    >>> is_notice("Please enable Javascript to watch this video")
    True
    >>> is_notice("By signing up you agree to receive email newsletters or alerts from POLITICO.")
    True
    >>> is_notice("The senator said she would not agree to the deal.")
    False
    """
    if words is None:
        words = normalize_text(text).split()
    return not NOTICE_WORDS.isdisjoint(words) and _NOTICE.search(text) is not None


# Unrendered template placeholders ("{{ title }}", "{{#articles}}", "{* signInForm *}", "{% if x %}",
# "{| existing-siteName |}"),
# also as scraped text with spaces between the symbols: page code, never article text.
_TEMPLATE_PLACEHOLDER = re.compile(
    r"\{[ \t]*[{*%|][ \t]*[#/^!>&]?[ \t]*[A-Za-z_][\w.-]*(?:[ \t]+[\w.-]+){0,3}[ \t]*[*%}|]?[ \t]*\}"
    r"(?:[ \t]*\})?"
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
    r"(?:الاكثر قراءه|الاكثر مشاهده|الاكثر تعليقا"
    r"|(?:مواضيع|موضوعات|اخبار|مقالات) ذات صله|(?:اخبار|مواضيع) متعلقه"
    r"|Related (?:Articles|Stories|News|Posts)|Most (?:Read|Popular|Viewed)"
    r"|You May Also Like|Recommended for You)"
)
# One of these is in every heading _TAIL_BLOCK matches (a cheap test before the search).
_TAIL_WORDS = ("الاكثر", "صله", "متعلقه", "Related", "Most", "You May", "Recommended")
# What a line holds before fold_line when _TAIL_BLOCK matches its fold (fold_line changes the alef,
# ya and ha forms and ک ڪ into ك, nothing else): "كثر " then قر مش تعل, "ت صل", "متعلق", the
# English headings' first words; an even cheaper test.
_TAIL_RAW_WORDS = (
    *(k + "ثر " + w for k in "كکڪ" for w in ("قر", "مش", "تعل")),
    "ت صل",
    "متعلق",
    *_TAIL_WORDS[3:],
)
_TAIL_SHARE = 0.7  # a block heading counts in the last paragraph and the last 30% of the page only


def cut_tail_block(lines: Sequence[str]) -> tuple[int, int] | None:
    """Return (line, offset) where a trailing "related" / "most read" block starts, or None.

    Only the last non-empty line is searched, and only its part in the last 30% of the page, so a
    heading inside the article (whose text continues after it) is left alone.

    >>> cut_tail_block(
    ...     ["Rain fell on Paris all day and the river rose.", "It will stop. Most Read Other news"]
    ... )
    (1, 14)
    >>> lines = ["الأكثر قراءة في المدينة كان خبر المطر الذي هطل طوال اليوم", "قال المسؤول إن المياه ارتفعت"]
    >>> cut_tail_block(lines) is None
    True
    """
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if last is None:
        return None
    total = sum(map(len, lines[: last + 1])) + last + 1
    before = total - len(lines[last]) - 1
    floor = max(0, math.ceil(_TAIL_SHARE * total) - before)
    tail = lines[last][floor:]
    if not any(word in tail for word in _TAIL_RAW_WORDS):
        return None
    tail = fold_line(tail)  # fold_line keeps offsets; the pattern has no lookbehind
    if not any(word in tail for word in _TAIL_WORDS):
        return None
    m = _TAIL_BLOCK.search(tail)
    return (last, floor + m.start()) if m else None


# ---------------------------------------------------------------------------------------------
# photo captions

_CREDIT_TAIL = re.compile(
    r"(?:[-–—/|]|\()\s*(?:" + _CREDITS + ")"
    r"(?:\s*/\s*[^()/\n]{1,40})?\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)
_CAPTION_WORDS = 12
_HEADER_CAPTION_WORDS = 40


def is_caption(line: str, *, in_header: bool = False) -> bool:
    """Tell whether ``line`` is a photo caption ending in a credit ("... - رويترز", "... (Getty)").

    Long lines count only in the header (above the first body paragraph).

    >>> is_caption("الرئيس الأمريكي جو بايدن في المكتب البيضاوي - رويترز")
    True
    >>> is_caption("وقال مصدر أمني لوكالة رويترز إن الهجوم لم يسفر عن ضحايا")
    False
    """
    text = line.strip()
    most = _HEADER_CAPTION_WORDS if in_header else _CAPTION_WORDS
    n = len(text.split(maxsplit=most))  # words, counted up to most + 1
    if n < 2 or n > most:
        return False
    m = _CREDIT_TAIL.search(fold_line(text))
    return m is not None and m.start() > 0


# ---------------------------------------------------------------------------------------------
# furniture glued to a sentence

# A flattened page runs its header, article and footer together, so one "sentence" can carry a
# menu before the news and a copyright line after it. Footer markers (copyright, site credits,
# masthead, reader disclaimers, "follow us" calls) end the article: what follows one is furniture.
# Header markers (menus, "latest news", a date-time stamp) open it: what precedes one is furniture.
_FOOTER = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bpowered by\b|\b(?:designed?|developed) (?:and|&|by)\b"
    r"|جميع (?:ال)?حقوق|(?:ال)?حقوق (?:محفوظة|النشر|الطبع)|تصميم و ?تطوير"
    r"|رئيس مجلسى? (?:الإدارة|الادارة|الاادارة)|رئيس التحرير\s*:|المشرف العام|نائبا? رئيس التحرير"
    r"|(?:لا )?تعبر عن رأي|المسؤو?ل عن صحة|تصفح موقعنا|لصفحتنا|تابع(?:و)?نا|تابعوا|"
    r"شارك(?:ها)? (?:على|عبر)|مشاركة الصفحة|(?:اقرأ|إقرأ|اقرا) (?:أيضا|ايضا|المزيد)|اختيار المحرر|"
    r"\bshare (?:this|on)\b|\bfollow us\b|\bread more\b|\brelated content\b",
    re.IGNORECASE,
)
_WEEKDAY = (
    r"(?:(?:يوم )?(?:الأحد|الاحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت)"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day),?\s+"
)
_DATE = r"(?:\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}|\d{1,2}\s+[^\W\d_]+\s+\d{4})"
_CLOCK = (
    r"\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?(?:\s*(?:ص|م|مساء|صباحا|دقيقة|GMT|[ap]\.?m\.?)(?!\w))?"
)
_HEADER = re.compile(
    r"القائمة الرئيسية|(?:القائمة\s+)?(?:أخر|آخر|اخر) (?:الأخبار|الاخبار)|(?:^|(?<=\s))القائمة(?=\s*$)"
    r"|\bskip to (?:main )?content\b|\bmain menu\b"
    rf"|(?:{_WEEKDAY})?{_DATE}\s*[-–|,]?\s*(?:الساعة\s*)?{_CLOCK}",
    re.IGNORECASE,
)
# A newspaper's issue line ("العدد 5784 الخميس 23 مارس 2017", "Issue 212, Monday") or a
# "last updated" stamp closes a page's masthead: furniture, like a footer marker.
_ISSUE = re.compile(
    rf"(?:العدد|\bissue)\s+(?:no\.?\s*)?\d+\s*,?\s*{_WEEKDAY}|(?:آخر|اخر|أخر) تحديث\s*:?\s*(?:GMT|\d)"
    r"|\blast updated?\s*:?\s*\d",
    re.IGNORECASE,
)
_EDGE = re.compile(r"^[\s>|:\-–—•،,/]+|[\s>|:\-–—•،,/]+$")
_BOUNDARY = re.compile(r"[.!?؟…](?=\s|$)|[»”]")
_MIN_KEPT_WORDS = 3
_WORD = re.compile(r"[^\W_]+")


# Strings one of which a match of each marker pattern contains (lower-cased: no i, s or k, whose
# case-insensitive matches include other letters): a sentence with none of them is not searched.
_FOOTER_HINTS = (
    "©", "copyr", "all r", "powered by", "gn", "develope", "hare ", "follow u", "read more",
    "جميع حقوق", "جميع الحقوق", "حقوق محفوظة", "حقوق النشر", "حقوق الطبع", "تصميم",
    "رئيس مجلس", "رئيس التحرير", "المشرف العام", "تعبر عن رأي", "ل عن صحة", "تصفح موقعنا",
    "لصفحتنا", "تابعنا", "تابعونا", "تابعوا", "شارك على", "شارك عبر", "شاركها", "مشاركة الصفحة",
    "قرأ", "اقرا", "اختيار المحرر", "related content",
)  # fmt: skip
# The controls of big sites' players, galleries and embeds, glued to the caption or article text
# that follows them ("Image 1 of 8 Caption Close Image 1 of 8 A child was shot ...", "CLOSE Skip in
# Skip x Embed x Share ...", "EMBED >More News Videos ..."): header markers, the text after them wins.
_MEDIA = re.compile(
    r"\b(?:image|photo|slide|picture)\s+\d+\s+of\s+/?\s*\d+\b"
    r"|\bcaption\s+close\b|(?:\[\s*\]\s*)?\b(?:hide|show|view\s+full)\s+caption\b"
    r"|\bskip\s+in\s+(?:skip\s+)?(?:x\s+)?embed\s+(?:x\s+)?share\b|\bembed\s*>\s*more\s+news\s+videos\b"
    r"|\bbuy\s+photo\b|\bstory\s+highlights\b",
    re.IGNORECASE,
)
# (hints as _FOOTER_HINTS: lower-cased, without i, s or k)
_MEDIA_HINTS = ("mage", "photo", "lide", "ctur", "capt", "embed", "ghl")
_ISSUE_HINTS = ("العدد", "ue", "upda")  # each with a digit; or "تحديث"
_HEADER_HINTS = ("القائمة", "خبار", "conten", "n menu")  # or ":" with a digit (a clock)
_DIGIT = re.compile(r"\d")


def _markers(text: str) -> list[tuple[int, int, bool]]:
    """Return the (start, end, is_footer) furniture markers of ``text``, in order, not overlapping."""
    low = text.lower()
    issue = "تحديث" in low or (
        any(map(low.__contains__, _ISSUE_HINTS)) and bool(_DIGIT.search(text))
    )
    found = sorted(
        [(m.start(), m.end(), True) for m in _matches(_FOOTER, text, low, _FOOTER_HINTS)]
        + [(m.start(), m.end(), True) for m in (_ISSUE.finditer(text) if issue else ())]
        + [(m.start(), m.end(), False) for m in _header_matches(text, low)]
        + [(m.start(), m.end(), False) for m in _matches(_MEDIA, text, low, _MEDIA_HINTS)]
    )
    out: list[tuple[int, int, bool]] = []
    for start, end, footer in found:
        if out and start < out[-1][1]:
            continue
        out.append((start, end, footer))
    return out


def _matches(
    pattern: re.Pattern[str], text: str, low: str, hints: tuple[str, ...]
) -> Iterable[re.Match[str]]:
    """Return the matches of ``pattern`` in ``text``; none without searching when ``low`` (the
    text lower-cased) holds none of the ``hints``."""
    return pattern.finditer(text) if any(map(low.__contains__, hints)) else ()


def _header_matches(text: str, low: str) -> Iterable[re.Match[str]]:
    """Return the matches of ``_HEADER`` in ``text`` (``low`` lower-cased): a menu's words, or a
    date-time stamp, whose clock has a colon between digits."""
    if ":" in low and _DIGIT.search(text):
        return _HEADER.finditer(text)
    return _matches(_HEADER, text, low, _HEADER_HINTS)


def _before_footer(piece: str) -> str:
    """Return ``piece`` up to its last sentence end or closing quotation ("" when it has none)."""
    ends = [m.end() for m in _BOUNDARY.finditer(piece)]
    quotes = [i + 1 for i, ch in enumerate(piece) if ch == '"']
    ends += quotes[1::2]  # a straight quotation mark closes every second time
    return piece[: max(ends)] if ends else ""


def trim_furniture(text: str) -> str:
    """Return ``text`` without the page furniture glued to it ("" when nothing but furniture is left).

    The pieces between furniture markers compete: a piece after a footer marker is furniture, a
    piece before one is kept up to its last sentence end; the longest piece after a header marker
    wins, else the longest piece (at least ``_MIN_KEPT_WORDS`` words).

    >>> trim_furniture("Ships waited at anchor. Copyright 2018 Port News, all rights reserved")
    'Ships waited at anchor.'
    >>> trim_furniture("آخر الأخبار > > ما دلالات انتشار قوات روسية بريف حلب ?")
    'ما دلالات انتشار قوات روسية بريف حلب ?'
    >>> trim_furniture("جميع الحقوق محفوظة لموقع الخبر 2018")
    ''
    >>> trim_furniture("قال الوزير إن المحادثات ستستأنف غدا")
    'قال الوزير إن المحادثات ستستأنف غدا'
    """
    markers = _markers(text)
    if not markers:
        return text
    best: tuple[bool, int, str] = (False, _MIN_KEPT_WORDS - 1, "")
    left: bool | None = None  # the marker before the piece: footer, header, none
    begin = 0
    for start, end, footer in [*markers, (len(text), len(text), False)]:
        piece = "" if left else text[begin:start]
        piece = _EDGE.sub("", _before_footer(piece) if footer else piece)
        words = len(_WORD.findall(piece))
        best = max(best, (left is False and words >= _MIN_KEPT_WORDS, words, piece))
        begin, left = end, footer
    return best[2] if best[1] >= _MIN_KEPT_WORDS else ""


def trim_title(title: str) -> str:
    """Return ``title`` up to its first footer or masthead marker, when three words or more
    precede it (a title has no sentence end to stop at, unlike :func:`trim_furniture`).

    >>> trim_title("مقتل خمسة في غارات جوية العدد 6044 الجمعة 8 ديسمبر 2017 آخر تحديث GMT 23 : 30")
    'مقتل خمسة في غارات جوية'
    >>> trim_title("Copyright row: court rules for the author")
    'Copyright row: court rules for the author'
    """
    for start, _, footer in _markers(title):
        head = _EDGE.sub("", title[:start])
        if footer and len(_WORD.findall(head)) >= _MIN_KEPT_WORDS:
            return head
    return title


# A title's site name: "جريدة الدستور : ...", "... | موقع الخبر", "... - Reuters".
_TITLE_SEPARATOR = re.compile(r"\s+(?:/ /|//|::|[|:»«\-–—/])\s+")
_PUBLICATION = re.compile(r"^(?:جريدة|صحيفة|موقع|بوابة|شبكة|مجلة|قناة|وكالة|راديو|تلفزيون)\s")
_SITE_NAME_WORDS = 4


def _is_site_name(segment: str, outlet: str | None) -> bool:
    """Tell whether a title segment is a site's name: the outlet's, or a short "جريدة X"."""
    norm = normalize_text(segment)
    if outlet and norm and norm == normalize_text(outlet):
        return True
    return bool(_PUBLICATION.match(segment)) and len(segment.split()) <= _SITE_NAME_WORDS


def strip_site_name(title: str, outlet: str | None = None) -> str:
    """Return ``title`` without a site name before or after a separator.

    >>> strip_site_name("جريدة الدستور : إيران تنفق مئات الملايين على حلفائها")
    'إيران تنفق مئات الملايين على حلفائها'
    >>> strip_site_name("Port strike enters second week | Harbour Ledger", "Harbour Ledger")
    'Port strike enters second week'
    >>> strip_site_name("Talks - Russia and China meet again")
    'Talks - Russia and China meet again'
    """
    parts = _TITLE_SEPARATOR.split(title)
    seps = _TITLE_SEPARATOR.findall(title)
    if len(parts) < 2:
        return title
    first, last = 0, len(parts)
    if _is_site_name(parts[0], outlet):
        first = 1
    if last - first > 1 and _is_site_name(parts[-1], outlet):
        last -= 1
    kept = [parts[first]]
    for k in range(first + 1, last):
        kept += [seps[k - 1], parts[k]]
    return "".join(kept).strip()


_AFFIX_WORDS = range(3, 9)  # lengths of the word runs compared across an outlet's first lines
_AFFIX_TAIL = 2  # at most this many words between the repeated run and the separator


_SEPARATOR_WORDS = frozenset("|:»«-–—") | {"::"}  # words that are separators, not words


def _words(text: str) -> list[str]:
    """Return the case-folded words of ``text``, separators left out."""
    return [w for w in text.casefold().split() if w not in _SEPARATOR_WORDS]


def _runs(line: str) -> set[tuple[str, ...]]:
    """Return the word runs a first line starts or ends with (ends marked by a leading ""), and
    its inner segments between two separators (marked by a leading "|")."""
    words = _edge_words(line)
    out: set[tuple[str, ...]] = set()
    for n in _AFFIX_WORDS:
        if n < len(words):
            out.add(tuple(words[:n]))
            out.add(("", *words[-n:]))
    for segment in _inner_segments(line):
        out.add(("|", *_words(segment)))
    return out


_EDGE_TOKENS = 3 * max(_AFFIX_WORDS)  # tokens read at either end of a long line


def _edge_words(line: str) -> list[str]:
    """Return :func:`_words` of ``line``, or, for a long line, a shorter list with the same
    first and last ``max(_AFFIX_WORDS)`` words and more words than that (all :func:`_runs`
    reads): its two ends are case-folded, not the whole of it."""
    head = line.split(None, _EDGE_TOKENS)
    if len(head) <= _EDGE_TOKENS:
        return _words(line)
    first = _words(" ".join(head[:-1]))
    last = _words(" ".join(line.rsplit(None, _EDGE_TOKENS)[1:]))
    if len(first) <= max(_AFFIX_WORDS) or len(last) < max(_AFFIX_WORDS):
        return _words(line)  # (separators all along)
    return first + last


def _inner_segments(line: str) -> list[str]:
    """Return the parts of ``line`` between two separators, of three to eight words."""
    parts = _TITLE_SEPARATOR.split(line)[1:-1]
    return [p for p in parts if len(_words(p)) in _AFFIX_WORDS]


def _cut_segment(title: str, repeated: Counter[tuple[str, ...]]) -> str:
    """Return the side of ``title`` that does not hold its outlet's label: the words after a
    repeated inner segment (before it, when the segment closes the second half of the title)."""
    seps = list(_TITLE_SEPARATOR.finditer(title))
    for left, right in pairwise(seps):
        segment = title[left.end() : right.start()]
        if repeated[("|", *_words(segment))] < 2:
            continue
        before, after = title[: left.start()].strip(), title[right.end() :].strip()
        rest = after if len(_words(after)) >= len(_words(before)) else before
        if len(_words(rest)) >= _AFFIX_WORDS[0]:
            return rest
    return title


def _cut_prefix(title: str, repeated: Counter[tuple[str, ...]]) -> str:
    """Return ``title`` from the first separator after its longest repeated opening run."""
    words = _words(title)
    longest = max((n for n in _AFFIX_WORDS if repeated[tuple(words[:n])] >= 2), default=0)
    if not longest:
        return title
    for m in _TITLE_SEPARATOR.finditer(title):
        before = len(_words(title[: m.start()]))
        rest = title[m.end() :].strip()
        if longest <= before <= longest + _AFFIX_TAIL and len(_words(rest)) >= _AFFIX_WORDS[0]:
            return rest
    return title


def _cut_suffix(title: str, repeated: Counter[tuple[str, ...]]) -> str:
    """Return ``title`` up to the last separator before its longest repeated closing run."""
    words = _words(title)
    longest = max((n for n in _AFFIX_WORDS if repeated[("", *words[-n:])] >= 2), default=0)
    if not longest:
        return title
    for m in reversed(list(_TITLE_SEPARATOR.finditer(title))):
        after = len(_words(title[m.end() :]))
        rest = title[: m.start()].strip()
        if longest <= after <= longest + _AFFIX_TAIL and len(_words(rest)) >= _AFFIX_WORDS[0]:
            return rest
    return title


def repeated_title_affixes(docs: Iterable[tuple[str, str | None, str, str]]) -> dict[str, str]:
    """Return, by id, titles without the site name or section their outlet repeats.

    ``docs`` are ``(id, outlet, title, first paragraph)``. A run of three or more words that
    opens (or closes) two or more different first lines (title or first paragraph) of one
    outlet's documents, followed (or preceded) within two words by a separator, is the
    outlet's label, not news: the title is cut at that separator when three words or more
    remain. Titles left as they are, and documents of no known outlet, are not in the result.

    >>> repeated_title_affixes([
    ...     ("a", "x.com", "Syria news from Aleppo today | Army enters the town", ""),
    ...     ("b", "x.com", "", "Syria news from Aleppo today | Rain floods the coast"),
    ... ])
    {'a': 'Army enters the town'}
    """
    by_outlet: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, outlet, title, first in docs:
        if outlet:
            by_outlet.setdefault(outlet, []).append((doc_id, title, first))
    out: dict[str, str] = {}
    for group in by_outlet.values():
        if len(group) < 2:
            continue
        repeated: Counter[tuple[str, ...]] = Counter()
        for lines in {frozenset(_runs(title) | _runs(first)) for _, title, first in group}:
            repeated.update(lines)
        for doc_id, title, _ in group:
            if _TITLE_SEPARATOR.search(title):
                cut = _cut_segment(_cut_suffix(_cut_prefix(title, repeated), repeated), repeated)
                if cut != title:
                    out[doc_id] = cut
    return out
