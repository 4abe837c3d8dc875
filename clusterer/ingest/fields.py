"""Map one parsed record (a JSON object, a CSV row) to an :class:`Article`.

Field names are matched case-insensitively, ignoring surrounding spaces. The text is
``text`` (or ``body``/``content``/``article``); ``id``, ``title``, ``date``, ``source``
(or ``outlet``/``site``/``publisher``), ``url`` and ``lang`` are optional; other scalar
fields go to ``Article.extra``.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from ..records import Article, Skipped

__all__ = [
    "EMPTY",
    "TEXT_KEYS",
    "escape_surrogates",
    "may_hold_surrogates",
    "record_article",
    "safe_name",
]

logger = logging.getLogger(__name__)

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_JSON_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # \uD800 to \uDFFF in a JSON text

TEXT_KEYS = ("text", "body", "content", "article")
TITLE_KEYS = ("title", "headline")
SOURCE_KEYS = ("source", "outlet", "site", "publisher")
DATE_KEYS = ("date", "published", "published_at", "publishedat", "pubdate")
URL_KEYS = ("url", "link")
LANG_KEYS = ("lang", "language")
ID_KEYS = ("id",)

NO_TEXT_FIELD = "record has no text field (expected 'text')"
EMPTY = "empty document"

_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
}


# isinstance tests against these tuples (a union written inline is built again at every test)
_SCALAR = (str, int, float, bool)
_NUMBER_OR_STRING = (str, int, float)
_NUMBER = (int, float)
_CONTAINER = (dict, list)


@lru_cache(maxsize=256)
def _names(keys: tuple[Any, ...]) -> dict[str, str]:
    """Return a record's string keys by normalized name (the first of the keys that normalize
    alike); records of one file share their keys, so this is done once per file."""
    names: dict[str, str] = {}
    for key in keys:
        if isinstance(key, str):
            names.setdefault(key.strip().lower(), key)
    return names


class _Fields:
    """A record's string keys looked up by normalized name, remembering which were used."""

    def __init__(self, value: dict[Any, Any]) -> None:
        self.value = value
        self.names = _names(tuple(value))  # shared: never changed
        self.used: set[str] = set()

    def has_any(self, keys: tuple[str, ...]) -> bool:
        return any(k in self.names for k in keys)

    def pick(self, keys: tuple[str, ...]) -> object:
        """The first non-null value among ``keys`` (marked used), or None."""
        for k in keys:
            original = self.names.get(k)
            if original is not None and self.value[original] is not None:
                self.used.add(original)
                return self.value[original]
        return None

    def extra(self) -> tuple[tuple[str, Any], ...]:
        """The scalar fields no ``pick`` used, sorted."""
        return tuple(
            sorted(
                (k, v)
                for k, v in self.value.items()
                if k not in self.used and isinstance(k, str) and isinstance(v, _SCALAR)
            )
        )


def record_article(
    value: object,
    default_id: str,
    origin: str,
    fmt: str,
    encoding: str | None,
    decode_errors: int = 0,
    *,
    clean: bool = True,
) -> Article | Skipped:
    """Turn one parsed record into an Article (or say why it cannot be one).

    ``decode_errors`` is the number of invalid byte sequences its line or file had. ``clean=False``
    when the record is known to hold no lone surrogate (see :func:`may_hold_surrogates`): its
    strings are then not searched for them.
    """
    if not isinstance(value, dict):
        return Skipped(origin, f"record is not a JSON object (got {_json_type(value)})")
    counter = [0]
    record: dict[Any, Any] = _clean_value(value, counter) if clean else value
    if counter[0]:
        logger.warning("%s: %d lone surrogate(s) escaped as \\uXXXX", origin, counter[0])
        decode_errors += counter[0]
    fields = _Fields(record)
    text = _record_text(fields, origin)
    if isinstance(text, Skipped):
        return text
    doc_id = _record_id(fields.pick(ID_KEYS), default_id)
    source = fields.pick(SOURCE_KEYS)
    if isinstance(source, dict):
        source = source.get("name")
    title, date, url, lang = (
        fields.pick(keys) for keys in (TITLE_KEYS, DATE_KEYS, URL_KEYS, LANG_KEYS)
    )
    return Article(
        id=doc_id,
        text=text,
        origin=origin,
        title=_scalar(title),
        source=_scalar(source),
        date=_scalar(date),
        url=_scalar(url),
        lang=_scalar(lang),
        format=fmt,
        encoding=encoding,
        extra=fields.extra(),
        decode_errors=decode_errors,
    )


def _record_text(fields: _Fields, origin: str) -> str | Skipped:
    """The record's text (a string, a number, or a list of paragraphs), or why there is none."""
    raw_text = fields.pick(TEXT_KEYS)
    if raw_text is None:
        return Skipped(origin, EMPTY if fields.has_any(TEXT_KEYS) else NO_TEXT_FIELD)
    if isinstance(raw_text, list) and all(isinstance(p, str) for p in raw_text):
        text = "\n\n".join(raw_text)
    elif isinstance(raw_text, _NUMBER_OR_STRING) and not isinstance(raw_text, bool):
        text = str(raw_text)
    else:
        return Skipped(origin, f"field 'text' is not a string (got {_json_type(raw_text)})")
    return text if text.strip() else Skipped(origin, EMPTY)


def _record_id(raw_id: object, default_id: str) -> str:
    """The record's own id when it is a non-blank scalar, else ``default_id``."""
    doc_id = default_id if raw_id is None or isinstance(raw_id, _CONTAINER) else str(raw_id)
    return doc_id if doc_id.strip() else default_id


def _scalar(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, _NUMBER) and not isinstance(value, bool):
        return str(value)
    return None


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+DC80..U+DCFF stand for the undecodable bytes 0x80..0xFF of an OS file name
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def escape_surrogates(text: str) -> tuple[str, int]:
    r"""``text`` with lone surrogates written as backslash escapes, and how many there were.

    Examples
    --------
    >>> escape_surrogates("a\ud800b")
    ('a\\ud800b', 1)
    >>> escape_surrogates("caf\udce9")
    ('caf\\xe9', 1)
    """
    count = 0

    def sub(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _escape_one(match)

    return _SURROGATE.sub(sub, text), count


def may_hold_surrogates(json_text: str) -> bool:
    r"""Whether the value parsed from ``json_text`` can hold a lone surrogate (a quick scan).

    >>> may_hold_surrogates('{"text": "caf\\udce9"}'), may_hold_surrogates('{"text": "café \\u00e9"}')
    (True, False)
    """
    if "\\u" in json_text and _JSON_SURROGATE_ESCAPE.search(json_text):
        return True
    try:
        json_text.encode("utf-8")  # fails on a lone surrogate; much faster than a search
    except UnicodeEncodeError:
        return True
    return False


def safe_name(name: str) -> str:
    """A file name (undecodable bytes as U+DC80..U+DCFF) that can be written as UTF-8: ``\\xNN``."""
    return escape_surrogates(name)[0]


def _clean_value(value: object, counter: list[int]) -> Any:
    """A JSON value with lone surrogates escaped in every string (keys too), counted in ``counter``."""
    if isinstance(value, str):
        text, n = escape_surrogates(value)
        counter[0] += n
        return text
    if isinstance(value, list):
        return [_clean_value(v, counter) for v in value]
    if isinstance(value, dict):
        return {_clean_value(k, counter): _clean_value(v, counter) for k, v in value.items()}
    return value


def _json_type(value: object) -> str:
    """The JSON name of ``value``'s type, for messages."""
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)
