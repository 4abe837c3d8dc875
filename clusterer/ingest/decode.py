"""Bytes to text: byte-order marks, UTF-8, BOM-less UTF-16, single-byte code pages.

Every input goes through :func:`decode_bytes`, which either returns text and the name
of the encoding it was read with, or raises ``UnicodeError`` for binary data.

Decoding is never sticky: :func:`decode_lines` reads a file that is UTF-8 but for a few
bad bytes (or a few lines in another encoding) line by line, each line on its own, and
says which lines needed repair; :func:`decode_line` does the same for one line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

__all__ = ["BINARY", "DecodedLine", "DecodedText", "decode_bytes", "decode_line", "decode_lines"]

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
_LEGACY_MIN_ERRORS = (
    8  # a line with this many invalid UTF-8 sequences (and no valid ones) is legacy
)
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


@dataclass(frozen=True, slots=True)
class DecodedLine:
    """One line's text, the encoding it was read with and how many invalid UTF-8 sequences it had.

    ``errors`` counts the byte sequences that were not valid UTF-8: replaced by U+FFFD when
    ``encoding`` is ``utf-8``, else the line was read whole in ``encoding`` instead.
    """

    text: str
    encoding: str
    errors: int = 0
    nul: bool = False  # the line held NUL bytes (removed)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A whole input decoded: its text, encoding, and the 1-based lines that needed repair."""

    text: str
    encoding: str
    repaired: dict[int, DecodedLine] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Invalid UTF-8 sequences in the whole input (0 when it decoded cleanly)."""
        return sum(line.errors for line in self.repaired.values())


def _count_invalid_utf8(data: bytes) -> tuple[str, int, int]:
    """``data`` decoded as UTF-8 with replacement, the invalid sequences and the valid non-ASCII
    characters."""
    errors = 0
    parts: list[str] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[pos : pos + exc.start].decode("utf-8"))
            parts.append("\ufffd")
            errors += 1
            pos += exc.end
    text = "".join(parts)
    good = sum(1 for c in text if c > "\x7f") - errors
    return text, errors, good


def decode_line(data: bytes) -> DecodedLine:
    r"""Decode one line (or record) on its own; raise ``UnicodeError`` when it is binary data.

    Valid UTF-8 is read as such. A line written in another encoding (more invalid sequences
    than valid non-ASCII characters, and either many of them or Arabic once read so) is
    decoded whole by :func:`decode_bytes` (a line in Windows-1256, Latin-1, ...); in any other
    line the invalid bytes are replaced by U+FFFD.
    NUL bytes are removed and flagged.

    Examples
    --------
    >>> decode_line("ok é".encode())
    DecodedLine(text='ok é', encoding='utf-8', errors=0, nul=False)
    >>> decode_line("مرحبا بكم".encode() + b" \xff") == DecodedLine("مرحبا بكم \ufffd", "utf-8", 1)
    True
    >>> decode_line("مرحبا بكم في المدينة".encode("cp1256")).encoding
    'cp1256'
    """
    nul = b"\x00" in data
    if nul:
        data = data.replace(b"\x00", b"")
    try:
        return DecodedLine(data.decode("utf-8"), "utf-8", 0, nul)
    except UnicodeDecodeError:
        pass
    text, errors, good = _count_invalid_utf8(data)
    if good < errors and errors >= 2:
        legacy, encoding = decode_bytes(data)
        if errors >= _LEGACY_MIN_ERRORS or _arabic_share(legacy) >= 0.3:
            return DecodedLine(legacy, encoding, errors, nul)
    return DecodedLine(text, "utf-8", errors, nul)


def decode_lines(data: bytes, *, keep_nul: bool = False) -> DecodedText:
    r"""Decode a whole input; a UTF-8 input with some bad lines is decoded line by line.

    Inputs with a byte-order mark, valid UTF-8, UTF-16 and inputs with no valid UTF-8 at all
    (a file in one legacy code page) are decoded whole by :func:`decode_bytes`. An input that
    is UTF-8 but for some lines, or has a few stray NUL bytes, is decoded line by line with
    :func:`decode_line`, and the lines that needed repair are listed. With ``keep_nul``, NUL
    bytes ruling out UTF-8 make the whole input fail as binary (as :func:`decode_bytes` does).
    Raises ``UnicodeError`` for binary data.

    Examples
    --------
    >>> d = decode_lines("سطر أول\nline ".encode() + b"\xff two\n" + "سطر ثالث\n".encode())
    >>> d.text.splitlines()[1] == "line \ufffd two", d.errors, sorted(d.repaired)
    (True, 1, [2])
    """
    try:
        text, encoding = decode_bytes(data)
    except UnicodeError:
        if keep_nul or not _mostly_text_with_nul(data):
            raise
    else:
        if encoding in ("utf-8", "utf-8-sig") or not _has_valid_multibyte(data):
            return DecodedText(text, encoding)
    return _decode_by_line(data)


def _has_valid_multibyte(data: bytes) -> bool:
    """Whether ``data`` holds any valid UTF-8 multi-byte character (it is not purely legacy)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return False
    _, errors, good = _count_invalid_utf8(data[: _SAMPLE_BYTES * 4])
    return good > 0


def _mostly_text_with_nul(data: bytes) -> bool:
    """A few stray NUL bytes in what is otherwise text (UTF-16 was already ruled out)."""
    if data.startswith(_BINARY_MAGIC):
        return False
    return data.count(b"\x00") <= max(1, len(data) // 100)


def _decode_by_line(data: bytes) -> DecodedText:
    parts: list[str] = []
    repaired: dict[int, DecodedLine] = {}
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        line = decode_line(raw)
        if line.errors or line.nul:
            repaired[number] = line
        parts.append(line.text)
    return DecodedText("".join(parts), "utf-8", repaired)
