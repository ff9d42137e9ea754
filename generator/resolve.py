"""Stage 3, resolve: what needs every article at once — mentions per entity, related entities in both
directions, glosses that refer to an entity, previous/next links."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Article, Edition, Mention, RenderedArticle
from .problems import Problems
from .toml_text import nearest


@dataclass
class Links:
    """The edition's cross-references, gathered before any page is rendered."""

    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # entity -> mentions, in reading order
    related: dict[str, list[str]] = field(default_factory=dict)  # entity -> related ids, both directions
    cited_by: dict[str, list[str]] = field(default_factory=dict)  # entity -> entities whose gloss refers to it
    neighbours: dict[str, tuple[Article | None, Article | None]] = field(default_factory=dict)
    # entity -> [(entity, paragraphs shared)], most first: "Often mentioned with" (comentions.py)
    together: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def resolve(edition: Edition, bodies: dict[str, RenderedArticle], gloss_refs: dict[str, list[str]],
            problems: Problems) -> Links:
    links = Links()
    entities = edition.entities
    for entity_id in entities:
        links.mentions[entity_id] = []
        links.related[entity_id] = []
        links.cited_by[entity_id] = []
    for article in edition.articles:
        for mention in bodies[article.slug].mentions:
            links.mentions[mention.entity].append(mention)
    for entity in entities.values():
        for other in entity.related:
            if other not in entities:
                from .load.files import failed_entity_file

                hint = nearest(other, entities)
                failed = failed_entity_file(edition.config.root, other)
                problems.error(entity.path, entity.field_lines.get("related", 0), f"related id `{other}` is unknown"
                               + (f" because {failed} failed to load" if failed else ""),
                               "fix that file first" if failed else
                               f"did you mean `{hint}`?" if hint else "use the file name of another entity")
                continue
            if other == entity.id:
                continue
            for a, b in ((entity.id, other), (other, entity.id)):
                if b not in links.related[a]:
                    links.related[a].append(b)
        for other in gloss_refs.get(entity.id, []):
            if other in entities and other != entity.id and entity.id not in links.cited_by[other]:
                links.cited_by[other].append(entity.id)
    for ids in (*links.related.values(), *links.cited_by.values()):
        ids.sort(key=lambda i: entities[i].sort_key)
    articles = edition.articles
    for n, article in enumerate(articles):
        links.neighbours[article.slug] = (articles[n - 1] if n else None,
                                          articles[n + 1] if n + 1 < len(articles) else None)
    return links
