"""The Markdown renderer: CommonMark plus tables, footnotes, strikethrough, heading anchors, figures,
Pygments for code, and Gloss's annotation rules. Typographic quotes and dashes are kept as written."""

from __future__ import annotations

import re
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ..export.text import packed
from ..slug import slugify
from .annotations import LinkFound, MarkupContext, annotation_plugin, mention_tag
from .paragraph_text import SCHEME as _SCHEME
from .sanitize import END_TAG_OPTIONAL, VOID, raw_tags, sanitize_fragment, sanitize_raw
from .shown_text import render_reading_text

_TERMINATORS = re.compile(r"[\n!&*<\[\\\]^_`~]")
_FORMATTER = HtmlFormatter(nowrap=True)
MAX_NESTING = 100  # lists and block quotes inside each other (markdown-it drops what lies deeper: an error here)


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    """Fenced code through Pygments (class names only; the theme's pygments.css colours them)."""
    name = (lang or "").split()[0] if lang else ""
    try:
        lexer = get_lexer_by_name(name) if name else None
    except ClassNotFound:
        lexer = None
    body = highlight(code, lexer, _FORMATTER) if lexer else escape(code)
    label = f' data-lang="{escape(name)}"' if name else ""
    return f'<pre class="highlight"{label}><code>{body}</code></pre>\n'


@cache
def markdown(raw_html: bool = False, footnotes: bool = True, strikethrough: bool = True, tables: bool = True,
             figures: bool = True) -> MarkdownIt:
    """One configured renderer per process (per raw_html setting). The other flags leave out syntax a
    document cannot contain (see render_markdown)."""
    md = MarkdownIt("commonmark", {"html": raw_html, "highlight": highlight_code, "typographer": False,
                                   "maxNesting": MAX_NESTING})
    _report_nesting_overflow(md)
    md.enable([name for name, wanted in (("table", tables), ("strikethrough", strikethrough)) if wanted])
    if footnotes:
        md.use(footnote_plugin)
    md.core.ruler.push("heading_ids", _heading_ids)  # what anchors_plugin does, in linear time
    if figures:
        md.use(container_plugin, "figure", render=_render_figure)
    md.core.ruler.after("inline", "gloss_links", _record_links)
    md.use(annotation_plugin)
    if raw_html:
        md.core.ruler.push("raw_html_balance", _raw_html_balance)
    # The text rule runs to the next character some inline rule starts at, then every rule is tried there.
    # markdown-it stops at 23 characters, many of them kept for extensions ("-", ":", "#" …); these are the
    # ones the rules above start at, and "]" that ends a link label. The same tokens, found in fewer steps.
    md.inline.terminator_re = _TERMINATORS
    rules = md.add_render_rule
    for name, rule in _RULES.items():
        rules(name, rule)
    if footnotes:
        rules("footnote_ref", _footnote_ref(md.renderer.rules["footnote_ref"]))
    return md


def render_markdown(text: str, ctx: MarkupContext, page: str, raw_html: bool = False) -> str:
    """Render a whole Markdown document for the page at output path `page`.

    Syntax whose marker the text lacks is left out of the parser: it could not match anyway, and each rule
    is otherwise tried at every place it might start (a tenth of the parsing time of an article without
    footnotes, tables or strikethrough)."""
    md = markdown(raw_html, "^" in text, "~~" in text, "|" in text, ":::" in text)
    env: dict = {"gloss": ctx, "page": page}
    shown = None
    if ctx.record_shown_text:  # an article's body with Web Annotations: its shown text read as it is written
        html, shown = render_reading_text(md.renderer, md.parse(text, env), md.options, env)
    else:
        html = md.render(text, env)
    overflow = env.get("nesting_overflow")
    if overflow is not None and ctx.problems is not None and ctx.source is not None:
        ctx.problems.error(ctx.source, ctx.first_line + overflow,
                           f"lists or block quotes nested more than {MAX_NESTING} deep: the text from this line on "
                           "would be missing from the page", "nest them less deeply")
    if raw_html:
        sanitized = sanitize_fragment(html)
        if sanitized != html:  # (what was read is not what the page holds: the annotations read the HTML)
            shown = None
        html = sanitized
    if shown is not None:
        ctx.shown_text = packed(shown)
    return html


