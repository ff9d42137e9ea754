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
