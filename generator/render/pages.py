"""Pages through the theme's Jinja2 templates: home, articles, kind indexes, entity pages, 404."""

from __future__ import annotations

import io
import os
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache, partial
from itertools import groupby
from operator import attrgetter
from pathlib import Path, PurePath
from typing import NoReturn

import jinja2
from babel import Locale, UnknownLocaleError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ..load.files import is_web_address
from ..model import Article, Edition, Entity, Mention, RenderedArticle
from ..problems import GlossError, Problem, Problems
from ..resolve import Links
from .annotations import ROW_SPECIALS, LinkFound, MarkupContext, MentionRow
from .markdown import links_to_check, render_inline, render_markdown
from .open_data import OpenData
from .urls import absolute_url, relative_url


@dataclass
class NoteView:
    """A note as the templates show it: an entity's (name, kind, dates, summary) or a passage note."""

    id: str
    number: int  # 0 for notes that only open from inside another note
    html: str
    back: str  # fragment of the place in the text it belongs to
    entity: Entity | None = None
    paragraph: int = 0  # the ¶ its place in the text is in (0: none), the back-reference on paper


def plural(strings: Mapping[str, str], language: str, n: int, key: str) -> str:
    """`{{ plural(3, "entries") }}`: the theme's string for n in the language's plural form (CLDR's rules, through
    Babel): `entries_one`, `entries_few`, `entries_many` … `entries_other`, with {n} put in. A theme with only
    the older `entries` gets "3 entries" as before."""
    form = _plural_form(language, n)
    for name in (f"{key}_{form}", f"{key}_other"):
        if name in strings:
            return strings[name].replace("{n}", str(n))
    return f"{n} {strings.get(key, key)}"


@cache
def _plural_rule(language: str) -> Callable[[int], str]:
    try:
        return Locale.parse(language.replace("-", "_") or "en").plural_form
    except (ValueError, TypeError, UnknownLocaleError):
        return lambda n: "one" if n == 1 else "other"


def _plural_form(language: str, n: int) -> str:
    return _plural_rule(language)(n)


def web_url(url: str) -> str:
    """For href attributes from content (an article's source, an entity's sources): an http(s) address or
    nothing, never javascript:, data: or a file on the reader's disk (the loaders report such values too)."""
    return url if is_web_address(url) else ""


class MarkdownNotDeclared(Exception):
    """A template read an article's raw Markdown, and the theme's theme.toml does not declare reads_markdown."""


class ThemeArticle(Article):
    """An article as a theme's templates see it: its front matter and output, not its raw Markdown. `article.body`
    (and body_line) raise MarkdownNotDeclared unless the theme's theme.toml declares reads_markdown — a page that
    shows something of the Markdown must be made again whenever it changes (stages.edition_key)."""

    @property  # type: ignore[override]
    def body(self) -> str:
        raise MarkdownNotDeclared("body")

    @property  # type: ignore[override]
    def body_line(self) -> int:
        raise MarkdownNotDeclared("body_line")

    def __eq__(self, other: object) -> bool:  # one view per article (the dataclass's would read the body)
        return self is other

    __hash__ = object.__hash__

    @classmethod
    def of(cls, article: Article) -> ThemeArticle:
        view = object.__new__(cls)
        view.__dict__.update({k: v for k, v in article.__dict__.items() if k not in ("body", "body_line")})
        return view


class ThemeSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, and no attribute of a path, module, file or function either: a template can read
    `article.path` but not call `article.path.read_text()` or reach a module through a function's globals."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, (PurePath, types.ModuleType, io.IOBase, types.FunctionType, types.CodeType)):
            return False
        return super().is_safe_attribute(obj, attr, value)


