"""`gloss init` (a new edition folder) and `gloss new` (a new annotation file)."""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from pathlib import Path

import tomlkit

from .config import DEFAULT_KINDS, EXPORTS, OPTIONS, Kind
from .problems import CommandLineError, GlossError, Problem, Problems
from .slug import fold, id_problem, is_valid_id, shown_id
from .workflow import pages_workflow

GITIGNORE = "build/\nhandouts/\n.gloss-cache/\n"


def _toml_line(key: str, value: object) -> str:
    """One `key = value` line written by a TOML library (tomlkit, which keeps arrays on one line, as people
    write them): quotes, backslashes, newlines and any script come out valid."""
    return tomlkit.dumps({key: value}).rstrip("\n")


def site_toml(title: str, fold_accents: bool = True) -> str:
    """A site.toml with every option written out and commented, from the declared schema."""
    lines = ["# The edition's settings. Every key but title is optional.", ""]
    for option in OPTIONS:
        value = title if option.name == "title" else option.default
        lines.append(f"# {option.doc}")
        if option.name == "title":
            lines.append(_toml_line("title", value))
        elif option.name == "fold_accents":
            lines.append(_toml_line("fold_accents", fold_accents))
        else:
            lines.append("# " + _toml_line(option.name, value))
        lines.append("")
    lines.append("# Open data every build writes beside the pages; each may be turned off.")
    lines.append("# [exports]")
    for option in EXPORTS:
        lines.append(f"# {option.doc}")
        lines.append("# " + _toml_line(option.name, option.default))
    lines.append("")
    lines.append("# Kinds of entity: annotations/<folder>/<id>.md. These four are always there (a table here")
    lines.append("# may change their label or fields); add your own,")
    lines.append('# e.g. [kinds.work] folder = "works" label = "Works" fields = ["published"].')
    for kind in DEFAULT_KINDS.values():
        lines.append(f"# [kinds.{kind.key}]")
        lines.append("# " + _toml_line("folder", kind.folder))
        lines.append("# " + _toml_line("label", kind.label))
    lines.append("")
    lines.append("# Interface words, for an edition in another language, e.g.:")
    lines.append("# [strings]")
    lines.append('# in_this_article = "Dans cet article"')
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what a library wrote, a library reads
    return text


def init_edition(folder: Path, title: str = "", gloss_spec: str | None = None) -> int:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"{folder}: error: the folder exists and is not empty — choose a new folder name", file=sys.stderr)
        return 1
    title = title or folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "My edition"
    (folder / "content" / "media").mkdir(parents=True, exist_ok=True)
    for kind in DEFAULT_KINDS.values():
        (folder / "annotations" / kind.folder).mkdir(parents=True, exist_ok=True)
    (folder / "annotations" / "notes").mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(site_toml(title), encoding="utf-8")
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    workflow = folder / ".github" / "workflows" / "pages.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(pages_workflow(gloss_spec), encoding="utf-8")
    for sub in ("content/media", *(f"annotations/{k.folder}" for k in DEFAULT_KINDS.values()), "annotations/notes"):
        (folder / sub / ".gitkeep").touch()
    print(f"Created the edition {folder}/. Next:")
    print(f"  cd {folder}")
    print("  gloss import PATH/TO/article.html     # or .txt: the article into content/")
    print("  gloss serve                           # preview at http://127.0.0.1:8000")
    return 0


# An example value for each optional field a kind declares (commented out in a new entity's file).
FIELD_EXAMPLES: dict[str, tuple[object, str]] = {
    "born": (dt.date(1950, 3, 21), 'or "1950-03" / "1950" when only that is known'),
    "died": (dt.date(2020, 1, 31), 'or "2020-01" / "2020"'),
    "founded": ("1919", "a date, or a year as text"),
    "dissolved": ("1991-12-26", "a date, or a year or month as text"),
    "date": (dt.date(2019, 5, 14), 'or "2019-05" / "2019"'),
    "end": (dt.date(2019, 5, 15), "when it lasted more than a day"),
    "role": ("", "what the entity is or does, in a few words"),
    "country": ("", ""),
    "place": ("", "where it happened: a place's id or a name"),
}
SCAFFOLD_BODY = "{name} is …"  # what `gloss check` recognises as a body still to write