def render_inline(text: str, ctx: MarkupContext, page: str, raw_html: bool = False) -> str:
    """Render one line of Markdown (a summary, a title) without a paragraph around it."""
    html = markdown(raw_html).renderInline(text, {"gloss": ctx, "page": page})
    return sanitize_fragment(html) if raw_html else html


def _report_nesting_overflow(md: MarkdownIt) -> None:
    """markdown-it skips, in silence, every line from the first one nested deeper than maxNesting to the end of
    the enclosing block — which is the rest of the document. Note the first such line in env["nesting_overflow"]."""
    tokenize = md.block.tokenize

    def tokenize_noting_overflow(state, start: int, end: int, silent: bool = False) -> None:
        if state.level >= md.options.maxNesting and "nesting_overflow" not in state.env:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["nesting_overflow"] = line
        tokenize(state, start, end)

    md.block.tokenize = tokenize_noting_overflow  # type: ignore[method-assign]


def markdown_links(text: str, ctx: MarkupContext, raw_html: bool = False, inline: bool = False) -> list[LinkFound]:
    """Every link and image of a Markdown text as markdown-it parses it, without rendering it (a passage note,
    or a gloss the build did not render); render_markdown records the same into ctx.links as it renders."""
    md = markdown(raw_html)
    env = {"gloss": ctx, "page": ""}
    ctx.links = []
    if inline:
        md.parseInline(text, env)
    else:
        md.parse(text, env)
    return ctx.links


def links_to_check(links: list[LinkFound]) -> list[LinkFound]:
    """The links and images the link check looks at: all but those to other hosts (what the cache keeps)."""
    return [link for link in links if not _SCHEME.match(link[2])]


# ------------------------------------------------------------------------------------------- rules


def _record_links(state) -> None:
    """Every link and image markdown-it found, with its line (and column, where the destination is written as
    markdown-it reads it) in the source file, into ctx.links: what the link check reads. Runs before the
    footnote plugin moves footnotes to the end, while every block still has its source lines."""
    ctx: MarkupContext | None = state.env.get("gloss")
    if ctx is None:
        return
    lines = state.src.split("\n")
    cursor: dict[int, int] = {}  # line -> where the search for the next destination on it starts
    inline_notes = state.env.get("footnotes", {}).get("list", {})

    def walk(children: list[Token], line: int) -> int:
        for token in children:
            kind = token.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind in ("link_open", "image"):
                image = kind == "image"
                href = str(token.attrGet("src" if image else "href") or "")
                at, col = place(href, line)
                ctx.links.append((ctx.first_line + at, col, href, image))
            elif kind == "footnote_ref" and "tokens" in inline_notes.get(token.meta.get("id"), {}):
                walk(inline_notes[token.meta["id"]]["tokens"], line)  # ^[an inline footnote], on this line
            elif "\n" in token.content:
                line += token.content.count("\n")
        return line

    missing: set[tuple[int, str]] = set()  # (line, text) not found after the line's cursor: never will be
    definitions: dict[str, list[int]] = {}  # destination -> the lines of its first reference definition
    for reference in state.env.get("references", {}).values():
        if reference.get("map"):
            definitions.setdefault(reference["href"], reference["map"])

    def find(texts: list[str], line: int) -> int:
        """The column after which one of `texts` is on `line` (from its cursor), or 0. Linear over the links."""
        start = cursor.get(line, 0)
        for text in texts:
            if (line, text) in missing:
                continue
            at = lines[line].find(text, start)
            if at >= 0:
                cursor[line] = at + len(text)
                return at + 1
            missing.add((line, text))
        return 0

    def place(href: str, line: int) -> tuple[int, int]:
        """(line, column) of the destination: on the link's line, or in its reference definition."""
        on_line = line < len(lines)
        written = [href] if href else []
        col = find(written, line) if on_line else 0
        if col:
            return line, col
        decoded = state.md.normalizeLinkText(href)  # (as it may be written: percent-decoding costs, so only now)
        if decoded and decoded != href:
            written.append(decoded)
            col = find(written, line) if on_line else 0
        if col or href not in definitions:
            return line, col
        first, end = definitions[href]
        for number in range(first, min(end, len(lines))):
            col = find(written, number)
            if col:
                return number, col
        return first, 0

    for block in state.tokens:  # (a link, an image, a footnote holding one: each needs a "[" or an autolink's "<")
        if block.type == "inline" and block.children and block.map is not None \
                and ("[" in block.content or "<" in block.content):
            walk(block.children, block.map[0])


