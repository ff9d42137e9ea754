"""An article body's shown text (its innerText, with where each mention and passage lies in it), read while
the body is rendered, so that the W3C Web Annotations (export/web_annotations.py) need not read the HTML again.

`render_reading_text` is markdown-it's render loop that hands the HTML of each token, as it is written, to
export/text.py's TextWalker: the same reading as of the whole body. What most of a body is made of skips the
HTML: text, and the runs of text with the mentions the matcher found (annotations._mark_matches), give their
words and mentions as they are; formatting tags that show nothing (<em>, a plain link's <a> …) are passed
over, block tags stand for their line breaks. `export.text.shown_text` on the body's HTML is its test oracle.
With raw HTML on, what is read is kept only if the sanitiser leaves the body's HTML as it was written.
Over the 1,000 bench bodies recording adds 0.4 CPU-s to rendering; with every token's HTML walked it added
2.6, with only the block tags walked 0.7 (reading the whole bodies' HTML afterwards took 1.9).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..export.text import SPACE_RUN, Marked, TextWalker
from ..model import Entity
from .urls import relative_url

# Inline tokens whose HTML is a tag that shows nothing and that the walker tells apart from no other.
_NOTHING_SHOWN = frozenset(["em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close",
                            "link_open", "link_close"])
# A block tag alone, as markdown-it writes it, with the line breaks around it (which show nothing): it stands for
# one line break (two for <p>). (Read so in pairs, open and close: the walker need not hold it open.)
_PLAIN_BLOCK = re.compile(r'\n?<(/?)(p|h[1-6]|ul|ol|li|blockquote)(?: id="[^"<>&]*"| start="\d+")?>\n?')


class _Hrefs(dict):
    """Each entity's page as the page being rendered links to it (what mention_tag writes in href)."""

    def __init__(self, page: str, entities: dict[str, Entity]) -> None:
        super().__init__()
        self.page, self.entities = page, entities

    def __missing__(self, entity: str) -> str:
        href = self[entity] = relative_url(self.page, self.entities[entity].output)
        return href


def render_reading_text(renderer: RendererHTML, tokens: Sequence[Token], options,
                        env: dict) -> tuple[str, tuple[str, list[Marked]]]:
    """renderer.render(tokens, options, env), and the shown text of what it writes."""
    walker = TextWalker()
    shown = walker.shown
    rules = renderer.rules
    hrefs = _Hrefs(env["page"], env["gloss"].entities)
    out: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "inline":
            if token.children:
                out.append(_inline(renderer, token.children, options, env, walker, hrefs))
            continue
        html = rules[token.type](tokens, index, options, env) if token.type in rules else \
            renderer.renderToken(tokens, index, options, env)
        out.append(html)
        number = token.meta.get("paragraph") if token.nesting == 1 else None
        plain = _PLAIN_BLOCK.fullmatch(html) if not (number or walker.hidden or walker.pre) else None
        if number and not walker.hidden and not walker.pre:  # <p id="pN"> or <li id="pN">, and its ¶ number
            shown.block(2 if token.tag == "p" else 1)
            shown.text(str(number))
            shown.block(1)
        elif plain:
            shown.block(2 if plain.group(2) == "p" else 1)
        elif html:
            walker.feed(html)
    return "".join(out), shown.result()


def _inline(renderer: RendererHTML, children: list[Token], options, env: dict, walker: TextWalker,
            hrefs: _Hrefs) -> str:
    rules = renderer.rules
    shown = walker.shown
    out: list[str] = []
    for index, token in enumerate(children):
        kind = token.type
        html = rules[kind](children, index, options, env) if kind in rules else \
            renderer.renderToken(children, index, options, env)
        out.append(html)
        if walker.hidden or walker.pre:
            walker.feed(html)
        elif kind == "gloss_run":
            text = token.meta["text"]
            if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:  # (to collapse)
                walker.feed(html)
            else:  # (a mention's words start and end with an alias's own characters, never a space)
                at = shown.placed_text(text)
                shown.marks += [("mention", hrefs[entity], at + start, at + end)
                                for start, end, entity in token.meta["mentions"]]
        elif kind in ("text", "text_special"):
            shown.text(SPACE_RUN.sub(" ", token.content))
        elif kind == "softbreak":
            shown.text(" ")
        elif kind not in _NOTHING_SHOWN:
            walker.feed(html)
    return "".join(out)
