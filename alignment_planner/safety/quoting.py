"""Text from outside (file names, field values, level names) quoted safely inside a message.

A message is one line: the CLI's contract is a single ``error: …`` line, and the GUI shows it in a
status bar. What a user or a hostile file supplies may contain newlines, terminal escapes, lone
surrogates (a non-UTF-8 file name decoded with ``surrogateescape``) or megabytes of text; each
would break that line, print a second ``error:``, fail to encode, or flood the terminal. Every
message passes through ``one_line`` before it is shown, and every quoted value through ``quoted``.
"""

from __future__ import annotations

import os
import unicodedata

MESSAGE_LIMIT = 600  # characters of a whole message
VALUE_LIMIT = 80  # characters of one quoted value inside a message
PATH_LIMIT = 240  # characters of a file name inside a message


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate: cannot be encoded, shown as its code
        return f"\\u{code:04x}"
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\u200d":
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def escaped(text: str) -> str:
    """``text`` with control characters, line breaks and lone surrogates written as escapes."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(_escape_char(c) for c in text)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    omitted = len(text) - limit
    return f"{text[:limit]}… ({omitted} more characters)"


def quoted(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value from the input, escaped and cut to ``limit`` characters, for use in a message."""
    text = os.fsdecode(value) if isinstance(value, bytes | os.PathLike) else str(value)
    return shorten(escaped(text), limit)


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A whole message made safe to print as one line (escaped, then truncated)."""
    return shorten(escaped(message), limit)


def printable_path(path: str | os.PathLike[str]) -> str:
    """A file name as text that any UTF-8 output can hold: bytes of a non-UTF-8 name (decoded by
    Python as lone surrogates) are written as ``\\xNN``; the name is otherwise unchanged."""
    text = os.fspath(path)
    if not isinstance(text, str):
        text = os.fsdecode(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
