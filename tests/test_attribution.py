"""Exact attribution, typed conflicts, the lead and clean statement text."""

from __future__ import annotations

from clusterer.config import Config
from clusterer.conflicts import Claim, figures_differ, find_conflicts
from clusterer.normalize import normalize_article
from clusterer.records import Article, Cluster, Doc
from clusterer.segment import tidy_sentence
from clusterer.summarize import summarize_cluster

CFG = Config()
FACT = "Union leader Marta Ellingsen told a rally of 400 strikers at the main gate on Tuesday"


def _doc(doc_id: str, text: str, source: str, date: str | None = None) -> Doc:
    article = Article(
        id=doc_id,
        text=text,
        origin=doc_id,
        title=f"Report {doc_id}",
        source=source,
        date=date,
        lang="en",
        format="jsonl",
    )
    return normalize_article(article, CFG)


def _summary(*docs: Doc):  # type: ignore[no-untyped-def]
    ids = tuple(d.id for d in docs)
    return summarize_cluster(
        Cluster("c", tuple(sorted(ids)), ids, 1.0), {d.id: d for d in docs}, CFG
    )


def test_only_the_outlet_that_printed_a_quotation_is_cited_for_it() -> None:
    quoted = _doc(
        "q", f'{FACT} that the union "will not be frightened back to work by anyone."', "one"
    )
    plain = [
        _doc("p1", f"{FACT} that the union would not be frightened.", "two"),
        _doc("p2", f"{FACT}, vowing to stay out.", "three"),
    ]
    summary = _summary(quoted, *plain)
    everything = [*summary.statements, *(s for _, g in summary.unique for s in g)]
    with_quote = [s for s in everything if "frightened back to work" in s.text]
    assert "Ellingsen told a rally" in summary.lead, "the shared fact leads"
    for st in with_quote:  # the quoted words are credited to "one" alone
        assert st.sources == ("q",) and st.outlets == ("one",)
        assert all(e.match == "verbatim" for e in st.evidence)
    for st in everything:
        for ev in st.evidence:
            assert ev.sentence.replace(" ", "") in {"q": quoted, "p1": plain[0], "p2": plain[1]}[
                ev.doc
            ].body.replace(" ", "")


def test_conflicts_are_typed_update_or_contradiction() -> None:
    text = "Twelve people were killed in the blast, officials said."
    same_day = [
        Claim(
            "a", "A", "Twelve people were killed in the blast, officials said.", "en", "2021-02-23"
        ),
        Claim("b", "B", "14 people were killed in the blast, police said.", "en", "2021-02-23"),
    ]
    later = [
        same_day[0],
        Claim("c", "C", "14 people were killed in the blast.", "en", "2021-02-25"),
    ]
    (contradiction,) = find_conflicts(text, same_day)
    (update,) = find_conflicts(text, later)
    assert contradiction.type == "contradiction" and update.type == "update"
    assert {outlets for _, _, outlets in update.versions} == {("A",), ("C",)}


def test_figures_about_different_things_are_not_compared() -> None:
    assert figures_differ("12 people were killed", "14 people were killed", "en")
    assert not figures_differ(
        "تجاوزت ساعات انقطاع الكهرباء 12 ساعة", "وصل الانقطاع في بعض الأحياء إلى 14 ساعة", "ar"
    )


def test_lead_states_the_news_and_text_is_clean() -> None:
    docs = [
        _doc(
            "a",
            "WASHINGTON — The Senate passed the infrastructure bill on Tuesday by 69 votes to 30.\n\n"
            "Supporters said the money would repair roads and bridges across the country.",
            "alpha",
            "2021-08-10",
        ),
        _doc(
            "b",
            "WASHINGTON (Reuters) - The U.S. Senate on Tuesday passed the infrastructure bill, 69 to 30.\n\n"
            "The House is expected to take up the measure next month.",
            "beta",
            "2021-08-10",
        ),
    ]
    summary = _summary(*docs)
    assert "passed the infrastructure bill" in summary.lead
    assert not summary.lead.startswith("WASHINGTON")
    assert all(not s.text.startswith("WASHINGTON") for s in summary.statements)


def test_tidy_sentence_drops_tatweel_and_datelines() -> None:
    assert tidy_sentence("الموصل (الخبر اليوم) - أعلنـــت الشرطة اعتقال ثلاثة مشتبه بهم") == (
        "أعلنت الشرطة اعتقال ثلاثة مشتبه بهم"
    )


