"""Slugs and ids: the one place that decides what a file name may be."""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = 80) -> str:
    """'Putin and Lavrov Rebuff Pompeo’s Overtures' -> 'putin-and-lavrov-rebuff-pompeos-overtures'.

    Accents are folded to ASCII, apostrophes vanish (so possessives stay one word), every other run of
    non-alphanumerics becomes one hyphen.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’‘`]", "", ascii_text.replace("’", ""))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def is_valid_id(text: str) -> bool:
    """Lower-case letters, digits and single hyphens: safe as a file name and a URL part."""
    return bool(ID_PATTERN.match(text))
