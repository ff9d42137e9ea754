"""The article file: TOML front matter between `+++` lines, then the Markdown body."""

from __future__ import annotations

import tomli_w

from .article import FRONT_MATTER_KEYS, ImportedArticle


def render_article_file(article: ImportedArticle) -> str:
    """`+++`, the front matter as TOML (known keys in a fixed order), `+++`, a blank line, the body.

    The TOML is written by tomli-w, so quotes, backslashes, newlines and any script come out valid."""
    ordered = [key for key in FRONT_MATTER_KEYS if key in article.front_matter]
    ordered += sorted(key for key in article.front_matter if key not in FRONT_MATTER_KEYS)
    front = {key: article.front_matter[key] for key in ordered
             if article.front_matter[key] not in (None, "", [])}
    body = article.body.strip("\n")
    return "+++\n" + tomli_w.dumps(front) + "+++\n\n" + (body + "\n" if body else "")
