"""What `Site.update` keeps in memory between saves, for `gloss serve`.

Each update runs the same stages as `Site.build` (generator/site.py), in the same order, but reuses what cannot have
changed: files are re-read only when they changed on disk, article bodies are re-rendered only when
their text, their notes file, or an alias that can match in them changed, and a page is rendered again
only when something it shows changed — the entities and articles in its template's context, its
entity's mentions, its neighbours, or (for templates that list them) the articles or the counts. The
files it produces are the ones `gloss build` writes, byte for byte (tests/test_serve.py compares them).
The first build (and any rebuild that must render many bodies) gets its bodies the way `gloss build` does:
from .gloss-cache/ where their key matches, the others rendered in its process pool.
"""

from __future__ import annotations

import dataclasses
import html
import os
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta

from . import pool
from .bodies import RenderedBodies, render_body
from .cache import BuildCache, PackedBody
from .comentions import groups_of_mentions, often_mentioned_with
from .linkcheck import check_links
from .match.matcher import WORD, normalise
from .model import Article, Edition, Entity, Mention, RenderedArticle, Sidecar
from .nofollow import read_source
from .problems import GlossError, Problem, Problems
from .render.annotations import LinkFound
from .render.pages import Pages
from .resolve import Links, resolve
from .search import SearchMemo, write_search
from .stages import load, match, page_chunks, warn_unmentioned, write_assets

if TYPE_CHECKING:
    from .site import Site

EVERYTHING = frozenset({"*"})  # a template whose includes cannot be known statically: it may use anything


def _signature(path: Path) -> tuple[int, ...] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


class FileMemo:
    """What the loaders made of each file (and the problems they found), kept while the file is unchanged.

    Passed to `build.load` as its memo. A file counts as changed when the watcher names it or its
    size, times or inode differ, so an editor's atomic save (write a temp file, rename it) is seen."""

    def __init__(self) -> None:
        self.entries: dict[Path, tuple[tuple[int, ...], Any, list[Problem]]] = {}

    def __call__(self, path: Path, problems: Problems, read: Callable[[Problems], Any]) -> Any:
        signature = _signature(path)
        entry = self.entries.get(path)
        if entry is not None and signature is not None and entry[0] == signature:
            problems.extend(entry[2])
            return entry[1]
        own = Problems(root=problems.root)
        result = read(own)
        problems.extend(own.items)
        if signature is not None:
            self.entries[path] = (signature, result, own.items)
        return result

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop what was read from these files, or from anything under these folders."""
        for changed in paths:
            prefix = str(changed) + os.sep
            for path in [p for p in self.entries if p == changed or str(p).startswith(prefix)]:
                del self.entries[path]

    def clear(self) -> None:
        self.entries.clear()


@dataclass
class ServedBody:
    """An article's rendered body as gloss serve keeps it between saves: the RenderedArticle, what it was
    rendered from (to tell whether a change can reach it) and the problems it had."""

    article: Article
    sidecar: Sidecar | None
    rendered: RenderedArticle
    problems: list[Problem]
    text: str  # the body as aliases are looked for in it: character references decoded, NFC
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # by entity, in reading order


@dataclass
class Note:
    """A rendered gloss or summary, remembered across rebuilds."""

    html: str
    refs: list[str]
    problems: list[Problem]
    text: str  # the Markdown it came from, to tell whether a changed entity is referred to
    links: list[LinkFound] = field(default_factory=list)  # a gloss's links to check


@dataclass
class Page:
    """A rendered page and what it showed, to know when it must be rendered again."""

    html: bytes | None  # None when the template failed
    template: str = ""
    entities: frozenset[str] = frozenset()  # entities whose fields, summary or gloss the page shows
    articles: frozenset[str] = frozenset()  # articles whose front matter the page shows
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Outcome:
    """One rebuild: the site's files (None when the edition has errors), its problems, what it did."""

    files: dict[str, bytes] | None
    problems: Problems
    rendered: int = 0  # pages rendered
    changed: list[str] = field(default_factory=list)  # output files that differ from the last good site
    full: bool = False
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, for bench/serve_bench.py


class Clock:
    """Seconds spent in each stage of a rebuild."""

    def __init__(self, started: float, first: str):
        self.stages: dict[str, float] = {}
        self.last = started
        self.lap(first)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = now - self.last
        self.last = now


