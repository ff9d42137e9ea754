"""Plain text (.txt) to Markdown: paragraphs, a title, metadata lines, captions; residue dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import markdown as md
from .metadata import is_caption, metadata_of_line

# Words that mark a short line as page residue (image placeholders, buttons, menus), not a title.
RESIDUE_WORDS = re.compile(
    r"\b(placeholder|canvas|image|photo|advertisement|advert|sponsored|loading|menu|share|print|email|"
    r"e-mail|tweet|facebook|twitter|linkedin|subscribe|sign in|log in|login|skip to|search|home|"
    r"cookie|accept|read more|click|download|listen|play|video|gallery|close)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?…:;,][”\"’»)\]]*$")
BULLET = re.compile(r"^[-*•–]\s+")
NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+")


@dataclass
class TextBlock:
    """A run of non-blank lines and the line number it starts on."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return join_wrapped(self.lines)

    @property
    def words(self) -> int:
        return len(self.text.split())


def import_plain_text(text: str) -> tuple[dict[str, object], str, list[str], list[str]]:
    """Front matter, Markdown body, dropped-line notes and warnings for a plain-text article."""
    blocks = split_blocks(text)
    front_matter: dict[str, object] = {}
    dropped: list[str] = []
    warnings: list[str] = []
    body: list[str] = []

    start = read_header(blocks, front_matter, body, dropped)
    for index in range(start, len(blocks)):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        body.append(block_markdown(block, following))
    if "title" not in front_matter:
        warnings.append("1: warning: no title line found — add `title = \"…\"` to the front matter")
    else:
        warnings += doubtful_title(blocks, str(front_matter["title"]))
    return front_matter, md.join_blocks(body), dropped, warnings


def split_blocks(text: str) -> list[TextBlock]:
    """Runs of non-blank lines, each then split where a line is a paragraph of its own (see split_block)."""
    blocks: list[TextBlock] = []
    current: list[str] = []
    start = 1
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(raw.split())
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks += split_block(TextBlock(start, current))
            current = []
    if current:
        blocks += split_block(TextBlock(start, current))
    return blocks


UNWRAPPED_LINE = 100  # characters: text hard-wrapped for reading is wrapped shorter than this


def split_block(block: TextBlock) -> list[TextBlock]:
    """A run of lines is one hard-wrapped paragraph, except that
    - title, byline and date lines at its top stand alone (they are often typed without blank lines);
    - in text that is not hard-wrapped (most lines long, or four lines in five ending a sentence), every
      line is a paragraph of its own."""
    lines = block.lines
    head = 0
    while head < len(lines) - 1 and len(lines[head]) < 200 and metadata_of_line(lines[head + 1]) is not None:
        head += 1  # "Title / By Jane Historian / 29 May 2023 / text…": up to the last such line
    if head:
        head += 1
    parts = [TextBlock(block.line + offset, [line]) for offset, line in enumerate(lines[:head])]
    rest = lines[head:]
    long_lines = sum(len(line) >= UNWRAPPED_LINE for line in rest)
    sentence_ends = sum(bool(SENTENCE_END.search(line)) for line in rest)
    if len(rest) > 1 and (long_lines * 2 > len(rest) or len(rest) >= 3 and sentence_ends * 5 >= len(rest) * 4):
        parts += [TextBlock(block.line + head + offset, [line]) for offset, line in enumerate(rest)]
    elif rest:
        parts.append(TextBlock(block.line + head, rest))
    return parts


def join_wrapped(lines: list[str]) -> str:
    """Lines of one hard-wrapped paragraph as one line; a line ending in a closed dash joins tight."""
    pieces = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        tight = re.search(r"\S[-—]$", previous) and line[:1].isalnum()
        pieces.append(line if tight else " " + line)
    return "".join(pieces)


def read_header(blocks: list[TextBlock], front_matter: dict[str, object], body: list[str],
                dropped: list[str]) -> int:
    """Take title, subtitle, metadata lines and residue from the top; return where the text starts."""
    residue: list[TextBlock] = []
    index = 0
    for index, block in enumerate(blocks):  # noqa: B007 - the index is the result
        text = block.text
        fields = metadata_of_line(text) if len(block.lines) <= 2 else None
        if fields is not None:
            for key, value in fields.items():
                front_matter.setdefault(key, value)
            continue
        if is_caption(text):
            body.append(md.figure(None, md.escape_text(text)))
            continue
        if not is_heading_like(block):
            break
        if "title" not in front_matter:
            if is_residue(block) and has_better_title(blocks[index + 1 :]):
                residue.append(block)
                continue
            front_matter["title"] = text
        elif "subtitle" not in front_matter and not body and not is_residue(block):
            front_matter["subtitle"] = text
        else:
            break
    else:
        index = len(blocks)
    for block in residue:
        dropped.append(f"{block.line}: note: dropped “{block.text}” — a short line before the title "
                       "(placeholder or page residue); copy it back in by hand if it belongs")
    return index


def doubtful_title(blocks: list[TextBlock], title: str) -> list[str]:
    """A warning when the line taken as the title looks like something else: a single word (a section
    label such as "Features"), or a line the text repeats further down (a running header)."""
    line = next(block.line for block in blocks if block.text == title)
    if len(title.split()) == 1:
        why = "it is a single word, more like a section label"
    elif sum(block.text == title for block in blocks) > 1:
        why = "the same line comes again further down, like a running header"
    else:
        return []
    return [f"{line}: warning: took “{title}” as the title, but {why} — check `title` in the front matter"]


def is_heading_like(block: TextBlock) -> bool:
    """One short line that does not end a sentence (a question or exclamation may be a title)."""
    text = block.text
    if len(block.lines) > 2 or block.words > 25 or len(text) > 200:
        return False
    return not SENTENCE_END.search(text) or text.endswith(("?", "!", "?”", "!”"))


def is_residue(block: TextBlock) -> bool:
    return block.words <= 3 and (bool(RESIDUE_WORDS.search(block.text)) or block.words <= 2)


def has_better_title(rest: list[TextBlock]) -> bool:
    """Is there a heading-like, non-residue line further down, before the text starts?"""
    for block in rest:
        if metadata_of_line(block.text) is not None or is_caption(block.text):
            return False
        if not is_heading_like(block):
            return False
        if not is_residue(block):
            return True
    return False


def block_markdown(block: TextBlock, following: TextBlock | None) -> str:
    text = block.text
    if is_caption(text):
        return md.figure(None, md.escape_text(text))
    if len(block.lines) > 1 and all(BULLET.match(line) for line in block.lines):
        return md.bullet_list([[md.escape_text(BULLET.sub("", line))] for line in block.lines], ordered=False)
    numbers = [NUMBERED.match(line) for line in block.lines]
    if len(block.lines) > 1 and all(numbers):
        first = int(numbers[0].group(1))  # type: ignore[union-attr]
        items = [[md.escape_text(NUMBERED.sub("", line))] for line in block.lines]
        return md.bullet_list(items, ordered=True, start=first)
    if is_section_heading(block, following):
        return md.heading(2, md.escape_inline(text))
    return md.escape_text(text)


def is_section_heading(block: TextBlock, following: TextBlock | None) -> bool:
    """A short capitalised line without final punctuation, followed by a paragraph."""
    text = block.text
    return (
        len(block.lines) == 1
        and block.words <= 10
        and text[:1].isupper()
        and not SENTENCE_END.search(text)
        and not text.endswith(("?", "!"))
        and following is not None
        and following.words > 25
    )
