"""Saved web pages (.html) to Markdown: the article found among the page furniture, its metadata read."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from . import markdown as md
from .article import CannotImport
from .consensus import drop_unagreed, find_agreed_article
from .extract import (
    BYLINE_PREFIXES,
    BYLINE_WORDS,
    SUBTITLE_WORDS,
    find_article_roots,
    remove_furniture,
    remove_invisible,
    snippet,
    text_of,
    weighted_length,
    widened,
    words_of,
)
from .html_markdown import MarkdownWriter
from .metadata import credit_core, metadata_of_line, parse_byline, parse_date
from .text import clean_text

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "scholarlyarticle", "opinionnewsarticle", "backgroundnewsarticle", "report", "techarticle",
                 "liveblogposting", "socialmediaposting", "posting"}
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/|•)\s+")
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


@dataclass
class PageMetadata:
    """What the page says about itself, from meta tags, JSON-LD and its markup."""

    fields: dict[str, object] = field(default_factory=dict)
    headlines: list[str] = field(default_factory=list)
    """Title candidates, best first (og:title, JSON-LD headline, <title>), site suffixes still on."""
    site_name: str | None = None
    page_url: str | None = None
    lead_image_credit: str | None = None
    """The credit JSON-LD gives the article's lead image (creditText, else its author and copyright holder)."""


def import_web_page(page_file: Path, html: str, media_path_for: Callable[[str, Path], str], *,
                    page_url: str | None = None, fetch_remote: Callable[[str], Path | str] | None = None
                    ) -> tuple[dict[str, object], str, list[str], list[str]]:
    """Front matter, Markdown body, dropped notes and warnings for a saved (or fetched) page.

    `media_path_for(title, local_file)` names a local image's link in the body once the title is known;
    `page_url`: where the page was fetched from, when the page does not say where it lives.
    """
    soup = BeautifulSoup(html, "html.parser")
    check_nesting(page_file, soup)
    meta = read_metadata(soup, html)
    if meta.page_url is None and page_url:
        meta.page_url = page_url
        meta.fields["source"] = page_url
    base_url = base_address(soup, meta.page_url)
    dropped: list[str] = []
    warnings: list[str] = []

    title_tag = find_title_heading(soup, meta)
    fields = dict(meta.fields)
    fields["title"] = choose_title(meta, title_tag)
    remove_invisible(soup)
    agreed = find_agreed_article(soup, html)
    remove_furniture(soup, dropped, title_tag, keep=agreed.kept if agreed else set(),
                     body=agreed.body if agreed else set())
    if agreed is not None and not agreed.root.decomposed:
        agreed.root = widened(agreed.root, title_tag)  # the lead image and title block beside the text
        roots = [agreed.root]
        own_roots = find_article_roots(soup, title_tag)  # Gloss's own reading: the third vote
        take_header_fields(roots, fields, title_tag, dropped, agreed=True)
        drop_unagreed(agreed, dropped, own_roots)
    else:
        roots = find_article_roots(soup, title_tag)
        take_header_fields(roots, fields, title_tag, dropped)

    writer = MarkdownWriter(
        page_file=page_file,
        base_url=base_url,
        media_path=lambda local: media_path_for(str(fields.get("title") or page_file.stem), local),
        dropped=dropped,
        field_lines=lambda text: take_metadata_line(text, fields),
        fetch_remote=fetch_remote,
    )
    blocks: list[str] = []
    for root in roots:
        blocks += writer.blocks(root)
    blocks = drop_trailing_headings(blocks)
    credits = image_credits(meta.lead_image_credit, writer.credits)
    if credits:
        fields["image_credits"] = credits
    outside = words_outside(soup, roots)
    if outside:
        dropped.append(f"{roots[0].sourceline or 1}: note: kept the article from this line; left out "
                       f"{outside} words elsewhere on the page (site header, menus, teasers)")
    fill_from_libraries(fields, html, meta.page_url)
    if fields.get("summary") and normalised(str(fields["summary"])) == normalised(str(fields.get("subtitle", ""))):
        del fields["summary"]  # the standfirst, once
    if not fields.get("title"):
        warnings.append("1: warning: no title found — add `title = \"…\"` to the front matter")
        fields.pop("title", None)
    dropped.sort(key=lambda note: int(note.split(":", 1)[0]))
    return fields, md.join_blocks(blocks), dropped, warnings


