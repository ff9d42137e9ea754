"""`gloss handout`: one article as ONE self-contained HTML file, and with --pdf a PDF, for a class.

The file carries its CSS, script, images and notes inside it, so it works opened from an e-mail attachment:
notes open on screen (the inline script is allowed by its hash in the page's Content-Security-Policy), and
printing gives the handout layout of print.css. It links to nothing but itself and other sites: links to
entity pages go to the entity's endnote (or who's-who entry) inside the file; links to other pages of the
edition become plain text. Handouts are written only into handouts/ (or --out).
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import io
import math
import mimetypes
import os
import posixpath
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from .match.quotes import QuoteNotFound, TextIndex
from .model import Article
from .problems import GlossError, Problem, Problems
from .render.markdown import render_inline, render_markdown
from .render.urls import absolute_url
from .site import Site
from .stages import pygments_css
from .write import MARKER, write_atomically

MARK = "Gloss handout"  # <meta name="generator">: a handout may be replaced by the next one, nothing else
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LETTER_LANGUAGES = ("en-us", "en-ca", "es-mx", "fr-ca")


def handout_command(site_file: Path, article: str, pdf: bool, out: Path | None,
                    options: HandoutOptions | None = None) -> int:
    """Write handouts/<slug>.html (and .pdf); report edition problems like `gloss build` does."""
    options = options or HandoutOptions()
    site = load_site(site_file, "handout", options.base_url or None)
    if site is None:
        return 1
    chosen = find_article(site, article)
    folder = (out or site.edition.config.root / "handouts").resolve()
    check_handout_folder(folder, site)
    html_file = folder / f"{chosen.slug}.html"
    refuse_to_overwrite(html_file, lambda head: f'content="{MARK}"'.encode() in head)
    html = make_handout(site, chosen, options)
    folder.mkdir(parents=True, exist_ok=True)
    write_file(html_file, html.encode("utf-8"))
    print(f"Wrote {_shown(html_file)} ({len(html.encode('utf-8')) // 1024} KB): one file with its styles, "
          "script and notes; open it, e-mail it or print it.")
    if pdf:
        pdf_file = html_file.with_suffix(".pdf")
        refuse_to_overwrite(pdf_file, lambda head: head.startswith(b"%PDF"))
        paper = paper_size(site, chosen.language)
        printed = write_pdf(html_file, pdf_file, paper)
        print(f"Wrote {_shown(pdf_file)} ({printed.pages} page{'s' * (printed.pages != 1)}, {paper}"
              f"{f', printed at {printed.scale:.0%} to fill its last page' if printed.scale != 1 else ''}).")
    return 0


def load_site(site_file: Path, what: str, base_url: str | None = None) -> Site | None:
    """The analysed edition (drafts included: a teacher may hand out a draft), or None after reporting its errors."""
    problems = Problems()
    site = Site.load(site_file, problems, base_url=base_url, drafts=True).analyse()
    if problems.items:
        print(problems.as_text(), file=sys.stderr)
    if problems.errors:
        print(f"No {what} written: {len(problems.errors)} error(s) in the edition.", file=sys.stderr)
        return None
    return site


def paper_size(site: Site, language: str = "") -> str:
    return "Letter" if (language or site.edition.config.language).lower() in LETTER_LANGUAGES else "A4"


def find_article(site: Site, name: str) -> Article:
    """The article named by its slug, its content/<slug>.md path or its <slug>.html output."""
    slug = Path(name).stem if name.endswith((".md", ".html")) else name
    for article in site.edition.articles:
        if article.slug == slug:
            return article
    known = ", ".join(a.slug for a in site.edition.articles) or "none yet: add one with `gloss import FILE`"
    raise GlossError(Problem("gloss handout", 0, 0, "error", f"no article `{name}` in this edition",
                             f"name one by its slug: {known}"))


def check_handout_folder(folder: Path, site: Site) -> None:
    """Never write among the edition's own files or into a site build (the next build would lose it)."""
    config = site.edition.config
    for own in (config.root / "content", config.root / "annotations", *site.edition.theme_dirs):
        own = own.resolve()
        if folder == own or own in folder.parents:
            raise GlossError(Problem(str(folder), 0, 0, "error", "refusing to write a handout among the edition's "
                                     "own files", "choose another --out folder, e.g. handouts/"))
    if (folder / MARKER).exists():
        raise GlossError(Problem(str(folder), 0, 0, "error", "refusing to write a handout into a site build "
                                 "(each build replaces that folder whole)", "choose another --out folder, e.g. handouts/"))
    if folder.exists() and not folder.is_dir():
        raise GlossError(Problem(str(folder), 0, 0, "error", "the --out path is a file",
                                 "choose a folder, e.g. handouts/"))


