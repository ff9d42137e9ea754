"""The link check: every internal link and image in articles, glosses and passage notes must point at a
file of the built site and, where the target page's ids are known, at an id in it. `gloss build`, `gloss
check` and `gloss serve` all run it (Site.analyse), so a broken link stops a build."""

from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .load.toml_text import nearest
from .model import Article, Edition
from .problems import Problems
from .render.urls import relative_url

# ------------------------------------------------------------------------------------------------ Markdown


@dataclass(frozen=True)
class Link:
    """A link or image written in Markdown: where it starts and ends, and where its destination starts."""

    start: int
    end: int
    offset: int  # of the destination
    destination: str
    image: bool


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_CLOSE_BRACKET = re.compile(r"\]\(")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]{1,999}\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def mask_code(text: str) -> str:
    """The text with fenced code blocks and code spans blanked out (same length, newlines kept), so the
    scans below never read what Markdown shows as code. Linear time, whatever the input."""
    if "`" not in text and "~" not in text:
        return text  # no fence and no code span can start (the common case; a rebuild scans every article)
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    position = 0
    fence = ""
    fence_start = 0
    for line in text.split("\n"):
        found = _FENCE.match(line)
        if fence:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line[found.end():].strip():
                blank(fence_start, position + len(line))
                fence = ""
        elif found and not (found.group(1)[0] == "`" and "`" in line[found.end():]):
            fence, fence_start = found.group(1), position
        position += len(line) + 1
    if fence:
        blank(fence_start, len(text))
    masked = "".join(chars)
    # Code spans: a run of n backticks up to the next run of exactly n, within one paragraph.
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(masked)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    cursor = {length: 0 for length in by_length}
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        k = cursor[end - start]
        while k < len(same) and same[k] <= index:
            k += 1
        cursor[end - start] = k
        if k < len(same):
            close_start, close_end = runs[same[k]]
            if not _BLANK_LINE.search(masked, end, close_start):
                blank(start, close_end)
                index = same[k] + 1
                continue
        index += 1
    return "".join(chars)


def markdown_links(text: str) -> list[Link]:
    """Inline links and images `[text](destination)`, `![alt](src)`, and reference definitions."""
    masked = mask_code(text)
    openings = _bracket_pairs(masked)
    found: list[Link] = []
    for bracket in _CLOSE_BRACKET.finditer(masked):
        opening = openings.get(bracket.start(), -1)
        if opening < 0:
            continue
        parsed = _destination(masked, bracket.end())
        if parsed is None:
            continue
        destination, after = parsed
        close = masked.find(")", after, after + 2000)
        image = opening > 0 and masked[opening - 1] == "!" and not _escaped(masked, opening - 1)
        found.append(Link(opening - image, close + 1 if close >= 0 else after, bracket.end(), destination, image))
    for reference in _REFERENCE.finditer(masked):
        found.append(Link(reference.start(), reference.end(), reference.start(1), reference.group(1).strip("<>"),
                          False))
    found.sort(key=lambda link: link.offset)
    return found


# Where a link that is not to another host may be written: `](` not followed by a scheme, or a reference
# definition's `]:`. Text without either has only web links, which the link check passes over anyway.
_MAYBE_LOCAL = re.compile(r"\]\((?![ \t]*<?(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//))|\]:")


def local_links(text: str) -> list[Link]:
    """markdown_links(text) but links to other hosts, which _check_link skips: what gloss build keeps of an
    article for the link check. Most articles link only to the web, and need no scan."""
    if _MAYBE_LOCAL.search(text) is None:
        return []
    return [link for link in markdown_links(text)
            if not _SCHEME.match(html.unescape(_ESCAPED.sub(r"\1", link.destination)))]


def _escaped(text: str, at: int) -> bool:
    slashes = 0
    while at - slashes - 1 >= 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


_BRACKET_EVENT = re.compile(r"\\.|\[|\]|\n[ \t]*\n", re.S)


