"""Rebuilds with .gloss-cache/ and the process pool give the same site, byte for byte, as a clean build.

Each test builds a small edition with the cache, changes one thing, rebuilds with the cache, and compares
every file with a clean build of the changed edition made without the cache (and the problems reported).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import build as build_module
from generator import pool
from generator.build import BuildFailed, build
from generator.cache import FOLDER

SITE = """
-- site.toml --
title = "Cache edition"
theme = "mine"
-- themes/mine/templates/404.html --
{% extends "base.html" %}
{% block main %}<h1>Lost</h1>{% endblock %}
-- content/alpha.md --
+++
title = "Alpha"
date = 2019-05-14
+++

Sergei Lavrov met Mike Pompeo in Sochi. Lavrov spoke first.

## Later

Pompeo answered. The Sochi talks ended. See [[vladimir-putin|the president]].
-- content/beta.md --
+++
title = "Beta"
date = 2019-05-15
+++

Vladimir Putin received Pompeo. Putin's aides said little.

A second paragraph that names nobody.
-- content/gamma.md --
+++
title = "Gamma"
date = 2019-05-16
+++

Lavrov and Putin, again, in Sochi.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov"]
summary = "Russia's foreign minister."
related = ["vladimir-putin"]
+++
Foreign minister since 2004; works for [[vladimir-putin]].
-- annotations/people/mike-pompeo.md --
+++
name = "Mike Pompeo"
aliases = ["Pompeo"]
+++
US Secretary of State in 2019.
-- annotations/people/vladimir-putin.md --
+++
name = "Vladimir Putin"
aliases = ["Putin"]
+++
President of Russia.
-- annotations/places/sochi.md --
+++
name = "Sochi"
+++
A resort city on the Black Sea.
-- annotations/notes/alpha.toml --
[[note]]
exact = "spoke first"
body = "As the host does."
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(built: Path, clean: Path) -> None:
    got, want = files_of(built), files_of(clean)
    assert sorted(got) == sorted(want)
    different = [name for name in want if got[name] != want[name]]
    assert not different, f"differ from a clean build: {different}"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edition(make_site):
    """The edition, built once with the cache (so the next build can use it)."""
    root = make_site(SITE)
    (root / "themes/mine/templates/article.html").write_text(
        (Path(build_module.__file__).parent / "themes/default/templates/article.html").read_text(encoding="utf-8"),
        encoding="utf-8")
    build(root / "site.toml")
    return root


