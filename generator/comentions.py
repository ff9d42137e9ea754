"""'Often mentioned with': the entities that share paragraphs with an entity, counted at build time.

Each article contributes, per paragraph (or caption) that mentions two or more entities, the group of
those entities (`paragraph_groups`); `often_mentioned_with` counts, for every entity, the paragraphs it
shares with each other one across the edition and ranks them. Only the groups are kept per article (in
the build cache's record of it), so a rebuild counts without opening any body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .model import Entity, Mention
from .render.annotations import MentionRow

LIMIT = 8  # entities listed on an entity page


def paragraph_groups(rows: Mapping[str, Sequence[MentionRow]]) -> list[tuple[str, ...]]:
    """The entities mentioned together in each paragraph (or caption) of one article, from its mention rows
    (entity -> rows; a row's first value is its anchor, p4 or fig1): one sorted tuple per place that has two or
    more, in a stable order."""
    places: dict[str, list[str]] = {}
    for entity, entity_rows in rows.items():
        seen = ""
        for row in entity_rows:
            anchor = row[0]
            if anchor and anchor != seen:  # rows are in text order: a repeat in one place is next to its first
                found = places.setdefault(anchor, [])
                if not found or found[-1] != entity:
                    found.append(entity)
                seen = anchor
    return sorted(tuple(sorted(found)) for found in places.values() if len(found) > 1)


def groups_of_mentions(mentions: Iterable[Mention]) -> list[tuple[str, ...]]:
    """paragraph_groups for mentions already gathered (gloss check, the dev server): all articles at once."""
    places: dict[tuple[str, str], set[str]] = {}
    for mention in mentions:
        if mention.anchor:
            places.setdefault((mention.article, mention.anchor), set()).add(mention.entity)
    return [tuple(sorted(found)) for found in places.values() if len(found) > 1]


def often_mentioned_with(groups: Iterable[Sequence[str]], entities: Mapping[str, Entity],
                         limit: int = LIMIT) -> dict[str, list[tuple[str, int]]]:
    """entity -> [(other entity, paragraphs shared)], most shared first (then by sort name), at most `limit`.
    Entities no longer in the edition are left out."""
    counts: dict[str, dict[str, int]] = {}
    for group in groups:
        for entity in group:
            shared = counts.get(entity)
            if shared is None:
                shared = counts[entity] = {}
            for other in group:
                if other != entity:
                    shared[other] = shared.get(other, 0) + 1
    ranked: dict[str, list[tuple[str, int]]] = {}
    for entity, shared in counts.items():
        if entity not in entities:
            continue
        known = [(other, n) for other, n in shared.items() if other in entities]
        known.sort(key=lambda item: (-item[1], entities[item[0]].sort_key))
        ranked[entity] = known[:limit]
    return ranked
