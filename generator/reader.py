"""`gloss reader`: several articles as ONE self-contained course reader (HTML, and with --pdf a PDF).

A cover, a table of contents (with page numbers in the PDF), each article with its ¶ numbers and numbered
notes, and one shared who's who at the end in which each entity is glossed once in full and lists the
articles and ¶ that mention it. Like a handout it carries its styles, script, images and notes inside it and
links to nothing but itself and other sites. Page numbers in the contents come from the printed PDF itself:
it is printed once, the page each article starts on is read from the PDF's outline, and printed again.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from .handout import (
    _SCHEME,
    GLOSS_CAP,
    MARK,
    Printed,
    _shown,
    _target,
    cap_text,
    check_handout_folder,
    find_article,
    finish,
    gloss_blocks,
    in_browser,
    inline_media,
    leave_out,
    load_site,
    measure,
    number_note_mentions,
    paper_size,
    print_page,
    qr_svg,
    refuse_to_overwrite,
    unlink,
    write_file,
)
from .model import Article
from .problems import GlossError, Problem
from .render.pages import _SORT_KEY
from .render.urls import absolute_url
from .site import Site

READER_NAME = "reader"  # handouts/reader.html and reader.pdf


def reader_command(site_file: Path, names: list[str], pdf: bool, title: str | None, out: Path | None,
                   base_url: str = "") -> int:
    """Write handouts/reader.html (and reader.pdf) from the named articles, or all of them in order."""
    site = load_site(site_file, "course reader", base_url or None)
    if site is None:
        return 1
    articles = [find_article(site, name) for name in names] if names else list(site.edition.articles)
    if not articles:
        raise GlossError(Problem("gloss reader", 0, 0, "error", "the edition has no articles",
                                 "add one with `gloss import FILE`"))
    folder = (out or site.edition.config.root / "handouts").resolve()
    check_handout_folder(folder, site)
    html_file = folder / f"{READER_NAME}.html"
    refuse_to_overwrite(html_file, lambda head: f'content="{MARK}"'.encode() in head)
    html = make_reader(site, articles, title or site.edition.config.title, base_url or site.edition.config.base_url)
    folder.mkdir(parents=True, exist_ok=True)
    write_file(html_file, html.encode("utf-8"))
    print(f"Wrote {_shown(html_file)} ({len(html.encode('utf-8')) // 1024} KB): {len(articles)} article"
          f"{'s' * (len(articles) != 1)} with a contents page and a shared who's who, in one file.")
    if pdf:
        pdf_file = html_file.with_suffix(".pdf")
        refuse_to_overwrite(pdf_file, lambda head: head.startswith(b"%PDF"))
        paper = paper_size(site)
        printed = in_browser(html_file, lambda page: print_with_page_numbers(page, paper))
        write_file(pdf_file, printed.data)
        print(f"Wrote {_shown(pdf_file)} ({printed.pages} pages, {paper}).")
    return 0


def make_reader(site: Site, articles: list[Article], title: str, base_url: str) -> str:
    """The reader's HTML: the first article's page as the shell, its <main> replaced by the whole course."""
    assert site.pages is not None
    strings = site.pages.strings
    pages = {article.slug: BeautifulSoup(site.pages.article(article), "html.parser") for article in articles}
    shell = pages[articles[0].slug]
    leave_out(shell)
    for tag in shell.select("[data-gloss-site-footer] a"):
        tag.unwrap()
    generator = shell.find("meta", attrs={"name": "generator"})
    if isinstance(generator, Tag):
        generator["content"] = MARK
    if shell.title is not None:
        shell.title.string = title
    main = shell.select_one("main")
    assert main is not None
    prefix = {article.slug: f"a{n}-" for n, article in enumerate(articles, start=1)}
    who = whos_who_entities(site, articles)
    parts = [cover(shell, site, title, articles, base_url), contents(shell, articles, prefix, strings)]
    for article in articles:
        parts.append(reader_article(site, article, pages[article.slug], prefix, who))
    parts.append(whos_who(shell, site, articles, prefix, who, strings))
    main.clear()
    for part in parts:
        main.append(part)
    inline_media(shell, site, articles[0].output)
    return finish(shell, site, title, extra_css=READER_PRINT_CSS, extra_screen_css=READER_SCREEN_CSS)


def cover(soup: BeautifulSoup, site: Site, title: str, articles: list[Article], base_url: str) -> Tag:
    config = site.edition.config
    section = soup.new_tag("section", attrs={"class": "reader-cover"})
    heading = soup.new_tag("h1", id="reader-title")
    heading.append(title)
    section.append(heading)
    line = soup.new_tag("p", attrs={"class": "reader-edition"})
    line.append(config.title + (f" · {config.author}" if config.author else ""))
    section.append(line)
    count = soup.new_tag("p", attrs={"class": "reader-count"})
    count.append(f"{len(articles)} article{'s' * (len(articles) != 1)}")
    section.append(count)
    if base_url:
        online = absolute_url(base_url, "index.html")
        where = soup.new_tag("p", attrs={"class": "reader-online"})
        link = soup.new_tag("a", href=online)
        link.append(online)
        where.append(link)
        section.append(where)
        svg = BeautifulSoup(qr_svg(online), "html.parser").svg
        assert svg is not None
        svg["role"] = "img"
        svg["aria-label"] = f"QR code: {online}"
        section.append(svg)
    return section


def contents(soup: BeautifulSoup, articles: list[Article], prefix: dict[str, str], strings: dict[str, str]) -> Tag:
    """The table of contents; the PDF fills in each entry's page number (span.toc-page)."""
    nav = soup.new_tag("nav", attrs={"class": "reader-toc", "aria-labelledby": "h-contents"})
    heading = soup.new_tag("h2", id="h-contents")
    heading.append(strings.get("contents", "Contents"))
    nav.append(heading)
    listing = soup.new_tag("ol")
    entries = [(f"{prefix[a.slug]}top", a.title, a.publication) for a in articles]
    entries.append(("whos-who", strings.get("whos_who", "Who’s who"), ""))
    for target, text, detail in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{target}", attrs={"class": "toc-title"})
        link.append(text)
        item.append(link)
        if detail:
            small = soup.new_tag("span", attrs={"class": "toc-detail"})
            small.append(detail)
            item.append(" ")
            item.append(small)
        page = soup.new_tag("span", attrs={"class": "toc-page", "data-target": target})
        item.append(page)
        listing.append(item)
    nav.append(listing)
    return nav


