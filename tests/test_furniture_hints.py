"""The hints that spare a sentence the furniture marker search never hide a marker."""

from __future__ import annotations

from conftest import EVAL, need, read_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer import furniture
from clusterer.segment import split_sentences

PIECES = [
    "©", "Copyright", "COPYRIGHT", "All Rights Reserved", "Powered By", "Designed and", "developed by",
    "Share this", "SHARE ON", "Follow Us", "Read More", "Issue 212, Monday", "ISSUE NO. 5 Friday",
    "Last updated: 5", "Skip to main content", "Main Menu", "جميع الحقوق", "حقوق محفوظة", "تصميم وتطوير",
    "رئيس مجلس الإدارة", "رئيس التحرير:", "المشرف العام", "لا تعبر عن رأي", "المسؤول عن صحة",
    "تصفح موقعنا", "لصفحتنا", "تابعونا", "تابعوا", "شاركها على", "مشاركة الصفحة", "اقرأ أيضا",
    "اقرا المزيد", "اختيار المحرر", "العدد 5784 الخميس", "آخر تحديث GMT", "اخر تحديث: 3",
    "القائمة الرئيسية", "القائمة", "آخر الأخبار", "أخر الاخبار", "الخميس 23-03-2017 - 10:30 ص",
    "23 مارس 2017 الساعة 10 : 30", "قال الوزير إن المحادثات ستستأنف غدا.", "Ships waited at anchor.",
    "İssue 3 Monday", "ıssue 4, Tuesday", "ſhare this", " ", "  ", "\n", ".", ":", "-", ">", "|", "2018",
    # the words the narrower Arabic hints no longer stop at, alone and inside the phrases they open
    "رئيس", "شارك", "حقوق", "تابع", "الحقوق محفوظة", "حقوق النشر", "رئيس مجلسى الادارة", "رئيس التحرير :",
    "نائب رئيس التحرير", "تابعنا", "شارك على", "شاركها عبر", "إقرأ المزيد", "اقرا ايضا",
    "الخميس 23/02/2021 - الساعة 05:40 م", "2021-02-23 10:15", "12 : 30", "last updated 3",
    "وقال: إن 12 شخصا قتلوا", "الخميس 23/02/2021 الساعة 5:40",
    # players, galleries and embeds
    "Image 1 of / 8", "IMAGE 3 of 4", "Slide 2 of 10", "Picture 1 of 3", "Photo 2 of 5", "Caption Close",
    "[ ] Hide Caption", "Show Caption", "View Full Caption", "Skip in Skip x Embed x Share",
    "EMBED >More News Videos", "Buy Photo", "Story Highlights", "Related Content", "İmage 1 of 2",
    "ſlide 1 of 2", "pıcture 1 of 3", "Story Hıghlights", "captıon close", "ſtory highlights",
]  # fmt: skip


def _all_markers(text: str) -> list[tuple[int, int, bool]]:
    """The markers found by searching every pattern, as without hints."""
    found = sorted(
        [(m.start(), m.end(), True) for m in furniture._FOOTER.finditer(text)]
        + [(m.start(), m.end(), True) for m in furniture._ISSUE.finditer(text)]
        + [(m.start(), m.end(), False) for m in furniture._HEADER.finditer(text)]
        + [(m.start(), m.end(), False) for m in furniture._MEDIA.finditer(text)]
    )
    out: list[tuple[int, int, bool]] = []
    for start, end, footer in found:
        if not (out and start < out[-1][1]):
            out.append((start, end, footer))
    return out


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_hints_never_hide_a_marker(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert furniture._markers(text) == _all_markers(text)


def test_each_piece_alone_and_in_a_sentence() -> None:
    for piece in PIECES:
        for text in (piece, f"The news. {piece} more words here", f"الخبر {piece}"):
            assert furniture._markers(text) == _all_markers(text), text


def test_sentences_of_ar_claims_dev() -> None:
    for record in read_jsonl(need(EVAL / "ar_claims_dev.jsonl")):
        for sentence in split_sentences(f"{record.get('title') or ''}\n{record['text']}", "ar"):
            assert furniture._markers(sentence) == _all_markers(sentence), sentence


WORDS = [
    "Syria",
    "news",
    "|",
    "::",
    "-",
    "«",
    "»",
    "SYRİA",
    "ẞtraße",
    "أخبار",
    "سوريا",
    "اليوم",
    ":",
    "a",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=70), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_title_runs_read_from_a_long_lines_ends_are_those_of_all_its_words(words, space):
    """A long first line's runs come from its two ends only: the same as from all its words."""
    line = space.join(words)
    every = furniture._words(line)
    edges = furniture._edge_words(line)
    most = max(furniture._AFFIX_WORDS)
    assert edges[:most] == every[:most]
    assert edges[-most:] == every[-most:]
    assert (len(edges) > most) == (len(every) > most)
    assert min(len(edges), most) == min(len(every), most)
