"""The one function that makes every internal URL: relative, and always to a file, never a folder."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote


def relative_url(page: str, target: str, fragment: str = "") -> str:
    """URL of output file `target` as seen from output file `page` (both relative to the site root).

    relative_url("people/sergei-lavrov.html", "index.html") == "../index.html";
    relative_url("a.html", "a.html", "p4") == "#p4".
    """
    if target == page and fragment:
        return "#" + fragment
    url = _relative_path(_folder(page), target)
    return f"{url}#{fragment}" if fragment else url


@lru_cache(maxsize=1 << 14)
def _folder(page: str) -> str:
    return posixpath.dirname(page)


@lru_cache(maxsize=1 << 16)
def _relative_path(folder: str, target: str) -> str:
    """Quoted path of `target` from `folder`; cached: entity pages link the same few files thousands of times."""
    return quote(posixpath.relpath(target, folder) if folder else target, safe="/")


def absolute_url(base_url: str, target: str, fragment: str = "") -> str:
    """For the few places an absolute URL is required: 404.html, sitemap.xml, canonical links."""
    url = base_url.rstrip("/") + "/" + quote(target, safe="/") if base_url else quote(target, safe="/")
    return f"{url}#{fragment}" if fragment else url