def whos_who_entities(site: Site, articles: list[Article]) -> list:
    """Every entity the articles mention, A–Z."""
    assert site.links is not None
    chosen = {a.slug for a in articles}
    found = [site.edition.entities[entity_id] for entity_id, mentions in site.links.mentions.items()
             if any(m.article in chosen for m in mentions)]
    return sorted(found, key=_SORT_KEY)


def reader_article(site: Site, article: Article, soup: BeautifulSoup, prefix: dict[str, str], who: list) -> Tag:
    """One article of the reader: its header, text with ¶ numbers and its numbered notes, every id prefixed."""
    leave_out(soup)
    element = soup.select_one("article.article")
    assert element is not None
    mine = prefix[article.slug]
    element["id"] = f"{mine}top"
    for heading in reversed(element.select("h1, h2, h3, h4, h5")):  # the reader's title is the h1
        heading.name = f"h{int(heading.name[1]) + 1}"
    ids = {str(tag["id"]) for tag in element.select("[id]")}
    articles = {a.output: a for a in site.edition.articles if a.slug in prefix}
    entity_of = {e.output: e.id for e in site.edition.entities.values()}
    listed = {e.id for e in who}
    for link in element.select("a[href]"):
        href = str(link["href"])
        if _SCHEME.match(href):
            continue
        if href.startswith("#"):
            if href[1:] in ids:
                continue
            unlink(link)
            continue
        target, fragment = _target(article.output, href), urlsplit(href).fragment
        entity_id = entity_of.get(target)
        if target in articles:
            link["href"] = f"#{fragment}" if target == article.output and fragment else \
                f"#{prefix[articles[target].slug]}{fragment or 'top'}"
        elif entity_id and f"note-{entity_id}" in ids and "note-name" not in link.get("class", []):
            link["href"] = f"#note-{entity_id}"
        elif entity_id in listed:
            link["href"] = f"#who-{entity_id}"
        else:
            unlink(link)
    number_note_mentions(element)
    _prefix_ids(element, mine)
    return element


def _prefix_ids(element: Tag, prefix: str) -> None:
    """Every id inside the article, and every reference to one, made unique in the reader."""
    ids = {str(tag["id"]) for tag in element.select("[id]")}
    for tag in element.select("[id]"):
        if not str(tag["id"]).startswith(prefix):
            tag["id"] = prefix + str(tag["id"])
    for tag in element.select("[href^='#']"):
        if str(tag["href"])[1:] in ids:
            tag["href"] = f"#{prefix}{str(tag['href'])[1:]}"
    for attribute in ("data-note", "aria-labelledby", "aria-describedby", "aria-controls"):
        for tag in element.select(f"[{attribute}]"):
            value = str(tag[attribute])
            tag[attribute] = " ".join(prefix + v if v in ids else v for v in value.split())