def _heading_ids(state) -> None:
    """Ids for h2–h4 from their text (slug, slug-1, slug-2 …), as mdit_py_plugins' anchors_plugin gives them,
    but remembering the last suffix of each slug: its loop is quadratic in repeated headings (5,000 took 7 s)."""
    taken = {str(t.attrGet("id")) for t in state.tokens if t.type == "heading_open" and t.attrGet("id")}
    suffixes: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3", "h4") or token.attrGet("id"):
            continue
        children = state.tokens[index + 1].children or []
        slug = slugify("".join(c.content for c in children if c.type in ("text", "code_inline"))) or "section"
        unique, n = slug, suffixes.get(slug, 0)
        while unique in taken:
            n += 1
            unique = f"{slug}-{n}"
        suffixes[slug] = n
        taken.add(unique)
        token.attrSet("id", unique)


def _render_figure(self, tokens: list[Token], idx: int, _options, env) -> str:
    """A figure; one whose image the edition does not have (only a caption, as an article saved without its
    photo) says so in a block where the image would be, rather than a caption under nothing."""
    token = tokens[idx]
    if token.nesting != 1:
        return "</figure>\n"
    figure_id = escape(token.attrGet("id") or "")
    depth, has_image = 0, False
    for later in tokens[idx + 1:]:
        if later.type == "container_figure_open":
            depth += 1
        elif later.type == "container_figure_close":
            if depth == 0:
                break
            depth -= 1
        elif later.type == "inline" and any(c.type == "image" for c in later.children or ()):
            has_image = True
            break
        elif later.type not in ("paragraph_open", "paragraph_close", "inline"):
            has_image = True  # a table, a list, code …: something is shown
            break
    if has_image:
        return f'<figure class="figure" id="{figure_id}">\n'
    ctx: MarkupContext | None = env.get("gloss")
    words = ctx.image_not_reproduced if ctx is not None else ""
    return (f'<figure class="figure figure-not-reproduced" id="{figure_id}">\n'
            f'<p class="figure-absent">{escape(words)}</p>\n')


def _footnote_ref(plain):
    """A footnote's mark opens its footnote as a note (gloss.js: hover, focus, tap, Esc), as a passage note's
    does; without JavaScript, and in print, it is the link to the numbered footnote at the end it always was."""
    def render(self, tokens: list[Token], idx: int, options, env) -> str:
        html = plain(tokens, idx, options, env)
        return _FOOTNOTE_LINK.sub(r'<a class="note-ref footnote-link" href="#\1" data-note="\1"', html, count=1)
    return render


_FOOTNOTE_LINK = re.compile(r'<a href="#(fn[^"]*)"')


def _mention_open(self, tokens: list[Token], idx: int, _options, env) -> str:
    token = tokens[idx]
    ctx: MarkupContext = env["gloss"]
    entity = ctx.entities.get(token.meta.get("entity", ""))
    if token.meta.get("in_link"):
        token.meta["tag"] = "span"
        return '<span class="mention-in-link">'
    if entity is None or token.meta.get("broken"):
        token.meta["tag"] = "span"
        return '<span class="mention-broken">'
    return mention_tag(entity.id, token.meta.get("number", 0), token.meta.get("anchor", False), env)


def _mention_run(self, tokens: list[Token], idx: int, _options, _env) -> str:
    """A run of text with the mentions the matcher found in it, its HTML written by mentions._mark_matches."""
    return tokens[idx].content


