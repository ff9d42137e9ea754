"""The link check: every internal link and image in articles, glosses and passage notes must point at a
file of the built site and, where the target page's ids are known, at an id in it. `gloss build`, `gloss
check` and `gloss serve` all run it (Site.analyse), so a broken link stops a build."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from .model import Article, Edition, Entity, PassageNote
from .problems import Problems
from .render import theme
from .render.annotations import LinkFound, MarkupContext
from .render.markdown import links_to_check, markdown_links
from .render.urls import relative_url
from .toml_text import nearest

# ------------------------------------------------------------------------------------------------ links

_ID = re.compile(r'\sid="([^"]+)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def note_links(note: PassageNote, ctx: MarkupContext, raw_html: bool) -> list[LinkFound]:
    """A passage note's links, as markdown-it reads its text (one line of Markdown, shown inline), at the
    note's line in its notes file."""
    return [(note.line, 0, href, image) for _, _, href, image in markdown_links(note.body, ctx, raw_html, inline=True)]


def check_links(edition: Edition, article_html: Callable[[str], str | None], gloss_html: Callable[[str], str | None],
                problems: Problems, article_links: Callable[[Article], list[LinkFound]],
                gloss_links: Callable[[Entity], list[LinkFound]]) -> None:
    """Every internal link and image in articles, glosses and passage notes must point at a file of the
    built site and, where the target page's ids are known, at an id in it. The links are markdown-it's, as
    recorded while rendering: `article_links(article)` and `gloss_links(entity)`. `article_html(slug)` is an
    article's body HTML (None for no article); `gloss_html(entity id)` a rendered gloss, or None when it was not rendered (then
    links into that page are checked for the file only)."""
    site = SiteFiles(edition, article_html, gloss_html)
    for article in edition.articles:
        for link in article_links(article):
            _check_link(link, article.output, article.path, site, problems)
        sidecar = edition.sidecars.get(article.slug)
        if sidecar is not None:
            for note in sidecar.notes:
                ctx = MarkupContext(entities=edition.entities, source=sidecar.path, first_line=note.line,
                                    problems=Problems(root=problems.root))
                for link in links_to_check(note_links(note, ctx, edition.config.raw_html)):
                    _check_link(link, article.output, sidecar.path, site, problems)
    for entity in edition.entities.values():
        for link in gloss_links(entity):
            _check_link(link, entity.output, entity.path, site, problems)


class SiteFiles:
    """The files a build writes, and the ids each page has (where they are known without rendering it)."""

    def __init__(self, edition: Edition, article_html: Callable[[str], str | None], gloss_html: Callable[[str], str | None]):
        config = edition.config
        self.articles = {a.output: a for a in edition.articles}
        self.entities = {e.output: e for e in edition.entities.values()}
        self.kinds = {f"{k.folder}/index.html" for k in config.kinds.values()}
        self.files: set[str] = {"index.html", "404.html", ".nojekyll", "assets/pygments.css",
                                *self.articles, *self.entities, *self.kinds, *(path for _, path in edition.media)}
        if config.base_url:
            self.files.add("sitemap.xml")
        for folder in edition.theme_dirs:
            static = folder / "static"
            if static.is_dir():
                self.files.update(f"assets/{p.relative_to(static).as_posix()}" for p in static.rglob("*")
                                  if p.is_file())
        declared = {anchor for anchors in theme.IDS.values() for anchor in anchors}
        self.fixed = {a for a in declared if not a.endswith("-")}
        self.prefixes = tuple(sorted(a for a in declared if a.endswith("-")))
        self.entity_ids = set(edition.entities)
        self.article_html, self.gloss_html = article_html, gloss_html
        self._ids: dict[str, set[str] | None] = {}

    def ids(self, page: str) -> set[str] | None:
        """The ids of a page's own content, or None when they are not known in this run."""
        if page not in self._ids:
            if page in self.articles:
                body = self.article_html(self.articles[page].slug)
                self._ids[page] = set(_ID.findall(body)) if body is not None else None
            elif page in self.entities:
                gloss = self.gloss_html(self.entities[page].id)
                self._ids[page] = set(_ID.findall(gloss)) if gloss is not None else None
            else:
                self._ids[page] = set()
        return self._ids[page]

    def has_anchor(self, page: str, fragment: str) -> bool | None:
        """True or False, or None when the page's ids are not known in this run."""
        if fragment in self.fixed or (self.prefixes and fragment.startswith(self.prefixes)):
            return True  # an id the theme contract (render/theme.py) gives every page of a kind
        if fragment.startswith("note-") and fragment[5:] in self.entity_ids:
            return True  # a note of an entity: in the endnotes, or among the notes that open inside notes
        if page in self.articles and re.fullmatch(r"(pn|pnref|pass)\d+", fragment):
            return True
        ids = self.ids(page)
        if ids is None:
            return None
        return fragment in ids