def _bracket_pairs(text: str) -> dict[int, int]:
    """{position of a `]`: position of the `[` it closes}, brackets paired within a paragraph, escaped
    ones left out. One pass, whatever the text."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for event in _BRACKET_EVENT.finditer(text):
        token = event.group()
        if token == "[":
            stack.append(event.start())
        elif token == "]":
            if stack:
                pairs[event.start()] = stack.pop()
        elif token[0] == "\n":
            stack.clear()
    return pairs


_BARE_DESTINATION = re.compile(r"(?:[^\s()\\\x00-\x1f]|\\.|\((?:[^\s()\\\x00-\x1f]|\\.)*\))*")


def _destination(text: str, start: int) -> tuple[str, int] | None:
    """A link destination as CommonMark reads it after `(`: <…>, or up to a space or an unmatched `)`."""
    at = start
    while at < len(text) and text[at] in " \t":
        at += 1
    if at < len(text) and text[at] == "\n":
        at += 1
        while at < len(text) and text[at] in " \t":
            at += 1
    if at < len(text) and text[at] == "<":
        end = text.find(">", at)
        newline = text.find("\n", at)
        if end < 0 or (0 <= newline < end):
            return None
        return text[at + 1:end], end + 1
    bare = _BARE_DESTINATION.match(text, at)
    assert bare is not None  # it matches the empty string at least
    return bare.group(), bare.end()


class Lines:
    """Offsets in a text → (line, column) in its file, the text starting at line `first`."""

    def __init__(self, text: str, first: int):
        self.first = first
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first + index, offset - self.starts[index] + 1


# ------------------------------------------------------------------------------------------------ links

_ID = re.compile(r'\sid="([^"]+)"')
_TEMPLATE_ID = re.compile(r'\bid="([^"{]*)(\{\{)?')


def check_links(edition: Edition, article_html: Mapping[str, str], gloss_html: Callable[[str], str | None],
                 problems: Problems, article_links: Callable[[Article], list[Link]] | None = None) -> None:
    """Every internal link and image in articles, glosses and passage notes must point at a file of the
    built site and, where the target page's ids are known, at an id in it. `article_html` has the bodies
    rendered in this run (slug → HTML); `gloss_html(entity id)` a rendered gloss, or None when it was not
    rendered (then links into that page are checked for the file only). `article_links(article)` gives
    markdown_links(article.body), e.g. from gloss build's cache."""
    site = SiteFiles(edition, article_html, gloss_html)
    for article in edition.articles:
        links = article_links(article) if article_links else markdown_links(article.body)
        lines = Lines(article.body, article.body_line) if links else None
        for link in links:
            assert lines is not None
            line, col = lines.at(link.offset)
            _check_link(link, article.output, article.path, line, col, site, problems)
        sidecar = edition.sidecars.get(article.slug)
        if sidecar is not None:
            for note in sidecar.notes:
                for link in markdown_links(note.body):
                    _check_link(link, article.output, sidecar.path, note.line, 0, site, problems)
    for entity in edition.entities.values():
        lines = Lines(entity.gloss, entity.gloss_line)
        for link in markdown_links(entity.gloss):
            line, col = lines.at(link.offset)
            _check_link(link, entity.output, entity.path, line, col, site, problems)


class SiteFiles:
    """The files a build writes, and the ids each page has (where they are known without rendering it)."""

    def __init__(self, edition: Edition, article_html: Mapping[str, str], gloss_html: Callable[[str], str | None]):
        config = edition.config
        self.articles = {a.output: a for a in edition.articles}
        self.entities = {e.output: e for e in edition.entities.values()}
        self.kinds = {f"{k.folder}/index.html" for k in config.kinds.values()}
        self.files: set[str] = {"index.html", "404.html", ".nojekyll", "assets/pygments.css",
                                *self.articles, *self.entities, *self.kinds, *(path for _, path in edition.media)}
        if config.base_url:
            self.files.add("sitemap.xml")
        fixed: set[str] = set()
        prefixes: set[str] = set()
        for folder in edition.theme_dirs:
            static = folder / "static"
            if static.is_dir():
                self.files.update(f"assets/{p.relative_to(static).as_posix()}" for p in static.rglob("*")
                                  if p.is_file())
            templates = folder / "templates"
            if templates.is_dir():
                for template in templates.rglob("*.html"):
                    for found in _TEMPLATE_ID.finditer(template.read_text(encoding="utf-8", errors="replace")):
                        if found.group(2) and found.group(1):
                            prefixes.add(found.group(1))
                        elif not found.group(2):
                            fixed.add(found.group(1))
        self.fixed, self.prefixes = fixed, tuple(sorted(prefixes))
        self.entity_ids = set(edition.entities)
        self.article_html, self.gloss_html = article_html, gloss_html
        self._ids: dict[str, set[str] | None] = {}

    def ids(self, page: str) -> set[str] | None:
        """The ids of a page's own content, or None when they are not known in this run."""
        if page not in self._ids:
            if page in self.articles:
                body = self.article_html.get(self.articles[page].slug)
                self._ids[page] = set(_ID.findall(body)) if body is not None else None
            elif page in self.entities:
                gloss = self.gloss_html(self.entities[page].id)
                self._ids[page] = set(_ID.findall(gloss)) if gloss is not None else None
            else:
                self._ids[page] = set()
        return self._ids[page]

    def has_anchor(self, page: str, fragment: str) -> bool | None:
        """True or False, or None when the page's ids are not known in this run."""
        if fragment in self.fixed or (self.prefixes and fragment.startswith(self.prefixes)):
            return True  # an id the theme's templates write on every page of a kind
        if fragment.startswith("note-") and fragment[5:] in self.entity_ids:
            return True  # a note of an entity: in the endnotes, or among the notes that open inside notes
        if page in self.articles and re.fullmatch(r"(pn|pnref|pass)\d+", fragment):
            return True
        ids = self.ids(page)
        if ids is None:
            return None
        return fragment in ids