class ThemeLoader(jinja2.FileSystemLoader):
    """A theme's templates folder; a template that is a symlink out of it is not found."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        folders = [os.path.realpath(folder) for folder in self.searchpath]
        real = os.path.realpath(filename)
        if not any(real.startswith(folder + os.sep) for folder in folders):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def theme_environment(edition: Edition) -> jinja2.Environment:
    """The Jinja2 environment for the edition's theme: sandboxed (ThemeSandbox) unless the theme is the
    default one, or site.toml says trusted_theme = true — a theme's templates are code, and `gloss check` or
    `gloss serve` of a stranger's edition runs them."""
    sandboxed = edition.config.theme != "default" and not edition.config.trusted_theme
    kind = ThemeSandbox if sandboxed else jinja2.Environment
    env = kind(loader=jinja2.ChoiceLoader([ThemeLoader(str(d / "templates")) for d in edition.theme_dirs]),
               autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
               keep_trailing_newline=True)
    for name, test in env.tests.items():  # `is odd`, `is number`, `is sameas` …: never on a StandIn
        env.tests[name] = partial(_no_stand_in, test)
    return env


def _no_stand_in(test: Callable[..., bool], value: object, *args: object) -> bool:
    if type(value) is StandIn or any(type(a) is StandIn for a in args):
        raise NotShared
    return test(value, *args)