def refuse_to_overwrite(path: Path, ours) -> None:
    """A file may be replaced only when it is an earlier handout."""
    if path.is_dir() or (path.exists() and not ours(path.read_bytes()[:4096])):
        raise GlossError(Problem(str(path), 0, 0, "error", "refusing to overwrite a file that is not a handout",
                                 "move it away, or choose another --out folder"))


def write_file(path: Path, data: bytes) -> None:
    """A handout, reader or EPUB file: whole or not at all, readable by all (write.write_atomically)."""
    write_atomically(path, data, mode=0o644)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------- the file

def theme_file(site: Site, name: str) -> str:
    """A static file of the theme (a site's own theme first, then the default), as text."""
    for folder in site.edition.theme_dirs:
        path = folder / "static" / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def css_string(text: str) -> str:
    """A CSS string literal, safe inside <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return f'"{escaped}"'


@dataclass
class HandoutOptions:
    """What a teacher can ask of a handout besides the article."""

    questions: bool = False  # print the article's [[question]] entries at the end
    wide_margins: bool = False  # a wide right margin for students' own notes
    base_url: str = ""  # the online edition's address (default: site.toml's base_url)


# What a handout, a course reader or an EPUB leaves out of an article page: what needs other pages or a server
# (the site's navigation, links between pages, search), screen-only controls (reader settings, cite), and the
# "In this article" panel, whose entities the notes gloss in full. The theme marks them with the contract's
# hooks (generator/render/theme.py: data-gloss-screen-only, data-gloss-whos-who; data-gloss-print="omit" is
# honoured too). The class names after them are the search box, settings and cite control being added by
# other issues, until their templates carry data-gloss-screen-only.
LEFT_OUT = ('link[rel~="stylesheet"], link[rel="canonical"], script[src], script[type="application/ld+json"], '
            "[data-gloss-screen-only], [data-gloss-whos-who], [data-gloss-print=\"omit\"], "
            '.site-search, .search, form[role="search"], .reader-settings, .settings, .cite, .cite-this')


def leave_out(soup: BeautifulSoup) -> None:
    """Remove from an article page what a handout (or course reader, or EPUB) cannot use."""
    for tag in soup.select(LEFT_OUT):
        tag.decompose()


def make_handout(site: Site, article: Article, options: HandoutOptions | None = None) -> str:
    """The article page with everything it needs inside it and every link pointing inside it (or off-site):
    each entity glossed once in full in the numbered notes, a title block with the source and the online
    edition's address (and its QR code), and, when asked, discussion questions."""
    options = options or HandoutOptions()
    config = site.edition.config
    base_url = options.base_url or config.base_url
    soup = BeautifulSoup(site.pages.article(article), "html.parser")  # type: ignore[union-attr]
    page = article.output
    leave_out(soup)
    generator = soup.find("meta", attrs={"name": "generator"})
    if isinstance(generator, Tag):
        generator["content"] = MARK
    strings = site.pages.strings  # type: ignore[union-attr]
    full_glosses(soup, site, page, base_url)
    retarget_links(soup, site, page)
    inline_media(soup, site, page)
    title_block(soup, site, article, base_url)
    if options.questions:
        questions_section(soup, site, article, strings)
    for link in soup.select("[data-gloss-site-footer] a"):
        link.unwrap()
    running = f"{article.title} — {config.title}"
    return finish(soup, site, running, options.wide_margins)


GLOSS_CAP = 600  # characters of a gloss's text printed in a note; a longer one ends with … and its address


