"""What search sees of a page: plain text folded for matching, its words, and the paragraphs of a body.

Folding is the same in Python and in search.js: NFKD, combining marks dropped, lower case, and the Latin
letters NFKD leaves alone spelt as slugs spell them (LETTERS), so "ocalan" finds Öcalan and "isik" Işık.
Words are runs of letters and digits (`[\\p{L}\\p{N}]+` in search.js)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape

# Every combining mark (general category M*), as one character class: what search.js drops with \p{M}.
# (Marks are in planes 0 and 1 and the variation selectors of plane 14.)
_MARK_PLANES = (range(0x20000), range(0xE0100, 0xE01F0))
_MARKS = re.compile("[" + "".join(
    re.escape(chr(c)) for plane in _MARK_PLANES for c in plane if unicodedata.category(chr(c))[0] == "M") + "]+")
WORD = re.compile(r"[^\W_]+")

# Inside a numbered block: the ¶ number, note references and footnote references are not the text.
_NOT_TEXT = re.compile(r'<a class="(?:pnum|note-ref)"[^>]*>.*?</a>|<sup class="footnote-ref">.*?</sup>', re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NUMBERED = re.compile(r'<(p|li)\b[^>]*?\bid="p(\d+)"[^>]*>')
_BLOCK_END = re.compile(r"</(?:p|li)>")
# Markdown of glosses, summaries and passage notes, as plain text.
_WIKI = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]*))?\]\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)[*_`]+|[*_`]+(?!\w)")


# The letters of Latin-1 and Latin Extended-A that NFKD does not take apart, as anyascii (and so slugify)
# spells them: without this, "Işık" folded to "isık" but "IŞIK" to "isik", and "Lodz" missed Łódź.
# search.js holds the same table.
LETTERS = {"æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h", "ı": "i", "ĸ": "q", "ł": "l",
           "ŋ": "ng", "œ": "oe", "ŧ": "t"}
_LETTERS = str.maketrans(LETTERS)


def fold(text: str) -> str:
    """Text as search compares it: no accents, lower case, Latin letters as slugs spell them."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower().translate(_LETTERS)


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """fold() of one word (cached: an edition has far fewer words than it has running words)."""
    return word.lower() if word.isascii() else fold(word)


def paragraphs(html: str) -> list[tuple[int, str]]:
    """(number, plain text) of each numbered block (p1, p2 …) of an article body: its text up to the first
    end of a paragraph or list item, or to the next numbered block (a list item's nested list is its own).
    Tags are stripped from the whole body at once: a regular expression per paragraph cost five times more.

    Not export/text.py's innerText walker: search wants each block's words without the ¶ numbers and note
    marks innerText keeps, and the two read raw HTML differently (here the text of hidden elements counts, and
    "a<br>b" is one word). Through that walker, with those classes hidden and numbered blocks marked, the
    1,000 bench bodies give the same paragraphs, 7 times slower (2.84 against 0.41 CPU-s)."""
    if "\x00" in html or "\x01" in html or "\x02" in html:  # (control characters no page text needs)
        html = html.replace("\x00", "").replace("\x01", "").replace("\x02", "")
    marked = _BLOCK_END.sub("\x02", _NUMBERED.sub("\x00\\2\x01", _NOT_TEXT.sub("", html)))
    text = unescape(_TAG.sub("", marked))
    result: list[tuple[int, str]] = []
    for chunk in text.split("\x00")[1:]:
        number, _, rest = chunk.partition("\x01")
        words = rest.partition("\x02")[0].split()
        if words and number.isdigit():
            result.append((int(number), " ".join(words)))
    return result


def markdown_text(markdown: str, names: dict[str, str]) -> str:
    """Plain text of a gloss, summary or passage note: [[id|text]] as its text, [[id]] as the entity's name,
    links as their text, emphasis marks dropped."""
    text = _WIKI.sub(lambda m: m.group(2) if m.group(2) is not None else names.get(m.group(1), m.group(1)), markdown)
    text = _LINK.sub(r"\1", text)
    return _SPACE.sub(" ", _EMPHASIS.sub("", text)).strip()
