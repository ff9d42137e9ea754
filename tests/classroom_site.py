"""A small course: three fixture articles made from the bundled one (its first one, two and four paragraphs, so
three different lengths), with the bundled annotations and the passage notes and pins whose quotes they keep.
Used by the handout (page fill), course reader and EPUB tests."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi"
PARTS = {"sochi-phone-call": (1, "The phone call of 3 May", 1), "sochi-two-crises": (2, "Two crises", 2),
         "sochi-the-meetings": (4, "The Sochi meetings", 3)}


def _toml_entry(kind: str, entry: dict) -> str:
    return f"[[{kind}]]\n" + "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
                                      for key, value in entry.items()) + "\n"


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def make_course(folder: Path, base_url: str = "https://example.org/course/") -> Path:
    """Write the course edition into `folder`; returns its site.toml."""
    shutil.copytree(ROOT / "annotations", folder / "annotations", ignore=shutil.ignore_patterns("notes"))
    (folder / "annotations" / "notes").mkdir()
    (folder / "content").mkdir(parents=True)
    text = (ROOT / "content" / f"{BUNDLED}.md").read_text(encoding="utf-8")
    _, front, body = text.split("+++", 2)
    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if not p.startswith(":::")]
    sidecar = tomllib.loads((ROOT / "annotations" / "notes" / f"{BUNDLED}.toml").read_text(encoding="utf-8"))
    for slug, (count, title, order) in PARTS.items():
        kept = "\n\n".join(paragraphs[:count])
        head = front.replace('title = "Putin and Lavrov Rebuff Pompeo’s Overtures in Sochi"',
                             f'title = "{title}"\norder = {order}\nrights = "Text © The Jamestown Foundation"')
        (folder / "content" / f"{slug}.md").write_text(f"+++{head}+++\n\n{kept}\n", encoding="utf-8")
        flat = _flat(kept)
        entries = []
        for kind in ("note", "pin", "skip", "question"):
            for entry in sidecar.get(kind, []):
                quote = _flat(entry.get("prefix", "") + entry["exact"] + entry.get("suffix", ""))
                if quote in flat:
                    entries.append(_toml_entry(kind, entry))
        (folder / "annotations" / "notes" / f"{slug}.toml").write_text("".join(entries), encoding="utf-8")
    (folder / "site.toml").write_text(
        'title = "A course on Russia and the US, 2019"\nauthor = "The Gloss editors"\nlanguage = "en"\n'
        f'base_url = "{base_url}"\n', encoding="utf-8")
    return folder / "site.toml"