class Pages:
    """Renders every page of an edition. Construct once per build; `plan()` lists (path, renderer)."""

    share_note_items = True  # False: note_item is called for every note (the oracle of tests/test_page_fast_paths.py)

    def __init__(self, edition: Edition, bodies: dict[str, RenderedArticle], links: Links, problems: Problems):
        self.edition, self.bodies, self.links, self.problems = edition, bodies, links, problems
        self.config = edition.config
        self.strings = edition.strings
        self.env = theme_environment(edition)
        self.env.filters["web_url"] = web_url
        self.env.globals["authority_links"] = OpenData.authority_links  # (macros.html's notes use it too)
        self._summaries: dict[tuple[str, str], tuple[str, list[str]]] = {}
        self._glosses: dict[str, tuple[str, list[str]]] = {}
        self.gloss_links: dict[str, list[LinkFound]] = {}  # each rendered gloss's links to check
        self.kinds = [k for k in self.config.kinds.values()]
        # the same for every page of the build: computed once
        # the articles as templates see them: without their Markdown unless the theme declares it reads it
        self._article_of: dict[str, Article] = {
            a.slug: a if edition.reads_markdown else ThemeArticle.of(a) for a in edition.articles}
        self._theme_articles = list(self._article_of.values())
        self._blocks: dict[tuple, str] = {}
        self._note_shapes: dict[tuple, tuple[str, frozenset[str]] | None] = {}
        self._note_macro_found: Callable[..., str] | None = None
        self.counts = {k.key: 0 for k in self.kinds}
        for entity in edition.entities.values():
            self.counts[entity.kind.key] += 1
        self.open_data = OpenData(edition, bodies, lambda e, page: self.summary(e, page)[0],
                                  lambda slug: self.links.neighbours[slug])

    # ------------------------------------------------------------------ pieces

    def markup_context(self, entity: Entity | None = None, source: Path | None = None, line: int = 1) -> MarkupContext:
        """What the annotation rules need to render Markdown outside an article's body — an entity's gloss or
        summary (`entity`), a passage note or question from a notes file (`source`) — with problems reported
        at `line` onwards and every reference opening a note."""
        return MarkupContext(entities=self.edition.entities, source=source or (entity.path if entity else
                             self.config.path), first_line=line, problems=self.problems, notes_mode="all")

    def summary(self, entity: Entity, page: str) -> tuple[str, list[str]]:
        """The note's text (summary, or the gloss's first paragraph) as HTML for `page`, and its refs."""
        key = (entity.id, page.rpartition("/")[0])
        if key not in self._summaries:
            text = entity.summary or entity.gloss.strip().split("\n\n", 1)[0]
            ctx = self.markup_context(entity, line=entity.field_lines.get("summary", entity.gloss_line))
            html = render_inline(" ".join(text.split()), ctx, page, self.config.raw_html) if text else ""
            self._summaries[key] = (html, ctx.refs)
        return self._summaries[key]

    def gloss(self, entity: Entity) -> tuple[str, list[str]]:
        if entity.id not in self._glosses:
            ctx = self.markup_context(entity, line=entity.gloss_line)
            html = render_markdown(entity.gloss, ctx, entity.output, self.config.raw_html)
            self._glosses[entity.id] = (html, ctx.refs)
            self.gloss_links[entity.id] = links_to_check(ctx.links)
        return self._glosses[entity.id]

    def rendered_gloss(self, entity_id: str) -> str | None:
        """The gloss's HTML if this Pages has rendered it already (for checks that must not render)."""
        done = self._glosses.get(entity_id)
        return done[0] if done else None

    def gloss_refs(self) -> dict[str, list[str]]:
        return {entity_id: self.gloss(entity)[1] for entity_id, entity in self.edition.entities.items()}

    def nested_notes(self, page: str, shown: set[str], refs: list[str]) -> list[NoteView]:
        """Notes that open from inside other notes (one level and onwards), not numbered."""
        extra: list[NoteView] = []
        queue = [r for r in refs if r not in shown]
        while queue:
            entity_id = queue.pop(0)
            if entity_id in shown or entity_id not in self.edition.entities:
                continue
            shown.add(entity_id)
            entity = self.edition.entities[entity_id]
            html, more = self.summary(entity, page)
            extra.append(NoteView(f"note-{entity_id}", 0, html, "", entity))
            queue.extend(r for r in more if r not in shown)
        return extra

    def _common(self, page: str, kind: str) -> dict:
        def url(target: str, fragment: str = "") -> str:
            return relative_url(page, target, fragment)

        base = self.config.base_url
        return {
            "site": self.config, "t": self.strings, "url": url, "page": page, "page_kind": kind,
            "kinds": self.kinds, "lang": self.config.language, "dir": self.config.direction,
            "canonical": absolute_url(base, page) if base else "",
            "articles": self._theme_articles, "counts": self.counts,
            "search_strings": {k: v for k, v in self.strings.items() if k.startswith("search_")},
            "plural": partial(plural, self.strings, self.config.language),
            "jsonld": "",
        }

    def _render(self, template: str, context: dict) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise GlossError(Problem(exc.filename or template, exc.lineno or 0, 0, "error",
                                     f"template syntax: {exc.message}", "fix the template")) from None
        except jinja2.TemplateError as exc:
            where, line = _template_line(exc, template)
            raise GlossError(Problem(where, line, 0, "error", f"template failed: {exc}",
                                     "fix the template or the value it uses")) from None
        except GlossError:
            raise
        except MarkdownNotDeclared as exc:
            where, line = _template_line(exc, template)
            raise GlossError(Problem(where, line, 0, "error", f"`article.{exc}` is the article's raw Markdown, which "
                                     "a theme's templates read only when its theme.toml declares reads_markdown",
                                     f"add reads_markdown = true to {self.problems.where(self.edition.theme_dirs[0] / 'theme.toml')} "
                                     "(every page is then made again when any article changes), or show the "
                                     "rendered `body`")) from None
        except Exception as exc:  # a theme's template may raise anything (1/0, "a" + 1 …): still not a traceback
            where, line = _template_line(exc, template)
            raise GlossError(Problem(where, line, 0, "error", f"template failed: {type(exc).__name__}: {exc}",
                                     "fix the template or the value it uses")) from None

    # ------------------------------------------------------------------ pages

    def plan(self) -> list[tuple[str, Callable[[], str]]]:
        """Every page as (output path, function that renders it), so a build can render some pages only,
        or share them out between processes."""
        pages: list[tuple[str, Callable[[], str]]] = [("index.html", self.home)]
        pages += [(a.output, partial(self.article, a)) for a in self.edition.articles]
        pages += [(f"{k.folder}/index.html", partial(self.kind_index, k)) for k in self.kinds]
        pages += [(e.output, partial(self.entity, e)) for e in self.edition.entities.values()]
        pages.append(("404.html", self.not_found))
        if self.config.search:
            pages.append(("search.html", self.search))
        return pages

    def home(self) -> str:
        context = self._common("index.html", "home")
        context["jsonld"] = self.open_data.home_jsonld("index.html")
        context["cite"] = self.open_data.cite(None, "index.html")
        return self._render("home.html", context)

    def article(self, article: Article) -> str:
        page = article.output
        folder = page.rpartition("/")[0]
        body = self.bodies[article.slug]
        entities = self.edition.entities
        notes: list[NoteView] = []
        shown: set[str] = set()
        refs: list[str] = []
        for number, ((kind, value), paragraph) in enumerate(zip(body.notes, body.note_paragraphs, strict=True),
                                                            start=1):
            if kind == "entity":
                entity = entities[value]
                html, more = self.summary(entity, page)
                refs.extend(more)
                shown.add(value)
                notes.append(NoteView(f"note-{value}", number, html, f"ref-{value}", entity, paragraph))
            else:
                ctx = self.markup_context(source=self.edition.sidecars[article.slug].path)
                html = render_inline(value, ctx, page, self.config.raw_html)
                refs.extend(ctx.refs)
                notes.append(NoteView(f"pn{number}", number, html, f"pnref{number}", paragraph=paragraph))
        nested = self.nested_notes(page, shown, refs)
        by_kind: dict[str, list[Entity]] = {}
        for entity_id in body.entity_ids:
            entity = entities[entity_id]
            by_kind.setdefault(entity.kind.key, []).append(entity)
        groups = []
        for kind in self.kinds:
            members = [e for e in by_kind.get(kind.key, ()) if e.kind is kind or e.kind == kind]
            if members:
                members.sort(key=_SORT_KEY)
                groups.append((kind, members))
                for entity in members:  # what the template shows of them, made here even where `reused` skips it
                    self.summary(entity, page)
        previous, following = (self._article_of[a.slug] if a else None for a in self.links.neighbours[article.slug])
        common = self._common(page, "article")
        context = common | {
            "article": self._article_of[article.slug], "body": body.html, "notes": notes, "groups": groups,
            "nested": nested, "previous": previous, "next": following,
            "lang": article.language or self.config.language,
            "summary_of": lambda e: self.summary(e, page)[0],
            "note_item": partial(self._note_item, page, common["url"]), "reused": partial(self._reused, folder),
            "jsonld": self.open_data.article_jsonld(article, page), "cite": self.open_data.cite(article, page),
        }
        return self._render("article.html", context)

    def _reused(self, folder: str, *key: object, caller: Callable[[], str]) -> str:
        """`{% call reused(key …) %}…{% endcall %}` in a template: the block's output for that key, rendered on the
        first page of each folder that asks and reused on the others (the block must show the same there)."""
        done = self._blocks.get((folder, *key))
        if done is None:
            done = self._blocks[(folder, *key)] = caller()
        return done

    def _note_item(self, page: str, page_url: Callable[..., str], note: NoteView, t: dict[str, str],
                   url: Callable[..., str]) -> str:
        """The theme's macros.html note_item(note, t, url), as article.html calls it for each endnote.

        The theme contract says note_item's output depends only on its arguments (docs/themes.md). An entity's
        note is then the same on every article page of a folder but for its number and ¶: its item is rendered
        once with stand-ins for those two (StandIn: printed, or tested for zero, and nothing else) and filled in
        for each note with the same fields (_note_key: every field of the note). An item whose macro does
        anything else with them, or links to the page it is on, is rendered for every note; so is one whose
        filled-in stand-in is not the item rendered for real when it is made."""
        macro = self._note_macro()
        if (not self.share_note_items or note.entity is None or type(note) is not NoteView or t is not self.strings
                or url is not page_url):
            return macro(note, t, url)
        key = _note_key(page.rpartition("/")[0], note)
        shape = self._note_shapes.get(key, False)
        if shape and page not in shape[1]:
            return Markup(shape[0].replace(_NUMBER, str(note.number)).replace(_PARAGRAPH, str(note.paragraph)))
        made = macro(note, t, url)
        if shape is False:
            self._note_shapes[key] = _note_shape(macro, note, t, url, page, made)
        return made

    def _note_macro(self) -> Callable[..., str]:
        """macros.html's note_item (the theme's own, or the default theme's)."""
        if self._note_macro_found is None:
            self._note_macro_found = self.env.get_template("macros.html").module.note_item  # type: ignore[attr-defined]
        return self._note_macro_found

    def kind_index(self, kind) -> str:
        page = f"{kind.folder}/index.html"
        members = [e for e in self.edition.entities.values() if e.kind == kind]
        if kind.timeline:
            members.sort(key=lambda e: (e.when is None, e.when or 0, e.sort_key))
            letters = []
        else:
            members.sort(key=lambda e: e.sort_key)
            letters = sorted({(e.sort_name or e.name)[:1].upper() for e in members})
        context = self._common(page, "index") | {
            "kind": kind, "members": members, "letters": letters,
            "mention_count": lambda e: len(self.links.mentions[e.id]),
            "summary_of": lambda e: self.summary(e, page)[0],
            # the notes that references in the summaries open (their data-note must point at something)
            "nested": self.nested_notes(page, set(), [r for e in members for r in self.summary(e, page)[1]]),
        }
        return self._render("kind.html", context)

    def entity(self, entity: Entity) -> str:
        page = entity.output
        gloss_html, refs = self.gloss(entity)
        articles = self._article_of
        mentions = self.links.mentions[entity.id]
        runs = getattr(mentions, "runs", None)  # the stored rows, one list per article, where they can be had
        by_article: list[tuple[Article, Sequence[Mention]]] = (
            [(articles[slug], MentionRun(entity.id, slug, rows, escape)) for slug, rows, escape in runs() if rows]
            if runs else
            [(articles[slug], list(run)) for slug, run in groupby(mentions, _ARTICLE)])  # in reading order
        entities = self.edition.entities
        context = self._common(page, "entity") | {
            "entity": entity, "gloss": gloss_html, "mentions": by_article,
            "mention_total": len(self.links.mentions[entity.id]),
            "related": [entities[i] for i in self.links.related[entity.id]],
            "cited_by": [entities[i] for i in self.links.cited_by[entity.id]],
            "nested": self.nested_notes(page, set(), refs),  # its own note too: a note here may refer back
            "summary_of": lambda e: self.summary(e, page)[0],
            "mention_rows": partial(mention_rows, source_heading=self.strings.get("source_heading", ""),
                                    page_language=self.config.language),
            "together": [(entities[i], n) for i, n in self.links.together.get(entity.id, ())],
            "jsonld": self.open_data.entity_jsonld(entity, page),
        }
        return self._render("entity.html", context)

    def search(self) -> str:
        """search.html: the full search (search.js); without JavaScript, links to the indexes."""
        return self._render("search.html", self._common("search.html", "search"))

    def not_found(self) -> str:
        base = self.config.base_url
        context = self._common("404.html", "not-found")

        def url(target: str, fragment: str = "") -> str:  # served at any depth: absolute when we can
            return absolute_url(base, target, fragment) if base else relative_url("404.html", target, fragment)

        context["url"] = url
        context["canonical"] = ""
        return self._render("404.html", context)


