"""Finding the article in a saved web page: boilerplate out, the body's container found."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

# Never part of the text.
INVISIBLE_TAGS = ("script", "style", "template", "svg", "iframe", "object", "embed", "canvas", "button",
                  "input", "select", "textarea", "link", "meta", "dialog", "map", "audio", "video")
# Page furniture by tag and ARIA role, and what to call it when reporting.
FURNITURE_TAGS = {"nav": "navigation", "aside": "sidebar", "footer": "footer", "header": "header"}
FURNITURE_ROLES = {"navigation": "navigation", "banner": "header", "contentinfo": "footer",
                   "complementary": "sidebar", "search": "search", "dialog": "pop-up", "alertdialog": "pop-up"}
# Class/id words that mark boilerplate, and what to call it.
BOILERPLATE_WORDS = {
    "navigation": "nav navbar navigation menu menubar breadcrumb breadcrumbs skip skiplink topbar masthead",
    "cookie banner": "cookie cookies consent gdpr cmp privacy-banner",
    "share buttons": "share sharing social sns socials sharebar share-bar toolbar print fontsize font-size "
    "text-size article-tools like likes reactions ufi button btn cta",
    "related articles": "related recommended recommendations recirc more-stories morestories trending popular "
    "most-read mostread read-more readmore read-next readnext up-next more-from teaser-list also-read lire-aussi "
    "weitere outbrain taboola",
    "newsletter sign-up": "newsletter subscribe subscription signup sign-up paywall registration",
    "advertisement": "ad ads advert adverts advertisement advertising sponsor sponsored promo promotion "
    "banner-ad dfp gpt anzeige werbung",
    "comments": "comment comments disqus respond reply replies discussion talkback",
    "footer": "footer site-footer colophon",
    "sidebar": "sidebar side-bar widget widgets rail right-rail aside",
    "pagination": "pagination pager prev-next",
    "tags": "tags tag-list taglist keywords topics",
    "pop-up": "modal popup pop-up overlay lightbox",
    "pull quote": "pullquote pull-quote",
    "author box": "author-bio author-box about-author bio",
    "section label": "eyebrow kicker overline rubric section-label",
    "video": "video-caption video-embed video-player video-wrapper video-container player-caption",
}
# Furniture made of sentences, which extractors often take for the article's text: dropped even there.
TEXT_LIKE_FURNITURE = {"pull quote", "author box", "newsletter sign-up", "comments", "video"}
BOILERPLATE_KIND = {word: kind for kind, words in BOILERPLATE_WORDS.items() for word in words.split()}
# Class/id words of the article body's own container.
BODY_HINTS = re.compile(
    r"article[-_]?body|articlebody|article[-_]?content|article[-_]?text|entry[-_]?content|post[-_]?content|"
    r"post[-_]?body|story[-_]?body|story[-_]?content|content[-_]?body|body[-_]?text|main[-_]?text|"
    r"rich[-_]?text|field[-_]?body|article__body|text[-_]?content|news[-_]?text|detail[-_]?text",
    re.IGNORECASE,
)
# Bylines, datelines and title blocks: their content goes to the front matter, not the body.
BYLINE_WORDS = {"byline", "author", "authors", "author-name", "dateline", "timestamp", "published", "pubdate",
                "date", "post-date", "entry-meta", "article-meta", "post-meta", "meta", "posted-on", "editor"}
SUBTITLE_WORDS = {"standfirst", "dek", "deck", "subtitle", "sub-title", "subheadline", "sub-headline", "subheader", "subhead",
                  "strapline", "kicker-summary", "article-summary", "lead-text", "leadtext"}
BYLINE_PREFIXES = ("date", "byline", "author", "publish", "timestamp", "posted")
AD_LABELS = {"advertisement", "anzeige", "werbung", "publicité", "publicite", "реклама", "إعلان", "广告",
             "広告", "sponsored", "ad", "pub"}
RELATED_HEADING = re.compile(
    r"^(?:related|read next|read more|more from|more on|recommended|you may also like|most read|most popular|"
    r"top stories|latest news|more stories|trending|"
    r"also read|see also|weitere artikel|mehr zum thema|mehr aus|lesen sie auch|читайте также|по теме|"
    r"lire aussi|à lire aussi|sur le même sujet|اقرأ أيضا|اقرأ أيضاً|ذات صلة|相关|延伸阅读|関連)",
    re.IGNORECASE,
)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def words_of(tag: Tag) -> list[str]:
    """A tag's class and id split into lower-case words, both whole ("share-bar") and in parts."""
    raw = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    raw = re.sub(r"([a-z])([A-Z])", r"\1-\2", raw).lower()
    whole = raw.split()
    parts = [part for token in whole for part in re.split(r"[-_]+", token) if part]
    return whole + parts


