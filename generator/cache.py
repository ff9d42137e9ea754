"""The build cache in .gloss-cache/: what makes a rebuild fast. Safe to delete at any time.

Two things are kept:
- `bodies/*.pack`: rendered article bodies (HTML, notes, mentions, the problems found while rendering
  each), several to a file, each under a content hash of everything that can change it — the article
  file, its sidecar, every entity's id, name, aliases and kind (the automaton), site.toml and the
  generator's own code;
- `build-<output>`: what the last successful build into that output folder wrote — a fingerprint of
  each page's inputs — so a rebuild can take unchanged pages from the previous build (hard links into
  the new temporary folder, which is still swapped in whole) and render only the others.

Fingerprints are hashes of inputs, never of times, so a touched file changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .match.mentions import MentionRow, mentions_in_order
from .model import Article, Edition, Mention, RenderedArticle, Sidecar
from .problems import Problem

FOLDER = ".gloss-cache"
FORMAT = 7  # bump when the layout of what is stored changes


def digest(*parts: str | bytes) -> str:
    """A short, stable content hash."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@cache
def code_version() -> str:
    """The generator's version, its source files and the libraries that shape its output."""
    import jinja2
    import markdown_it
    import mdit_py_plugins
    import pygments

    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [str(FORMAT), __version__, markdown_it.__version__, mdit_py_plugins.__version__,
                                jinja2.__version__, pygments.__version__]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def automaton_key(edition: Edition) -> str:
    """What article bodies read from the entities: ids, names, aliases, kinds and their folders."""
    return digest(repr([(e.id, e.name, e.aliases, e.kind.key, e.kind.folder) for e in edition.entities.values()]))


def body_key(article: Article, sidecar: Sidecar | None, automaton: str, settings: str) -> str:
    """Everything a rendered body depends on (the loaded values, so a touched file changes nothing)."""
    fields = [getattr(article, f.name) for f in dataclasses.fields(article) if f.name != "body"]
    return digest(settings, automaton, article.body, repr(fields), repr(sidecar))


def settings_key(edition: Edition) -> str:
    return digest(code_version(), repr(edition.config))


def edition_key(edition: Edition) -> str:
    """Everything pages read besides article bodies and mentions: site.toml, the theme, every entity, every
    article's front matter, the order of the articles, the generator. When it changes, every page is redone."""
    parts: list[str | bytes] = [code_version(), repr(edition.config), repr(edition.theme_dirs)]
    for folder in edition.theme_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    parts.append(repr(list(edition.entities.values())))
    skip = {"body", "body_line"}
    parts.append(repr([[getattr(a, f.name) for f in dataclasses.fields(a) if f.name not in skip]
                       for a in edition.articles]))
    parts.append(repr(sorted((slug, str(s.path)) for slug, s in edition.sidecars.items())))
    return digest(*parts)


# ----------------------------------------------------------------------------------------- bodies

