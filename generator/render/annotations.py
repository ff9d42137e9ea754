"""markdown-it plugins for annotation: `[[id]]` / `[[id|text]]` references, automatic mentions,
sidecar pins, skips and passage notes, and paragraph numbers.

The rules work on markdown-it's tokens, never on HTML: text inside code, links and URLs is never
matched. What they find is written to `env["gloss"]`, a MarkupContext.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..match.matcher import Match, Matcher, normalise
from ..match.quotes import QuoteNotFound, Span, TextIndex
from ..model import Entity, Mention, Sidecar
from ..problems import GlossError, Problem, Problems
from ..toml_text import nearest
from .paragraph_text import ParagraphTexts, paragraph_texts
from .urls import relative_url

# A mention as an entity page needs it: Mention's fields after entity and article (anchor, paragraph, before,
# text, after, has_note, line). A tuple: a quarter of a million are made at 1,000 articles.
MentionRow = tuple[str, int, str, str, str, bool, int]
# A link or image as markdown-it found it: (line in the source file, column of its destination or 0, the
# destination as markdown-it normalised it, whether it is an image). A tuple: the cache keeps them.
LinkFound = tuple[int, int, str, bool]

MAX_MENTIONS = 250_000  # in one article; README "Limits" (memory per mention: `make bench`)
REF = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
_SPACES = re.compile(r"\s\s+|[^\S ]")  # what collapses to one space (a lone space is left as it is)
# The whitespace characters but the space (what \s matches besides it): a text has something for _SPACES to
# collapse exactly when it has two spaces in a row or one of these. Three times quicker to find than _SPACES.
_OTHER_SPACE = re.compile("[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+")


@dataclass
class MarkupContext:
    """What the annotation rules need to render one piece of Markdown, and what they found in it."""

    entities: dict[str, Entity]
    source: Path
    first_line: int
    problems: Problems
    matcher: Matcher | None = None  # None: only [[id]] references (glosses, summaries)
    notes_mode: str = "first"  # "first": a note on the first mention of each entity; "all": on every one
    article: str = ""  # slug, for mentions
    sidecar: Sidecar | None = None
    number_paragraphs: bool = False
    record_shown_text: bool = False  # an article's body whose Web Annotations are written: its shown text recorded
    image_not_reproduced: str = "Image not reproduced in this edition."  # a figure with a caption and no image
    # found:
    # each entity's mentions as MentionRow tuples, in text order, and the entity of each mention in text order
    rows: dict[str, list[MentionRow]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # entities referred to, in order, once each
    notes: list[tuple[str, str]] = field(default_factory=list)  # ("entity"|"passage", entity id | note body)
    noted: set[str] = field(default_factory=set)
    note_paragraphs: list[int] = field(default_factory=list)  # the ¶ each note's place in the text is in (0: none)
    paragraphs: int = 0
    used_sidecar: set[int] = field(default_factory=set)  # ids of sidecar entries that matched
    referred: set[str] = field(default_factory=set)  # the entities in `refs`, for a quick look-up
    anchored: set[str] = field(default_factory=set)  # entities whose ref-<id> anchor is placed
    env: dict = field(default_factory=dict)  # markdown-it's env of the render under way (its page, for links)
    escape_rows: set[str] = field(default_factory=set)  # entities with a row that has & < > " or ' to escape
    links: list[LinkFound] = field(default_factory=list)  # every link and image, in text order
    strings: dict[str, str] = field(default_factory=dict)  # the theme's words (aria-labels), Edition.strings
    # each numbered paragraph's plain text (render/paragraph_text.py): what search indexes; None: read the HTML
    paragraph_texts: ParagraphTexts | None = None
    # the body's shown text and its marks, export.text.packed (render/shown_text.py): what the Web Annotations count on;
    # None: they read it from the HTML
    shown_text: bytes | None = None

    @property
    def mentions(self) -> list[Mention]:
        """Every mention recorded, in text order."""
        return mentions_in_order(self.rows, self.order, self.article)

    def note_number(self, kind: str, value: str, paragraph: int = 0) -> int:
        """Number a new note; `paragraph`: the ¶ of the place in the text it belongs to (its back-reference)."""
        self.notes.append((kind, value))
        self.note_paragraphs.append(paragraph)
        return len(self.notes)


def annotation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "gloss_ref", _ref_rule)
    md.core.ruler.push("gloss_annotate", _annotate)


def _ref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    found = REF.match(state.src, state.pos)
    if not found:
        return False
    if not silent:
        target = found.group(1).strip()
        ctx: MarkupContext | None = state.env.get("gloss")
        entity = ctx.entities.get(target) if ctx else None
        label = (found.group(2) or "").strip() or (entity.name if entity else target)
        token = state.push("gloss_ref_open", "a", 1)
        token.meta = {"entity": target, "label": label, "at": state.pos}  # where it is in the source
        text = state.push("text", "", 0)
        text.content = label
        state.push("gloss_ref_close", "a", -1)
    state.pos = found.end()
    return True


# ------------------------------------------------------------------------------------------- core rule


@dataclass
class _Block:
    inline: Token
    text: str  # the block's rendered text (what quotes and contexts are read from)
    anchor: str
    paragraph: int
    line: int
    # Where sentences end in `text` (SENTENCE_END matches: starts, ends), found once for all its mentions
    sentence_starts: list[int] | None = None
    sentence_ends: list[int] = field(default_factory=list)
    spaced: bool = True  # whether `text` has whitespace that contexts collapse (False: nothing to collapse)
    unsafe: bool = True  # whether `text` has a character HTML escapes (False: its rows need no escaping)

    def sentence_ends_found(self) -> tuple[list[int], list[int]]:
        if self.sentence_starts is None:
            self.sentence_starts, self.sentence_ends = [], []
            for found in SENTENCE_END.finditer(self.text):
                self.sentence_starts.append(found.start())
                self.sentence_ends.append(found.end())
            self.spaced = "  " in self.text or _OTHER_SPACE.search(self.text) is not None
            self.unsafe = ROW_SPECIALS.search(self.text) is not None or ROW_SPECIALS.search(self.anchor) is not None
        return self.sentence_starts, self.sentence_ends


def _annotate(state) -> None:
    ctx: MarkupContext | None = state.env.get("gloss")
    if ctx is None:
        return
    ctx.env = state.env
    blocks = _number_blocks(state.tokens, ctx)
    if ctx.number_paragraphs:
        ctx.paragraph_texts = paragraph_texts(state.tokens)
    overrides = _anchor_sidecar(blocks, ctx) if ctx.sidecar else {}
    for number, block in enumerate(blocks):
        _annotate_block(block, ctx, overrides.get(number, []))
    ctx.env = {}  # (env holds ctx: no reference cycle left behind)


def _number_blocks(tokens: list[Token], ctx: MarkupContext) -> list[_Block]:
    """Give paragraphs their numbers (p1, p2 …) and figures theirs; list every inline token with its text."""
    blocks: list[_Block] = []
    in_figure = in_footnote = 0
    figures = 0
    anchor, number = "", 0
    last_item: Token | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "container_figure_open":
            in_figure += 1
            figures += 1
            token.attrSet("id", f"fig{figures}")
            anchor, number = f"fig{figures}", 0
        elif kind == "container_figure_close":
            in_figure -= 1
        elif kind == "footnote_block_open":
            in_footnote += 1
        elif kind == "footnote_block_close":
            in_footnote -= 1
        elif kind == "list_item_open":
            last_item = token
        elif kind == "heading_open":
            anchor, number = token.attrGet("id") or anchor, 0
        elif kind == "paragraph_open":
            if in_figure:
                inline = tokens[index + 1]
                only_image = bool(inline.children) and all(
                    c.type == "image" or (c.type in ("text", "softbreak") and not c.content.strip())
                    for c in inline.children)
                token.meta["figure"] = "image" if only_image else "caption"
                tokens[index + 2].meta["figure"] = token.meta["figure"]
            elif not in_footnote and ctx.number_paragraphs:
                ctx.paragraphs += 1
                number = ctx.paragraphs
                anchor = f"p{number}"
                target = last_item if token.hidden and last_item is not None else token
                target.meta["paragraph"] = number
        elif kind == "inline":
            line = ctx.first_line + (token.map[0] if token.map else 0)
            blocks.append(_Block(token, _inline_text(token.children or []), anchor, number, line))
    return blocks


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@dataclass
class _Override:
    start: int
    end: int
    kind: str  # "pin" | "skip" | "note"
    value: str  # entity id, or the note's body
    entry: int  # id() of the sidecar entry
    line: int = 0  # of the entry in the notes file


def _anchor_sidecar(blocks: list[_Block], ctx: MarkupContext) -> dict[int, list[_Override]]:
    sidecar = ctx.sidecar
    assert sidecar is not None
    index = TextIndex([b.text for b in blocks])
    found: dict[int, list[_Override]] = {}
    entries = ([(pin, "pin", pin.entity) for pin in sidecar.pins] + [(s, "skip", "") for s in sidecar.skips]
               + [(n, "note", n.body) for n in sidecar.notes])
    for entry, kind, value in entries:
        if kind == "pin" and value not in ctx.entities:
            ctx.problems.error(sidecar.path, entry.line, f"[[pin]] names unknown entity `{value}`",
                               _nearest_id(value, ctx.entities))
            continue
        try:
            span: Span = index.find(entry.quote)
        except QuoteNotFound as missing:
            ctx.problems.error(sidecar.path, entry.line, f"[[{kind}]] {missing.message}", missing.fix)
            continue
        found.setdefault(span.block, []).append(_Override(span.start, span.end, kind, value, id(entry), entry.line))
    return found


def _unknown_id(value: str, ctx: MarkupContext) -> str:
    """What to do about an unknown id: fix the file that failed to load if there is one (the root of this
    message), else perhaps the nearest id."""
    from ..load.files import failed_entity_file

    root = next((p for p in Path(ctx.source).resolve().parents if (p / "site.toml").is_file()), None)
    failed = failed_entity_file(root, value) if root is not None else ""
    if failed:
        return f"it is unknown because {failed} failed to load: fix that file first"
    return _nearest_id(value, ctx.entities)


def _nearest_id(value: str, entities: dict[str, Entity]) -> str:

    hint = nearest(value, entities)
    return f"did you mean `{hint}`?" if hint else "check the id against the file names in annotations/"


def _annotate_block(block: _Block, ctx: MarkupContext, overrides: list[_Override]) -> None:
    """Replace the block's text tokens with text and mention tokens; record each mention."""
    children = block.inline.children or []
    output: list[Token] = []
    run: list[Token] = []
    position = 0  # offset in block.text of the next child
    run_start = 0
    link_depth = 0
    for child in children:
        if child.type in ("text", "softbreak") and link_depth == 0:
            if not run:
                run_start = position
            run.append(child)
            position += len(child.content) if child.type == "text" else 1
            continue
        if run:
            output.extend(_annotate_run(run, run_start, block, ctx, overrides))
            run = []
        if child.type in ("link_open", "gloss_ref_open"):
            if child.type == "gloss_ref_open" and link_depth:  # [[id]] inside a link: an <a> may not hold
                child.meta["in_link"] = True  # another, so it is shown as its text and is not a mention
            elif child.type == "gloss_ref_open":
                _record_ref(child, position, block, ctx)
            link_depth += 1
        elif child.type in ("link_close", "gloss_ref_close"):
            link_depth -= 1
        if child.type in ("text", "code_inline"):
            position += len(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            position += 1
        output.append(child)
    if run:
        output.extend(_annotate_run(run, run_start, block, ctx, overrides))
    block.inline.children = output


def _record_ref(token: Token, position: int, block: _Block, ctx: MarkupContext) -> None:
    entity_id = token.meta["entity"]
    if entity_id not in ctx.entities:
        source, at = block.inline.content, token.meta.get("at", 0)  # the paragraph's Markdown, and [['s offset
        line = block.line + source.count("\n", 0, at)
        col = at - source.rfind("\n", 0, at)
        ctx.problems.error(ctx.source, line, f"[[{entity_id}]] refers to an unknown entity",
                           _unknown_id(entity_id, ctx), col)
        token.meta["broken"] = True
        return
    # The label is the next text token; its length gives the mention's extent.
    _mention(token, entity_id, position, position + len(token.meta.get("label", "")), block, ctx)


def _annotate_run(run: list[Token], run_start: int, block: _Block, ctx: MarkupContext,
                  overrides: list[_Override]) -> list[Token]:
    if len(run) == 1 and run[0].type == "text":  # (most runs: a paragraph's text between other inline tokens)
        text = run[0].content
    else:
        text = "".join(t.content if t.type == "text" else "\n" for t in run)
    end_of_run = run_start + len(text)
    local = [o for o in overrides if o.start < end_of_run and o.end > run_start] if overrides else []
    searched = normalise(text)
    if "\n" in searched:
        searched = searched.replace("\n", " ")
    matches: list[Match] = ctx.matcher.find(searched) if ctx.matcher else []
    if not matches and not local:
        return run
    if len(ctx.order) + len(matches) > MAX_MENTIONS and ctx.article:
        raise GlossError(Problem(ctx.problems.where(ctx.source), block.line, 0, "error",
                                 f"more than {MAX_MENTIONS:,} mentions in one article: more than a build may hold "
                                 "in memory (about 2.5 to 5 KB each)", "split the article into several"))
    if not local:
        return _mark_matches(run, text, matches, run_start, block, ctx)
    events: list[tuple[int, int, str, str, int]] = []  # (start, end, "mention"|"note", value, line of a note)
    pinned = [(o.start - run_start, o.end - run_start, o) for o in local if o.kind == "pin"]
    skipped = [(o.start - run_start, o.end - run_start, o) for o in local if o.kind == "skip"]
    for start, end, override in pinned:
        if start >= 0 and end <= len(text):
            events.append((start, end, "mention", override.value, 0))
            ctx.used_sidecar.add(override.entry)
    for match in matches:
        if any(s < match.end and match.start < e for s, e, _ in pinned):
            continue
        skip = next((o for s, e, o in skipped if s < match.end and match.start < e), None)
        if skip is not None:
            ctx.used_sidecar.add(skip.entry)
            continue
        if len(match.entities) > 1:
            _ambiguous(text, match, block, ctx)
            continue
        events.append((match.start, match.end, "mention", match.entities[0], 0))
    mentions = [(start, end) for start, end, *_ in events]
    for override in local:
        if override.kind == "note":
            start, end = max(0, override.start - run_start), min(len(text), override.end - run_start)
            for first, last in mentions:  # a passage never cuts a mention in two: it takes in all of it
                if first < start < last:
                    start = first
                if first < end < last:
                    end = last
            events.append((start, end, "note", override.value, override.line))
            ctx.used_sidecar.add(override.entry)
    events.sort(key=lambda e: (e[0], e[2] != "note", -e[1]))
    tokens: list[Token] = []
    cursor = 0
    open_note: tuple[int, str] | None = None
    for start, end, kind, value, line in events:
        if kind == "note" and open_note and start < open_note[0]:
            where = ctx.sidecar.path if ctx.sidecar else ctx.source
            ctx.problems.error(where, line, "this [[note]]'s passage overlaps the passage of another note",
                               "quote words that no other note quotes, or say both things in one note")
            continue
        if start < cursor and not (open_note and end <= open_note[0]):
            continue  # overlaps what is already marked
        if open_note and start >= open_note[0]:
            tokens.extend(_text_tokens(text[cursor:open_note[0]]))
            tokens.extend(_close_note(open_note[1], block, ctx))
            cursor, open_note = open_note[0], None
        tokens.extend(_text_tokens(text[cursor:start]))
        if kind == "note":
            token = Token("gloss_passage_open", "span", 1)
            tokens.append(token)
            open_note, cursor = (end, value), start
            continue
        if open_note and end > open_note[0]:
            cursor = start
            continue
        token = Token("gloss_mention", "a", 0)  # one token, its words as content (see _mention_words)
        token.content = text[start:end]
        _mention(token, value, run_start + start, run_start + end, block, ctx)
        tokens.append(token)
        cursor = end
    if open_note:
        tokens.extend(_text_tokens(text[cursor:open_note[0]]))
        tokens.extend(_close_note(open_note[1], block, ctx))
        cursor = open_note[0]
    tokens.extend(_text_tokens(text[cursor:]))
    return tokens


def _mark_matches(run: list[Token], text: str, matches: list[Match], run_start: int, block: _Block,
                  ctx: MarkupContext) -> list[Token]:
    """_annotate_run where no sidecar entry applies (nearly every run): the matches, in order and disjoint,
    are the mentions, with no events to sort and no overlaps to resolve. The run becomes one `gloss_run` token
    holding its HTML, text and mentions written here in one go (a quarter of a million mentions at 1,000
    articles: no token for each).

    What _record does for each mention, with its common case written out here (a mention of an entity the
    article has already noted: no note to number, only its row to record): this loop runs for every mention,
    and calling _record for each made rendering the 1,000 benchmark articles' bodies 0.3 CPU-s (8 %) slower."""
    unsafe = _UNSAFE.search(text) is not None
    html: list[str] = []
    cursor = 0
    env = ctx.env
    tags = env.get("mention_tags")
    if tags is None:
        tags = env["mention_tags"] = {}  # each entity's plain <a> start tag on this page
    first_only, noted, referred = ctx.notes_mode != "all", ctx.noted, ctx.referred
    rows_of, order, article = ctx.rows, ctx.order, ctx.article
    block_text, anchor_name, paragraph, line = block.text, block.anchor, block.paragraph, block.line
    bounds = block.sentence_ends_found() if article else ([], [])
    spaced = block.spaced
    marked: list[tuple[int, int, str]] = []  # (start, end, entity) of each mention in `text`
    for match in matches:
        if len(match.entities) > 1:
            _ambiguous(text, match, block, ctx)
            continue
        entity_id = match.entities[0]
        words = text[match.start:match.end]
        marked.append((match.start, match.end, entity_id))
        html.append(escapeHtml(text[cursor:match.start]) if unsafe else text[cursor:match.start])
        cursor = match.end
        start, end = run_start + match.start, run_start + match.end
        if not article or not first_only or entity_id not in noted or entity_id not in referred:
            number, anchor = _record(entity_id, start, end, block, ctx)
            html += (mention_tag(entity_id, number, anchor, env), escapeHtml(words) if unsafe else words, "</a>")
            continue
        tag = tags.get(entity_id)
        if tag is None:
            tag = tags[entity_id] = mention_tag(entity_id, 0, False, env)
        html += (tag, escapeHtml(words) if unsafe else words, "</a>")
        before, words, after = _sentence(block_text, start, end, bounds=bounds, spaced=spaced)
        row = (anchor_name, paragraph, before, words, after, False, line)
        if block.unsafe:
            ctx.escape_rows.add(entity_id)
        rows = rows_of.get(entity_id)
        if rows is None:
            rows_of[entity_id] = [row]
        else:
            rows.append(row)
        order.append(entity_id)
    if not html:
        return run
    html.append(escapeHtml(text[cursor:]) if unsafe else text[cursor:])
    # (a soft break stays "\n", which is what markdown() renders one as)
    token = run[0] if len(run) == 1 else Token("gloss_run", "", 0)  # (one text token: most runs)
    token.type, token.content = "gloss_run", "".join(html)
    token.meta = {"text": text, "mentions": marked}  # (what render/shown_text.py reads instead of the HTML)
    return [token]


_UNSAFE = re.compile(r'[&<>"]')  # what escapeHtml changes
# What Jinja2's escape changes: an entity page's rows are escaped (render/pages.py) only for entities with a
# row from a paragraph holding one of these (MarkupContext.escape_rows).
ROW_SPECIALS = re.compile("[&<>\"']")


def mention_tag(entity_id: str, number: int, anchor: bool, env: dict) -> str:
    """A mention's <a> start tag on the page being rendered (env["page"]): its note number, if it shows a note,
    and the ref- anchor the endnote links back to, as the annotation rules decided them."""
    known = env.get("mention_attrs")
    if known is None:
        known = env["mention_attrs"] = {}  # the same for every mention of an entity on this page
    attrs = known.get(entity_id)
    if attrs is None:
        entity = env["gloss"].entities[entity_id]
        href = relative_url(env["page"], entity.output)
        attrs = known[entity_id] = f'class="mention" data-kind="{escape(entity.kind.key)}" href="{escape(href)}"'
    if not number:
        return f"<a {attrs}>"
    if anchor:
        return f'<a {attrs} data-note="note-{entity_id}" data-n="{number}" id="ref-{entity_id}">'
    return f'<a {attrs} data-note="note-{entity_id}" data-n="{number}">'


def _ambiguous(text: str, match: Match, block: _Block, ctx: MarkupContext) -> None:
    ctx.problems.error(ctx.source, block.line,
                       f"{text[match.start:match.end]!r} is an alias of "
                       + " and ".join(f"`{e}` ({ctx.problems.where(ctx.entities[e].path)})" for e in match.entities),
                       "pin this occurrence with [[pin]] in the article's notes file, or remove the alias from one entity")


def _close_note(body: str, block: _Block, ctx: MarkupContext) -> list[Token]:
    close = Token("gloss_passage_close", "span", -1)
    close.meta = {"number": ctx.note_number("passage", body, block.paragraph)}
    return [close]


def _text_tokens(text: str) -> list[Token]:
    if "\n" not in text:
        if not text:
            return []
        token = Token("text", "", 0)
        token.content = text
        return [token]
    tokens = []
    for n, line in enumerate(text.split("\n")):
        if n:
            tokens.append(Token("softbreak", "br", 0))
        if line:
            token = Token("text", "", 0)
            token.content = line
            tokens.append(token)
    return tokens


def _mention(token: Token, entity_id: str, start: int, end: int, block: _Block, ctx: MarkupContext) -> None:
    """Record a mention that has a token of its own ([[id]] references, mentions near sidecar entries)."""
    number, anchor = _record(entity_id, start, end, block, ctx)
    token.meta = {**token.meta, "entity": entity_id}
    if number:
        token.meta["number"] = number
        token.meta["anchor"] = anchor


def _record(entity_id: str, start: int, end: int, block: _Block, ctx: MarkupContext) -> tuple[int, bool]:
    """Decide whether this mention shows a note, and record it for the entity pages. Returns its note number
    (0: no note) and whether it carries the ref-<id> anchor the endnote links back to: only the first noted
    mention of an entity in an article's own text does (a note or a gloss would repeat an id on the page)."""
    has_note = ctx.notes_mode == "all" or entity_id not in ctx.noted
    number, anchor = 0, False
    if has_note:
        if entity_id in ctx.noted:
            number = ctx.notes.index(("entity", entity_id)) + 1
        else:
            number = ctx.note_number("entity", entity_id, block.paragraph if ctx.number_paragraphs else 0)
            ctx.noted.add(entity_id)
        if ctx.number_paragraphs and entity_id not in ctx.anchored:
            ctx.anchored.add(entity_id)
            anchor = True
    if entity_id not in ctx.referred:
        ctx.referred.add(entity_id)
        ctx.refs.append(entity_id)
    if ctx.article:
        before, text, after = _sentence(block.text, start, end, bounds=block.sentence_ends_found(),
                                        spaced=block.spaced)
        row = (block.anchor, block.paragraph, before, text, after, has_note, block.line)
        if block.unsafe:
            ctx.escape_rows.add(entity_id)
        rows = ctx.rows.get(entity_id)
        if rows is None:
            ctx.rows[entity_id] = [row]
        else:
            rows.append(row)
        ctx.order.append(entity_id)
    return number, anchor


def mentions_in_order(rows: dict[str, list[MentionRow]], order: list[str], article: str) -> list[Mention]:
    """Mentions back in text order from each entity's rows and the entity of each mention in turn."""
    taken = dict.fromkeys(rows, 0)
    found = []
    for entity_id in order:
        n = taken[entity_id]
        taken[entity_id] = n + 1
        found.append(Mention(entity_id, article, *rows[entity_id][n]))
    return found


CONTEXT = 240  # at most this many characters of a mention's sentence either side of it on an entity page


def _sentence(text: str, start: int, end: int, limit: int = CONTEXT,
              bounds: tuple[list[int], list[int]] | None = None, spaced: bool = True) -> tuple[str, str, str]:
    """The sentence around text[start:end], split into before / the mention / after.

    `bounds`: the starts and ends of every SENTENCE_END match in `text`, found once for all the mentions
    in it (a paragraph's mentions share them); `spaced=False` says `text` has nothing to collapse."""
    starts, ends = bounds if bounds is not None else _sentence_bounds(text)
    # Look no further than twice the limit either way (what lies beyond is cut off anyway). Most often the
    # nearest sentence end either side decides (one look each); a match running across the mention is rare.
    floor = start - 2 * limit if start > 2 * limit else 0
    last = bisect_left(starts, start) - 1  # the last match starting before the mention
    if last < 0 or starts[last] < floor:
        begin = floor
    elif ends[last] <= start:
        begin = ends[last]
    else:
        begin = floor
        while last >= 0 and starts[last] >= floor:
            if ends[last] <= start:
                begin = ends[last]
                break
            cut = SENTENCE_END.match(text, starts[last], start)  # a match running past the mention: as if cut there
            if cut:
                begin = cut.end()
                break
            last -= 1
    window = end + 2 * limit if end + 2 * limit < len(text) else len(text)
    finish = window
    following = bisect_left(starts, end)
    if following < len(starts) and starts[following] < window and (
            ends[following] <= window or SENTENCE_END.match(text, starts[following], window)):
        finish = starts[following] + 1
    before, after = text[begin:start], text[end:finish]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    if not spaced:
        return before, text[start:end], after
    return _SPACES.sub(" ", before), _SPACES.sub(" ", text[start:end]), _SPACES.sub(" ", after)


def _sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    found = list(SENTENCE_END.finditer(text))
    return [f.start() for f in found], [f.end() for f in found]
