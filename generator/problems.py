"""Problems found in an edition, reported as `path:line:col: error|warning: what — what to do`."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, at a place in a file, with what to do about it."""

    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


class GlossError(Exception):
    """The one exception type Gloss raises for bad input; it carries a Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class CommandLineError(GlossError):
    """A mistake in the command line (an invalid id, kind, URL or choice): `gloss` exits 2, as for argparse's."""


@dataclass
class Problems:
    """Collects every problem of a run so all of them are reported at once (and each only once)."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set)

    def where(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def add(self, severity: str, path: Path | str, line: int, message: str, fix: str = "", col: int = 0) -> None:
        problem = Problem(self.where(path), line, col, severity, message, fix)
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def error(self, path: Path | str, line: int, message: str, fix: str = "", col: int = 0) -> None:
        self.add("error", path, line, message, fix, col)

    def warning(self, path: Path | str, line: int, message: str, fix: str = "", col: int = 0) -> None:
        self.add("warning", path, line, message, fix, col)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem not in self._seen:
                self._seen.add(problem)
                self.items.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.col, p.severity, p.message))

    def as_text(self) -> str:
        return "\n".join(str(p) for p in self.sorted())

    def as_json(self) -> str:
        return json.dumps([asdict(p) for p in self.sorted()], ensure_ascii=False, indent=2)


class Lines:
    """Offsets in a text → (line, column) in its file, the text starting at line `first`."""

    def __init__(self, text: str, first: int):
        self.first = first
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first + index, offset - self.starts[index] + 1
