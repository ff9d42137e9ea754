"""Which blocks of a page are the article: the text two maintained extractors agree on.

trafilatura and readability-lxml each read the page and return the article's text. Where they agree,
that is the article; where one returns much more and holds nearly all of the other's text, the other
stopped short (readability keeps going past a subheading trafilatura mistook for the end). The agreed
text is then looked up block by block in the page Gloss parsed, so that Gloss's own converter turns the
right elements — with their headings, links, lists, figures and credits — into Markdown.

Measured on the 181 pages of the article extraction benchmark (make bench-import, one run): trafilatura
alone F1 0.960, readability-lxml alone 0.954, gloss import 0.974 on the running text (precision 0.965, recall
0.983) and 0.959 with its figures' captions, which the benchmark does not count as article text (see the README).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from .extract import EMBEDDED_POST, link_density, snippet, text_of

TOKEN = re.compile(r"\w+")
# Elements that hold a block of text; the leaves among them are what is kept or dropped.
TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "figcaption", "td", "th",
               "dd", "dt", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol",
               "table", "form", "address", "caption", "details", "summary", "center", "figure")
# One extractor's text is taken whole when the other's is nearly all inside it and it is this much longer.
STOPPED_SHORT = 2.0
CONTAINED = 0.9
# A block is the article's when this share of its 4-word runs is in the agreed text.
KEPT_SHARE = 0.5
# Inside the article's element, a block of at least this many words that either extractor keeps stays;
# shorter lines ("Advertisement - scroll to continue", "Font size: S M L") need both.
SENTENCE_TOKENS = 8
# An element holding this share of the agreed text is the article's body, whatever its class says ("paywall":
# a subscriber saved the page, and the text behind the wall is the article).
BODY_SHARE = 0.25
# A block both extractors keep that holds an image linking elsewhere is a teaser when it is a headline's length;
# with this many words it is running text that happens to hold a picture (a list of offers with photos).
TEXT_NOT_TEASER = 50
# A block this much of whose text the article already said is a copy.
REPEATED = 0.8
# An image with its caption: one image and at most this much text (else it is a section holding pictures).
HOLDER_CHARS = 1000


@dataclass
class AgreedText:
    """The article text the extractors agree on, as 4-word runs and as one token string."""

    shingles: set[tuple[str, ...]]
    tokens: str
    source: str
    """Which extractor's text (or "both") the reference is."""
    either: AgreedText | None = None
    """What either extractor keeps: inside the article's element, a block one of them keeps stays."""


def shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def trafilatura_text(html: str) -> str:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def readability_text(html: str) -> str:
    try:
        from lxml import html as lxml_html
        from readability import Document
    except ImportError:  # the `readability` extra is not installed: trafilatura and Gloss's own reading decide
        return ""
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    try:
        summary = Document(html).summary(html_partial=True)
        tree = lxml_html.fromstring(summary) if summary.strip() else None
    except Exception:  # noqa: BLE001 - readability fails on some pages (empty, odd markup): no vote then
        return ""
    if tree is None:
        return ""
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in TEXT_BLOCKS + ("br",):
            element.tail = "\n" + (element.tail or "")
    return tree.text_content()


def agreed_text(html: str) -> AgreedText | None:
    """The article's text as the extractors see it, or None when neither finds any."""
    first, second = TOKEN.findall(trafilatura_text(html)), TOKEN.findall(readability_text(html))
    ours, theirs = shingles(first), shingles(second)
    if not ours and not theirs:
        return None
    both = ours & theirs
    shared = sum(both.values())
    size_ours, size_theirs = sum(ours.values()), sum(theirs.values())
    if not size_theirs:
        return AgreedText(set(ours), " ".join(first), "trafilatura")
    if not size_ours:
        return AgreedText(set(theirs), " ".join(second), "readability")
    if shared >= CONTAINED * size_ours and size_theirs >= STOPPED_SHORT * size_ours:
        return AgreedText(set(theirs), " ".join(second), "readability")
    either = AgreedText(set(ours) | set(theirs), " ".join(first) + " \x00 " + " ".join(second), "either")
    return AgreedText(set(both), " ".join(first), "both", either)