def boilerplate_kind(tag: Tag) -> str | None:
    """What kind of page furniture a tag is, or None if it may be article text."""
    if tag.name in ("body", "html", "main", "article"):
        return None
    class_words = words_of(tag)
    by_class = None
    if not any(BODY_HINTS.search(word) for word in class_words):
        by_class = next((BOILERPLATE_KIND[word] for word in class_words if word in BOILERPLATE_KIND), None)
    if by_class is not None:
        return by_class
    if tag.name in FURNITURE_TAGS:
        return FURNITURE_TAGS[tag.name]
    role = str(tag.get("role") or "").lower()
    if role in FURNITURE_ROLES:
        return FURNITURE_ROLES[role]
    if tag.name in ("div", "section", "aside", "ul"):
        return link_list_kind(tag)
    return None


def link_list_kind(tag: Tag) -> str | None:
    """A box of links under a 'Related'/'Read next' heading, or a short block that is nothing but links."""
    text = text_of(tag)
    if not text or tag.find("a") is None:
        return None
    heading = tag.find(["h2", "h3", "h4", "h5", "strong"])
    if isinstance(heading, Tag) and RELATED_HEADING.match(text_of(heading)) and link_density(tag) > 0.5:
        return "related articles"
    if len(text) < 120 and link_density(tag) > 0.95 and tag.find(["p", "figure", "img"]) is None:
        return "links"
    return None


def article_holders(soup: BeautifulSoup, title_heading: Tag | None) -> set[int]:
    """Ids of every element that holds the title or the body (<article>, <main>, schema.org articleBody,
    a body-like class): such a container is never dropped, whatever its own class says."""
    anchors: list[Tag] = [title_heading] if title_heading is not None else soup.find_all("h1")
    anchors += soup.find_all(["article", "main"]) + soup.find_all(attrs={"itemprop": "articleBody"})
    anchors += [tag for tag in soup.find_all(True) if any(BODY_HINTS.search(word) for word in words_of(tag))]
    return {id(ancestor) for anchor in anchors for ancestor in anchor.parents} | {
        id(anchor) for anchor in anchors if anchor.name in ("article", "main")}


EMBEDDED_POST = re.compile(r"^(?:twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|reddit-card|"
                           r"fb-xfbml-parse-ignore|mastodon-embed)$")


def embedded_posts(soup: BeautifulSoup) -> set[int]:
    """Ids of every element holding a post the article quotes (a tweet, an Instagram or Bluesky post embedded
    as a block quote): the quotation is the article's text, whatever its wrapper's class says ("video-container",
    "social")."""
    posts = soup.find_all("blockquote", class_=EMBEDDED_POST)
    return {id(element) for post in posts for element in [post, *post.parents]}


