"""The HTML report: one self-contained page (inline CSS and SVG, no script, no external asset).

Built from the report dict (``render.report_to_dict``). Every string that comes from an article
goes through :func:`html.escape`; markup is only ever built from this module's own literals, so
nothing in an article becomes an element, an attribute or a script. A Content-Security-Policy
forbids scripts and network loads on top of that. Each text block carries ``dir="auto"`` (and
``lang`` where the document's language is known), so Arabic reads right to left beside English.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from .report_model import (
    UNKNOWN_OUTLET,
    Member,
    Obj,
    StoryView,
    cluster_lang,
    conflict_kind,
    coverage,
    documents,
    first_report,
    lang_of,
    members,
    per_day,
    stats_line,
    stories,
    versions,
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_CSS = """
body{font:15px/1.5 system-ui,"Noto Sans","Noto Naskh Arabic","DejaVu Sans",sans-serif;margin:0;
background:#f6f7f9;color:#1d232b}
header,main{max-width:980px;margin:0 auto;padding:0 16px}
header h1{font-size:1.4em;margin:18px 0 4px}.stats{color:#5a6573;margin:0 0 16px}
.story{background:#fff;border:1px solid #d8dde3;border-radius:8px;margin:0 0 22px;padding:4px 16px 12px}
.story>h2{font-size:1.25em;margin:10px 0 6px}
.event{border-top:1px solid #e4e8ec;padding:10px 0 4px}.event h3{font-size:1.08em;margin:4px 0}
.meta{color:#5a6573;font-size:.88em}.lead{font-size:1.03em;margin:6px 0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;margin:1px 2px;font-size:.82em;
color:#fff;unicode-bidi:isolate;white-space:nowrap}
.support{color:#5a6573;font-size:.82em}
ul{padding-inline-start:20px;margin:4px 0}li{margin:3px 0}
blockquote{margin:6px 0;padding:2px 12px;border-inline-start:3px solid #9aa5b1;color:#333}
.conflict{background:#fff6e0;border-radius:6px;padding:4px 8px;margin:4px 0}
.articles{font-size:.9em}.id{color:#8a94a0;font-size:.85em}
details{margin:2px 0 2px 0}summary{cursor:pointer;color:#5a6573}
.chart{margin:6px 0}.chart svg{max-width:100%;height:auto}
.timeline{font-size:.9em}
"""


def _e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def _block(tag: str, text: object, *, cls: str = "", lang: str | None = None) -> str:
    """Return one text block: ``dir="auto"``, the language when known, escaped content."""
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' lang="{_e(lang)}"' if lang else ""
    return f'<{tag}{attrs} dir="auto">{_e(text)}</{tag}>'


def _hue(name: str) -> int:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:6], 16) % 360


def _color(name: str) -> str:
    return f"hsl({_hue(name)},55%,38%)"


def badge(outlet: str) -> str:
    """Return an outlet badge (the colour is computed from the name; the name is escaped)."""
    return f'<bdi class="badge" style="background:{_color(outlet)}">{_e(outlet)}</bdi>'


def _badges(outlets: Iterable[str | None]) -> str:
    """Return the badges of a list of outlets (an unknown one, null in the JSON, is named so)."""
    return "".join(badge(o or UNKNOWN_OUTLET) for o in outlets)


def _li(content: str, lang: str | None = None) -> str:
    """Return a list item whose direction follows its own text (badges are isolated ``bdi``)."""
    attr = f' lang="{_e(lang)}"' if lang else ""
    return f'<li dir="auto"{attr}>{content}</li>'


def _statement(s: Obj, lang: str | None, several: bool) -> str:
    mark = f' <span class="support">{int(s.get("support") or len(s.get("sources", [])))}×</span>'
    only = ' <span class="support">only this outlet</span>' if s.get("unique") and several else ""
    return _li(f"{_e(s['text'])} {_badges(s.get('outlets', []))}{mark}{only}", lang)


def _quotes(cluster: Obj, lang: str | None) -> str:
    items = []
    for q in cluster.get("quotes") or []:
        who = _block("cite", q.get("speaker") or "unattributed")
        items.append(
            f"<blockquote>{_block('p', q.get('text', ''), lang=lang)}"
            f"<footer>{who} {_badges(q.get('outlets', []))}</footer></blockquote>"
        )
    return "".join(items)


def _conflicts(cluster: Obj) -> str:
    out = []
    for c in cluster.get("conflicts") or []:
        parts = " vs ".join(
            f"{_block('bdi', value)} {_badges(outs)}" for value, outs in versions(c)
        )
        out.append(
            f'<div class="conflict" dir="auto">⚠ {_e(conflict_kind(c))} differs: {parts}</div>'
        )
    return "".join(out)


def _article(doc: Obj, outlet: str) -> str:
    date = _e(doc.get("date") or "no date")
    lang = lang_of(doc)
    attr = f' lang="{_e(lang)}"' if lang else ""
    title = f"<span{attr}>{_e(doc.get('title') or doc['id'])}</span>"  # sets the row's direction
    return f'{badge(outlet)} <span class="meta">{date}</span> {title} <bdi class="id">{_e(doc["id"])}</bdi>'


def _member(m: Member) -> str:
    line = _article(m.doc, m.outlet)
    if not m.copies:
        return _li(line, lang_of(m.doc))
    copies = "".join(
        _li(f"{_e(kind)}: {_article(doc, outlet)}", lang_of(doc)) for doc, outlet, kind in m.copies
    )
    n = len(m.copies)
    plural = "s" if n > 1 else ""
    return (
        f'<li dir="auto">{line}<details><summary>{n} duplicate{plural}</summary>'
        f"<ul>{copies}</ul></details></li>"
    )


def _event(cluster: Obj, docs: Mapping[str, Obj], duplicates: list[Obj], story: str) -> str:
    lang = cluster_lang(cluster, docs)
    several = len(cluster["kept"]) > 1
    first = first_report(cluster)
    meta = f"{cluster['size']} articles · {', '.join(cluster.get('dates') or []) or 'no date'}"
    meta_html = _e(meta) + (f" · first reported by {_block('bdi', first)}" if first else "")
    parts = [
        f'<article class="event" id="{_e(cluster["id"])}" data-cluster="{_e(cluster["id"])}">',
    ]
    headline = cluster.get("headline") or cluster["id"]
    if headline != story:
        parts.append(_block("h3", headline, lang=lang))
    parts.append(f'<div class="meta">{meta_html}</div>')
    if cluster.get("lead"):
        parts.append(_block("p", cluster["lead"], cls="lead", lang=lang))
    if cluster.get("summary"):
        items = "".join(_statement(s, lang, several) for s in cluster["summary"])
        parts.append(f"<ul>{items}</ul>")
    parts.append(_quotes(cluster, lang))
    parts.append(_conflicts(cluster))
    rows = "".join(_member(m) for m in members(cluster, docs, duplicates))
    parts.append(f'<ul class="articles">{rows}</ul></article>')
    return "".join(parts)


def chart_svg(days: Mapping[str, Counter[str]]) -> str:
    """Return an inline SVG bar chart of articles per day, bars stacked by outlet."""
    if not days:
        return ""
    step = max(4, min(48, 600 // len(days)))
    width = max(len(days) * step, 260)
    peak = max(sum(c.values()) for c in days.values())
    rects = []
    for i, (day, counts) in enumerate(days.items()):
        y = 96.0
        for outlet, n in sorted(counts.items()):
            h = n * 80 / peak
            y -= h
            rects.append(
                f'<rect x="{i * step + 1}" y="{y:.1f}" width="{step - 2}" height="{h:.1f}" '
                f'fill="{_color(outlet)}"><title>{_e(day)} · {_e(outlet)}: {n}</title></rect>'
            )
    days_list = list(days)
    grey = 'font-size="10" fill="#5a6573"'
    labels = f'<text x="0" y="110" {grey}>{_e(days_list[0])}</text>'
    if len(days_list) > 1:
        labels += f'<text x="{width}" y="110" {grey} text-anchor="end">{_e(days_list[-1])}</text>'
    labels += (
        f'<text x="{width}" y="10" {grey} text-anchor="end">articles per day (max {peak})</text>'
    )
    return (
        f'<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="articles per day per outlet" viewBox="0 0 {width} 114" '
        f'width="{width}" height="114">{"".join(rects)}{labels}</svg></div>'
    )


def _timeline(story: StoryView) -> str:
    if not story.timeline:
        return ""
    items = "".join(
        f'<li><span class="meta">{_e(t.get("date") or "")}</span> {_block("span", t.get("text", ""))}</li>'
        for t in story.timeline
    )
    return f'<div class="timeline"><strong>Timeline</strong><ul>{items}</ul></div>'


def _story(story: StoryView, docs: Mapping[str, Obj], duplicates: list[Obj]) -> str:
    lang = cluster_lang(story.clusters[0], docs)
    cover = "".join(
        f'{badge(o)}<span class="support">{n}</span> ' for o, n in coverage(story.clusters, docs)
    )
    events = "".join(_event(c, docs, duplicates, story.headline) for c in story.clusters)
    return (
        f'<section class="story" id="{_e(story.id)}">{_block("h2", story.headline, lang=lang)}'
        f'<div class="meta">coverage: {cover}</div>{chart_svg(per_day(story.clusters, docs))}'
        f"{_timeline(story)}{events}</section>"
    )


def _skipped(data: Obj) -> str:
    if not data.get("skipped"):
        return ""
    rows = "".join(
        f"<li>{_block('bdi', s['origin'])}: {_block('span', s['reason'])}</li>"
        for s in data["skipped"]
    )
    return f'<section class="story"><h2>Skipped inputs</h2><ul>{rows}</ul></section>'


def report_html(data: Mapping[str, Any], *, title: str = "cluster report") -> str:
    """Return the whole report dict as one self-contained HTML page.

    Examples
    --------
    >>> from clusterer import Article, run
    >>> from clusterer.render import report_to_dict
    >>> page = report_html(report_to_dict(run([Article("a", "<b>Rain</b> in Paris.", "a")])))
    >>> "<b>" in page, "&lt;b&gt;Rain" in page, page.count('class="event"')
    (False, True, 1)
    """
    docs = documents(data)
    duplicates = list(data.get("duplicates", []))
    body = "".join(_story(s, docs, duplicates) for s in stories(data))
    return (
        '<!DOCTYPE html>\n<html lang="und"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><p class="stats">{_e(stats_line(data))}</p></header>'
        f"<main>{body}{_skipped(data)}</main></body></html>\n"
    )
