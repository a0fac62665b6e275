"""Text that PostgreSQL cannot store, found and escaped.

PostgreSQL `text` and `jsonb` hold every Unicode character except NUL (U+0000), and a
lone surrogate (U+D800–U+DFFF, which a JSON `\\ud800` escape can carry) is no character
at all: it cannot be encoded as UTF-8. A field holding either sends its row to
quarantine (`unstorable_char`), where the row's text is kept escaped with `escape`.
"""
from __future__ import annotations

import json
import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def first(text: str) -> tuple[int, str] | None:
    """(1-based position, description) of the first unstorable character, or None."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    return match.start() + 1, "NUL (0x00)" if code == 0 else f"U+{code:04X}"


def may_hold(value: object) -> bool:
    """False when no text inside `value` (a record: dicts, lists, texts, numbers, dates)
    is unstorable, decided at C speed by one dump; True when one may be."""
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # keys json cannot write: the caller walks the record
        return True
    # The dump writes a NUL as `\u0000` (so does a text holding a backslash then "u0000":
    # that only costs the caller's walk) and a lone surrogate as itself, which UTF-8
    # cannot encode.
    if "\\u0000" in dumped:
        return True
    try:
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def escape(text: str) -> str:
    """`text` with a backslash doubled and each unstorable character written `\\x00` or
    `\\udXXX`: storable, and exactly reversible (`unescape`)."""
    return _UNSTORABLE.sub(_escaped, text.replace("\\", "\\\\"))


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return "\\x00" if code == 0 else f"\\u{code:04x}"


def unescape(text: str) -> str:
    """The text `escape` was given (for whoever corrects and re-delivers a row)."""
    return re.sub(r"\\(\\|x00|u[0-9a-f]{4})",
                  lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)), text)


def storable(text: str) -> str:
    """`text` itself when PostgreSQL can store it, else escaped (for messages)."""
    return text if _UNSTORABLE.search(text) is None else escape(text)