def _check_link(link: LinkFound, page: str, source: Path, site: SiteFiles, problems: Problems) -> None:
    line, col, href, image = link
    if not href or _SCHEME.match(href):
        return
    raw = unquote(href)  # as written (markdown-it percent-encodes what a URL may not hold)
    path, _, fragment = href.partition("#")
    what = "image" if image else "link"
    path = path.split("?", 1)[0]
    fragment = unquote(fragment)
    if not path:
        target = page
    else:
        written = unquote(path)
        if not image and written.endswith(".md"):  # a link to another article's source, as rendered
            written = written[:-3] + ".html"
        folder = posixpath.dirname(page)
        target = posixpath.normpath(posixpath.join(folder, written))
        if target == ".." or target.startswith("../") or written.startswith("/"):
            problems.error(source, line, f"{what} `{raw}` points outside the site",
                           _suggest(page, written, site, path.endswith(".md")) or
                           "link to a page of the edition with a relative path", col)
            return
        if target not in site.files:
            if f"{target}/index.html" in site.files or target in ("", "."):
                index = "index.html" if target in ("", ".") else f"{target}/index.html"
                problems.error(source, line, f"{what} `{raw}` points at a folder",
                               f"link to the file: `{relative_url(page, index)}` (pages opened from disk need it)",
                               col)
                return
            if path.endswith(".md") and not image:
                missing = f"there is no article content/{posixpath.basename(path)}"
            elif target.startswith("media/"):
                missing = f"there is no file content/{target}"
            else:
                missing = "the built site has no such page or file"
            problems.error(source, line, f"{what} `{raw}` points at nothing: {missing}",
                           _suggest(page, written, site, path.endswith(".md"))
                           or "check the path: it is relative to this page in the built site", col)
            return
    if fragment and target.endswith(".html"):
        found = site.has_anchor(target, fragment)
        if found is False:
            ids = site.ids(target) or set()
            hint = nearest(fragment, ids)
            problems.error(source, line, f"{what} `{raw}`: no `#{fragment}` in {target}",
                           f"did you mean `#{hint}`?" if hint else
                           "link to a paragraph (#p4), a heading's id or a figure (#fig1)", col)


def _suggest(page: str, written: str, site: SiteFiles, as_markdown: bool) -> str:
    """'did you mean `../other.md`?': the file of the site with the same name, or the nearest path."""
    name = posixpath.basename(written)
    same = sorted(f for f in site.files if posixpath.basename(f) == name)
    if not same:  # the nearest name among the files of the same type ("sergei-lavrv" → "sergei-lavrov")
        stem, dot, extension = name.rpartition(".")
        stems = {posixpath.basename(f).rpartition(".")[0]: f for f in sorted(site.files, reverse=True)
                 if f.rpartition(".")[2] == extension and dot}
        close = nearest(stem, stems)
        same = [stems[close]] if close else []
    if not same:
        return ""
    url = relative_url(page, same[0])
    if as_markdown and same[0] in site.articles:
        url = url[:-5] + ".md"
    return f"did you mean `{url}`?"