def rebuild_and_compare(root: Path, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Rebuild with the cache; compare with a clean build without it; return build/ and its files' inodes."""
    before = {name: os.stat(root / "build" / name).st_ino for name in files_of(root / "build")}
    report = build(root / "site.toml")
    clean = build(root / "site.toml", output=tmp_path / "clean", cache=False)
    assert_same_site(root / "build", tmp_path / "clean")
    assert [str(p) for p in report.problems.sorted()] == [str(p) for p in clean.problems.sorted()]
    return root / "build", before


def reused(build_folder: Path, before: dict[str, int]) -> set[str]:
    """Pages the rebuild took from the previous build (the same file, hard-linked)."""
    return {name for name, inode in before.items()
            if (build_folder / name).exists() and os.stat(build_folder / name).st_ino == inode}


def test_a_touched_article_rebuilds_nothing(edition, tmp_path):
    os.utime(edition / "content/alpha.md")
    out, before = rebuild_and_compare(edition, tmp_path)
    pages = {name for name in before if name.endswith(".html")}
    assert pages <= reused(out, before)


def test_an_edited_article_renders_its_page_and_the_entities_it_changes(edition, tmp_path):
    edit(edition, "content/beta.md", "said little", "said nothing")
    out, before = rebuild_and_compare(edition, tmp_path)
    kept = reused(out, before)
    assert "beta.html" not in kept and "people/vladimir-putin.html" not in kept  # its sentence changed
    assert {"alpha.html", "gamma.html", "index.html", "people/sergei-lavrov.html", "places/sochi.html"} <= kept
    assert "said nothing" in (out / "beta.html").read_text(encoding="utf-8")


def test_a_new_mention_changes_counts_and_entity_pages(edition, tmp_path):
    edit(edition, "content/beta.md", "names nobody", "names Lavrov")
    out, before = rebuild_and_compare(edition, tmp_path)
    assert "people/sergei-lavrov.html" not in reused(out, before)


def test_a_changed_gloss(edition, tmp_path):
    edit(edition, "annotations/people/mike-pompeo.md", "US Secretary of State", "The US Secretary of State")
    rebuild_and_compare(edition, tmp_path)


def test_a_new_alias_changes_every_body(edition, tmp_path):
    edit(edition, "annotations/places/sochi.md", 'name = "Sochi"', 'name = "Sochi"\naliases = ["Black Sea"]')
    out, _ = rebuild_and_compare(edition, tmp_path)
    assert 'href="places/sochi.html">Black Sea</a>' not in (out / "alpha.html").read_text(encoding="utf-8")


def test_a_changed_template(edition, tmp_path):
    edit(edition, "themes/mine/templates/article.html", "{% block main %}", "{% block main %}<!-- mine -->")
    out, _ = rebuild_and_compare(edition, tmp_path)
    assert "<!-- mine -->" in (out / "alpha.html").read_text(encoding="utf-8")


def test_a_changed_site_toml(edition, tmp_path):
    edit(edition, "site.toml", "Cache edition", "Another title")
    rebuild_and_compare(edition, tmp_path)
    edit(edition, "site.toml", 'theme = "mine"', 'theme = "mine"\nnotes = "all"')
    rebuild_and_compare(edition, tmp_path)


def test_changed_front_matter_sidecar_and_articles(edition, tmp_path):
    edit(edition, "content/gamma.md", 'title = "Gamma"', 'title = "Gamma, retitled"')
    rebuild_and_compare(edition, tmp_path)
    edit(edition, "annotations/notes/alpha.toml", "As the host does.", "As hosts do.")
    rebuild_and_compare(edition, tmp_path)
    (edition / "content/beta.md").unlink()
    rebuild_and_compare(edition, tmp_path)
    (edition / "content/delta.md").write_text('+++\ntitle = "Delta"\n+++\n\nPompeo left Sochi.\n', encoding="utf-8")
    rebuild_and_compare(edition, tmp_path)


def test_a_template_that_reads_article_bodies_makes_every_body_count(edition, tmp_path):
    """A theme that declares it reads the Markdown (theme.toml): a page listing every article's is made again."""
    (edition / "themes/mine/theme.toml").write_text("reads_markdown = true\n", encoding="utf-8")
    (edition / "themes/mine/templates/home.html").write_text(
        '{% extends "base.html" %}{% block main %}{% for a in articles %}<p>{{ a.body|wordcount }}</p>'
        "{% endfor %}{% endblock %}\n", encoding="utf-8")
    build(edition / "site.toml")
    edit(edition, "content/gamma.md", "again, in Sochi", "again and again, in Sochi")
    rebuild_and_compare(edition, tmp_path)


def test_warnings_are_reported_again_from_the_cache(edition, tmp_path):
    (edition / "annotations/notes/beta.toml").write_text('[[skip]]\nexact = "nobody"\n', encoding="utf-8")
    first = build(edition / "site.toml")
    assert any("changes no mention" in p.message for p in first.problems.warnings)
    os.utime(edition / "content/beta.md")
    rebuild_and_compare(edition, tmp_path)


def test_a_failed_build_leaves_the_cache_usable(edition, tmp_path):
    edit(edition, "content/alpha.md", "See [[vladimir-putin|the president]]", "See [[nobody]]")
    with pytest.raises(BuildFailed):
        build(edition / "site.toml")
    edit(edition, "content/alpha.md", "See [[nobody]]", "See [[vladimir-putin|the president]]")
    rebuild_and_compare(edition, tmp_path)


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(edition, tmp_path):
    (edition / "build/alpha.html").write_text("edited by hand", encoding="utf-8")
    rebuild_and_compare(edition, tmp_path)


def test_a_damaged_or_deleted_cache_is_only_slower(edition, tmp_path):
    for entry in (edition / FOLDER / "bodies").iterdir():
        entry.write_bytes(b"not marshal data")
    edit(edition, "site.toml", "Cache edition", "Damaged")  # every body is looked up again
    rebuild_and_compare(edition, tmp_path)
    for entry in (edition / FOLDER).iterdir():
        if entry.is_file():
            entry.unlink()
    rebuild_and_compare(edition, tmp_path)


def test_the_process_pool_gives_the_same_bytes_as_one_process(make_site, tmp_path, monkeypatch):
    root = make_site(SITE)
    (root / "themes/mine/templates/article.html").unlink(missing_ok=True)
    build(root / "site.toml", output=tmp_path / "serial", cache=False, jobs=1)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    build(root / "site.toml", output=tmp_path / "pool", jobs=2)  # bodies and pages from two worker processes
    assert_same_site(tmp_path / "pool", tmp_path / "serial")
    edit(root, "content/alpha.md", "The Sochi talks ended.", "The Sochi talks ended late.")
    edit(root, "site.toml", "Cache edition", "Pool edition")  # every page again, in the pool
    build(root / "site.toml", output=tmp_path / "pool", jobs=2)
    build(root / "site.toml", output=tmp_path / "serial", cache=False, jobs=1)
    assert_same_site(tmp_path / "pool", tmp_path / "serial")


def test_errors_found_in_a_worker_are_reported(make_site, monkeypatch):
    root = make_site(SITE.replace("See [[vladimir-putin|the president]]", "See [[nobody]]"))
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    with pytest.raises(BuildFailed) as failed:
        build(root / "site.toml", jobs=2)
    assert any("[[nobody]] refers to an unknown entity" in p.message for p in failed.value.problems.errors)


def test_a_rebuild_checks_links_into_unchanged_articles_like_a_clean_build(edition, tmp_path):
    edit(edition, "content/alpha.md", "Pompeo answered.", "Pompeo answered ([more](beta.md#no-such-part)).")
    with pytest.raises(BuildFailed) as cached:
        build(edition / "site.toml")  # beta.md did not change: its body comes from the cache
    with pytest.raises(BuildFailed) as clean:
        build(edition / "site.toml", output=tmp_path / "clean", cache=False)
    assert [str(p) for p in cached.value.problems.sorted()] == [str(p) for p in clean.value.problems.sorted()]
    assert any("no-such-part" in p.message for p in cached.value.problems.errors)


def test_links_of_an_unchanged_article_are_checked_against_a_changed_one(edition, tmp_path):
    edit(edition, "content/gamma.md", "again, in Sochi.", "again, in Sochi ([see](alpha.md#later)).")
    build(edition / "site.toml")
    edit(edition, "content/alpha.md", "## Later", "## Afterwards")  # gamma's link now misses its anchor
    with pytest.raises(BuildFailed) as cached:
        build(edition / "site.toml")
    with pytest.raises(BuildFailed) as clean:
        build(edition / "site.toml", output=tmp_path / "clean", cache=False)
    assert [str(p) for p in cached.value.problems.sorted()] == [str(p) for p in clean.value.problems.sorted()]
    assert any(p.path == "content/gamma.md" for p in cached.value.problems.errors)


def test_a_cache_that_cannot_be_written_only_costs_time(edition, tmp_path, monkeypatch):
    from generator import cache

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "write_atomically", disk_full)
    edit(edition, "content/beta.md", "said little", "said less")
    rebuild_and_compare(edition, tmp_path)


