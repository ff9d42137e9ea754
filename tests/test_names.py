"""`gloss names`: whole names in five languages, kinds with reasons, the commands it prints, JSON, --write; and
the TOML that `gloss new` and `gloss init` write."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from generator.cli import main
from generator.names import names_in

ROOT = Path(__file__).resolve().parent.parent


def names(text: str, language: str = "en") -> list[str]:
    return [n.name for n in names_in(text, language)]


@pytest.mark.parametrize("text, language, expected", [
    # initials and dotted abbreviations stay inside the name; titles go
    ("In 1991 President George H.W. Bush thanked Turkey. Later U.S. troops left.", "en",
     ["George H.W. Bush", "Turkey", "U.S."]),
    ("He praised Stephen K. Bannon and Robert M. Gates at length.", "en", ["Stephen K. Bannon", "Robert M. Gates"]),
    # particles, possessives with curly apostrophes, a name's own apostrophe
    ("Turkey’s war with the Kurdistan Workers’ Party (PKK) goes on; the PKK’s leader is in prison.", "en",
     ["Turkey", "Kurdistan Workers’ Party"]),
    ("Analysts at the Council on Foreign Relations and the Brookings Institution disagree.", "en",
     ["Council on Foreign Relations", "Brookings Institution"]),
    # single words capitalised mid-sentence; a sentence opener is no name unless it is one elsewhere
    ("Troops went to Iraq and Syria. However, nothing changed. Ankara said no. The Iraq talks ended.", "en",
     ["Iraq", "Syria", "Ankara"]),
    # the language's stop words: "En" opens a Spanish sentence
    ("En Chile viven muchos. En Medio Oriente también.", "es", ["Chile", "Medio Oriente"]),
    # French: a head word takes its lower-case adjective; elisions are cut off
    ("L'Assemblée nationale a voté, et l'UNESCO aussi.", "fr", ["Assemblée nationale", "UNESCO"]),
    # German: nouns are capitalised, names are not all the capitalised words
    ("Tausende Menschen zogen zur Bornholmer Straße, wo Harald Jäger den Schlagbaum öffnete.", "de",
     ["Bornholmer Straße", "Harald Jäger"]),
    # Dutch particles
    ("De ingenieur Johan van Veen van Rijkswaterstaat waarschuwde.", "nl", ["Johan van Veen", "Rijkswaterstaat"]),
])
def test_whole_names_in_five_languages(text: str, language: str, expected: list[str]):
    assert names(text, language) == expected


def test_a_surname_and_an_acronym_join_their_full_name():
    found = names_in("Abdullah Öcalan founded the PKK. Öcalan is in prison. The United Nations (UN) spoke; "
                     "later the UN spoke again.", "en")
    by_name = {n.name: n for n in found}
    assert by_name["Abdullah Öcalan"].aliases == ["Abdullah Öcalan", "Öcalan"]
    assert by_name["Abdullah Öcalan"].count == 2
    assert by_name["United Nations"].aliases == ["United Nations", "UN"]
    assert by_name["United Nations"].count == 3


@pytest.mark.parametrize("text, name, kind, reason", [
    ("Officials in the Middle East agreed.", "Middle East", "place", "East"),
    ("Officials at the United Nations agreed.", "United Nations", "institution", "Nations"),
    ("Officials at the Brookings Institution agreed.", "Brookings Institution", "institution", "Institution"),
    ("The Battle of Waterloo ended it.", "Battle of Waterloo", "event", "Battle"),
    ("After the Great Fire of London they rebuilt.", "Great Fire of London", "event", "Fire"),
    ("Officials met in Ankara last week.", "Ankara", "place", "gazetteer"),
    ("Minister Sergei Lavrov agreed.", "Sergei Lavrov", "person", "title"),
    ("It was said at the time (Interfax, May 3).", "Interfax", "institution", "cited"),
    ("The Kerch Strait incident followed.", "Kerch Strait incident", "event", "incident"),
])
def test_kinds_come_with_their_reason(text: str, name: str, kind: str, reason: str):
    found = {n.name: n for n in names_in(text, "en")}
    assert found[name].kind is not None
    assert found[name].kind.kind == kind and reason in found[name].kind.reason, found[name].kind


SITE = {
    "site.toml": 'title = "T"\n',
    "content/a.md": '+++\ntitle = "A"\n+++\nAbdullah Ocalan founded the Kurdistan Workers’ Party (PKK) in 1978.\n\n'
                    'Later Ankara and the PKK’s leaders met Sergei Lavrov. Lavrov spoke.\n',
    "annotations/people/abdullah-ocalan.md": '+++\nname = "Abdullah Öcalan"\naliases = ["Öcalan"]\n+++\nThe founder.\n',
    "annotations/people/sergei-lavrov.md": '+++\nname = "Sergei Lavrov"\naliases = ["Lavrov"]\n+++\nA minister.\n',
}


def test_gloss_names_lists_commands_and_the_alias_to_add(make_site, capsys):
    root = make_site(SITE)
    assert main(["names", "--site", str(root)]) == 0
    out = capsys.readouterr().out
    assert "content/a.md: 3 names to gloss" in out
    assert "`Kurdistan Workers’ Party` (3 times, ¶1, ¶2) — line 4:29 — institution: “Party” names an institution" in out
    assert "gloss new institution kurdistan-workers-party --name 'Kurdistan Workers’ Party' --alias PKK" in out
    assert "gloss new place ankara --name Ankara" in out
    assert 'add the alias "Abdullah Ocalan" to annotations/people/abdullah-ocalan.md' in out
    assert "Lavrov" not in out  # covered by its aliases
    assert not (root / "annotations/institutions").exists()  # listing writes no entity


def test_gloss_names_json_and_write(make_site, capsys):
    root = make_site(SITE)
    assert main(["names", "a", "--format", "json", "--site", str(root)]) == 0
    entries = json.loads(capsys.readouterr().out)
    party = next(e for e in entries if e["id"] == "kurdistan-workers-party")
    assert party["kind"] == "institution" and party["count"] == 3 and party["paragraphs"] == [1, 2]
    assert party["aliases"] == ["Kurdistan Workers’ Party", "PKK"] and party["line"] == 4
    assert next(e for e in entries if e["name"] == "Abdullah Ocalan")["alias_of"] == "abdullah-ocalan"
    assert main(["names", "--write", "--pick", "Kurdistan Workers’ Party", "--site", str(root)]) == 0
    written = (root / "annotations/institutions/kurdistan-workers-party.md").read_text(encoding="utf-8")
    front = tomllib.loads(written.split("+++\n")[1])
    assert front["name"] == "Kurdistan Workers’ Party" and front["aliases"] == ["PKK"]
    assert not (root / "annotations/places/ankara.md").exists()  # only what was picked
    assert main(["names", "--pick", "nobody", "--site", str(root)]) == 2


def test_gloss_names_refuses_an_unknown_article(make_site, capsys):
    root = make_site(SITE)
    assert main(["names", "nope", "--site", str(root)]) == 2
    assert "no article `nope`" in capsys.readouterr().err


@pytest.mark.parametrize("name", ['Joe "JJ" Smith', "C:\\Users\\back\\slash", "two\nlines", "Абдулла Оджалан",
                                  "عبد الله أوجلان", "'single' and ’curly’", "tab\there"])
def test_gloss_new_writes_valid_toml_for_any_name(make_site, name: str):
    root = make_site({"site.toml": 'title = "T"\n'})
    assert main(["new", "person", "someone", "--name", name, "--alias", name + " (alias)", "--site", str(root)]) == 0
    text = (root / "annotations/people/someone.md").read_text(encoding="utf-8")
    front = tomllib.loads(text.split("+++\n")[1])
    assert front["name"] == name and front["aliases"] == [name + " (alias)"]


def test_gloss_new_shows_every_optional_field_of_the_kind_commented(make_site):
    root = make_site({"site.toml": 'title = "T"\n'})
    for kind, entity_id, fields in [("person", "a-b", ["born", "died", "role", "country"]),
                                    ("institution", "c", ["founded", "dissolved", "country", "role"]),
                                    ("event", "d", ["date", "end", "place"]), ("place", "e", ["country", "founded"])]:
        assert main(["new", kind, entity_id, "--site", str(root)]) == 0
        text = next((root / "annotations").glob(f"*/{entity_id}.md")).read_text(encoding="utf-8")
        for field in [*fields, "sources", "image"]:
            assert f"\n# {field} = " in text, (kind, field)
        uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line
                                 for line in text.split("+++\n")[1].splitlines())
        front = tomllib.loads(uncommented)  # the optional fields uncommented: still valid TOML
        assert set(fields) <= set(front)


def test_gloss_new_for_an_existing_name_proposes_the_alias(make_site, capsys):
    root = make_site(SITE)
    assert main(["new", "person", "abdullah-ocalan", "--name", "Abdullah Ocalan", "--site", str(root)]) == 1
    err = capsys.readouterr().err
    assert 'annotations/people/abdullah-ocalan.md: error: `abdullah-ocalan` exists already — if it is the same ' \
           'entity, add "Abdullah Ocalan" to its aliases' in err
    assert main(["new", "person", "ocalan", "--name", "Öcalan", "--site", str(root)]) == 1
    assert 'add "Öcalan" to its aliases instead of a new entity' in capsys.readouterr().err
    assert not (root / "annotations/people/ocalan.md").exists()


@pytest.mark.parametrize("title", ['A "quoted" title', "back\\slash", "Заголовок"])
def test_gloss_init_writes_valid_toml_and_folds_accents(tmp_path, title: str):
    folder = tmp_path / "ed"
    assert main(["init", str(folder), "--title", title]) == 0
    site = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
    assert site["title"] == title and site["fold_accents"] is True


def test_a_paragraph_with_backslash_escapes_is_read():
    """`\\[sic\\]` in the source: the paragraph's text is still found in place (check.prose)."""
    body = "Donald Trump spoke of “the ‘Russian Hoax’ \\[sic\\],” said Putin in Buenos Aires, Argentina.\n"
    assert names(body) == ["Donald Trump", "Russian Hoax", "Putin", "Buenos Aires", "Argentina"]
