"""`gloss init` (a new edition folder) and `gloss new` (a new annotation file)."""

from __future__ import annotations

import sys
from pathlib import Path

from .config import DEFAULT_KINDS, OPTIONS, Kind
from .problems import GlossError, Problem, Problems
from .slug import id_problem, is_valid_id, shown_id
from .workflow import pages_workflow

GITIGNORE = "build/\nhandouts/\n.gloss-cache/\n"

def site_toml(title: str) -> str:
    """A site.toml with every option written out and commented, from the declared schema."""
    lines = ["# The edition's settings. Every key but title is optional.", ""]
    for option in OPTIONS:
        value = title if option.name == "title" else option.default
        rendered = ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'
        prefix = "" if option.name == "title" else "# "
        lines.append(f"# {option.doc}")
        lines.append(f"{prefix}{option.name} = {rendered}")
        lines.append("")
    lines.append("# Kinds of entity: annotations/<folder>/<id>.md. These four are always there (a table here")
    lines.append("# may change their label or fields); add your own,")
    lines.append('# e.g. [kinds.work] folder = "works" label = "Works" fields = ["published"].')
    for kind in DEFAULT_KINDS.values():
        lines.append(f"# [kinds.{kind.key}]")
        lines.append(f'# folder = "{kind.folder}"')
        lines.append(f'# label = "{kind.label}"')
    lines.append("")
    lines.append("# Interface words, for an edition in another language, e.g.:")
    lines.append("# [strings]")
    lines.append('# in_this_article = "Dans cet article"')
    return "\n".join(lines) + "\n"


def init_edition(folder: Path, title: str = "", gloss_spec: str | None = None) -> int:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"{folder}: error: the folder exists and is not empty — choose a new folder name", file=sys.stderr)
        return 1
    title = title or folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "My edition"
    (folder / "content" / "media").mkdir(parents=True, exist_ok=True)
    for kind in DEFAULT_KINDS.values():
        (folder / "annotations" / kind.folder).mkdir(parents=True, exist_ok=True)
    (folder / "annotations" / "notes").mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(site_toml(title.replace('"', "'")), encoding="utf-8")
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


def new_entity(site_file: Path, kind_name: str, entity_id: str, name: str | None = None) -> int:
    from .config import load_config

    problems = Problems()
    config = load_config(site_file, problems)
    kinds: dict[str, Kind] = config.kinds
    kind = kinds.get(kind_name) or next((k for k in kinds.values() if kind_name in (k.folder, k.label.lower())), None)
    if kind is None:
        raise GlossError(Problem("gloss new", 0, 0, "error", f"unknown kind `{kind_name}`",
                                 "use one of: " + ", ".join(kinds)))
    if not is_valid_id(entity_id):
        raise GlossError(Problem("gloss new", 0, 0, "error", f"`{shown_id(entity_id)}` is not a valid id: it "
                                 f"{id_problem(entity_id)}",
                                 "use lower-case letters, digits and hyphens, e.g. sergei-lavrov"))
    path = config.root / "annotations" / kind.folder / f"{entity_id}.md"
    for other in (config.root / "annotations").glob(f"*/{entity_id}.md"):
        raise GlossError(Problem(str(other), 0, 0, "error", f"`{entity_id}` exists already",
                                 "ids are unique across kinds; choose another id or edit that file"))
    name = name or " ".join(part.capitalize() for part in entity_id.split("-"))
    extra = {"person": '# born = 1950-03-21     # or "1950-03" / "1950" when only that is known\n# role = ""\n',
             "event": '# date = 2019-05-14     # or "2019-05" / "2019"\n# end = 2019-05-15\n'}.get(kind.key, "")
    surname = name.split()[-1] if " " in name else name
    sort_name = f"{surname}, {' '.join(name.split()[:-1])}" if kind.key == "person" and " " in name else name
    aliases = f'["{surname}"]' if kind.key == "person" and " " in name else "[]"
    text = (f'+++\nname = "{name}"\naliases = {aliases}\nsort_name = "{sort_name}"\nsummary = ""\n{extra}'
            f'related = []\n# sources = [{{ title = "…", url = "https://…" }}]\n'
            f"# Below the +++ line: the gloss, in Markdown. Refer to other entries as [[their-id]].\n+++\n"
            f"{name} is …\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path.relative_to(config.root)} — fill in the summary, dates and sources, then `gloss check`.")
    return 0
