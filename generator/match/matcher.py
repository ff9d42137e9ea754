"""The alias automaton: every alias of every entity, matched in one left-to-right pass over the words.

It is a word-level automaton: a dictionary from an alias's first word to the aliases starting with it,
longest first. A scan looks up each word of the text once, so its cost grows with the text, not with the
number of entities. Matching is case-sensitive on NFC text, whole words only, with typographic and
straight apostrophes equal; the longest alias at a position wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

WORD = re.compile(r"\w+")
# A URL, or a whitespace-delimited word with an @ and then a dot (an e-mail address). Linear time: the
# e-mail branch starts only at the start of a word and its lookahead cannot backtrack.
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|(?<!\S)(?=[^\s@]++@\S*?\.\w)\S+")


def normalise(text: str) -> str:
    """Apostrophes made equal, length unchanged (so offsets still point into the original text)."""
    return text.replace("’", "'").replace("ʼ", "'")  # (two str.replace: many times faster than str.translate)


class Match(NamedTuple):
    """One occurrence of an alias (a tuple: made for every mention of every article, it must be cheap)."""

    start: int
    end: int
    entities: tuple[str, ...]  # more than one when the alias is claimed twice


@dataclass
class Matcher:
    """Built once per build from (entity id, aliases) pairs."""

    index: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # alias -> entity ids
    # first word -> the distinct lengths of its aliases, longest first: a scan tries each length once (a slice
    # and a dictionary lookup) instead of every alias, so "Bank" costs the same with 5 or 500 "Bank of …"
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, aliases: Iterable[tuple[str, Iterable[str]]]) -> Matcher:
        owners: dict[str, list[str]] = {}
        for entity_id, names in aliases:
            for alias in names:
                alias = normalise(" ".join(alias.split()))
                if not alias or not WORD.match(alias):
                    continue
                ids = owners.setdefault(alias, [])
                if entity_id not in ids:
                    ids.append(entity_id)
        matcher = cls(owners={alias: tuple(ids) for alias, ids in owners.items()})
        for alias, ids in matcher.owners.items():
            matcher.index.setdefault(WORD.match(alias).group(), []).append((alias, ids))
        for word, candidates in matcher.index.items():
            candidates.sort(key=lambda c: (-len(c[0]), c[0]))
            matcher.lengths[word] = tuple(sorted({len(alias) for alias, _ in candidates}, reverse=True))
        return matcher

    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        return {alias: ids for alias, ids in self.owners.items() if len(ids) > 1}

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest whole-word matches in text (normalise() it first), never inside a URL."""
        lengths, owners = self.lengths, self.owners
        if not lengths:
            return []
        found: list[Match] = []
        taken_until = 0
        urls = [m.span() for m in URL.finditer(text)] if ("/" in text or "@" in text or "www." in text) else []
        url_starts = [s for s, _ in urls]
        size = len(text)
        for word in WORD.finditer(text):
            start = word.start()
            if start < taken_until:
                continue
            sizes = lengths.get(word.group())
            if sizes is None:
                continue
            for length in sizes:  # longest first; at most one alias of each length can start here
                end = start + length
                if end > size:
                    continue
                alias = text[start:end]
                ids = owners.get(alias)
                if ids is None:
                    continue
                if end < size and (text[end].isalnum() or text[end] == "_") and (alias[-1].isalnum() or alias[-1] == "_"):
                    continue
                if urls:  # spans are sorted and disjoint: only the last one starting before `end` can overlap
                    last = bisect_left(url_starts, end) - 1
                    if last >= 0 and urls[last][1] > start:
                        break
                found.append(Match(start, end, ids))
                taken_until = end
                break
        return found
