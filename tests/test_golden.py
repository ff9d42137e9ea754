"""Golden files for the bundled edition. Regenerate after an intended change with `make golden`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build
from generator.importer import import_article, render_article_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SEED = ROOT.parent / "shared" / "seed" / "edm-16-72-putin-lavrov-rebuff-pompeo.txt"
SLUG = "putin-and-lavrov-rebuff-pompeos-overtures-in-sochi"


def compare(actual: str, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GLOSS_REGEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the golden file; if intended, run `make golden`"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    report = build(ROOT / "site.toml", output=tmp_path_factory.mktemp("bundled") / "build")
    assert not report.problems.items, report.problems.as_text()
    return report.output


def test_golden_bundled_article_page(bundled):
    compare((bundled / f"{SLUG}.html").read_text(encoding="utf-8"), "bundled-article.html")


def test_golden_bundled_entity_page(bundled):
    compare((bundled / "people/sergei-lavrov.html").read_text(encoding="utf-8"), "bundled-sergei-lavrov.html")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside this checkout")
def test_the_bundled_article_is_what_the_importer_makes_of_the_seed():
    imported = render_article_file(import_article(SEED))
    assert (ROOT / "content" / f"{SLUG}.md").read_text(encoding="utf-8") == imported
