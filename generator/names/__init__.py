"""`gloss names`: the proper names an article uses that no alias, pin or note covers yet, kinded, with the
command that glosses each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .finder import FoundName, find_names
from .gazetteer import gazetteer
from .language import language

__all__ = ["FoundName", "names_in", "prepare"]



def prepare(body: str, raw_html: bool = False) -> str:
    """The body as the finder reads it: its running text in place (code, links, images, [[refs]] and raw HTML
    blanked out by check.prose, from markdown-it's tokens), apostrophes made straight; same length."""
    from ..render.markdown import prose

    return prose(body, raw_html).replace("’", "'").replace("ʼ", "'")


def names_in(body: str, language_code: str, covered: Iterable[tuple[int, int]] = (),
             cache_dir: Path | None = None, keep: bool = False, cities: bool = True,
             raw_html: bool = False) -> list[FoundName]:
    """The names of an article body (Markdown) in its language, less those overlapping `covered` spans.
    `keep`, `cities`: see gazetteer()."""
    found = find_names(prepare(body, raw_html), language(language_code), gazetteer(cache_dir, keep, cities), covered)
    for name in found:  # the forms as written (the finder reads straight apostrophes)
        written = {}
        for occurrence in name.occurrences:
            original = body[occurrence.start:occurrence.start + len(occurrence.text)]
            written.setdefault(occurrence.text, original)
            occurrence.text = original
        name.forms = [written.get(form, form) for form in name.forms]
        name.name = written.get(name.name, name.name)
    return found
