"""Offline search: an index made at build time and loaded as ordinary <script> files (see index.py), so that it
works from a folder on disk, under a GitHub Pages subpath and in `gloss serve` alike, with the pages' CSP.

`write_index` (gloss build) and `write_search` (gloss serve) are the entry points, called once per build;
both make the files with `search_files`."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import pool
from ..cache import BuildCache, digest
from ..model import Article, Edition, Entity, RenderedArticle
from .index import Document, EntityEntry, Indexed, build_index, index_document
from .text import markdown_text, paragraphs

if TYPE_CHECKING:
    from ..bodies import RenderedBodies
    from ..cache import PackedBody

__all__ = ["ArticleBody", "SearchMemo", "index_article", "search_files", "write_index", "write_search"]


@dataclass(frozen=True)
class ArticleBody:
    """What search needs of a rendered article: its numbered paragraphs' text and its notes (kind, value) with
    their ¶."""

    paragraphs: list[tuple[int, str]]
    notes: list[tuple[str, str]]
    note_paragraphs: list[int]

    @classmethod
    def of(cls, html: str | Callable[[], str], texts: list[tuple[int, str]] | None, notes: list[tuple[str, str]],
           note_paragraphs: list[int]) -> ArticleBody:
        """From a body's paragraph text as the renderer recorded it (render/paragraph_text.py), or, where it
        recorded none, as read from its HTML (`html`, or a function that gives it)."""
        if texts is None:
            texts = paragraphs(html if isinstance(html, str) else html())
        return cls(texts, notes, note_paragraphs)


class SearchMemo:
    """Indexed documents by the key of what they were made from, kept between builds (in memory for
    `gloss serve`; in .gloss-cache/search.marshal, sealed with the cache's checksum, for `gloss build`), so a
    rebuild re-indexes only what changed. A damaged or foreign file only makes the build slower."""

    FILE = "search.marshal"

    def __init__(self, store: BuildCache | None = None):
        self.store = store
        self.entries: dict[str, tuple[str, dict[str, int]]] = {}
        self.used: set[str] = set()
        data = store.read_sealed(self.FILE) if store is not None else None
        if data is not None:
            try:
                loaded = marshal.loads(data)
            except (ValueError, EOFError, TypeError):
                loaded = None
            if isinstance(loaded, dict):
                self.entries = loaded

    def get(self, key: str, make: Callable[[], Indexed]) -> Indexed:
        self.used.add(key)
        found = self.entries.get(key)
        if found is not None:
            return Indexed(*found)
        indexed = make()
        self.entries[key] = (indexed.passages, indexed.counts)
        return indexed

    def save(self) -> None:
        """Keep what this build used (and only that) for the next one."""
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}
        self.used = set()
        if self.store is not None:
            self.store.write_sealed(self.FILE, marshal.dumps(dict(sorted(self.entries.items())), 4))


_names: tuple[Edition | None, dict[str, str]] = (None, {})


def entity_names(edition: Edition) -> dict[str, str]:
    """Entity id -> name, made once per edition (what [[id]] in a note or gloss reads as)."""
    global _names
    if _names[0] is not edition:
        _names = (edition, {entity.id: entity.name for entity in edition.entities.values()})
    return _names[1]


def search_files(edition: Edition, keys: Mapping[str, str], body: Callable[[str], ArticleBody],
                 memo: SearchMemo) -> dict[str, str]:
    """Every file of search/ for the edition. `keys[slug]` changes whenever the article's body (or anything it
    is rendered from) does; `body(slug)` is asked for only when the memo has no entry for that key."""
    names = entity_names(edition)
    documents: list[Document] = []
    indexed: list[Indexed] = []
    for article in edition.articles:
        documents.append(Document(article.output, article.title, "", ()))
        indexed.append(memo.get(keys[article.slug], lambda a=article: Indexed(*index_article(edition, a, body(a.slug)))))
    for entity in sorted(edition.entities.values(), key=lambda e: e.id):
        gloss = markdown_text(entity.gloss, names)
        if gloss:
            document = Document(entity.output, entity.name, entity.kind.singular, (("", gloss),))
            documents.append(document)
            indexed.append(index_document(document))
    memo.save()
    return build_index(documents, indexed, entity_entries(edition.entities.values(), names),
                       edition.config.language)


def write_index(edition: Edition, bodies: RenderedBodies, writer, store: BuildCache | None, workers: int) -> None:
    """The search index of `gloss build`: only the articles whose body key is not in .gloss-cache/search.marshal
    are indexed, in the pool when many (in one process, indexing 1,000 benchmark articles took a fifth of a
    clean build)."""
    memo = SearchMemo(store)
    missing = [n for n, a in enumerate(edition.articles) if bodies.cache_keys[a.slug] not in memo.entries]
    if workers > 1 and len(missing) >= pool.PARALLEL_FROM and not pool.in_worker() and pool.may_fork():
        chunks = [missing[i:i + 25] for i in range(0, len(missing), 25)]
        for chunk, result in zip(chunks, pool.run(workers, (edition, bodies), _index_articles, chunks), strict=True):
            for index, indexed in zip(chunk, pool.result(result), strict=True):
                memo.entries[bodies.cache_keys[edition.articles[index].slug]] = indexed
    for path, text in search_files(edition, bodies.cache_keys, lambda slug: _body(bodies.entry(slug)), memo).items():
        writer.write(path, text)


def _body(entry: PackedBody) -> ArticleBody:
    return ArticleBody.of(lambda: entry.html, entry.paragraph_texts, entry.notes, entry.note_paragraphs)


def _index_articles(indices: list[int]) -> tuple[str, object]:
    """In a pool's worker: index_article of each article."""
    edition, bodies = pool.shared()
    return pool.ok([index_article(edition, edition.articles[i], _body(bodies.entry(edition.articles[i].slug)))
                    for i in indices])


