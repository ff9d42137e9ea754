"""The pipeline: load → match → render bodies → resolve → render pages → write.

Stages are plain functions from data to data; only `load` reads the edition and only `write` writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from pygments.formatters import HtmlFormatter

from .config import SiteConfig, load_config
from .load.edition import Memo, load_edition
from .match.matcher import Matcher
from .match.mentions import MarkupContext
from .model import Article, Edition, RenderedArticle
from .problems import GlossError, Problems
from .render.markdown import render_markdown
from .render.pages import Pages
from .render.urls import absolute_url
from .resolve import Links, resolve
from .write import SiteWriter

Progress = Callable[[str, int, int], None]


@dataclass
class Site:
    """An edition carried through the stages."""

    edition: Edition
    matcher: Matcher
    bodies: dict[str, RenderedArticle] = field(default_factory=dict)
    links: Links | None = None
    pages: Pages | None = None


@dataclass
class BuildReport:
    articles: int
    pages: int
    files: int
    problems: Problems
    seconds: float
    output: Path | None = None


def load(site_file: Path, problems: Problems, base_url: str | None = None, drafts: bool = False,
         memo: Memo | None = None) -> Edition:
    """Stage 1. `memo` lets `gloss serve` reuse what it read from files that have not changed."""
    config: SiteConfig = load_config(site_file, problems, base_url)
    problems.root = config.root
    return load_edition(config, problems, include_drafts=drafts, memo=memo)


def match(edition: Edition) -> Matcher:
    """One automaton for every alias of every entity, built once per build."""
    return Matcher.build((e.id, (e.name, *e.aliases)) for e in edition.entities.values())


def render_body(article: Article, edition: Edition, matcher: Matcher, problems: Problems) -> RenderedArticle:
    ctx = MarkupContext(entities=edition.entities, source=article.path, first_line=article.body_line,
                        problems=problems, matcher=matcher, notes_mode=edition.config.notes, article=article.slug,
                        sidecar=edition.sidecars.get(article.slug), number_paragraphs=True)
    html = render_markdown(article.body, ctx, article.output, edition.config.raw_html)
    sidecar = ctx.sidecar
    if sidecar is not None:
        for entry, kind in [(p, "pin") for p in sidecar.pins] + [(s, "skip") for s in sidecar.skips]:
            if id(entry) not in ctx.used_sidecar and not _reported(problems, sidecar.path, entry.line):
                problems.warning(sidecar.path, entry.line, f"[[{kind}]] {entry.quote.exact!r} changes no mention",
                                 "remove it, or quote the words of a mention" if kind == "skip" else
                                 "remove it, or quote the exact words of the mention")
    return RenderedArticle(html=html, mentions=ctx.mentions, notes=ctx.notes, entity_ids=ctx.refs,
                           paragraphs=ctx.paragraphs)


def _reported(problems: Problems, path: Path, line: int) -> bool:
    where = problems.where(path)
    return any(p.path == where and p.line == line for p in problems.items)


def analyse(site_file: Path, problems: Problems, base_url: str | None = None, drafts: bool = False,
            progress: Progress | None = None) -> Site:
    """Every stage but writing: what `gloss check` runs, and `gloss build` before it writes."""
    edition = load(site_file, problems, base_url, drafts)
    site = Site(edition, match(edition))
    total = len(edition.articles)
    for n, article in enumerate(edition.articles, start=1):
        site.bodies[article.slug] = render_body(article, edition, site.matcher, problems)
        if progress:
            progress("rendering articles", n, total)
    site.pages = Pages(edition, site.bodies, Links(), problems)
    site.links = resolve(edition, site.bodies, site.pages.gloss_refs(), problems)
    site.pages.links = site.links
    warn_unmentioned(edition, site.links, problems)
    return site


def warn_unmentioned(edition: Edition, links: Links, problems: Problems) -> None:
    """An entity no article mentions is probably missing an alias."""
    for entity_id, mentions in links.mentions.items():
        if not mentions and edition.articles:
            entity = edition.entities[entity_id]
            problems.warning(entity.path, 2, f"`{entity.name}` is never mentioned in an article",
                             "add an alias that the text uses, pin a mention with [[pin]], or remove the file")


def build(site_file: Path, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """Build the edition into `output` (default: build/ beside site.toml). Raises GlossError on errors;
    the previous build is then left as it was."""
    started = time.perf_counter()
    problems = Problems()
    site = analyse(site_file, problems, base_url, drafts, progress)
    if problems.errors:
        raise BuildFailed(problems)
    edition = site.edition
    root = edition.config.root
    output = output or root / "build"
    writer = SiteWriter(output, forbidden=[root, root / "content", root / "annotations", *edition.theme_dirs])
    try:
        pages = 0
        for path, html in site.pages.render():
            writer.write(path, html)
            pages += 1
            if progress and pages % 50 == 0:
                progress("writing pages", pages, 0)
        write_assets(edition, writer)
        for source, path in edition.media:
            writer.copy(source, path)
        if problems.errors:
            raise BuildFailed(problems)
        writer.commit()
    except BaseException:
        writer.abandon()
        raise
    return BuildReport(len(edition.articles), pages, writer.count, problems, time.perf_counter() - started, output)


class BuildFailed(Exception):
    """The edition has errors; nothing was written."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems


def write_assets(edition: Edition, writer: SiteWriter) -> None:
    """The theme's static files (a site's theme overrides the default's), Pygments CSS, .nojekyll, sitemap."""
    seen: set[str] = set()
    for folder in edition.theme_dirs:
        static = folder / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            rel = path.relative_to(static).as_posix()
            if path.is_file() and rel not in seen and not rel.startswith("."):
                seen.add(rel)
                writer.copy(path, f"assets/{rel}")
    writer.write("assets/pygments.css", pygments_css())
    writer.write(".nojekyll", "")
    base = edition.config.base_url
    if base:
        pages = ["index.html", *(a.output for a in edition.articles),
                 *(f"{k.folder}/index.html" for k in edition.config.kinds.values()),
                 *(e.output for e in edition.entities.values())]
        urls = "".join(f"  <url><loc>{xml_escape(absolute_url(base, p))}</loc></url>\n" for p in pages)
        writer.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def raise_for(problems: Problems) -> None:
    if problems.errors:
        raise BuildFailed(problems)


__all__ = ["BuildFailed", "BuildReport", "GlossError", "analyse", "build", "load", "match"]
