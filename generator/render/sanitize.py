"""Raw HTML in Markdown, when site.toml sets raw_html = true: kept, but only safe tags and attributes.

Two steps. Each raw HTML token is filtered tag by tag against ALLOWED_TAGS and ALLOWED_ATTRS (its start and end
tags are kept as they are, so a `<div>` can open before some Markdown and close after it). Then the whole
rendered fragment goes through nh3 (Ammonia, html5ever's parser): it comes out balanced — a stray `</div>` is
dropped, an unclosed tag closed at the end — so nothing in it can close or break the page's own elements, and
nothing outside the allowed tags and the renderer's own markup survives, whatever the token step missed.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from html.parser import HTMLParser

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
ALLOWED_ATTRS = {"href", "src", "alt", "title", "id", "class", "lang", "dir", "colspan", "rowspan", "datetime",
                 "cite", "open", "width", "height"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
URL_ATTRS = ("href", "src", "cite")
VOID = {"br", "hr", "img", "wbr", "area", "base", "col", "embed", "input", "link", "meta", "source", "track"}
# Elements whose end tag HTML lets an author leave out: an unclosed one hides nothing.
END_TAG_OPTIONAL = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption",
                    "option", "optgroup", "rb", "rt", "rp", "html", "head", "body"}

# What the renderer itself writes into a body (mentions, notes, paragraph numbers, footnotes, tables, code,
# figures, headings): let through the whole-fragment step beside the raw allowlist above.
RENDERER_TAGS = {"h1", "section"}
RENDERER_ATTRS: dict[str, set[str]] = {
    "*": {"id", "class", "aria-label", "data-note", "data-n", "data-kind", "data-lang", "lang", "dir", "title"},
    "a": {"href"}, "img": {"src", "alt", "loading", "title", "width", "height"}, "ol": {"start"},
    "th": {"style"}, "td": {"style"}, "li": {"value"},
}
_UNSAFE_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|[^:]*$)", re.I)


def safe_url(name: str, value: str) -> bool:
    """A URL a reader's browser may follow (href) or load (src): a web address or mailto: for a link, a path
    within the site for anything loaded; never one that a browser reads as another host (`//x`, `\\\\x`, `/\\x`)."""
    cleaned = _UNSAFE_SPACE.sub("", value)
    if not _SAFE_URL.match(cleaned) or cleaned[:2].replace("\\", "/") == "//":
        return False
    if "\\" in cleaned.split("?", 1)[0].split("#", 1)[0] and not re.match(r"^(?:https?|mailto|tel):", cleaned, re.I):
        return False  # a backslash in a path: browsers read it as "/", so "/\evil.example" is another host
    return not (name == "src" and re.match(r"^[a-z][a-z0-9+.-]*:", cleaned, re.I))  # nothing from another host


def _safe_attr(name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRS:
        return False
    return safe_url(name, value) if name in URL_ATTRS else True


class _HTMLParser(HTMLParser):
    """The standard library's parser, but `<![x …` with an unknown keyword is what HTML makes of it, a bogus
    comment up to the next `>`, not an AssertionError out of the build."""

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


class _RawTags(_HTMLParser):
    """Rewrites raw HTML tag by tag: allowed start and end tags with their safe attributes (values escaped
    once), text escaped, comments and everything else dropped; DROP_WITH_CONTENT with what they hold.
    Nothing is balanced here: that is the whole fragment's step."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, "" if tag in VOID else None)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: str | None) -> None:
        if self.dropping or tag in DROP_WITH_CONTENT:
            if tag not in VOID and close is not None:
                self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        kept = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs if _safe_attr(name, value or ""))
        self.out.append(f"<{tag}{kept}>")
        if close is None:  # <div/>: HTML ignores the slash; an explicit end keeps it empty as written
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def unknown_decl(self, data: str) -> None:
        pass


def sanitize_raw(html: str) -> str:
    """One raw HTML token (a block or an inline tag), filtered tag by tag."""
    parser = _RawTags()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


sanitize_html_block = sanitize_html_inline = sanitize_raw


def raw_tags(html: str) -> list[tuple[str, str]]:
    """The ("start" | "end", tag) events of a raw HTML token, for the balance check."""
    events: list[tuple[str, str]] = []

    class Events(_HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            events.append(("start", tag))

        def handle_startendtag(self, tag: str, attrs: list) -> None:
            if tag not in VOID:
                events.append(("start", tag))
                events.append(("end", tag))

        def handle_endtag(self, tag: str) -> None:
            events.append(("end", tag))

    parser = Events()
    parser.feed(html)
    parser.close()
    return events


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name in URL_ATTRS and not safe_url(name, value):
        return None
    return value


@cache
def _cleaner_options() -> dict:
    attributes: dict[str, set[str]] = {tag: set(names) for tag, names in RENDERER_ATTRS.items()}
    attributes["*"] = attributes["*"] | ALLOWED_ATTRS
    return {"tags": ALLOWED_TAGS | RENDERER_TAGS, "clean_content_tags": DROP_WITH_CONTENT, "attributes": attributes,
            "attribute_filter": _keep_attribute, "strip_comments": True, "link_rel": None,
            "url_schemes": {"http", "https", "mailto", "tel"}, "filter_style_properties": {"text-align"}}


def sanitize_fragment(html: str) -> str:
    """The whole rendered body (or line) of an edition with raw_html = true, through Ammonia: balanced, and only
    the allowed tags and the renderer's own markup."""
    import nh3  # only editions with raw_html = true pay for importing it

    return nh3.clean(html, **_cleaner_options())
