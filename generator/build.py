"""The pipeline: load → match → render bodies → resolve → render pages → write.

Stages are plain functions from data to data; only `load` reads the edition and only `write` writes.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .cache import (
    ArticleRecord,
    BodyEntry,
    BuildCache,
    LazyMentions,
    Manifest,
    automaton_key,
    body_key,
    digest,
    settings_key,
    unchanged_page,
)
from .cache import edition_key as cache_edition_key
from .check import Link, check_links, local_links
from .config import SiteConfig, load_config
from .load.edition import Memo, load_edition
from .match.matcher import Matcher
from .match.mentions import MarkupContext
from .model import Article, Edition, Mention, RenderedArticle
from .problems import GlossError, Problem, Problems
from .render.markdown import render_markdown
from .render.pages import Pages
from .render.urls import absolute_url
from .resolve import Links, resolve
from .write import MARKER, SiteWriter, one_build_at_a_time

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
    html, ctx = _render_article(article, edition, matcher, problems)
    return RenderedArticle(html=html, mentions=ctx.mentions, notes=ctx.notes, entity_ids=ctx.refs,
                           paragraphs=ctx.paragraphs, note_paragraphs=ctx.note_paragraphs)


def _render_article(article: Article, edition: Edition, matcher: Matcher,
                    problems: Problems) -> tuple[str, MarkupContext]:
    """The body's HTML, and the context holding what the annotation rules found in it."""
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
    return html, ctx


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
    check_links(edition, {slug: body.html for slug, body in site.bodies.items()},
                lambda entity_id: site.pages.gloss(edition.entities[entity_id])[0], problems)
    return site


def warn_unmentioned(edition: Edition, links: Links, problems: Problems) -> None:
    """An entity no article mentions is probably missing an alias."""
    for entity_id, mentions in links.mentions.items():
        if not mentions and edition.articles:
            entity = edition.entities[entity_id]
            problems.warning(entity.path, 2, f"`{entity.name}` is never mentioned in an article",
                             "add an alias that the text uses, pin a mention with [[pin]], or remove the file")


@one_build_at_a_time
def build(site_file: Path, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
          progress: Progress | None = None, cache: bool = True, jobs: int | None = None) -> BuildReport:
    """Build the edition into `output` (default: build/ beside site.toml). Raises BuildFailed on errors;
    the previous build is then left as it was.

    With `cache`, bodies come from .gloss-cache/ where their inputs are unchanged, and pages whose inputs
    are unchanged are taken from the previous build; the output is the same, byte for byte. `jobs`
    processes (default: up to 2) share the rendering when there is enough of it."""
    started = time.perf_counter()
    problems = Problems()
    site_file = Path(os.path.abspath(site_file))  # the same cache keys however the path was given
    edition = load(site_file, problems, base_url, drafts)
    matcher = match(edition)
    root = edition.config.root
    output = output or root / "build"
    target = output.resolve()
    store = BuildCache(root) if cache else None
    workers = pool_size(jobs)
    bodies = Bodies(edition, matcher, problems, store, workers)
    everything = edition_key(edition, bodies.keys)
    previous = store.previous(target, MARKER) if store else None
    if previous is not None and previous.edition != everything:
        previous = None  # site.toml, the theme, an entity or an article's front matter changed: redo every page
    # Bodies: an unchanged article (same key as in the previous build) is not even read from the cache.
    records: dict[str, ArticleRecord] = {}
    for article in edition.articles:
        record = previous.articles.get(article.slug) if previous else None
        if record is not None and record.key == bodies.keys[article.slug]:
            records[article.slug] = record
    bodies.fill([a for a in edition.articles if a.slug not in records], progress)
    for article in edition.articles:
        if article.slug not in records:
            records[article.slug] = bodies.entry(article.slug).record(bodies.keys[article.slug])
        problems.extend(records[article.slug].problems)
    # Resolve. Mentions are indexed from the records and read from the bodies only when a page lists them,
    # in the process that renders that page; the glosses' references are the previous build's when no
    # entity changed.
    pages = Pages(edition, LazyBodies(bodies), Links(), problems)
    gloss_refs = previous.gloss_refs if previous else pages.gloss_refs()
    no_mentions = RenderedArticle("", [], [], [], 0)
    links = resolve(edition, {a.slug: no_mentions for a in edition.articles}, gloss_refs, problems)
    links.mentions = lazy_mentions(edition, records, bodies.entry)
    pages.links = links
    warn_unmentioned(edition, links, problems)
    check_links(edition, BodyHtml(bodies), pages.rendered_gloss, problems,
                lambda article: [Link(*link) for link in records[article.slug].links])
    if problems.errors:
        raise BuildFailed(problems)
    fingerprints = page_fingerprints(edition, everything, bodies.keys, records)
    writer = SiteWriter(output, forbidden=[root, root / "content", root / "annotations", *edition.theme_dirs])
    try:
        plan = pages.plan()
        todo: list[int] = []
        for index, (path, _) in enumerate(plan):
            fingerprint = fingerprints.get(path)
            if previous is not None and fingerprint and unchanged_page(previous, target, path, fingerprint):
                writer.link(os.path.join(target, path), path)
            else:
                todo.append(index)
        write_pages(plan, todo, writer, problems, workers, links, progress)
        write_assets(edition, writer)
        for source, path in edition.media:
            writer.copy(source, path)
        if problems.errors:
            raise BuildFailed(problems)
        if store:
            store.forget(target)  # the manifest describes the folder about to be replaced
        writer.commit()
    except BaseException:
        writer.abandon()
        raise
    if store:
        store.save(target, MARKER, Manifest(everything, (0, 0, 0), gloss_refs, records), fingerprints)
        store.prune(bodies.keys.values(), len(edition.articles))
    return BuildReport(len(edition.articles), len(plan), writer.count, problems, time.perf_counter() - started,
                       output)


