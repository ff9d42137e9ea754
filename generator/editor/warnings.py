"""Warnings that keep an edition from silent damage: an alias that is a common word or matches far more often
than its entity's other aliases, an entity whose summary is empty or whose gloss is still the scaffold's; and
the root a follow-on message comes from."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..load.files import failed_entity_file  # noqa: F401 (its callers import it from here)

if TYPE_CHECKING:
    from ..match.matcher import Matcher
    from ..model import Edition
    from ..problems import Problems

COMMON = 4.0  # wordfreq's Zipf frequency from which a word is common (4: once in 10,000 words; "air" is 5.4)
LONE_MATCHES = 10  # an alias found this often in articles where its entity's other aliases never are …
LONE_RATIO = 3  # … and this many times more often than those aliases: far more often


def warn_aliases(edition: Edition, matcher: Matcher, problems: Problems) -> None:
    """An alias that is a common word of the edition's language, or that matches far more often than its
    entity's other names, in articles where they never appear (not the name itself or a part of it, such as a
    surname, which are expected to)."""
    from ..names import prepare
    from ..names.language import language

    lang = language(edition.config.language)
    for entity in edition.entities.values():
        line = entity.field_lines.get("aliases", 0)
        for alias in entity.aliases:
            words = alias.split()  # one common word ("air"), or only stop words ("of the"); not "trade war"
            if words and (len(words) == 1 and words[0][:1].islower() and lang.common(words[0]) >= COMMON
                          or all(lang.is_stop(w) for w in words)):
                problems.warning(entity.path, line, f"alias \"{alias}\" is a common word: it marks every "
                                 f"\"{alias}\" in every article as `{entity.name}`",
                                 "remove it, or pin the mentions you mean with [[pin]]")
    # how often each alias matches, and how often in articles where its entity's other aliases never do
    total: Counter[tuple[str, str]] = Counter()
    lone: Counter[tuple[str, str]] = Counter()
    for article in edition.articles:
        text = prepare(article.body).replace("\n", " ")
        here: Counter[tuple[str, str]] = Counter()
        for match in matcher.find(text):
            written = text[match.start:match.end]
            for entity_id in match.entities:
                here[(entity_id, _key(written, matcher))] += 1
        total.update(here)
        by_entity: dict[str, set[str]] = {}
        for entity_id, alias in here:
            by_entity.setdefault(entity_id, set()).add(alias)
        for (entity_id, alias), count in here.items():
            if by_entity[entity_id] == {alias}:
                lone[(entity_id, alias)] += count
    for entity in edition.entities.values():
        names = {_key(n, matcher) for n in (entity.name, *entity.aliases)}
        if len(names) < 2:
            continue
        for alias in entity.aliases:
            key = _key(alias, matcher)
            if f" {key} " in f" {_key(entity.name, matcher)} ":
                continue  # the name, or a part of it (a surname): expected to be the most frequent
            others = sum(total[(entity.id, n)] for n in names if n != key)
            if lone[(entity.id, key)] >= LONE_MATCHES and lone[(entity.id, key)] >= LONE_RATIO * max(1, others):
                problems.warning(entity.path, entity.field_lines.get("aliases", 0),
                                 f"alias \"{alias}\" matches {total[(entity.id, key)]} times, {others} for "
                                 f"`{entity.name}`'s other names — {lone[(entity.id, key)]} of them in articles "
                                 "where no other name of it appears", "check that those mentions mean it; if not, "
                                 "remove the alias or mark them with [[skip]]")


def _key(text: str, matcher: Matcher) -> str:
    from ..match.matcher import fold_accents, normalise

    text = normalise(" ".join(text.split()))
    return fold_accents(text) if matcher.fold else text


def warn_unfinished(edition: Edition, problems: Problems) -> None:
    """An entity whose summary is written but empty, or whose gloss is still the text `gloss new` wrote."""
    from ..scaffold import SCAFFOLD_BODY

    for entity in edition.entities.values():
        if "summary" in entity.field_lines and not entity.summary.strip():  # `summary = ""`, as gloss new writes
            problems.warning(entity.path, entity.field_lines.get("summary", 1), f"`{entity.name}` has no summary",
                             "write one line: what a reader needs to know first (it shows in the hover note)")
        if entity.gloss.strip() == SCAFFOLD_BODY.format(name=entity.name):
            problems.warning(entity.path, entity.gloss_line, f"`{entity.name}`'s gloss is still the scaffold's "
                             f"\"{entity.gloss.strip()}\"", "write the gloss below the +++ line")


def failed_articles(problems: Problems) -> list[str]:
    """The articles (content/…) that failed to load, from the errors reported so far."""
    return sorted({p.path for p in problems.errors if p.path.startswith("content/") and p.path.endswith(".md")})
