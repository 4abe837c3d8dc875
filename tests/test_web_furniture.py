"""The fixed texts of big sites' players, galleries, embeds and sign-up forms never reach a summary."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st
from test_summarize import _cluster, _doc

from clusterer import furniture
from clusterer.config import Config
from clusterer.furniture import is_notice, trim_furniture
from clusterer.records import Found
from clusterer.summarize import _is_filler, _title, summarize_cluster
from clusterer.text import normalize_text

NOTICES = [
    "Please enable Javascript to watch this video",
    "JavaScript is disabled",
    "Your browser does not support the video tag.",
    "Media playback is unsupported on your device Media caption The minister speaks to reporters",
    "When you tweet with a location, Twitter stores that location.",
    "You can switch location on/off before each Tweet and always have the option to delete your "
    "location history.",
    "Although we do not pre-screen comments, we reserve the right at all times to remove any "
    "information or materials that are unlawful.",
    "Email Sign Up By signing up you agree to receive email newsletters or alerts from POLITICO.",
    "By submitting your registration information, you agree to our Terms of Service and Privacy Policy.",
    "Whenever Jane Doe posts new content, you'll get an email delivered to your inbox with a link.",
    "Close Get email notifications on Jane Doe daily!",
    "Please check your email and click on the link to activate your account.",
    "Embed Teen Invents Gadgets 2:14 autoplay autoplay Copy this code to your website or blog",
    "This video is represented by Break.com - For any licensing requests please contact us",
    "Enlarge this image toggle caption Reuters Reuters",
    "This crawl was run at a level 1 (URLs including their embeds)",
    "حقيقة وفاة الفنان المستعرض لا يدعم تشغيل الفيديو",
    "حساب معطل تم تعطيل حسابك عنوان البريد الإلكتروني غير مؤكد",
    "إنشاء كلمة مرور جديدة ستتلقى بريدا إلكترونيا يحمل رابطا",
    "الرجاء تأكيد المعلومات أدناه قبل تسجيل الدخول بالنقر على إنشاء حساب، إنك تقر بموافقتك على الشروط",
    "User login قم بتسجيل الدخول على البوابة حتى تستطيع التفاعل في اقسام الموقع المختلفة",
    "سجل دخولك الآن لإنهاء عملية الربط بين الحسابات إعادة إرسال بريد التأكيد",
]
NEWS = [
    "The senator said she would not agree to the deal before the vote.",
    "Police asked residents to check their email for alerts about the storm.",
    "The company said it will switch locations next year, moving 400 jobs.",
    "He posted a tweet on Monday saying the talks had failed.",
    "قال الوزير إن المحادثات ستستأنف غدا في جنيف بمشاركة الطرفين",
    "The museum will enlarge its gallery of Roman statues next year.",
    "قال الوزير إن الحكومة ستفتح حسابا مصرفيا لدعم المتضررين من السيول",
    "وأعلنت الوزارة تسجيل 12 إصابة جديدة بالفيروس خلال الساعات الماضية",
    "وأكد أن الشركة ستبدأ تشغيل المحطة الجديدة الشهر المقبل",
]


def test_player_embed_and_form_notices_are_recognized() -> None:
    for text in NOTICES:
        assert is_notice(text), text
        assert _is_filler(text), text
    for text in NEWS:
        assert not is_notice(text), text
        assert not _is_filler(text), text


PIECES = [
    "enable JavaScript", "JAVASCRIPT IS REQUIRED", "jaᴠascript", "your browſer does not support",
    "Media Caption", "media playbacK is unsupported", "when you tweet with a location", "pre-ſcreen",
    "we do not pre-screen comments", "by signing up you agree", "By registering, you agree",
    "you'll get an email", "click on the link to activate", "to seeing you on [website] frequently",
    "copy this code to your site", "enlarge this image", "toggle caption", "this crawl was run", "يدعم",
    "لا يدعم تشغيل", "تم تعطيل حسابك", "xسجل دخولك", "بريد التأكيدx", "الربط بين الحسابات",
    "İ", "ı", "ſ", "K", "news", ".", " ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6))
def test_notice_hints_never_hide_a_notice(pieces: list[str]) -> None:
    """(Letters that case-fold to others count: "browſer" is found; a Turkish ı or İ for an i
    is not, and never makes a notice.)"""
    text = " ".join(pieces)
    assert is_notice(text) == (furniture._NOTICE.search(text) is not None)


def test_player_and_gallery_controls_are_cut_from_the_text_after_them() -> None:
    cases = {
        "Photo: Metro Video Image 1 of / 8 Caption Close Image 1 of 8 A child was shot at a home "
        "in the 15400 block of Redbud Berry Way on Jan. 19.": "A child was shot at a home in the "
        "15400 block of Redbud Berry Way on Jan. 19.",
        "CLOSE Skip in Skip x Embed x Share A former police officer accused of making false reports "
        "was found dead in his home Thursday.": "A former police officer accused of making false "
        "reports was found dead in his home Thursday.",
        "EMBED >More News Videos Police now say the victim in Tuesday's shooting is a 16-year-old "
        "girl.": "Police now say the victim in Tuesday's shooting is a 16-year-old girl.",
        "Buy Photo An 18-year-old is being held by police after the shooting.": "An 18-year-old is "
        "being held by police after the shooting.",
        "A 61-year-old man died Tuesday after he was shot, authorities said. Advertisement Related "
        "Content Man accused of killing friend": "A 61-year-old man died Tuesday after he was shot, "
        "authorities said.",
    }
    for text, kept in cases.items():
        assert trim_furniture(text) == kept


def test_tweets_and_photo_captions_are_not_statements() -> None:
    for text in [
        "Hold on @someone pic.twitter.com/tXjogmHIfH — A Rapper (@arapper) June 20, 2017",
        "Would be sad for U.S. — Donald J. Trump (@realDonaldTrump) April 1, 2017",
        "Ana Garza (Photo: KENS)",
        "Ward Correll (Photo by Ross Corder of rosscorder.com)",
        "In this Sept. 26, 2006, file photo, knives are piled in a box at the state surplus store.",
        "In this photo provided by the Vatican paper, the two men meet in Castel Gandolfo.",
        "File photo of the couple during a press conference in Atlanta in 2000.",
    ]:
        assert _is_filler(text), text
    assert not _is_filler("The photo agency said its reporter was detained for six hours.")


def test_a_caption_or_notice_found_as_the_title_is_not_a_headline() -> None:
    doc = _doc("a", "Officials said the bridge would reopen on Monday after repairs.", "Outlet")
    for title, shown in [
        ("Collin Rose (Photo: Wayne State University)", ""),
        ("Please enable Javascript to watch this video", ""),
        ("Bridge to reopen Monday", "Bridge to reopen Monday"),
    ]:
        titled = dataclasses.replace(
            doc, title=Found(title, "field", 1.0), norm_title=normalize_text(title)
        )
        assert _title(titled) == shown


def test_summaries_hold_no_player_gallery_or_form_text() -> None:
    bodies = [
        "Please enable Javascript to watch this video\n"
        "Photo: Metro Video Image 1 of / 8 Caption Close Image 1 of 8 Flood waters closed the coastal "
        "highway on Sunday, officials said.\n"
        "The storm dropped 30 centimetres of rain on the port city in two days, the weather service said.\n"
        "When you tweet with a location, Twitter stores that location.",
        "CLOSE Skip in Skip x Embed x Share Flood waters closed the coastal highway on Sunday, officials "
        "said.\n"
        "The storm dropped 30 centimetres of rain on the port city in two days, forecasters said.\n"
        "By signing up you agree to receive email newsletters or alerts from the paper.",
    ]
    docs = {
        f"d{k}": _doc(
            f"d{k}", body, f"Outlet {k}", title="Please enable Javascript to watch this video"
        )
        for k, body in enumerate(bodies)
    }
    summary = summarize_cluster(_cluster(*docs.values()), docs, Config())
    shown = [summary.headline, summary.lead, *(s.text for s in summary.statements)]
    assert any("Flood waters closed the coastal highway" in t for t in shown)
    for text in shown:
        assert not is_notice(text), text
        for control in ("Image 1 of", "Caption Close", "Skip in", "Embed", "Photo:"):
            assert control not in text, text


def test_template_placeholders_between_bars_are_cut() -> None:
    line = "{ | moreInfoHoverText | } { | existing-displayName | } - { | existing-siteName | }"
    kept, cut = furniture.cut_inline_furniture(line)
    assert kept == "-" and len(cut) == 3
    assert furniture.cut_inline_furniture("a set {x | x > 0} and {a-b}") == (
        "a set {x | x > 0} and {a-b}",
        (),
    )