# ------------------------------------------------------------------ bodies: cached, and in parallel when many

PARALLEL_FROM = 64  # articles or pages to render before a process pool pays for its start
WORKERS = 2


def pool_size(jobs: int | None = None) -> int:
    """How many processes render: `jobs`, or up to WORKERS (one per core); one where os.fork is missing."""
    if not hasattr(os, "fork"):
        return 1  # the pool's workers are forked (they inherit the edition); elsewhere, one process
    return min(WORKERS, os.cpu_count() or 1) if jobs is None else max(1, jobs)


def render_bodies(edition: Edition, matcher: Matcher, problems: Problems, store: BuildCache | None,
                  jobs: int | None = None, articles: list[Article] | None = None,
                  progress: Progress | None = None) -> Bodies:
    """The bodies of `articles` (default: all): from the cache where their key matches, the others rendered
    (in a pool of `jobs` processes when there are many) and stored. What `gloss serve` builds from at first."""
    bodies = Bodies(edition, matcher, problems, store, pool_size(jobs))
    bodies.fill(edition.articles if articles is None else articles, progress)
    return bodies


def render_entry(article: Article, edition: Edition, matcher: Matcher, problems: Problems) -> BodyEntry:
    """render_body, with the problems it finds kept apart: the form the cache stores and workers return."""
    local = Problems(root=problems.root)
    sidecar = edition.sidecars.get(article.slug)
    if sidecar is not None:  # render_body does not repeat a problem already reported at a sidecar line
        where = problems.where(sidecar.path)
        local.extend([p for p in problems.items if p.path == where])
    seeded = len(local.items)
    html, ctx = _render_article(article, edition, matcher, local)
    links = [dataclasses.astuple(link) for link in local_links(article.body)]  # for the link check, cached
    return BodyEntry.from_rows(html, ctx.rows, ctx.order, ctx.notes, ctx.note_paragraphs, ctx.refs, ctx.paragraphs,
                               local.items[seeded:], links, ctx.escape_rows)


