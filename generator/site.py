"""The edition carried through the stages, for every command: `Site.load(...)`, then `site.analyse()`
(`gloss check`, `gloss handout`), `site.build(writer)` (`gloss build`) or `site.update(changed)` (`gloss
serve`, after each save).

The stages, always in this order: load (config, articles, annotations; the only stage that reads the
edition) → match (one automaton for every alias) → bodies (each article rendered, generator/bodies.py)
→ resolve (mentions per entity, related entities, neighbours) → check (links, unmentioned entities)
→ pages (generator/render/pages.py) → write (the only stage that writes, generator/write.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import pool
from .bodies import Progress, RenderedBodies
from .cache import ArticleRecord, BuildCache, Manifest, unchanged_page
from .comentions import often_mentioned_with
from .linkcheck import check_links
from .live import LiveState, Outcome
from .load.edition import Memo
from .match.matcher import Matcher
from .model import Edition, RenderedArticle
from .problems import Problems
from .render.annotations import LinkFound
from .render.pages import Pages
from .resolve import Links, resolve
from .search import write_index
from .stages import (
    edition_key,
    lazy_mentions,
    load,
    match,
    page_fingerprints,
    warn_unmentioned,
    write_assets,
    write_pages,
)
from .write import MARKER, SiteWriter


@dataclass
class BuildReport:
    articles: int
    pages: int
    files: int
    problems: Problems
    seconds: float
    output: Path | None = None


class BuildFailed(Exception):
    """The edition has errors; nothing was written."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems


