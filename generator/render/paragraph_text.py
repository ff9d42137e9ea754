"""Each numbered paragraph's plain text, recorded from markdown-it's tokens while an article is rendered, so
that search (generator/search/) need not read the body's HTML again to get its words.

The text is what a reader sees of the paragraph (or of the tight list item that carries the number): its
words with runs of whitespace as one space, without the ¶ number, note and footnote marks, or a local
image's alt text (an image from another host is shown as its alt text, or "image", and counts).
`search.text.paragraphs` reads the same from the HTML; it is the test oracle of this, and what search falls
back on where this gives None: for what it does not model (raw HTML, a figure or block other than a nested
list inside a numbered list item), rather than guess.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

# A URL with a scheme (or protocol-relative): an image there is not loaded, but shown as its alt text.
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)

# Inline tokens that write no text of their own (their words are text tokens between them).
_SILENT = frozenset(["link_open", "link_close", "em_open", "em_close", "strong_open", "strong_close", "s_open",
                     "s_close", "gloss_ref_open", "gloss_ref_close", "footnote_ref"])
_CONTROL = re.compile("[\x00-\x02]")  # (what search.text.paragraphs drops before it reads the HTML)

ParagraphTexts = list[tuple[int, str]]


def paragraph_texts(tokens: list[Token]) -> ParagraphTexts | None:
    """(number, text) of each numbered paragraph with words in it, in order; None where a numbered block holds
    something this does not model. Run after the paragraphs are numbered and before mentions are marked."""
    found: ParagraphTexts = []
    parts: list[str] | None = None  # the text of the numbered block that is open
    number = 0
    for token in tokens:
        kind = token.type
        if kind in ("paragraph_open", "list_item_open") and token.meta.get("paragraph"):
            if parts is not None:
                _close(found, number, parts)
            parts, number = [], token.meta["paragraph"]
            continue
        if parts is None:
            continue
        if kind == "inline":
            text = _inline(token.children or [])
            if text is None:
                return None
            parts.append(text)
        elif kind == "list_item_close" or (kind == "paragraph_close" and not token.hidden):
            if token.meta.get("figure"):
                return None
            _close(found, number, parts)
            parts = None
        elif kind not in ("paragraph_open", "paragraph_close", "bullet_list_open", "ordered_list_open") \
                or token.meta.get("figure"):
            return None  # e.g. code in a tight list item: its HTML runs into the item's text
    if parts is not None:
        _close(found, number, parts)
    return found


def _close(found: ParagraphTexts, number: int, parts: list[str]) -> None:
    text = "".join(parts)
    if "\x00" in text or "\x01" in text or "\x02" in text:
        text = _CONTROL.sub("", text)
    words = text.split()
    if words:
        found.append((number, " ".join(words)))


def _inline(children: list[Token]) -> str | None:
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            if SCHEME.match(child.attrGet("src") or ""):  # (render/markdown.py's _image)
                alt = _alt(child.children or [])
                if alt is None:
                    return None
                parts.append(alt or "image")
        elif kind not in _SILENT:
            return None  # raw HTML, or a token type this does not know
    return "".join(parts)


def _alt(children: list[Token]) -> str | None:
    """An image's alt text as markdown-it's renderInlineAsText gives it (None: it holds raw HTML)."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type == "image":
            inner = _alt(child.children or [])
            if inner is None:
                return None
            parts.append(inner)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("html_inline", "html_block"):
            return None
    return "".join(parts)
