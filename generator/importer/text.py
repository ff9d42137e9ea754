"""Reading an input file as text: encoding detection, binary refusal, invisible-character cleanup."""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from pathlib import Path

from .article import CannotImport

# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Files that are not text at all, by their first bytes, and what to do instead.
NOT_TEXT = (
    (b"%PDF", "this is a PDF, not text — export it as plain text or save the web page instead"),
    (b"PK\x03\x04", "this is a zip archive (a .docx, .epub or .odt?) — save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "this is an old Office document — save it as plain text first"),
    (b"{\\rtf", "this is an RTF document — save it as plain text first"),
    (b"\x89PNG", "this is a PNG image, not text — import the page that shows it"),
    (b"\xff\xd8\xff", "this is a JPEG image, not text — import the page that shows it"),
    (b"GIF8", "this is a GIF image, not text — import the page that shows it"),
)

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Invisible characters that only get in the way of reading and matching: soft hyphen, zero-width
# space, word joiner, BOM. ZWNJ and ZWJ are removed too, except between two letters of scripts that
# spell with them (Arabic, Persian, Indic scripts) and inside emoji sequences.
ALWAYS_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u180e"))
JOINERS = re.compile(r"[\u200c\u200d]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


MAX_INPUT_BYTES = 10 * 1024 * 1024  # 10 MiB: far more than any article; a larger input is a mistake


def read_limited(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The file's bytes, reading no more than `limit` (a device such as /dev/zero never ends)."""
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise CannotImport(path, f"the file is larger than {limit // (1024 * 1024)} MiB — an article is far "
                           "smaller; check that this is the right file")
    return data


def read_text(path: Path, *, declared_charset_allowed: bool) -> str:
    """The file's text, decoded and cleaned; raises CannotImport for binary, undecodable or oversized input."""
    data = read_limited(path)
    return text_of_bytes(path, data, declared_charset_allowed=declared_charset_allowed)


def text_of_bytes(path: Path, data: bytes, *, declared_charset_allowed: bool,
                  charset: str | None = None) -> str:
    """Decoded and cleaned text of an input's bytes (`charset`: what an HTTP header declared)."""
    if charset:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            data = data.decode(codecs.lookup(charset).name).encode("utf-8")
    text = decode(path, data, declared_charset_allowed=declared_charset_allowed)
    controls = CONTROL.findall(text)
    if len(controls) > max(2, len(text) // 500):
        line, col = position(text, CONTROL.search(text).start())  # type: ignore[union-attr]
        raise CannotImport(path, "this looks like a binary file, not text — import a .txt or a saved .html page",
                           line=line, col=col)
    return clean_text(CONTROL.sub("", normalise_newlines(text)))


def decode(path: Path, data: bytes, *, declared_charset_allowed: bool) -> str:
    """BOM, then strict UTF-8, then a `<meta charset>`, then a detected encoding, then cp1252."""
    for magic, advice in NOT_TEXT:
        if data.startswith(magic):
            raise CannotImport(path, advice)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                line, col = byte_position(data, error.start + len(bom))
                raise CannotImport(path, f"invalid {encoding.upper()} after its byte-order mark — "
                                   "re-save the file as UTF-8", line=line, col=col) from None
    if b"\x00" in data:
        utf16 = utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        line, col = byte_position(data, data.index(b"\x00"))
        raise CannotImport(path, "this looks like a binary file, not text (it holds NUL bytes) — "
                           "import a .txt or a saved .html page", line=line, col=col)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared_charset_allowed:
        declared = META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
                if encoding in ("latin-1", "iso8859-1", "ascii"):  # browsers read these as windows-1252
                    return "".join(cp1252_or_latin1(byte) for byte in data)
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
    detected = detect_encoding(data)
    if detected:
        return detected
    return "".join(cp1252_or_latin1(byte) for byte in data)


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess, taken only when it reads the bytes as a non-Latin script (cp1251
    Russian, Shift-JIS, GBK…): for Latin text the cp1252 fallback is the safer reading of a short file."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    letters = [char for char in text if char.isalpha()]
    non_latin = sum(1 for char in letters if ord(char) >= 0x0370)
    return text if letters and non_latin > len(letters) / 2 else None


def cp1252_or_latin1(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM shows as NUL in every other byte of its ASCII letters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    for nuls, encoding in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
        if nuls > half * 0.6:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if CONTROL.search(text) else text
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def clean_text(text: str) -> str:
    """Invisible characters out, NFC in: the text as a reader sees it, and as mentions are matched."""
    text = text.translate(ALWAYS_INVISIBLE)
    if "\u200c" in text or "\u200d" in text:
        text = JOINERS.sub(lambda m: m.group() if joiner_belongs(text, m.start()) else "", text)
    return unicodedata.normalize("NFC", text)


def joiner_belongs(text: str, index: int) -> bool:
    """A ZWJ/ZWNJ between two non-Latin letters (Arabic, Indic…) or inside an emoji sequence."""
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if is_emoji_part(before) and is_emoji_part(after):
        return True
    return (ord(before) >= 0x0590 and ord(after) >= 0x0590
            and unicodedata.category(before)[0] in "LM" and unicodedata.category(after)[0] in "LM")


def is_emoji_part(char: str) -> bool:
    return ord(char) >= 0x1F000 or 0x2600 <= ord(char) <= 0x27BF or char == "\ufe0f"


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def byte_position(data: bytes, index: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, index) + 1
    return line, index - (data.rfind(b"\n", 0, index) + 1) + 1
