"""Text a designer types, and text shown back to them: cleaned on the way in, escaped on the way out.

Free text in a layout (names, rows, labels) is *cleaned* when it enters the model, so a
file written by a broken tool still opens: a lone surrogate (half of a UTF-16 pair, which
UTF-8 cannot hold) becomes U+FFFD, and control characters other than tab, line feed and
carriage return are dropped, as are U+FFFE and U+FFFF (XML may not hold them either) and
the bidirectional embeddings, overrides and isolates: a rack named with U+202E shows its
name reversed in the window title, the reports and on a printed label, so that one name
can pass for another. Right-to-left text needs none of them (the marks U+200E and U+200F stay).
References (ids, device types, 'device:port') are *refused* instead, naming the field:
silently changing what a reference points at would be worse than saying so.

Messages for a terminal go through `terminal_safe`, which escapes what a terminal would
act on (escape sequences, bidirectional overrides, line breaks) so one message stays one
harmless line.
"""

from __future__ import annotations

import re

# C0 controls except tab, LF and CR; DEL; C1 controls; lone surrogates; the two noncharacters XML
# refuses; the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}")


def clean_text(value: str) -> str:
    """`value` with lone surrogates replaced by U+FFFD and other unwritable characters removed.

    Keeps tab, line feed and carriage return (a label may hold line breaks); drops the bidirectional
    embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). The result
    encodes as UTF-8 and fits in XML 1.0. Returns `value` itself when nothing needs cleaning.
    """
    if (value.isascii() and value.isprintable()) or not _UNWANTED.search(value):  # ASCII first: 3 x faster
        return value
    return _UNWANTED.sub(lambda m: "\ufffd" if _SURROGATE.match(m.group()) else "", value)


def check_reference_text(value: str) -> str:
    """Returns `value` unchanged; raises ValueError when it holds a control character or a lone surrogate.

    For pydantic validators of ids and references: the message names the first bad
    character by its code point, never the character itself.
    """
    if value.isascii() and value.isprintable():  # no control, no surrogate: 3 x faster than the search
        return value
    bad = _CONTROL_OR_SURROGATE.search(value)
    if bad:
        raise ValueError(f"may not hold the control or surrogate character U+{ord(bad.group()):04X}")
    return value


class NotUtf8Error(ValueError):
    """Bytes that are not UTF-8 text (utf8_text): str() says why and what to do, `start` is the
    index of the first byte that is not (0 for UTF-16 or UTF-32 text)."""

    def __init__(self, message: str, start: int) -> None:
        super().__init__(message)
        self.start = start


def utf8_text(raw: bytes) -> str:
    """`raw` (a file's bytes) decoded as UTF-8, a byte-order mark dropped. Raises NotUtf8Error
    saying what the bytes are instead: UTF-16 or UTF-32 text, which Windows tools write as
    "Unicode" (a byte-order mark, or every other byte of its first characters zero, which
    UTF-8 would take as NULs); a binary file (a control byte other than tab, line feed and
    carriage return in its first KiB); else text in an 8-bit encoding (Latin-1, Windows-1252);
    each but the binary with "save the file as UTF-8"."""
    head = raw[:8]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise NotUtf8Error("UTF-32 text, not UTF-8: save the file as UTF-8", 0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) == 8 and (head[1::2] == b"\x00" * 4 or head[0::2] == b"\x00" * 4)
    ):
        raise NotUtf8Error("UTF-16 text, not UTF-8: save the file as UTF-8", 0)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
        if any(byte < 0x09 or 0x0E <= byte < 0x20 for byte in raw[:1024]):  # control bytes: no text holds them
            raise NotUtf8Error(f"not a text file (byte {bad} is not UTF-8)", bad) from None
        raise NotUtf8Error(f"not UTF-8 text (byte {bad} is 0x{raw[bad]:02X}): save the file as UTF-8", bad) from None


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (\\x1b, \\n, \\u202e).

    Printable characters (any script) and spaces pass unchanged; the result is one line.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def brief(value: object, limit: int = 60) -> str:
    """A short, terminal-safe rendering of `value` for a message: its repr cut to `limit` characters.

    A huge integer shows as its size ('a number of about 5,000 digits') rather than its digits.
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        # str() of an int past 4,300 digits raises; the bit length gives the size without it.
        return f"a number of about {int(abs(value).bit_length() * 0.30103) + 1:,} digits"
    text = terminal_safe(repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_path(parts: tuple[object, ...] | list[object]) -> str:
    """('racks', 3, 'devices', 2, 'u_position') -> 'racks[3].devices[2].u_position'.

    A key that is not a plain field name (one a file made up) is shown quoted, short and
    escaped: racks[0]['\\x1b[31m'].
    """
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _FIELD_NAME.fullmatch(str(part)):
            text += f"[{brief(str(part), 40)}]"
        else:
            text += f".{part}" if text else str(part)
    return text
