"""make bench-names: how well `gloss names` finds and kinds the names an editor would gloss.

Each bench/names/<article>.toml lists, by hand, the names an editor would gloss in <article>.md (or in the
article its `article` key names) with their kinds and the other forms the text writes them in. The articles
come from different kinds of source and five languages. A found name is right when one of its forms is the
name or a form of a listed entry not already found (a second entry for the same name counts as wrong);
precision = right / found, recall = listed entries found / listed, kinds = right kinds / right names.
Nothing here is tuned per article: every article goes through the same `gloss names` code.
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.names import names_in  # noqa: E402
from generator.names.gazetteer import fold  # noqa: E402

TARGETS = {"precision": 0.85, "recall": 0.95, "kinds": 0.85}


def score(gold_file: Path, verbose: bool) -> tuple[int, int, int, int, int]:
    gold = tomllib.loads(gold_file.read_text(encoding="utf-8"))
    article = ROOT / gold["article"] if "article" in gold else gold_file.with_suffix(".md")
    _, front, body = article.read_text(encoding="utf-8").split("+++", 2)
    language = tomllib.loads(front).get("language", "en")
    entries = gold["name"]
    forms = {}
    for index, entry in enumerate(entries):
        for form in [entry["name"], *entry.get("forms", [])]:
            forms.setdefault(fold(form), index)
    found = names_in(body.lstrip("\n"), language, cache_dir=ROOT / ".gloss-cache", keep=True)
    matched: dict[int, str] = {}
    right = kinds = 0
    wrong = []
    for name in found:
        index = next((forms[fold(f)] for f in name.forms if fold(f) in forms and forms[fold(f)] not in matched),
                     None)
        if index is None:
            wrong.append(name.name)
            continue
        assert name.kind is not None
        matched[index] = name.kind.kind
        right += 1
        if name.kind.kind == entries[index]["kind"]:
            kinds += 1
        elif verbose:
            print(f"    kind: {name.name} → {name.kind.kind} ({name.kind.reason}); listed as {entries[index]['kind']}")
    missed = [e["name"] for i, e in enumerate(entries) if i not in matched]
    print(f"  {article.name:58} [{language}] found {len(found):3}  precision {right / max(1, len(found)):.2f}  "
          f"recall {len(matched) / len(entries):.2f}  kinds {kinds / max(1, right):.2f}")
    if verbose:
        if wrong:
            print("    not listed:", ", ".join(wrong))
        if missed:
            print("    missed:", ", ".join(missed))
    return len(found), right, len(entries), len(matched), kinds


def main() -> int:
    verbose = "-v" in sys.argv
    started = time.perf_counter()
    totals = [0, 0, 0, 0, 0]
    files = sorted((ROOT / "bench" / "names").glob("*.toml"))
    print(f"gloss names on {len(files)} articles (micro-averaged over every name):")
    for gold in files:
        for i, value in enumerate(score(gold, verbose)):
            totals[i] += value
    found, right, listed, matched, kinds = totals
    figures = {"precision": right / found, "recall": matched / listed, "kinds": kinds / right}
    print(f"all: {listed} listed names, {found} found — " + ", ".join(
        f"{k} {v:.3f} (target ≥ {TARGETS[k]})" for k, v in figures.items())
        + f" — {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
