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
import mimetypes
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from .model import Article
from .problems import GlossError, Problem, Problems
from .render.urls import absolute_url
from .site import Site
from .stages import pygments_css
from .write import MARKER

MARK = "Gloss handout"  # <meta name="generator">: a handout may be replaced by the next one, nothing else
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LETTER_LANGUAGES = ("en-us", "en-ca", "es-mx", "fr-ca")


def handout_command(site_file: Path, article: str, pdf: bool, out: Path | None) -> int:
    """Write handouts/<slug>.html (and .pdf); report edition problems like `gloss build` does."""
    problems = Problems()
    site = Site.load(site_file, problems, drafts=True).analyse()
    if problems.items:
        print(problems.as_text(), file=sys.stderr)
    if problems.errors:
        print(f"No handout written: {len(problems.errors)} error(s) in the edition.", file=sys.stderr)
        return 1
    chosen = find_article(site, article)
    root = site.edition.config.root
    folder = (out or root / "handouts").resolve()
    check_handout_folder(folder, site)
    html_file = folder / f"{chosen.slug}.html"
    refuse_to_overwrite(html_file, lambda head: f'content="{MARK}"'.encode() in head)
    html = make_handout(site, chosen)
    folder.mkdir(parents=True, exist_ok=True)
    write_file(html_file, html.encode("utf-8"))
    print(f"Wrote {_shown(html_file)} ({len(html.encode('utf-8')) // 1024} KB): one file with its styles, "
          "script and notes; open it, e-mail it or print it.")
    if pdf:
        pdf_file = html_file.with_suffix(".pdf")
        refuse_to_overwrite(pdf_file, lambda head: head.startswith(b"%PDF"))
        paper = "Letter" if (chosen.language or site.edition.config.language).lower() in LETTER_LANGUAGES else "A4"
        pages = write_pdf(html_file, pdf_file, paper)
        print(f"Wrote {_shown(pdf_file)} ({pages} page{'s' * (pages != 1)}, {paper}).")
    return 0


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
    """Whole or not at all: a temporary file beside it, renamed over it."""
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temp.write_bytes(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


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


def make_handout(site: Site, article: Article) -> str:
    """The article page with everything it needs inside it and every link pointing inside it (or off-site)."""
    assert site.pages is not None
    edition, config = site.edition, site.edition.config
    soup = BeautifulSoup(site.pages.article(article), "html.parser")
    page = article.output

    # What the file cannot use: other files, the site's navigation, links to other pages.
    for tag in soup.select('link[rel~="stylesheet"], link[rel="canonical"], script[src], header.site-header, '
                           "nav.prev-next, a.note-more, a.skip-link"):
        tag.decompose()
    generator = soup.find("meta", attrs={"name": "generator"})
    if isinstance(generator, Tag):
        generator["content"] = MARK

    entity_of = {e.output: e.id for e in edition.entities.values()}
    endnotes = {li["id"]: li.get("value", "") for li in soup.select(".endnotes li.note[id]")}
    who = soup.select_one("aside.in-this-article")
    whos_who: set[str] = set()
    if who is not None:
        for link in who.select("li > a[href]"):
            entity_id = entity_of.get(_target(page, str(link["href"])))
            if entity_id and isinstance(link.parent, Tag):
                link.parent["id"] = f"who-{entity_id}"
                whos_who.add(entity_id)

    for link in soup.select("a[href]"):
        href = str(link["href"])
        if href.startswith("#") or _SCHEME.match(href):
            continue
        target, fragment = _target(page, href), urlsplit(href).fragment
        entity_id = entity_of.get(target)
        if target == page:
            link["href"] = f"#{fragment}" if fragment else "#main"
        elif entity_id and f"note-{entity_id}" in endnotes:
            link["href"] = f"#note-{entity_id}"
        elif entity_id and entity_id in whos_who:
            link["href"] = f"#who-{entity_id}"
        elif link.get("data-note"):  # opens a note from inside another note: keep it focusable
            link["href"] = f"#{link['data-note']}"
        else:
            link.name = "span"
            del link["href"]

    # A mention inside a note shows, on paper, the number of its own endnote (when it has one).
    for mention in soup.select(".note a.mention[data-note]"):
        del mention["data-n"]
        number = endnotes.get(str(mention["data-note"]))
        if number:
            mention["data-endnote"] = number

    media = {path: source for source, path in edition.media}
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

    # Which edition it comes from, on screen and on paper.
    header = soup.select_one("header.article-header")
    if header is not None:
        line = soup.new_tag("p", attrs={"class": "handout-edition"})
        line.append(config.title + (f" · {config.author}" if config.author else ""))
        if config.base_url:
            online = absolute_url(config.base_url, page)
            line.append(" · ")
            link = soup.new_tag("a", href=online)
            link.append(online)
            line.append(link)
        header.insert(0, line)
    for link in soup.select("footer.site-footer a"):
        link.unwrap()

    screen = _safe_css(theme_file(site, "gloss.css") + "\n" + pygments_css() + HANDOUT_SCREEN_CSS)
    running = f"{article.title} — {config.title}"
    paper = _safe_css(theme_file(site, "print.css") + "\n@page { @top-left { content: " + css_string(running) +
                      "; font: 7.5pt \"Noto Sans\", \"DejaVu Sans\", sans-serif; color: #555; } }\n"
                      "@page :first { @top-left { content: none; } }\n")
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


def write_pdf(html_file: Path, pdf_file: Path, paper: str = "A4") -> int:
    """Print the handout through headless Chromium; returns the number of pages.

    Runs in its own thread, so it works even where Playwright's sync API is already in use in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        data = pool.submit(_print_pdf, html_file, paper).result()
    write_file(pdf_file, data)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def _print_pdf(html_file: Path, paper: str) -> bytes:
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
            return page.pdf(format=paper, print_background=True, prefer_css_page_size=True, outline=True,
                            tagged=True)
        finally:
            browser.close()
