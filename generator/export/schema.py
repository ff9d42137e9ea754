"""schema.org JSON-LD for the pages: an article (Article), an entity (Person, Organization, Event, Place), the
home page (WebSite). Embedded as <script type="application/ld+json">, which is data: the browser runs nothing,
so the page's Content-Security-Policy (script-src 'self') neither blocks it nor needs a change."""

from __future__ import annotations

import json

from markupsafe import Markup

from .. import authority
from ..model import Article, Edition, Entity
from .cite import names

# The schema.org type of each default kind; a kind of an edition's own is a Thing.
TYPES = {"person": "Person", "institution": "Organization", "event": "Event", "place": "Place"}
# Which date field is which schema.org property, by type.
DATES = {
    "Person": {"born": "birthDate", "died": "deathDate"},
    "Organization": {"founded": "foundingDate", "dissolved": "dissolutionDate"},
    "Event": {"date": "startDate", "end": "endDate"},
    "Place": {},
}


def script(data: dict) -> Markup:
    """`data` as a JSON-LD script element. <, > and & are written as \\u escapes, so no text from the edition
    can end the element early (</script>) or be read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _people(byline: str) -> list[dict]:
    return [{"@type": "Person", "name": f"{n['given']} {n['family']}", "givenName": n["given"],
             "familyName": n["family"]} if "family" in n else {"@type": "Organization", "name": n["literal"]}
            for n in names(byline)]


def entity_type(entity: Entity) -> str:
    return TYPES.get(entity.kind.key, "Thing")


def same_as(entity: Entity) -> list[str]:
    return [url for _, url in authority.links(entity.authorities)]


def entity_ref(entity: Entity, url: str) -> dict:
    """An entity as an article's `mentions` lists it."""
    ref = {"@type": entity_type(entity), "@id": url, "name": entity.name}
    links = same_as(entity)
    if links:
        ref["sameAs"] = links
    return ref


def entity_data(entity: Entity, url: str, description: str) -> dict:
    kind = entity_type(entity)
    data: dict = {"@context": "https://schema.org", "@type": kind, "@id": url, "url": url, "name": entity.name}
    others = [a for a in entity.aliases if a != entity.name]
    if others:
        data["alternateName"] = others
    if description:
        data["description"] = description
    for field, prop in DATES.get(kind, {}).items():
        if field in entity.dates:
            data[prop] = entity.dates[field].iso()
    if kind == "Event" and entity.facts.get("place"):
        data["location"] = {"@type": "Place", "name": entity.facts["place"]}
    if kind == "Person" and entity.facts.get("role"):
        data["jobTitle"] = entity.facts["role"]
    links = same_as(entity)
    if links:
        data["sameAs"] = links
    return data


def article_data(article: Article, edition: Edition, url: str, home: str, mentions: list[dict]) -> dict:
    config = edition.config
    data: dict = {"@context": "https://schema.org", "@type": "Article", "@id": url, "url": url,
                  "headline": article.title, "name": article.title}
    if article.author:
        data["author"] = _people(article.author)
    if article.date:
        data["datePublished"] = article.date.iso()
    if article.summary:
        data["description"] = article.summary
    data["inLanguage"] = article.language or config.language
    data["publisher"] = {"@type": "Organization", "name": config.author or config.title}
    data["isPartOf"] = {"@type": "WebSite", "@id": home, "name": config.title}
    original: dict = {"@type": "Article", "headline": article.title}
    if article.source:
        original["url"] = article.source
    if article.publication:
        periodical: dict = {"@type": "Periodical", "name": article.publication}
        if article.issue or article.volume:
            part: dict = {"@type": "PublicationIssue", "issueNumber": str(article.issue)} if article.issue else \
                {"@type": "PublicationVolume", "volumeNumber": str(article.volume)}
            if article.issue and article.volume:
                part["isPartOf"] = {"@type": "PublicationVolume", "volumeNumber": str(article.volume),
                                    "isPartOf": periodical}
            else:
                part["isPartOf"] = periodical
            original["isPartOf"] = part
        else:
            original["isPartOf"] = periodical
    if article.source or article.publication:
        data["isBasedOn"] = original
    if article.rights:
        data["copyrightNotice"] = article.rights
    if mentions:
        data["mentions"] = mentions
    return data


def home_data(edition: Edition, url: str, articles: list[tuple[Article, str]]) -> dict:
    config = edition.config
    data: dict = {"@context": "https://schema.org", "@type": "WebSite", "@id": url, "url": url, "name": config.title}
    if config.description:
        data["description"] = config.description
    data["inLanguage"] = config.language
    if config.author:
        data["editor"] = _people(config.author)
        data["publisher"] = {"@type": "Organization", "name": config.author}
    if articles:
        data["hasPart"] = [{"@type": "Article", "@id": link, "headline": a.title} for a, link in articles]
    return data