def entity_text(kind: Kind, name: str, aliases: list[str]) -> str:
    """A new entity's file: the fields filled in, every optional field of its kind commented, the gloss to
    write. Every value is written by tomlkit."""
    sort_name = name
    if kind.key == "person" and " " in name:
        parts = name.split()
        sort_name = f"{parts[-1]}, {' '.join(parts[:-1])}"
    head = {"name": name, "aliases": aliases, "sort_name": sort_name, "summary": ""}
    lines = ["+++", *(_toml_line(key, value) for key, value in head.items())]
    for field in kind.fields:
        value, note = FIELD_EXAMPLES.get(field, ("", ""))
        lines.append("# " + _toml_line(field, value) + (f"     # {note}" if note else ""))
    lines.append(_toml_line("related", []) + "     # ids of other entries")
    lines.append('# sources = [{ title = "…", url = "https://…" }]')
    lines.append("# " + _toml_line("image", "media/portrait.jpg") + "     # an image under content/media/")
    lines.append("# Below the +++ line: the gloss, in Markdown. Refer to other entries as [[their-id]].")
    lines.append("+++")
    lines.append(SCAFFOLD_BODY.format(name=name))
    text = "\n".join(lines) + "\n"
    tomllib.loads(text.split("+++\n")[1])  # what a library wrote, a library reads
    return text


def new_entity(site_file: Path, kind_name: str, entity_id: str, name: str | None = None,
               aliases: list[str] | None = None) -> int:
    from .config import load_config

    problems = Problems()
    config = load_config(site_file, problems)
    kinds: dict[str, Kind] = config.kinds
    kind = kinds.get(kind_name) or next((k for k in kinds.values() if kind_name in (k.folder, k.label.lower())), None)
    if kind is None:
        raise CommandLineError(Problem("gloss new", 0, 0, "error", f"unknown kind `{kind_name}`",
                                 "use one of: " + ", ".join(kinds)))
    if not is_valid_id(entity_id):
        raise CommandLineError(Problem("gloss new", 0, 0, "error", f"`{shown_id(entity_id)}` is not a valid id: it "
                                 f"{id_problem(entity_id)}",
                                 "use lower-case letters, digits and hyphens, e.g. sergei-lavrov"))
    name = name or " ".join(part.capitalize() for part in entity_id.split("-"))
    annotations = config.root / "annotations"
    path = annotations / kind.folder / f"{entity_id}.md"
    wanted = [name, *(aliases or [])]
    for other in sorted(annotations.glob(f"*/{entity_id}.md")):
        where = other.relative_to(config.root).as_posix()
        known = _names_in(other)
        missing = [n for n in wanted if n not in known]
        if missing:
            raise GlossError(Problem(where, 0, 0, "error", f"`{entity_id}` exists already",
                                     "if it is the same entity, add " + " and ".join(f'"{m}"' for m in missing)
                                     + " to its aliases; if not, choose another id"))
        raise GlossError(Problem(where, 0, 0, "error", f"`{entity_id}` exists already and has the name "
                                 f"\"{name}\"", "edit that file, or choose another id"))
    folded = {fold(n) for n in wanted}
    for other in sorted(annotations.glob("*/*.md")):
        same = [n for n in _names_in(other) if fold(n) in folded]
        if same:
            where = other.relative_to(config.root).as_posix()
            raise GlossError(Problem(where, 0, 0, "error", f"\"{name}\" is already an entity here, as "
                                     f"\"{same[0]}\" (the same but for accents, case or apostrophes)",
                                     f'add "{name}" to its aliases instead of a new entity'))
    if aliases is None and kind.key == "person" and " " in name:
        aliases = [name.split()[-1]]
    text = entity_text(kind, name, [a for a in (aliases or []) if a != name])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path.relative_to(config.root)} — fill in the summary, dates and sources, then `gloss check`.")
    return 0


def _names_in(path: Path) -> list[str]:
    """The name and aliases an entity file declares (none when it does not parse)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    parts = text.split("+++")
    if len(parts) < 3:
        return []
    try:
        data = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError:
        return []
    names = [data.get("name")] + list(data.get("aliases") or [])
    return [n for n in names if isinstance(n, str)]
