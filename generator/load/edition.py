"""Stage 1, load: the only stage that reads the edition from disk."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ..config import DEFAULT_KINDS, SiteConfig
from ..model import Article, Edition, Entity, Sidecar
from ..nofollow import is_link, regular_files
from ..problems import GlossError, Problem, Problems
from ..schema import THEME, validate
from ..toml_text import line_of_key, nearest, parse_toml
from .annotations import load_entity, load_sidecar
from .articles import load_article

PACKAGE_THEMES = Path(__file__).resolve().parent.parent / "themes"

# memo(path, problems, read) -> read(problems), or a result remembered from an unchanged file (gloss serve).
Memo = Callable[[Path, Problems, Callable[[Problems], Any]], Any]


def _read(path: Path, problems: Problems, read: Callable[[Problems], Any]) -> Any:
    return read(problems)


def theme_dirs(config: SiteConfig) -> list[Path]:
    """The theme's folder first, then the default theme, so missing templates fall back to it.

    The theme is the bundled default or a folder inside the edition (symbolic links resolved): the build
    renders a theme's templates and publishes its static/ files, so a site.toml that could name any folder
    (`theme = "../private"`) would publish files from outside the edition, as a symlink would. An editor who
    shares one theme between editions says `trusted_theme = true`, vouching for the theme as code (its
    templates then run outside the sandbox anyway), and may name a folder anywhere."""
    default = PACKAGE_THEMES / "default"
    if config.theme == "default":
        return [default]
    candidates = [config.root / "themes" / config.theme, config.root / config.theme]
    for candidate in candidates:
        if candidate.is_dir():
            folder = candidate.resolve()
            if not config.trusted_theme and not folder.is_relative_to(config.root.resolve()):
                raise _theme_error(config.path, f"theme `{config.theme}` is outside the edition's folder ({folder})",
                                   "copy the theme into themes/ beside site.toml and set theme = \"NAME\" "
                                   "(or, for a theme you wrote or trust, set trusted_theme = true)")
            return [folder, default]
    raise _theme_error(config.path, f"theme `{config.theme}` not found",
                       f"create themes/{config.theme}/ or set theme = \"default\"")


def _theme_error(site_file: Path, message: str, fix: str) -> GlossError:
    """An error at the value of `theme =` in site.toml (read again only now: line 1 when it cannot be found)."""
    try:
        text = site_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    line = line_of_key(text, "theme") if text else 1
    found = re.match(r'\s*"?theme"?\s*=\s*', text.splitlines()[line - 1] if text else "")
    return GlossError(Problem(str(site_file), line, found.end() + 1 if found else 0, "error", message, fix))


def load_edition(config: SiteConfig, problems: Problems, include_drafts: bool = False,
                 memo: Memo | None = None) -> Edition:
    memo = memo or _read
    root = config.root
    articles = _load_articles(root / "content", problems, include_drafts, memo)
    entities = _load_entities(config, problems, memo)
    sidecars: dict[str, Sidecar] = {}
    notes_dir = root / "annotations" / "notes"
    slugs = {a.slug for a in articles}
    if notes_dir.is_dir():
        for path in _source_files(notes_dir, ".toml", problems,
                                  "not a .toml notes file; ignored", "name it <article-slug>.toml"):
            if path.stem not in slugs:
                hint = nearest(path.stem, slugs)
                problems.warning(path, 0, f"no article `{path.stem}` for these notes",
                                 f"rename it to {hint}.toml" if hint else "name it after an article's slug")
            sidecar = memo(path, problems, partial(load_sidecar, path))
            if sidecar is not None:
                sidecars[path.stem] = sidecar
    media: list[tuple[Path, str]] = []
    media_dir = root / "content" / "media"
    if is_link(media_dir):
        problems.warning(media_dir, 0, f"content/media is a symbolic link (to {os.readlink(media_dir)}): nothing "
                         "in it is published", "make content/media a real folder and copy the files into it")
    for path in regular_files(media_dir):  # never through a symlink: it could publish files from anywhere
        rel = path.relative_to(media_dir)
        if not any(p.startswith(".") for p in rel.parts):
            media.append((path, "media/" + rel.as_posix()))
    media += _annotation_media(root, {out for _, out in media}, problems)
    try:
        themes = theme_dirs(config)
    except GlossError as missing:  # report it with the rest, and check the edition against the default theme
        problems.error(config.path, missing.problem.line, missing.problem.message, missing.problem.fix,
                       missing.problem.col)
        themes = [PACKAGE_THEMES / "default"]
    try:
        strings = load_strings(themes, config.strings)
    except GlossError as unreadable:
        problems.extend([unreadable.problem])
        strings = dict(config.strings)
    return Edition(config=config, theme_dirs=themes, articles=articles, entities=entities,
                   sidecars=sidecars, media=media, strings=strings,
                   reads_markdown=bool(load_theme_toml(themes[0], problems).get("reads_markdown", False)))


def _annotation_media(root: Path, taken: set[str], problems: Problems) -> list[tuple[Path, str]]:
    """annotations/media/: the entities' images, published under media/ beside content/media's files."""
    folder = root / "annotations" / "media"
    if is_link(folder):
        problems.warning(folder, 0, "annotations/media is a symbolic link: nothing in it is published",
                         "make annotations/media a real folder and copy the files into it")
    found: list[tuple[Path, str]] = []
    for path in regular_files(folder):
        rel = path.relative_to(folder)
        if any(p.startswith(".") for p in rel.parts):
            continue
        out = "media/" + rel.as_posix()
        if out in taken:
            problems.error(path, 0, f"content/media/{rel.as_posix()} has the same name",
                           "rename one of the two files (both would be published as " + out + ")")
            continue
        found.append((path, out))
    return found


def load_theme_toml(theme: Path, problems: Problems) -> dict[str, object]:
    """A theme's theme.toml (schema.THEME): what its templates declare to Gloss; nothing when it has none."""
    path = theme / "theme.toml"
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, 0, f"theme.toml cannot be read: {exc}", "save it as UTF-8 TOML")
        return {}
    data = parse_toml(text, path, problems)
    if data is None:
        return {}
    values, _ = validate(THEME, data, path, problems, partial(line_of_key, text))
    return values


