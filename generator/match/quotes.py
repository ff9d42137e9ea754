"""Anchoring sidecar entries by quote (W3C TextQuoteSelector: exact, prefix, suffix).

Quotes are matched on the article's rendered text with whitespace collapsed and typographic and
straight apostrophes equal.
"""

from __future__ import annotations

import difflib
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
        hits = []
        start = self.text.find(exact)
        while start != -1:
            end = start + len(exact)
            if self.text[:start].endswith(prefix) and self.text[end:].startswith(suffix):
                hits.append(start)
            start = self.text.find(exact, start + 1)
        if len(hits) == 1:
            return self._span(hits[0], hits[0] + len(exact))
        if not hits:
            raise QuoteNotFound(f"quote {quote.exact!r} not found in the article{self._looked(quote)}",
                                self._nearest(exact))
        return self._ambiguous(quote, exact, hits)

    def _looked(self, quote: Quote) -> str:
        if quote.prefix or quote.suffix:
            return f" with prefix {quote.prefix!r} and suffix {quote.suffix!r}"
        return ""

    def _span(self, start: int, end: int) -> Span:
        block, first = self.origin[start]
        last_block, last = self.origin[end - 1]
        if last_block != block:
            raise QuoteNotFound("the quote runs over two paragraphs", "quote words from one paragraph only")
        return Span(block, first, last + 1)

    def _nearest(self, exact: str) -> str:
        matcher = difflib.SequenceMatcher(None, self.text, exact, autojunk=False)
        best = matcher.find_longest_match(0, len(self.text), 0, len(exact))
        if best.size < 3:
            return "copy the words exactly from the article"
        start = max(0, best.a - best.b)
        candidate = self.text[start:start + len(exact)]
        return f"the closest text in the article is {candidate!r}; copy the words exactly"

    def _ambiguous(self, quote: Quote, exact: str, hits: list[int]) -> Span:
        first = hits[0]
        words = self.text[max(0, first - 120):first].split(" ")
        suggestion = ""
        for n in range(2, 9):
            prefix = " ".join(words[-n:])
            if sum(1 for h in hits if self.text[:h].endswith(prefix)) == 1:
                suggestion = prefix
                break
        where = ", ".join(f"…{self.text[max(0, h - 25):h + len(exact) + 10]}…" for h in hits[:3])
        fix = (f'add prefix = "{suggestion}" to pick the first one' if suggestion
               else "add a prefix or suffix of a few words")
        raise QuoteNotFound(f"quote {quote.exact!r} is found {len(hits)} times{self._looked(quote)}: {where}", fix)
