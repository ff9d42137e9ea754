#!/usr/bin/env python3
"""Write the fixture edition the quality gates run on: ~20 articles and ~100 entities, deterministic.

The bundled edition has one article; this one has every kind of page many times over and every kind
of markup the theme renders (headings, lists, quotes, tables, code, footnotes, figures with images,
passage notes, pins, inline [[id]] references, a custom kind, a draft), so a gate that passes here
passes on more than one lucky page. Same arguments, byte-identical files.

    python tools/fixture_edition.py OUT [--articles 20] [--entities 100] [--words 400] [--seed 8]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

GIVEN = ["Arlen", "Mirela", "Teodor", "Ilsa", "Bastian", "Oksana", "Lucan", "Vesna", "Radek", "Sabine",
         "Emil", "Ivana", "Marek", "Noor", "Anselm", "Dagny", "Yusuf", "Helka", "Pavo", "Renata",
         "Casimir", "Zora", "Tobiah", "Ines", "Florin", "Agata", "Milan", "Beatrix", "Oren", "Linnea"]
ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "st",
          "tr", "sh", "ch", "zh"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o"]
CODAS = ["", "", "n", "r", "l", "s", "v", "k"]
SURNAME_ENDINGS = ["ov", "ova", "ski", "ez", "escu", "enko", "ić", "ard", "ström", "ani"]
ROLES = ["diplomat", "deputy foreign minister", "intelligence chief", "presidential aide", "journalist",
         "negotiator", "security adviser", "senator", "ambassador", "general"]
INSTITUTION_FORMS = [("{W} Institute", "a think tank"), ("{W} Gazette", "a newspaper"),
                     ("Bank of {W}", "a central bank"), ("{W} Security Council", "a state security body"),
                     ("{W} Trade Agency", "a state agency")]
EVENT_FORMS = ["{W} summit", "{W} accord", "{W} Strait incident", "{W} talks", "{W} crisis"]
PLACE_FORMS = ["{W}", "{W}", "Port {W}", "{W} Bay"]
WORK_FORMS = ["The {W} Memorandum", "{W} Papers", "Report on {W}"]
PHRASES = ["would not rule out further sanctions", "raised the question of arms control",
           "declined to comment on the report", "insisted the talks had been constructive",
           "warned against interference in domestic affairs", "called for a new round of consultations",
           "accused the other side of bad faith", "signalled readiness to compromise",
           "kept the details of the meeting private", "described the exchange as frank",
           "pointed to the expiring treaty", "questioned the timing of the announcement",
           "spoke by telephone for almost an hour", "reiterated long-standing positions",
           "left the door open to a summit", "dismissed the reports as speculation"]
TEMPLATES = ["{P} met {Q} in {L} on the sidelines of the {E}, and both {W}.",
             "According to the {I}, {P} {W}.", "{P} told the {I} that the talks {W}.",
             "Aides to {P} {W} after the {E}.", "In {L}, {Q} {W}, while {P} {W}.",
             "{P} and {Q} {W} in the aftermath of the {E}.", "Officials close to {P} {W}, the {I} reported.",
             "The {I} said that {P} {W}.", "{P} {W}; {Q} {W}.", "{P} dismissed the proposal that {Q} made in {L}.",
             "Since the {E}, {P} {W}.", "{Q} cited {K} when {P} {W}."]
HEADINGS = ["What {P} wants", "The shadow of the {E}", "Inside the {I}", "Back in {L}", "After the {E}"]
PUBLICATIONS = ["Northern Affairs Monitor", "The Strait Review", "Bulletin of the Eastern Desk"]
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320" viewBox="0 0 640 320">'
       '<rect width="640" height="320" fill="#d9e4ec"/><path d="M0 250 C160 180 320 300 640 210 V320 H0Z" '
       'fill="#7a9bb0"/><circle cx="520" cy="80" r="40" fill="#f2c14e"/></svg>\n')


@dataclass
class Entity:
    id: str
    kind: str  # folder: people, institutions, events, places, works
    name: str
    alias: str  # the short alias articles use
    summary: str
    fields: dict[str, str] = field(default_factory=dict)  # TOML lines: key -> literal


def _word(rng: random.Random, used: set[str]) -> str:
    """A pronounceable invented word, unique across the edition so no alias is claimed twice."""
    while True:
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(2)) + rng.choice(CODAS)
        word = word.capitalize()
        if word not in used and len(word) > 3:
            used.add(word)
            return word


def _slug(text: str) -> str:
    table = str.maketrans({"ć": "c", "ö": "o"})
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower().translate(table)).split())


def make_entities(rng: random.Random, count: int) -> list[Entity]:
    """People 40 %, institutions 20 %, events 15 %, places 15 %, works (a custom kind) the rest."""
    used: set[str] = set()
    shares = [("people", 0.40), ("institutions", 0.20), ("events", 0.15), ("places", 0.15)]
    sizes = [max(1, round(count * share)) for _, share in shares]
    sizes.append(max(1, count - sum(sizes)))
    entities: list[Entity] = []
    for (kind, _), size in zip([*shares, ("works", 0)], sizes, strict=True):
        for i in range(size):
            w = _word(rng, used)
            if kind == "people":
                given = GIVEN[i % len(GIVEN)]
                surname = w + rng.choice(SURNAME_ENDINGS)
                used.add(surname)
                role = rng.choice(ROLES)
                e = Entity(_slug(f"{given} {surname}"), kind, f"{given} {surname}", surname, f"A {role} from {w}.")
                e.fields = {"sort_name": f'"{surname}, {given}"', "role": f'"{role.capitalize()}"',
                            "born": f"{1940 + rng.randrange(45)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"}
            elif kind == "institutions":
                form, gloss = rng.choice(INSTITUTION_FORMS)
                name = form.format(W=w)
                e = Entity(_slug(name), kind, name, name, f"{gloss.capitalize()} in {w}.")
                e.fields = {"founded": f'"{1900 + rng.randrange(110)}"'}
            elif kind == "events":
                name = rng.choice(EVENT_FORMS).format(W=w)
                year, month = 2015 + rng.randrange(6), 1 + rng.randrange(12)
                e = Entity(_slug(name), kind, name, name, f"A meeting of {w} delegations.")
                e.fields = {"date": f"{year}-{month:02d}-{1 + rng.randrange(28):02d}"} if i % 4 else \
                    {"date": f'"{year}-{month:02d}"', "end": f'"{year + 1}"'}
            elif kind == "places":
                name = rng.choice(PLACE_FORMS).format(W=w)
                e = Entity(_slug(name), kind, name, name, f"A port city on the {w} coast.")
                e.fields = {"country": f'"{_word(rng, used)}ia"'}
            else:
                name = rng.choice(WORK_FORMS).format(W=w)
                e = Entity(_slug(name), kind, name, name, f"A document circulated in {w}.")
            entities.append(e)
    return entities


def entity_file(e: Entity, others: list[Entity], rng: random.Random, index: int) -> str:
    """One annotation file: front matter with dates, related and sources; a gloss with [[id]] references."""
    lines = ["+++", f'name = "{e.name}"']
    aliases = [e.name] if e.alias == e.name else [e.name, e.alias]
    lines.append("aliases = [" + ", ".join(f'"{a}"' for a in aliases) + "]")
    lines.append(f'summary = "{e.summary}"' if index % 5 else "")  # every fifth: the gloss's first paragraph
    lines += [f"{k} = {v}" for k, v in e.fields.items()]
    if e.kind == "places" and index % 2 == 0:  # an image in annotations/media/, with its alt text and credit
        lines += ['image = "coast.svg"', f'image_alt = "A drawing of the coast at {e.name}: hills, sea and sun"',
                  'image_credit = "drawing made for the fixture edition"']
    picks = rng.sample(others, 3)
    lines.append("related = [" + ", ".join(f'"{o.id}"' for o in picks[:2]) + "]")
    if index % 3 == 0:
        lines.append(f'sources = [{{ title = "{e.name} — an encyclopaedia entry", '
                     f'url = "https://example.org/wiki/{e.id}" }}]')
    lines.append("+++")
    ref = picks[2]
    body = (f"{e.name} appears in several of the reports collected here. {e.summary} "
            f"Observers link {e.alias} with [[{ref.id}]], and with [[{picks[0].id}|{picks[0].alias}]] "
            f"in the later coverage.\n\n"
            f"Later accounts differ on the details; see the sources below where they are given.\n")
    return "\n".join(line for line in lines if line) + "\n" + body


def _sentence(rng: random.Random, cast: dict[str, list[Entity]]) -> str:
    people = rng.sample(cast["people"], 2)
    return rng.choice(TEMPLATES).format(
        P=people[0].alias, Q=people[1].alias, I=rng.choice(cast["institutions"]).name,
        E=rng.choice(cast["events"]).name, L=rng.choice(cast["places"]).name,
        K=rng.choice(cast["works"]).name, W=rng.choice(PHRASES))


def article_file(n: int, cast: dict[str, list[Entity]], rng: random.Random, words: int,
                 first_slug: str) -> tuple[str, str]:
    """One article (slug, text): front matter, then paragraphs with one kind of extra markup each; the first
    article has every kind (so one page of it shows them all)."""
    rich = n == 1
    lead = cast["people"][0]
    title = f"{lead.alias} and the {cast['events'][0].name}"
    slug = f"{n:02d}-{_slug(title)}"
    front = ["+++", f'title = "{title}"']
    if n % 2:
        front.append(f'subtitle = "Dispatch {n} from the {cast["places"][0].name} desk"')
    front += [f'author = "{GIVEN[n % len(GIVEN)]} {_word(rng, set())}"',
              f"date = 2019-{1 + n % 12:02d}-{1 + n % 28:02d}",
              f'publication = "{PUBLICATIONS[n % len(PUBLICATIONS)]}"', f"volume = {16 + n // 10}", f"issue = {n}",
              f'source = "https://example.org/articles/{slug}"',
              f'summary = "How {lead.name} handled the {cast["events"][0].name}."']
    if n % 4 == 0:
        front.append('rights = "© The fixture authors; reproduced for teaching."')
    front.append("+++\n")
    body: list[str] = []
    if n % 5 == 1:
        body.append(f"::: figure\n![The harbour of {cast['places'][0].name} at dawn](media/harbour.svg)\n\n"
                    f"The harbour of {cast['places'][0].name} (Photo: fixture archive)\n:::\n")
    count = 0
    paragraph = 0
    while count < words:
        sentences = [_sentence(rng, cast) for _ in range(3 + rng.randrange(3))]
        text = " ".join(sentences)
        count += len(text.split())
        paragraph += 1
        if paragraph == 1:
            text += f" As [[{cast['people'][1].id}|one observer]] put it, nothing was settled."
        if paragraph == 3:
            body.append(f"## {rng.choice(HEADINGS).format(P=lead.alias, E=cast['events'][1].name, I=cast['institutions'][0].name, L=cast['places'][1].name)}\n")
        body.append(text + "\n")
        extra = (n + paragraph) % 7
        if paragraph == 2 and extra in (0, 1):
            body.append("".join(f"- {_sentence(rng, cast)}\n" for _ in range(3)))
        elif paragraph == 2 and extra in (2, 3):
            body.append("".join(f"{i}. {_sentence(rng, cast)}\n" for i in range(1, 4)))
        elif paragraph == 4 and extra in (0, 2, 4):
            body.append(f"> {_sentence(rng, cast)}\n")
        if paragraph == 5 and rich:
            body.append(f"> {_sentence(rng, cast)}\n")
        elif paragraph == 4 and extra == 5:
            rows = "".join(f"| {e.name} | {e.fields.get('date', '').strip(chr(34))} |\n" for e in cast["events"][:3])
            body.append("| Event | Date |\n|---|---|\n" + rows)
    if n % 5 == 2 or rich:
        body[-1] = body[-1].rstrip("\n") + "[^src]\n"
        body.append("[^src]: The wording follows the agency's English service.\n")
    if n % 6 == 0 or rich:
        body.append("The cable ends with a reference code:\n\n```text\nREF 2019-" + f"{n:04d}" + " // ROUTINE\n```\n")
    if first_slug:
        body.append(f"An earlier dispatch is [the first in this series]({first_slug}.md#p2).\n")
    return slug, "\n".join(front) + "\n".join(body)


def sidecar(text: str, cast: dict[str, list[Entity]]) -> str:
    """A passage note (with a reference inside it) anchored on a phrase that occurs in the article."""
    for phrase in PHRASES:
        if phrase in text and text.count(phrase) == 1:
            return (f"[[note]]\nexact = \"{phrase}\"\n"
                    f"body = \"A stock phrase in these reports; compare [[{cast['people'][2].id}]].\"\n")
    return ""


SITE = """title = "Fixture edition: dispatches from the Strait"
description = "A generated edition for the quality gates: every kind of page, many times over."
language = "en"
author = "The Gloss test suite"
base_url = "https://example.org/fixture/"
notes = "{notes}"