_ARTICLE = attrgetter("article")
_ROW = attrgetter(*[f.name for f in fields(Mention)][2:])  # a Mention as a MentionRow: Mention(entity, article, *row)
_SORT_KEY = attrgetter("sort_key")
# Stand-ins for an endnote's number and ¶ while its item is rendered once for many pages (see _note_item): the
# first pair is kept and filled in, the second checks it.
_STAND_INS = (("990000001", "990000002"), ("8800000001", "8800000002"))
_NUMBER, _PARAGRAPH = _STAND_INS[0]
_NOTE_FIELDS = tuple(f.name for f in fields(NoteView))


class NotShared(Exception):
    """A note_item macro did more with a stand-in than print it or test it: its item is rendered for every note."""


class StandIn:
    """An endnote's number or ¶ while its item is rendered once for many pages: true, and printed as the digits that
    are then replaced by each note's own. Anything else a template can do with it — arithmetic, comparing, a test
    such as `is odd`, a filter that makes it text or a number, reading an attribute — raises NotShared."""

    __slots__ = ("digits",)

    def __init__(self, digits: str):
        object.__setattr__(self, "digits", digits)

    def __getattribute__(self, name: str):
        if name in ("__html__", "digits", "__class__"):  # (Jinja2's sandbox asks for its class)
            return object.__getattribute__(self, name)
        raise NotShared(name)

    def __html__(self) -> str:  # how Jinja2's autoescape prints it
        return object.__getattribute__(self, "digits")

    def __bool__(self) -> bool:  # only non-zero numbers are stood in for
        return True

    def _refuse(self, *_args: object) -> NoReturn:
        raise NotShared

    __str__ = __repr__ = __format__ = __int__ = __float__ = __index__ = __complex__ = __round__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __len__ = __iter__ = __contains__ = _refuse  # type: ignore[assignment]
    __getitem__ = __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __mod__ = __rmod__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = __neg__ = __abs__ = _refuse
    __setattr__ = __delattr__ = _refuse  # type: ignore[assignment]


