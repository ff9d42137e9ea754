"""The article file: TOML front matter between `+++` lines, then the Markdown body."""

from __future__ import annotations

import datetime as dt
import re

from .article import FRONT_MATTER_KEYS, ImportedArticle

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def render_article_file(article: ImportedArticle) -> str:
    """`+++`, the front matter as TOML (known keys in a fixed order), `+++`, a blank line, the body."""
    lines = []
    ordered = [key for key in FRONT_MATTER_KEYS if key in article.front_matter]
    ordered += sorted(key for key in article.front_matter if key not in FRONT_MATTER_KEYS)
    for key in ordered:
        value = article.front_matter[key]
        if value is None or value == "" or value == []:
            continue
        lines.append(f"{toml_key(key)} = {toml_value(value)}")
    body = article.body.strip("\n")
    return "+++\n" + "\n".join(lines) + "\n+++\n\n" + (body + "\n" if body else "")


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else toml_string(key)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest as written."""
    out = []
    for char in text:
        if char in ESCAPES:
            out.append(ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