def leaf_blocks(root: Tag) -> list[Tag]:
    """Text blocks that hold no other text block, in document order."""
    return [tag for tag in root.find_all(TEXT_BLOCKS) if tag.find(TEXT_BLOCKS) is None]


def block_text(block: Tag) -> str:
    """A block's text as the extractors read it: inline elements run on ("Kerch<b>Strait</b>" is one word),
    a line break parts words ("Tampa, FL<br>June 10" is not "FLJune")."""
    return "".join(str(node) if isinstance(node, NavigableString) else "\n"
                   for node in block.descendants if isinstance(node, NavigableString) or node.name == "br")


def agreed_runs(block: Tag, agreed: AgreedText) -> set[tuple[str, ...]]:
    """The block's 4-word runs, if enough of them are in the agreed text (a block of under 4 words: if it
    appears in it as a whole); else an empty set."""
    tokens = TOKEN.findall(block_text(block))
    if not tokens:
        return set()
    if len(tokens) < 4:
        return {tuple(tokens)} if f" {' '.join(tokens)} " in f" {agreed.tokens} " else set()
    runs = shingles(tokens)
    found = {run for run in runs if run in agreed.shingles}
    share = sum(runs[run] for run in found) / sum(runs.values())
    return found if share >= KEPT_SHARE else set()


@dataclass
class AgreedArticle:
    """The element holding the agreed text, and the text blocks in it that are the article's."""

    root: Tag
    kept: set[int]
    """ids of the kept blocks, of every element between them and the root, of the root and of its
    ancestors: never page furniture."""
    either: set[int] = field(default_factory=set)
    """ids of sentences only one extractor keeps: they stay if Gloss's own reading of the page keeps them too."""
    body: set[int] = field(default_factory=set)
    """ids of the elements holding at least BODY_SHARE of the agreed text: never page furniture, even when
    their class says newsletter or paywall."""


def find_agreed_article(soup: BeautifulSoup, html: str) -> AgreedArticle | None:
    """Where the agreed article text is on the page; None when the extractors find too little of it here.

    The element is found by what both extractors keep; inside it, the sentences only one of them keeps are
    noted for drop_unagreed's vote (a table's notes, a footnote one of them leaves out)."""
    agreed = agreed_text(html)
    if agreed is None:
        return None
    kept: list[Tag] = []
    runs: dict[int, set[tuple[str, ...]]] = {}
    for block in leaf_blocks(soup.body or soup):
        found = agreed_runs(block, agreed)
        if found:
            kept.append(block)
            runs[id(block)] = found
    covered = set().union(*runs.values()) if runs else set()
    if len(covered) < 20:
        return None
    holding: dict[int, set[tuple[str, ...]]] = {}
    elements: dict[int, Tag] = {}
    for block in kept:
        for ancestor in [block, *block.parents]:
            holding.setdefault(id(ancestor), set()).update(runs[id(block)])
            elements[id(ancestor)] = ancestor
    # The deepest element that holds nearly all of the agreed text: not <body> because a teaser repeats
    # the first paragraph elsewhere, and only one copy when a page holds its article twice.
    candidates = [key for key, found in holding.items() if len(found) >= 0.9 * len(covered)]
    root = elements[max(candidates, key=lambda key: len(list(elements[key].parents)))]
    either: set[int] = set()
    if agreed.either is not None:
        either = {id(block) for block in leaf_blocks(root) if id(block) not in runs
                  and len(TOKEN.findall(block_text(block))) >= SENTENCE_TOKENS and agreed_runs(block, agreed.either)}
    inside = {id(root)} | {id(ancestor) for ancestor in root.parents}
    for block in kept:
        if block is root or root in block.parents:
            for element in [block, *block.parents]:
                if element is root:
                    break
                inside.add(id(element))
    body = {key for key, found in holding.items() if len(found) >= BODY_SHARE * len(covered)}
    return AgreedArticle(root, inside, either, body)


