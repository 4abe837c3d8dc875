"""Bytes to text: byte-order marks, UTF-8, BOM-less UTF-16, single-byte code pages.

Every input goes through :func:`decode_bytes`, which either returns text and the name
of the encoding it was read with, or raises ``UnicodeError`` for binary data.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from charset_normalizer import from_bytes

__all__ = ["BINARY", "decode_bytes"]

BINARY = "not a text file (binary)"

_BINARY_MAGIC = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE_BYTES = 1 << 16
_SAMPLE_CHARS = 1 << 15
_MAX_BAD_SHARE = 0.05
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_LATIN_CODECS = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "cp1258",
        "cp437",
        "cp850",
        "cp852",
        "cp858",
        "mac-roman",
        "mac-latin2",
        "mac-iceland",
        "mac-turkish",
        "latin-1",
        "iso8859-1",
    }
    | {f"iso8859-{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text and return ``(text, encoding)``; raise ``UnicodeError`` if it is not text.

    Tries byte-order marks, strict UTF-8, BOM-less UTF-16 (from the pattern of NUL
    bytes), then charset-normalizer, preferring Windows-1256 over look-alike Arabic
    single-byte encodings. A leading byte-order mark is not part of the text.

    Examples
    --------
    >>> decode_bytes("مرحبا".encode("cp1256"))
    ('مرحبا', 'cp1256')
    >>> decode_bytes("\\ufeffhi".encode("utf-16-le"))
    ('hi', 'utf-16-le')
    >>> decode_bytes(b"\\x00\\x01\\x02\\x03")
    Traceback (most recent call last):
    ...
    UnicodeError: not a text file (binary)
    """
    if not data:
        return "", "utf-8"
    with_bom = _decode_bom(data)
    if with_bom is not None:
        return with_bom
    if data.startswith(_BINARY_MAGIC):
        raise UnicodeError(BINARY)
    has_nul = b"\x00" in data
    for encoding in _unicode_candidates(data, has_nul):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    if has_nul:
        raise UnicodeError(BINARY)
    return _decode_single_byte(data)


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Decode by the byte-order mark ``data`` starts with, if any and if the result reads as text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError:
                return None
            return (text, encoding) if _looks_like_text(text) else None
    return None


def _unicode_candidates(data: bytes, has_nul: bool) -> Iterator[str]:
    """UTF-8 (unless NUL bytes rule it out), then the plausible UTF-16 byte orders, lazily."""
    if not has_nul:
        yield "utf-8"
    yield from _utf16_candidates(data)


def _utf16_candidates(data: bytes) -> list[str]:
    """Guess BOM-less UTF-16 byte orders from where NULs (or one high byte) cluster."""
    if len(data) % 2:
        return []
    sample = data[:_SAMPLE_BYTES]
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul > 4 * even_nul:
        return ["utf-16-le"]
    if even_nul > 4 * odd_nul:
        return ["utf-16-be"]
    if even_nul or odd_nul or len(sample) < 8:
        return []
    if _concentrated(odd) and not _concentrated(even):
        return ["utf-16-le"]
    if _concentrated(even) and not _concentrated(odd):
        return ["utf-16-be"]
    return []


def _concentrated(half: bytes) -> bool:
    """Whether two byte values make up most of ``half`` (the high bytes of one script in UTF-16)."""
    top = Counter(half).most_common(2)
    return sum(n for _, n in top) >= 0.85 * len(half)


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """Pick the single-byte (or other) encoding whose decoding reads most like real text.

    charset-normalizer proposes one; Windows-1256, ISO-8859-6 and Latin-1 (Windows-1252
    when bytes 0x80-0x9F occur) compete with it. The decoding with the fewest oddities
    wins; ties go to Windows-1256 when Arabic letters result, and to Latin-1 over other
    Latin code pages, which short Western texts are easily mistaken for.
    """
    best = from_bytes(data).best()
    guess = _codec_name(best.encoding) if best is not None else None
    western = "cp1252" if _C1_BYTES.search(data) else "iso8859-1"
    decoded = _decodings(data, (guess, "cp1256", "iso8859-6", western))
    if not decoded:
        raise UnicodeError(BINARY)
    rank = _preference_rank(decoded, guess, western)
    name = min(decoded, key=lambda n: (_oddness(decoded[n][:_SAMPLE_CHARS]), rank[n]))
    text = decoded[name]
    if not _looks_like_text(text):
        raise UnicodeError(BINARY)
    return text, name


def _decodings(data: bytes, names: tuple[str | None, ...]) -> dict[str, str]:
    """``data`` decoded with each of ``names`` that exists and accepts it, in order."""
    decoded: dict[str, str] = {}
    for name in names:
        if name is None or name in decoded:
            continue
        try:
            decoded[name] = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return decoded


def _preference_rank(
    decoded: dict[str, str], guess: str | None, western: str
) -> dict[str | None, int]:
    """Tie-break order of the candidate encodings (lower first)."""
    if "cp1256" in decoded and _arabic_share(decoded["cp1256"][:_SAMPLE_CHARS]) >= 0.3:
        preference = ["cp1256", "iso8859-6", guess, western]
    elif guess in _LATIN_CODECS:
        preference = [western, guess, "cp1256", "iso8859-6"]
    else:
        preference = [guess, western, "cp1256", "iso8859-6"]
    rank: dict[str | None, int] = {}
    for i, name in enumerate(preference):
        rank.setdefault(name, i)
    return rank


def _codec_name(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return (
        0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0x8A0 <= o <= 0x8FF or 0xFB50 <= o <= 0xFEFF
    )


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(map(_is_arabic, letters)) / len(letters) if letters else 0.0


def _oddness(text: str) -> float:
    """Score how unlike real text a decoding is (lower is better).

    Counts words that mix Latin and Arabic letters, words made only of accented Latin
    letters (Arabic read as Latin-1), control and unassigned characters, and Arabic
    presentation forms (what look-alike code pages such as cp864 produce).
    """
    score: float = sum(_word_oddness(word) for word in _LETTER_RUN.findall(text))
    for c, n in Counter(text).items():
        if c in _WHITESPACE_CONTROLS:
            continue
        if unicodedata.category(c) in ("Cc", "Cn", "Co"):
            score += n
        elif 0xFB50 <= ord(c) <= 0xFEFF:
            score += 0.2 * n
    return score


def _word_oddness(word: str) -> int:
    """Non-letters inside a letter run, plus one if it mixes scripts or is all accented Latin."""
    score = arabic = latin = accented = 0
    for c in word:
        o = ord(c)
        if not c.isalpha():
            score += 1
        elif _is_arabic(c):
            arabic += 1
        elif o < 0x250:
            latin += 1
            accented += o >= 0xC0
    if (arabic and latin) or (len(word) >= 2 and accented == len(word)):
        score += 1
    return score


def _looks_like_text(text: str) -> bool:
    """Whether the start of ``text`` is mostly printable (few control or unassigned characters)."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return True
    bad = 0
    for c, n in Counter(sample).items():
        if c in _WHITESPACE_CONTROLS:
            continue
        if c < " " or "\x7f" <= c <= "\x9f" or unicodedata.category(c) in ("Cn", "Cs"):
            bad += n
    return bad <= _MAX_BAD_SHARE * len(sample)