MAX_NESTING = 256  # elements inside elements; real pages stay under ~60 (51 at most over 181 news pages)


def check_nesting(page_file: Path, soup: BeautifulSoup) -> None:
    """Refuse a page nested deeper than any real page, before anything walks it recursively."""
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise CannotImport(page_file, f"the page nests elements more than {MAX_NESTING} deep — no real "
                               "article does; save the page again from the browser, or copy its text into "
                               "a .txt file", line=node.sourceline or 1)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))


# Metadata ----------------------------------------------------------------------------------------


def read_metadata(soup: BeautifulSoup, html: str) -> PageMetadata:
    meta = PageMetadata()
    tags = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = tag.get("content")
        if key and content and key not in tags:
            tags[key] = clean(str(content))
    ld = json_ld_article(soup)

    canonical = soup.find("link", rel=lambda rel: rel and "canonical" in rel)
    saved_from = SAVED_FROM.search(html[:2000])
    for url in (canonical.get("href") if isinstance(canonical, Tag) else None, tags.get("og:url"),
                ld.get("url"), saved_from.group(1) if saved_from else None):
        if isinstance(url, str) and urlsplit(url.strip()).scheme in ("http", "https"):
            meta.page_url = url.strip()
            break

    for headline in (tags.get("og:title"), ld.get("headline"), tags.get("twitter:title"),
                     tags.get("citation_title"), soup.title.string if soup.title else None):
        if isinstance(headline, str) and clean(headline):
            meta.headlines.append(clean(headline))

    publisher = ld.get("publisher")
    meta.site_name = first_text(tags.get("og:site_name"), publisher.get("name") if isinstance(publisher, dict)
                                else None, tags.get("citation_journal_title"), tags.get("application-name"))
    fields = meta.fields
    put(fields, "subtitle", first_text(ld.get("alternativeHeadline")))
    put(fields, "author", author_of(tags, ld))
    put(fields, "date", first_date(ld.get("datePublished"), tags.get("article:published_time"),
                                   tags.get("citation_publication_date"), tags.get("date"), tags.get("dc.date"),
                                   tags.get("dcterms.date"), tags.get("parsely-pub-date"),
                                   tags.get("sailthru.date"), tags.get("pubdate"), ld.get("dateCreated")))
    put(fields, "publication", meta.site_name)
    for key, source in (("volume", "citation_volume"), ("issue", "citation_issue")):
        value = tags.get(source, "")
        if value.isdigit():
            fields[key] = int(value)
    put(fields, "source", meta.page_url)
    put(fields, "language", language_of(soup, tags, ld))
    put(fields, "summary", first_text(tags.get("og:description"), tags.get("description"), ld.get("description")))
    put(fields, "rights", first_text(tags.get("copyright"), tags.get("dcterms.rights"), tags.get("dc.rights"),
                                     ld.get("copyrightNotice")))
    meta.lead_image_credit = lead_image_credit(soup, ld)
    return meta


