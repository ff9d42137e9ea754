"""`gloss import`: a plain-text article or a saved web page to content/<slug>.md.

read the file (text.py) -> the article's text and metadata (plaintext.py or webpage.py, with extract.py
finding the body and html_markdown.py converting it) -> front matter + Markdown (frontmatter.py) -> written
with its images by import_command.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..slug import id_problem, is_valid_id, slugify
from ..write import write_atomically
from .article import CannotImport, ImportedArticle
from .fetch import FetchedPage, fetch_image, fetch_page, is_web_address
from .frontmatter import render_article_file
from .metadata import author_names
from .plaintext import import_plain_text
from .text import read_text, text_of_bytes
from .webpage import import_web_page

__all__ = ["CannotImport", "ImportedArticle", "import_article", "import_command", "render_article_file"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def import_article(source: Path, *, slug: str | None = None, fetch_media: Path | None = None) -> ImportedArticle:
    """Read a .txt or saved .html article; raise CannotImport (with path and line) on input it cannot take.

    Local images are linked as `media/<slug>/<file>`; the slug is made from the title unless given.
    fetch_media: a folder to download remote images into (--fetch-media); they are then local images.
    """
    source = Path(source)
    suffix = source.suffix.lower()
    if not source.exists():
        raise CannotImport(source, "no such file — check the path (gloss import reads a .txt or a saved .html page)")
    if source.is_dir():
        raise CannotImport(source, "this is a folder, not a file — give the .txt or .html file inside it")
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise CannotImport(source, f"cannot import a “{suffix or 'extensionless'}” file — "
                           "give a plain-text .txt/.text file or a web page saved as .html/.htm/.xhtml")
    try:
        text = read_text(source, declared_charset_allowed=suffix in HTML_SUFFIXES)
    except OSError as error:
        raise CannotImport(source, f"cannot read the file ({error.strerror or error}) — check its permissions") from None

    return article_from_text(source, text, html=suffix in HTML_SUFFIXES, slug=slug, fetch_media=fetch_media)


def import_url(url: str, *, slug: str | None = None, fetch_media: Path | None = None
               ) -> tuple[ImportedArticle, FetchedPage]:
    """Fetch a page (fetch.py: http(s) only, redirects, timeout, size limit) and import it as a saved page
    whose address is known; CannotImport (reported against the address) when it cannot."""
    page = fetch_page(url)
    name = Path(unquote(urlsplit(page.final_url).path)).name or "page"
    try:
        text = text_of_bytes(Path(name), page.data, declared_charset_allowed=True, charset=page.charset)
        article = article_from_text(Path(name), text, html=True, slug=slug, page_url=page.final_url,
                                    fetch_media=fetch_media)
    except CannotImport as error:
        error.path = url  # type: ignore[assignment]
        raise
    return article, page


def article_from_text(source: Path, text: str, *, html: bool, slug: str | None,
                      page_url: str | None = None, fetch_media: Path | None = None) -> ImportedArticle:
    if not text.strip():
        raise CannotImport(source, "the file is empty — nothing to import")
    shelf = MediaShelf(slug)
    if not html:
        front_matter, body, dropped, warnings = import_plain_text(text)
    else:
        front_matter, body, dropped, warnings = import_web_page(
            source, text, shelf.link_for, page_url=page_url,
            fetch_remote=(lambda url: download(url, fetch_media)) if fetch_media is not None else None)
        if not body.strip():
            raise CannotImport(source, "no article text found on the page — save it again once it has fully "
                               "loaded (some sites fetch the text with JavaScript), or copy the text into a .txt file")
    if isinstance(front_matter.get("author"), str):
        front_matter["author"] = author_names(str(front_matter["author"]))
    if slug is None:
        shelf.slug = slug_for(front_matter, source)
        body = body.replace(MediaShelf.PENDING, shelf.slug)
    return ImportedArticle(front_matter, body, dropped, shelf.media(shelf.slug), warnings)


def download(url: str, folder: Path) -> Path | str:
    """A remote image fetched into `folder`, or why it was not."""
    try:
        return fetch_image(url, folder)
    except CannotImport as error:
        return error.message


def slug_for(front_matter: dict[str, object], source: Path) -> str:
    """From the title; a title in a non-Latin script leaves too little, so then from the file name. Never
    `index` (the home page's name, which the build refuses as an article's)."""
    title = str(front_matter.get("title") or "")
    latin = slugify(title, any_script=False)
    if len(latin) >= 3 and re.search(r"[a-z]", latin):
        slug = slugify(title)
    else:
        slug = slugify(source.stem) or slugify(title) or "article"
    return "index-1" if slug == "index" else slug


class MediaShelf:
    """Names the local images an article uses: `media/<slug>/<file>`, one name per file, no clashes."""

    PENDING = "\x00slug\x00"

    def __init__(self, slug: str | None) -> None:
        self.slug = slug
        self.names: dict[Path, str] = {}

    def link_for(self, _title: str, local: Path) -> str:
        if local not in self.names:
            self.names[local] = self.unique_name(local)
        return f"media/{self.slug or self.PENDING}/{self.names[local]}"

    def unique_name(self, local: Path) -> str:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", unquote(local.stem)).strip("-.") or "image"
        name = f"{stem}{local.suffix.lower()}"
        number = 2
        while name in self.names.values():
            name = f"{stem}-{number}{local.suffix.lower()}"
            number += 1
        return name

    def media(self, slug: str | None) -> list[tuple[Path, str]]:
        return [(local, f"{slug}/{name}") for local, name in self.names.items()]


def import_command(source: Path | str, *, site_dir: Path, slug: str | None, to_stdout: bool, force: bool,
                   fetch_media: bool = False) -> int:
    """Run `gloss import`: write site_dir/content/<slug>.md (and its images), or print it with --stdout.
    SOURCE is a file, or an http(s) address: then the page is fetched and kept in .gloss-cache/imports/.

    Never overwrites without force. Notes on what was dropped go to stderr. Returns the exit code.
    """
    url = str(source) if is_web_address(str(source)) else None
    source = Path(source) if url is None else url  # type: ignore[assignment]
    site_dir = Path(site_dir)
    if slug is not None and not is_valid_id(slug):
        return fail(f"{source}:1: error: --slug “{slug[:60]}” is not a valid slug: it {id_problem(slug)} — use "
                    "lower-case letters, digits "
                    f"and single hyphens, e.g. “{slugify(slug) or 'my-article'}”")
    if not to_stdout and not (site_dir / "site.toml").is_file():
        return fail(f"{site_dir / 'site.toml'}: error: no site.toml here — run gloss import in an edition folder, "
                    "pass --site PATH/site.toml, start one with `gloss init DIR`, or use --stdout")
    with tempfile.TemporaryDirectory(prefix="gloss-media-") as downloads:
        return write_article(source, url, site_dir=site_dir, slug=slug, to_stdout=to_stdout, force=force,
                             fetch_media=Path(downloads) if fetch_media else None)


def write_article(source: Path | str, url: str | None, *, site_dir: Path, slug: str | None, to_stdout: bool,
                  force: bool, fetch_media: Path | None) -> int:
    page: FetchedPage | None = None
    try:
        if url is None:
            article = import_article(source, slug=slug, fetch_media=fetch_media)  # type: ignore[arg-type]
        else:
            article, page = import_url(url, slug=slug, fetch_media=fetch_media)
    except CannotImport as error:
        return fail(error.report())

    text = render_article_file(article)
    if to_stdout:
        print_notes(source, article, None)
        sys.stdout.write(text)
        sys.stdout.flush()
        for local, name in article.media:
            print(f"{source}: note: --stdout: image {local.name} not copied (it would go to content/media/{name})",
                  file=sys.stderr)
        return 0

    final_slug = slug or slug_for(article.front_matter, Path(urlsplit(url).path or "page") if url else source)
    content = site_dir / "content"
    target = content / f"{final_slug}.md"
    if target.is_dir():
        return fail(f"{target}:1: error: a folder is in the way of the article file — rename it, or import with --slug")
    if target.exists() and not force:
        return fail(f"{target}:1: error: already exists — pass --force to overwrite it, or --slug to import "
                    "under another name")
    copies = [(local, content / "media" / name) for local, name in article.media]
    for local, destination in copies:
        if destination.exists() and not force and destination.read_bytes() != local.read_bytes():
            return fail(f"{destination}:1: error: a different image already has this name — pass --force to "
                        "overwrite it, or import with --slug")
    print_notes(source, article, target)
    try:
        for local, destination in copies:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, destination)
        if page is not None:
            keep_fetched_page(site_dir, final_slug, page)
        write_atomically(target, text)
    except OSError as error:
        return fail(f"{target}:1: error: cannot write ({error.strerror or error}) — check the folder's permissions")
    print(f"{source}: wrote {target}" + (f" and {len(copies)} image(s) in {content / 'media' / final_slug}"
                                         if copies else ""), file=sys.stderr)
    return 0


def keep_fetched_page(site_dir: Path, slug: str, page: FetchedPage) -> None:
    """The page as fetched, for provenance: .gloss-cache/imports/<slug>.html, and where and when beside it."""
    folder = site_dir / ".gloss-cache" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / f"{slug}.html", page.data)
    write_atomically(folder / f"{slug}.json", json.dumps({
        "url": page.url, "final_url": page.final_url, "content_type": page.content_type, "charset": page.charset,
        "fetched": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "bytes": len(page.data),
    }, indent=2) + "\n")


def print_notes(source: Path, article: ImportedArticle, target: Path | None) -> None:
    """What was left out or changed, one `path:line: note: …` line each, on stderr; warnings about the
    front matter name the article file written (line 2: the first line of its front matter)."""
    for note in article.dropped:
        print(f"{source}:{note}", file=sys.stderr)
    for warning in article.warnings:
        if target is None:
            print(f"{source}:{warning}", file=sys.stderr)
        else:
            line, message = warning.split(":", 1)
            print(f"{target}:2:{message} (from line {line} of {source.name})", file=sys.stderr)


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