def _mention_words(self, tokens: list[Token], idx: int, options, env) -> str:
    """A mention the matcher found in the text: one token whose content is its words (text and line breaks
    only), rendered as the open, text, soft break and close tokens it stands for would be — a quarter of a
    million mentions at 1,000 articles, so two tokens fewer each."""
    token = tokens[idx]
    opening = _mention_open(self, tokens, idx, options, env)  # (first: it decides the tag)
    words = token.content
    if "\n" in words:
        softbreak = self.rules["softbreak"](tokens, idx, options, env)
        words = softbreak.join(escapeHtml(line) for line in words.split("\n"))
    else:
        words = escapeHtml(words)
    close = "</span>" if token.meta.get("tag") == "span" else "</a>"
    return opening + words + close


def _mention_close(self, tokens: list[Token], idx: int, _options, _env) -> str:
    for back in range(idx - 1, -1, -1):
        if tokens[back].type in ("gloss_mention_open", "gloss_ref_open"):
            return "</span>" if tokens[back].meta.get("tag") == "span" else "</a>"
    return "</a>"


def _passage_open(self, tokens, idx, _options, _env) -> str:
    for token in tokens[idx:]:
        if token.type == "gloss_passage_close":
            return f'<span class="passage" id="pass{token.meta["number"]}">'
    return '<span class="passage">'


def _label(env, name: str, default: str) -> str:
    """A word of the theme's strings (Edition.strings), escaped for an attribute."""
    ctx: MarkupContext | None = env.get("gloss")
    return escape(ctx.strings.get(name, default) if ctx is not None else default)


def _passage_close(self, tokens, idx, _options, env) -> str:
    n = tokens[idx].meta["number"]
    return (f'</span><a class="note-ref" href="#pn{n}" id="pnref{n}" data-note="pn{n}" '
            f'aria-label="{_label(env, "note", "Note")} {n}"><sup>{n}</sup></a>')


def _paragraph_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    figure = token.meta.get("figure")
    if figure:
        return "" if figure == "image" else "<figcaption>"
    number = token.meta.get("paragraph")
    if number:
        return (f'<p id="p{number}"><a class="pnum" href="#p{number}" '
                f'aria-label="{_label(env, "paragraph", "Paragraph")} {number}">{number}</a> ')
    return self.renderToken(tokens, idx, options, env)


def _paragraph_close(self, tokens, idx, options, env) -> str:
    figure = tokens[idx].meta.get("figure")
    if figure:
        return "\n" if figure == "image" else "</figcaption>\n"
    return self.renderToken(tokens, idx, options, env)


def _list_item_open(self, tokens, idx, options, env) -> str:
    number = tokens[idx].meta.get("paragraph")
    if number:
        return (f'<li id="p{number}"><a class="pnum" href="#p{number}" '
                f'aria-label="{_label(env, "paragraph", "Paragraph")} {number}">{number}</a> ')
    return self.renderToken(tokens, idx, options, env)


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if _SCHEME.match(src):  # nothing is loaded from another host: a remote image becomes a link
        if not _web_link(src) or _inside_link(tokens, idx):  # (data: and the like are not followed either)
            return escape(alt or "image")
        return f'<a class="remote-image" href="{escape(src)}">{escape(alt or "image")}</a>'
    title = token.attrGet("title")
    extra = f' title="{escape(title)}"' if title else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{extra} loading="lazy">'


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if _SCHEME.match(href) and not _web_link(href):  # data: and the like (markdown-it already drops javascript:)
        token.attrs.pop("href", None)
    elif not _SCHEME.match(href) and not href.startswith("#"):
        path, _, fragment = href.partition("#")
        if path.endswith(".md"):  # a link to another article's source file
            token.attrSet("href", path[:-3] + ".html" + (f"#{fragment}" if fragment else ""))
    return self.renderToken(tokens, idx, options, env)


def _web_link(url: str) -> bool:
    return url.startswith("//") or url.split(":", 1)[0].lower() in ("http", "https", "mailto", "tel")


