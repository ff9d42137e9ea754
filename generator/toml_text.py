"""TOML parsing that reports errors at their real line, and finds the line a key sits on."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from .problems import Problems

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, path: Path, problems: Problems, first_line: int = 1) -> dict | None:
    """Parse TOML; on a syntax error add it at path:line:col (offset by first_line) and return None."""
    try:
        return tomllib.loads(text)
    except RecursionError:  # arrays or tables nested hundreds deep: Python's parser runs out of stack
        at = _deep_place(text)
        line, col = text.count("\n", 0, at) + first_line, at - (text.rfind("\n", 0, at) + 1) + 1
        problems.error(path, line, "TOML nested too deeply to read", "nest arrays and tables less deeply", col)
        return None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = col = 0
        found = _AT.search(message)
        if found:
            line, col = int(found.group(1)) + first_line - 1, int(found.group(2))
            message = message[: found.start()].strip()
        problems.error(path, line, f"TOML syntax: {message}",
                       "fix the TOML syntax (strings need quotes, one key = value a line)", col)
        return None


def _deep_place(text: str, depth: int = 50) -> int:
    """Where brackets and braces first open `depth` deep (strings are not told apart: a place to look at)."""
    level = 0
    for at, char in enumerate(text):
        if char in "[{":
            level += 1
            if level >= depth:
                return at
        elif char in "]}":
            level = max(0, level - 1)
    return 0


def line_of_key(text: str, key: str, first_line: int = 1) -> int:
    """The line where `key =` (or `[key]`) first appears, or first_line when it cannot be found."""
    pattern = re.compile(rf'^\s*(?:\[\[?\s*{re.escape(key)}\s*\]|"?{re.escape(key)}"?\s*=)', re.M)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + first_line if found else first_line


def nearest(word: str, choices: list[str] | set[str]) -> str:
    """' — did you mean `x`?' style hint: the closest valid name, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else ""
