"""Turn uploaded bytes into UTF-8 that polars can read, or refuse them clearly.

Vendor exports arrive as UTF-8 (with or without a BOM), UTF-16 (Moodle's
"Excel" CSV), or Windows-1252 from a spreadsheet on Windows. The file name
is never trusted; the bytes decide. UTF-8 input is passed on untouched (and
checked by polars while it reads), so a large report is not copied.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from loaders.errors import Rejected

__all__ = ["Decoded", "decode"]

_SAMPLE = 64 * 1024
_BLANK = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"  # what an empty file may still hold
_MAGIC = {
    b"PK\x03\x04": "a zip archive or an Excel workbook (.xlsx); save the sheet as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); save the sheet as CSV",
    b"%PDF": "a PDF document, not a CSV file",
    b"\x1f\x8b": "a gzip archive; unpack it first",
}
# Encodings charset-normalizer may name for text that is not in a Latin script.
# Anything else it names for a non-UTF-8 file is read as Windows-1252, which it
# confuses with its neighbours on short samples ("Ñúñez" read as cp1250 is "Ńúńez").
_NON_LATIN = (
    "cp1251", "koi8", "iso8859_5", "mac_cyrillic", "cp1253", "iso8859_7", "cp1255",
    "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620", "big5", "gb", "hz",
    "shift_jis", "cp932", "euc", "iso2022", "cp949", "johab",
)  # fmt: skip


@dataclass(frozen=True)
class Decoded:
    """UTF-8 bytes for polars (`body`), the encoding found, and whether polars must check it."""

    body: bytes
    encoding: str
    unchecked_utf8: bool


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le`/`-be` when NULs sit in every other byte of the sample, else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return bad / max(len(text), 1)


def _legacy_encoding(data: bytes) -> str:
    guess = from_bytes(data[:_SAMPLE]).best()
    if guess is None:
        msg = "the file is not readable text (binary data or an unknown encoding); upload a CSV"
        raise Rejected.single(msg)
    if guess.encoding.startswith(_NON_LATIN):
        return guess.encoding
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _blank(data: bytes) -> bool:
    """Whether `data` holds nothing but blanks, NULs and byte-order marks.

    The head answers for almost every file; only a file that starts with a
    run of blanks is stripped whole (`bytes.strip` copies what it keeps:
    0.08 s for a 144 MB report).
    """
    return not data[:_SAMPLE].strip(_BLANK) and not data.strip(_BLANK)


def decode(data: bytes) -> Decoded:
    """Find the encoding of `data` and return UTF-8 bytes to parse.

    Raises
    ------
    Rejected
        For an empty, binary, archive or spreadsheet file, with a message
        saying what the file looks like.
    """
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise Rejected.single(f"the file is {what}")
    if _blank(data):
        raise Rejected.single("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:], "utf-8-sig", unchecked_utf8=True)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16", errors="replace"), "utf-16")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise Rejected.single("the file contains binary data (NUL bytes); upload a CSV file")
        return _checked(data.decode(utf16, errors="replace"), utf16)
    head = data[:_SAMPLE]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if not (len(head) == _SAMPLE and exc.start >= len(head) - 3):
            encoding = _legacy_encoding(data)
            return _checked(data.decode(encoding, errors="replace"), encoding)
    text = head.decode("utf-8", errors="ignore")
    if _control_share(text) > 0.01:
        raise Rejected.single("the file contains binary data; upload a CSV file")
    return Decoded(data, "utf-8", unchecked_utf8=True)


def decode_legacy(data: bytes) -> Decoded:
    """Fallback when polars finds invalid UTF-8 past the sample: read as a legacy encoding."""
    encoding = _legacy_encoding(data)
    return _checked(data.decode(encoding, errors="replace"), encoding)


def _checked(text: str, encoding: str) -> Decoded:
    if _control_share(text[:_SAMPLE]) > 0.01:
        raise Rejected.single("the file contains binary data; upload a CSV file")
    if "\x00" in text:  # never in a report; `lines` marks blank-line runs with it
        raise Rejected.single("the file contains NUL characters (binary data); upload a CSV file")
    return Decoded(text.lstrip("\ufeff").encode("utf-8"), encoding, unchecked_utf8=False)
