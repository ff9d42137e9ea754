"""An article body's text as a browser shows it (the `innerText` of the element that holds it), with where
each mention and passage sits in it: what the W3C Web Annotations' TextQuoteSelector and
TextPositionSelector are counted on.

It reads the HTML Gloss's own renderer writes (and what the sanitiser lets through when raw HTML is on) the
way HTML's innerText algorithm does: whitespace collapsed outside <pre>, a line break around block elements
and two around <p>, a tab between table cells, nothing from hidden elements, images or comments. Positions
are in Unicode code points, as the Web Annotation model counts them. Tested against Chromium's innerText.

The renderer feeds a TextWalker the HTML of each token as it writes it (render/shown_text.py), so a build
reads no body twice; `shown_text` reads a whole body's HTML (what the annotations fall back on, and the
test oracle of the recording).
"""

from __future__ import annotations

import marshal
import re
import zlib
from html import unescape
from operator import itemgetter

# One pass of the regular expression splits the HTML into tags, comments and text.
_PIECES = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)|<", re.S)
_CLASS = re.compile(r'\bclass="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')
SPACE_RUN = re.compile(r"[ \t\n\r\f]+")  # what collapses to one space outside <pre>

# Elements a browser lays out as blocks (one required line break either side) by default, and those that
# take two (<p>); table cells and rows are told apart below.
BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table", "ul", "caption", "tbody", "thead", "tfoot", "center"])
NOT_SHOWN = frozenset(["head", "script", "style", "template", "noscript", "img", "svg", "math", "video", "audio", "iframe", "object", "input", "select", "textarea", "button", "canvas"])
THEME_BLOCKS = frozenset({"pnum"})
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])

# A mention or a passage as it lies in the text: (kind, value, start, end). Kind "mention" (value: the href
# of its entity's page) or "passage" (value: its note's number); start and end in code points. A tuple: the
# cache keeps them, a quarter of a million at 1,000 articles.
Marked = tuple[str, str, int, int]


class ShownText:
    """innerText written piece by piece: collapsible spaces dropped at line starts and ends as layout drops
    them, required line breaks written only between visible characters, and each mark's start and end."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.pending = 0  # required line breaks waiting for the next visible character
        self.line_start = True  # no visible character on this line yet: a collapsible space is dropped
        self.space = False  # a collapsible space waits to be written before the next visible character
        self.waiting: list[list] = []  # marks whose start is the next visible character: [kind, value, start, end]
        self.opened: list[list] = []
        self.marks: list = []  # closed, in the order they closed: [kind, value, start, end] (or a tuple)

    def block(self, breaks: int) -> None:
        """A block's edge: `breaks` line breaks (1, or 2 for <p>) if visible text comes before and after."""
        if breaks > self.pending:
            self.pending = breaks
        self.space = False

    def _separate(self) -> None:
        """Before visible text: the line breaks or the space waiting; the marks waiting start after them."""
        if self.pending:
            if self.length:
                self.parts.append("\n" * self.pending)
                self.length += self.pending
            self.pending = 0
        elif self.space:
            self.parts.append(" ")
            self.length += 1
        self.space = False
        if self.waiting:
            for mark in self.waiting:
                mark[2] = self.length
            self.waiting.clear()

    def text(self, piece: str) -> None:
        """Text outside <pre>, its runs of whitespace collapsed to one space already."""
        core = piece.strip(" ")
        if not core:
            if piece and not self.line_start:
                self.space = True
            return
        if piece[0] == " " and not self.line_start:
            self.space = True
        self._separate()
        self.parts.append(core)
        self.length += len(core)
        self.line_start = False
        if piece[-1] == " ":
            self.space = True

    def placed_text(self, piece: str) -> int:
        """text(piece) for a piece with no whitespace to collapse: returns the offset its first character stands
        for, so that marks of words in it (none starting or ending with a space) can be added to `marks` as
        (kind, value, start, end) without writing it word by word."""
        self.text(piece)
        return self.length - len(piece.strip(" ")) - (piece[:1] == " ")

    def line(self, character: str) -> None:
        """<br> ("\\n") or the tab between table cells: a character of its own, no spaces around it."""
        if self.pending and self.length:
            self.parts.append("\n" * self.pending)
            self.length += self.pending
        self.pending, self.space, self.line_start = 0, False, True
        if self.waiting:
            for mark in self.waiting:
                mark[2] = self.length
            self.waiting.clear()
        self.parts.append(character)
        self.length += 1

    def pre(self, piece: str) -> None:
        """Text in <pre>: every character as it is."""
        if not piece:
            return
        self._separate()
        self.parts.append(piece)
        self.length += len(piece)
        self.line_start = piece.endswith("\n")

    def open(self, kind: str, value: str) -> None:
        mark = [kind, value, -1, 0]
        self.opened.append(mark)
        self.waiting.append(mark)

    def close(self) -> None:
        mark = self.opened.pop()
        mark[3] = self.length
        self.marks.append(mark)

    def result(self) -> tuple[str, list[Marked]]:
        """The text, and the marks in order of where they start (the longer first)."""
        for mark in self.waiting:
            mark[2] = self.length
        found = sorted(self.marks, key=itemgetter(3), reverse=True)  # (stable, as the sort by start after it)
        found.sort(key=itemgetter(2))
        return "".join(self.parts), [(kind, value, start, end if end > start else start)
                                     for kind, value, start, end in found]


