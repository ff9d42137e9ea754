"""Stage 1a: articles from content/*.md (TOML front matter between +++ lines, then Markdown)."""

from __future__ import annotations

from pathlib import Path

from ..model import Article, PartialDate
from ..problems import Problems
from ..schema import ARTICLE, validate
from ..slug import id_problem, is_valid_id, shown_id
from ..toml_text import line_of_key
from .files import is_web_address, read_front_matter

RESERVED_SLUGS = {"index": "home page", "404": "page for missing addresses"}
ARTICLE_FIELDS = ARTICLE.names  # the front-matter keys, declared (with their types) in schema.py


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
    values, ok = validate(ARTICLE, meta, path, problems, lambda key: line_of_key(front, key, 2))
    date = None
    if "date" in values:
        date = PartialDate.parse(values["date"])
        if date is None:
            problems.error(path, line_of_key(front, "date", 2), f"`date` is not a date: {values['date']!r}",
                           'write date = 2019-05-14, or "2019-05" / "2019" when only that is known')
            ok = False
    source = values.get("source")
    if isinstance(source, str) and source.strip() and not is_web_address(source):
        problems.error(path, line_of_key(front, "source", 2), f"`source` must be a web address, not {source!r}",
                       'write source = "https://…" (only http and https links are shown)')
        ok = False
    if not ok:
        return None
    if isinstance(values.get("author"), list):  # one byline, as the page, citations and exports read it
        values["author"] = " and ".join(" ".join(str(name).split()) for name in values["author"] if str(name).strip())
    credits = (" ".join(str(credit).split()) for credit in values.get("image_credits", ()))
    values["image_credits"] = tuple(credit for credit in credits if credit)
    title = str(values.pop("title")).strip()
    values.pop("date", None)
    return Article(slug=slug, path=path, title=title, body=body, body_line=body_line, date=date, **values)