def _check_link(link: Link, page: str, source: Path, line: int, col: int, site: SiteFiles,
                problems: Problems) -> None:
    raw = html.unescape(_ESCAPED.sub(r"\1", link.destination))
    if not raw or _SCHEME.match(raw):
        return
    what = "image" if link.image else "link"
    path, _, fragment = raw.partition("#")
    path = path.split("?", 1)[0]
    fragment = unquote(fragment)
    if not path:
        target = page
    else:
        written = unquote(path)
        if not link.image and written.endswith(".md"):  # a link to another article's source, as rendered
            written = written[:-3] + ".html"
        folder = posixpath.dirname(page)
        target = posixpath.normpath(posixpath.join(folder, written))
        if target == ".." or target.startswith("../") or written.startswith("/"):
            problems.error(source, line, f"{what} `{raw}` points outside the site",
                           _suggest(page, written, site, path.endswith(".md")) or
                           "link to a page of the edition with a relative path", col)
            return
        if target not in site.files:
            if f"{target}/index.html" in site.files or target in ("", "."):
                index = "index.html" if target in ("", ".") else f"{target}/index.html"
                problems.error(source, line, f"{what} `{raw}` points at a folder",
                               f"link to the file: `{relative_url(page, index)}` (pages opened from disk need it)",
                               col)
                return
            if path.endswith(".md") and not link.image:
                missing = f"there is no article content/{posixpath.basename(path)}"
            elif target.startswith("media/"):
                missing = f"there is no file content/{target}"
            else:
                missing = "the built site has no such page or file"
            problems.error(source, line, f"{what} `{raw}` points at nothing: {missing}",
                           _suggest(page, written, site, path.endswith(".md"))
                           or "check the path: it is relative to this page in the built site", col)
            return
    if fragment and target.endswith(".html"):
        found = site.has_anchor(target, fragment)
        if found is False:
            ids = site.ids(target) or set()
            hint = nearest(fragment, ids)
            problems.error(source, line, f"{what} `{raw}`: no `#{fragment}` in {target}",
                           f"did you mean `#{hint}`?" if hint else
                           "link to a paragraph (#p4), a heading's id or a figure (#fig1)", col)


def _suggest(page: str, written: str, site: SiteFiles, as_markdown: bool) -> str:
    """'did you mean `../other.md`?': the file of the site with the same name, or the nearest path."""
    name = posixpath.basename(written)
    same = sorted(f for f in site.files if posixpath.basename(f) == name)
    if not same:  # the nearest name among the files of the same type ("sergei-lavrv" → "sergei-lavrov")
        stem, dot, extension = name.rpartition(".")
        stems = {posixpath.basename(f).rpartition(".")[0]: f for f in sorted(site.files, reverse=True)
                 if f.rpartition(".")[2] == extension and dot}
        close = nearest(stem, stems)
        same = [stems[close]] if close else []
    if not same:
        return ""
    url = relative_url(page, same[0])
    if as_markdown and same[0] in site.articles:
        url = url[:-5] + ".md"
    return f"did you mean `{url}`?"
