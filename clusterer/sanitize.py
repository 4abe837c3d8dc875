"""One sanitizer for everything printed that came from input (titles, outlets, dates, ids, file names).

Terminal escape sequences, C0/C1 control characters, bidi embedding/override/isolate controls
and lone surrogates are made visible as backslash escapes (``\\x1b``, ``\\u202e``, ``\\udcff``),
never passed through; in one-line contexts (messages, table cells) newlines are escaped too, so
an input can neither colour, retitle or clear the terminal nor forge a line of output.

Examples
--------
>>> printable("red \\x1b[31mtext")
'red \\\\x1b[31mtext'
>>> printable("two\\nlines")
'two\\\\nlines'
>>> printable("two\\nlines", one_line=False)
'two\\nlines'
>>> printable("\\u202eabc \\ud800")
'\\\\u202eabc \\\\ud800'
>>> printable(None)
''
"""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# line/paragraph separators, lone surrogates
_UNSAFE = re.compile(
    r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_MULTILINE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, one_line: bool = True) -> str:
    """Return ``text`` (any object, ``None`` as ``''``) safe to print on a terminal.

    Control characters, escape sequences' ESC, bidi controls and lone surrogates become
    backslash escapes; ``one_line=True`` (the default) escapes newlines as well.
    """
    if text is None:
        return ""
    pattern = _UNSAFE if one_line else _UNSAFE_MULTILINE
    return pattern.sub(_escape, str(text))