@dataclass
class BodyEntry:
    """A rendered body as the cache keeps it, and as a build holds it in memory (compactly: an edition of
    5,000 articles holds every one): the HTML as UTF-8, the mentions marshalled and grouped by entity, so
    an entity page reads only its own, with a count and a digest per entity for the page fingerprints.
    The groups share one bytes object: a forked worker that reads them copies one page of the parent's
    memory per article, not one per entity and article."""

    html_utf8: bytes
    notes: list[tuple[str, str]]
    note_paragraphs: list[int]  # the ¶ of each note's place in the text
    entity_ids: list[str]
    paragraphs: int
    problems: list[Problem]
    rows: bytes  # every entity's marshalled list of MentionRow, one after the other
    groups: dict[str, tuple[int, int]]  # entity -> where its list is in `rows`
    counts: dict[str, tuple[int, str]]  # entity -> (number of its mentions, digest of them)
    links: list[tuple]  # the Markdown links and images of the article (check.Link fields), for the link check
    order: list[str]  # the entity of each mention, in text order
    escape_rows: list[str]  # entities with a row that has & < > " or ' in it (the others need no escaping)

    @classmethod
    def from_rows(cls, html: str, rows: dict[str, list[MentionRow]], order: list[str], notes: list[tuple[str, str]],
                  note_paragraphs: list[int], entity_ids: list[str], paragraphs: int, problems: list[Problem],
                  links: list[tuple], escape_rows: set[str]) -> BodyEntry:
        """From what the annotation rules recorded (MarkupContext.rows and .order)."""
        blobs: list[bytes] = []
        groups: dict[str, tuple[int, int]] = {}
        counts: dict[str, tuple[int, str]] = {}
        size = 0
        for entity, entity_rows in rows.items():
            # version 2: no back-references, so the same rows give the same bytes whatever else refers to
            # their strings, and the bytes can be the digest's input
            blob = marshal.dumps(entity_rows, 2)
            groups[entity] = (size, size + len(blob))
            counts[entity] = (len(entity_rows), digest(blob))
            blobs.append(blob)
            size += len(blob)
        return cls(html.encode("utf-8", "surrogatepass"), list(notes), list(note_paragraphs), list(entity_ids),
                   paragraphs, list(problems),
                   b"".join(blobs), groups, counts, links, order, sorted(escape_rows))

    @property
    def html(self) -> str:
        return self.html_utf8.decode("utf-8", "surrogatepass")

    def encode(self) -> bytes:
        problems = [dataclasses.astuple(p) for p in self.problems]
        return marshal.dumps((FORMAT, self.html_utf8, self.notes, self.note_paragraphs, self.entity_ids, self.paragraphs,
                              problems,
                              self.rows, self.groups, self.counts, self.links, self.order, self.escape_rows))

    @classmethod
    def decode(cls, data: bytes) -> BodyEntry | None:
        try:
            (version, html, notes, note_paragraphs, entity_ids, paragraphs, problems, rows, groups, counts, links, order,
             escape_rows) = (
                marshal.loads(data))
        except (EOFError, ValueError, TypeError):
            return None
        if version != FORMAT:
            return None
        return cls(html, [tuple(n) for n in notes], note_paragraphs, entity_ids, paragraphs,
                   [Problem(*p) for p in problems], rows,
                   groups, counts, links, order, escape_rows)

    def rows_of(self, entity: str) -> list[MentionRow]:
        group = self.groups.get(entity)
        return marshal.loads(self.rows[group[0]:group[1]]) if group else []

    def mentions_of(self, entity: str, article: str) -> list[Mention]:
        return [Mention(entity, article, *row) for row in self.rows_of(entity)]

    def mentions(self, article: str) -> list[Mention]:
        """All its mentions, back in text order."""
        return mentions_in_order({entity: self.rows_of(entity) for entity in self.groups}, self.order, article)

    def body(self, article: str) -> RenderedArticle:
        """The RenderedArticle; its mentions are decoded when first used."""
        return RenderedArticle(html=self.html, mentions=LazyArticleMentions(self, article),  # type: ignore[arg-type]
                               notes=self.notes, entity_ids=self.entity_ids, paragraphs=self.paragraphs,
                               note_paragraphs=self.note_paragraphs)

    def record(self, key: str) -> ArticleRecord:
        return ArticleRecord(key, self.counts, self.problems, self.links)


@dataclass
class ArticleRecord:
    """What the last build knew about one article without opening its body: its key, the count and digest of
    its mentions of each entity, the problems found while rendering it, and its Markdown links."""

    key: str
    mentions: dict[str, tuple[int, str]]
    problems: list[Problem]
    links: list[tuple]


class _DecodedOnUse(Sequence[Mention]):
    """Mentions whose count is known up front and whose values are decoded by `_load()` when used."""

    _count: int

    def _load(self) -> list[Mention]:
        raise NotImplementedError

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        return self._load()[index]

    def __iter__(self) -> Iterator[Mention]:
        return iter(self._load())

    def __bool__(self) -> bool:
        return self._count > 0


