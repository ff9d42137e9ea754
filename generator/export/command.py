"""`gloss export tei|entities`: the edition's text as TEI, and its entities as a table."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from ..problems import Problems
from ..render.urls import relative_url

ENTITY_COLUMNS = ("id", "kind", "name", "aliases", "sort_name", "summary", "born", "died", "date", "end", "founded",
                  "dissolved", "wikidata", "viaf", "geonames", "gnd", "orcid", "mentions", "mentions_by_article",
                  "page")


def export_command(site_file: Path, what: str, fmt: str = "csv", out: Path | None = None) -> int:
    """Run the analysis (as `gloss check` does, nothing written to build/) and export from it."""
    from ..build import analyse

    problems = Problems(root=site_file.parent)
    site = analyse(site_file, problems)
    if problems.errors:
        print(problems.as_text(), file=sys.stderr)
        print(f"Export failed: {len(problems.errors)} error(s) in the edition; fix them first (gloss check).",
              file=sys.stderr)
        return 1
    edition = site.edition
    root = edition.config.root
    if what == "tei":
        from .tei import write_tei

        target = out or root / "tei"
        forbidden = [root / "content", root / "annotations", *edition.theme_dirs]
        resolved = target.resolve()
        if resolved == root.resolve() or any(resolved == f.resolve() or f.resolve() in resolved.parents
                                             for f in forbidden):
            print(f"{target}: error: the TEI files would be written among the edition's own files — "
                  "choose another --out folder, e.g. tei/", file=sys.stderr)
            return 2
        assert site.pages is not None
        glosses = {entity_id: site.pages.gloss(entity)[0] for entity_id, entity in edition.entities.items()}
        entity_of = {relative_url("index.html", e.output): e.id for e in edition.entities.values()}
        written = write_tei(edition, site.pages.bodies, glosses, entity_of, target)  # (each article's RenderedArticle)
        print(f"Wrote {len(written)} TEI file{'s' * (len(written) != 1)} into {target}/", file=sys.stderr)
        return 0
    rows = entity_rows(site)
    text = entities_json(rows) if fmt == "json" else entities_csv(rows)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {len(rows)} entities to {out}", file=sys.stderr)
    return 0


def entity_rows(site) -> list[dict]:
    """One row per entity, sorted by kind then sort name: names, dates, authority ids and mention counts."""
    edition, links = site.edition, site.links
    rows = []
    order = {key: n for n, key in enumerate(edition.config.kinds)}
    for entity in sorted(edition.entities.values(), key=lambda e: (order.get(e.kind.key, 99), e.sort_key)):
        by_article: dict[str, int] = {}
        for mention in links.mentions[entity.id]:
            by_article[mention.article] = by_article.get(mention.article, 0) + 1
        row: dict = {"id": entity.id, "kind": entity.kind.key, "name": entity.name,
                     "aliases": [a for a in entity.aliases if a != entity.name],
                     "sort_name": entity.sort_name or entity.name, "summary": entity.summary}
        for field in ("born", "died", "date", "end", "founded", "dissolved"):
            row[field] = entity.dates[field].iso() if field in entity.dates else ""
        for field in ("wikidata", "viaf", "geonames", "gnd", "orcid"):
            row[field] = entity.authorities.get(field, "")
        row["mentions"] = sum(by_article.values())
        row["mentions_by_article"] = by_article
        row["page"] = entity.output
        rows.append(row)
    return rows


def entities_json(rows: list[dict]) -> str:
    return json.dumps({"entities": rows}, ensure_ascii=False, indent=2) + "\n"


def entities_csv(rows: list[dict]) -> str:
    """CSV with a header row; aliases joined with "; ", mentions per article as "slug=count; …"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ENTITY_COLUMNS)
    for row in rows:
        values = dict(row)
        values["aliases"] = "; ".join(row["aliases"])
        values["mentions_by_article"] = "; ".join(f"{slug}={count}" for slug, count in row["mentions_by_article"].items())
        writer.writerow([values[c] for c in ENTITY_COLUMNS])
    return buffer.getvalue()
