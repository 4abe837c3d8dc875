"""HTML pages: main text and metadata, by trafilatura with a stdlib fallback.

trafilatura extracts the article text, title, date and site name. When it finds
nothing (or fails), :class:`_PageText`, a forgiving ``html.parser`` reader that drops
page furniture, supplies the visible text; ``<title>``, ``<meta>`` tags and
``<html lang>`` fill the metadata trafilatura left empty.
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ..records import Article, Skipped
from .fields import EMPTY

__all__ = ["html_article"]

logger = logging.getLogger(__name__)

_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "menu",
        "svg",
        "iframe",
        "button",
        "select",
        "head",
        "object",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "table",
        "dd",
        "dt",
        "figcaption",
        "hr",
        "main",
        "td",
        "th",
    }
)
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_FURNITURE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search"}
)
_FURNITURE_NAMES = re.compile(
    r"(?<![a-z])(nav|navbar|navigation|menu|footer|sidebar|share|sharing|social|breadcrumbs?|cookies?|"
    r"subscribe|newsletter|related|comments?|advert|ads|promo|widget|popup|modal)(?![a-z])",
    re.IGNORECASE,
)
_META_SITE = frozenset({"og:site_name", "application-name"})
_META_DATE = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "dc.date.issued",
        "datepublished",
    }
)


class _PageText(HTMLParser):
    """A forgiving stdlib HTML reader: visible text outside page furniture, plus metadata.

    Furniture is what ``_SKIP_TAGS`` names and any element whose class, id or role says
    menu, navigation, footer, sidebar, sharing and the like; everything inside it is dropped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.lang: str | None = None
        self._stack: list[str] = []
        self._skip_depth: int | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "html" and values.get("lang"):
            self.lang = values["lang"].strip()
        elif tag == "body":
            if "head" in self._stack:
                self._close("head")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (
                values.get("property") or values.get("name") or values.get("itemprop") or ""
            ).lower()
            if key and values.get("content"):
                self.meta.setdefault(key, values["content"].strip())
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        self._stack.append(tag)
        if self._skip_depth is None and (tag in _SKIP_TAGS or _is_furniture(values)):
            self._skip_depth = len(self._stack)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in self._stack:
            self._close(tag)

    def _close(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass
        if self._skip_depth is not None and len(self._stack) < self._skip_depth:
            self._skip_depth = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif self._skip_depth is None:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def title(self) -> str | None:
        return " ".join("".join(self.title_parts).split()) or None


def _is_furniture(attrs: dict[str, str]) -> bool:
    if attrs.get("role", "").lower() in _FURNITURE_ROLES or "hidden" in attrs:
        return True
    return bool(_FURNITURE_NAMES.search(f"{attrs.get('class', '')} {attrs.get('id', '')}"))


@dataclass(frozen=True, slots=True)
class _Extracted:
    """What trafilatura found on a page (any field may be missing)."""

    text: str | None = None
    title: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()


def html_article(html: str, doc_id: str, origin: str, encoding: str) -> Article | Skipped:
    """Extract the main text and metadata of an HTML page (trafilatura, stdlib fallback)."""
    page = _PageText()
    try:
        page.feed(html)
        page.close()
    except Exception as exc:  # the stdlib parser has no documented exception set
        logger.debug("%s: html.parser failed: %s", origin, exc)
    found = _extract(html, origin)
    text = found.text
    if not text or not text.strip():
        text = page.text()
    if not text.strip():
        return Skipped(origin, EMPTY)
    meta = page.meta
    return Article(
        id=doc_id,
        text=text,
        origin=origin,
        title=found.title or page.title() or meta.get("og:title"),
        source=found.site or next((meta[k] for k in sorted(_META_SITE) if k in meta), None),
        date=found.date or next((meta[k] for k in sorted(_META_DATE) if k in meta), None),
        url=found.url or meta.get("og:url"),
        lang=page.lang,
        format="html",
        encoding=encoding,
        extra=found.extra,
    )


def _extract(html: str, origin: str) -> _Extracted:
    """Run trafilatura over the page; an empty result when it finds nothing or fails.

    trafilatura is imported with the first page (a few tenths of a second that JSONL never pays).
    """
    try:
        trafilatura = importlib.import_module("trafilatura")
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # third-party extractor; fall back to the stdlib text
        logger.debug("%s: trafilatura failed: %s", origin, exc)
        doc = None
    if doc is None or isinstance(doc, dict):
        return _Extracted()
    extra = [
        (k, v)
        for k in ("author", "description")
        if isinstance(v := getattr(doc, k, None), str) and v
    ]
    return _Extracted(doc.text, doc.title, doc.date, doc.sitename, doc.url, tuple(sorted(extra)))