class LazyMentions(_DecodedOnUse):
    """One entity's mentions across the edition, read from the bodies each time a page iterates them (its
    length is known without reading anything). Nothing is kept, so a process renders entity pages one at a
    time without holding every mention of the edition."""

    def __init__(self, entity: str, sources: list[tuple[str, int]], entry: Callable[[str], BodyEntry]):
        self.entity, self.sources, self._entry = entity, sources, entry
        self._count = sum(count for _, count in sources)

    def _load(self) -> list[Mention]:
        return [m for slug, _ in self.sources for m in self._entry(slug).mentions_of(self.entity, slug)]

    def runs(self) -> list[tuple[str, list[MentionRow], bool]]:
        """The mentions as stored, one (article slug, rows, whether they need escaping) per article: what entity
        pages write from."""
        found = []
        for slug, _ in self.sources:
            entry = self._entry(slug)
            found.append((slug, entry.rows_of(self.entity), self.entity in entry.escape_rows))
        return found


class LazyArticleMentions(_DecodedOnUse):
    """An article's mentions in text order, decoded from its entry when first used (article pages never do)."""

    def __init__(self, entry: BodyEntry, article: str):
        self._entry, self._article = entry, article
        self._count = sum(count for count, _ in entry.counts.values())
        self._items: list[Mention] | None = None

    def _load(self) -> list[Mention]:
        if self._items is None:
            self._items = self._entry.mentions(self._article)
        return self._items


# ----------------------------------------------------------------------------------------- the last build


@dataclass
class Manifest:
    """What the last successful build into one output folder wrote, and from which inputs."""

    edition: str = ""
    marker: tuple[int, int, int] = (0, 0, 0)  # inode, size, mtime of the build's marker file
    gloss_refs: dict[str, list[str]] = field(default_factory=dict)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    pages: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path -> (fingerprint, size, mtime)


