"""Stage 2, render bodies: each article's Markdown as HTML, with the mentions, notes and links found in it.

A body comes from memory, from .gloss-cache/ when its key matches, or is rendered — in the process pool
(generator/pool.py) when there are many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from . import pool
from .cache import BuildCache, PackedBody, automaton_key, body_key, settings_key
from .load.edition import load_strings
from .match.matcher import Matcher
from .model import Article, Edition, RenderedArticle
from .problems import GlossError, Problems
from .render.annotations import MarkupContext
from .render.markdown import links_to_check, render_markdown

Progress = Callable[[str, int, int], None]


def render_body(article: Article, edition: Edition, matcher: Matcher, problems: Problems) -> RenderedArticle:
    """One article's body, its problems reported into `problems`."""
    html, ctx = render_article(article, edition, matcher, problems)
    return RenderedArticle(html=html, mentions=ctx.mentions, notes=ctx.notes, entity_ids=ctx.refs,
                           paragraphs=ctx.paragraphs, note_paragraphs=ctx.note_paragraphs,
                           links=links_to_check(ctx.links), paragraph_texts=ctx.paragraph_texts,
                           shown_text=ctx.shown_text)


def render_article(article: Article, edition: Edition, matcher: Matcher,
                   problems: Problems) -> tuple[str, MarkupContext]:
    """The body's HTML, and the context holding what the annotation rules found in it."""
    ctx = MarkupContext(entities=edition.entities, source=article.path, first_line=article.body_line,
                        problems=problems, matcher=matcher, notes_mode=edition.config.notes, article=article.slug,
                        sidecar=edition.sidecars.get(article.slug), number_paragraphs=True,
                        record_shown_text=edition.config.exports["annotations"], strings=edition.strings)
    absent = edition_strings(edition).get("image_not_reproduced")
    if absent:
        ctx.image_not_reproduced = absent
    html = render_markdown(article.body, ctx, article.output, edition.config.raw_html)
    sidecar = ctx.sidecar
    if sidecar is not None:
        for entry, kind in [(p, "pin") for p in sidecar.pins] + [(s, "skip") for s in sidecar.skips]:
            if id(entry) not in ctx.used_sidecar and not _reported(problems, sidecar.path, entry.line):
                problems.warning(sidecar.path, entry.line, f"[[{kind}]] {entry.quote.exact!r} changes no mention",
                                 "remove it, or quote the words of a mention" if kind == "skip" else
                                 "remove it, or quote the exact words of the mention")
    return html, ctx


def edition_strings(edition: Edition) -> dict[str, str]:
    """The theme's words with site.toml's [strings] over them, read once per edition (a body holds a few)."""
    key = (tuple(edition.theme_dirs), tuple(sorted(edition.config.strings.items())))
    if key not in _STRINGS:
        _STRINGS.clear()
        _STRINGS[key] = load_strings(edition.theme_dirs, edition.config.strings)
    return _STRINGS[key]


_STRINGS: dict[tuple, dict[str, str]] = {}


def _reported(problems: Problems, path: Path, line: int) -> bool:
    where = problems.where(path)
    return any(p.path == where and p.line == line for p in problems.items)


def render_entry(article: Article, edition: Edition, matcher: Matcher, problems: Problems) -> PackedBody:
    """render_body, with the problems it finds kept apart: the form the cache stores and workers return."""
    local = Problems(root=problems.root)
    sidecar = edition.sidecars.get(article.slug)
    if sidecar is not None:  # render_article does not repeat a problem already reported at a sidecar line
        where = problems.where(sidecar.path)
        local.extend([p for p in problems.items if p.path == where])
    seeded = len(local.items)
    html, ctx = render_article(article, edition, matcher, local)
    return PackedBody.from_rows(html, ctx.rows, ctx.order, ctx.notes, ctx.note_paragraphs, ctx.refs, ctx.paragraphs,
                               local.items[seeded:], links_to_check(ctx.links), ctx.escape_rows, ctx.paragraph_texts,
                               ctx.shown_text)


class RenderedBodies(Mapping[str, RenderedArticle]):
    """The rendered bodies of one build, by slug: from memory, from .gloss-cache/, or rendered (in a pool when
    many). The stages of a body: the Article's Markdown, rendered into a PackedBody (what the cache stores),
    unpacked into the RenderedArticle the pages read; gloss serve keeps each as a ServedBody (live.py).

    Each is held as a PackedBody (compact: an edition of 5,000 articles holds every one); `bodies[slug]` is the
    RenderedArticle the pages read, and `html(slug)` its HTML alone (what the link check reads): either is read
    from the cache only when first asked for, whether this run rendered the body or not, so a rebuild checks
    links as fully as a clean build without holding the HTML of the whole edition."""

    def __init__(self, edition: Edition, matcher: Matcher, problems: Problems, store: BuildCache | None,
                 workers: int):
        self.edition, self.matcher, self.problems, self.store, self.workers = edition, matcher, problems, store, workers
        automaton, settings = automaton_key(edition), settings_key(edition)
        self.cache_keys = {a.slug: body_key(a, edition.sidecars.get(a.slug), automaton, settings) for a in edition.articles}
        self.articles = {a.slug: a for a in edition.articles}
        self.entries: dict[str, PackedBody] = {}

    def __getitem__(self, slug: str) -> RenderedArticle:
        return self.entry(slug).body(slug)

    def __iter__(self) -> Iterator[str]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def html(self, slug: str) -> str | None:
        """An article's body HTML (None for a slug that is no article's)."""
        return self.entry(slug).html if slug in self.articles else None

    def entry(self, slug: str) -> PackedBody:
        if slug not in self.entries:
            self.fill([self.articles[slug]])
        return self.entries[slug]

    def fill(self, articles: list[Article], progress: Progress | None = None) -> None:
        """Have an entry for each article: read from the cache, or rendered."""
        missing: list[Article] = []
        for article in articles:
            if article.slug in self.entries:
                continue
            entry = self.store.read_body(self.cache_keys[article.slug]) if self.store else None
            if entry is None:
                missing.append(article)
            else:
                self.entries[article.slug] = entry
        total = len(missing)
        if self.workers > 1 and total >= pool.PARALLEL_FROM and not pool.in_worker():
            indices = {a.slug: n for n, a in enumerate(self.edition.articles)}
            chunks = [[indices[a.slug] for a in missing[i:i + 8]] for i in range(0, total, 8)]
            results = pool.run(self.workers, (self.edition, self.matcher, self.problems, self.store, self.cache_keys),
                               _render_entries, chunks)
            done = 0
            for chunk, encoded in zip(chunks, results, strict=True):
                for index, data in zip(chunk, pool.result(encoded), strict=True):
                    entry = PackedBody.decode(data)
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
                rendered.append((self.cache_keys[article.slug], entry.encode()))
            self.entries[article.slug] = entry
            if progress:
                progress("rendering articles", done, total)
        if self.store:
            self.store.write_bodies(rendered)


def _render_entries(indices: list[int]) -> tuple[str, object]:
    """In a pool's worker: the bodies of these articles, encoded, and stored in the cache."""
    edition, matcher, problems, store, keys = pool.shared()
    try:
        encoded = [render_entry(edition.articles[index], edition, matcher, problems).encode() for index in indices]
        if store:
            store.write_bodies([(keys[edition.articles[i].slug], data) for i, data in zip(indices, encoded, strict=True)])
        return pool.ok(encoded)
    except GlossError as exc:
        return pool.failed(exc)