class TextWalker:
    """Reads HTML into a ShownText, tag by tag; the HTML may come in pieces (the renderer's, token by token).
    `hidden_classes`: classes the theme's stylesheet sets display: none; `block_classes`: classes it lays out as
    blocks (the default theme's ¶ numbers are absolutely positioned, which makes them blocks)."""

    def __init__(self, shown: ShownText | None = None, hidden_classes: frozenset[str] = frozenset(),
                 block_classes: frozenset[str] = THEME_BLOCKS) -> None:
        self.shown = shown if shown is not None else ShownText()
        self.hidden_classes, self.block_classes = hidden_classes, block_classes
        self.stack: list[tuple[str, int]] = []  # (tag, what it opened: 0 nothing, 1 hidden, 2 pre, 3 mention, 4 passage, 5 block)
        self.hidden = self.pre = 0
        self.marks = 0  # marks this walker opened and has not closed
        self.cells: list[int] = []  # per open table row: cells so far

    def feed(self, html: str) -> None:
        shown = self.shown
        for found in _PIECES.finditer(html):
            text = found.group(4)
            if text is not None:
                if self.hidden:
                    continue
                if "&" in text:
                    text = unescape(text)
                if self.pre:
                    shown.pre(text)
                else:
                    shown.text(SPACE_RUN.sub(" ", text))
                continue
            tag = found.group(2)
            if tag is None:
                continue  # a comment, or a stray "<" (escaped in what Gloss writes)
            if found.group(1) == "/":
                self._close(tag.lower())
            else:
                self._open(tag.lower(), found.group(3))

    def _open(self, tag: str, attrs: str) -> None:
        shown = self.shown
        if tag in VOID or attrs.endswith("/"):
            if not self.hidden and tag == "br":
                shown.line("\n")
            elif not self.hidden and tag == "hr":
                shown.block(1)
            return
        what = 0
        classes = _CLASS.search(attrs)
        names = classes.group(1).split() if classes else ()
        if self.hidden or tag in NOT_SHOWN or " hidden" in f" {attrs}" and _is_hidden(attrs) \
                or (self.hidden_classes and any(n in self.hidden_classes for n in names)):
            self.hidden += 1
            what = 1
        elif tag == "pre":
            self.pre += 1
            what = 2
        elif tag == "a" and "mention" in names:
            href = _HREF.search(attrs)
            shown.open("mention", unescape(href.group(1)) if href else "")
            self.marks += 1
            what = 3
        elif tag == "span" and "passage" in names:
            ident = _ID.search(attrs)
            shown.open("passage", ident.group(1)[4:] if ident else "")
            self.marks += 1
            what = 4
        if what != 1 and self.block_classes and any(n in self.block_classes for n in names):
            what = 5
        self.stack.append((tag, what))
        if what != 1:
            self._edge(tag, what, True)

    def _close(self, tag: str) -> None:
        """Close up to the matching open element (what the parser would do for the HTML Gloss writes)."""
        shown, stack = self.shown, self.stack
        while stack:
            name, what = stack.pop()
            if what == 1:
                self.hidden -= 1
            elif what == 2:
                self.pre -= 1
            elif what in (3, 4) and self.marks:
                self.marks -= 1
                shown.close()
            if not self.hidden and what != 1:
                self._edge(name, what, False)
            if name == tag:
                break

    def _edge(self, tag: str, what: int, opening: bool) -> None:
        """A shown element's start or end as innerText has it: a paragraph's blank line, a block's or a table
        row's line break, a tab between a row's cells."""
        shown = self.shown
        if tag == "p":
            shown.block(2)
        elif tag in BLOCKS or what == 5:
            shown.block(1)
        elif tag == "tr":
            shown.block(1)
            if opening:
                self.cells.append(0)
            elif self.cells:
                self.cells.pop()
        elif opening and tag in ("td", "th") and self.cells:
            if self.cells[-1]:
                shown.line("\t")
            self.cells[-1] += 1


def _is_hidden(attrs: str) -> bool:
    return re.search(r'(?:^|\s)hidden(?:\s|=|$)', attrs) is not None


def packed(shown: tuple[str, list[Marked]]) -> bytes:
    """A shown text and its marks as a body keeps them: marshalled (each repeated href written once) and
    compressed (to a quarter: a bench article's 17 KiB to 4.4, for 0.2 ms)."""
    return zlib.compress(marshal.dumps(shown, 4), 1)


def unpacked(data: bytes) -> tuple[str, list[Marked]]:
    return marshal.loads(zlib.decompress(data))


def shown_text(html: str, hidden_classes: frozenset[str] = frozenset(),
               block_classes: frozenset[str] = THEME_BLOCKS) -> tuple[str, list[Marked]]:
    """The text of `html` as innerText gives it, and each mention (<a class="mention">) and passage
    (<span class="passage">) in it."""
    walker = TextWalker(None, hidden_classes, block_classes)
    walker.feed(html)
    return walker.shown.result()