def lead_image_credit(soup: BeautifulSoup, ld: dict[str, object]) -> str | None:
    """The credit of the article's JSON-LD `image` (the first, when several; an {"@id": …} reference looked up
    in the page's JSON-LD): its `creditText`, else its author(s) and `copyrightHolder` ("Jane Doe / Reuters")."""
    image = ld.get("image")
    image = image[0] if isinstance(image, list) and image else image
    if not isinstance(image, dict):
        return None
    if set(image) <= {"@id", "@type"} and isinstance(image.get("@id"), str):
        image = next((item for item in json_ld_items(soup) if item.get("@id") == image["@id"] and len(item) > 2), image)
    credit = first_text(image.get("creditText"))
    if credit:
        return credit
    names: list[str] = []
    for key in ("author", "creator", "copyrightHolder"):
        values = image.get(key)
        for value in values if isinstance(values, list) else [values]:
            name = value.get("name") if isinstance(value, dict) else value
            if isinstance(name, str) and clean(name) and not urlsplit(clean(name)).scheme:
                names.append(clean(name))
    names = list(dict.fromkeys(names))
    return " / ".join(names) if names else None


def image_credits(lead: str | None, body: list[str]) -> list[str]:
    """The figures' credits in body order, the lead image's first unless a figure already gives it."""
    given = re.compile(rf"(?<!\w){re.escape(credit_core(lead or ''))}(?!\w)")
    if lead and not any(given.search(credit_core(credit)) for credit in body):
        return [lead, *body]
    return list(body)


def fill_from_libraries(fields: dict[str, object], html: str, page_url: str | None) -> None:
    """What the page's own markup did not give: the date from htmldate (which also reads dates in the
    address, the <title> and the text's first lines), the author from trafilatura's metadata."""
    if "date" not in fields:
        try:
            from htmldate import find_date

            found = find_date(html, url=page_url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
        except Exception:  # noqa: BLE001 - htmldate fails on some malformed pages: then no date
            found = None
        if found:
            fields["date"] = dt.date.fromisoformat(found)
    if "author" not in fields:
        try:
            import trafilatura

            metadata = trafilatura.extract_metadata(html, default_url=page_url)
        except Exception:  # noqa: BLE001 - as above
            metadata = None
        names = [name.strip() for name in (getattr(metadata, "author", None) or "").split(";") if name.strip()]
        names = [str((parse_byline(name) or {}).get("author", name)) for name in names]  # "By …", "מאת …"
        if names and all(len(name.split()) <= 5 for name in names):
            fields["author"] = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def json_ld_article(soup: BeautifulSoup) -> dict[str, object]:
    """The first schema.org Article-like object in the page's JSON-LD, or {}."""
    for item in json_ld_items(soup):
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(kind, str) and kind.lower() in ARTICLE_TYPES for kind in kinds):
            return item
    return {}


def json_ld_items(soup: BeautifulSoup) -> list[dict[str, object]]:
    """Every object of the page's JSON-LD (those inside an @graph too), in page order."""
    items: list[dict[str, object]] = []
    for script in soup.find_all("script", type=lambda t: t and "ld+json" in t.lower()):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        items += flatten_json_ld(data)
    return items


def flatten_json_ld(data: object) -> list[dict[str, object]]:
    if isinstance(data, list):
        return [item for part in data for item in flatten_json_ld(part)]
    if isinstance(data, dict):
        return [data, *flatten_json_ld(data.get("@graph", []))]
    return []


def author_of(tags: dict[str, str], ld: dict[str, object]) -> str | None:
    names: list[str] = []
    authors = ld.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            names.append(clean(author["name"]))
        elif isinstance(author, str):
            names.append(clean(author))
    if not names:
        for key in ("author", "article:author", "citation_author", "dc.creator", "parsely-author",
                    "sailthru.author"):
            value = tags.get(key)
            if value and not urlsplit(value).scheme:
                names += [name.strip() for name in value.split(";")]
                break
    names = [name for name in dict.fromkeys(names) if name and not urlsplit(name).scheme]
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def first_date(*values: object) -> object:
    for value in values:
        if isinstance(value, str) and value.strip():
            date = parse_date(value)
            if date is not None:
                return date
    return None