def _note_key(folder: str, note: NoteView) -> tuple:
    """What an entity's note item is reused for: the page's folder and every field of the note, its number and ¶
    only as zero or not (they are filled in), its entity by identity (the same object for the whole build)."""
    key: list[object] = [folder]
    for name in _NOTE_FIELDS:
        value = getattr(note, name)
        if name in ("number", "paragraph"):
            value = value != 0
        elif not isinstance(value, (str, int)):
            value = id(value)
        key.append(value)
    return tuple(key)


def _note_shape(macro: Callable[..., str], note: NoteView, t: dict[str, str], url: Callable[..., str], page: str,
                made: str) -> tuple[str, frozenset[str]] | None:
    """The note's item with stand-ins for its number and ¶, and the pages it links to with a fragment (a link to
    the page itself is written #fragment: not reused there); None when it cannot be reused. It is rendered with
    two pairs of stand-ins of different lengths, and both filled in must be the item made for real: a macro that
    measures or cuts a number once it is text (`note.number|e|length`) gives itself away."""
    asked: set[str] = set()

    def recording_url(target: str, fragment: str = "") -> str:
        if fragment:
            asked.add(target)
        return url(target, fragment)

    shapes = []
    for number, paragraph in _STAND_INS:
        stand_in = replace(note, number=StandIn(number) if note.number else 0,
                           paragraph=StandIn(paragraph) if note.paragraph else 0)
        try:
            shape = str(macro(stand_in, t, recording_url))
        except Exception:  # NotShared, or whatever a theme's macro raises on a stand-in
            return None
        if shape.replace(number, str(note.number)).replace(paragraph, str(note.paragraph)) != made:
            return None
        shapes.append(shape)
    return None if page in asked else (shapes[0], frozenset(asked))


