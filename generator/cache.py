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
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .comentions import paragraph_groups
from .model import Article, Edition, Mention, RenderedArticle, Sidecar
from .nofollow import is_link, read_bytes, real_folder_or_missing
from .problems import Problem
from .render.annotations import LinkFound, MentionRow, mentions_in_order
from .render.paragraph_text import ParagraphTexts
from .write import write_atomically

FOLDER = ".gloss-cache"
FORMAT = 13  # bump when the layout of what is stored changes
PACK_MAGIC = b"gloss-pack\x08\n"  # the first bytes of every pack Gloss writes
PACK_NAME = re.compile(r"[0-9a-f]{24}\.pack")


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
    """site.toml, the generator, and the theme's strings (a body holds a few of its words)."""
    strings = [(folder / "strings.toml").read_bytes() if (folder / "strings.toml").is_file() else b""
               for folder in edition.theme_dirs]
    return digest(code_version(), repr(edition.config), *strings)


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
class PackedBody:
    """An article's rendered body packed: how .gloss-cache/ stores it and how a build holds it in memory
    (compactly: an edition of 5,000 articles holds every one); unpacked into a RenderedArticle when a page
    reads it (RenderedBodies). The HTML as UTF-8, the mentions marshalled and grouped by entity, so
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
    links: list[LinkFound]  # the article's links and images to check (not those to other hosts), from markdown-it
    order: list[str]  # the entity of each mention, in text order
    escape_rows: list[str]  # entities with a row that has & < > " or ' in it (the others need no escaping)
    together: list[tuple[str, ...]] = field(default_factory=list)  # entities sharing a paragraph (comentions)
    paragraph_texts: ParagraphTexts | None = None  # each numbered paragraph's plain text (None: not recorded)
    shown_text: bytes | None = None  # the body's innerText and marks, export.text.packed (None: not recorded)

    @classmethod
    def from_rows(cls, html: str, rows: dict[str, list[MentionRow]], order: list[str], notes: list[tuple[str, str]],
                  note_paragraphs: list[int], entity_ids: list[str], paragraphs: int, problems: list[Problem],
                  links: list[LinkFound], escape_rows: set[str],
                  paragraph_texts: ParagraphTexts | None = None,
                  shown_text: bytes | None = None) -> PackedBody:
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
                   b"".join(blobs), groups, counts, links, order, sorted(escape_rows), paragraph_groups(rows),
                   paragraph_texts, shown_text)

    @property
    def html(self) -> str:
        return self.html_utf8.decode("utf-8", "surrogatepass")

    def encode(self) -> bytes:
        problems = [dataclasses.astuple(p) for p in self.problems]
        return marshal.dumps((FORMAT, self.html_utf8, self.notes, self.note_paragraphs, self.entity_ids, self.paragraphs,
                              problems,
                              self.rows, self.groups, self.counts, self.links, self.order, self.escape_rows,
                              self.together, self.paragraph_texts, self.shown_text))

    @classmethod
    def decode(cls, data: bytes) -> PackedBody | None:
        try:
            (version, html, notes, note_paragraphs, entity_ids, paragraphs, problems, rows, groups, counts, links, order,
             escape_rows, together, paragraph_texts, shown_text) = (
                marshal.loads(data))
            if version != FORMAT:
                return None
            return cls(html, [tuple(n) for n in notes], note_paragraphs, entity_ids, paragraphs,
                       [Problem(*p) for p in problems], rows,
                       groups, counts, links, order, escape_rows, [tuple(g) for g in together], paragraph_texts,
                       shown_text)
        except Exception:  # noqa: BLE001 - whatever a damaged entry holds, it is rendered afresh
            return None

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
                               note_paragraphs=self.note_paragraphs, links=self.links,
                               paragraph_texts=self.paragraph_texts, shown_text=self.shown_text)

    def record(self, key: str) -> ArticleRecord:
        return ArticleRecord(key, self.counts, self.problems, self.links, self.together)


@dataclass
class ArticleRecord:
    """What the last build knew about one article without opening its body: its key, the count and digest of
    its mentions of each entity, the problems found while rendering it, and its links to check."""

    key: str
    mentions: dict[str, tuple[int, str]]
    problems: list[Problem]
    links: list[LinkFound]
    together: list[tuple[str, ...]] = field(default_factory=list)  # entities sharing a paragraph (comentions)


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

    def __init__(self, entity: str, sources: list[tuple[str, int]], entry: Callable[[str], PackedBody]):
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

    def __init__(self, entry: PackedBody, article: str):
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
    gloss_links: dict[str, list[LinkFound]] = field(default_factory=dict)  # each gloss's links to check
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    pages: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path -> (fingerprint, size, mtime)


def _stat(path: Path | str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class BuildCache:
    """The .gloss-cache/ folder beside site.toml.

    Nothing in it is trusted: each stored body and manifest carries a checksum keyed with the identity of the
    folder it was written into (device and inode), so a damaged entry, or one copied in from elsewhere (a
    repository that ships its .gloss-cache/), is rendered afresh. The folders are never followed when they are
    symlinks (GlossError), and pruning deletes only pack files whose header proves Gloss wrote them."""

    def __init__(self, root: Path):
        self.folder = root / FOLDER
        self.bodies = self.folder / "bodies"
        real_folder_or_missing(self.folder, "the build cache .gloss-cache")
        real_folder_or_missing(self.bodies, "the build cache's .gloss-cache/bodies")
        self._index: dict[str, tuple[str, int, int, bytes]] | None = None  # key -> (pack, offset, length, checksum)
        self._salts: dict[Path, bytes] = {}

    def _salt(self, folder: Path) -> bytes | None:
        """The key of the folder's checksums: its device and inode (None while it does not exist)."""
        if folder not in self._salts:
            try:
                st = os.lstat(folder)
            except OSError:
                return None
            if not stat.S_ISDIR(st.st_mode):
                return None
            self._salts[folder] = f"{FORMAT}:{st.st_dev}:{st.st_ino}".encode()
        return self._salts[folder]

    def _checksum(self, folder: Path, data: bytes) -> bytes:
        salt = self._salt(folder)
        return hashlib.blake2b(data, digest_size=16, key=salt or b"-").digest()

    # bodies: in pack files of several bodies each (`<hash>.pack`: MAGIC, a 4-byte header length, the header — a
    # marshalled list of (key, length, checksum) — the header's checksum, and the bodies one after the other).
    # Creating a file costs this machine's file system more than filling it: 1,000 body files took twice the
    # time of the rest of a worker's writing, 125 packs a tenth of it.

    def read_body(self, key: str) -> PackedBody | None:
        data = self._read(key)
        return PackedBody.decode(data) if data is not None else None

    def _read(self, key: str) -> bytes | None:
        place = self._packs().get(key)
        if place is None:
            return None
        name, offset, length, checksum = place
        try:
            fd = os.open(self.bodies / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as pack:
                pack.seek(offset)
                data = pack.read(length)
        except OSError:
            return None
        if len(data) != length or self._checksum(self.bodies, data) != checksum:
            return None  # damaged: rendered afresh
        return data

    def write_bodies(self, bodies: list[tuple[str, bytes]]) -> None:
        """Store (key, encoded PackedBody) pairs, in one pack."""
        if not bodies:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next build slower
            self.bodies.mkdir(parents=True, exist_ok=True)
            if is_link(self.folder) or is_link(self.bodies):
                return
            header = marshal.dumps([(key, len(data), self._checksum(self.bodies, data)) for key, data in bodies])
            name = digest(*(key for key, _ in bodies))[:24] + ".pack"
            write_atomically(self.bodies / name, b"".join([PACK_MAGIC, len(header).to_bytes(4, "little"), header,
                                                        self._checksum(self.bodies, header),
                                                        *(data for _, data in bodies)]))
            if self._index is not None:
                self._index.update(_pack_places(name, header))

    def _packs(self) -> dict[str, tuple[str, int, int, bytes]]:
        """Where each stored body is, from the packs' headers (read once; packs this process writes are added).
        Only packs with Gloss's mark and a header whose checksum holds count."""
        if self._index is None:
            self._index = {}
            try:
                names = sorted(os.listdir(self.bodies)) if not is_link(self.bodies) else []
            except OSError:
                names = []
            for name in names:
                if not PACK_NAME.fullmatch(name):
                    continue
                try:
                    fd = os.open(self.bodies / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
                    with os.fdopen(fd, "rb") as pack:
                        if not stat.S_ISREG(os.fstat(pack.fileno()).st_mode) or pack.read(len(PACK_MAGIC)) != PACK_MAGIC:
                            continue
                        size = int.from_bytes(pack.read(4), "little")
                        header = pack.read(size)
                        checksum = pack.read(16)
                    if len(header) != size or self._checksum(self.bodies, header) != checksum:
                        continue  # a damaged pack: its bodies are rendered again
                    self._index.update(_pack_places(name, header))
                except Exception:  # noqa: BLE001 - whatever a damaged header holds, its bodies are rendered again
                    continue
        return self._index

    def prune(self, keep: Iterable[str], articles: int) -> None:
        """Forget bodies this build did not use, once there are clearly more than the edition needs: the packs
        that hold none of them go, and when that is not enough, the bodies still used are packed afresh. Only
        packs this cache can read (its mark, its checksum) are ever deleted: nothing else in the folder."""
        index = self._packs()
        if len(index) <= 2 * articles + 64:
            return
        wanted = set(keep)
        packs: dict[str, list[str]] = {}
        for key, (name, _, _, _) in index.items():
            packs.setdefault(name, []).append(key)
        used = {name for name, keys in packs.items() if any(key in wanted for key in keys)}
        if sum(len(packs[name]) for name in used) > 2 * articles + 64:  # packs mostly of old bodies: repack
            kept = [(key, data) for key in sorted(wanted) if (data := self._read(key)) is not None]
            for start in range(0, len(kept), 64):
                self.write_bodies(kept[start:start + 64])
            used = {index[key][0] for key, _ in kept}
        for name in packs:
            if name not in used and not is_link(self.folder) and not is_link(self.bodies):
                with contextlib.suppress(OSError):
                    os.unlink(self.bodies / name)
        self._index = None

    # the last build

    def _manifest_path(self, output: Path) -> Path:
        return self.folder / f"build-{digest(str(output))[:12]}"

    def previous(self, output: Path, marker_name: str) -> Manifest | None:
        """The manifest of the build now in `output`, if it is the one this cache recorded."""
        try:
            stored = read_bytes(self._manifest_path(output))
            checksum, data = stored[:16], stored[16:]
            if self._checksum(self.folder, data) != checksum:
                return None  # damaged, or not written here
            version, edition, marker, gloss_refs, gloss_links, articles, pages = marshal.loads(data)
            records = {slug: ArticleRecord(key, mentions, [Problem(*p) for p in problems], links,
                                           [tuple(g) for g in together])
                       for slug, (key, mentions, problems, links, together) in articles.items()}
        except Exception:  # noqa: BLE001 - a manifest that cannot be read only makes the build slower
            return None
        if version != FORMAT or tuple(marker) != _stat(output / marker_name):
            return None
        return Manifest(edition, tuple(marker), gloss_refs, gloss_links, records, pages)

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
        articles = {slug: (r.key, r.mentions, [dataclasses.astuple(p) for p in r.problems], r.links, r.together)
                    for slug, r in manifest.articles.items()}
        data = marshal.dumps((FORMAT, manifest.edition, marker, manifest.gloss_refs, manifest.gloss_links, articles,
                              pages))
        with contextlib.suppress(OSError):
            if not is_link(self.folder):
                write_atomically(self._manifest_path(output), self._checksum(self.folder, data) + data)

    def read_sealed(self, name: str) -> bytes | None:
        """The data of .gloss-cache/<name> as write_sealed stored it, or None when missing, damaged or foreign."""
        try:
            stored = read_bytes(self.folder / name)
        except OSError:
            return None
        checksum, data = stored[:16], stored[16:]
        return data if len(checksum) == 16 and self._checksum(self.folder, data) == checksum else None

    def write_sealed(self, name: str, data: bytes) -> None:
        """Store `data` in .gloss-cache/<name> with its checksum (atomically; a cache that cannot be written
        only makes the next build slower)."""
        with contextlib.suppress(OSError):
            if not is_link(self.folder):
                self.folder.mkdir(exist_ok=True)
                write_atomically(self.folder / name, self._checksum(self.folder, data) + data)

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


def _pack_places(name: str, header: bytes) -> dict[str, tuple[str, int, int, bytes]]:
    """{key: (pack name, offset, length, checksum)} of the bodies a pack's header lists."""
    places: dict[str, tuple[str, int, int, bytes]] = {}
    offset = len(PACK_MAGIC) + 4 + len(header) + 16
    for key, length, checksum in marshal.loads(header):
        places[str(key)] = (name, offset, int(length), bytes(checksum))
        offset += int(length)
    return places