def test_pruning_the_body_packs_keeps_what_is_used_and_repacks_mostly_stale_packs(tmp_path):
    """Bodies are stored several to a pack file; pruning removes packs none of whose bodies are used, and packs
    that are mostly old bodies are packed afresh, so edit after edit the cache stays near the edition's size."""
    from generator.cache import BuildCache

    store = BuildCache(tmp_path)
    store.write_bodies([(f"old{n}", b"x" * n) for n in range(70)])
    for n in range(70):
        store.write_bodies([(f"single{n}", b"s%d" % n)])
    store.prune([f"single{n}" for n in range(60)], articles=0)  # 60 single packs stay, the big one goes
    fresh = BuildCache(tmp_path)  # what the next build reads from disk
    assert sorted(fresh._packs()) == sorted(f"single{n}" for n in range(60))
    assert len(list((tmp_path / FOLDER / "bodies").iterdir())) == 60
    fresh.write_bodies([(f"new{n}", b"n") for n in range(10)])
    fresh.prune(["single3", "new1"], articles=0)  # 70 bodies, 2 used: two packs of 1 and 10 are kept as they are
    assert sorted(BuildCache(tmp_path)._packs()) == sorted(["single3"] + [f"new{n}" for n in range(10)])

    for n in range(70):  # 70 packs of two, one body of each still used
        fresh.write_bodies([(f"used{n}", b"u%d" % n), (f"stale{n}", b"t%d" % n)])
    fresh.prune([f"used{n}" for n in range(70)], articles=0)
    again = BuildCache(tmp_path)
    assert sorted(again._packs()) == sorted(f"used{n}" for n in range(70))
    assert all(again._read(f"used{n}") == b"u%d" % n for n in range(70))
    assert len(list((tmp_path / FOLDER / "bodies").iterdir())) == 2  # 64 + 6