class MentionRun(Sequence[Mention]):
    """One entity's mentions in one article as an entity page lists them: the rows as stored (MentionRow tuples),
    made into Mention objects only when a template reads them one by one (mention_rows takes the rows)."""

    def __init__(self, entity: str, article: str, rows: list[MentionRow], escape: bool = True):
        self.entity, self.article, self.rows = entity, article, rows
        self.escape = escape  # False: no row has a character to escape

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [Mention(self.entity, self.article, *row) for row in self.rows[index]]
        return Mention(self.entity, self.article, *self.rows[index])

    def __iter__(self) -> Iterator[Mention]:
        return (Mention(self.entity, self.article, *row) for row in self.rows)


def mention_rows(article_url: str, mentions: Sequence[Mention], source_heading: str = "", language: str = "",
                 page_language: str = "") -> Markup:
    """An entity page's list items for its mentions in one article, as the template's loop would write them
    (`<li>` place, then the sentence with the mention marked), each value escaped once: the default theme's
    entity.html lists every mention of the edition, and a Jinja2 loop over them was most of its time.
    From a MentionRun's rows as they are, or from Mention objects.

    Each place links to its ¶ with a text fragment (`#p9:~:text=…`, see text_fragment) so that a browser that
    has them scrolls to the very words and highlights them; the others land on the ¶. A sentence that itself
    opens with a quotation mark gets no quotation marks of the page's own around it (class "quoted"), and the
    sentences of an article in another language than the page carry its `lang`."""
    escape_text, special = _escape_text, _SPECIAL
    url = escape_text(article_url)
    heading = escape_text(source_heading)
    found = mentions.rows if isinstance(mentions, MentionRun) else map(_ROW, mentions)
    check = not isinstance(mentions, MentionRun) or mentions.escape
    lang = f' lang="{escape_text(language)}"' if language and language != page_language else ""
    plain_q, quoted_q = f"<q{lang}>", f'<q class="quoted"{lang}>'
    fragment = text_fragment
    rows = []
    for anchor, paragraph, before, text, after, _, _ in found:
        directive = fragment(before, text, after) if anchor else ""  # percent-encoded: nothing to escape
        opening = quoted_q if (before or text)[:1] in _QUOTE_MARKS else plain_q
        if check and special(f"{anchor}{before}{text}{after}"):  # one search, not four escapes: most need none
            anchor, before, text, after = escape_text(anchor), escape_text(before), escape_text(text), escape_text(after)
        href = f"{url}#{anchor}{directive}" if anchor else url
        place = f"¶ {paragraph}" if paragraph else (heading if anchor.startswith("fig") else "§")
        rows.append(f'<li><a class="mention-place" href="{href}">{place}</a> {opening}{before}'
                    f"<mark>{text}</mark>{after}</q></li>\n")
    return Markup("".join(rows))