def full_glosses(soup: BeautifulSoup, site: Site, page: str, base_url: str) -> None:
    """Each entity's numbered note in full: its head (name, kind, dates), role and summary as on the page, then
    the gloss's text, cut at GLOSS_CAP characters with an ellipsis and the web address of the full entry."""
    assert site.pages is not None
    entities, strings = site.edition.entities, site.pages.strings
    for note in soup.select("[data-gloss-endnotes] li[data-gloss-note][data-kind]"):
        entity = entities.get(str(note["id"]).removeprefix("note-"))
        if entity is None or not entity.gloss.strip():
            continue
        blocks = gloss_blocks(site, entity, page, soup)
        cut = cap_text(blocks, GLOSS_CAP)
        if cut and base_url:
            address = absolute_url(base_url, entity.output)
            more = soup.new_tag("a", href=address)
            more.append(address)
            blocks[-1].append(" ")
            blocks[-1].append(more)
            blocks[-1]["class"] = [*blocks[-1].get("class", []), "note-cut"]
            more["aria-label"] = f"{strings.get('open_page', 'Full entry')}: {entity.name}"
        anchor = note.select_one(".note-text") or note.select_one(".note-role") or note.select_one(".note-head")
        for block in reversed(blocks):
            anchor.insert_after(block)  # type: ignore[union-attr]
        back = note.select_one(".note-links")
        if back is not None and blocks:  # "↩ ¶ 4" ends the gloss's last line rather than standing on its own
            blocks[-1].append(" ")
            for child in list(back.contents):
                blocks[-1].append(child.extract())
            back.decompose()


def gloss_blocks(site: Site, entity, page: str, soup: BeautifulSoup) -> list[Tag]:
    """The gloss's paragraphs (and list items) as <p class="note-gloss"> tags, rendered for `page`."""
    assert site.pages is not None
    ctx = site.pages.markup_context(entity, line=entity.gloss_line)
    html = render_markdown(entity.gloss, ctx, page, site.edition.config.raw_html)
    fragment = BeautifulSoup(html, "html.parser")
    blocks: list[Tag] = []
    for part in fragment.find_all(["p", "li", "blockquote", "td"]):
        if part.find(["p", "li"]):  # a container: its own paragraphs are taken
            continue
        block = soup.new_tag("p", attrs={"class": "note-gloss"})
        for child in list(part.contents):
            block.append(child.extract())
        if block.get_text(strip=True):
            blocks.append(block)
    return blocks


def cap_text(blocks: list[Tag], limit: int) -> bool:
    """Cut the blocks' text after `limit` characters, at a word, with an ellipsis; True when cut."""
    used, cut = 0, False
    for block in list(blocks):
        if cut:
            block.decompose()
            blocks.remove(block)
            continue
        for node in list(block.find_all(string=True)):
            if cut:
                node.extract()
                continue
            text = str(node)
            if used + len(text) <= limit:
                used += len(text)
                continue
            keep = text[: max(0, limit - used)]
            keep = keep[: keep.rfind(" ")] if " " in keep else ""
            node.replace_with(keep.rstrip(" ,;:.—–-") + "…")
            cut = True
        if cut:
            for tag in reversed(block.find_all(True)):
                if not tag.get_text(strip=True) and tag.name not in ("img", "br"):
                    tag.decompose()
    return cut


def retarget_links(soup: BeautifulSoup, site: Site, page: str) -> None:
    """Every link to the article points inside the file; links to an entity go to its note; other pages of the
    edition become plain text (links to other sites stay)."""
    edition = site.edition
    entity_of = {e.output: e.id for e in edition.entities.values()}
    ids = {str(tag["id"]) for tag in soup.select("[id]")}
    for link in soup.select("a[href]"):
        href = str(link["href"])
        if href.startswith("#") or _SCHEME.match(href):
            if href.startswith("#") and href[1:] not in ids and link.get("data-note"):
                unlink(link)
            continue
        target, fragment = _target(page, href), urlsplit(href).fragment
        entity_id = entity_of.get(target)
        if target == page:
            link["href"] = f"#{fragment}" if fragment else "#main"
        elif entity_id and f"note-{entity_id}" in ids:
            link["href"] = f"#note-{entity_id}"
        else:
            unlink(link)
    number_note_mentions(soup)


def number_note_mentions(soup: BeautifulSoup) -> None:
    """A mention inside a note shows, on paper, the number of its own endnote (when it has one)."""
    endnotes = {li["id"]: li.get("value", "") for li in soup.select("[data-gloss-endnotes] li[data-gloss-note][id]")}
    for mention in soup.select("[data-gloss-note] a.mention[data-note]"):
        del mention["data-n"]
        number = endnotes.get(str(mention["data-note"]))
        if number:
            mention["data-endnote"] = number


