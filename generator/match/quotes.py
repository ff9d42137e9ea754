"""Anchoring sidecar entries by quote (W3C TextQuoteSelector: exact, prefix, suffix).

Quotes are matched on the article's rendered text with whitespace collapsed and typographic and
straight apostrophes equal.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

from ..model import Quote
from .matcher import normalise

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    block: int  # index into the list of blocks' texts
    start: int  # offsets in that block's text
    end: int


class QuoteNotFound(Exception):
    """The quote is not in the text, or is in it more than once; the message says what to do."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


class TextIndex:
    """The article's blocks as one searchable string, with a way back to (block, offset)."""

    def __init__(self, blocks: list[str]):
        parts: list[str] = []
        self.origin: list[tuple[int, int]] = []  # for each character of self.text: (block, offset)
        for number, block in enumerate(blocks):
            if parts:
                parts.append(" ")
                self.origin.append((number, 0))
            last_space = False
            for offset, char in enumerate(normalise(block)):
                if char.isspace():
                    if last_space:
                        continue
                    char, last_space = " ", True
                else:
                    last_space = False
                parts.append(char)
                self.origin.append((number, offset))
        self.text = "".join(parts)

    def find(self, quote: Quote) -> Span:
        exact, prefix, suffix = (_SPACE.sub(" ", normalise(q)) for q in (quote.exact, quote.prefix, quote.suffix))
        hits = self._hits(exact, prefix, suffix)
        if len(hits) == 1:
            return self._span(hits[0], hits[0] + len(exact))
        if not hits:
            bare = self._hits(exact, "", "")
            if bare and (prefix or suffix):  # the words are there, but not with this prefix and suffix
                raise QuoteNotFound(f"quote {quote.exact!r} is in the article {len(bare)} time(s), but not"
                                    f"{self._looked(quote)}", self._context_fix(exact, bare))
            raise QuoteNotFound(f"quote {quote.exact!r} not found in the article{self._looked(quote)}",
                                self._nearest(exact))
        return self._ambiguous(quote, exact, hits)

    def _hits(self, exact: str, prefix: str, suffix: str) -> list[int]:
        hits = []
        start = self.text.find(exact)
        while start != -1:
            if self.text.endswith(prefix, 0, start) and self.text.startswith(suffix, start + len(exact)):
                hits.append(start)
            start = self.text.find(exact, start + 1)
        return hits

    def _looked(self, quote: Quote) -> str:
        parts = [f"{name} {value!r}" for name, value in (("prefix", quote.prefix), ("suffix", quote.suffix)) if value]
        return " with " + " and ".join(parts) if parts else ""

    def _span(self, start: int, end: int) -> Span:
        block, first = self.origin[start]
        last_block, last = self.origin[end - 1]
        if last_block != block:
            raise QuoteNotFound("the quote runs over two paragraphs", "quote words from one paragraph only")
        return Span(block, first, last + 1)

    def _nearest(self, exact: str) -> str:
        """The closest text in the article: the same words in other capitals, or the longest shared run."""
        folded = self.text.lower()
        if len(folded) == len(self.text) and (at := folded.find(exact.lower())) != -1:
            candidate = self.text[at:at + len(exact)]
        else:
            matcher = difflib.SequenceMatcher(None, self.text, exact, autojunk=False)
            best = matcher.find_longest_match(0, len(self.text), 0, len(exact))
            if best.size < 3:
                return "copy the words exactly from the article"
            start = max(0, best.a - best.b)
            candidate = self.text[start:start + len(exact)]
        return f"the closest text in the article is {candidate!r}; copy the words exactly"

    def _unique_context(self, exact: str, hits: list[int], chosen: int) -> tuple[str, str]:
        """The shortest prefix and the shortest suffix (whole words) that single out hits[chosen]."""
        start = hits[chosen]
        end = start + len(exact)
        before = self.text[max(0, start - 160):start].split(" ")
        after = self.text[end:end + 160].split(" ")
        prefix = suffix = ""
        for n in range(2, min(9, len(before) + 1)):
            candidate = " ".join(before[-n:])
            if sum(1 for h in hits if self.text.endswith(candidate, 0, h)) == 1:
                prefix = candidate
                break
        for n in range(2, min(9, len(after) + 1)):
            candidate = " ".join(after[:n])
            if sum(1 for h in hits if self.text.startswith(candidate, h + len(exact))) == 1:
                suffix = candidate
                break
        return prefix, suffix

    def _context_fix(self, exact: str, hits: list[int]) -> str:
        prefix, suffix = self._unique_context(exact, hits, 0)
        first = hits[0]
        around = f"…{self.text[max(0, first - 30):first]}[{exact}]{self.text[first + len(exact):first + len(exact) + 30]}…"
        return f"the text around it is {around!r}; " + self._suggest(prefix, suffix, len(hits) > 1)

    @staticmethod
    def _suggest(prefix: str, suffix: str, several: bool) -> str:
        which = " for the first one" if several else ""
        options = [f"prefix = {json.dumps(prefix, ensure_ascii=False)}" if prefix else "",
                   f"suffix = {json.dumps(suffix, ensure_ascii=False)}" if suffix else ""]
        options = [o for o in options if o]
        if not options:
            return "add a prefix or suffix of a few words"
        return "write " + " or ".join(options) + which

    def _ambiguous(self, quote: Quote, exact: str, hits: list[int]) -> Span:
        prefix, suffix = self._unique_context(exact, hits, 0)
        where = ", ".join(f"…{self.text[max(0, h - 25):h + len(exact) + 10]}…" for h in hits[:3])
        raise QuoteNotFound(f"quote {quote.exact!r} is found {len(hits)} times{self._looked(quote)}: {where}",
                            self._suggest(prefix, suffix, True))