def language_of(soup: BeautifulSoup, tags: dict[str, str], ld: dict[str, object]) -> str | None:
    html = soup.find("html")
    candidates = [html.get("lang") if isinstance(html, Tag) else None, ld.get("inLanguage"),
                  tags.get("og:locale"), tags.get("content-language"), tags.get("language")]
    for candidate in candidates:
        if isinstance(candidate, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", candidate.strip()):
            parts = candidate.strip().replace("_", "-").split("-")
            return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p.title() for p in parts[1:]])
    return None


def base_address(soup: BeautifulSoup, page_url: str | None) -> str | None:
    """What relative links resolve against: <base href> (itself resolved), else the page's address."""
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        href = str(base["href"]).strip()
        if urlsplit(href).scheme in ("http", "https"):
            return href
        if page_url:
            return urljoin(page_url, href)
    return page_url


# Title, subtitle, byline ------------------------------------------------------------------------


def find_title_heading(soup: BeautifulSoup, meta: PageMetadata) -> Tag | None:
    """The element that shows the headline: an <h1> (else an <h2>/<h3>) that makes up most of one of the
    page's headlines; else any element whose whole text is one part of a headline ("Site - Headline");
    with no headline to go by, the first real <h1>."""
    for names in (["h1"], ["h2", "h3"]):
        headings = [h for h in soup.find_all(names) if len(text_of(h)) >= 4]
        for headline in meta.headlines:
            wanted = normalised(headline)
            for heading in headings:
                text = normalised(text_of(heading))
                if text in wanted and len(text) >= 0.5 * len(wanted):
                    return heading
    parts = sorted({part for headline in meta.headlines for part in headline_parts(headline)}, key=len, reverse=True)
    wanted_parts = {normalised(part) for part in parts if len(part) >= 4}
    body = soup.body or soup
    for tag in body.find_all(["b", "strong", "font", "div", "span", "p", "td", "h4", "h5", "h6"]):
        if normalised(text_of(tag)) in wanted_parts:
            while isinstance(tag.parent, Tag) and tag.parent.name != "body" and text_of(tag.parent) == text_of(tag):
                tag = tag.parent
            return tag
    headings = [h for h in soup.find_all("h1") if len(text_of(h)) >= 4]
    return headings[0] if headings and not meta.headlines else None


def headline_parts(headline: str) -> list[str]:
    """'Headline | Section | Site' -> its parts; CJK sites also use '_' ('标题_频道_网站')."""
    parts = TITLE_SEPARATORS.split(headline)
    if len(parts) == 1 and "_" in headline:
        parts = headline.split("_")
    return [part.strip() for part in parts if part.strip()]


def choose_title(meta: PageMetadata, title_tag: Tag | None) -> str | None:
    if title_tag is not None:
        return clean(text_of(title_tag))
    if not meta.headlines:
        return None
    return strip_site_name(meta.headlines[0], meta.site_name)


def strip_site_name(headline: str, site_name: str | None) -> str:
    """'Story title | Site' -> 'Story title' (also ' - ', ' — ', ' :: ' …)."""
    parts = TITLE_SEPARATORS.split(headline)
    if len(parts) < 2:
        return headline
    if site_name:
        site = normalised(site_name)
        if normalised(parts[-1]) in site or site in normalised(parts[-1]):
            return TITLE_SEPARATORS.split(headline)[0] if len(parts) == 2 else headline[: headline.rfind(parts[-1])].rstrip(" |-–—:·»/•")
        if normalised(parts[0]) in site or site in normalised(parts[0]):
            return headline[len(parts[0]):].lstrip(" |-–—:·»/•")
    if len(parts[-1].split()) <= 4 and len(parts[0].split()) > len(parts[-1].split()):
        return headline[: headline.rfind(parts[-1])].rstrip(" |-–—:·»/•")
    return headline