class LiveState:
    """The site's rendered bodies, notes and pages, kept between updates."""

    def __init__(self, site: Site):
        self.site = site  # the Site this state belongs to: each update loads its edition again
        self.memo = FileMemo()
        self.bodies: dict[str, ServedBody] = {}
        self.glosses: dict[str, Note] = {}
        self.summaries: dict[tuple[str, str], Note] = {}
        self.pages: dict[str, Page] = {}
        self.files: dict[str, bytes] = {}  # everything that is not a page: assets, media, sitemap …
        self.copies: dict[Path, tuple[tuple[int, ...] | None, bytes]] = {}
        self.env: jinja2.Environment | None = None
        self.template_names: dict[str, frozenset[str]] = {}
        self.theme: tuple = ()
        self.render_all = True  # the next rebuild renders every page (first build, theme change)
        self.good: dict[str, bytes] = {}  # the last site without errors
        self.search_memo = SearchMemo()  # indexed articles, for search/ (only changed ones are indexed again)

    # ------------------------------------------------------------------ the update

    def update(self, changed: Iterable[Path] = ()) -> Outcome:
        """Bring the site up to date with the files on disk; `changed` names files known to have changed.
        The stages are Site's, in its order: load, match, bodies, resolve, check, pages, write (to memory)."""
        site = self.site
        started = time.perf_counter()
        changed = list(changed)
        self.memo.forget(changed)
        for path in changed:  # theme and media files, whatever their times say
            self.copies.pop(path, None)
        problems = Problems()
        try:
            edition = load(site.site_file, problems, site.base_url, site.drafts, self.memo)
            old = site.edition if site.loaded else None
            if old is not None and edition.config.kinds != old.config.kinds:
                self.memo.clear()  # entity files were read with the old kinds
                problems = Problems()
                edition = load(site.site_file, problems, site.base_url, site.drafts, self.memo)
        except GlossError as exc:
            problems.extend([exc.problem])
            return Outcome(None, problems, seconds=time.perf_counter() - started)
        if problems.errors:  # keep the last loaded edition: the next rebuild compares with it
            return Outcome(None, problems, seconds=time.perf_counter() - started)

        theme = _theme_signature(edition.theme_dirs)
        if old is None or edition.config != old.config or edition.strings != old.strings:
            old = None
            self.bodies, self.glosses, self.summaries, self.pages = {}, {}, {}, {}
            self.env, self.template_names, self.render_all = None, {}, True
        elif theme != self.theme:
            self.env, self.template_names, self.render_all = None, {}, True
        self.theme = theme
        full = self.render_all

        clock = Clock(started, "load")
        # Entities: which changed, and which changed in a way article bodies can see.
        before = old.entities if old else {}
        changed_entities = {i for i in before.keys() | edition.entities.keys()
                            if before.get(i) != edition.entities.get(i)}
        renamed = {i for i in changed_entities if _names(before.get(i)) != _names(edition.entities.get(i))}
        matcher = site.matcher if old and not renamed else match(edition)
        probes = {word for i in renamed for e in (before.get(i), edition.entities.get(i)) for word in _probes(e)}

        # Bodies: re-render the articles that changed or that a changed alias can reach.
        todo: list[Article] = []
        for article in edition.articles:
            body = self.bodies.get(article.slug)
            sidecar = edition.sidecars.get(article.slug)
            if (body is None or body.article != article or body.sidecar != sidecar
                    or (changed_entities and _reaches(body, renamed, probes, bool(changed_entities)))):
                todo.append(article)
        rerendered = {article.slug for article in todo}
        if old is None or len(todo) >= pool.PARALLEL_FROM:  # the first build, or many at once: as `gloss build` does
            fresh = self._bodies_from_cache(todo, edition, matcher, problems)
        else:  # a save: one article or a few, rendered here
            fresh = {a.slug: self._render_body(a, edition.sidecars.get(a.slug), edition, matcher) for a in todo}
        bodies = {a.slug: fresh.get(a.slug) or self.bodies[a.slug] for a in edition.articles}
        old_bodies, self.bodies = self.bodies, bodies

        clock.lap("bodies")
        # Glosses and summaries: forget those of changed entities and those that refer to one.
        shown_changed = set(changed_entities)
        for cache in (self.glosses, self.summaries):
            for key in list(cache):
                entity_id = key if isinstance(key, str) else key[0]
                note = cache[key]
                if (entity_id in changed_entities or entity_id not in edition.entities
                        or (changed_entities and (note.problems or any(i in note.text for i in changed_entities)))):
                    del cache[key]
                    shown_changed.add(entity_id)

        rendered = {slug: body.rendered for slug, body in bodies.items()}
        pages = LivePages(edition, rendered, self)
        links_problems = Problems(root=edition.config.root)
        # Resolve: related entities, glosses' references and neighbours from the stage itself; the mentions
        # (all of every article: the one part that grows with the edition) only for the entities that an
        # article rendered again mentions or mentioned.
        unread = RenderedArticle("", [], [], [], 0)
        links = resolve(edition, {slug: unread for slug in bodies}, pages.gloss_refs(), links_problems)
        old_links = site.links if old else None
        links.mentions = _mentions(edition, bodies, old_bodies, rerendered, old, old_links)
        links.together = often_mentioned_with(
            groups_of_mentions(m for found in links.mentions.values() for m in found), edition.entities)
        pages.links = links
        clock.lap("resolve")
        # Check: the same as Site.check, the links from each body as it was rendered.
        warn_unmentioned(edition, links, links_problems)
        check_links(edition, lambda slug: bodies[slug].rendered.html if slug in bodies else None,
                    pages.rendered_gloss,
                    links_problems, lambda article: bodies[article.slug].rendered.links, pages.links_of_gloss)
        site.edition, site.matcher, site.links, site.pages = edition, matcher, links, pages
        site.problems = problems

        clock.lap("check")
        # Pages.
        renderers = dict(pages.plan() + pages.open_data.plan())  # the pages and the data files beside them
        if full or old is None or old_links is None:
            count = self._render_everything(renderers, pages)
        else:
            targets = self._targets(old, edition, old_links, links, rerendered, changed_entities,
                                    shown_changed, renderers)
            for path in [p for p in self.pages if p not in renderers]:
                del self.pages[path]
            for path in sorted(targets):
                self.pages[path] = pages.page(renderers[path])
            count = len(targets)

        clock.lap("pages")
        # Everything else: theme files, Pygments CSS, .nojekyll, sitemap, media.
        writer = MemoryWriter(self.copies)
        write_assets(edition, writer)
        if edition.config.search:
            write_search(edition, rendered, self.search_memo, writer)
        self.files = writer.files

        everything = Problems(root=edition.config.root)
        everything.extend(problems.items)
        for body in bodies.values():
            everything.extend(body.problems)
        for note in (*self.glosses.values(), *self.summaries.values()):
            everything.extend(note.problems)
        for page in self.pages.values():
            everything.extend(page.problems)
        everything.extend(links_problems.items)
        seconds = time.perf_counter() - started
        if everything.errors:
            return Outcome(None, everything, count, full=full, seconds=seconds, stages=clock.stages)
        files = {path: page.html for path, page in self.pages.items() if page.html is not None} | self.files
        changed_files = sorted(p for p in files.keys() | self.good.keys() if files.get(p) != self.good.get(p))
        if changed_files:
            self.good = files
        clock.lap("files")
        return Outcome(self.good, everything, count, changed_files, full, time.perf_counter() - started,
                       clock.stages)

    def _bodies_from_cache(self, articles: list[Article], edition: Edition, matcher,
                           problems: Problems) -> dict[str, ServedBody]:
        """Bodies from .gloss-cache/ where their key matches; the others rendered by `gloss build`'s code (in
        its process pool when there are many) and stored there. The pool forks, so it is used only while this
        process runs one thread: the first build, before the server and the watcher start."""
        workers = pool.size() if pool.may_fork() else 1
        try:
            store: BuildCache | None = BuildCache(edition.config.root)
        except GlossError as refused:  # a symlinked .gloss-cache: served without the cache, and said once
            problems.warning(refused.problem.path, 0, refused.problem.message + ": the preview does not use it",
                             refused.problem.fix)
            store = None
        found = RenderedBodies(edition, matcher, problems, store, workers)
        found.fill(articles)
        return {a.slug: self._body(a, edition.sidecars.get(a.slug), _rendered(found.entry(a.slug), a.slug),
                                   found.entry(a.slug).problems)
                for a in articles}

    def _render_body(self, article: Article, sidecar: Sidecar | None, edition: Edition, matcher) -> ServedBody:
        own = Problems(root=edition.config.root)
        rendered = render_body(article, edition, matcher, own)
        return self._body(article, sidecar, rendered, own.items)

    @staticmethod
    def _body(article: Article, sidecar: Sidecar | None, rendered: RenderedArticle, problems: list[Problem]) -> ServedBody:
        """A rendered body with what rebuilds need to tell whether a change can reach it."""
        text = unicodedata.normalize("NFC", html.unescape(article.body.replace("\\", "")))
        if sidecar is not None:
            text += "\n" + "\n".join(pin.entity for pin in sidecar.pins)
        mentions: dict[str, list[Mention]] = {}
        for mention in rendered.mentions:
            mentions.setdefault(mention.entity, []).append(mention)
        return ServedBody(article, sidecar, rendered, problems, article.body + "\n" + text, mentions)

    def _render_everything(self, renderers: dict[str, Callable[[], str]], pages: LivePages) -> int:
        """Every page; in `gloss build`'s process pool when there are many and this process runs one thread
        (the first build: the pool forks). The workers send back the pages and the notes they rendered."""
        paths = list(renderers)
        workers = pool.size() if pool.may_fork() else 1
        if workers > 1 and len(paths) >= pool.PARALLEL_FROM and pages.links is not None:
            found: dict[str, Page] = {}
            chunks = page_chunks(paths, list(range(len(paths))), pages.links, workers)
            for done, glosses, summaries in pool.run(workers, (paths, renderers, pages, self), _render_page_chunk,
                                                     chunks):
                found.update(done)
                for key, note in glosses:
                    self.glosses.setdefault(key, note)
                for key, note in summaries:
                    self.summaries.setdefault(key, note)
            self.pages = {path: found[path] for path in paths}
        else:
            self.pages = {path: pages.page(make) for path, make in renderers.items()}
        self.render_all = False  # a page that failed is rendered again by every rebuild until it works
        return len(self.pages)

    def _targets(self, old: Edition, new: Edition, old_links: Links, links: Links, rerendered: set[str],
                 changed_entities: set[str], shown_changed: set[str],
                 renderers: dict[str, Callable[[], str]]) -> set[str]:
        """The pages that what changed can reach."""
        targets = {p for p in renderers if p not in self.pages}
        targets.update(p for p, page in self.pages.items() if page.problems or page.html is None)
        old_articles = {a.slug: a for a in old.articles}
        new_articles = {a.slug: a for a in new.articles}
        cards_changed = {s for s in old_articles.keys() | new_articles.keys()
                         if old_articles.get(s) is not new_articles.get(s)
                         and _card(old_articles.get(s), new.reads_markdown)
                         != _card(new_articles.get(s), new.reads_markdown)}
        list_changed = bool(cards_changed) or list(old_articles) != list(new_articles)
        for slug, article in new_articles.items():
            if (slug in rerendered or slug in cards_changed
                    or _neighbours(old_links, slug) != _neighbours(links, slug)):
                targets.add(article.output)
        for entity_id, entity in new.entities.items():
            mentions = links.mentions.get(entity_id, [])
            before = old_links.mentions.get(entity_id, [])
            if (entity_id in changed_entities or mentions != before
                    or links.related.get(entity_id) != old_links.related.get(entity_id)
                    or links.cited_by.get(entity_id) != old_links.cited_by.get(entity_id)
                    or links.together.get(entity_id) != old_links.together.get(entity_id)):
                targets.add(entity.output)
            if len(mentions) != len(before):
                targets.add(f"{entity.kind.folder}/index.html")  # mention counts
        counts_changed = False
        for entity_id in changed_entities:
            for entity in (old.entities.get(entity_id), new.entities.get(entity_id)):
                if entity is not None:
                    targets.add(f"{entity.kind.folder}/index.html")
            counts_changed |= _kind(old.entities.get(entity_id)) != _kind(new.entities.get(entity_id))
        for path, page in self.pages.items():
            if path in targets:
                continue
            names = self.template_uses(page.template)
            everything = names is EVERYTHING
            if (page.entities & shown_changed or page.articles & cards_changed
                    or (list_changed and (everything or "articles" in names))
                    or (counts_changed and (everything or "counts" in names))):
                targets.add(path)
        targets |= self._data_files(new, targets, renderers)
        return {t for t in targets if t in renderers}

    @staticmethod
    def _data_files(edition: Edition, targets: set[str], renderers: dict[str, Callable[[], str]]) -> set[str]:
        """The data files (export/) to redo: each re-rendered article's, and the edition's own."""
        from .render.open_data import OpenData

        return OpenData.files_for(edition, {a.slug for a in edition.articles if a.output in targets}, renderers)

    # ------------------------------------------------------------------ templates

    def template_uses(self, name: str) -> frozenset[str]:
        """The context names a template (with those it extends, includes and imports) refers to."""
        if name in self.template_names:
            return self.template_names[name]
        env = self.env
        names: set[str] = set()
        seen: set[str] = set()
        queue = [name]
        result: frozenset[str] | None = None
        while queue and env is not None:
            current = queue.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source = env.loader.get_source(env, current)[0] if env.loader else ""
                tree = env.parse(source)
                names |= meta.find_undeclared_variables(tree)
            except jinja2.TemplateError:  # rendering it will report the error
                result = EVERYTHING
                break
            for referenced in meta.find_referenced_templates(tree):
                if referenced is None:
                    result = EVERYTHING
                    break
                queue.append(referenced)
            if result is not None:
                break
        result = result if result is not None else frozenset(names)
        self.template_names[name] = result
        return result


