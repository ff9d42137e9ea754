"""Slugs and ids: the one place that decides what a file name may be."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # whole strings only (fullmatch: `$` let "evil\n" through)
MAX_ID_LENGTH = 100  # a file name is at most 255 bytes: <id>.html, with room to spare (251 characters crashed)
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_SYLLABIC = ("CJK", "HIRAGANA", "KATAKANA", "YI ")  # scripts written without spaces between words


def slugify(text: str, max_length: int = 80, any_script: bool = True) -> str:
    """'Putin and Lavrov Rebuff Pompeo’s Overtures' -> 'putin-and-lavrov-rebuff-pompeos-overtures';
    'Путин и Лавров' -> 'putin-i-lavrov'; '习近平' -> 'xi-jin-ping'.

    Any script is transliterated to ASCII (anyascii: accents folded, 'ß' -> 'ss', 'Ł' -> 'L'), one syllable
    per Chinese, Japanese or Korean character; apostrophes vanish (so possessives stay one word), every other
    run of non-alphanumerics becomes one hyphen. With any_script=False, letters outside the Latin script are
    dropped instead (what is left of a title tells whether it is written in Latin letters).

    A name Windows keeps for a device gets a suffix ('Aux' -> 'aux-1'): con.md, even with its extension, cannot
    be checked out on Windows.
    """
    if any_script:
        ascii_text = transliterate(_APOSTROPHES.sub("", text))
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if slug in WINDOWS_DEVICES:
        slug += "-1"
    return slug


def id_problem(text: str) -> str:
    """Why `text` cannot be an id or slug (empty when it can): lower-case letters, digits and single hyphens, at
    most MAX_ID_LENGTH of them, not `index` (the home page, each kind's list) nor a name Windows keeps for a
    device (a checkout of the edition on Windows would fail)."""
    if not ID_PATTERN.fullmatch(text):
        return "may only hold lower-case letters, digits and single hyphens"
    if len(text) > MAX_ID_LENGTH:
        return f"is {len(text)} characters long, over the limit of {MAX_ID_LENGTH}"
    if text == "index":
        return "is taken: index.html is the home page and each kind's list"
    if text in WINDOWS_DEVICES:
        return "is a name Windows keeps for a device: the edition could not be checked out on Windows"
    return ""


def transliterate(text: str) -> str:
    """The text in ASCII letters: each character by anyascii, a syllabic one set apart by spaces."""
    if text.isascii():
        return text
    return "".join(_character(c) for c in unicodedata.normalize("NFC", text))


@lru_cache(maxsize=4096)
def _character(c: str) -> str:
    if c.isascii():
        return c
    ascii_c = anyascii(c)
    return f" {ascii_c} " if unicodedata.name(c, "").startswith(_SYLLABIC) else ascii_c


def is_valid_id(text: str) -> bool:
    """Lower-case letters, digits and single hyphens: safe as a file name and a URL part (see id_problem)."""
    return not id_problem(text)


def shown_id(text: str, limit: int = 60) -> str:
    """An id as a message shows it: control characters escaped, a long one cut short."""
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= limit else text[:limit - 1] + "…"


def fold(text: str) -> str:
    """Case, accents and apostrophe style folded away: 'Öcalan’s' and "ocalan's" are equal."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()
