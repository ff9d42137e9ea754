"""Stage 1a: articles from content/*.md (TOML front matter between +++ lines, then Markdown)."""

from __future__ import annotations

from pathlib import Path

from ..model import Article, PartialDate
from ..problems import Problems
from ..schema import ARTICLE
from ..slug import id_problem, is_valid_id, shown_id
from ..toml_text import line_of_key, nearest
from .files import is_web_address, read_front_matter

RESERVED_SLUGS = {"index": "home page", "404": "page for missing addresses"}
# Each front-matter key and the type it must have (object: checked by its own rule below), from schema.py.
ARTICLE_FIELDS: dict[str, type] = {key.name: key.type if isinstance(key.type, type) else object for key in ARTICLE.keys}


def load_article(path: Path, problems: Problems) -> Article | None:
    loaded = read_front_matter(path, problems, "article")
    if loaded is None:
        return None
    meta, front, body, body_line = loaded
    slug = path.stem
    if slug in RESERVED_SLUGS:
        problems.error(path, 0, f"the file name `{path.name}` is taken: {slug}.html is the edition's "
                       f"{RESERVED_SLUGS[slug]}", "rename the article, e.g. to my-article.md")
        return None
    if not is_valid_id(slug):
        problems.error(path, 0, f"article file name `{shown_id(path.name)}` is not a valid slug: it {id_problem(slug)}",
                       "rename it: lower-case letters, digits and hyphens, e.g. my-article.md")
        return None
    ok = True
    for key, value in meta.items():
        line = line_of_key(front, key, 2)
        expected = ARTICLE_FIELDS.get(key)
        if expected is None:
            hint = nearest(key, ARTICLE_FIELDS)
            problems.warning(path, line, f"unknown front-matter field `{key}` is ignored",
                             f"did you mean `{hint}`?" if hint else "known fields: " + ", ".join(ARTICLE_FIELDS))
        elif expected is not object and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            problems.error(path, line, f"`{key}` must be a {expected.__name__}, not {type(value).__name__}",
                           f'write it as {key} = "…"' if expected is str else f"write {key} as a {expected.__name__}")
            ok = False
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.error(path, 2, "the article has no `title`", 'add title = "…" to the front matter')
        ok = False
    date = None
    if "date" in meta:
        date = PartialDate.parse(meta["date"])
        if date is None:
            problems.error(path, line_of_key(front, "date", 2), f"`date` is not a date: {meta['date']!r}",
                           'write date = 2019-05-14, or "2019-05" / "2019" when only that is known')
            ok = False
    source = meta.get("source")
    if isinstance(source, str) and source.strip() and not is_web_address(source):
        problems.error(path, line_of_key(front, "source", 2), f"`source` must be a web address, not {source!r}",
                       'write source = "https://…" (only http and https links are shown)')
        ok = False
    for key in ("volume", "issue"):
        if key in meta and (not isinstance(meta[key], int | str) or isinstance(meta[key], bool)):
            problems.error(path, line_of_key(front, key, 2), f"`{key}` must be a number or a string",
                           f"write {key} = 16")
            ok = False
    if not ok:
        return None
    fields = {k: meta[k] for k in ARTICLE_FIELDS if k in meta and k not in ("title", "date")}
    return Article(slug=slug, path=path, title=title.strip(), body=body, body_line=body_line, date=date, **fields)
