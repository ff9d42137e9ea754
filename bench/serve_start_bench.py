"""Time from starting `gloss serve` to its first page, cold (no .gloss-cache/) and warm.

    .venv/bin/python bench/serve_start_bench.py               # 1,000 articles, 500 entities
    .venv/bin/python bench/serve_start_bench.py --articles 5000 --runs 3

The make_corpus.py edition under .bench/ (made by build_bench.py's corpus(), reused) is copied to a
temporary folder. Each run starts `gloss serve --port P` there as a new process and requests
index.html until it is served; the request waits while the first build runs, so the time is what a
user sees. Cold runs start without .gloss-cache/; warm runs after a `gloss build` filled it. `gloss
build` is timed on the same copy for comparison, cold and warm, with the load average of each run.
Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import corpus  # noqa: E402

GLOSS = [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())"]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_page(site: Path) -> float:
    """Seconds from starting `gloss serve` in `site` to a 200 for index.html."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([*GLOSS, "serve", "--port", str(port)], cwd=site, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=300) as response:
                    if response.status == 200 and response.read():
                        return time.perf_counter() - started
            except (ConnectionError, urllib.error.URLError):
                if process.poll() is not None:
                    sys.exit(f"gloss serve exited with {process.returncode}")
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait()


def gloss_build(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*GLOSS, "build"], cwd=site, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    source = corpus(args.articles, args.entities)
    results: dict[str, list[tuple[float, str]]] = {}

    def record(name: str, seconds: float) -> None:
        results.setdefault(name, []).append((seconds, load()))
        print(f"  {name}: {seconds:.2f} s (load average {load()})", flush=True)

    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "edition"
        site.mkdir()
        for name in ("site.toml", "content", "annotations"):
            (shutil.copytree if (source / name).is_dir() else shutil.copy)(source / name, site / name)
        for _ in range(args.runs):
            shutil.rmtree(site / ".gloss-cache", ignore_errors=True)
            shutil.rmtree(site / "build", ignore_errors=True)
            record("serve, first page, cold", first_page(site))
            shutil.rmtree(site / ".gloss-cache", ignore_errors=True)
            record("build, cold", gloss_build(site))
            record("build, warm", gloss_build(site))
            record("serve, first page, warm", first_page(site))
    print(f"\n{args.articles} articles, {args.entities} entities, median of {args.runs}:")
    for name, runs in results.items():
        print(f"  {name:26} {statistics.median(s for s, _ in runs):6.2f} s   load averages: "
              + "; ".join(la for _, la in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
