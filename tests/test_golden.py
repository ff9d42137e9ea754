"""Golden files for the bundled edition. Regenerate after an intended change with `make golden`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build
from generator.importer import import_article, render_article_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
# The seed as shared with the team, or the copy kept in tests/fixtures/seed/ when shared/ is not beside us.
_SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "edm-16-72-putin-lavrov-rebuff-pompeo.txt"
SEED = _SHARED_SEED if _SHARED_SEED.exists() else (Path(__file__).parent / "fixtures" / "seed" / _SHARED_SEED.name)
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


def test_the_bundled_article_is_what_the_importer_makes_of_the_seed():
    imported = render_article_file(import_article(SEED))
    assert (ROOT / "content" / f"{SLUG}.md").read_text(encoding="utf-8") == imported


def test_the_kept_copy_of_the_seed_is_the_shared_seed():
    if not _SHARED_SEED.exists():
        pytest.skip("shared/ is not beside this checkout: the kept copy is used")
    kept = Path(__file__).parent / "fixtures" / "seed" / _SHARED_SEED.name
    assert kept.read_bytes() == _SHARED_SEED.read_bytes()
