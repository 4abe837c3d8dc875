"""Output for the terminal and for pipes: TTY decisions, the rich story view, safe text."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO, Any

from bidi import get_display
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from clusterer.report_model import document_outlet
from clusterer.sanitize import printable


def safe(text: object) -> str:
    """Return text from the input fit for one line of a terminal: controls and escapes made visible."""
    return printable(text)


@dataclass
class Streams:
    """The process's streams and what they are connected to (tests replace it)."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool = field(
        default_factory=lambda: sys.stdout is not None and sys.stdout.isatty()
    )
    stderr_isatty: bool = field(
        default_factory=lambda: sys.stderr is not None and sys.stderr.isatty()
    )

    def err_console(self) -> Console:
        return Console(file=self.stderr, force_terminal=self.stderr_isatty, highlight=False)

    def out_console(self) -> Console:
        return Console(
            file=self.stdout, force_terminal=self.stdout_isatty, highlight=False, soft_wrap=False
        )


def _bidi(text: str, enabled: bool) -> str:
    if not enabled:
        return text
    return "\n".join(get_display(line) for line in text.split("\n"))


# terminals known to show right-to-left text in logical order (no bidi of their own)
_NO_BIDI_TERMS = ("xterm-kitty", "alacritty", "linux")
_NO_BIDI_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "Hyper", "tmux"})


def bidi_enabled(choice: str, env: dict[str, str] | None = None) -> bool:
    """Resolve ``--bidi auto|on|off``.

    auto: ``CLUSTER_BIDI`` decides when set (1/true/yes/on or 0/false/no/off); otherwise reorder
    only in terminals known to lack bidi (kitty, Alacritty, the Linux console, iTerm2, WezTerm,
    VS Code, Windows Terminal), since VTE terminals, Konsole, mlterm and Apple Terminal reorder
    themselves and a second reordering would reverse the text.

    >>> bidi_enabled("auto", {"TERM": "xterm-kitty"}), bidi_enabled("auto", {"VTE_VERSION": "7600"})
    (True, False)
    >>> bidi_enabled("auto", {"TERM": "xterm-kitty", "CLUSTER_BIDI": "0"})
    False
    """
    if choice in ("on", "off"):
        return choice == "on"
    env = dict(os.environ) if env is None else env
    forced = env.get("CLUSTER_BIDI", "").strip().lower()
    if forced in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        return forced in {"1", "true", "yes", "on"}
    return (
        env.get("TERM", "").startswith(_NO_BIDI_TERMS)
        or env.get("TERM_PROGRAM", "") in _NO_BIDI_PROGRAMS
        or "WT_SESSION" in env
    )


def _conflict_line(conflict: dict[str, Any], bidi: bool) -> Text:
    """Return one conflict as "⚠ number differs: 12 killed (A) vs 14 killed (B, C)"."""
    kind = "updated" if conflict.get("type") == "update" else "differs"
    line = Text(f"⚠ {conflict['kind']} {kind}: ", style="yellow")
    versions = " vs ".join(
        f"{v['value']} ({', '.join(o or 'unknown outlet' for o in v['outlets'])})"
        for v in conflict["versions"]
    )
    line.append_text(Text(_bidi(safe(versions), bidi)))
    return line


def story_view(
    data: dict[str, Any], *, bidi: bool = False, max_clusters: int | None = None
) -> Group:
    """Build the human story view of a report dict: one panel per cluster."""
    docs = {d["id"]: d for d in data["documents"]}
    dup_of = {d["id"]: d for d in data["duplicates"]}

    def t(value: object, style: str = "") -> Text:
        return Text(
            _bidi(safe(value), bidi), style=style
        )  # Text(), never markup: article text stays data

    parts: list[Any] = []
    stats = data["stats"]
    head = Text()
    head.append(f"{stats['documents']} documents", style="bold")
    head.append(
        f" → {stats['clusters']} clusters ({stats['multi_document_clusters']} with several documents), "
        f"{stats['duplicates']} duplicates, {stats['skipped']} skipped"
    )
    parts.append(head)
    clusters = data["clusters"] if max_clusters is None else data["clusters"][:max_clusters]
    for c in clusters:
        # the headline opens the panel's body, where it wraps (a panel title is cut at the width)
        title = t(c["headline"] or docs[c["kept"][0]]["title"] or c["members"][0], "bold")
        body: list[Any] = [title]
        meta = Text()
        meta.append("outlets: ", style="dim")
        meta.append_text(t(", ".join(c["outlets"]) or "unknown"))
        if c["dates"]:
            meta.append("   dates: ", style="dim")
            meta.append(safe(", ".join(c["dates"])))
        meta.append(f"   cohesion {c['cohesion']:.2f}", style="dim")
        body.append(meta)
        if c["keywords"]:
            kw = Text("key terms: ", style="dim")
            kw.append_text(t(", ".join(c["keywords"][:8])))
            body.append(kw)
        if c.get("lead"):
            body.append(t(c["lead"], "bold"))
        for s in c["summary"]:
            line = Text("• ")
            line.append_text(t(s["text"]))
            line.append("  [", style="dim")
            line.append_text(t(", ".join(o or "unknown outlet" for o in s["outlets"]), "cyan"))
            line.append(
                "]" + (" only this outlet" if s["unique"] and len(c["kept"]) > 1 else ""),
                style="dim",
            )
            body.append(line)
        body.extend(_conflict_line(conflict, bidi) for conflict in c["conflicts"])
        body.append(Text("articles:", style="dim"))
        for m in c["members"]:
            d = docs[m]
            line = Text("  ")
            line.append_text(t(document_outlet(d), "cyan"))
            line.append(f" · {safe(d['date'] or 'no date')} · ", style="dim")
            line.append_text(t(d["title"] or ""))
            line.append("  ")
            line.append_text(t(m, "dim"))
            if m in dup_of:
                line.append(
                    f"  ({dup_of[m]['kind'].replace('_', ' ')} of {safe(dup_of[m]['duplicate_of'])})",
                    style="yellow",
                )
            body.append(line)
        parts.append(
            Panel(
                Group(*body),
                subtitle=f"{safe(c['id'])} · {c['size']} docs",
            )
        )
    if max_clusters is not None and len(data["clusters"]) > max_clusters:
        parts.append(
            Text(
                f"… {len(data['clusters']) - max_clusters} more clusters (use --format json for all)",
                style="dim",
            )
        )
    if data["skipped"]:
        sk = Table(title="skipped", show_header=False, box=None)
        for s in data["skipped"]:
            sk.add_row(t(s["origin"]), t(s["reason"], "yellow"))
        parts.append(sk)
    return Group(*parts)