class Bodies:
    """The rendered bodies of one build: from memory, from .gloss-cache/, or rendered (in a pool when many)."""

    def __init__(self, edition: Edition, matcher: Matcher, problems: Problems, store: BuildCache | None,
                 workers: int):
        self.edition, self.matcher, self.problems, self.store, self.workers = edition, matcher, problems, store, workers
        automaton, settings = automaton_key(edition), settings_key(edition)
        self.keys = {a.slug: body_key(a, edition.sidecars.get(a.slug), automaton, settings) for a in edition.articles}
        self.articles = {a.slug: a for a in edition.articles}
        self.entries: dict[str, BodyEntry] = {}

    def entry(self, slug: str) -> BodyEntry:
        if slug not in self.entries:
            self.fill([self.articles[slug]])
        return self.entries[slug]

    def fill(self, articles: list[Article], progress: Progress | None = None) -> None:
        """Have an entry for each article: read from the cache, or rendered."""
        missing: list[Article] = []
        for article in articles:
            if article.slug in self.entries:
                continue
            entry = self.store.read_body(self.keys[article.slug]) if self.store else None
            if entry is None:
                missing.append(article)
            else:
                self.entries[article.slug] = entry
        total = len(missing)
        if self.workers > 1 and total >= PARALLEL_FROM and not _SHARED:  # (no pool inside a pool's worker)
            indices = {a.slug: n for n, a in enumerate(self.edition.articles)}
            chunks = [[indices[a.slug] for a in missing[i:i + 8]] for i in range(0, total, 8)]
            results = _in_pool(self.workers, (self.edition, self.matcher, self.problems, self.store, self.keys),
                               _render_entries, chunks)
            done = 0
            for chunk, encoded in zip(chunks, results, strict=True):
                for index, data in zip(chunk, _raise_from_worker(encoded), strict=True):
                    entry = BodyEntry.decode(data)
                    assert entry is not None
                    self.entries[self.edition.articles[index].slug] = entry
                done += len(chunk)
                if progress:
                    progress("rendering articles", done, total)
            return
        rendered: list[tuple[str, bytes]] = []
        for done, article in enumerate(missing, start=1):
            entry = render_entry(article, self.edition, self.matcher, self.problems)
            if self.store:
                rendered.append((self.keys[article.slug], entry.encode()))
            self.entries[article.slug] = entry
            if progress:
                progress("rendering articles", done, total)
        if self.store:
            self.store.write_bodies(rendered)


class LazyBodies(Mapping[str, RenderedArticle]):
    """Article bodies read from the cache only when a page needs one."""

    def __init__(self, bodies: Bodies):
        self._bodies = bodies

    def __getitem__(self, slug: str) -> RenderedArticle:
        return self._bodies.entry(slug).body(slug)

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies.articles)

    def __len__(self) -> int:
        return len(self._bodies.articles)


class BodyHtml(Mapping[str, str]):
    """Every article's body HTML, decoded only when asked for (the link check asks for the pages that links
    point into), whether this run rendered it or read it from the cache: a rebuild checks links as fully
    as a clean build, without holding the HTML of the whole edition."""

    def __init__(self, bodies: Bodies):
        self._bodies = bodies

    def __getitem__(self, slug: str) -> str:
        if slug not in self._bodies.articles:
            raise KeyError(slug)
        return self._bodies.entry(slug).html

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies.articles)

    def __len__(self) -> int:
        return len(self._bodies.articles)


def lazy_mentions(edition: Edition, records: dict[str, ArticleRecord],
                  entry: Callable[[str], BodyEntry]) -> dict[str, list[Mention]]:
    """Every entity's mentions in reading order, counted from the records and read only when iterated."""
    sources: dict[str, list[tuple[str, int]]] = {entity_id: [] for entity_id in edition.entities}
    for article in edition.articles:
        for entity_id, (count, _) in records[article.slug].mentions.items():
            sources[entity_id].append((article.slug, count))
    return {entity_id: LazyMentions(entity_id, found, entry)  # type: ignore[misc]
            for entity_id, found in sources.items()}


def page_fingerprints(edition: Edition, everything: str, keys: dict[str, str],
                      records: dict[str, ArticleRecord]) -> dict[str, str]:
    """A hash of each page's inputs. `everything` covers what all pages share; an article page adds its body,
    an entity page the mentions of it in each article, a kind index the number of mentions of each member."""
    found: dict[str, list[str]] = {entity_id: [] for entity_id in edition.entities}
    totals: dict[str, int] = dict.fromkeys(edition.entities, 0)
    for article in edition.articles:
        slug = article.slug
        for entity_id, (count, mentions) in records[slug].mentions.items():
            found[entity_id].append(f"{slug} {count} {mentions}")
            totals[entity_id] += count
    prints = {"index.html": digest(everything, "home"), "404.html": digest(everything, "404")}
    for article in edition.articles:
        prints[article.output] = digest(everything, "article", article.slug, keys[article.slug])
    for entity in edition.entities.values():
        prints[entity.output] = digest(everything, "entity", entity.id, "\n".join(found[entity.id]))
    for kind in edition.config.kinds.values():
        counts = [(e.id, totals[e.id]) for e in edition.entities.values() if e.kind == kind]
        prints[f"{kind.folder}/index.html"] = digest(everything, "kind", kind.key, repr(counts))
    return prints