[kinds.person]
folder = "people"
[kinds.institution]
folder = "institutions"
[kinds.event]
folder = "events"
[kinds.place]
folder = "places"
[kinds.work]
folder = "works"
label = "Works"
singular = "Work"
"""


def write_edition(out: Path, articles: int = 20, entities: int = 100, words: int = 400, seed: int = 8,
                  notes: str = "all") -> Path:
    """Write the edition into `out` (created; existing files with the same names are replaced)."""
    rng = random.Random(seed)
    everyone = make_entities(rng, entities)
    by_kind: dict[str, list[Entity]] = {}
    for e in everyone:
        by_kind.setdefault(e.kind, []).append(e)
    files: dict[str, str] = {"site.toml": SITE.format(notes=notes), "content/media/harbour.svg": SVG,
                             "annotations/media/coast.svg": SVG}
    for index, e in enumerate(everyone):
        others = [o for o in everyone if o is not e]
        files[f"annotations/{e.kind}/{e.id}.md"] = entity_file(e, others, rng, index)
    lonely = by_kind["people"][-1]  # mentioned by no article: its page says so
    first_slug = ""
    for n in range(1, articles + 1):
        cast = {kind: rng.sample([e for e in members if e is not lonely], min(len(members) - 1, 6))
                for kind, members in by_kind.items()}
        slug, text = article_file(n, cast, rng, words, first_slug)
        first_slug = first_slug or slug
        files[f"content/{slug}.md"] = text
        note = sidecar(text, cast)
        if note and n % 3:
            files[f"annotations/notes/{slug}.toml"] = note
    files["content/99-draft.md"] = '+++\ntitle = "Not yet"\ndraft = true\n+++\nA draft is left out.\n'
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--entities", type=int, default=100)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--notes", choices=("first", "all"), default="all")
    args = parser.parse_args()
    write_edition(args.out, args.articles, args.entities, args.words, args.seed, args.notes)
    print(f"wrote the fixture edition into {args.out}")


if __name__ == "__main__":
    main()
