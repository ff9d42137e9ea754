"""`gloss rename OLD NEW`: an entity's id changed everywhere at once — its file, every [[OLD]] and [[OLD|text]]
in articles, glosses and passage notes, every `related` list and every [[pin]] that names it.

Every new text is made first (TOML through tomlkit, which keeps the files' comments and layout), then written
to a temporary file beside its target, then all are moved into place; if a move fails, the ones done are put
back. `--dry-run` prints the changes as a diff and writes nothing."""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from ..problems import CommandLineError, GlossError, Problem
from ..slug import is_valid_id


@dataclass
class Change:
    path: Path  # the file as it is now
    target: Path  # where the new text goes (the same path but for the renamed entity's own file)
    before: str
    after: str


def rename_command(site_file: Path, old: str, new: str, dry_run: bool = False) -> int:
    from ..config import load_config
    from ..problems import Problems

    config = load_config(site_file, Problems())
    root = config.root
    if not is_valid_id(new):
        raise CommandLineError(Problem("gloss rename", 0, 0, "error", f"`{new}` is not a valid id",
                                 "use lower-case letters, digits and hyphens, e.g. sergei-lavrov"))
    annotations = root / "annotations"
    found = sorted(annotations.glob(f"*/{old}.md"))
    if not found:
        raise GlossError(Problem("gloss rename", 0, 0, "error", f"there is no entity `{old}`",
                                 "give the id of a file in annotations/<kind>/ (its name without .md)"))
    taken = sorted(annotations.glob(f"*/{new}.md"))
    if taken:
        raise GlossError(Problem(taken[0].relative_to(root).as_posix(), 0, 0, "error", f"`{new}` exists already",
                                 "choose another id, or merge the two files by hand"))
    changes = plan(root, found[0], old, new)
    for change in changes:
        where = change.path.relative_to(root).as_posix()
        to = change.target.relative_to(root).as_posix()
        if dry_run and to != where:
            print(f"rename {where} → {to}")
        if dry_run:
            sys.stdout.writelines(difflib.unified_diff(change.before.splitlines(True), change.after.splitlines(True),
                                                       f"a/{where}", f"b/{to}"))
    if dry_run:
        print(f"gloss rename would change {len(changes)} file{'s' * (len(changes) != 1)}; nothing was written.")
        return 0
    apply(changes)
    print(f"Renamed `{old}` to `{new}`: {len(changes)} file{'s' * (len(changes) != 1)} changed.")
    return 0


def _refs(old: str) -> re.Pattern[str]:
    return re.compile(r"\[\[" + re.escape(old) + r"(?=\]\]|\|)")


def plan(root: Path, entity_file: Path, old: str, new: str) -> list[Change]:
    """Every file that names `old`, with its new text."""
    refs = _refs(old)
    changes: list[Change] = []
    files = sorted((root / "content").rglob("*.md")) + sorted((root / "annotations").glob("*/*.md"))
    for path in files:
        if path.is_symlink() or not path.is_file():
            continue
        before = path.read_text(encoding="utf-8")
        after = refs.sub("[[" + new, before)
        if path.parent.parent == root / "annotations":
            after = _rename_related(after, old, new, path)
        target = path.with_name(f"{new}.md") if path == entity_file else path
        if after != before or target != path:
            changes.append(Change(path, target, before, after))
    notes = root / "annotations" / "notes"
    for path in sorted(notes.glob("*.toml")) if notes.is_dir() else []:
        before = path.read_text(encoding="utf-8")
        after = _rename_in_notes(before, old, new, path)
        if after != before:
            changes.append(Change(path, path, before, after))
    return changes


def _rename_related(text: str, old: str, new: str, path: Path) -> str:
    """The front matter's `related` list with `old` replaced (comments and layout kept by tomlkit)."""
    parts = text.split("+++\n", 2)
    if len(parts) < 3 or parts[0].strip():
        return text
    try:
        front = tomlkit.parse(parts[1])
    except Exception as exc:
        raise GlossError(Problem(str(path), 0, 0, "error", f"cannot read its front matter ({exc})",
                                 "fix it first (gloss check shows where), then rename")) from None
    related = front.get("related")
    if not isinstance(related, list) or old not in related:
        return text
    for index, value in enumerate(related):
        if value == old:
            related[index] = new
    return parts[0] + "+++\n" + tomlkit.dumps(front) + "+++\n" + parts[2]


def _rename_in_notes(text: str, old: str, new: str, path: Path) -> str:
    """A notes file with its pins' `entity = "old"` and the [[old]] in its note bodies renamed."""
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:
        raise GlossError(Problem(str(path), 0, 0, "error", f"cannot read it ({exc})",
                                 "fix it first (gloss check shows where), then rename")) from None
    refs = _refs(old)
    changed = False
    for pin in doc.get("pin", []):
        if pin.get("entity") == old:
            pin["entity"] = new
            changed = True
    for note in doc.get("note", []):
        body = note.get("body")
        if isinstance(body, str) and refs.search(body):
            note["body"] = refs.sub("[[" + new, body)
            changed = True
    return tomlkit.dumps(doc) if changed else text


def apply(changes: list[Change]) -> None:
    """All the changes or none: temporary files first, then every move; a failed move puts back the ones
    done."""
    temporary: list[Path] = []
    try:
        for change in changes:
            temp = change.target.with_name(f".{change.target.name}.gloss-rename")
            temp.write_text(change.after, encoding="utf-8")
            temporary.append(temp)
    except OSError:
        for temp in temporary:
            temp.unlink(missing_ok=True)
        raise
    done: list[Change] = []
    try:
        for change, temp in zip(changes, temporary, strict=True):
            os.replace(temp, change.target)
            done.append(change)
            if change.target != change.path:
                change.path.unlink()
    except OSError:
        for change in done:
            change.path.write_text(change.before, encoding="utf-8")
            if change.target != change.path:
                change.target.unlink(missing_ok=True)
        for temp in temporary:
            temp.unlink(missing_ok=True)
        raise