def unlink(link: Tag) -> None:
    """A link that would lead out of the file becomes its text."""
    link.name = "span"
    for attribute in ("href", "data-note", "data-n", "aria-expanded"):
        if attribute in link.attrs:
            del link[attribute]


def inline_media(soup: BeautifulSoup, site: Site, page: str) -> None:
    """Images from content/media/ as data: URLs; an image the edition lacks becomes its alt text."""
    media = {path: source for source, path in site.edition.media}
    for image in soup.select("img[src]"):
        src = str(image["src"])
        if src.startswith("data:") or _SCHEME.match(src):
            continue
        source = media.get(_target(page, src))
        if source is None:
            image.replace_with(soup.new_string(str(image.get("alt", ""))))
            continue
        kind = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        image["src"] = f"data:{kind};base64," + base64.b64encode(source.read_bytes()).decode("ascii")
        del image["loading"]


def qr_svg(address: str) -> str:
    """The address as a QR code, inline SVG (segno: a maintained, dependency-free encoder)."""
    import segno

    code = segno.make(address, error="m")
    return code.svg_inline(scale=1, border=0, omitsize=True, svgclass="handout-qr", lineclass=None)


def title_block(soup: BeautifulSoup, site: Site, article: Article, base_url: str) -> None:
    """The edition the handout comes from, with the online page's address and a QR code for it."""
    config = site.edition.config
    header = soup.select_one("[data-gloss-article-header]")
    if header is None:
        return
    line = soup.new_tag("p", attrs={"class": "handout-edition"})
    line.append(config.title + (f" · {config.author}" if config.author else ""))
    if base_url:
        online = absolute_url(base_url, article.output)
        line.append(" · ")
        link = soup.new_tag("a", href=online, attrs={"class": "handout-online"})
        link.append(online)
        line.append(link)
        figure = BeautifulSoup(qr_svg(online), "html.parser")
        svg = figure.svg
        assert svg is not None
        svg["role"] = "img"
        svg["aria-label"] = f"QR code: {online}"
        header.insert(0, svg)
        header["class"] = [*header.get("class", []), "has-qr"]
    header.insert(0, line)


def question_paragraphs(site: Site, article: Article, problems: Problems | None = None) -> list[tuple]:
    """(question, the ¶ its quote is in) for each [[question]] of the article, matched like a passage note's
    quote on the text of its numbered paragraphs. A quote that matches no ¶ (or several) is an error: raised,
    or added to `problems` (all of them) when given."""
    sidecar = site.edition.sidecars.get(article.slug)
    if sidecar is None or not sidecar.questions:
        return []
    assert site.pages is not None
    body = BeautifulSoup(site.pages.bodies[article.slug].html, "html.parser")
    numbers, texts = [], []
    for paragraph in body.select("[id^=p]"):
        if paragraph.select_one(":scope > a.pnum") is None:
            continue
        for extra in paragraph.select("a.pnum, a.note-ref"):
            extra.decompose()
        numbers.append(int(str(paragraph["id"])[1:]))
        texts.append(paragraph.get_text())
    index = TextIndex(texts)
    found = []
    for question in sidecar.questions:
        try:
            found.append((question, numbers[index.find(question.quote).block]))
        except QuoteNotFound as missing:
            problem = Problem(str(sidecar.path), question.line, 0, "error", f"[[question]] {missing.message}",
                              missing.fix)
            if problems is None:
                raise GlossError(problem) from None
            problems.error(sidecar.path, question.line, problem.message, problem.fix)
    return found


def check_questions(site: Site, problems: Problems) -> None:
    """`gloss check`: every [[question]] quote must name one ¶ of its article."""
    for article in site.edition.articles:
        question_paragraphs(site, article, problems)


