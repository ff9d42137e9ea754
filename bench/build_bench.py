"""Build speed of `gloss build` against the markdown-it-py floor, on the shared benchmark corpus.

    .venv/bin/python bench/build_bench.py            # 1,000 and 5,000 articles, 500 entities
    .venv/bin/python bench/build_bench.py --quick    # 1,000 articles only

For each edition size it prints, from one run: a clean build (no build/, no .gloss-cache/) and a
rebuild after touching one article and after editing one word of it — wall time, pages per second and
peak memory of `gloss build` — next to the markdown-it-py floor measured on the same articles in the
same run (interleaved with the gloss runs, so both see the same machine load), and the ratio
gloss / floor. Then it times the alias matcher alone (Matcher.build, then Matcher.find over the same
text) with 10, 500 and 5,000 entities.

The floor is the one in ../shared/bench/baselines.sh: read each .md, drop the front matter,
MarkdownIt("commonmark").render, write one HTML file per article, in a single process.

Editions are made with make_corpus.py under .bench/ (git-ignored) and reused when present.
This is a program, not a timed test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
CORPUS_SCRIPT = Path(os.environ.get("GLOSS_CORPUS_SCRIPT", ROOT.parent / "shared" / "bench" / "make_corpus.py"))
PYTHON = sys.executable
CODE = WORK / "code"  # a snapshot of generator/ taken at the start, so edits made meanwhile do not count
GLOSS = [PYTHON, "-m", "generator"]
ENTITIES = 500
SITE_TOML = 'title = "Benchmark edition"\ndescription = "make_corpus.py articles and entities"\n'

# The floor, as defined by ../shared/bench/baselines.sh (its mdit_floor.py without --jinja).
FLOOR = '''\
import pathlib, sys
from markdown_it import MarkdownIt

src, out = pathlib.Path(sys.argv[-2]), pathlib.Path(sys.argv[-1])
md = MarkdownIt("commonmark")
for path in sorted(src.glob("*.md")):
    _, front, body = path.read_text(encoding="utf-8").split("+++\\n", 2)
    html = md.render(body)
    dest = out / path.stem / "index.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(html, encoding="utf-8")
'''


# ----------------------------------------------------------------------------------------- running


@dataclass
class Run:
    seconds: float
    peak_mib: float  # max RSS of the largest single process (the build or one of its workers)
    tree_mib: float  # sampled (every 0.1 s) peak of the summed Pss of the build and its workers
    cpu: float = 0.0  # user + system CPU seconds of the build and its workers (less noisy than wall time)


def _tree_pss_kib(pid: int) -> int:
    """Summed proportional set size (Pss) of a process and its descendants, from /proc: what they use
    together, each page shared by the forked workers counted once."""
    total, queue = 0, [pid]
    while queue:
        current = queue.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    queue.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path) -> Run:
    """Run a command to completion; its wall time and peak memory (wait4's rusage covers its workers)."""
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_pss_kib(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{output.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024, peak_tree / 1024, usage.ru_utime + usage.ru_stime)


def snapshot() -> None:
    """Copy generator/ (code and default theme) to .bench/code/: the builds run that copy, so another engineer
    saving a file in the shared tree mid-run neither invalidates the cache nor mixes two versions."""
    shutil.rmtree(CODE, ignore_errors=True)
    shutil.copytree(ROOT / "generator", CODE / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    run([PYTHON, "-c", "import generator.cli, generator.build"], ROOT)  # compile it before anything is timed


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# ----------------------------------------------------------------------------------------- editions


def corpus(articles: int, entities: int) -> Path:
    """An edition from make_corpus.py under .bench/, made once and reused."""
    folder = WORK / f"edition-{articles}-{entities}"
    stamp = folder / ".made"
    wanted = f"make_corpus.py --articles {articles} --entities {entities} --seed 1\n"
    if not (stamp.is_file() and stamp.read_text() == wanted):
        if not CORPUS_SCRIPT.is_file():
            sys.exit(f"{CORPUS_SCRIPT} not found: set GLOSS_CORPUS_SCRIPT to make_corpus.py")
        print(f"making {folder.relative_to(ROOT)} …", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([PYTHON, str(CORPUS_SCRIPT), "--articles", str(articles), "--entities", str(entities),
                        "--seed", "1", "--out", str(folder), "--force"], check=True, stdout=subprocess.DEVNULL)
        (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
        stamp.write_text(wanted)
    return folder


def html_files(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# ----------------------------------------------------------------------------------------- builds


def floor_run(edition: Path) -> Run:
    out = WORK / "floor-out"
    shutil.rmtree(out, ignore_errors=True)
    script = WORK / "mdit_floor.py"
    if not script.is_file() or script.read_text() != FLOOR:
        script.write_text(FLOOR)
    return run([PYTHON, str(script), str(edition / "content"), str(out)], WORK)


def clean_build(edition: Path) -> Run:
    shutil.rmtree(edition / "build", ignore_errors=True)
    shutil.rmtree(edition / ".gloss-cache", ignore_errors=True)
    return run([*GLOSS, "build", "--quiet"], edition)


def rebuild(edition: Path) -> Run:
    return run([*GLOSS, "build", "--quiet"], edition)


def first_article(edition: Path) -> Path:
    return sorted((edition / "content").glob("*.md"))[0]


def edit_one_word(article: Path) -> str:
    """Change one word of the first paragraph (one that names no entity); returns the original text."""
    original = article.read_text(encoding="utf-8")
    for word, other in (("frank", "candid"), ("constructive", "productive"), ("hour", "afternoon")):
        if word in original:
            article.write_text(original.replace(word, other, 1), encoding="utf-8")
            return original
    article.write_text(original + "\nOne more sentence.\n", encoding="utf-8")
    return original


def same_tree(a: Path, b: Path) -> bool:
    """Every file in both folders, byte for byte."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / p).read_bytes() == (b / p).read_bytes() for p in files_a)


def bench_edition(articles: int, runs: int, verify: bool) -> None:
    edition = corpus(articles, ENTITIES)
    print(f"\n== {articles:,} articles, {ENTITIES} entities — load average before: {load_average()}", flush=True)
    floors: list[Run] = []
    cleans: list[Run] = []
    touches: list[Run] = []
    edits: list[Run] = []
    floor_run(edition)  # warm the file cache and the imports
    for _ in range(runs):
        floors.append(floor_run(edition))
        cleans.append(clean_build(edition))
        floors.append(floor_run(edition))
        article = first_article(edition)
        os.utime(article)
        touches.append(rebuild(edition))
        original = edit_one_word(article)
        try:
            edits.append(rebuild(edition))
            if verify:
                fresh = WORK / "verify-out"
                shutil.rmtree(fresh, ignore_errors=True)
                run([*GLOSS, "build", "--quiet", "--no-cache", "--out", str(fresh)], edition)
                verdict = "identical" if same_tree(edition / "build", fresh) else "DIFFERENT"
                print(f"   rebuild after the edit vs. a clean build without cache: {verdict}")
                shutil.rmtree(fresh, ignore_errors=True)
        finally:
            article.write_text(original, encoding="utf-8")
    pages = html_files(edition / "build")
    floor = statistics.median(r.seconds for r in floors)
    print(f"   (median of {runs} run(s) each; floor: {len(floors)} runs interleaved; pages: {pages} HTML files, "
          f"floor writes {articles})")
    print(f"   {'':34} {'wall s':>7} {'pages/s':>8} {'peak MiB':>9} {'all Pss MiB':>12} {'÷ floor':>8}")
    rows = [("markdown-it-py floor (1 process)", floors, articles),
            ("gloss build, clean", cleans, pages),
            ("gloss build, one article touched", touches, pages),
            ("gloss build, one word edited", edits, pages)]
    for label, results, count in rows:
        seconds = statistics.median(r.seconds for r in results)
        peak = max(r.peak_mib for r in results)
        tree = max(r.tree_mib for r in results)
        print(f"   {label:34} {seconds:7.2f} {count / seconds:8.0f} {peak:9.0f} {tree:12.0f} {seconds / floor:8.2f}")
    print("   peak MiB: max RSS of the largest single process (the build or one of its workers, from wait4);\n"
          "   all Pss MiB: peak of the processes' summed Pss, sampled every 0.1 s (shared pages counted once)")
    print(f"   load average after: {load_average()}", flush=True)


# ----------------------------------------------------------------------------------------- matcher


def bench_matcher(runs: int) -> None:
    """Matcher.build and Matcher.find over the same text with 10, 500 and 5,000 entities."""
    sys.path.insert(0, str(CODE))
    from generator.match.matcher import Matcher, normalise

    text_edition = corpus(1000, ENTITIES)
    paragraphs: list[str] = []
    for path in sorted((text_edition / "content").glob("*.md"))[:300]:
        body = path.read_text(encoding="utf-8").split("+++\n", 2)[2]
        paragraphs.extend(normalise(" ".join(p.split())) for p in body.split("\n\n") if p.strip())
    words = sum(len(p.split()) for p in paragraphs)
    sets = {10: _entities(13)[:10], 500: _entities(500), 5000: _entities(5000)}
    print(f"\n== matcher alone: {len(paragraphs):,} paragraphs, {words:,} words (300 articles), "
          f"load average {load_average()}")
    print(f"   {'entities':>8} {'aliases':>8} {'build ms':>9} {'find s':>8} {'matches':>8} {'÷ 10 entities':>14}")
    builds: dict[int, list[float]] = {count: [] for count in sets}
    finds: dict[int, list[float]] = {count: [] for count in sets}
    found: dict[int, int] = {}
    for _ in range(runs):  # the sizes interleaved, so each sees the same machine load
        for count, entities in sets.items():
            re.purge()  # the automaton is a compiled regular expression: time compiling it, not re's cache
            started = time.perf_counter()
            matcher = Matcher.build(entities)
            builds[count].append(time.perf_counter() - started)
            started = time.perf_counter()
            found[count] = sum(len(matcher.find(paragraph)) for paragraph in paragraphs)
            finds[count].append(time.perf_counter() - started)
    base = min(finds[10])
    for count, entities in sets.items():
        aliases = sum(len(names) for _, names in entities)
        find = min(finds[count])
        print(f"   {count:8,} {aliases:8,} {min(builds[count]) * 1000:9.1f} {find:8.3f} {found[count]:8,} "
              f"{find / base:14.2f}")
    print("   (best of the runs; `find s` excludes building the automaton)")


def _entities(count: int) -> list[tuple[str, tuple[str, ...]]]:
    """(id, name and aliases) of the first `count` entities make_corpus.py makes (same seed, same order)."""
    import tomllib

    folder = WORK / f"entities-{count}"
    if not (folder / "annotations").is_dir():
        subprocess.run([PYTHON, str(CORPUS_SCRIPT), "--articles", "0", "--entities", str(count), "--seed", "1",
                        "--out", str(folder), "--force"], check=True, stdout=subprocess.DEVNULL)
    entities = []
    for path in sorted((folder / "annotations").rglob("*.md")):
        meta = tomllib.loads(path.read_text(encoding="utf-8").split("+++\n", 2)[1])
        entities.append((path.stem, (meta["name"], *meta.get("aliases", []))))
    return entities


def dense_edition(mentions: int, per_line: bool) -> Path:
    """One article of `mentions` lines, each the name of one entity: one paragraph of lines (every row's
    sentence runs on) or a paragraph a line."""
    folder = WORK / f"dense-{mentions}-{'lines' if per_line else 'paragraphs'}"
    if not (folder / "site.toml").is_file():
        (folder / "content").mkdir(parents=True, exist_ok=True)
        (folder / "annotations/people").mkdir(parents=True, exist_ok=True)
        (folder / "annotations/people/sergei-lavrov.md").write_text(
            '+++\nname = "Sergei Lavrov"\naliases = ["Lavrov"]\nsummary = "A minister."\n+++\nA minister.\n')
        separator = "\n" if per_line else "\n\n"
        (folder / "content/dense.md").write_text('+++\ntitle = "Dense"\n+++\n'
                                                 + separator.join(["Sergei Lavrov"] * mentions) + "\n")
        (folder / "site.toml").write_text('title = "Dense"\n')
    return folder


def bench_mention_memory() -> None:
    """Memory per mention: the peak of a clean build of one mention-dense article at two sizes; the difference
    over the difference in mentions is what each mention costs (what bounds MAX_MENTIONS, README "Limits")."""
    print("\nmemory per mention (one article, every line the name of one entity; clean build, no cache):")
    for per_line in (True, False):
        peaks = {}
        for mentions in (20_000, 40_000):
            edition = dense_edition(mentions, per_line)
            shutil.rmtree(edition / "build", ignore_errors=True)
            peaks[mentions] = run([*GLOSS, "build", "--quiet", "--no-cache"], edition).peak_mib
        per = (peaks[40_000] - peaks[20_000]) * 1024 / 20_000
        shape = "one paragraph of lines" if per_line else "a paragraph a line"
        print(f"  {shape:24} 20,000: {peaks[20_000]:6.0f} MiB  40,000: {peaks[40_000]:6.0f} MiB  "
              f"-> {per:.1f} KiB a mention")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 articles only")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each build (median reported)")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip comparing the rebuilt site with a clean build made without the cache")
    parser.add_argument("--matcher-only", action="store_true", help="only time the matcher")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    snapshot()
    print(f"gloss build benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {load_average()}")
    if not args.matcher_only:
        for articles in (1000,) if args.quick else (1000, 5000):
            bench_edition(articles, args.runs if articles == 1000 else max(1, args.runs - 2),
                          verify=not args.no_verify and articles == 1000)
    bench_matcher(args.runs)
    if not args.matcher_only:
        bench_mention_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
