"""Gloss as a stranger installs it: the sdist and wheel `python -m build` makes, checked by twine, installed
into a fresh virtual environment that cannot see this source tree, and used there the way the README and
the Pages workflow use it. Also: one version string everywhere, and workflows that GitHub's schema accepts
and zizmor finds nothing high in."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.workflow import default_spec, pages_workflow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    """Run a command; fail with its output when it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


def clean_env(extra_path: Path | None = None) -> dict[str, str]:
    """The environment of a stranger's shell: no PYTHONPATH, no virtual environment of ours on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != BIN.resolve()]
    env["PATH"] = os.pathsep.join(([str(extra_path)] if extra_path else []) + path)
    env["PYTHONNOUSERSITE"] = "1"
    return env


# ------------------------------------------------------------------------------------------- one version


def test_one_version_string_in_the_command_the_metadata_and_the_workflow(tmp_path) -> None:
    from importlib.metadata import version

    shown = run([str(BIN / "gloss"), "--version"], cwd=tmp_path)
    assert shown.strip() == f"gloss {__version__}"
    assert version("gloss-editions") == __version__
    workflow = yaml.safe_load(pages_workflow())
    assert workflow["env"]["GLOSS_SPEC"] == default_spec() == f"gloss-editions=={__version__}"


def test_gloss_init_writes_the_spec_it_is_given_as_one_line_at_the_top(tmp_path) -> None:
    spec = 'git+https://github.com/owner/gloss@v0.2.0#egg="x"\\y'
    run([str(BIN / "gloss"), "init", "ed", "--gloss-spec", spec], cwd=tmp_path)
    text = (tmp_path / "ed" / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["env"]["GLOSS_SPEC"] == spec
    assert [n for n, line in enumerate(text.splitlines()) if "GLOSS_SPEC:" in line][0] < 12
    bad = subprocess.run([str(BIN / "gloss"), "init", "ed2", "--gloss-spec", "a\nb"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "one line" in bad.stderr and not (tmp_path / "ed2").exists()


# ------------------------------------------------------------------------------------------ workflows


def _workflow_files(tmp_path: Path) -> list[Path]:
    run([str(BIN / "gloss"), "init", "edition"], cwd=tmp_path)
    return [*WORKFLOWS, tmp_path / "edition" / ".github" / "workflows" / "pages.yml"]


def test_every_workflow_passes_githubs_schema(tmp_path) -> None:
    files = _workflow_files(tmp_path)
    assert len(files) >= 3  # pages.yml and release.yml here, and the one gloss init writes
    run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        cwd=tmp_path)


def test_zizmor_finds_nothing_of_medium_or_high_severity_in_any_workflow(tmp_path) -> None:
    files = _workflow_files(tmp_path)
    done = subprocess.run([str(BIN / "zizmor"), "--offline", "--min-severity", "medium", "--format", "plain",
                           *map(str, files)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    for file in files:
        for action in re.findall(r"uses:\s*(\S+)", file.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{file.name}: {action} is not pinned"


def test_the_zizmor_gate_can_fail(tmp_path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v4\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "unpinned" in done.stdout + done.stderr


# ---------------------------------------------------------------------------------- the release itself


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build`: the sdist, then the wheel built from the sdist (so the sdist is complete too)."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source") / "gloss"
    # A copy of what git tracks, so stray files in a working tree (caches, builds, venvs) cannot leak in.
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file() and not name.startswith("tests/import_pages/"):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name, follow_symlinks=False)
    run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=source, timeout=900)
    return out


@pytest.mark.package
def test_sdist_and_wheel_pass_twine_and_hold_everything_gloss_needs(dist) -> None:
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert [w.name for w in wheels] == [f"gloss_editions-{__version__}-py3-none-any.whl"]
    assert [s.name for s in sdists] == [f"gloss_editions-{__version__}.tar.gz"]
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)], cwd=dist)
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    # Every file of the package that git tracks (templates, CSS, JS, schemas, vendored files and their
    # licences) is in the wheel.
    tracked = subprocess.run(["git", "ls-files", "generator"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    missing = [n for n in tracked if (ROOT / n).is_file() and n not in names]
    assert missing == [], f"not in the wheel: {missing}"
    info = f"gloss_editions-{__version__}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheels[0]).read(f"{info}/METADATA").decode()
    for field in ("License-Expression: MIT", "Requires-Python: >=3.11", "Classifier: Programming Language :: "
                  "Python :: 3.11", "Project-URL: ", "Provides-Extra: pdf", "Requires-Dist: markdown-it-py"):
        assert field in metadata, field
    assert "gloss = generator.cli:main" in zipfile.ZipFile(wheels[0]).read(f"{info}/entry_points.txt").decode()


@pytest.fixture(scope="module")
def stranger(dist, tmp_path_factory) -> Path:
    """A fresh virtual environment, outside this tree, with the wheel installed: its bin folder."""
    home = tmp_path_factory.mktemp("stranger")
    venv.EnvBuilder(with_pip=True, clear=True).create(home / "venv")
    bin_dir = home / "venv" / "bin"
    wheel = next(dist.glob("*.whl"))
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        cwd=home, env=clean_env(), timeout=900)
    return bin_dir


ARTICLE_TXT = """\
The Stone Bridge of Regensburg

