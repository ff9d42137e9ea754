"""What each commit cost the build: clean builds of one bench edition at a commit and at its parent, in CPU seconds.

    .venv/bin/python bench/attribute.py COMMIT [COMMIT …]            # each against its first parent
    .venv/bin/python bench/attribute.py --span 1f3452d main           # two commits only, no parents
    .venv/bin/python bench/attribute.py --rounds 5 --single 69393df   # also a one-process build of each

Each commit's generator/ is taken with `git archive` into WORK/code-<hash>/ (no worktree, nothing checked out)
and run as `python -m generator build --quiet` with PYTHONPATH pointing at it, by this venv's Python (its
packages are main's, a superset of what older commits need). The edition is make_corpus.py's 1,000 articles and
500 entities (seed 1) with bench/build_bench.py's site.toml, written once under WORK/edition/; every build is
clean (no build/, no .gloss-cache/).

The figure is CPU seconds, user + system, of the build and its worker processes (wait4's rusage covers the
children it reaped): on a shared machine it moves far less than wall time. The builds take turns: each round
runs every commit in history order, the next round in reverse order, so a commit and its parent run next to
each other and each goes first as often as the other. `--single` adds a one-process build of each (os.cpu_count
made to answer 1, which every version reads to size its pool) in the same rounds.

Every measurement is appended to WORK/runs.jsonl as it is taken (a stopped run keeps what it measured) and the
table is printed from that file; `--report` prints it again without building. The first round also records a
digest of each build's output, so a commit that changed what is built shows up beside what it cost.
This is a program, not a timed test: CI does not run it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CORPUS_SCRIPT = Path(os.environ.get("GLOSS_CORPUS_SCRIPT", ROOT.parent / "shared" / "bench" / "make_corpus.py"))
SITE_TOML = 'title = "Benchmark edition"\ndescription = "make_corpus.py articles and entities"\n'
# What --features-off adds to site.toml: search and the open-data exports off (keys main's schema declares).
FEATURES_OFF = "search = false\n\n[exports]\nannotations = false\nschema_org = false\ncite = false\n"
# A one-process build: every version sizes its pool with os.cpu_count() when it builds.
SINGLE = ("import os, runpy, sys; os.cpu_count = lambda: 1; sys.argv = ['gloss', *sys.argv[1:]]; "
          "runpy.run_module('generator', run_name='__main__', alter_sys=True)")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def code(work: Path, commit: str) -> Path:
    """The commit's generator/ under WORK/code-<hash>/, compiled before anything is timed."""
    folder = work / f"code-{commit}"
    if not (folder / "generator" / "__init__.py").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "generator"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(folder / "generator")], check=True,
                   stdout=subprocess.DEVNULL)
    return folder


def edition(work: Path, name: str, site_toml: str) -> Path:
    folder = work / name
    if not (folder / "content").is_dir():
        subprocess.run([PYTHON, str(CORPUS_SCRIPT), "--articles", "1000", "--entities", "500", "--seed", "1",
                        "--out", str(folder), "--force"], check=True, stdout=subprocess.DEVNULL)
    if not (folder / "site.toml").is_file() or (folder / "site.toml").read_text(encoding="utf-8") != site_toml:
        (folder / "site.toml").write_text(site_toml, encoding="utf-8")
    return folder


def digest(folder: Path) -> str:
    """One hash of every file's path and bytes under the folder."""
    total = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        total.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return total.hexdigest()[:12]


def clean_build(folder: Path, source: Path, single: bool) -> tuple[float, float, str]:
    """CPU seconds and wall seconds of one clean build; '' or the failure's last lines."""
    shutil.rmtree(folder / "build", ignore_errors=True)
    shutil.rmtree(folder / ".gloss-cache", ignore_errors=True)
    command = [PYTHON, "-c", SINGLE] if single else [PYTHON, "-m", "generator"]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "build", "--quiet"], cwd=folder, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(source)})
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    failed = "" if os.waitstatus_to_exitcode(status) == 0 else output.decode(errors="replace")[-600:]
    return usage.ru_utime + usage.ru_stime, wall, failed


def measure(work: Path, arms: list[tuple[str, str, Path]], rounds: int, modes: list[bool], first: int = 0) -> None:
    """arms: (label, commit, edition folder) in history order; modes: False for the pool, True for one process."""
    log = work / "runs.jsonl"
    sources = {commit: code(work, commit) for _, commit, _ in arms}
    for number in range(first, first + rounds):
        order = arms if number % 2 == 0 else arms[::-1]
        for label, commit, folder in order:
            for one in modes if number % 2 == 0 else modes[::-1]:
                cpu, wall, failed = clean_build(folder, sources[commit], one)
                row = {"label": label, "commit": commit, "mode": "single" if one else "pool", "round": number,
                       "cpu": round(cpu, 3), "wall": round(wall, 3), "load": os.getloadavg()[0],
                       "failed": failed, "at": time.strftime("%H:%M:%S", time.gmtime())}
                if number == 0 and not one and not failed:
                    row["output"] = digest(folder / "build")
                with log.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(row) + "\n")
                shown = f"FAILED: {failed.strip().splitlines()[-1]}" if failed else f"{cpu:6.2f} CPU-s {wall:6.2f} s"
                print(f"round {number + 1} {label:24} {row['mode']:6} {shown}", flush=True)


