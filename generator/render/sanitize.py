"""Raw HTML in Markdown, when site.toml sets raw_html = true: kept, but only safe tags and attributes."""

from __future__ import annotations

import re
from html import escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
ALLOWED_ATTRS = {"href", "src", "alt", "title", "id", "class", "lang", "dir", "colspan", "rowspan", "datetime",
                 "cite", "open", "width", "height"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)", re.I)
_TAG = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^>]*)?)(/?)>$", re.S)


def _safe_attr(name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRS:
        return False
    if name in ("href", "src", "cite"):
        value = re.sub(r"[\s\x00-\x1f]", "", value)
        if not _SAFE_URL.match(value) or value.startswith("//"):
            return False
        if name == "src" and re.match(r"^https?:", value, re.I):
            return False  # nothing is loaded from another host
    return True


def sanitize_html_block(html: str) -> str:
    from bs4 import BeautifulSoup, Comment  # only editions with raw_html = true pay for importing it

    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.name in DROP_WITH_CONTENT:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        tag.attrs = {k: v for k, v in tag.attrs.items()
                     if _safe_attr(k.lower(), " ".join(v) if isinstance(v, list) else str(v))}
    return str(soup)


def sanitize_html_inline(html: str) -> str:
    """One inline tag such as <b> or </b>: kept with safe attributes, or shown as text."""
    found = _TAG.match(html.strip())
    if not found or found.group(2).lower() not in ALLOWED_TAGS:
        return escape(html)
    closing, name, attrs, self_closing = found.groups()
    name = name.lower()
    if closing:
        return f"</{name}>"
    kept = []
    for attr in re.finditer(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("([^"]*)"|\'([^\']*)\'|([^\s"\'=<>`]+))', attrs):
        key, value = attr.group(1).lower(), attr.group(3) or attr.group(4) or attr.group(5) or ""
        if _safe_attr(key, value):
            kept.append(f' {key}="{escape(value)}"')
    return f"<{name}{''.join(kept)}{self_closing}>"
