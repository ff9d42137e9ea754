"""The stages as plain functions from data to data (Site, in generator/site.py, runs them in order): load,
match, resolve's mention index, check's unmentioned entities, and write — pages, in the process pool when
there are many, and the theme's assets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Protocol

from pygments.formatters import HtmlFormatter

from . import pool
from .bodies import Progress
from .cache import ArticleRecord, LazyMentions, PackedBody, digest
from .cache import edition_key as cache_edition_key
from .config import load_config
from .editor.warnings import failed_articles
from .export import fingerprints as export_fingerprints
from .load.edition import Memo, load_edition
from .match.matcher import Matcher
from .model import Edition, Mention
from .nofollow import regular_files
from .problems import GlossError, Problem, Problems
from .render.urls import absolute_url
from .resolve import Links
from .write import SiteWriter


class Writer(Protocol):
    """Where the write stage puts files: a SiteWriter (a folder swapped in whole) or gloss serve's memory."""

    count: int

    def write(self, path: str, content: str | bytes) -> None: ...

    def copy(self, source: Path, path: str) -> None: ...



def load(site_file: Path, problems: Problems, base_url: str | None = None, drafts: bool = False,
         memo: Memo | None = None) -> Edition:
    """Stage load. `memo` lets `gloss serve` reuse what it read from files that have not changed."""
    config = load_config(site_file, problems, base_url)
    problems.root = config.root
    return load_edition(config, problems, include_drafts=drafts, memo=memo)


def match(edition: Edition) -> Matcher:
    """Stage match: one automaton for every alias of every entity."""
    return Matcher.build(((e.id, (e.name, *e.aliases)) for e in edition.entities.values()),
                         fold=edition.config.fold_accents)


def warn_unmentioned(edition: Edition, links: Links, problems: Problems) -> None:
    """An entity no article mentions is probably missing an alias."""
    for entity_id, mentions in links.mentions.items():
        if not mentions and edition.articles:
            entity = edition.entities[entity_id]
            failed = failed_articles(problems)
            if failed:  # a follow-on of the articles that did not load: not said of every entity
                continue
            problems.warning(entity.path, 2, f"`{entity.name}` is never mentioned in an article",
                             "add an alias that the text uses, pin a mention with [[pin]], or remove the file")


def lazy_mentions(edition: Edition, records: dict[str, ArticleRecord],
                  entry: Callable[[str], PackedBody]) -> dict[str, list[Mention]]:
    """Every entity's mentions in reading order, counted from the records and read only when iterated."""
    sources: dict[str, list[tuple[str, int]]] = {entity_id: [] for entity_id in edition.entities}
    for article in edition.articles:
        for entity_id, (count, _) in records[article.slug].mentions.items():
            sources[entity_id].append((article.slug, count))
    return {entity_id: LazyMentions(entity_id, found, entry)  # type: ignore[misc]
            for entity_id, found in sources.items()}


def page_fingerprints(edition: Edition, everything: str, keys: dict[str, str],
                      records: dict[str, ArticleRecord],
                      together: dict[str, list[tuple[str, int]]] | None = None) -> dict[str, str]:
    """A hash of each page's inputs. `everything` covers what all pages share; an article page adds its body,
    an entity page the mentions of it in each article and the entities often mentioned with it, a kind index
    the number of mentions of each member."""
    together = together or {}
    found: dict[str, list[str]] = {entity_id: [] for entity_id in edition.entities}
    totals: dict[str, int] = dict.fromkeys(edition.entities, 0)
    for article in edition.articles:
        slug = article.slug
        for entity_id, (count, mentions) in records[slug].mentions.items():
            found[entity_id].append(f"{slug} {count} {mentions}")
            totals[entity_id] += count
    prints = {"index.html": digest(everything, "home"), "404.html": digest(everything, "404"),
              "search.html": digest(everything, "search")}
    for article in edition.articles:
        prints[article.output] = digest(everything, "article", article.slug, keys[article.slug])
        prints.update(export_fingerprints(article, prints[article.output]))
    for entity in edition.entities.values():
        prints[entity.output] = digest(everything, "entity", entity.id, "\n".join(found[entity.id]),
                                       repr(together.get(entity.id, ())))
    for kind in edition.config.kinds.values():
        counts = [(e.id, totals[e.id]) for e in edition.entities.values() if e.kind == kind]
        prints[f"{kind.folder}/index.html"] = digest(everything, "kind", kind.key, repr(counts))
    return prints