def whos_who(soup: BeautifulSoup, site: Site, articles: list[Article], prefix: dict[str, str], who: list,
             strings: dict[str, str]) -> Tag:
    """One entry per entity, glossed in full once, with the articles and ¶ that mention it."""
    assert site.pages is not None and site.links is not None
    section = soup.new_tag("section", attrs={"class": "whos-who", "id": "whos-who", "aria-labelledby": "h-whos-who"})
    heading = soup.new_tag("h2", id="h-whos-who")
    heading.append(strings.get("whos_who", "Who’s who"))
    section.append(heading)
    listing = soup.new_tag("ul", attrs={"class": "who-list"})
    listed = {e.id for e in who}
    titles = {a.slug: a.title for a in articles}
    page = articles[0].output
    for entity in who:
        item = soup.new_tag("li", id=f"who-{entity.id}", attrs={"class": "who", "data-kind": entity.kind.key})
        head = soup.new_tag("p", attrs={"class": "note-head"})
        name = soup.new_tag("strong", attrs={"class": "note-name"})
        name.append(entity.name)
        head.append(name)
        head.append(f" · {entity.kind.singular}" + (f" · {entity.date_line()}" if entity.date_line() else ""))
        item.append(head)
        if entity.facts.get("role"):
            role = soup.new_tag("p", attrs={"class": "note-role"})
            role.append(entity.facts["role"])
            item.append(role)
        summary_html = site.pages.summary(entity, page)[0]
        if summary_html:
            summary = soup.new_tag("p", attrs={"class": "note-text"})
            for child in list(BeautifulSoup(summary_html, "html.parser").contents):
                summary.append(child)
            item.append(summary)
        if entity.gloss.strip():
            blocks = gloss_blocks(site, entity, page, soup)
            if cap_text(blocks, GLOSS_CAP) and site.edition.config.base_url:
                address = absolute_url(site.edition.config.base_url, entity.output)
                more = soup.new_tag("a", href=address)
                more.append(address)
                blocks[-1].append(" ")
                blocks[-1].append(more)
            for block in blocks:
                item.append(block)
        where = soup.new_tag("p", attrs={"class": "who-mentions"})
        by_article: dict[str, list[int]] = {}
        for mention in site.links.mentions[entity.id]:
            if mention.article in titles and mention.paragraph:
                numbers = by_article.setdefault(mention.article, [])
                if mention.paragraph not in numbers:
                    numbers.append(mention.paragraph)
        for n, (slug, numbers) in enumerate(by_article.items()):
            if n:
                where.append("; ")
            label = soup.new_tag("span", attrs={"class": "who-article"})
            label.append(titles[slug])
            where.append(label)
            for k, number in enumerate(numbers):
                where.append(" " if k == 0 else ", ")
                link = soup.new_tag("a", href=f"#{prefix[slug]}p{number}")
                link.append(f"¶ {number}")
                where.append(link)
        item.append(where)
        listing.append(item)
    # References inside the glosses: to another entry of the who's who, or plain text.
    entity_of = {e.output: e.id for e in site.edition.entities.values()}
    for link in listing.select("a[href]"):
        href = str(link["href"])
        if href.startswith("#") or _SCHEME.match(href):
            continue
        entity_id = entity_of.get(_target(page, href))
        if entity_id in listed:
            link["href"] = f"#who-{entity_id}"
            for attribute in ("data-note", "data-n", "aria-expanded"):
                if attribute in link.attrs:
                    del link[attribute]
        else:
            unlink(link)
    section.append(listing)
    return section


# ---------------------------------------------------------------------------------------------- the PDF

def print_with_page_numbers(page, paper: str) -> Printed:
    """Print, read from the PDF's outline the page each article (and the who's who) starts on, write those
    numbers into the contents, and print again (again, should the numbers have moved anything)."""
    targets = page.evaluate("() => [...document.querySelectorAll('.toc-page')].map(s => s.dataset.target)")
    data = print_page(page, paper)
    for _ in range(3):
        starts = start_pages(data, targets)
        page.evaluate("""(starts) => {
          for (const span of document.querySelectorAll('.toc-page')) span.textContent = String(starts[span.dataset.target]);
        }""", starts)
        data = print_page(page, paper)
        if start_pages(data, targets) == starts:
            break
    return measure(data)


