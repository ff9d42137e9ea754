"""Stage 1b: entity files (annotations/<folder>/<id>.md) and sidecars (annotations/notes/<slug>.toml)."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path

from .. import authority
from ..config import AUTHORITY_FIELDS, Kind
from ..model import Entity, PartialDate, PassageNote, Pin, Quote, Sidecar, Skip, Source
from ..problems import Problems
from ..schema import ENTITY, KIND_FIELDS, NOTE, NOTES_FILE, PIN, QUESTION, SKIP, TEXT, Key, validate
from ..slug import id_problem, is_valid_id, shown_id
from ..toml_text import line_of_key, parse_toml
from .files import is_web_address, read_front_matter, read_text

DATE_FIELDS = {"born", "died", "date", "end", "founded", "dissolved"}
MIN_ALIAS_LENGTH = 2


def load_entity(path: Path, kind: Kind, problems: Problems) -> Entity | None:
    entity_id = path.stem
    if entity_id == "index":
        problems.error(path, 0, f"the id `index` is taken: {kind.folder}/index.html lists every {kind.key}",
                       "rename the file, e.g. to the entity's name in lower case with hyphens")
        return None
    if not is_valid_id(entity_id):
        problems.error(path, 0, f"entity id `{shown_id(entity_id)}` (the file name) is not valid: it "
                       f"{id_problem(entity_id)}",
                       "rename the file: lower-case letters, digits and hyphens only, e.g. sergei-lavrov.md")
        return None
    loaded = read_front_matter(path, problems, "annotation")
    if loaded is None:
        return None
    meta, front, gloss, gloss_line = loaded

    def line(key: str) -> int:
        return line_of_key(front, key, 2)

    values, _ = validate(ENTITY, meta, path, problems, line, also=_kind_fields(kind), hints=DATE_FIELDS,
                         kind=kind.key)
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    aliases: list[str] = []
    raw_aliases: list[str] = values.get("aliases", [])  # type: ignore[assignment]
    for n, alias in enumerate([name, *raw_aliases]):
        alias = " ".join(alias.split())
        where = line("name") if n == 0 else line("aliases")
        if len(alias) < MIN_ALIAS_LENGTH:
            problems.error(path, where, f"{'name' if n == 0 else 'alias'} {alias!r} is too short to match safely",
                           f"aliases need at least {MIN_ALIAS_LENGTH} characters; pin single letters with [[pin]]")
        elif not alias[0].isalnum():
            problems.error(path, where, f"{'name' if n == 0 else 'alias'} {alias!r} must begin with a letter or digit",
                           "remove the leading punctuation, or pin the mention with [[pin]]")
        elif alias not in aliases:
            aliases.append(alias)
    related: list[str] = values.get("related", [])  # type: ignore[assignment]
    sources: list[Source] = []
    for item in values.get("sources", []):  # type: ignore[attr-defined]
        if isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("url", ""), str):
            url = item.get("url", "")
            if url.strip() and not is_web_address(url):
                problems.error(path, line("sources"), f"a source's url must be a web address, not {url!r}",
                               'write url = "https://…" (only http and https links are shown)')
                url = ""
            sources.append(Source(item["title"], url))
        else:
            problems.error(path, line("sources"), "each source needs a title (and a url)",
                           'write sources = [{ title = "…", url = "https://…" }]')
    dates: dict[str, PartialDate] = {}
    facts: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    for key, value in values.items():
        if key in ("name", "aliases", "related", "sources"):
            continue
        if key in AUTHORITY_FIELDS:
            wrong = authority.problem(key, value)
            if wrong:
                problems.error(path, line(key), wrong, "correct it from the record's own page, or remove the line")
            else:
                identifiers[key] = str(value).strip()
            continue
        if key in DATE_FIELDS:
            parsed = PartialDate.parse(value)
            if parsed is None:
                problems.error(path, line(key), f"`{key}` is not a date: {value!r}",
                               f'write {key} = 2019-05-14, or "2019-05" / "2019" when only that is known')
            else:
                dates[key] = parsed
        else:
            facts[key] = str(value)
    summary = facts.pop("summary", "")
    sort_name = facts.pop("sort_name", "")
    image = entity_image(path, facts.pop("image", ""), facts.pop("image_alt", ""), line, problems)
    image_credit = facts.pop("image_credit", "")
    if image_credit and not image:
        problems.warning(path, line("image_credit"), "`image_credit` without an `image` is ignored",
                         'add image = "file.jpg" (a file in annotations/media/), or remove the credit')
    return Entity(id=entity_id, kind=kind, path=path, name=" ".join(name.split()), gloss=gloss,
                  gloss_line=gloss_line, aliases=tuple(aliases), sort_name=sort_name, summary=summary,
                  related=tuple(related), sources=tuple(sources), dates=dates, facts=facts, authorities=identifiers,
                  field_lines={key: line(key) for key in meta}, image=image,
                  image_alt=" ".join(str(meta.get("image_alt", "")).split()) if image else "", image_credit=image_credit)


MEDIA_FOLDERS = ("annotations/media", "content/media")  # where an entity's image may be, first found wins


def entity_image(path: Path, image: str, alt: str, line, problems: Problems) -> str:
    """An entity's `image` as the output path of its file (media/<name>), or "" with an error: the file must be
    in annotations/media/ or content/media/ (nothing is loaded from another host), and it needs alt text."""
    if not image:
        if alt:
            problems.warning(path, line("image_alt"), "`image_alt` without an `image` is ignored",
                             'add image = "file.jpg" (a file in annotations/media/), or remove it')
        return ""
    if is_web_address(image) or ":" in image.split("/", 1)[0]:
        problems.error(path, line("image"), f"image {image!r} is not a file of the edition",
                       "save the image in annotations/media/ and write its file name: nothing is loaded from "
                       "another host")
        return ""
    rel = image.strip().lstrip("/")
    rel = rel[len("media/"):] if rel.startswith("media/") else rel
    root = path.parent.parent.parent  # annotations/<kind folder>/<id>.md
    parts = Path(rel).parts
    found = "" if not parts or ".." in parts or any(p.startswith(".") for p in parts) else next(
        (f"media/{Path(*parts).as_posix()}" for folder in MEDIA_FOLDERS
         if (root / folder / Path(*parts)).is_file() and not (root / folder / Path(*parts)).is_symlink()), "")
    if not found:
        problems.error(path, line("image"), f"image {image!r} is not in annotations/media/ or content/media/",
                       "save the file there, or correct the name")
        return ""
    if not " ".join(alt.split()):
        problems.error(path, line("image_alt") if alt else line("image"),
                       f"the image {image!r} has no alt text",
                       'add image_alt = "what the image shows", for readers who cannot see it')
    return found


SIDECAR_ENTRIES = NOTES_FILE.names  # note, pin, skip and question ([[question]]: for `gloss handout --questions`)
ENTRIES = {"note": NOTE, "pin": PIN, "skip": SKIP, "question": QUESTION}


@cache
def _kind_fields(kind: Kind) -> tuple[Key, ...]:
    """The keys a kind adds to the common ones: the default kinds' declared in schema.py, a kind of your own's
    (site.toml's `fields`) as text, or a date when the name is a date field's."""
    declared = {key.name: key for key in KIND_FIELDS.keys}
    return tuple(declared.get(name) or Key(name, None if name in DATE_FIELDS else TEXT, "", "", "")
                 for name in kind.fields)


def load_sidecar(path: Path, problems: Problems) -> Sidecar | None:
    text = read_text(path, problems, "notes file")
    if text is None:
        return None
    data = parse_toml(text, path, problems)
    if data is None:
        return None
    sidecar = Sidecar(path)
    values, _ = validate(NOTES_FILE, data, path, problems, partial(line_of_key, text))
    header_lines = _header_lines(text)
    for kind in SIDECAR_ENTRIES:
        lines = header_lines.get(kind, [])
        for n, entry in enumerate(data.get(kind, []) if kind in values else []):  # type: ignore[union-attr]
            line = lines[n] if n < len(lines) else 1
            if not isinstance(entry, dict):
                problems.error(path, line, f"[[{kind}]] must be a table", "write exact = \"…\" under it")
                continue
            fields, ok = validate(ENTRIES[kind], entry, path, problems, lambda _, line=line: line, entry=kind)
            if not ok:
                continue
            quote = Quote(str(fields["exact"]), str(fields.get("prefix", "")), str(fields.get("suffix", "")))
            if kind in ("note", "question"):
                (sidecar.notes if kind == "note" else sidecar.questions).append(PassageNote(quote, str(fields["body"]), line))
            elif kind == "pin":
                sidecar.pins.append(Pin(quote, str(fields["entity"]), line))
            else:
                sidecar.skips.append(Skip(quote, line))
    return sidecar


def _header_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped.startswith("[[") and "]]" in stripped:
            lines.setdefault(stripped[2:stripped.index("]]")].strip(), []).append(number)
    return lines