_TEMPLATE_READS_BODY = re.compile(r"\.body\b|\[\s*[\"']body[\"']\s*\]|attr\(\s*[\"']body[\"']")


def edition_key(edition: Edition, keys: dict[str, str]) -> str:
    """What every page may read besides its own body and mentions (see cache.edition_key). A theme whose
    templates read an article's raw Markdown (`article.body`, say for a reading time) makes every body count."""
    shared = cache_edition_key(edition)
    for folder in edition.theme_dirs:
        for template in sorted((folder / "templates").rglob("*")):
            if template.is_file() and _TEMPLATE_READS_BODY.search(template.read_text(encoding="utf-8", errors="replace")):
                return digest(shared, *keys.values())
    return shared


def write_pages(plan: list[tuple[str, Callable[[], str]]], todo: list[int], writer: SiteWriter,
                problems: Problems, workers: int, links: Links, progress: Progress | None = None) -> None:
    """Render and write the pages of `plan` listed in `todo`, in a pool of processes when there are many
    (each writes its own pages into the same temporary folder)."""
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        chunks = page_chunks([path for path, _ in plan], todo, links, workers)
        done = 0
        for result in _in_pool(workers, (plan, writer, problems), _write_page_chunk, chunks):
            count, found = _raise_from_worker(result)
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


# The values a pool's workers share, set just before the pool forks them (they inherit, nothing is pickled).
_SHARED: tuple = ()


def _die_with_parent(parent: int) -> None:
    """A pool worker ends with the build that forked it, even one killed with SIGKILL (Linux: a worker
    otherwise outlives it, waiting on its queue for ever)."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _in_pool(workers: int, shared: tuple, function: Callable, chunks: list[list[int]]) -> Iterator:
    """Results of function(chunk) for each chunk, in order, from `workers` forked processes."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    global _SHARED
    _SHARED = shared
    gc.freeze()  # the workers share the parent's objects; a collection in a worker would copy all their pages
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        futures: list[Future | None] = [pool.submit(function, chunk) for chunk in chunks]
        for index, future in enumerate(futures):
            assert future is not None
            futures[index] = None  # a result is let go once used: together they can be the size of the edition
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
        _SHARED = ()


def _render_entries(indices: list[int]) -> tuple[str, object]:
    edition, matcher, problems, store, keys = _SHARED
    try:
        encoded = [render_entry(edition.articles[index], edition, matcher, problems).encode() for index in indices]
        if store:
            store.write_bodies([(keys[edition.articles[i].slug], data) for i, data in zip(indices, encoded, strict=True)])
        return "ok", encoded
    except GlossError as exc:
        return "error", dataclasses.astuple(exc.problem)


def _write_page_chunk(indices: list[int]) -> tuple[str, object]:
    plan, writer, problems = _SHARED
    before = len(problems.items)
    count = 0
    try:
        for index in indices:
            path, make = plan[index]
            writer.write(path, make())
            count += 1
    except GlossError as exc:
        return "error", dataclasses.astuple(exc.problem)
    return "ok", (count, [dataclasses.astuple(p) for p in problems.items[before:]])


def _raise_from_worker(result: tuple[str, object]):
    """A worker's result, or the GlossError it met (a Problem crosses the process boundary as a tuple)."""
    status, value = result
    if status == "error":
        raise GlossError(Problem(*value))  # type: ignore[misc]
    return value


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
        urls = "".join(f"  <url><loc>{escape(absolute_url(base, p), quote=False)}</loc></url>\n" for p in pages)
        writer.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n"



__all__ = ["BuildFailed", "BuildReport", "GlossError", "analyse", "build", "load", "match"]