def _seconds(at: str) -> int:
    hours, minutes, seconds = (int(part) for part in at.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def table(work: Path, pairs: list[tuple[str, str]]) -> str:
    """Markdown: for each (parent label, commit label) and mode, median CPU-s of each with min–max, the change of
    the medians, and the paired change: each commit build against the parent build nearest it in time (they ran
    next to each other in the same round), the median of those ratios with their min–max."""
    rows: dict[tuple[str, str], list[tuple[int, float]]] = {}
    outputs: dict[str, str] = {}
    failures: dict[str, str] = {}
    for line in (work / "runs.jsonl").read_text(encoding="utf-8").splitlines():
        run = json.loads(line)
        if run["failed"]:
            failures[run["label"]] = run["failed"].strip().splitlines()[-1]
            continue
        rows.setdefault((run["label"], run["mode"]), []).append((_seconds(run["at"]), run["cpu"]))
        outputs.setdefault(run["label"], run.get("output", ""))
    lines = ["| parent → commit | mode | n | parent CPU-s median (min–max) | commit CPU-s median (min–max) "
             "| change of medians | paired change median (min–max) | output |", "|---|---|---|---|---|---|---|---|"]
    for before, after in pairs:
        for mode in ("pool", "single"):
            a, b = rows.get((before, mode), []), rows.get((after, mode), [])
            if not a or not b:
                if mode == "pool" and (before in failures or after in failures):
                    lines.append(f"| {before} → {after} | {mode} | – | {failures.get(before, '')} | "
                                 f"{failures.get(after, '')} | cannot build | | |")
                continue
            cpu_a, cpu_b = [cpu for _, cpu in a], [cpu for _, cpu in b]
            ma, mb = statistics.median(cpu_a), statistics.median(cpu_b)
            ratios = [cpu / min(a, key=lambda run: abs(run[0] - at))[1] - 1 for at, cpu in b]
            same = "same" if outputs.get(before) and outputs.get(before) == outputs.get(after) else "changed"
            lines.append(f"| {before} → {after} | {mode} | {len(a)}/{len(b)} "
                         f"| {ma:.2f} ({min(cpu_a):.2f}–{max(cpu_a):.2f}) | {mb:.2f} ({min(cpu_b):.2f}–{max(cpu_b):.2f}) "
                         f"| {(mb - ma) / ma * 100:+.1f} % | {statistics.median(ratios) * 100:+.1f} % "
                         f"({min(ratios) * 100:+.1f} to {max(ratios) * 100:+.1f}) | {same} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+", help="commits to measure against their first parent")
    parser.add_argument("--span", action="store_true", help="the commits against each other in the given order, "
                        "not against their parents")
    parser.add_argument("--site-toml", default=SITE_TOML,
                        help="site.toml of the edition (the default is build_bench.py's; write only keys every "
                        "measured commit accepts)")
    parser.add_argument("--features-off", action="store_true",
                        help="also the last commit on a copy of the edition with search and every export turned "
                        "off in site.toml (LAST-off in the table)")
    parser.add_argument("--rounds", type=int, default=3, help="builds of each commit (median reported)")
    parser.add_argument("--single", action="store_true", help="also a one-process build of each commit")
    parser.add_argument("--single-only", action="store_true", help="only the one-process build")
    parser.add_argument("--first-round", type=int, default=0,
                        help="number the rounds from here (an odd number starts in reverse order), to add rounds")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "attribute", help="editions, code, runs.jsonl")
    parser.add_argument("--report", action="store_true", help="only print the table from runs.jsonl")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    folder = edition(args.work, "edition", args.site_toml)
    if args.span:
        commits = [git("rev-parse", "--short", c) for c in args.commits]
        pairs = list(zip(commits, commits[1:], strict=False))
        labels = commits
    else:
        pairs, labels = [], []
        for name in args.commits:
            commit = git("rev-parse", "--short", name)
            parent = git("rev-parse", "--short", f"{commit}^")
            pairs.append((parent, commit))
            labels += [c for c in (parent, commit) if c not in labels]
        # history order, so a commit and its parent run next to each other
        rank = {c: i for i, c in enumerate(git("rev-list", "--reverse", "--all").split())}
        labels.sort(key=lambda c: rank.get(git("rev-parse", c), -1))
    arms = [(c, c, folder) for c in labels]
    if args.features_off:
        last = labels[-1]
        arms.append((f"{last}-off", last, edition(args.work, "edition-off", args.site_toml + FEATURES_OFF)))
        pairs.append((labels[0], f"{last}-off"))
        pairs.append((f"{last}-off", last))
    if not args.report:
        print(f"{len(arms)} builds a round, {args.rounds} rounds, load average {os.getloadavg()[0]:.2f}", flush=True)
        modes = [True] if args.single_only else [False, True] if args.single else [False]
        measure(args.work, arms, args.rounds, modes, args.first_round)
    print(table(args.work, pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