def take_header_fields(roots: list[Tag], fields: dict[str, object], title_tag: Tag | None,
                       dropped: list[str], *, agreed: bool = False) -> None:
    """Take the title heading, standfirst and byline out of the article: they belong in the front matter."""
    if title_tag is not None and not title_tag.decomposed:
        drop_lines_above_title(roots, title_tag)
        take_standfirst(title_tag, fields)
    title = normalised(str(fields.get("title") or ""))
    for root in roots:
        for heading in root.find_all(["h1", "h2"]):
            if title and heading is not title_tag and normalised(text_of(heading)) == title:
                heading.decompose()
        order = {id(tag): number for number, tag in enumerate(root.find_all(True))}
        first_text = next((order[id(p)] for p in root.find_all("p") if weighted_length(text_of(p)) > 120), len(order))
        for tag in root.find_all(True):
            if tag.decomposed or tag is title_tag or tag.find_parent("figure") is not None:
                continue
            words = set(words_of(tag))
            text = text_of(tag)
            if words & SUBTITLE_WORDS and len(text) < 400 and order.get(id(tag), 0) < first_text:
                fields.setdefault("subtitle", clean(text))
                tag.decompose()
            elif is_byline(words) and len(text) < 200 and tag.find(["p", "h2", "h3"]) is None:
                take_byline(tag, fields)
                tag.decompose()
            elif tag.name == "time" and tag.find_parent(["p", "li", "td"]) is None:
                value = parse_date(str(tag.get("datetime") or text))
                if value is not None:
                    fields.setdefault("date", value)
                tag.decompose()
        if title_tag is not None and title_tag in root.descendants:
            drop_lines_below_title(root, title_tag, fields, dropped, agreed=agreed)
    if title_tag is not None and not title_tag.decomposed:
        title_tag.decompose()


def take_standfirst(title_tag: Tag, fields: dict[str, object]) -> None:
    """The line right under the headline, in a header block of its own, is the standfirst (subtitle)."""
    following = title_tag.find_next_sibling(True)
    parent = title_tag.parent
    if not isinstance(following, Tag) or not isinstance(parent, Tag) or following.name not in ("h2", "p", "div"):
        return
    header_block = not any(weighted_length(text_of(p)) > 120 for p in parent.find_all("p"))
    text = text_of(following)
    text_after = sum(len(string.strip()) for string in following.find_all_next(string=True))
    if header_block and 10 < len(text) < 300 and text_after > 3 * len(text) and (
            following.find(["img", "figure", "a"]) is None):
        fields.setdefault("subtitle", clean(text))
        following.decompose()


SENTENCE_END = re.compile(r"[.!?。！？…][\"”’»」)]*$")


def drop_lines_below_title(root: Tag, title_tag: Tag, fields: dict[str, object], dropped: list[str], *,
                           agreed: bool = False) -> None:
    """Between the headline and the first paragraph of text, short lines that are not sentences (byline,
    date, place, text-size buttons) are page furniture; a name or date in them goes to the front matter."""
    tags = root.find_all(True)
    order = {id(tag): number for number, tag in enumerate(tags)}
    start = order.get(id(title_tag), 0)
    end = next((order[id(tag)] for tag in tags if order[id(tag)] > start and (
        tag.name == "p" and weighted_length(text_of(tag)) > 120 or weighted_length(own_text(tag)) > 120)), len(tags))
    for tag in tags[start + 1 : end]:
        if tag.decomposed or title_tag in tag.parents or tag.find_parent("figure") is not None:
            continue
        if any(ancestor.find(["img", "picture"]) is not None for ancestor in tag.parents
               if ancestor is not root and root in ancestor.parents):
            continue  # beside an image: a caption
        if tag.name in ("h2", "h3", "h4", "h5", "h6", "figure", "picture", "img", "table", "blockquote") or (
                tag.find(["img", "figure", "picture", "h2", "h3", "table"]) is not None
                or tag.find_parent(["table", "ul", "ol", "blockquote", "dl"]) is not None):
            continue
        text = text_of(tag)
        if not text or weighted_length(text) >= 100 or SENTENCE_END.search(text):
            continue
        if take_metadata_line(text, fields):
            tag.decompose()
            continue
        value = parse_date(text)
        if "date" not in fields and isinstance(value, dt.date):
            fields["date"] = value
        if agreed and not isinstance(value, dt.date):
            continue  # the extractors agree this line is the article's text, and it is not a dateline
        dropped.append(f"{tag.sourceline or 1}: note: dropped a short line under the headline “{snippet(text)}”")
        tag.decompose()


