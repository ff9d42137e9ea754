"""`gloss names [ARTICLE…]`: the names still to gloss, as text for the editor or JSON for tools, and
`--write` to scaffold the chosen ones."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from ..problems import CommandLineError, GlossError, Problem, Problems
from .report import NameToGloss, describe, names_to_gloss


def names_command(site_file: Path, articles: list[str], fmt: str = "text", write: bool = False,
                  pick: list[str] | None = None) -> int:
    from ..site import Site

    problems = Problems(root=site_file.parent)
    site = Site.load(site_file, problems)
    edition = site.edition
    if problems.errors:
        print(problems.as_text(), file=sys.stderr)
        print("gloss names needs an edition that loads: fix the errors above first.", file=sys.stderr)
        return 1
    chosen = _articles(edition, articles)
    matcher = site.matcher
    entries: list[NameToGloss] = []
    for article in chosen:
        entries += names_to_gloss(article, edition, matcher, keep=True)
    if pick:
        entries = _picked(entries, pick)
    if fmt == "json":
        print(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
    else:
        _print_text(entries, chosen, edition.config.root)
    if write:
        return _write(site_file, entries)
    return 0


def _articles(edition, wanted: list[str]):
    if not wanted:
        return list(edition.articles)
    by_slug = {a.slug: a for a in edition.articles}
    chosen = []
    for item in wanted:
        slug = Path(item).stem if item.endswith(".md") else item
        if slug not in by_slug:
            hint = ", ".join(sorted(by_slug)[:5])
            raise CommandLineError(Problem("gloss names", 0, 0, "error", f"no article `{item}` in this edition",
                                     f"name an article by its slug or content/ path, e.g. {hint}" if hint
                                     else "import one first: gloss import FILE"))
        chosen.append(by_slug[slug])
    return chosen


def _picked(entries: list[NameToGloss], pick: list[str]) -> list[NameToGloss]:
    """--pick takes numbers from the listing (1, 3-5), names or ids."""
    wanted: set[int] = set()
    for item in ",".join(pick).split(","):
        item = item.strip()
        if not item:
            continue
        if item.replace("-", "").isdigit() and item[0].isdigit():
            low, _, high = item.partition("-")
            wanted.update(range(int(low), int(high or low) + 1))
            continue
        matches = [i for i, e in enumerate(entries, start=1) if item in (e.found.name, e.entity_id)]
        if not matches:
            raise CommandLineError(Problem("--pick", 0, 0, "error", f"`{item}` is none of the names listed",
                                     "give the number, the name or the id gloss names shows"))
        wanted.update(matches)
    return [e for i, e in enumerate(entries, start=1) if i in wanted]


def _print_text(entries: list[NameToGloss], articles, root: Path) -> None:
    if not entries:
        print(f"No names left to gloss in {len(articles)} article{'s' * (len(articles) != 1)}.")
        return
    current = None
    for number, entry in enumerate(entries, start=1):
        if entry.article is not current:
            current = entry.article
            count = sum(1 for e in entries if e.article is current)
            path = current.path
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(root.resolve())
            print(f"{path.as_posix()}: {count} name{'s' * (count != 1)} to gloss")
        assert entry.found.kind is not None
        print(f"{number:4}. {describe(entry)} — line {entry.line}:{entry.col} — {entry.found.kind.kind}: "
              f"{entry.found.kind.reason}")
        if entry.alias_of:
            print(f"      add the alias \"{entry.found.name}\" to {entry.alias_of_path} (the same name but for "
                  "accents, case or apostrophes)")
        else:
            print(f"      {entry.command}")
    print(f"{len(entries)} name{'s' * (len(entries) != 1)}. Scaffold some with: gloss names --write --pick 1,3-5")


def _write(site_file: Path, entries: list[NameToGloss]) -> int:
    from ..scaffold import new_entity

    done: set[str] = set()
    failed = 0
    for entry in entries:
        if entry.alias_of or entry.entity_id in done:
            continue
        done.add(entry.entity_id)
        try:
            new_entity(site_file, entry.kind if entry.kind != "KIND" else "person", entry.entity_id,
                       name=entry.found.name, aliases=entry.found.aliases[1:])
        except GlossError as exc:
            print(str(exc.problem), file=sys.stderr)
            failed += 1
    return 1 if failed else 0
