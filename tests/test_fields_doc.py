"""docs/fields.md is generated from the one declared schema (generator/schema.py), and the loaders accept
exactly the keys it declares: every declared key, written with its own example, loads without a warning; a key
the schema lacks is reported as unknown by every loader."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator import schema
from generator.config import COMMON_FIELDS, DEFAULT_KINDS, KIND_FIELDS, OPTION_NAMES, load_config
from generator.load.annotations import load_entity, load_sidecar
from generator.load.articles import ARTICLE_FIELDS, load_article
from generator.problems import Problems

ROOT = Path(__file__).resolve().parent.parent


def test_docs_fields_md_is_the_schema():
    """Fails when a key is declared without regenerating the doc, or the doc is edited by hand:
    run `make fields` (python -m generator.schema > docs/fields.md)."""
    assert (ROOT / "docs/fields.md").read_text(encoding="utf-8") == schema.fields_markdown()


def test_the_loaders_read_the_declared_keys():
    assert list(ARTICLE_FIELDS) == list(schema.ARTICLE.names)
    assert set(schema.SITE.names) == OPTION_NAMES
    assert tuple(COMMON_FIELDS) == schema.ENTITY.names and tuple(KIND_FIELDS) == schema.KIND.names
    assert {f for kind in DEFAULT_KINDS.values() for f in kind.fields} == set(schema.KIND_FIELDS.names)


def test_every_key_has_a_type_a_default_and_an_example():
    for table in schema.TABLES:
        for key in table.keys:
            assert key.type_name and key.example and key.doc, (table.title, key.name)


def test_the_readme_links_the_fields_reference():
    assert "docs/fields.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def _lines(table: schema.Table, skip: tuple[str, ...] = ()) -> list[str]:
    """`key = example` for each key of the table whose example is a TOML value."""
    out = []
    for key in table.keys:
        line = f"{key.name} = {key.example}"
        try:
            tomllib.loads(line)
        except tomllib.TOMLDecodeError:
            continue
        if key.name not in skip:
            out.append(line)
    return out


def _load(tmp_path: Path, what: str, lines: list[str]) -> Problems:
    problems = Problems()
    text = "\n".join(lines) + "\n"
    if what == "site":
        (tmp_path / "site.toml").write_text(text, encoding="utf-8")
        load_config(tmp_path / "site.toml", problems)
    elif what == "article":
        (tmp_path / "content").mkdir()
        (tmp_path / "content/talks.md").write_text(f"+++\n{text}+++\nText.\n", encoding="utf-8")
        load_article(tmp_path / "content/talks.md", problems)
    elif what in ("person", "event", "institution"):
        (tmp_path / "annotations/media").mkdir(parents=True)
        (tmp_path / "annotations/media/lavrov.jpg").write_bytes(b"\xff\xd8\xff")
        path = tmp_path / "annotations" / DEFAULT_KINDS[what].folder / "sergei-lavrov.md"
        path.parent.mkdir()
        path.write_text(f"+++\n{text}+++\nA gloss.\n", encoding="utf-8")
        load_entity(path, DEFAULT_KINDS[what], problems)
    else:
        (tmp_path / "notes.toml").write_text(f"[[{what}]]\n{text}", encoding="utf-8")
        load_sidecar(tmp_path / "notes.toml", problems)
    return problems


def _kind_lines(kind: str) -> list[str]:
    return [line for line in _lines(schema.KIND_FIELDS) if line.split(" = ")[0] in DEFAULT_KINDS[kind].fields]


INPUTS = {
    "site": lambda: _lines(schema.SITE),
    "article": lambda: _lines(schema.ARTICLE),
    "person": lambda: _lines(schema.ENTITY) + _kind_lines("person"),
    "institution": lambda: _lines(schema.ENTITY) + _kind_lines("institution"),
    "event": lambda: _lines(schema.ENTITY) + _kind_lines("event"),
    "note": lambda: _lines(schema.NOTE),
    "pin": lambda: _lines(schema.PIN),
    "skip": lambda: _lines(schema.SKIP),
    "question": lambda: _lines(schema.QUESTION),
}


@pytest.mark.parametrize("what", INPUTS)
def test_every_declared_key_loads_with_its_example(tmp_path, what):
    """The examples are valid values, and the loader knows every key the schema declares."""
    problems = _load(tmp_path, what, INPUTS[what]())
    assert problems.items == [], [str(p) for p in problems.items]


@pytest.mark.parametrize("what", INPUTS)
def test_a_key_the_schema_lacks_is_reported(tmp_path, what):
    """A loader that accepted a key the schema does not declare (so docs/fields.md would not list it) fails here."""
    problems = _load(tmp_path, what, [*INPUTS[what](), 'undeclared_key = "x"'])
    assert [p.message for p in problems.warnings if "undeclared_key" in p.message], [str(p) for p in problems.items]
    assert problems.errors == [], [str(p) for p in problems.errors]


# Today's messages, one for each rule the one validator (schema.validate) applies, as the six loops that came
# before it wrote them: (input, its lines, the problem as `gloss check` prints it without the path).
MESSAGES = [
    ("site", ['title = "T"', "search = 1"], "2: error: `search` must be a bool, not int — search: a search box"),
    ("site", ['title = "T"', 'notes = "some"'], '2: error: `notes` must be one of "first", "all", not "some"'),
    ("site", ['title = "T"', "titel = 1"], "2: warning: unknown setting `titel` is ignored — did you mean `title`?"),
    ("site", ['description = "D"'], '1: error: `title` is required — add a line such as title = "My annotated'),
    ("site", ['title = "T"', "strings = 1"], "2: error: `strings` must be a table of texts"),
    ("site", ['title = "T"', "[strings]", "notes = 1"], "2: error: `strings` must be a table of texts"),
    ("site", ['title = "T"', "[exports]", 'cite = "no"'],
     "2: error: `exports.cite` must be true or false, not 'no' — write cite = false to leave it out"),
    ("site", ['title = "T"', "[exports]", "kite = false"],
     "2: warning: unknown key `kite` in [exports] is ignored — did you mean `cite`?"),
    ("site", ['title = "T"', "[kinds.ship]", "folder = 1"],
     '2: error: [kinds.ship]: `folder` must be text and `fields` a list of texts — write folder = "works"'),
    ("site", ['title = "T"', "[kinds.ship]", "fields = [1]"], "2: error: [kinds.ship]: `folder` must be text"),
    ("site", ['title = "T"', "[kinds.ship]", "lable = 1"],
     "2: warning: unknown key `lable` in [kinds.ship] is ignored — did you mean `label`?"),
    ("site", ['title = "T"', "kinds = 1"], "2: error: `kinds` must be a table of [kinds.<name>] tables"),
    ("article", ['title = "T"', "volume = true"], "3: error: `volume` must be a number or a string — write volume = 16"),
    ("article", ['title = "T"', "order = true"], "3: error: `order` must be a int, not bool — write order as a int"),
    ("article", ['title = "T"', "author = 1"], '3: error: `author` must be a name or a list of names — write author = '
     '"Jane Doe", or author = ["Jane Doe", "John Roe"] when several wrote it'),
    ("article", ['subtitle = "S"'], '2: error: the article has no `title` — add title = "…" to the front matter'),
    ("article", ['title = "T"', "autor = 1"], "3: warning: unknown front-matter field `autor` is ignored — did you mean"),
    ("person", ['name = "N"', "aliases = [1]"], '3: error: `aliases` must be a list of strings — write aliases = ['),
    ("person", ['name = "N"', 'related = "x"'], "3: error: `related` must be a list of entity ids"),
    ("person", ['name = "N"', "sources = [1]"], "3: error: each source needs a title (and a url)"),
    ("person", ['name = "N"', "role = true"], '3: error: `role` must be text — write role = "…"'),
    ("person", ['name = "N"', "bron = 1"], "3: warning: unknown field `bron` for a person is ignored — did you mean `born`?"),
    ("person", ["name = 1"], "2: error: the entity has no `name`"),
    ("note", ['exact = "x"'], '1: error: a passage note needs a `body` — add body = "…"'),
    ("question", ['exact = "x"', 'body = ""'], "1: error: a discussion question needs a `body`"),
    ("pin", ['exact = "x"'], '1: error: a pin needs an `entity` — add entity = "entity-id"'),
    ("skip", ['prefix = "x"'], '1: error: [[skip]] needs an `exact` quote — add exact = "the words in the article"'),
    ("skip", ['exact = "x"', "suffix = 1"], "1: error: `prefix` and `suffix` must be text"),
    ("skip", ['exact = "x"', "exakt = 1"], "1: warning: unknown key `exakt` in [[skip]] is ignored — did you mean `exact`?"),
]


@pytest.mark.parametrize(("what", "lines", "expected"), MESSAGES, ids=[m[2][:40] for m in MESSAGES])
def test_the_validator_keeps_the_messages(tmp_path, what, lines, expected):
    problems = _load(tmp_path, what, lines)
    shown = [str(p).split(":", 1)[1] for p in problems.items]
    assert any(s.startswith(expected) for s in shown), shown


def test_a_notes_file_entry_must_be_an_array_of_tables(tmp_path):
    (tmp_path / "notes.toml").write_text('note = "x"\n[[pun]]\nexact = "y"\n', encoding="utf-8")
    problems = Problems()
    load_sidecar(tmp_path / "notes.toml", problems)
    assert [str(p) for p in problems.sorted()] == [
        f"{tmp_path}/notes.toml:1: error: `note` must be written [[note]] — use double brackets",
        f"{tmp_path}/notes.toml:2: warning: unknown entry `pun` is ignored — did you mean [[pin]]?"]
