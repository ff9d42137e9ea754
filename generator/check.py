"""`gloss check`: every stage but writing, and the checks an editor wants on top."""

from __future__ import annotations

from pathlib import Path

from .build import analyse
from .problems import GlossError, Problems


def check(site_file: Path) -> Problems:
    problems = Problems()
    try:
        analyse(site_file, problems)
    except GlossError as exc:
        problems.extend([exc.problem])
    return problems
