"""The alias matcher: every alias of every entity, found in one left-to-right pass over a text.

Matching is case-sensitive on NFC text, whole words only, with typographic and straight apostrophes equal; the
longest alias at a position wins, and the scan goes on after it (leftmost-longest).

The aliases make one regular expression shaped like a trie (a prefix tree: "Bank of (?:Gísél|Mokzhe)"), so the
regex engine, in C, does the scanning, and each visited word costs a few character comparisons however many
aliases there are. The words it visits do not depend on the aliases either, only on the classes of their first
characters (see `_classes`): with aliases that all start with a capital A-Z, every word starting with one,
whether for 10 entities or 5,000. Each visited word comes out of `re.split` as the longest alias starting
there, or else as the whole word; a dictionary lookup of every visited word (in C, through map) tells the two
apart. No Python code runs per word, so 10 and 5,000 entities cost about the same on the same text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from typing import NamedTuple

WORD = re.compile(r"\w+")
# A URL, or a whitespace-delimited word with an @ and then a dot (an e-mail address). Linear time: the
# e-mail branch starts only at the start of a word and its lookahead cannot backtrack.
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|(?<!\S)(?=[^\s@]++@\S*?\.\w)\S+")
# URL without its e-mail branch, which cannot match a text without an @: the same spans, and a search the
# engine starts only at an h, f or w (several times faster: the e-mail branch is tried at every position).
WEB = re.compile(r"https?://\S+|ftp://\S+|www\.\S+")


def normalise(text: str) -> str:
    """Apostrophes made equal, length unchanged (so offsets still point into the original text)."""
    return text.replace("’", "'").replace("ʼ", "'")  # (two str.replace: many times faster than str.translate)


class Match(NamedTuple):
    """One occurrence of an alias (a tuple: made for every mention of every article, it must be cheap)."""

    start: int
    end: int
    entities: tuple[str, ...]  # more than one when the alias is claimed twice


_new = tuple.__new__  # Match from a (start, end, entities) tuple, without the Python-level Match.__new__


# Letters that may carry accents: Latin-1's and Latin Extended's, Greek, Cyrillic, Latin Extended Additional.
_ACCENTABLE = re.compile("[À-ÖØ-öø-ɏͰ-ϿЀ-ӿḀ-ỿ]")
_FOLDED: dict[str, str] = {}


def _fold_letter(found: re.Match[str]) -> str:
    letter = found.group()
    folded = _FOLDED.get(letter)
    if folded is None:
        decomposed = unicodedata.normalize("NFD", letter)
        folded = _FOLDED[letter] = decomposed[0] if len(decomposed) > 1 and decomposed[0].isalpha() else letter
    return folded


def fold_accents(text: str) -> str:
    """The text without accents, one character for one (Öcalan → Ocalan, so offsets still hold): what
    `Matcher.fold` matches on. Only the letters that may carry accents are looked at."""
    return text if text.isascii() else _ACCENTABLE.sub(_fold_letter, text)


_OPENERS = " \t\"“”‘'«»([*_"
# A capital letter opening a sentence: at the start, or after . ! ? : … and quotes or brackets.
_SENTENCE_CAPITAL = re.compile(r"(?:^|[.!?:…])[ \t\"“”‘'«»(\[*_]*([^\W\d_])")


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence: nothing before it but quotes and brackets, or a full stop,
    question or exclamation mark, colon or ellipsis."""
    at = start - 1
    while at >= 0 and text[at] in _OPENERS:
        at -= 1
    return at < 0 or text[at] in ".!?:…"