_QUOTE_MARKS = frozenset("\"“”„«»‘’‚‹›「『")
_WORD_GLUE = re.compile(r"[’'][^\W_]+")  # a possessive (Lavrov’s): one word with the mention for the browser
# What a fragment may not hold as it is (" < > ` # [ ] ^ { | } \ and controls: not URL code points; space and %),
# and the text directive's own separators (& - ,): percent-encoded. Other characters, non-ASCII ones included,
# are valid in a URL fragment and go as they are (the browser encodes them). The common ones by str.replace,
# the rare ones by one translate when a search finds one: per character, translate is slower than replace.
_RARE_IN_FRAGMENT = '"<>`#[]^{|}\\' + "".join(chr(n) for n in range(32) if n not in (1, 2)) + "\x7f"
_RARE_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in _RARE_IN_FRAGMENT})
_RARE = re.compile("[" + re.escape(_RARE_IN_FRAGMENT) + "]").search


def text_fragment(before: str, text: str, after: str) -> str:
    """`:~:text=prefix-,text,-suffix` for a mention in its sentence (up to three words either side, so that the
    first match in the page is this one), with what a fragment may not hold and the directive's - , & percent-
    encoded. The words are the rendered text's; a possessive ending is taken into the text, as browsers match
    whole words only. About 1 µs a row: an entity page of the 1,000-article benchmark lists thousands."""
    glued = _WORD_GLUE.match(after)
    if glued:
        text, after = text + glued.group(), after[glued.end():]
    prefix = " ".join(before.rsplit(None, 3)[-3:]).lstrip("… ")
    suffix = " ".join(after.rstrip("…").split(None, 3)[:3])
    encoded = (f"{prefix}\x01{text}\x02{suffix}".replace("%", "%25").replace(" ", "%20").replace(",", "%2C")
               .replace("-", "%2D").replace("&", "%26"))
    if _RARE(encoded):
        encoded = encoded.translate(_RARE_ESCAPES)
    encoded = encoded.replace("\x01", "-," if prefix else "", 1).replace("\x02", ",-" if suffix else "", 1)
    return f":~:text={encoded}"


_SPECIAL = ROW_SPECIALS.search  # what _escape_text replaces


def _escape_text(value: str) -> str:
    """Text escaped for HTML exactly as Jinja2's autoescape (markupsafe) does it, &#34; and &#39; for quotes;
    str.replace is several times quicker than markupsafe.escape's Markup objects for short strings."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            .replace("'", "&#39;"))


def _template_line(exc: BaseException, template: str) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja2 maps frames back to templates)."""
    tb = exc.__traceback__
    where, line = template, 0
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".j2")):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return where, line