def _inside_link(tokens: list[Token], idx: int) -> bool:
    """Whether tokens[idx] sits between a link's open and close tokens (an <a> may not hold another)."""
    depth = 0
    for back in range(idx - 1, -1, -1):
        kind = tokens[back].type
        if kind in ("link_close", "gloss_mention_close", "gloss_ref_close"):
            depth += 1
        elif kind in ("link_open", "gloss_mention_open", "gloss_ref_open"):
            if depth == 0:
                return True
            depth -= 1
    return False


def _html_block(self, tokens, idx, _options, _env) -> str:
    return sanitize_raw(tokens[idx].content)


def _html_inline(self, tokens, idx, _options, _env) -> str:
    return sanitize_raw(tokens[idx].content)


def _raw_html_balance(state) -> None:
    """With raw_html = true: a raw tag that is never closed (a `<details>` would hide the rest of the article)
    is an error at its line; a raw end tag that closes nothing raw is a warning (it is dropped)."""
    ctx: MarkupContext | None = state.env.get("gloss")
    if ctx is None or ctx.problems is None or ctx.source is None:
        return
    opened: list[tuple[str, int]] = []
    for token in state.tokens:
        raw = [(token, token)] if token.type == "html_block" else [
            (child, token) for child in token.children or [] if child.type == "html_inline"]
        for found, block in raw:
            line = ctx.first_line + (block.map[0] if block.map else 0)
            for kind, tag in raw_tags(found.content):
                if tag in VOID:
                    continue
                if kind == "start":
                    opened.append((tag, line))
                elif any(name == tag for name, _ in opened):
                    while opened.pop()[0] != tag:
                        pass
                else:
                    ctx.problems.warning(ctx.source, line, f"raw </{tag}> closes nothing opened in the article's "
                                         "HTML: it is dropped", f"remove it, or add the <{tag}> it should close")
    for tag, line in opened:
        if tag not in END_TAG_OPTIONAL:
            ctx.problems.error(ctx.source, line, f"raw <{tag}> is never closed: everything after it would be "
                               f"inside it", f"add </{tag}> where it should end")


_RULES = {
    "gloss_run": _mention_run, "gloss_mention": _mention_words, "gloss_mention_open": _mention_open, "gloss_ref_open": _mention_open,
    "gloss_mention_close": _mention_close, "gloss_ref_close": _mention_close,
    "gloss_passage_open": _passage_open, "gloss_passage_close": _passage_close,
    "paragraph_open": _paragraph_open, "paragraph_close": _paragraph_close,
    "list_item_open": _list_item_open, "image": _image, "link_open": _link_open,
    "html_block": _html_block, "html_inline": _html_inline,
}


def prose(body: str, raw_html: bool = False) -> str:
    """The body with everything but its running text blanked out (same length, newlines kept): the text
    markdown-it finds outside code, links, images, [[references]] and raw HTML, at its place in the source."""
    kept = [" " if c != "\n" else c for c in body]
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    for block in markdown(raw_html).parse(body, {}):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        line, cursor, hidden = block.map[0], starts[block.map[0]], 0
        for token in block.children:
            kind = token.type
            if kind in ("link_open", "gloss_ref_open"):
                hidden += 1
            elif kind in ("link_close", "gloss_ref_close"):
                hidden -= 1
            elif kind in ("softbreak", "hardbreak"):
                line += 1
                cursor = max(cursor, starts[line]) if line < len(starts) else len(body)
            elif kind == "text" and not hidden and token.content:
                at = body.find(token.content, cursor)
                if at >= 0 and "\n" not in body[cursor:at]:
                    kept[at:at + len(token.content)] = token.content
                    cursor = at + len(token.content)
                elif "\\" in body[cursor:starts[line + 1] if line + 1 < len(starts) else len(body)]:
                    # the text as written with backslash escapes (\[sic\]): kept without its backslashes
                    written = re.compile("".join("\\\\?" + re.escape(c) if c in _ESCAPABLE else re.escape(c)
                                                 for c in token.content))
                    found = written.search(body, cursor)
                    if found and "\n" not in body[cursor:found.start()]:
                        kept[found.start():found.end()] = found.group().replace("\\", " ")
                        cursor = found.end()
    return "".join(kept)


_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