def drop_unagreed(article: AgreedArticle, dropped: list[str], own_roots: list[Tag]) -> None:
    """Take the text blocks inside the root that are not the article's out, noting each. A figure (an
    image with its caption and credit) stays: it belongs to the text it sits in; unless it is a teaser.
    A sentence only one extractor keeps stays when Gloss's own reading (`own_roots`) holds it too: two votes
    of three."""
    own = {id(root) for root in own_roots}
    seen: dict[int, set[tuple[str, ...]]] = {}
    for block in leaf_blocks(article.root):
        if block.decomposed:
            continue
        drop_hover_cards(block, dropped)
        if is_caption_copy(block, seen):
            dropped.append(f"{block.sourceline or 1}: note: dropped “{snippet(text_of(block))}” — the image's caption "
                           "again (shown collapsed and expanded)")
            block.decompose()
            continue
        if block.find_parent("blockquote", class_=EMBEDDED_POST) is not None:
            continue  # a post the article quotes stays whole (its attribution line is kept, so is its text)
        figure = block if block.name == "figure" else block.find_parent("figure")
        if figure is not None or block.find(["img", "picture"]) is not None:
            holder = figure or block
            if not is_teaser(holder) or figure is None and id(block) in article.kept and len(
                    TOKEN.findall(block_text(block))) >= TEXT_NOT_TEASER:
                continue
            block = holder  # even when an extractor kept its headline: a teaser is not the article's text
        elif id(block) in article.kept or id(block) in article.either and (
                id(block) in own or any(id(parent) in own for parent in block.parents)):
            continue
        text = text_of(block)
        if text:
            dropped.append(f"{block.sourceline or 1}: note: dropped “{snippet(text)}” — not part of the "
                           "article's text")
        block.decompose()


def is_caption_copy(block: Tag, captions: dict[int, set[tuple[str, ...]]]) -> bool:
    """Whether a block of a sentence's length or more says again what was already said about the image it sits
    with (nearly all of its 4-word runs in an earlier caption of it): a caption shown
    collapsed and expanded, which a reader sees once. `captions`: the runs seen so far, by image holder.
    Paragraphs that repeat paragraphs stay (a meal plan or a tour schedule repeats lines by design), and so do
    like captions of different images."""
    holder = next((parent for parent in block.parents if parent.find("img") is not None), None)
    if holder is None or len(holder.find_all("img")) > 1 or len(text_of(holder)) > HOLDER_CHARS:
        return False
    seen = captions.setdefault(id(holder), set())
    runs = shingles(TOKEN.findall(block_text(block)))
    repeated = sum(count for run, count in runs.items() if run in seen)
    seen.update(runs)
    return sum(runs.values()) >= SENTENCE_TOKENS and repeated >= REPEATED * sum(runs.values())


INLINE = ("span", "a", "em", "strong", "b", "i", "small", "sup", "sub", "font")


def drop_hover_cards(block: Tag, dropped: list[str]) -> None:
    """A card that pops up over a name in running text (a portrait and links to other articles about that
    person) sits inside the paragraph's markup but is not its text: the smallest inline element holding an
    image and two or more links to other pages, nearly all of its text in links, goes."""
    for image in block.find_all("img"):
        if image.decomposed:
            continue
        for card in image.parents:
            if card is block or not isinstance(card, Tag) or card.name not in INLINE:
                break
            pages = [link for link in card.find_all("a", href=True) if not IMAGE_FILE.search(str(link["href"]))]
            if len(pages) >= 2 and link_density(card) >= 0.8:
                dropped.append(f"{card.sourceline or 1}: note: dropped a pop-up card “{snippet(text_of(card))}” "
                               "— links to other articles inside the text")
                card.decompose()
                break


IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#].*)?$", re.IGNORECASE)


def is_teaser(figure: Tag) -> bool:
    """An image that links to another page (not to a larger copy of itself), or under a headline that
    does: a teaser for another article."""
    for link in [*figure.find_all("a", href=True), *figure.find_parents("a", href=True)]:
        if not IMAGE_FILE.search(str(link["href"])):
            return True
    return bool(text_of(figure)) and link_density(figure) >= 0.5