def start_pages(data: bytes, targets: list[str]) -> dict[str, int]:
    """{target id: page number} for the contents' entries (the articles, then the who's who), from the PDF's
    outline (bookmarks), whose entries under the reader's title are Contents, each article, Who's who."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    chapters = [entry for entry in outline_entries(reader) if entry[0] == 1][1:]
    if len(chapters) != len(targets):
        raise GlossError(Problem("gloss reader", 0, 0, "error", f"the PDF's outline has {len(chapters)} chapters "
                                 f"for {len(targets)} entries of the contents", "is the theme's article heading "
                                 "an <h1>? print reader.html from a browser meanwhile"))
    return {target: number for target, (_, _, number) in zip(targets, chapters, strict=True)}


def outline_entries(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every outline entry, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, re.sub(r"\s+", " ", str(item.title)).strip(),
                              reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


READER_SCREEN_CSS = """
/* The course reader on screen. */
.reader-cover { max-width: var(--measure); margin: 2rem 0 3rem 2.5rem; }
.reader-cover h1 { font-size: 2.2rem; line-height: 1.15; }
.reader-cover .handout-qr { float: none; display: block; margin: 1rem 0; }
.reader-toc { max-width: var(--measure); margin: 0 0 3rem 2.5rem; font-family: var(--sans); }
.reader-toc ol { padding-left: 1.5rem; }
.reader-toc li { margin: 0.3rem 0; }
.toc-detail { color: var(--muted); font-size: 0.85em; }
.toc-page:empty { display: none; }
.reader-toc + .article, .article + .article, .article + .whos-who { border-top: 2px solid var(--rule); margin-top: 3rem;
  padding-top: 1rem; }
.whos-who { max-width: var(--measure); margin: 3rem 0 0 2.5rem; font: 0.95rem/1.5 var(--sans); }
.who-list { list-style: none; padding: 0; }
.who { margin: 0 0 1.2rem; }
.who p { margin: 0.15rem 0; }
.who-mentions { color: var(--muted); font-size: 0.9em; }
.who-article { font-style: italic; }
@media (max-width: 40rem) { .reader-cover, .reader-toc, .whos-who { margin-left: 0; } }
"""

READER_PRINT_CSS = """
/* The course reader on paper: a cover, the contents with page numbers, each article from a new page. */
.reader-cover { break-after: page; padding-top: 55mm; }
.reader-cover h1 { font-size: 28pt; line-height: 1.15; margin: 0 0 6mm; }
.reader-edition, .reader-count, .reader-online { font: 11pt/1.4 var(--sans); margin: 0 0 2mm; }
.reader-cover .handout-qr { float: none; display: block; width: 28mm; height: 28mm; margin: 8mm 0 0; }
/* The padding keeps the heading's glyphs off the page's top edge: Chromium otherwise paints them for the
   cover's page too (clipped) and the PDF bookmark reads "ContentsContents". */
.reader-toc { break-after: page; padding-top: 2mm; font: 11pt/1.5 var(--sans); }
.reader-toc h2 { font-size: 16pt; margin: 0 0 5mm; }
.reader-toc ol { margin: 0; padding-left: 6mm; }
.reader-toc li { display: flex; align-items: baseline; gap: 2mm; margin: 0 0 2mm; }
.reader-toc .toc-title { flex: 0 1 auto; }
.toc-detail { color: #444; font-size: 9pt; }
.reader-toc .toc-page { margin-left: auto; min-width: 8mm; text-align: right; }
.reader-toc li::after { content: none; }
article.article + article.article, .whos-who { break-before: page; }
.article-header h2 { font-size: 21pt; line-height: 1.15; margin: 1.5mm 0 2mm; letter-spacing: -0.01em; }
.whos-who { font: 8.5pt/1.35 var(--sans); }
.whos-who h2 { font-size: 16pt; margin: 0 0 4mm; }
.who-list { list-style: none; margin: 0; padding: 0; columns: 2; column-gap: 8mm; }
.who { margin: 0 0 2.5mm; break-inside: avoid; }
.who p { margin: 0.4mm 0 0; }
.who .note-head { font-weight: 400; }
.who .note-name { font-weight: 650; }
.who-mentions { color: #333; }
.who-mentions a { white-space: nowrap; }
.who-article { font-style: italic; }
"""