def is_hidden(tag: Tag) -> bool:
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return (tag.has_attr("hidden") or str(tag.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def snippet(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def remove_invisible(soup: BeautifulSoup) -> None:
    """Drop comments, scripts, styles and the like (noscript images kept once)."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    unwrap_noscript_images(soup)
    for tag in soup.find_all(INVISIBLE_TAGS + ("noscript",)):
        if not tag.decomposed:
            tag.decompose()


def remove_furniture(soup: BeautifulSoup, dropped: list[str], title_heading: Tag | None = None,
                     keep: set[int] | frozenset[int] = frozenset(),
                     body: set[int] | frozenset[int] = frozenset()) -> None:
    """Drop scripts, hidden things and page furniture, noting each block of text that goes; `keep`: ids
    of elements known to hold the article's text, never dropped unless they look like text furniture (a pull
    quote, an author box); `body`: ids of elements holding much of it, never dropped."""
    remove_invisible(soup)
    protected = article_holders(soup, title_heading) | embedded_posts(soup)
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        kind = boilerplate_kind(tag)
        if kind is None and is_hidden(tag):
            kind = "hidden block"
        if kind is None and tag.name == "form" and len(text_of(tag)) < 300:
            kind = "form"
        if kind is None or id(tag) in protected or id(tag) in body or (
                id(tag) in keep and kind not in TEXT_LIKE_FURNITURE):
            continue
        text = text_of(tag)
        if text and kind not in ("hidden block",):
            dropped.append(f"{tag.sourceline or 1}: note: dropped {kind} “{snippet(text)}”")
        tag.decompose()


def unwrap_noscript_images(soup: BeautifulSoup) -> None:
    """`<img data-src=…><noscript><img src=real></noscript>`: keep the real image once."""
    for noscript in soup.find_all("noscript"):
        image = noscript.find("img")
        if image is None:
            continue
        previous = noscript.find_previous_sibling()
        if previous is not None and previous.name == "img" and not has_real_source(previous):
            previous.decompose()
            noscript.unwrap()
        elif previous is None or previous.name != "img":
            noscript.unwrap()


def has_real_source(image: Tag) -> bool:
    for name in ("data-src", "data-lazy-src", "data-original", "data-srcset", "srcset"):
        if image.get(name):
            return True
    src = str(image.get("src") or "")
    return bool(src) and not is_placeholder(src)


def is_placeholder(src: str) -> bool:
    lowered = src.lower()
    return lowered.startswith("data:") or any(
        word in lowered for word in ("blank.gif", "spacer", "placeholder", "1x1", "transparent.gif", "pixel.gif",
                                     "lazy-load", "lazyload.")
    )


def paragraph_text_length(tag: Tag) -> int:
    """Characters of running text: paragraphs and other text blocks (CJK characters count thrice)."""
    total = 0
    for block in tag.find_all(["p", "pre", "blockquote", "li", "td", "div", "dd"]):
        own = "".join(str(s) for s in block.find_all(string=True, recursive=False))
        total += weighted_length(own)
    return total + weighted_length("".join(str(s) for s in tag.find_all(string=True, recursive=False)))


def weighted_length(text: str) -> int:
    text = " ".join(text.split())
    return len(text) + 2 * len(CJK.findall(text))


def link_density(tag: Tag) -> float:
    """How much of a tag's text (spaces not counted) is link text."""
    text = len("".join(text_of(tag).split()))
    if not text:
        return 1.0
    return sum(len("".join(text_of(a).split())) for a in tag.find_all("a")) / text


def find_article_roots(soup: BeautifulSoup, title_heading: Tag | None = None) -> list[Tag]:
    """The element(s) holding the article text, best evidence first: schema.org, class names, <article>,
    <main>, then a Readability-style score over paragraphs."""
    body = soup.body or soup
    candidates = [tag for tag in soup.find_all(attrs={"itemprop": "articleBody"})
                  if paragraph_text_length(tag) >= 200]
    if not candidates:
        candidates = [tag for tag in soup.find_all(True)
                      if any(BODY_HINTS.search(word) for word in words_of(tag))
                      and paragraph_text_length(tag) >= 200]
    if candidates:
        best = max(candidates, key=paragraph_text_length)
        # The text split over several body blocks (between figures, ads, subheadings): take the element
        # that holds them all, if it holds little else.
        outermost = [tag for tag in candidates if not any(other in tag.parents for other in candidates)]
        if len(outermost) > 1:
            shared = common_ancestor(outermost)
            total = sum(paragraph_text_length(tag) for tag in outermost)
            if shared is not None and paragraph_text_length(shared) <= total * 1.5 + 300:
                best = shared
        return [widened(best, title_heading)]
    articles = [tag for tag in soup.find_all("article") if paragraph_text_length(tag) >= 200]
    if articles:
        return [max(articles, key=paragraph_text_length)]
    mains = [tag for tag in soup.find_all(["main"]) + soup.find_all(attrs={"role": "main"})
             if paragraph_text_length(tag) >= 200]
    if mains:
        return [mains[0]]
    return scored_roots(body)


def common_ancestor(tags: list[Tag]) -> Tag | None:
    first, *rest = tags
    for ancestor in first.parents:
        if all(ancestor in tag.parents for tag in rest):
            return ancestor if ancestor.name not in ("[document]", "html") else None
    return None


def widened(body_text: Tag, title_heading: Tag | None) -> Tag:
    """The body container's ancestors up to <article>/<main>, as long as all they add is the title block,
    figures and short lines: the lead image usually sits just outside the element holding the paragraphs."""
    node = body_text
    while isinstance(node.parent, Tag) and node.parent.name not in ("body", "html", "[document]"):
        if node.name in ("article", "main"):
            break
        siblings = [tag for tag in node.parent.find_all(True, recursive=False) if tag is not node]
        if not all(adds_little(sibling, title_heading) for sibling in siblings):
            break
        node = node.parent
    return node


def adds_little(tag: Tag, title_heading: Tag | None) -> bool:
    """A title block, a figure or a short line without a heading of its own."""
    text = text_of(tag)
    if not text:
        return True
    if title_heading is not None and (tag is title_heading or title_heading in tag.descendants):
        return True
    if (tag.name in ("figure", "picture", "img") or tag.find(["img", "figure"])) and len(text) < 400:
        return True
    if link_density(tag) > 0.8 and len(text) < 400:
        return True  # a box of links (teasers, tags): left out later, it does not make the text someone else's
    return len(text) < 100 and tag.name not in ("h1", "h2", "h3") and tag.find(["h1", "h2", "h3"]) is None


def scored_roots(body: Tag) -> list[Tag]:
    """Readability's idea: paragraphs vote for their parent (and half for the grandparent)."""
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for block in body.find_all(["p", "pre", "td", "div", "blockquote", "font", "span", "section"]):
        own = " ".join("".join(str(s) for s in block.find_all(string=True, recursive=False)).split())
        if block.name == "p":
            own = text_of(block)
        length = weighted_length(own)
        if length < 25:
            continue
        score = 1 + len(re.findall(r"[,，、،]", own)) + min(length // 100, 3)
        holders = [block] if block.name in ("td", "div", "section", "font", "span") else []
        holders += [block.parent, block.parent.parent if block.parent else None]
        for weight, holder in zip((1.0, 1.0, 0.5), holders, strict=False):
            if isinstance(holder, Tag):
                tags[id(holder)] = holder
                scores[id(holder)] = scores.get(id(holder), 0) + score * weight
    if not scores:
        return [body]
    ranked = {key: value * (1 - link_density(tags[key])) for key, value in scores.items()}
    best = tags[max(ranked, key=lambda key: ranked[key])]
    parent = best.parent
    if isinstance(parent, Tag):
        threshold = max(10.0, ranked[id(best)] * 0.2)
        roots = []
        for sibling in parent.find_all(True, recursive=False):
            if sibling is best or ranked.get(id(sibling), 0) >= threshold or (
                sibling.name == "p" and len(text_of(sibling)) > 80 and link_density(sibling) < 0.25
            ):
                roots.append(sibling)
        return roots
    return [best]


def is_ad_label(tag: Tag) -> bool:
    return text_of(tag).strip(" -–—:").lower() in AD_LABELS