def questions_section(soup: BeautifulSoup, site: Site, article: Article, strings: dict[str, str]) -> None:
    """The article's [[question]] entries, numbered, each with the ¶ its quote is in, after the notes."""
    sidecar = site.edition.sidecars.get(article.slug)
    questions = sidecar.questions if sidecar else []
    section = soup.new_tag("section", attrs={"class": "questions", "aria-labelledby": "h-questions"})
    heading = soup.new_tag("h2", id="h-questions")
    heading.append(strings.get("questions", "Questions for discussion"))
    section.append(heading)
    if not questions:
        raise GlossError(Problem(str(sidecar.path if sidecar else Path("annotations/notes") / f"{article.slug}.toml"),
                                 0, 0, "error", "--questions: this article has no [[question]] entries",
                                 'add [[question]] with exact = "words of the ¶ it is about" and body = "the question"'))
    listing = soup.new_tag("ol", attrs={"class": "question-list"})
    assert site.pages is not None and sidecar is not None
    for question, paragraph in question_paragraphs(site, article):
        number = f"p{paragraph}"
        item = soup.new_tag("li", attrs={"class": "question"})
        ctx = site.pages.markup_context(source=sidecar.path, line=question.line)
        text = BeautifulSoup(render_inline(question.body, ctx, article.output, site.edition.config.raw_html),
                             "html.parser")
        body = soup.new_tag("span", attrs={"class": "question-text"})
        for child in list(text.contents):
            body.append(child.extract())
        item.append(body)
        where = soup.new_tag("a", href=f"#{number}", attrs={"class": "question-where"})
        where.append(f"¶ {number[1:]}")
        item.append(" ")
        item.append(where)
        listing.append(item)
    section.append(listing)
    anchor = soup.select_one("[data-gloss-endnotes]") or soup.select_one(".article-layout")
    assert anchor is not None
    anchor.insert_after(section)


def finish(soup: BeautifulSoup, site: Site, running: str, wide_margins: bool = False,
           extra_css: str = "", extra_screen_css: str = "") -> str:
    """Inline the theme's styles and script (each allowed by its hash in the page's CSP) and return the HTML."""
    screen = _safe_css(theme_file(site, "gloss.css") + "\n" + pygments_css() + HANDOUT_SCREEN_CSS + extra_screen_css)
    paper = _safe_css(theme_file(site, "print.css") + HANDOUT_PRINT_CSS + extra_css +
                      "\n@page { @top-left { content: " + css_string(running) +
                      "; font: 7.5pt \"Noto Sans\", \"DejaVu Sans\", sans-serif; color: #555; } }\n"
                      "@page :first { @top-left { content: none; } }\n" + (WIDE_MARGINS_CSS if wide_margins else ""))
    script = theme_file(site, "gloss.js").replace("</", "<\\/")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    if isinstance(policy, Tag):
        policy["content"] = (f"default-src 'none'; script-src {csp_hash(script)}; "
                             f"style-src {csp_hash(screen)} {csp_hash(paper)}; img-src data:; "
                             "base-uri 'none'; form-action 'none'")
    html = str(soup)
    inline = (f"<style>{screen}</style>\n<style media=\"print\">{paper}</style>\n"
              f"<script>{script}</script>\n</head>")
    head_end = html.index("</head>")
    return html[:head_end] + inline + html[head_end + len("</head>"):]


HANDOUT_SCREEN_CSS = """
/* The handout on screen: the article alone, with where it comes from. */
.handout-edition { font: 0.85rem/1.4 var(--sans); color: var(--muted); margin: 1rem 0 0; }
.handout-qr { float: right; width: 6rem; height: 6rem; margin: 0 0 0.5rem 1rem; }
.handout-qr path { stroke: currentColor; }
.endnotes .note-gloss { font-size: 0.95em; }
.questions { max-width: var(--measure); margin: 2rem 0 0 2.5rem; font: 1rem/1.5 var(--sans); }
@media (max-width: 40rem) { .questions { margin-left: 0; } }
"""

HANDOUT_PRINT_CSS = """
/* The handout on paper: the notes are the who's who, each entity glossed once in full. */
.handout-qr { float: right; width: 22mm; height: 22mm; margin: 0 0 2mm 5mm; }
.handout-qr path { stroke: #000; }
.endnotes .note p.note-gloss { display: block; margin: 0.6mm 0 0; }
.endnotes .note-gloss a[href^="http"]::after { content: none; }
.note-cut a { overflow-wrap: anywhere; }
.questions { margin: 7mm 0 0; border-top: 0.75pt solid #000; font: 9pt/1.4 var(--sans); break-inside: auto; }
.questions h2 { font-size: 12pt; margin: 3mm 0 1mm; }
.questions ol { margin: 0; padding-left: 5.5mm; }
.questions li { margin: 0 0 2.5mm; break-inside: avoid; }
.question-where { color: #555; white-space: nowrap; }
"""

WIDE_MARGINS_CSS = """
/* --wide-margins: a third of the page for students' own notes. */
@page { margin-right: 62mm; }
article.article { max-width: none; }
"""


