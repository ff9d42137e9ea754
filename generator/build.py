"""`gloss build`: the whole pipeline (generator/site.py) into one folder, swapped in whole when complete."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .bodies import Progress
from .problems import GlossError, Problems
from .site import BuildFailed, BuildReport, Site
from .stages import load, match, pygments_css, write_assets
from .write import one_build_at_a_time


@one_build_at_a_time
def build(site_file: Path, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
          progress: Progress | None = None, cache: bool = True, jobs: int | None = None) -> BuildReport:
    """Build the edition into `output` (default: build/ beside site.toml). Raises BuildFailed on errors;
    the previous build is then left as it was. `jobs` processes (default: up to 2) share the rendering when
    there is enough of it."""
    started = time.perf_counter()
    site_file = Path(os.path.abspath(site_file))  # the same cache keys however the path was given
    site = Site.load(site_file, base_url=base_url, drafts=drafts, jobs=jobs)
    report = site.build(site.writer(output), cache=cache, progress=progress)
    report.seconds = time.perf_counter() - started
    return report


def analyse(site_file: Path, problems: Problems, base_url: str | None = None, drafts: bool = False,
            progress: Progress | None = None) -> Site:
    """Every stage but writing: Site.load(...).analyse()."""
    return Site.load(site_file, problems, base_url=base_url, drafts=drafts).analyse(progress)


__all__ = ["BuildFailed", "BuildReport", "GlossError", "Site", "analyse", "build", "load", "match", "pygments_css",
           "write_assets"]
