"""`gloss epub`: the edition as one EPUB 3 — each article a chapter whose notes are pop-up footnotes, the
entities' entries (by kind, A–Z) as back matter linking back to each ¶, and a navigation document.

Written as a zip of our own rather than with ebooklib: the chapters are XHTML made from the rendered bodies
either way, and what remains (container.xml, the package document, the nav document, a zip with the mimetype
first and fixed timestamps) is about 80 lines here, without ebooklib's lxml dependency, its re-parsing of every
chapter, and with byte-identical output for the same edition (ebooklib stamps the zip entries with the time).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import posixpath
import uuid
import zipfile
from html import escape
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .handout import _SCHEME, _shown, gloss_blocks, load_site, write_file
from .model import Article, Entity
from .render.markdown import render_inline
from .render.pages import _SORT_KEY
from .site import Site
from .slug import slugify

XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
BACK_MATTER = "entities.xhtml"

EPUB_CSS = """body { font-family: serif; line-height: 1.5; margin: 0 1em; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
.kicker, .byline, .source { font-family: sans-serif; font-size: 0.85em; color: #444; }
.pnum { float: left; margin-left: -1.6em; width: 1.3em; text-align: right; font: 0.7em sans-serif; color: #666;
  text-decoration: none; padding-top: 0.35em; }
.article-body { margin-left: 1.6em; }
a.mention { color: inherit; text-decoration: underline dotted; }
a.note-ref { text-decoration: none; font-size: 0.75em; vertical-align: super; }
aside.footnote { font-size: 0.9em; border-top: 1px solid #999; margin-top: 1em; padding-top: 0.3em; }
.entry { margin: 0 0 1.2em; }
.entry .facts, .entry .mentions { font-family: sans-serif; font-size: 0.85em; color: #333; }
figure { margin: 1em 0; }
img { max-width: 100%; }
"""


def epub_command(site_file: Path, out: Path | None) -> int:
    """Write handouts/<the edition's title as a slug>.epub, or --out FILE."""
    site = load_site(site_file, "EPUB")
    if site is None:
        return 1
    root = site.edition.config.root
    name = slugify(site.edition.config.title) or root.resolve().name
    target = (out or root / "handouts" / f"{name}.epub").resolve()
    from .handout import check_handout_folder, refuse_to_overwrite

    check_handout_folder(target.parent, site)
    refuse_to_overwrite(target, lambda head: head.startswith(b"PK") and b"application/epub+zip" in head)
    data = make_epub(site)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_file(target, data)
    articles = len(site.edition.articles)
    print(f"Wrote {_shown(target)} ({len(data) // 1024} KB): {articles} chapter{'s' * (articles != 1)}, "
          f"{len(site.edition.entities)} entries, notes as pop-up footnotes.")
    return 0


def make_epub(site: Site) -> bytes:
    edition = site.edition
    articles = edition.articles
    files: dict[str, bytes] = {}
    chapters = {a.slug: f"text/{a.slug}.xhtml" for a in articles}
    media_used: dict[str, Path] = {}
    for article in articles:
        files[f"EPUB/{chapters[article.slug]}"] = chapter(site, article, chapters, media_used).encode("utf-8")
    files[f"EPUB/text/{BACK_MATTER}"] = back_matter(site, chapters).encode("utf-8")
    files["EPUB/nav.xhtml"] = nav_document(site, chapters).encode("utf-8")
    files["EPUB/style.css"] = EPUB_CSS.encode("utf-8")
    for path, source in sorted(media_used.items()):
        files[f"EPUB/{path}"] = source.read_bytes()
    files["EPUB/package.opf"] = package(site, chapters, sorted(media_used)).encode("utf-8")
    container = ('<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
                 'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n<rootfiles>\n'
                 '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>\n'
                 '</rootfiles>\n</container>\n')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", ZIP_TIME), container, zipfile.ZIP_DEFLATED)
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), files[name], zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xhtml(title: str, language: str, body: str, kind: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html {XHTML_NS} lang="{escape(language)}" '
            f'xml:lang="{escape(language)}">\n<head>\n<meta charset="UTF-8"/>\n<title>{escape(title)}</title>\n'
            f'<link rel="stylesheet" type="text/css" href="{"../" if kind else ""}style.css"/>\n</head>\n'
            f'<body{f" epub:type={chr(34)}{kind}{chr(34)}" if kind else ""}>\n{body}\n</body>\n</html>\n')


def chapter(site: Site, article: Article, chapters: dict[str, str], media_used: dict[str, Path]) -> str:
    """One article: its header, the text with ¶ numbers, and each note as an aside epub:type="footnote"."""
    assert site.pages is not None
    edition = site.edition
    body = site.pages.bodies[article.slug]
    soup = BeautifulSoup(body.html, "html.parser")
    entity_of = {e.output: e.id for e in edition.entities.values()}
    article_of = {a.output: a.slug for a in edition.articles}
    media = {path: source for source, path in edition.media}
    for link in soup.select("a[href]"):
        href = str(link["href"])
        note = link.get("data-note")
        for attribute in ("data-note", "data-n", "aria-expanded", "aria-haspopup"):
            if attribute in link.attrs:
                del link[attribute]
        if note:
            link["href"] = f"#{note}"
            link["epub:type"] = "noteref"
            continue
        if href.startswith("#") or _SCHEME.match(href):
            continue
        target, fragment = _target(article.output, href), urlsplit(href).fragment
        if target in entity_of:
            link["href"] = f"{BACK_MATTER}#e-{entity_of[target]}"
        elif target in article_of:
            link["href"] = posixpath.basename(chapters[article_of[target]]) + (f"#{fragment}" if fragment else "")
        else:
            link.name = "span"
            del link["href"]
    for image in soup.select("img[src]"):
        del image["loading"]
        src = str(image["src"])
        source = media.get(_target(article.output, src))
        if source is None:
            image.replace_with(soup.new_string(str(image.get("alt", ""))))
            continue
        media_used[_target(article.output, src)] = source
        image["src"] = "../" + _target(article.output, src)
    notes = []
    for number, (kind, value) in enumerate(body.notes, start=1):
        if kind == "entity":
            entity = edition.entities[value]
            summary = site.pages.summary(entity, "entities.xhtml")[0]
            head = f"<strong>{escape(entity.name)}</strong>, {escape(entity.kind.singular.lower())}"
            if entity.date_line():
                head += f", {escape(entity.date_line())}"
            text = _plain_links(summary)
            notes.append(f'<aside epub:type="footnote" class="footnote" id="note-{value}"><p>'
                         f'<a href="#ref-{value}">{number}.</a> {head}: {text} <a href="{BACK_MATTER}#e-{value}">'
                         f'{escape(site.pages.strings.get("open_page", "Full entry"))}</a></p></aside>')
        else:
            ctx = site.pages.markup_context(source=edition.sidecars[article.slug].path)
            text = _plain_links(render_inline(value, ctx, "entities.xhtml", edition.config.raw_html))
            notes.append(f'<aside epub:type="footnote" class="footnote" id="pn{number}"><p>'
                         f'<a href="#pnref{number}">{number}.</a> {text}</p></aside>')
    header = [f"<h1>{escape(article.title)}</h1>"]
    if article.publication:
        header.insert(0, f'<p class="kicker">{escape(article.publication)}</p>')
    if article.subtitle:
        header.append(f'<p class="subtitle">{escape(article.subtitle)}</p>')
    byline = " · ".join(x for x in (article.author, str(article.date) if article.date else "") if x)
    if byline:
        header.append(f'<p class="byline">{escape(byline)}</p>')
    for label, value in (("original", article.source), ("rights", article.rights)):
        if value:
            header.append(f'<p class="source">{escape(site.pages.strings.get(label, label))}: {escape(value)}</p>')
    html = (f'<section epub:type="chapter" id="top">\n<header>{"".join(header)}</header>\n'
            f'<div class="article-body">\n{str(soup)}\n</div>\n{"".join(notes)}\n</section>')
    return xhtml(article.title, article.language or edition.config.language, html, "bodymatter")


def _plain_links(html: str) -> str:
    """A note's HTML with its cross-references pointing at the back matter's entries."""
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select("a[href]"):
        for attribute in ("data-note", "data-n", "aria-expanded", "aria-haspopup"):
            if attribute in link.attrs:
                del link[attribute]
        href = str(link["href"])
        if _SCHEME.match(href):
            continue
        entity_id = posixpath.basename(unquote(urlsplit(href).path))[:-5]
        link["href"] = f"{BACK_MATTER}#e-{entity_id}" if entity_id else href
    return str(soup)


def back_matter(site: Site, chapters: dict[str, str]) -> str:
    """The indexes (each kind A–Z) with each entity's entry: facts, summary, gloss, and links back to the ¶."""
    assert site.pages is not None and site.links is not None
    edition = site.edition
    titles = {a.slug: a.title for a in edition.articles}
    parts = [f'<h1>{escape(site.pages.strings.get("whos_who", "Who’s who"))}</h1>']
    soup = BeautifulSoup("", "html.parser")
    for kind in edition.config.kinds.values():
        members = sorted((e for e in edition.entities.values() if e.kind == kind), key=_SORT_KEY)
        if not members:
            continue
        parts.append(f'<section epub:type="index" id="kind-{kind.key}">\n<h2>{escape(kind.label)}</h2>')
        for entity in members:
            parts.append(entry(site, entity, soup, titles, chapters))
        parts.append("</section>")
    body = "\n".join(parts)
    return xhtml(edition.config.title, edition.config.language, f'<section epub:type="backmatter">\n{body}\n</section>',
                 "backmatter")


def entry(site: Site, entity: Entity, soup: BeautifulSoup, titles: dict[str, str], chapters: dict[str, str]) -> str:
    assert site.pages is not None and site.links is not None
    facts = " · ".join(x for x in (entity.kind.singular, entity.date_line(), entity.facts.get("role", "")) if x)
    summary = _plain_links(site.pages.summary(entity, "entities.xhtml")[0])
    blocks = "".join(f"<p>{_plain_links(''.join(str(c) for c in block.contents))}</p>"
                     for block in gloss_blocks(site, entity, "entities.xhtml", soup))
    by_article: dict[str, list[int]] = {}
    for mention in site.links.mentions[entity.id]:
        if mention.paragraph and mention.article in titles:
            numbers = by_article.setdefault(mention.article, [])
            if mention.paragraph not in numbers:
                numbers.append(mention.paragraph)
    mentions = "; ".join(
        f"<i>{escape(titles[slug])}</i> " + ", ".join(
            f'<a href="{posixpath.basename(chapters[slug])}#p{n}">¶ {n}</a>' for n in numbers)
        for slug, numbers in by_article.items())
    return (f'<section class="entry" id="e-{entity.id}">\n<h3>{escape(entity.name)}</h3>\n'
            f'<p class="facts">{escape(facts)}</p>\n' + (f"<p>{summary}</p>\n" if summary else "") + blocks +
            (f'\n<p class="mentions">{mentions}</p>' if mentions else "") + "\n</section>")


def nav_document(site: Site, chapters: dict[str, str]) -> str:
    edition = site.edition
    strings = site.pages.strings if site.pages else {}
    items = "".join(f'<li><a href="{chapters[a.slug]}">{escape(a.title)}</a></li>\n' for a in edition.articles)
    kinds = "".join(f'<li><a href="text/{BACK_MATTER}#kind-{k.key}">{escape(k.label)}</a></li>\n'
                    for k in edition.config.kinds.values() if any(e.kind == k for e in edition.entities.values()))
    first = chapters[edition.articles[0].slug] if edition.articles else f"text/{BACK_MATTER}"
    body = (f'<nav epub:type="toc" id="toc">\n<h1>{escape(strings.get("contents", "Contents"))}</h1>\n<ol>\n{items}'
            f'<li><a href="text/{BACK_MATTER}">{escape(strings.get("whos_who", "Who’s who"))}</a>\n<ol>\n{kinds}</ol>'
            f'</li>\n</ol>\n</nav>\n<nav epub:type="landmarks" hidden="hidden">\n<ol>\n'
            f'<li><a epub:type="bodymatter" href="{first}">{escape(strings.get("articles", "Articles"))}</a></li>\n'
            f'<li><a epub:type="backmatter" href="text/{BACK_MATTER}">'
            f'{escape(strings.get("whos_who", "Who’s who"))}</a></li>\n</ol>\n</nav>')
    return xhtml(edition.config.title, edition.config.language, body)


def modified(site: Site) -> str:
    """dcterms:modified, the same for the same edition: SOURCE_DATE_EPOCH when set (reproducible builds), else
    the newest article's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = [a.date for a in site.edition.articles if a.date]
    newest = max(dates) if dates else None
    if newest is None:
        return "2000-01-01T00:00:00Z"
    return f"{newest.year:04d}-{newest.month or 1:02d}-{newest.day or 1:02d}T00:00:00Z"


def package(site: Site, chapters: dict[str, str], media: list[str]) -> str:
    edition, config = site.edition, site.edition.config
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, config.base_url or f"gloss-edition:{config.title}")
    creators = [config.author] if config.author else []
    for article in edition.articles:
        if article.author and article.author not in creators:
            creators.append(article.author)
    rights = sorted({a.rights for a in edition.articles if a.rights})
    meta = [f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
            f"<dc:title>{escape(config.title)}</dc:title>",
            f"<dc:language>{escape(config.language)}</dc:language>",
            *(f"<dc:creator>{escape(c)}</dc:creator>" for c in creators),
            *(f"<dc:rights>{escape(r)}</dc:rights>" for r in rights),
            *([f"<dc:description>{escape(config.description)}</dc:description>"] if config.description else []),
            f'<meta property="dcterms:modified">{modified(site)}</meta>']
    manifest = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
                '<item id="css" href="style.css" media-type="text/css"/>',
                f'<item id="back" href="text/{BACK_MATTER}" media-type="application/xhtml+xml"/>']
    spine = []
    for n, article in enumerate(edition.articles, start=1):
        manifest.append(f'<item id="c{n}" href="{chapters[article.slug]}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="c{n}"/>')
    for n, path in enumerate(media, start=1):
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        manifest.append(f'<item id="m{n}" href="{escape(path)}" media-type="{kind}"/>')
    spine.append('<itemref idref="back"/>')
    newline = "\n"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
            f'unique-identifier="uid" xml:lang="{escape(config.language)}">\n'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n{newline.join(meta)}\n</metadata>\n'
            f'<manifest>\n{newline.join(manifest)}\n</manifest>\n<spine>\n{newline.join(spine)}\n</spine>\n</package>\n')


def _target(page: str, href: str) -> str:
    path = unquote(urlsplit(href).path)
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