def edition_key(edition: Edition, keys: dict[str, str]) -> str:
    """What every page may read besides its own body and mentions (see cache.edition_key). A theme that declares
    reads_markdown in its theme.toml (its templates read an article's raw Markdown, `article.body`) makes every
    body count; other themes' templates cannot read it (render/pages.py's ThemeArticle)."""
    shared = cache_edition_key(edition)
    return digest(shared, *keys.values()) if edition.reads_markdown else shared


def write_pages(plan: list[tuple[str, Callable[[], str]]], todo: list[int], writer: SiteWriter,
                problems: Problems, workers: int, links: Links, progress: Progress | None = None) -> None:
    """Render and write the pages of `plan` listed in `todo`, in a pool of processes when there are many
    (each writes its own pages into the same temporary folder)."""
    if workers > 1 and len(todo) >= pool.PARALLEL_FROM:
        # The first page of each kind (each renderer in the plan) is made here, before the fork: what the pages
        # of a kind share (compiled templates, the citation style, a folder's notes) is made once, not per worker.
        firsts: dict[object, int] = {}  # renderer (Pages.article, Pages.entity …) -> the first page it makes
        for index in todo:
            firsts.setdefault(getattr(plan[index][1], "func", plan[index][1]), index)
        for index in firsts.values():
            path, make = plan[index]
            writer.write(path, make())
        made = set(firsts.values())
        todo = [index for index in todo if index not in made]
        chunks = page_chunks([path for path, _ in plan], todo, links, workers)
        done = len(firsts)
        for result in pool.run(workers, (plan, writer, problems), _write_page_chunk, chunks):
            count, found = pool.result(result)
            writer.count += count
            problems.extend([Problem(*p) for p in found])
            done += count
            if progress:
                progress("writing pages", done, len(todo))
        return
    for done, index in enumerate(todo, start=1):
        path, make = plan[index]
        writer.write(path, make())
        if progress and (done % 50 == 0 or done == len(todo)):
            progress("writing pages", done, len(todo))


def page_chunks(paths: list[str], todo: list[int], links: Links, workers: int) -> list[list[int]]:
    """The pages `todo` (indices into `paths`) shared out in chunks of about equal work, the costliest first,
    so that `workers` processes finish together."""
    def cost(index: int) -> int:  # an entity page costs about one line per mention
        path = paths[index]
        entity = path.rsplit("/", 1)[-1][:-5]
        mentions = links.mentions.get(entity) if "/" in path else None
        return max(50, len(mentions)) if mentions is not None else 50

    ordered = sorted(todo, key=lambda i: (-cost(i), i))
    target = max(1, sum(cost(i) for i in ordered) // (16 * workers))
    chunks: list[list[int]] = [[]]
    weight = 0
    for index in ordered:
        chunks[-1].append(index)
        weight += cost(index)
        if weight >= target:
            chunks.append([])
            weight = 0
    return [c for c in chunks if c]


def _write_page_chunk(indices: list[int]) -> tuple[str, object]:
    """In a pool's worker: render and write these pages; their number and the problems they had."""
    plan, writer, problems = pool.shared()
    before = len(problems.items)
    count = 0
    try:
        for index in indices:
            path, make = plan[index]
            writer.write(path, make())
            count += 1
    except GlossError as exc:
        return pool.failed(exc)
    return pool.ok((count, [dataclasses.astuple(p) for p in problems.items[before:]]))


def write_assets(edition: Edition, writer: Writer) -> None:
    """The theme's static files (a site's theme overrides the default's), Pygments CSS, .nojekyll, sitemap,
    and the edition's media files."""
    seen: set[str] = set()
    for folder in edition.theme_dirs:
        static = folder / "static"
        for path in regular_files(static):  # never through a symlink: it could publish files from anywhere
            rel = path.relative_to(static).as_posix()
            if rel not in seen and not rel.startswith("."):
                seen.add(rel)
                writer.copy(path, f"assets/{rel}")
    writer.write("assets/pygments.css", pygments_css())
    writer.write(".nojekyll", "")
    base = edition.config.base_url
    if base:
        pages = ["index.html", *(a.output for a in edition.articles),
                 *(f"{k.folder}/index.html" for k in edition.config.kinds.values()),
                 *(e.output for e in edition.entities.values())]
        urls = "".join(f"  <url><loc>{escape(absolute_url(base, p), quote=False)}</loc></url>\n" for p in pages)
        writer.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")
    for source, path in edition.media:
        writer.copy(source, path)


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
