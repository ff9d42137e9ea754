"""An article body's text as a browser shows it (the `innerText` of the element that holds it), with where
each mention and passage sits in it: what the W3C Web Annotations' TextQuoteSelector and
TextPositionSelector are counted on.

It reads the HTML Gloss's own renderer writes (and what the sanitiser lets through when raw HTML is on) the
way HTML's innerText algorithm does: whitespace collapsed outside <pre>, a line break around block elements
and two around <p>, a tab between table cells, nothing from hidden elements, images or comments. Positions
are in Unicode code points, as the Web Annotation model counts them. Tested against Chromium's innerText.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

# One pass of the regular expression splits the HTML into tags, comments and text.
_PIECES = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)|<", re.S)
_CLASS = re.compile(r'\bclass="([^"]*)"')
_HREF = re.compile(r'\bhref="([^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")

# Elements a browser lays out as blocks (one required line break either side) by default, and those that
# take two (<p>); table cells and rows are told apart below.
BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table", "ul", "caption", "tbody", "thead", "tfoot", "center"])
NOT_SHOWN = frozenset(["head", "script", "style", "template", "noscript", "img", "svg", "math", "video", "audio", "iframe", "object", "input", "select", "textarea", "button", "canvas"])
THEME_BLOCKS = frozenset({"pnum"})
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])


@dataclass(frozen=True)
class Marked:
    """A mention or a passage as it lies in the text: `kind` "mention" (with the href of its entity's page)
    or "passage" (with its note's number); start and end in code points."""

    kind: str
    value: str
    start: int
    end: int


def shown_text(html: str) -> tuple[str, list[Marked]]:
    """The text of `html` as innerText gives it, and each mention (<a class="mention">) and passage
    (<span class="passage">) in it: by a few regular expressions over the whole body where it is made of the
    paragraphs, lists, headings, quotes and figures most articles are (~20 times quicker), otherwise by
    walking it (`walked_text`, which is also the test oracle of the quick way)."""
    return quick_text(html) or walked_text(html)


_QUICK_TAGS = frozenset(["p", "a", "span", "sup", "sub", "em", "strong", "i", "b", "code", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "figcaption", "br", "del", "s", "mark", "q", "u", "small"])
_TAG_NAMES = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_MENTION_OPEN = re.compile(r'<a class="mention"[^>]*>')
_MENTION_HREF = re.compile(r'<a class="mention" data-kind="[^"]*" href="([^"]*)"')
_MENTION_WORDS = re.compile("\ue000([^<\ue000]*)</a>")
_PASSAGE_OPEN = re.compile(r'<span class="passage" id="pass(\d+)">')
_PASSAGE_CLOSE = re.compile(r'</span><a class="note-ref"[^>]*><sup>(\d+)</sup></a>')
_PNUM = re.compile(r'<a class="pnum"[^>]*>([^<]*)</a>')
_PARAGRAPH = re.compile(r"</?p\b[^>]*>")
_BLOCK = re.compile(r"</?(?:h[1-6]|ul|ol|li|blockquote|figure|figcaption)\b[^>]*>")
_BR = re.compile(r"<br\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_BREAK_RUNS = re.compile("[\x02\x03]{2,}")
_COLLAPSE = re.compile("[\t\n\r\f ]{2,}|[\t\n\r\f]")
_AROUND_BR = re.compile(" ?\x04 ?")
_SENTINEL = re.compile("[\ue000-\ue005]")
_RESERVED = re.compile("[\ue000-\ue005\x00-\x04]")
_OTHER_LINK = re.compile(r"<a\b[^>]*>")


def quick_text(html: str) -> tuple[str, list[Marked]] | None:
    """shown_text for bodies of the usual blocks only (no table, code block, hidden or raw HTML block); None
    for any other. (Substitutions with group references cost a Python call a match: only the few ¶ numbers and
    passages use them, never the hundreds of mentions.)"""
    if not set(_TAG_NAMES.findall(html)) <= _QUICK_TAGS or " hidden" in html or _RESERVED.search(html):
        return None
    hrefs = _MENTION_HREF.findall(html)
    passages = _PASSAGE_OPEN.findall(html)
    text = _PASSAGE_CLOSE.sub("\ue003\\1", html)
    if text.count("\ue003") != len(passages):
        return None
    text = _PNUM.sub("\x02\\1\x02", text)  # the ¶ number: a block (absolutely positioned)
    text = _MENTION_OPEN.sub("\ue000", text)
    text = _PASSAGE_OPEN.sub("\ue002", text)
    text = _OTHER_LINK.sub("\ue005", text)
    text = text.replace("</a>", "\ue001")
    text = _PARAGRAPH.sub("\x03", text)
    text = _BLOCK.sub("\x02", text)
    text = _BR.sub("\x04", text)
    text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = unescape(text)
    text = text.replace("\n", " ")  # (what there is to collapse is nearly always line breaks and single spaces)
    if "\t" in text or "\r" in text or "\f" in text:
        text = _COLLAPSE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    for marker in "\x02\x03":  # spaces next to a line break are not rendered
        text = text.replace(" " + marker, marker).replace(marker + " ", marker)
    text = _BREAK_RUNS.sub(_break, text)  # a run of breaks: as many as the most any of them asks
    text = text.replace("\x02", "\n").replace("\x03", "\n\n")
    if "\x04" in text:
        text = _AROUND_BR.sub("\n", text)
    text = text.strip(" \n")
    # Each sentinel is one character the text loses: a sentinel's place in the text is its index less the
    # number of sentinels before it. Only the sentinels are visited, never the words between them.
    marks: list[Marked] = []
    mentions = iter(hrefs)
    numbers = iter(passages)
    links: list[tuple[str, int]] = []  # open <a>: its href ("" for a link that is not a mention) and start
    open_passages: list[tuple[str, int]] = []
    for removed, found in enumerate(_SENTINEL.finditer(text)):
        sentinel, at = found.group(), found.start() - removed
        if sentinel == "\ue000":
            links.append((next(mentions), at))
        elif sentinel == "\ue001":
            if not links:
                return None
            href, start = links.pop()
            if href:
                marks.append(Marked("mention", unescape(href) if "&" in href else href, start, at))
        elif sentinel == "\ue005":
            links.append(("", at))
        elif sentinel == "\ue002":
            open_passages.append((next(numbers), at))
        else:
            number, start = open_passages.pop()
            marks.append(Marked("passage", number, start, at))
    if links or open_passages:
        return None
    marks.sort(key=lambda m: (m.start, -m.end))
    return _SENTINEL.sub("", text), marks


def _break(found: re.Match) -> str:
    return "\n\n" if "\x03" in found.group() else "\n"


def walked_text(html: str, hidden_classes: frozenset[str] = frozenset(),
                block_classes: frozenset[str] = THEME_BLOCKS) -> tuple[str, list[Marked]]:
    """shown_text by walking every tag. `hidden_classes`: classes the theme's stylesheet sets display: none;
    `block_classes`: classes it lays out as blocks (the default theme's ¶ numbers are absolutely positioned,
    which makes them blocks)."""
    # Output: text pieces and required line breaks ("\x00" + count) between them; marks by piece index.
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # (tag, what it opened: 0 nothing, 1 hidden, 2 pre, 3 mention, 4 passage)
    hidden = pre = 0
    opened: list[tuple[str, str, int]] = []  # marks whose end is pending: (kind, value, piece index)
    marks: list[tuple[str, str, int, int]] = []  # (kind, value, start piece index, end piece index)
    cells: list[int] = []  # per open table row: cells so far
    for found in _PIECES.finditer(html):
        text = found.group(4)
        if text is not None:
            if hidden:
                continue
            if "&" in text:
                text = unescape(text)
            if pre:
                out.append("\x01" + text)
            else:
                out.append(_SPACE_RUN.sub(" ", text))
            continue
        tag = found.group(2)
        if tag is None:
            continue  # a comment, or a stray "<" (escaped in what Gloss writes)
        tag = tag.lower()
        closing = found.group(1) == "/"
        if not closing:
            attrs = found.group(3)
            if tag in VOID or attrs.endswith("/"):
                if not hidden and tag == "br":
                    out.append("\n")
                elif not hidden and tag == "hr":
                    out.append("\x00\x01")
                continue
            what = 0
            classes = _CLASS.search(attrs)
            names = classes.group(1).split() if classes else ()
            if hidden or tag in NOT_SHOWN or " hidden" in f" {attrs}" and _is_hidden(attrs) \
                    or (hidden_classes and any(n in hidden_classes for n in names)):
                hidden += 1
                what = 1
            elif tag == "pre":
                pre += 1
                what = 2
            elif tag == "a" and "mention" in names:
                href = _HREF.search(attrs)
                opened.append(("mention", unescape(href.group(1)) if href else "", len(out)))
                what = 3
            elif tag == "span" and "passage" in names:
                ident = _ID.search(attrs)
                opened.append(("passage", ident.group(1)[4:] if ident else "", len(out)))
                what = 4
            if what != 1 and block_classes and any(n in block_classes for n in names):
                what = 5
            stack.append((tag, what))
            if what != 1:
                if tag == "p":
                    out.append("\x00\x02")
                elif tag in BLOCKS or what == 5:
                    out.append("\x00\x01")
                elif tag == "tr":
                    out.append("\x00\x01")
                    cells.append(0)
                elif tag in ("td", "th") and cells:
                    if cells[-1]:
                        out.append("\t")
                    cells[-1] += 1
            continue
        # a closing tag: close up to the matching open element (what the parser would do for ours)
        while stack:
            name, what = stack.pop()
            if what == 1:
                hidden -= 1
            elif what == 2:
                pre -= 1
            elif what in (3, 4) and opened:
                kind, value, begin = opened.pop()
                marks.append((kind, value, begin, len(out)))
            if not hidden or what == 1:
                if name == "p" and what != 1:
                    out.append("\x00\x02")
                elif (name in BLOCKS or what == 5) and what != 1:
                    out.append("\x00\x01")
                elif name == "tr" and what != 1:
                    out.append("\x00\x01")
                    if cells:
                        cells.pop()
            if name == tag:
                break
    return _join(out, marks)


def _is_hidden(attrs: str) -> bool:
    return re.search(r'(?:^|\s)hidden(?:\s|=|$)', attrs) is not None


def _join(out: list[str], marks: list[tuple[str, str, int, int]]) -> tuple[str, list[Marked]]:
    """Turn pieces and required line breaks into the text, dropping collapsible spaces at line starts and
    ends as layout does, and map each mark's piece indices to code point offsets."""
    text: list[str] = []
    length = 0
    pending = 0  # required line breaks waiting for the next visible character
    line_start = True  # no visible character on this line yet: a collapsible space is dropped
    space = False  # a collapsible space waits to be written before the next visible character
    first = [-1] * (len(out) + 1)  # where each piece's first visible character landed (-1: it has none)
    ends = [0] * (len(out) + 1)  # where the visible text stood when each piece began
    for index, piece in enumerate(out):
        ends[index] = length
        if piece.startswith("\x00"):
            pending = max(pending, ord(piece[1]))
            space = False
            continue
        if piece in ("\n", "\t"):  # <br>: a line break of its own; a tab between table cells (no spaces around)
            if pending and length:
                text.append("\n" * pending)
                length += pending
            pending, space, line_start = 0, False, True
            first[index] = length
            text.append(piece)
            length += 1
            continue
        if piece.startswith("\x01"):  # text in <pre>: every character as it is
            piece = piece[1:]
            if not piece:
                continue
            if pending:
                if length:
                    text.append("\n" * pending)
                    length += pending
                pending = 0
            elif space:
                text.append(" ")
                length += 1
            space = False
            if first[index] < 0:
                first[index] = length
            text.append(piece)
            length += len(piece)
            line_start = piece.endswith("\n")
            continue
        core = piece.strip(" ")  # (spaces are collapsed already: at most one either side counts)
        if not core:
            if not line_start:
                space = True
            continue
        if piece[0] == " " and not line_start:
            space = True
        if pending:
            if length:
                text.append("\n" * pending)
                length += pending
            pending, space = 0, False
        elif space:
            text.append(" ")
            length += 1
            space = False
        if first[index] < 0:
            first[index] = length
        text.append(core)
        length += len(core)
        line_start = False
        if piece[-1] == " ":
            space = True
    ends[len(out)] = length
    for index in range(len(out) - 1, -1, -1):  # a piece with nothing visible starts where the next one does
        if first[index] < 0:
            first[index] = first[index + 1] if first[index + 1] >= 0 else length
    first[len(out)] = length
    found = []
    for kind, value, begin, end in sorted(marks, key=lambda m: (m[2], -m[3])):
        start, stop = first[begin], ends[end]
        found.append(Marked(kind, value, start, max(start, stop)))
    return "".join(text), found
