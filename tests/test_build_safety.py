"""Nothing lost (issue 7, point 5): a build killed half way leaves the previous site as it was; builds of one
edition run one at a time (a lock), so two at once do not corrupt each other; what a killed build leaves
behind is cleaned up by the next one; a build that fails while writing changes nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PATIENCE_S

from generator.build import build
from generator.write import build_lock

ROOT = Path(__file__).resolve().parent.parent
GLOSS = [sys.executable, "-m", "generator", "build", "--quiet"]


def make_edition(root: Path, people: int = 500, articles: int = 40) -> Path:
    """An edition big enough that writing it takes a good fraction of a second."""
    (root / "content").mkdir(parents=True)
    (root / "annotations/people").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Many people"\n')
    names = [f"Person{n:04d} Example" for n in range(people)]
    for n, name in enumerate(names):
        (root / f"annotations/people/p{n:04d}.md").write_text(
            f'+++\nname = "{name}"\nsummary = "Number {n}."\n+++\nA gloss for {name}.\n')
    for a in range(articles):
        paragraphs = [" ".join(f"{names[(a * 37 + k * 11 + j) % people]} met {names[(a * 13 + k * 7 + j * 3) % people]}."
                               for j in range(6)) for k in range(12)]
        (root / f"content/a{a:03d}.md").write_text(f'+++\ntitle = "Article {a}"\n+++\n' + "\n\n".join(paragraphs) + "\n")
    return root


@pytest.fixture(scope="module")
def edition_template(tmp_path_factory) -> Path:
    root = make_edition(tmp_path_factory.mktemp("big") / "site")
    build(root / "site.toml", cache=False)
    return root


@pytest.fixture
def edition(edition_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(edition_template, root, ignore=shutil.ignore_patterns(".gloss-cache"))
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".build."))


def processes_in(folder: Path) -> list[int]:
    """Processes whose command line names this folder (a build and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(folder) in command:
                found.append(int(entry.name))
    return found


def test_a_killed_build_leaves_the_previous_site(edition: Path):
    before = snapshot(edition / "build")
    (edition / "site.toml").write_text('title = "Many people, second edition"\n')  # every page changes
    # The build runs niced, so that on a busy machine this loop, not the build, gets the CPU when both want it:
    # otherwise the build could write every page between two looks and end before it can be killed.
    process = subprocess.Popen([*GLOSS, "--no-cache", "--site", str(edition)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.nice(10))
    deadline = time.monotonic() + 300
    written = 0
    while time.monotonic() < deadline and process.poll() is None:
        temp = next(edition.glob(".build.tmp-*"), None)
        written = sum(1 for _ in temp.rglob("*.html")) if temp else 0
        if written >= 20:  # half way through writing
            break
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"the build ended before it could be killed: {process.stderr.read()}"
    assert written >= 20
    assert snapshot(edition / "build") == before, "build/ is not the previous complete site"
    assert leftovers(edition) == [f".build.tmp-{process.pid}"]
    deadline = time.monotonic() + PATIENCE_S
    while processes_in(edition) and time.monotonic() < deadline:  # its workers end with it
        time.sleep(0.05)
    assert processes_in(edition) == []
    # the next build completes, and clears what the killed one left
    report = build(edition / "site.toml")
    assert report.output == edition / "build"
    assert leftovers(edition) == []
    assert "Many people, second edition" in (edition / "build/index.html").read_text()
    assert set(snapshot(edition / "build")) == set(before)


def test_concurrent_builds_do_not_corrupt_each_other(edition: Path, tmp_path: Path):
    (edition / "site.toml").write_text('title = "Many people, concurrently"\n')
    reference = tmp_path / "reference"
    assert subprocess.run([*GLOSS, "--no-cache", "--site", str(edition), "--out", str(reference)], cwd=ROOT).returncode == 0
    runs = [subprocess.Popen([*GLOSS, "--site", str(edition)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert sum("waiting for another gloss build" in err for _, err in results) == 1, results
    assert snapshot(edition / "build") == snapshot(reference)
    assert leftovers(edition) == []


def test_a_build_waits_for_the_lock(edition: Path):
    marker = (edition / "build/.gloss-build").stat().st_mtime_ns
    with build_lock(edition):
        process = subprocess.Popen([*GLOSS, "--site", str(edition)], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        line = process.stderr.readline()  # blocks until the build says it waits
        assert "waiting for another gloss build" in line
        time.sleep(0.3)
        assert process.poll() is None and (edition / "build/.gloss-build").stat().st_mtime_ns == marker
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert (edition / "build/.gloss-build").stat().st_mtime_ns != marker


def test_what_dead_builds_left_is_removed(edition: Path):
    dead = subprocess.Popen(["true"])  # its process id is free once it has ended
    dead.wait()
    for name in (f".build.tmp-{dead.pid}", f".build.old-{dead.pid}", ".build.tmp-1"):
        (edition / name / "people").mkdir(parents=True)
        (edition / name / "people/x.html").write_text("half")
    build(edition / "site.toml")
    assert leftovers(edition) == [".build.tmp-1"]  # pid 1 is alive: not ours to delete


def test_a_build_that_fails_while_writing_changes_nothing(edition: Path, capsys):
    from generator.cli import main

    before = snapshot(edition / "build")
    (edition / "site.toml").write_text('title = "Many people"\ntheme = "mine"\n')
    (edition / "themes/mine/templates").mkdir(parents=True)
    (edition / "themes/mine/templates/entity.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ entity.name }}'
        '{% if entity.id == "p0321" %}{{ 1 / 0 }}{% endif %}{% endblock %}\n')
    assert main(["build", "--quiet", "--site", str(edition)]) == 1
    err = capsys.readouterr().err
    assert "themes/mine/templates/entity.html:1: error: template failed: ZeroDivisionError" in err, err
    assert "the previous build was left as it was" in err
    assert snapshot(edition / "build") == before
    assert leftovers(edition) == []