class Site:
    """An edition loaded, and what the later stages made of it."""

    edition: Edition  # set by the load stage
    matcher: Matcher  # set by the match stage

    def __init__(self, site_file: Path, *, base_url: str | None = None, drafts: bool = False,
                 jobs: int | None = None, problems: Problems | None = None):
        """A site not loaded yet: `Site.load(...)` loads one; `gloss serve` makes one and calls `update`."""
        self.site_file, self.base_url, self.drafts = site_file, base_url, drafts
        self.problems = problems if problems is not None else Problems()
        self.workers = pool.size(jobs)
        self.bodies: RenderedBodies | None = None
        self.records: dict[str, ArticleRecord] = {}  # per article: its key, mention counts, problems, links
        self.links: Links | None = None
        self.pages: Pages | None = None
        self.gloss_refs: dict[str, list[str]] = {}
        self.gloss_links: dict[str, list[LinkFound]] = {}
        self.live: LiveState | None = None  # what `update` keeps between saves

    @property
    def loaded(self) -> bool:
        return hasattr(self, "edition")

    # ------------------------------------------------------------------ the commands

    @classmethod
    def load(cls, site_file: Path, problems: Problems | None = None, *, base_url: str | None = None,
             drafts: bool = False, memo: Memo | None = None, jobs: int | None = None) -> Site:
        """Stages load and match. `memo` lets `gloss serve` reuse what it read from files that have not changed.
        Raises GlossError when site.toml cannot be read; other problems are reported into `problems`."""
        site = cls(site_file, base_url=base_url, drafts=drafts, jobs=jobs, problems=problems)
        site.edition = load(site_file, site.problems, base_url, drafts, memo)
        site.matcher = match(site.edition)
        return site

    def analyse(self, progress: Progress | None = None, *, store: BuildCache | None = None,
                previous: Manifest | None = None) -> Site:
        """Every stage but writing: bodies, resolve, check. What `gloss check` and `gloss handout` run, and `gloss
        build` before it writes (with its cache `store`, and the `previous` build's manifest when it matches)."""
        if self.bodies is None or self.bodies.store is not store:
            self.bodies = RenderedBodies(self.edition, self.matcher, self.problems, store, self.workers)
        self.render_bodies(previous, progress)
        self.resolve(previous)
        self.check()
        return self

    def build(self, writer: SiteWriter, *, cache: bool = True, progress: Progress | None = None) -> BuildReport:
        """Every stage, into `writer` (see `Site.writer`). With `cache`, bodies come from .gloss-cache/ where their
        inputs are unchanged, and pages whose inputs are unchanged are taken from the previous build; the output
        is the same, byte for byte. Raises BuildFailed on errors; the previous build is then left as it was."""
        started = time.perf_counter()
        edition, problems = self.edition, self.problems
        target = writer.output
        store = BuildCache(edition.config.root) if cache else None
        self.bodies = RenderedBodies(edition, self.matcher, problems, store, self.workers)
        everything = edition_key(edition, self.bodies.cache_keys)
        previous = store.previous(target, MARKER) if store else None
        if previous is not None and previous.edition != everything:
            previous = None  # site.toml, the theme, an entity or an article's front matter changed: redo every page
        try:
            self.analyse(progress, store=store, previous=previous)
            if problems.errors:
                raise BuildFailed(problems)
            assert self.pages is not None and self.links is not None
            fingerprints = page_fingerprints(edition, everything, self.bodies.cache_keys, self.records, self.links.together)
            pages = self.pages.plan()
            plan = pages + self.pages.open_data.plan()  # the pages, then the data files (export/)
            todo: list[int] = []
            for index, (path, _) in enumerate(plan):
                fingerprint = fingerprints.get(path)
                if previous is not None and fingerprint and unchanged_page(previous, target, path, fingerprint):
                    writer.link(os.path.join(target, path), path)
                else:
                    todo.append(index)
            write_pages(plan, todo, writer, problems, self.workers, self.links, progress)
            write_assets(edition, writer)
            if edition.config.search:
                write_index(edition, self.bodies, writer, store, self.workers)
            if problems.errors:
                raise BuildFailed(problems)
            if store:
                store.forget(target)  # the manifest describes the folder about to be replaced
            writer.commit()
        except BaseException:
            writer.abandon()
            raise
        if store:
            store.save(target, MARKER, Manifest(everything, (0, 0, 0), self.gloss_refs, self.gloss_links, self.records), fingerprints)
            store.prune(self.bodies.cache_keys.values(), len(edition.articles))
        return BuildReport(len(edition.articles), len(pages), writer.count, problems, time.perf_counter() - started,
                           target)

    def writer(self, output: Path | None = None) -> SiteWriter:
        """A SiteWriter into `output` (default: build/ beside site.toml), never into the edition's own folders."""
        root = self.edition.config.root
        return SiteWriter(output or root / "build",
                          forbidden=[root, root / "content", root / "annotations", *self.edition.theme_dirs])

    def update(self, changed: Iterable[Path] = ()) -> Outcome:
        """Bring the site up to date with the files on disk (`changed` names files known to have changed),
        re-rendering only what they can change; the files are those `build` writes, byte for byte."""
        if self.live is None:
            self.live = LiveState(self)
        return self.live.update(changed)

    # ------------------------------------------------------------------ the stages

    def render_bodies(self, previous: Manifest | None = None, progress: Progress | None = None) -> None:
        """Stage bodies: an article unchanged since the previous build (same key) is not even read from the cache;
        the others come from the cache or are rendered. Each one's problems are reported in reading order."""
        assert self.bodies is not None
        bodies, records = self.bodies, self.records
        records.clear()
        for article in self.edition.articles:
            record = previous.articles.get(article.slug) if previous else None
            if record is not None and record.key == bodies.cache_keys[article.slug]:
                records[article.slug] = record
        bodies.fill([a for a in self.edition.articles if a.slug not in records], progress)
        for article in self.edition.articles:
            if article.slug not in records:
                records[article.slug] = bodies.entry(article.slug).record(bodies.cache_keys[article.slug])
            self.problems.extend(records[article.slug].problems)

    def resolve(self, previous: Manifest | None = None) -> None:
        """Stage resolve. Mentions are indexed from the records and read from the bodies only when a page lists
        them, in the process that renders that page; the glosses' references are the previous build's when no
        entity changed."""
        assert self.bodies is not None
        edition = self.edition
        self.pages = Pages(edition, self.bodies, Links(), self.problems)
        self.gloss_refs = previous.gloss_refs if previous else self.pages.gloss_refs()
        self.gloss_links = previous.gloss_links if previous else self.pages.gloss_links
        no_mentions = RenderedArticle("", [], [], [], 0)
        self.links = resolve(edition, {a.slug: no_mentions for a in edition.articles}, self.gloss_refs, self.problems)
        self.links.mentions = lazy_mentions(edition, self.records, self.bodies.entry)
        self.links.together = often_mentioned_with((g for r in self.records.values() for g in r.together),
                                                   edition.entities)
        self.pages.links = self.links

    def check(self) -> None:
        """Stage check: every internal link and image, and every entity mentioned somewhere."""
        assert self.bodies is not None and self.pages is not None and self.links is not None
        warn_unmentioned(self.edition, self.links, self.problems)
        records, gloss_links = self.records, self.gloss_links
        check_links(self.edition, self.bodies.html, self.pages.rendered_gloss, self.problems,
                    lambda article: records[article.slug].links, lambda entity: gloss_links.get(entity.id, []))
