"""The Markdown report: stories, events, attributed statements, quotes, conflicts, coverage.

Built from the report dict (``render.report_to_dict``), like the HTML report. Article text is
put on one line, its Markdown metacharacters backslash-escaped and ``& < >`` written as
entities, so nothing in an article becomes a heading, a link, an image or raw HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from .report_model import (
    Member,
    Obj,
    StoryView,
    conflict_kind,
    coverage,
    documents,
    first_report,
    members,
    per_day,
    stats_line,
    stories,
    versions,
)

_INLINE = re.compile(r"[\\`*_\[\]|~]")
_LINE_START = re.compile(r"^(?:[#+\-=]|\d+(?=[.)]))")


def md(text: object) -> str:
    """Return ``text`` as inert Markdown: one line, metacharacters escaped, HTML as entities.

    >>> md("# <script>x</script> [a](b) *y* 2-3")
    '\\\\# &lt;script&gt;x&lt;/script&gt; \\\\[a\\\\](b) \\\\*y\\\\* 2-3'
    >>> md("1. one")
    '1\\\\. one'
    """
    line = _INLINE.sub(lambda m: "\\" + m.group(0), " ".join(str(text or "").split()))
    start = _LINE_START.match(line)
    if start:
        end = start.end()
        line = (line[:end] + "\\" + line[end:]) if line[:1].isdigit() else "\\" + line
    return escape(line, quote=False)


def _outlets(outlets: Sequence[str | None]) -> str:
    names = [" ".join((o or "unknown outlet").replace("`", "'").split()) for o in outlets] or [
        "unknown outlet"
    ]
    return ", ".join(f"`{name}`" for name in names)


def _member(m: Member) -> list[str]:
    def line(doc: Obj, outlet: str) -> str:
        title = md(doc.get("title") or doc["id"])
        return f"{_outlets([outlet])} {md(doc.get('date') or 'no date')} — {title}"

    out = [f"- {line(m.doc, m.outlet)} ({md(m.doc['id'])})"]
    out += [
        f"  - {md(kind)}: {line(doc, outlet)} ({md(doc['id'])})" for doc, outlet, kind in m.copies
    ]
    return out


def _event(cluster: Obj, docs: Mapping[str, Obj], duplicates: list[Obj]) -> list[str]:
    out = [f"### {md(cluster.get('headline') or cluster['id'])}", ""]
    meta = f"{cluster['size']} articles · {', '.join(cluster.get('dates') or []) or 'no date'}"
    first = first_report(cluster)
    out += [f"*{md(meta)}*" + (f" · first reported by {md(first)}" if first else ""), ""]
    if cluster.get("lead"):
        out += [md(cluster["lead"]), ""]
    for s in cluster.get("summary") or []:
        out.append(f"- {md(s['text'])} — {_outlets(s.get('outlets', []))}")
    for q in cluster.get("quotes") or []:
        out.append(f"> {md(q.get('text', ''))} — {md(q.get('speaker') or 'unattributed')}")
        out.append("")
    for c in cluster.get("conflicts") or []:
        vs = " vs ".join(f"{md(value)} ({_outlets(outs)})" for value, outs in versions(c))
        out.append(f"- ⚠ {md(conflict_kind(c))} differs: {vs}")
    out += ["", "Articles:", ""]
    for m in members(cluster, docs, duplicates):
        out += _member(m)
    return [*out, ""]


def _story(story: StoryView, docs: Mapping[str, Obj], duplicates: list[Obj]) -> list[str]:
    out = [f"## {md(story.headline)}", ""]
    cover = ", ".join(f"{_outlets([o])} {n}" for o, n in coverage(story.clusters, docs))
    out += [f"Coverage: {cover}", ""]
    days = per_day(story.clusters, docs)
    if days:
        out += ["| day | articles |", "|---|---|"]
        out += [
            f"| {md(day)} | " + ", ".join(f"{md(o)} {n}" for o, n in sorted(c.items())) + " |"
            for day, c in days.items()
        ]
        out.append("")
    for t in story.timeline:
        out.append(f"- {md(t.get('date') or '')}: {md(t.get('text', ''))}")
    if story.timeline:
        out.append("")
    for c in story.clusters:
        out += _event(c, docs, duplicates)
    return out


def report_markdown(data: Mapping[str, Any], *, title: str = "cluster report") -> str:
    """Return the whole report dict as one Markdown document.

    Examples
    --------
    >>> from clusterer import Article, run
    >>> from clusterer.render import report_to_dict
    >>> text = report_markdown(report_to_dict(run([Article("a", "<b>Rain</b> in Paris.", "a")])))
    >>> "<b>" in text, "&lt;b&gt;Rain" in text
    (False, True)
    """
    docs = documents(data)
    duplicates = list(data.get("duplicates", []))
    lines = [f"# {md(title)}", "", md(stats_line(data)), ""]
    for s in stories(data):
        lines += _story(s, docs, duplicates)
    if data.get("skipped"):
        lines += ["## Skipped inputs", ""]
        lines += [f"- {md(s['origin'])}: {md(s['reason'])}" for s in data["skipped"]]
    return "\n".join(lines).rstrip("\n") + "\n"