def _stat(path: Path | str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class BuildCache:
    """The .gloss-cache/ folder beside site.toml."""

    def __init__(self, root: Path):
        self.folder = root / FOLDER
        self.bodies = self.folder / "bodies"
        self._index: dict[str, tuple[str, int, int]] | None = None  # key -> (pack file name, offset, length)

    # bodies: in pack files of several bodies each (`<hash>.pack`: a 4-byte header length, the header — a
    # marshalled list of (key, length) — and the bodies one after the other). Creating a file costs this
    # machine's file system more than filling it: 1,000 body files took twice the time of the rest of a
    # worker's writing, 125 packs a tenth of it.

    def read_body(self, key: str) -> BodyEntry | None:
        data = self._read(key)
        return BodyEntry.decode(data) if data is not None else None

    def _read(self, key: str) -> bytes | None:
        place = self._packs().get(key)
        if place is None:
            return None
        name, offset, length = place
        try:
            with open(self.bodies / name, "rb") as pack:
                pack.seek(offset)
                data = pack.read(length)
        except OSError:
            return None
        return data if len(data) == length else None

    def write_bodies(self, bodies: list[tuple[str, bytes]]) -> None:
        """Store (key, encoded BodyEntry) pairs, in one pack."""
        if not bodies:
            return
        header = marshal.dumps([(key, len(data)) for key, data in bodies])
        name = digest(*(key for key, _ in bodies))[:24] + ".pack"
        with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next build slower
            _write_atomic(self.bodies / name, b"".join([len(header).to_bytes(4, "little"), header,
                                                        *(data for _, data in bodies)]))
            if self._index is not None:
                self._index.update(_pack_places(name, header))

    def _packs(self) -> dict[str, tuple[str, int, int]]:
        """Where each stored body is, from the packs' headers (read once; packs this process writes are added)."""
        if self._index is None:
            self._index = {}
            try:
                names = sorted(os.listdir(self.bodies))
            except OSError:
                names = []
            for name in names:
                if not name.endswith(".pack"):
                    continue
                try:
                    with open(self.bodies / name, "rb") as pack:
                        size = int.from_bytes(pack.read(4), "little")
                        header = pack.read(size)
                    self._index.update(_pack_places(name, header))
                except (OSError, EOFError, ValueError, TypeError):
                    continue  # a damaged pack: its bodies are rendered again
        return self._index

    def prune(self, keep: Iterable[str], articles: int) -> None:
        """Forget bodies this build did not use, once there are clearly more than the edition needs: the packs
        that hold none of them go, and when that is not enough, the bodies still used are packed afresh."""
        index = self._packs()
        try:
            stray = [n for n in os.listdir(self.bodies) if not n.endswith(".pack")]  # (an older cache's files)
        except OSError:
            return
        for name in stray:
            with contextlib.suppress(OSError):
                os.unlink(self.bodies / name)
        if len(index) <= 2 * articles + 64:
            return
        wanted = set(keep)
        packs: dict[str, list[str]] = {}
        for key, (name, _, _) in index.items():
            packs.setdefault(name, []).append(key)
        used = {name for name, keys in packs.items() if any(key in wanted for key in keys)}
        if sum(len(packs[name]) for name in used) > 2 * articles + 64:  # packs mostly of old bodies: repack
            kept = [(key, data) for key in sorted(wanted) if (data := self._read(key)) is not None]
            for start in range(0, len(kept), 64):
                self.write_bodies(kept[start:start + 64])
            used = {index[key][0] for key, _ in kept}
        for name in packs:
            if name not in used:
                with contextlib.suppress(OSError):
                    os.unlink(self.bodies / name)
        self._index = None

    # the last build

    def _manifest_path(self, output: Path) -> Path:
        return self.folder / f"build-{digest(str(output))[:12]}"

    def previous(self, output: Path, marker_name: str) -> Manifest | None:
        """The manifest of the build now in `output`, if it is the one this cache recorded."""
        try:
            data = marshal.loads(self._manifest_path(output).read_bytes())
            version, edition, marker, gloss_refs, articles, pages = data
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if version != FORMAT or tuple(marker) != _stat(output / marker_name):
            return None
        records = {slug: ArticleRecord(key, mentions, [Problem(*p) for p in problems], links)
                   for slug, (key, mentions, problems, links) in articles.items()}
        return Manifest(edition, tuple(marker), gloss_refs, records, pages)

    def save(self, output: Path, marker_name: str, manifest: Manifest, fingerprints: dict[str, str]) -> None:
        """Record the build just swapped into `output`: its marker, and each page's fingerprint and stat."""
        marker = _stat(output / marker_name)
        if marker is None:
            return
        pages: dict[str, tuple[str, int, int]] = {}
        for path, fingerprint in fingerprints.items():
            st = _stat(output / path)
            if st is not None:
                pages[path] = (fingerprint, st[1], st[2])
        articles = {slug: (r.key, r.mentions, [dataclasses.astuple(p) for p in r.problems], r.links)
                    for slug, r in manifest.articles.items()}
        data = marshal.dumps((FORMAT, manifest.edition, marker, manifest.gloss_refs, articles, pages))
        with contextlib.suppress(OSError):
            _write_atomic(self._manifest_path(output), data)

    def forget(self, output: Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._manifest_path(output))


def unchanged_page(previous: Manifest, output: Path, path: str, fingerprint: str) -> bool:
    """True when the previous build's page was made from the same inputs and is still as it wrote it."""
    recorded = previous.pages.get(path)
    if recorded is None or recorded[0] != fingerprint:
        return False
    st = _stat(os.path.join(output, path))
    return st is not None and (st[1], st[2]) == (recorded[1], recorded[2])


def _pack_places(name: str, header: bytes) -> dict[str, tuple[str, int, int]]:
    """{key: (pack name, offset, length)} of the bodies a pack's header lists."""
    places: dict[str, tuple[str, int, int]] = {}
    offset = 4 + len(header)
    for key, length in marshal.loads(header):
        places[str(key)] = (name, offset, int(length))
        offset += int(length)
    return places


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

