"""A kind for a found name, with the reason, so the editor can judge the guess."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gazetteer import Gazetteer

if TYPE_CHECKING:
    from .finder import FoundName
    from .language import Language

_ACRONYM = re.compile(r"^(?:[A-Z0-9ÀÉÖÜ]{2,}|[A-Z][A-Z0-9]*[0-9][A-Z0-9]*|(?:[A-Z]\.){2,})$")


@dataclass(frozen=True)
class KindGuess:
    kind: str  # person, institution, event, place
    reason: str


def guess_kind(entry: FoundName, lang: Language, places: Gazetteer) -> KindGuess:
    """The first of: a title in front (person), a generic word in front or an event word after, a word that
    heads institutions, events or places, the gazetteer, a source cited in brackets, an acronym, the shape of
    the name (two or more words: a person; one word never given a first name: not a person, so a place)."""
    occurrences = entry.occurrences
    titles = [o.title for o in occurrences if o.title]
    afters = [o.after for o in occurrences if o.after]
    befores = [o.before for o in occurrences if o.before]
    if afters:
        return KindGuess("event", f"followed by “{afters[0]}”")
    if befores:
        return KindGuess(lang.generic_before[befores[0]], f"after “{befores[0]}”")
    words = [w.removesuffix("'s").rstrip("'") for w in entry.name.split()]
    heads = words if lang.head_first else list(reversed(words))
    for word in heads:
        kind = _head_kind(word, lang)
        if kind:
            return KindGuess(kind, f"“{word}” names {'an' if kind[0] in 'aeiou' else 'a'} {kind}")
        if word in lang.titles and len(words) > 1 and word == words[0] and not titles:
            return KindGuess("person", f"“{word}” is a title")
    if titles:
        return KindGuess("person", f"after the title “{titles[0]}”")
    for form in entry.forms:
        if form in places and not _ACRONYM.match(form):
            return KindGuess("place", f"“{form}” is in the gazetteer of countries, regions and cities")
        if _ACRONYM.match(form) and places.is_country_code(form):
            return KindGuess("place", f"“{form}” is a country code")
    if any(o.cited for o in occurrences):
        return KindGuess("institution", "cited as a source in brackets")
    if any("." in f and " " not in f and not _ACRONYM.match(f) for f in entry.forms):
        return KindGuess("institution", "a web address")
    if all(_ACRONYM.match(f) for f in entry.forms) or _ACRONYM.match(words[0]):
        return KindGuess("institution", "an acronym")
    if len(words) > 1:
        return KindGuess("person", "two or more capitalised words, none naming a place, event or institution")
    return KindGuess("place", "one word, never with a first name: probably not a person")


def _head_kind(word: str, lang: Language) -> str:
    """'institution', 'event' or 'place' when the word heads such names in the language (German and Dutch
    compounds by their last part: Deltacommissie, Montagsdemonstration); else ''."""
    word = word.removesuffix("'s").rstrip("'")
    for kind, words in (("institution", lang.institution), ("event", lang.event), ("place", lang.place)):
        if word in words:
            return kind
    if lang.nouns_capitalised or lang.code == "nl":
        lower = word.lower()
        for kind, words in (("institution", lang.institution), ("event", lang.event), ("place", lang.place)):
            for head in words:
                if len(head) >= 4 and len(lower) > len(head) + 2 and lower.endswith(head.lower()):
                    return kind
                if lang.nouns_capitalised and len(head) >= 6 and lower.startswith(head.lower()):
                    return kind  # Politbüros
    return ""
