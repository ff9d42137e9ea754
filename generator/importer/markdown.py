"""Writing CommonMark that renders exactly the text it was given: escaping and block layout."""

from __future__ import annotations

import re

# Characters that mean something anywhere in a line.
INLINE_SPECIAL = re.compile(r"[\\`*\[\]<~]|&(?=#?[A-Za-z0-9]+;)")
# `_` only opens or closes emphasis at a word edge; inside a word (snake_case) it is literal.
UNDERSCORE_AT_EDGE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# What a line may not start with if it is to stay a plain paragraph line.
LINE_START_SPECIAL = re.compile(
    r"^(?:(#{1,6})(?=\s|$)|([>+=|])|(-)|(\d{1,9})([.)])(?=\s|$)|(:::))"
)


def escape_text(text: str) -> str:
    """Backslash-escape Markdown syntax so a whole paragraph of text renders as written."""
    return escape_line_starts(escape_inline(text))


def escape_inline(text: str) -> str:
    """Escape a run of text inside a line (emphasis, links, code, HTML, entities)."""
    text = INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return UNDERSCORE_AT_EDGE.sub(r"\\_", text)


def escape_line_starts(markdown: str) -> str:
    """Escape what would start a heading, list, quote, break or container at the start of each line.

    Safe on assembled inline Markdown: the markup this module writes never starts with these.
    """
    return "\n".join(escape_line_start(line.lstrip(" \t")) for line in markdown.split("\n"))


def escape_line_start(line: str) -> str:
    match = LINE_START_SPECIAL.match(line)
    if not match:
        return line
    if match.group(4):  # "1." -> "1\."
        return match.group(4) + "\\" + line[len(match.group(4)):]
    return "\\" + line


def link_destination(url: str) -> str:
    """A URL as a link destination: spaces and angle brackets encoded, parentheses kept whole."""
    url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    if "(" in url or ")" in url or "\\" in url:
        return "<" + url + ">"
    return url


def link(text_md: str, url: str) -> str:
    return f"[{text_md}]({link_destination(url)})"


def image(alt: str, path: str) -> str:
    return f"![{escape_inline(' '.join(alt.split()))}]({link_destination(path)})"


def heading(level: int, text_md: str) -> str:
    """`## text`; a final run of `#` after a space would be read as a closing sequence, so it is escaped."""
    text_md = " ".join(text_md.split())
    text_md = re.sub(r"(^|\s)(#+)$", lambda m: m.group(1) + "\\" + m.group(2), text_md)
    return "#" * max(2, min(level, 6)) + " " + text_md


def figure(image_md: str | None, caption_md: str | None) -> str:
    """Gloss's figure container: image and/or caption between `::: figure` and `:::`."""
    parts = [part for part in (image_md, caption_md) if part]
    return "::: figure\n" + "\n\n".join(parts) + "\n:::"


def blockquote(blocks: list[str]) -> str:
    inner = "\n\n".join(blocks)
    return "\n".join(("> " + line) if line else ">" for line in inner.split("\n"))


def bullet_list(items: list[list[str]], *, ordered: bool, start: int = 1) -> str:
    """A list whose items are lists of blocks. Tight (no blank lines) unless an item holds more than one
    paragraph; a nested list follows its item's text on the next line."""
    loose = any(sum(1 for block in blocks if not is_list(block)) > 1 for blocks in items)
    rendered = []
    for number, blocks in enumerate(items, start):
        marker = f"{number}. " if ordered else "- "
        indent = " " * len(marker)
        text = ""
        for block in blocks:
            if text:
                text += "\n" if is_list(block) and not loose else "\n\n"
            text += block
        lines = text.split("\n")
        body = "\n".join([marker + lines[0]] + [(indent + line) if line else "" for line in lines[1:]])
        rendered.append(body.rstrip())
    return ("\n\n" if loose else "\n").join(rendered)


def is_list(block: str) -> bool:
    return bool(re.match(r"(?:- |\d{1,9}\. )", block))


def table(rows: list[list[str]]) -> str:
    """A GFM pipe table; cells are already-escaped inline Markdown. The first row is the header."""
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in padded[1:]]
    return "\n".join(lines)


def code_block(code: str, language: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip(chr(10))}\n{fence}"


def join_blocks(blocks: list[str]) -> str:
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def table_cell(inline_md: str) -> str:
    """A cell's inline Markdown on one line, its pipes escaped (GFM splits cells before anything else)."""
    return " ".join(inline_md.split("\n")).replace("|", "\\|").strip()
