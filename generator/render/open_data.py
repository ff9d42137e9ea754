"""The open data of a build as the page renderer asks for it: each page's schema.org JSON-LD and Cite control,
and the data files to write beside the pages (its `plan`): W3C Web Annotations, BibTeX, RIS and CSL-JSON, each
left out when site.toml's [exports] turns it off. The data themselves are export/'s."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from markupsafe import Markup

from .. import authority
from ..export import cite, schema, web_annotations
from ..model import Article, Edition, Entity, RenderedArticle
from . import cite as cite_html
from .urls import absolute_url, relative_url

Plan = list[tuple[str, Callable[[], str]]]


class OpenData:
    """The open data of one build. `summary(entity, page)` gives an entity's note text as HTML (the page
    renderer's, so descriptions match the notes)."""

    def __init__(self, edition: Edition, bodies: Mapping[str, RenderedArticle],
                 summary: Callable[[Entity, str], str], neighbours: Callable[[str], tuple]):
        self.edition, self.bodies, self.summary, self.neighbours = edition, bodies, summary, neighbours
        self.config = edition.config
        self.exports = self.config.exports
        self._entity_of: dict[str, dict[str, str]] = {}

    def url(self, page: str, target: str, fragment: str = "") -> str:
        """An address in the data: absolute under base_url (data is read out of context), else relative."""
        base = self.config.base_url
        return absolute_url(base, target, fragment) if base else relative_url(page, target, fragment)

    # ------------------------------------------------------------------ authority links

    @staticmethod
    def authority_links(entity: Entity) -> list[tuple[str, str]]:
        return authority.links(entity.authorities)

    # ------------------------------------------------------------------ schema.org

    def article_jsonld(self, article: Article, page: str) -> Markup:
        if not self.exports.get("schema_org"):
            return Markup("")
        body = self.bodies[article.slug]
        entities = self.edition.entities
        mentions = [schema.entity_ref(entities[i], self.url(page, entities[i].output)) for i in body.entity_ids
                    if i in entities]
        return schema.script(schema.article_data(article, self.edition, self.url(page, page),
                                                 self.url(page, "index.html"), mentions))

    def entity_jsonld(self, entity: Entity, page: str) -> Markup:
        if not self.exports.get("schema_org"):
            return Markup("")
        description = Markup(self.summary(entity, page)).striptags()
        return schema.script(schema.entity_data(entity, self.url(page, page), description))

    def home_jsonld(self, page: str) -> Markup:
        if not self.exports.get("schema_org"):
            return Markup("")
        articles = [(a, self.url(page, a.output)) for a in self.edition.articles]
        return schema.script(schema.home_data(self.edition, self.url(page, page), articles))

    # ------------------------------------------------------------------ cite

    def _work(self, article: Article | None) -> cite.Work:
        config = self.config
        if article is None:
            return cite.edition_work(config.title, config.author, config.base_url, None, config.language)
        url = absolute_url(config.base_url, article.output) if config.base_url else ""
        return cite.article_work(article, url, config.title)

    def cite(self, article: Article | None, page: str) -> dict | None:
        """What the Cite control shows: the reference formatted in the edition's style, the style's name and the
        addresses of the BibTeX, RIS and CSL-JSON files (None when [exports] cite is off)."""
        if not self.exports.get("cite"):
            return None
        stem = f"data/cite/{article.slug}" if article else "data/edition"
        style = self.config.cite_style
        return {"html": Markup(cite_html.formatted(self._work(article), style)), "style": cite_html.style_title(style),
                "bibtex": relative_url(page, f"{stem}.bib"), "ris": relative_url(page, f"{stem}.ris"),
                "csl": relative_url(page, f"{stem}.csl.json")}

    # ------------------------------------------------------------------ files

    def plan(self) -> Plan:
        """The data files a build writes, as (output path, function that makes the text)."""
        files: Plan = []
        if self.exports.get("annotations"):
            files += [(web_annotations.page_path(a), partial(self.annotation_page, a)) for a in self.edition.articles]
            files.append((web_annotations.COLLECTION, self.annotation_collection))
        if self.exports.get("cite"):
            for article in [*self.edition.articles, None]:
                stem = f"data/cite/{article.slug}" if article else "data/edition"
                for suffix, write in ((".bib", cite.bibtex), (".ris", cite.ris), (".csl.json", cite.csl_json)):
                    files.append((stem + suffix, partial(self._cite_file, write, article)))
        return files

    @staticmethod
    def files_for(edition: Edition, slugs: set[str], paths) -> set[str]:
        """Of `paths`, the data files of the articles `slugs` and those of the edition as a whole (what
        `gloss serve` redoes when those articles' pages change)."""
        wanted = {web_annotations.COLLECTION, "data/edition.bib", "data/edition.ris", "data/edition.csl.json"}
        for slug in slugs:
            wanted |= {f"data/{slug}.annotations.jsonld", f"data/cite/{slug}.bib", f"data/cite/{slug}.ris",
                       f"data/cite/{slug}.csl.json"}
        return {p for p in paths if p in wanted}

    def _cite_file(self, write: Callable[[cite.Work], str], article: Article | None) -> str:
        return write(self._work(article))

    def annotation_page(self, article: Article) -> str:
        path = web_annotations.page_path(article)
        return web_annotations.article_page(article, self.bodies[article.slug], self.edition,
                                        partial(self.url, path), self.entity_of(article.output),
                                        self.neighbours(article.slug))

    def annotation_collection(self) -> str:
        return web_annotations.collection(self.edition, partial(self.url, web_annotations.COLLECTION),
                                      f"{self.config.title}: mentions and passage notes")

    def entity_of(self, page: str) -> dict[str, str]:
        """Entity id by the href a mention of it has on `page` (all article pages share a folder)."""
        folder = page.rpartition("/")[0]
        found = self._entity_of.get(folder)
        if found is None:
            found = self._entity_of[folder] = {relative_url(page, e.output): e.id
                                               for e in self.edition.entities.values()}
        return found
