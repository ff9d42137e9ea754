"""The edition's values: what the stages load, match, resolve and render."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import Kind, SiteConfig

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day ("2019", "2019-05", 2019-05-14)."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, value: object) -> PartialDate | None:
        """A TOML date or a "YYYY", "YYYY-MM" or "YYYY-MM-DD" string; None when it is neither."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and 0 < value < 10000:
            return cls(value)
        if isinstance(value, str):
            found = _PARTIAL.match(value.strip())
            if found:
                year, month, day = (int(g) if g else 0 for g in found.groups())
                try:
                    if day:
                        dt.date(year, month, day)
                    elif month and not 1 <= month <= 12:
                        return None
                except ValueError:
                    return None
                return cls(year, month, day)
        return None

    def iso(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n])

    def __str__(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


@dataclass
class Article:
    """One article of the edition: front matter and Markdown body."""

    slug: str
    path: Path
    title: str
    body: str
    body_line: int  # the file's line number of the body's first line
    subtitle: str = ""
    author: str = ""
    date: PartialDate | None = None
    publication: str = ""
    volume: int | str | None = None
    issue: int | str | None = None
    source: str = ""
    language: str = ""
    summary: str = ""
    rights: str = ""
    image_credits: tuple[str, ...] = ()
    order: int | None = None
    draft: bool = False

    @property
    def output(self) -> str:
        return f"{self.slug}.html"

    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.date is None, self.date or PartialDate(0),
                self.title.casefold(), self.slug)


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass
class Entity:
    """A person, institution, event, place … with its gloss."""

    id: str
    kind: Kind
    path: Path
    name: str
    gloss: str
    gloss_line: int
    aliases: tuple[str, ...] = ()
    sort_name: str = ""
    summary: str = ""
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    dates: dict[str, PartialDate] = field(default_factory=dict)  # born, died, date, end, founded …
    facts: dict[str, str] = field(default_factory=dict)  # role, country, place … as written
    authorities: dict[str, str] = field(default_factory=dict)  # wikidata, viaf, geonames, gnd, orcid ids
    field_lines: dict[str, int] = field(default_factory=dict)
    image: str = ""  # its output path, media/<file> (from content/media/ or annotations/media/)
    image_alt: str = ""
    image_credit: str = ""

    @property
    def output(self) -> str:
        return f"{self.kind.folder}/{self.id}.html"

    @property
    def sort_key(self) -> tuple:
        return ((self.sort_name or self.name).casefold(), self.id)

    @property
    def when(self) -> PartialDate | None:
        """The date an event sits at on a timeline (or a person's birth)."""
        return self.dates.get("date") or self.dates.get("born") or self.dates.get("founded")

    def date_line(self) -> str:
        """'21 March 1950 – 2 May 2020', '14 May 2019', 'born 21 March 1950' …"""
        d = self.dates
        if "date" in d:
            return f"{d['date']} – {d['end']}" if "end" in d else str(d["date"])
        if "born" in d:
            return f"{d['born']} – {d['died']}" if "died" in d else f"born {d['born']}"
        if "founded" in d:
            return f"{d['founded']} – {d['dissolved']}" if "dissolved" in d else f"founded {d['founded']}"
        return ""


@dataclass(frozen=True)
class Quote:
    """A W3C TextQuoteSelector: exact text, told apart from repeats by what comes before and after."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class PassageNote:
    quote: Quote
    body: str
    line: int


@dataclass(frozen=True)
class Pin:
    quote: Quote
    entity: str
    line: int


@dataclass(frozen=True)
class Skip:
    quote: Quote
    line: int


@dataclass
class Sidecar:
    """annotations/notes/<slug>.toml: what belongs to one article without touching its text."""

    path: Path
    notes: list[PassageNote] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    # Discussion questions (body = the question), anchored to a ¶ like passage notes; printed only by
    # `gloss handout --questions`. Not in repr: the cache keys an article's body by repr(sidecar), and
    # questions change no body.
    questions: list[PassageNote] = field(default_factory=list, repr=False)


@dataclass
class Mention:
    """One place where an article names an entity."""

    entity: str
    article: str  # slug
    anchor: str  # "p4", or "fig1" for a caption
    paragraph: int  # 0 when not in a numbered paragraph
    before: str  # the sentence around it, split at the mention
    text: str
    after: str
    has_note: bool
    line: int


@dataclass
class RenderedArticle:
    """An article's body rendered: its HTML, with the mentions, notes and links found in it — what the pages read
    (packed as cache.PackedBody in .gloss-cache/ and in a build's memory)."""

    html: str
    mentions: list[Mention]
    notes: list[tuple[str, str]]  # numbered notes in text order: ("entity", id) or ("passage", Markdown body)
    entity_ids: list[str]  # in order of first mention
    paragraphs: int
    note_paragraphs: list[int] = field(default_factory=list)  # the ¶ each note's place in the text is in (0: none)
    links: list[tuple[int, int, str, bool]] = field(default_factory=list)  # links to check (mentions.LinkFound)
    # each numbered paragraph's plain text (render/paragraph_text.py); None: search reads it from the HTML
    paragraph_texts: list[tuple[int, str]] | None = None
    # the shown text and its marks, export.text.packed (render/shown_text.py); None: the annotations read the HTML
    shown_text: bytes | None = None


@dataclass
class Edition:
    """Everything loaded from an edition folder, before rendering."""

    config: SiteConfig
    theme_dirs: list[Path]
    articles: list[Article]  # published ones, in reading order
    entities: dict[str, Entity]  # by id, sorted
    sidecars: dict[str, Sidecar]  # by article slug
    media: list[tuple[Path, str]]  # (file, output path)
    strings: dict[str, str] = field(default_factory=dict)  # the theme's interface words, site.toml's [strings] over them
    reads_markdown: bool = False  # the theme's theme.toml: its templates read article.body (the raw Markdown)
