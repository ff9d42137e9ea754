"""The alias matcher, rule by rule (PRODUCT.md "How mentions are found"), with the seed article's traps."""

from __future__ import annotations

import pytest

from generator.match.matcher import Matcher, normalise

ENTITIES = [
    ("donald-trump", ["Donald Trump", "Trump"]),
    ("vladimir-putin", ["Vladimir Putin", "Putin"]),
    ("michael-pompeo", ["Michael Pompeo", "Pompeo"]),
    ("sergei-lavrov", ["Sergei Lavrov", "Lavrov", "Foreign Minister Sergei Lavrov"]),
    ("wang-yi", ["Wang Yi"]),
    ("kremlin-ru", ["Kremlin.ru"]),
    ("kremlin", ["Kremlin"]),
    ("g20", ["G20"]),
    ("nicolas-maduro", ["Nicolás Maduro", "Maduro"]),
    ("us", ["US", "United States"]),
]


def found(text: str, entities=ENTITIES) -> list[tuple[str, str]]:
    matcher = Matcher.build(entities)
    text = normalise(text)
    return [(text[m.start:m.end], m.entities[0]) for m in matcher.find(text)]


def test_possessive_counts_as_a_mention():
    assert found("with Putin’s Russia") == [("Putin", "vladimir-putin")]
    assert found("Pompeo’s visit") == [("Pompeo", "michael-pompeo")]
    assert found("Pompeo's visit") == [("Pompeo", "michael-pompeo")]


def test_hyphenated_compound_is_a_mention_of_both():
    assert found("A Trump-Putin summit was planned") == [("Trump", "donald-trump"), ("Putin", "vladimir-putin")]


def test_longest_alias_wins():
    assert found("meeting Foreign Minister Sergei Lavrov on May 6") == [
        ("Foreign Minister Sergei Lavrov", "sergei-lavrov")]
    assert found("Sergei Lavrov and Lavrov") == [("Sergei Lavrov", "sergei-lavrov"), ("Lavrov", "sergei-lavrov")]
    assert found("see Kremlin.ru, May 15, and the Kremlin") == [("Kremlin.ru", "kremlin-ru"), ("Kremlin", "kremlin")]


def test_multi_word_alias_with_two_names():
    assert found("Chinese Foreign Minister Wang Yi was in Sochi") == [("Wang Yi", "wang-yi")]


def test_multi_word_alias_may_span_a_line_break():
    matcher = Matcher.build(ENTITIES)
    text = "President Vladimir\nPutin"
    assert [(m.start, m.end) for m in matcher.find(normalise(text).replace("\n", " "))] == [(10, 24)]


def test_whole_words_only():
    assert found("Trumpet and Putinism and USB") == []
    assert found("antiPutin") == []
    assert found("G20s") == []
    assert found("the G20 summit") == [("G20", "g20")]


def test_case_sensitive():
    assert found("putin and PUTIN") == []
    assert found("us and US") == [("US", "us")]


def test_unicode_words_and_accents():
    assert found("Nicolás Maduro in Caracas") == [("Nicolás Maduro", "nicolas-maduro")]
    assert found("Maduroé") == []
    assert found("«Putin»") == [("Putin", "vladimir-putin")]
    cyrillic = [("putin-ru", ["Путин"])]
    assert found("Путин сказал; Путина нет", cyrillic) == [("Путин", "putin-ru")]


def test_never_inside_a_url():
    assert found("see https://example.org/Putin/Trump and Putin") == [("Putin", "vladimir-putin")]
    assert found("www.Putin.ru") == []


def test_an_alias_claimed_twice_reports_both_owners():
    matcher = Matcher.build([("a", ["Washington"]), ("b", ["Washington"])])
    (match,) = matcher.find("in Washington")
    assert match.entities == ("a", "b")
    assert matcher.ambiguous() == {"Washington": ("a", "b")}


@pytest.mark.parametrize("size", [10, 500, 5000])
def test_cost_does_not_depend_on_entity_count(size):
    """Structure, not timing: each word is looked up once in a dictionary keyed by first words."""
    entities = [(f"e{n}", [f"Name{n} Surname{n}", f"Surname{n}"]) for n in range(size)]
    matcher = Matcher.build(entities)
    assert len(matcher.index) == 2 * size
    assert max(len(c) for c in matcher.index.values()) == 1
    text = " ".join(f"Surname{n % size} said" for n in range(50))
    assert len(matcher.find(text)) == 50