class LivePages(Pages):
    """Pages that remember glosses and summaries across rebuilds and record what each page shows."""

    def __init__(self, edition: Edition, bodies: dict[str, RenderedArticle], live: LiveState):
        super().__init__(edition, bodies, Links(), Problems(root=edition.config.root))
        if live.env is None:
            live.env = self.env
        else:
            self.env = live.env
        self.live = live
        self._entities: set[str] = set()
        self._articles: set[str] = set()
        self._template = ""

    def _remember(self, cache: dict, key, entity: Entity, compute: Callable[[], tuple[str, list[str]]]) -> Note:
        note = cache.get(key)
        if note is None:
            own = Problems(root=self.config.root)
            outer, self.problems = self.problems, own
            try:
                html_text, refs = compute()
            finally:
                self.problems = outer
            note = Note(html_text, list(refs), own.items, f"{entity.summary}\n{entity.gloss}",
                        self.gloss_links.pop(entity.id, []))
            cache[key] = note
        self._entities.add(entity.id)
        self._entities.update(note.refs)
        return note

    def links_of_gloss(self, entity: Entity) -> list[LinkFound]:
        note = self.live.glosses.get(entity.id)
        return note.links if note else []

    def rendered_gloss(self, entity_id: str) -> str | None:
        note = self.live.glosses.get(entity_id)
        return note.html if note else None

    def summary(self, entity: Entity, page: str) -> tuple[str, list[str]]:
        note = self._remember(self.live.summaries, (entity.id, page.rpartition("/")[0]), entity,
                              partial(super().summary, entity, page))
        return note.html, note.refs

    def gloss(self, entity: Entity) -> tuple[str, list[str]]:
        note = self._remember(self.live.glosses, entity.id, entity, partial(super().gloss, entity))
        return note.html, note.refs

    def _render(self, template: str, context: dict) -> str:
        self._template = template
        names = self.live.template_uses(template)
        for key, value in context.items():
            if names is EVERYTHING or key in names:
                _collect(value, self._entities, self._articles)
        return super()._render(template, context)

    def page(self, render: Callable[[], str]) -> Page:
        """Render one page, recording what it showed and the problems it had."""
        own = Problems(root=self.config.root)
        outer, self.problems = self.problems, own
        self._entities, self._articles, self._template = set(), set(), ""
        try:
            html_bytes: bytes | None = render().encode("utf-8")
        except GlossError as exc:
            own.extend([exc.problem])
            html_bytes = None
        finally:
            self.problems = outer
        return Page(html_bytes, self._template, frozenset(self._entities), frozenset(self._articles), own.items)