def write_search(edition: Edition, rendered: Mapping[str, RenderedArticle], memo: SearchMemo, writer) -> None:
    """The search index of `gloss serve`, from the bodies it holds: an article is indexed again when its
    title or its body's HTML or notes change (the memo lives as long as the server)."""
    keys = {a.slug: digest(a.title, rendered[a.slug].html, repr(rendered[a.slug].notes),
                           repr(rendered[a.slug].note_paragraphs)) for a in edition.articles}

    def body(slug: str) -> ArticleBody:
        found = rendered[slug]
        return ArticleBody.of(found.html, found.paragraph_texts, found.notes, found.note_paragraphs)

    for path, text in search_files(edition, keys, body, memo).items():
        writer.write(path, text)


def index_article(edition: Edition, article: Article, body: ArticleBody) -> tuple[str, dict[str, int]]:
    """An article's passages (JSON) and its words counted: what the memo keeps, and a pool's worker returns."""
    indexed = index_document(article_document(article, body, entity_names(edition)))
    return indexed.passages, indexed.counts


def article_document(article: Article, body: ArticleBody, names: dict[str, str]) -> Document:
    """An article as search sees it: its title, its numbered paragraphs, its passage notes."""
    passages: list[tuple[str, str]] = [("", article.title)]
    passages += [(f"p{number}", text) for number, text in body.paragraphs]
    for number, ((kind, value), _) in enumerate(zip(body.notes, body.note_paragraphs, strict=True), start=1):
        if kind != "entity":
            text = markdown_text(value, names)
            if text:
                passages.append((f"pn{number}", text))
    return Document(article.output, article.title, "", tuple(passages))


def entity_entries(entities: Iterable[Entity], names: dict[str, str]) -> list[EntityEntry]:
    """Each entity as the search box finds it by name: in the order of the kinds' indexes (by sort name)."""
    return [EntityEntry(e.name, tuple(a for a in e.aliases if a != e.name), e.kind.singular,
                        markdown_text(e.summary, names), e.output)
            for e in sorted(entities, key=lambda e: e.sort_key)]