By Jane Historian
29 May 2023

The Stone Bridge crosses the Danube at Regensburg. It was built in the twelfth century and was for
centuries the only crossing of the river for a long way up and down stream.

Merchants from Venice and Kiev crossed it, and the city grew rich on the trade.
"""


@pytest.mark.package
def test_a_stranger_installs_the_wheel_and_makes_an_edition(stranger, tmp_path) -> None:
    env = clean_env(stranger)
    where = run([str(stranger / "python"), "-c", "import generator; print(generator.__file__)"], cwd=tmp_path,
                env=env)
    assert str(stranger.parent) in where and str(ROOT) not in where, where  # the wheel, not this tree
    gloss = str(stranger / "gloss")
    assert run([gloss, "--version"], cwd=tmp_path, env=env).strip() == f"gloss {__version__}"
    run([gloss, "init", "bridges", "--title", "Bridges"], cwd=tmp_path, env=env)
    edition = tmp_path / "bridges"
    (tmp_path / "bridge.txt").write_text(ARTICLE_TXT, encoding="utf-8")
    run([gloss, "import", str(tmp_path / "bridge.txt"), "--slug", "stone-bridge"], cwd=edition, env=env)
    run([gloss, "new", "place", "regensburg", "--name", "Regensburg"], cwd=edition, env=env)
    entity = edition / "annotations" / "places" / "regensburg.md"
    entity.write_text(entity.read_text(encoding="utf-8").replace('summary = ""', 'summary = "A city on the '
                      'Danube in Bavaria."'), encoding="utf-8")
    run([gloss, "check"], cwd=edition, env=env)
    run([gloss, "build"], cwd=edition, env=env)
    page = (edition / "build" / "stone-bridge.html").read_text(encoding="utf-8")
    assert "Regensburg" in page and 'href="places/regensburg.html"' in page
    assert (edition / "build" / "assets").is_dir()
    run([gloss, "handout", "stone-bridge"], cwd=edition, env=env)
    assert "Regensburg" in (edition / "handouts" / "stone-bridge.html").read_text(encoding="utf-8")


@pytest.mark.package
def test_the_pages_workflow_installs_and_builds_from_a_wheel(stranger, dist, tmp_path) -> None:
    """The install and build steps of the workflow `gloss init` writes, run as GitHub would run them (bash,
    the workflow's env, the step's env) in a clean virtual environment, with GLOSS_SPEC a local wheel."""
    env = clean_env(stranger)
    wheel = next(dist.glob("*.whl"))
    run([str(stranger / "gloss"), "init", "edition", "--gloss-spec", str(wheel)], cwd=tmp_path, env=env)
    edition = tmp_path / "edition"
    (edition / "content" / "bridge.md").write_text('+++\ntitle = "The Stone Bridge"\n+++\nIt crosses the '
                                                     "Danube.\n", encoding="utf-8")
    workflow = yaml.safe_load((edition / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    runner = tmp_path / "runner"  # setup-python's fresh Python: a new venv with nothing in it
    venv.EnvBuilder(with_pip=True, clear=True).create(runner)
    outputs = {"${{ steps.pages.outputs.base_url }}": "https://owner.github.io/edition"}
    ran = []
    for step in workflow["jobs"]["build"]["steps"]:
        if "run" not in step:
            continue
        step_env = {**clean_env(runner / "bin"), **workflow["env"]}
        for key, value in step.get("env", {}).items():
            step_env[key] = outputs.get(value, value)
        assert "${{" not in step["run"], "expressions go through env:, not into the script"
        run(["bash", "-e", "-c", step["run"]], cwd=edition, env=step_env, timeout=900)
        ran.append(step["name"])
    assert ran == ["Install Gloss", "Build the site for the address Pages gives it"]
    assert (runner / "bin" / "gloss").exists()
    four_oh_four = (edition / "build" / "404.html").read_text(encoding="utf-8")
    assert 'href="https://owner.github.io/edition/index.html"' in four_oh_four or \
        "https://owner.github.io/edition/" in four_oh_four
    assert (edition / "build" / "bridge.html").is_file()