def load_strings(theme_dirs: list[Path], overrides: dict[str, str]) -> dict[str, str]:
    """The interface words: the default theme's strings.toml, a theme's own, then site.toml's [strings]."""
    strings: dict[str, str] = {}
    for folder in reversed(theme_dirs):
        path = folder / "strings.toml"
        if path.is_file():
            try:
                strings.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise GlossError(Problem(str(path), 0, 0, "error", f"the theme's strings.toml cannot be read: {exc}",
                                         "save it as UTF-8 TOML: one name = \"text\" a line")) from None
    strings.update(overrides)
    return strings



def _load_articles(content: Path, problems: Problems, include_drafts: bool,
                   memo: Memo) -> list[Article]:
    if not content.is_dir():
        problems.warning(content, 0, "no content/ folder: the edition has no articles",
                         "create content/ and add an article, e.g. with `gloss import FILE`")
        return []
    articles = []
    for path in _source_files(content, ".md", problems, "not a .md file; ignored",
                              "articles are Markdown files named <slug>.md", skip="media"):
        article = memo(path, problems, partial(load_article, path))
        if article is not None and (include_drafts or not article.draft):
            articles.append(article)
    articles.sort(key=Article.sort_key)
    return articles


def _load_entities(config: SiteConfig, problems: Problems, memo: Memo) -> dict[str, Entity]:
    annotations = config.root / "annotations"
    entities: dict[str, Entity] = {}
    if not annotations.is_dir():
        return entities
    folders = {kind.folder: kind for kind in config.kinds.values()}
    for folder in sorted(annotations.iterdir()):
        if folder.name.startswith(".") or folder.name in ("notes", "media"):
            continue
        if not folder.is_dir():
            problems.warning(folder, 0, "a file directly in annotations/ is ignored",
                             "put entity files in a kind's folder, e.g. annotations/people/")
            continue
        kind = folders.get(folder.name)
        if kind is None:
            by_key = {k.key: k.folder for k in config.kinds.values()} | {f: f for f in folders}
            hint = by_key.get(nearest(folder.name, by_key), "")
            default = next((k for k in DEFAULT_KINDS.values() if k.folder == folder.name), None)
            problems.error(folder, 0, f"unknown kind folder `{folder.name}/`",
                           f"did you mean `{hint}/`?" if hint else
                           f"site.toml gives [kinds.{default.key}] another folder: move the files there, or set "
                           f'folder = "{folder.name}"' if default else
                           f"declare it in site.toml as [kinds.{folder.name.rstrip('s')}] folder = \"{folder.name}\"")
            continue
        for path in _source_files(folder, ".md", problems, "not a .md entity file; ignored",
                                  "name entity files <id>.md"):
            entity = memo(path, problems, partial(load_entity, path, kind))
            if entity is None:
                continue
            if entity.id in entities:
                other = entities[entity.id]
                problems.error(path, 0, f"duplicate id `{entity.id}`: also {problems.where(other.path)}",
                               "ids are unique across all kinds; rename one of the files")
                continue
            entities[entity.id] = entity
    return dict(sorted(entities.items()))


def _source_files(folder: Path, suffix: str, problems: Problems, message: str, fix: str,
                  skip: str = "") -> Iterator[Path]:
    """The folder's files with `suffix`, in name order; other files are warned
    about; hidden files (and the entry named `skip`) are passed over."""
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == skip:
            continue
        if path.suffix != suffix:
            problems.warning(path, 0, message, fix)
            continue
        yield path