class MemoryWriter:
    """SiteWriter's write/copy, into a dict; copies are re-read only when the source file changed."""

    def __init__(self, copies: dict[Path, tuple[tuple[int, ...] | None, bytes]]):
        self.files: dict[str, bytes] = {}
        self.copies = copies
        self.count = 0

    def write(self, path: str, content: str | bytes) -> None:
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        self.count += 1

    def copy(self, source: Path, path: str) -> None:
        signature = _signature(source)
        cached = self.copies.get(source)
        if cached is None or signature is None or cached[0] != signature:
            cached = (signature, read_source(source))
            self.copies[source] = cached
        self.files[path] = cached[1]
        self.count += 1


# ------------------------------------------------------------------ helpers


def _mentions(edition: Edition, bodies: dict[str, ServedBody], old_bodies: dict[str, ServedBody], rerendered: set[str],
              old: Edition | None, old_links: Links | None) -> dict[str, list[Mention]]:
    """Every entity's mentions in reading order (what resolve() gathers), reusing the lists of entities
    whose mentions in the articles rendered again are what they were."""
    order = [a.slug for a in edition.articles]
    if old is None or old_links is None or order != [a.slug for a in old.articles]:
        mentions: dict[str, list[Mention]] = {entity_id: [] for entity_id in edition.entities}
        for slug in order:
            for mention in bodies[slug].rendered.mentions:
                mentions[mention.entity].append(mention)
        return mentions
    affected: set[str] = set()
    for slug in rerendered:
        now = bodies[slug].mentions
        before = old_bodies[slug].mentions if slug in old_bodies else {}
        affected.update(e for e in now.keys() | before.keys() if now.get(e) != before.get(e))
    mentions = {}
    for entity_id in edition.entities:
        kept = old_links.mentions.get(entity_id)
        if entity_id in affected or kept is None:
            kept = [m for slug in order for m in bodies[slug].mentions.get(entity_id, ())]
        mentions[entity_id] = kept
    return mentions