def own_text(tag: Tag) -> str:
    return " ".join("".join(str(s) for s in tag.find_all(string=True, recursive=False)).split())


def drop_lines_above_title(roots: list[Tag], title_tag: Tag) -> None:
    """Short lines above the headline inside the article (kicker, section name, date) are not its text."""
    for root in roots:
        if title_tag not in root.descendants:
            continue
        for tag in title_tag.find_all_previous(True):
            if tag is root or root not in tag.parents:
                break
            if tag.decomposed or tag in title_tag.parents or tag.find(["img", "figure", "picture"]) is not None:
                continue
            if len(text_of(tag)) < 100 and title_tag not in tag.descendants:
                tag.decompose()


def is_byline(words: set[str]) -> bool:
    return bool(words & BYLINE_WORDS) or any(word.startswith(BYLINE_PREFIXES) for word in words)


def take_byline(tag: Tag, fields: dict[str, object]) -> None:
    text = clean(text_of(tag))
    time = tag.find("time")
    if isinstance(time, Tag):
        value = parse_date(str(time.get("datetime") or text_of(time)))
        if value is not None:
            fields.setdefault("date", value)
    parsed = parse_byline(text) or metadata_of_line(text)  # "By Jane Doe", "记者：李明远 王晓燕"
    if parsed:
        for key, value in parsed.items():
            fields.setdefault(key, value)
    elif "author" not in fields and set(words_of(tag)) & {"author", "authors", "author-name", "byline"} and (
            len(text.split()) <= 6):
        fields["author"] = text
    if "date" not in fields:
        value = parse_date(text)
        if value is not None:
            fields["date"] = value


def take_metadata_line(text: str, fields: dict[str, object]) -> bool:
    """An early paragraph such as 'Publication: Eurasia Daily Monitor Volume: 16 Issue: 72'."""
    parsed = metadata_of_line(text)
    if parsed is None:
        return False
    for key, value in parsed.items():
        if key in ("volume", "issue", "publication") or key not in fields:
            fields[key] = value
    return True


def drop_trailing_headings(blocks: list[str]) -> list[str]:
    """A heading at the end with nothing under it but links ('License this article', a list of related
    stories whose box was not recognised) goes, with its links."""
    while True:
        headings = [index for index, block in enumerate(blocks) if block.startswith("#")]
        if not headings or not all(is_only_links(block) for block in blocks[headings[-1] + 1 :]):
            return blocks
        blocks = blocks[: headings[-1]]


def is_only_links(block: str) -> bool:
    """Markdown that is nothing but links (a line of them, or a list of them)."""
    without = re.sub(r"\[[^\]]*\]\([^)]*\)", "", block)
    return "](" in block and not re.sub(r"[-*\d.\s|·•,]", "", without)


def words_outside(soup: BeautifulSoup, roots: list[Tag]) -> int:
    inside = sum(len(root.get_text(" ").split()) for root in roots)
    body = soup.body or soup
    return max(0, len(body.get_text(" ").split()) - inside)


# Small helpers -----------------------------------------------------------------------------------


def clean(text: str) -> str:
    return " ".join(clean_text(text).split())


def normalised(text: str) -> str:
    return " ".join(clean_text(text).replace("’", "'").replace("‘", "'").lower().split())


def first_text(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and clean(value):
            return clean(value)
    return None


def put(fields: dict[str, object], key: str, value: object) -> None:
    if value is not None and value != "":
        fields[key] = value


__all__ = ["import_web_page"]