@dataclass
class Matcher:
    """Built once per build from (entity id, aliases) pairs."""

    owners: dict[str, tuple[str, ...]]  # alias -> entity ids
    pattern: re.Pattern[str] | None  # None: no aliases
    visits: str  # the first characters of the words a scan visits
    fold: bool = False  # site.toml's fold_accents: aliases and texts matched without their accents
    lower_initials: str = ""  # the initials of aliases that start with a lower-case letter ("the Society")
    longest: int = 0  # the longest alias's length

    @classmethod
    def build(cls, aliases: Iterable[tuple[str, Iterable[str]]], fold: bool = False) -> Matcher:
        owners: dict[str, list[str]] = {}
        for entity_id, names in aliases:
            for alias in names:
                alias = normalise(" ".join(alias.split()))
                if fold:
                    alias = fold_accents(alias)
                if not alias or not WORD.match(alias):
                    continue
                ids = owners.setdefault(alias, [])
                if entity_id not in ids:
                    ids.append(entity_id)
        if not owners:
            return cls({}, None, "", fold)
        lower = "".join(sorted({a[0] for a in owners if a[0].islower() and len(a[0].upper()) == 1
                                and a[0].upper() != a[0]}))
        visits = _classes({alias[0] for alias in owners} | {c.upper() for c in lower})  # "The" for "the …"
        return cls({alias: tuple(ids) for alias, ids in owners.items()}, _pattern(owners, visits), visits, fold,
                   lower, max(map(len, owners)))

    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        return {alias: ids for alias, ids in self.owners.items() if len(ids) > 1}

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest whole-word matches in text (normalise() it first), never inside a URL."""
        if self.pattern is None:
            return []
        if self.fold:
            text = fold_accents(text)
        if self.lower_initials:
            starts = [m.start(1) for m in _SENTENCE_CAPITAL.finditer(text)
                      if m.group(1).isupper() and m.group(1).lower() in self.lower_initials]
            if starts:
                starts = [start for start in starts if self._lowered_alias_at(text, start)]
                if starts:
                    return self._scan(text, starts)
        parts = self.pattern.split(text)  # [text before, visited word or alias, text between, …, text after]
        if len(parts) == 1:
            return []
        # None for a visited word that is no alias (a whole word that is an alias would have matched as one)
        ids = list(map(self.owners.get, parts[1::2]))
        ends = accumulate(map(len, parts))  # read in pairs: where a visited word starts, where it ends
        # (zip stops at the text's end, the one `ends` left over)
        found = list(map(_new, repeat(Match), compress(zip(ends, ends, ids, strict=False), ids)))
        if found and ("/" in text or "@" in text or "www." in text):
            urls = [url.span() for url in (URL if "@" in text else WEB).finditer(text)]
            if urls:
                return self._outside(text, found, urls)
        return found

    def _outside(self, text: str, found: list[Match], urls: list[tuple[int, int]]) -> list[Match]:
        """found less the matches that overlap a URL. Where the longest alias at a word runs into a URL nothing
        is matched at that word, and the scan goes on at the next word (which may start an alias that the
        rejected match covered)."""
        url_starts = [start for start, _ in urls]
        kept: list[Match] = []
        matches: Iterable[Match] = found
        while True:
            for match in matches:
                last = bisect_left(url_starts, match.end) - 1  # spans are sorted and disjoint: only this one can
                if last >= 0 and urls[last][1] > match.start:  # overlap the match
                    matches = self._matches_from(text, match.start + 1)
                    break
                kept.append(match)
            else:
                return kept

    def _lowered_alias_at(self, text: str, start: int) -> bool:
        """Whether a lower-case alias matches at `start` with the capital there lowered ("The Society" for "the
        Society"): only then does the text need _scan. (The alias and the character after it are enough.)"""
        assert self.pattern is not None
        snippet = text[start].lower() + text[start + 1:start + self.longest + 1]
        found = self.pattern.match(snippet)
        return found is not None and found.group() in self.owners

    def _scan(self, text: str, starts: list[int]) -> list[Match]:
        """find() for a text where a sentence opens with the capital of a lower-case alias's initial: word by
        word, and where nothing matches as written at such a start, the alias that matches with the letter
        lowered ("The Society’s" for "the Society"). Where the match runs into a URL nothing is matched at that
        word, as in find()."""
        assert self.pattern is not None
        lowered = list(text)
        for start in starts:
            lowered[start] = text[start].lower()
        lowered_text = "".join(lowered)
        at_start = set(starts)
        urls = [url.span() for url in (URL if "@" in text else WEB).finditer(text)] \
            if ("/" in text or "@" in text or "www." in text) else []
        found: list[Match] = []
        pos = 0
        while True:
            word = self.pattern.search(text, pos)
            if word is None:
                return found
            start, end = word.span()
            ids = self.owners.get(word.group())
            if ids is None and start in at_start:
                other = self.pattern.match(lowered_text, start)
                if other is not None:
                    ids = self.owners.get(other.group())
                    end = other.end()
            if ids is None:
                pos = word.end()
                continue
            if any(s < end and start < e for s, e in urls):
                pos = start + 1
                continue
            found.append(Match(start, end, ids))
            pos = end

    def _matches_from(self, text: str, pos: int) -> Iterator[Match]:
        """The matches of a scan that starts at pos (the lookbehind still sees the text before it)."""
        assert self.pattern is not None
        for word in self.pattern.finditer(text, pos):
            ids = self.owners.get(word.group())
            if ids is not None:
                yield Match(word.start(), word.end(), ids)


def _classes(initials: set[str]) -> str:
    """The first characters of the words a scan visits: each alias initial widened to the characters of its
    Unicode category in its block of 64 code points — "L" gives A-Z, "d" a-z, "9" 0-9, "П" the Cyrillic capitals
    Ѐ-Я. So the visited words depend on the kinds of initials, not on how many aliases there are (which would
    make a scan with few aliases cheaper than one with many), and the lowercase words of a text are skipped when
    the aliases are names."""
    visits: set[str] = set()
    for block, category in {(ord(c) >> 6, unicodedata.category(c)) for c in initials}:
        chars = map(chr, range(block << 6, (block + 1) << 6))
        visits.update(c for c in chars if unicodedata.category(c) == category)
    return "".join(sorted(visits))


def _pattern(aliases: Iterable[str], visits: str) -> re.Pattern[str]:
    """One group: at a word starting with a character of `visits`, the longest alias that ends at a word end
    (or in a non-word character), else the whole word.

    Every alternative starts with a literal character, so the engine looks for those characters with a fast
    search and tries the pattern only there; "(?<!\\w\\w)" after the first character: it starts a word.
    """
    trie: dict[str, dict] = {}
    for alias in aliases:
        node = trie
        for char in alias:
            node = node.setdefault(char, {})
        node[""] = {}  # an alias ends here
    branches = []
    for char in visits:
        rest = rf"(?:{_trie_pattern(trie[char], char)}|\w*)" if char in trie else r"\w*"
        branches.append(rf"{re.escape(char)}(?<!\w\w){rest}")
    return re.compile("(" + "|".join(branches) + ")")


def _trie_pattern(node: dict[str, dict], last: str) -> str:
    """The rest of the aliases below a trie node (reached through the character `last`), longest first: the
    node's own alias, if any, is the last alternative. A run of characters without a branch is one literal."""
    branches = []
    for char in sorted(c for c in node if c):
        run, child = char, node[char]
        while len(child) == 1 and "" not in child:
            ((char, child),) = child.items()
            run += char
        branches.append(re.escape(run) + _trie_pattern(child, run[-1]))
    if "" in node:  # an alias ending in a word character must end at a word end
        branches.append(r"(?!\w)" if last.isalnum() or last == "_" else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