def _render_page_chunk(indices: list[int]) -> tuple[list[tuple[str, Page]], list, list]:
    """In a pool's worker: these pages, and the glosses and summaries first rendered for them."""
    paths, renderers, pages, live = pool.shared()
    glosses, summaries = set(live.glosses), set(live.summaries)
    done = [(paths[i], pages.page(renderers[paths[i]])) for i in indices]
    return (done, [(k, n) for k, n in live.glosses.items() if k not in glosses],
            [(k, n) for k, n in live.summaries.items() if k not in summaries])


def _rendered(entry: PackedBody, slug: str) -> RenderedArticle:
    """A cached body as render_body returns it, its mentions decoded (rebuilds compare them)."""
    return dataclasses.replace(entry.body(slug), mentions=entry.mentions(slug))


def _collect(value: Any, entities: set[str], articles: set[str], depth: int = 0) -> None:
    """The entities and articles a template context value holds (what the page can show of them)."""
    if isinstance(value, Entity):
        entities.add(value.id)
    elif isinstance(value, Article):
        articles.add(value.slug)
    elif isinstance(value, (str, bytes, int, float, Mention)) or value is None or depth > 4:
        return
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, entities, articles, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(item, entities, articles, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _collect(getattr(value, f.name), entities, articles, depth + 1)


def _names(entity: Entity | None) -> tuple | None:
    """What article bodies see of an entity: its names (for matching), kind and page (for links)."""
    return None if entity is None else (entity.name, entity.aliases, entity.kind, entity.output)


def _kind(entity: Entity | None) -> str | None:
    return None if entity is None else entity.kind.key


def _probes(entity: Entity | None) -> set[str]:
    """A word that must appear in an article for each alias of the entity to match there: its first."""
    if entity is None:
        return set()
    words = {entity.id}
    for alias in (entity.name, *entity.aliases):
        found = WORD.match(normalise(" ".join(alias.split())))
        if found:
            words.add(found.group())
    return words


def _reaches(body: ServedBody, renamed: set[str], probes: set[str], entities_changed: bool) -> bool:
    """Whether a change to these entities' names can change this article's body."""
    if body.problems and entities_changed:
        return True  # e.g. `[[id]]` of an entity that was missing, or a hint naming the nearest id
    if not renamed:
        return False
    if any(entity_id in renamed for entity_id in body.rendered.entity_ids):
        return True
    return any(word in body.text for word in probes)


def _card(article: Article | None, markdown: bool = False) -> tuple | None:
    """What pages other than its own show of an article: its front matter, and its Markdown when the theme's
    theme.toml declares reads_markdown."""
    if article is None:
        return None
    skip = () if markdown else ("body", "body_line")
    return tuple(getattr(article, f.name) for f in dataclasses.fields(article) if f.name not in skip)


def _neighbours(links: Links, slug: str) -> tuple[str | None, str | None]:
    previous, following = links.neighbours.get(slug, (None, None))
    return (previous.slug if previous else None, following.slug if following else None)


def _theme_signature(folders: list[Path]) -> tuple:
    """Every template and strings file of the theme, with its size and times (static files are copied)."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if rel.parts and rel.parts[0] != "static" and path.is_file():
                found.append((str(path), _signature(path)))
    return tuple(found)