def test_a_shared_figure_alone_never_credits_the_rest_of_a_statement() -> None:
    """An outlet that prints the same figure inside another sentence is not credited with the
    statement's other words ("... and both sides blamed each other" was one outlet's alone)."""
    from clusterer.summarize import _carries, _doc_sentences

    mine = _doc(
        "a",
        "The port authority's offer stands at 3.5%, and both sides on Wednesday blamed each other "
        "for the deadlock at the harbour.",
        "Coastal",
    )
    other = _doc(
        "b",
        "The port authority has offered 3.5%, which union leaders called an insult to people who "
        "work nights in all weathers.",
        "Ledger",
    )
    (a,), (b,) = _doc_sentences(mine, 0), _doc_sentences(other, 1)
    assert "#3.5" in a.keys & b.keys
    assert not _carries(a, [], b, 0.2)  # (a shared figure credited this once, from 0.15)
    # however much of the wording it shares: the statement joins two facts, "b" prints one
    assert not _carries(a, [], b, 0.9)


def test_a_statement_joining_two_facts_is_credited_to_outlets_that_print_both() -> None:
    from clusterer.summarize import _carries, _clauses, _doc_sentences

    both = (
        "The port authority's offer stands at 3.5%, and both sides on Wednesday blamed each other "
        "for the deadlock at the harbour."
    )
    mine, one, two = (
        _doc("a", both, "Coastal"),
        _doc(
            "b",
            "The port authority has offered 3.5%, which union leaders called an insult.",
            "Ledger",
        ),
        _doc(
            "c",
            "With the authority offering 3.5%, union and management blamed each other on "
            "Wednesday for the deadlock.",
            "Wire",
        ),
    )
    (a,), (b,), (c,) = (_doc_sentences(d, k) for k, d in enumerate((mine, one, two)))
    assert _carries(a, [], c, 0.5)
    assert not _carries(a, [], b, 0.5), "the blame is another fact, which b never printed"
    # an enumeration is one fact, never split at its last ", and"
    assert len(_clauses("Police named Clark, Wilson, Price, and Robinson, all from Joliet.")) == 1


def test_a_fact_another_outlet_told_in_other_words_is_not_only_one_outlets() -> None:
    """A statement cited to one outlet is "unique" (only that outlet reports it) only when no other
    outlet's sentence was aligned with it: one that told the fact in too different words is not
    cited for the wording, but it did report the fact."""
    import numpy as np

    from clusterer.summarize import _Candidate, _Context, _doc_sentences, _statement

    a = _doc("a", "The port authority's offer stands at 3.5% after two days of talks.", "Coastal")
    b = _doc("b", "Management has put 3.5% on the table, the union says.", "Ledger")
    sentences = [*_doc_sentences(a, 0), *_doc_sentences(b, 1)]
    ctx = _Context(sentences, {"a": a.body, "b": b.body}, {"a": None, "b": None})
    cover = np.array([[1.0, 0.1], [0.1, 1.0]])  # (b carries too little of a's wording)
    both = _Candidate(0, {"a": 0, "b": 1}, ("Coastal", "Ledger"), 1.0, wording=0)
    alone = _Candidate(0, {"a": 0}, ("Coastal",), 1.0, wording=0)
    told = _statement(both, ctx, cover)
    assert told.sources == ("a",) and told.support == 1 and not told.unique
    assert _statement(alone, ctx, cover).unique


def test_quoting_the_same_person_on_something_else_is_not_carrying_the_statement() -> None:
    """The speaker and the reporting verb are the frame of a statement, not its fact: an outlet
    that quotes the same person on another matter shares most of the words and none of the news."""
    from clusterer.summarize import _carries, _doc_sentences

    frame = "Port Authority chief executive Graham Pollock said"
    mine = _doc("a", f"{frame} he hoped to meet union representatives next week.", "Coastal")
    other = _doc("b", f"{frame} the offer of 3.5% was fair and final.", "Ledger")
    told = _doc(
        "c", "He hoped to meet the union's representatives next week, Pollock said.", "Wire"
    )
    (a,), (b,), (c,) = (_doc_sentences(d, k) for k, d in enumerate((mine, other, told)))
    assert _carries(a, [], c, 0.6), "the same fact, framed otherwise, is carried"
    assert not _carries(a, [], b, 0.6), "the frame alone carries nothing"
    plain = _doc("d", "Graham Pollock hopes to meet union representatives next week.", "Post")
    (d,) = _doc_sentences(plain, 3)
    assert _carries(a, [], d, 0.6)


def test_speech_frames_are_the_speaker_and_the_reporting_verb() -> None:
    from clusterer.quotes import speech_frames

    assert speech_frames("The offer is fair, Graham Pollock told reporters.", "en") == [
        "told",
        "Graham Pollock",
    ]
    assert speech_frames("وأكد وزير الخارجية فؤاد حسين أن الزيارة ناجحة.", "ar") == [
        "وأكد",
        "وزير الخارجية فؤاد حسين",
    ]
    # a verb that as often tells an action is no frame: what follows it is the fact
    assert speech_frames("Police and firefighters responded to the scene.", "en") == []
