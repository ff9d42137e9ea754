"""W3C Web Annotations (JSON-LD, http://www.w3.org/ns/anno.jsonld) of the edition.

Each article's mentions and passage notes are an AnnotationPage, data/<slug>.annotations.jsonld; the pages
together are the edition's AnnotationCollection, data/annotations.jsonld, which points at the first and last
page (each page at the next and previous): the protocol's paging, so no annotation is written twice.

A mention is an Annotation motivated by `identifying`, its body the entity's page; a passage note one
motivated by `commenting`, its body the note's text. Each target is the article page with two selectors for
the same words: a TextQuoteSelector (exact, with up to 32 characters of prefix and suffix) and a
TextPositionSelector on the text of the article's body as the page shows it (its innerText: export/text.py),
given as a CssSelector for the body refined by the position, as the model allows. That text and where each
mention and passage lies in it are recorded while the body is rendered (render/shown_text.py); the body's
HTML is read only where they are not (raw HTML the sanitiser changed).
"""

from __future__ import annotations

from json.encoder import encode_basestring as _json  # type: ignore[attr-defined]

from ..model import Article, Edition, RenderedArticle
from .text import shown_text, unpacked

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
BODY_SELECTOR = "div.article-body"  # the element of the default theme's article.html that holds the text
AROUND = 32  # characters of prefix and suffix


def page_path(article: Article) -> str:
    return f"data/{article.slug}.annotations.jsonld"


COLLECTION = "data/annotations.jsonld"


def article_page(article: Article, body: RenderedArticle, edition: Edition, url, entity_of: dict[str, str],
                 neighbours: tuple[Article | None, Article | None]) -> str:
    """The AnnotationPage of one article. `url(target, fragment="")` makes the address of an output file as
    seen from this file (relative, or absolute under base_url); `entity_of`: entity id by the href its mentions
    carry in the body HTML."""
    text, marked = unpacked(body.shown_text) if body.shown_text else shown_text(body.html)
    notes = body.notes  # a passage's number (pass<N>) is its place in this list, from 1
    own = url(page_path(article))
    ids = own + "#" if own.startswith(("http://", "https://")) else "#"  # (relative: the file's own fragment)
    target = '"target": {"source": ' + _json(url(article.output)) + ', "selector": [\n      {"type": "TextQuoteSelector", "exact": '
    refine = '}, {"type": "CssSelector", "value": ' + _json(BODY_SELECTOR) + ', "refinedBy": {"type": "TextPositionSelector", "start": '
    language = ', "language": ' + _json(article.language) if article.language else ""
    entities = edition.entities
    bodies: dict[str, str] = {}
    items: list[str] = []
    for n, (kind, value, start, end) in enumerate(marked, start=1):
        if kind == "mention":
            body_json = bodies.get(value)
            if body_json is None:
                entity_id = entity_of.get(value)
                if entity_id is None:
                    continue
                body_json = bodies[value] = _json(url(entities[entity_id].output))
            head = f'    {{"id": "{ids}m{n}", "type": "Annotation", "motivation": "identifying",\n     "body": {body_json},\n     '
        else:
            number = int(value) if value.isdigit() else 0
            if not 0 < number <= len(notes) or notes[number - 1][0] != "passage":
                continue
            note = _json(notes[number - 1][1].strip())
            head = (f'    {{"id": "{ids}pn{value}", "type": "Annotation", "motivation": "commenting",\n     "body": '
                    f'{{"type": "TextualBody", "format": "text/markdown", "value": {note}{language}}},\n     ')
        before = start - AROUND if start > AROUND else 0
        items.append(f'{head}{target}{_json(text[start:end])}, "prefix": {_json(text[before:start])}, "suffix": '
                     f'{_json(text[end:end + AROUND])}{refine}{start}, "end": {end}}}}}]}}}}')
    previous, following = neighbours
    head = ['  "@context": "' + CONTEXT + '"', '  "id": ' + _json(own),
            '  "type": "AnnotationPage"', '  "partOf": ' + _json(url(COLLECTION))]
    if following is not None:
        head.append('  "next": ' + _json(url(page_path(following))))
    if previous is not None:
        head.append('  "prev": ' + _json(url(page_path(previous))))
    return "{\n" + ",\n".join(head) + ',\n  "items": [\n' + ",\n".join(items) + "\n  ]\n}\n"


def collection(edition: Edition, url, label: str, total: int | None = None) -> str:
    """The edition's AnnotationCollection: its label and its first and last pages."""
    articles = edition.articles
    lines = ['  "@context": "' + CONTEXT + '"', '  "id": ' + _json(url(COLLECTION)),
             '  "type": "AnnotationCollection"', '  "label": ' + _json(label)]
    if total is not None:
        lines.append(f'  "total": {total}')
    if articles:
        lines.append('  "first": ' + _json(url(page_path(articles[0]))))
        lines.append('  "last": ' + _json(url(page_path(articles[-1]))))
    return "{\n" + ",\n".join(lines) + "\n}\n"
