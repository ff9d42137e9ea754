"""Reading the edition's text files: UTF-8 (a BOM is fine), LF or CRLF, a size limit, never a traceback."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..problems import Problems
from ..toml_text import parse_toml

MAX_TEXT_BYTES = 10 * 1024 * 1024  # 10 MiB: documented in README ("Limits"); a larger file is an error.


def read_text(path: Path, problems: Problems, what: str = "file") -> str | None:
    """The file's text (NFC, LF line ends, no BOM), or None after reporting why it cannot be read."""
    if path.is_dir():
        problems.error(path, 0, f"a folder where a {what} should be", "move it away or rename it")
        return None
    if problems.root is not None and path.is_symlink() and not _inside(path, problems.root):
        problems.error(path, 0, f"the {what} is a symbolic link to {os.readlink(path)}, outside the edition",
                       "copy the file into the edition instead of linking to it")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            problems.error(path, 0, f"{what} is {size / 2**20:.1f} MiB, over the {MAX_TEXT_BYTES // 2**20} MiB limit",
                           "split it into several articles")
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 0, f"cannot read the {what}: {exc.strerror}", "check the file's permissions")
        return None
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(path, 0, f"a binary file where a text {what} should be", "remove it or save it as UTF-8 text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                       "save the file as UTF-8", col)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _inside(path: Path, root: Path) -> bool:
    """True when `path`, its symlinks followed, is within the edition's folder."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def is_web_address(url: str) -> bool:
    """An http(s) address: what a source link may be (never javascript:, data: or a file on the reader's disk)."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return cleaned.startswith(("https://", "http://")) and len(cleaned) > len("https://")


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """(front matter TOML, body, line of the body's first line), or None after reporting the problem."""
    if not text.startswith("+++\n") and text.rstrip() != "+++":
        first = text.lstrip("\n").split("\n", 1)[0]
        hint = " (this looks like YAML front matter: Gloss uses TOML between +++ lines)" if first == "---" else ""
        problems.error(path, 1, f"no front matter{hint}",
                       'start the file with a +++ line, then title = "…", then another +++ line')
        return None
    end = text.find("\n+++", 3)
    while end != -1 and text[end + 4: end + 5] not in ("\n", ""):
        end = text.find("\n+++", end + 4)
    if end == -1:
        problems.error(path, 1, "front matter is not closed", "add a +++ line after the front matter")
        return None
    front = text[4:end + 1]
    body_start = end + 5
    body_line = text.count("\n", 0, body_start) + 1
    return front, text[body_start:], body_line


def read_front_matter(path: Path, problems: Problems, what: str) -> tuple[dict, str, str, int] | None:
    """(front matter as a table, its TOML text, the body, the body's first line), or None after reporting why."""

    text = read_text(path, problems, what)
    if text is None:
        return None
    parts = split_front_matter(text, path, problems)
    if parts is None:
        return None
    front, body, body_line = parts
    meta = parse_toml(front, path, problems, first_line=2)
    return None if meta is None else (meta, front, body, body_line)


def failed_entity_file(root: Path, entity_id: str) -> str:
    """annotations/<folder>/<id>.md when such a file exists but did not load (so its id is unknown): the root of
    the messages that follow from it. '' when there is no such file."""
    for path in sorted((root / "annotations").glob(f"*/{entity_id}.md")):
        return path.relative_to(root).as_posix()
    return ""