def _safe_css(css: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def _target(page: str, href: str) -> str:
    """The output file a relative link from `page` points at."""
    path = unquote(urlsplit(href).path)
    if not path:
        return page
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


# ---------------------------------------------------------------------------------------------- the PDF

def find_chromium() -> str | None:
    """GLOSS_CHROMIUM, else the system's Chromium or Chrome; None lets Playwright use its own browser."""
    explicit = os.environ.get("GLOSS_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


MIN_FILL = 0.3  # a last page filled less than this (of its text area) is balanced away when it can be
MIN_SCALE = 0.88  # …by printing at most this much smaller


@dataclass
class Printed:
    data: bytes
    pages: int
    last_page_fill: float  # how much of the last page's text area holds text, 0–1
    scale: float = 1.0


def write_pdf(html_file: Path, pdf_file: Path, paper: str = "A4") -> Printed:
    """Print the handout through headless Chromium, balancing away a last page that holds only a few lines."""
    printed = in_browser(html_file, lambda page: balanced_print(page, paper))
    write_file(pdf_file, printed.data)
    return printed


def in_browser(html_file: Path, job: Callable) -> Printed:
    """job(page) on the file opened in headless Chromium (print media, fonts loaded).

    Runs in its own thread, so it works even where Playwright's sync API is already in use in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_in_browser, html_file, job).result()


def balanced_print(page, paper: str) -> Printed:
    """Print at full size; when the last page is nearly empty, print a little smaller (the scale computed from
    how much overflows) until the text fits on one page fewer, down to MIN_SCALE."""
    best = measure(print_page(page, paper, 1.0), 1.0)
    scale, current = 1.0, best
    for _ in range(3):
        if current.pages < 2 or current.last_page_fill >= MIN_FILL:
            break
        scale = round(scale * math.sqrt((current.pages - 1) / (current.pages - 1 + current.last_page_fill)) - 0.005, 3)
        if scale < MIN_SCALE:
            break
        current = measure(print_page(page, paper, scale), scale)
        if current.pages < best.pages:
            best = current
            break
    return best


def print_page(page, paper: str, scale: float = 1.0) -> bytes:
    data = page.pdf(format=paper, print_background=True, prefer_css_page_size=True, outline=True, tagged=True,
                    scale=scale)
    return deterministic_pdf(data)


def measure(data: bytes, scale: float = 1.0) -> Printed:
    """The page count and how far down its text area the last page's text reaches (page margins left out:
    the running head and page number stand there)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    last = reader.pages[-1]
    height = float(last.mediabox.height)
    top, bottom = height - PRINT_MARGINS[0], PRINT_MARGINS[1]
    lowest = [top]

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and bottom <= y <= top:
            lowest[0] = min(lowest[0], y)

    last.extract_text(visitor_text=visit)
    return Printed(data, len(reader.pages), round((top - lowest[0]) / (top - bottom), 3), scale)


PRINT_MARGINS = (15 / 25.4 * 72, 17 / 25.4 * 72)  # print.css's @page top and bottom margins, in points


def deterministic_pdf(data: bytes) -> bytes:
    """Chromium's PDF without the moment it was made: /CreationDate and /ModDate say 1 January 2000 (the same
    number of bytes, so the cross-reference table stays right). Same file, same bytes."""
    return re.sub(rb"(/(?:CreationDate|ModDate) ?\(D:)[0-9]{14}", rb"\g<1>20000101000000", data)


def _in_browser(html_file: Path, job: Callable):
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise GlossError(Problem("gloss handout", 0, 0, "error", "--pdf needs Playwright, which is not installed",
                                 f"{Path(sys.executable).name} -m pip install playwright (into the environment gloss runs "
                                 "in; Gloss's own extra [pdf] is the same) and a Chromium, e.g. "
                                 f"apt-get install chromium; or print {html_file.name} from a browser")) from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no browser"
            raise GlossError(Problem("gloss handout", 0, 0, "error", f"--pdf could not start Chromium: {first}",
                                     "install Chromium (apt-get install chromium) or set GLOSS_CHROMIUM to its "
                                     f"path; or print {html_file.name} from a browser")) from None
        try:
            page = browser.new_page()
            page.goto(html_file.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.evaluate("document.fonts.ready.then(() => true)")
            return job(page)
        finally:
            browser.close()
