"""A mention's sentence (what entity pages show around it) is cut from its paragraph using sentence ends found
once per paragraph; it must be exactly what a fresh search around each mention gives."""

from __future__ import annotations

import random
import re

from generator.match.mentions import _SPACES, SENTENCE_END, _sentence, _sentence_bounds


def _sentence_by_search(text: str, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
    """The definition: search back and forth from the mention itself."""
    begin = max(0, start - 2 * limit)
    for found in SENTENCE_END.finditer(text, begin, start):
        begin = found.end()
    window = min(len(text), end + 2 * limit)
    stop = SENTENCE_END.search(text, end, window)
    finish = stop.start() + 1 if stop else window
    before, after = text[begin:start], text[end:finish]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return _SPACES.sub(" ", before), _SPACES.sub(" ", text[start:end]), _SPACES.sub(" ", after)


PIECES = ["Lavrov", "met", "U.S.", "Mr.", "the", "minister", ".", ". ", "! ", "?\n", "…", "” ", ".” ", ")", "] ",
          " ", "  ", "\n", "\t", "word", "x" * 30, "\u00a0", ".)\n\n"]


def test_the_sentence_from_precomputed_ends_is_the_sentence_found_by_searching():
    rng = random.Random(9)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randrange(1, 60)))
        bounds = _sentence_bounds(text)
        spaced = _SPACES.search(text) is not None
        limit = rng.choice([5, 12, 40, 240])
        for _ in range(6):
            start = rng.randrange(len(text) + 1)
            end = rng.randrange(start, min(len(text), start + 12) + 1)
            expected = _sentence_by_search(text, start, end, limit)
            assert _sentence(text, start, end, limit, bounds=bounds, spaced=spaced) == expected, (text, start, end)
            assert _sentence(text, start, end, limit) == expected


def test_a_mention_ending_in_a_full_stop_and_one_past_a_sentence_end():
    text = "He met the U.S. envoy. Then Lavrov spoke! Later"
    us = text.index("U.S.")
    assert _sentence(text, us, us + 4) == ("He met the ", "U.S.", " envoy.")
    lavrov = text.index("Lavrov")
    assert _sentence(text, lavrov, lavrov + 6) == ("Then ", "Lavrov", " spoke!")
    assert re.fullmatch(r"Later", _sentence(text, len(text) - 5, len(text))[1])
