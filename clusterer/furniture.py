"""Page furniture: the lines and segments of a scraped page that are not the article.

- :func:`is_furniture` recognizes furniture lines ("تحميل المزيد", "Read more", share bars,
  photo credits, copyright and cookie notices);
- :func:`is_caption` recognizes photo captions that end in a credit ("... - رويترز");
- :func:`cut_inline_furniture` cuts furniture segments out of a line (template placeholders);
- :func:`cut_tail_block` finds the "related" / "most read" block that closes a flattened page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

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
    if not raw or len(raw.split(maxsplit=_MAX_NOTICE_WORDS)) > _MAX_NOTICE_WORDS:
        return False
    if norm is None:
        norm = normalize_text(raw)
    words = norm.split(maxsplit=_MAX_NOTICE_WORDS)  # all the words when there are few enough
    if len(words) > _MAX_NOTICE_WORDS:
        return False
    if not words:
        return True  # only symbols and punctuation
    if len(words) > _MAX_FURNITURE_WORDS:
        return not _COOKIE_WORDS.isdisjoint(words) and norm.startswith(_FURNITURE_PREFIXES)
    if norm in _FURNITURE_EXACT:
        return True
    if all(w.replace(".", "").isdigit() for w in words):
        return not _looks_like_numeric_date(words)
    if "©" in raw or norm.startswith(_FURNITURE_PREFIXES):
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
    r"(?:الاكثر قراءه|الاكثر مشاهده|الاكثر تعليقا"
    r"|(?:مواضيع|موضوعات|اخبار|مقالات) ذات صله|(?:اخبار|مواضيع) متعلقه"
    r"|Related (?:Articles|Stories|News|Posts)|Most (?:Read|Popular|Viewed)"
    r"|You May Also Like|Recommended for You)"
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
    total = sum(len(line) + 1 for line in lines[: last + 1])
    before = total - len(lines[last]) - 1
    floor = max(0, math.ceil(_TAIL_SHARE * total) - before)
    m = _TAIL_BLOCK.search(fold_line(lines[last]), floor)
    return (last, m.start()) if m else None


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
