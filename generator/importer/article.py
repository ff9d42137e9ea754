"""What an import produces, and the one error type it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Front-matter keys an imported article may carry, in the order they are written.
FRONT_MATTER_KEYS = (
    "title",
    "subtitle",
    "author",
    "date",
    "publication",
    "volume",
    "issue",
    "source",
    "language",
    "summary",
    "rights",
    "image_credits",
)


@dataclass
class ImportedArticle:
    """An article converted to Markdown, with what was left out and the images it needs."""

    front_matter: dict[str, object]
    body: str
    dropped: list[str] = field(default_factory=list)
    media: list[tuple[Path, str]] = field(default_factory=list)
    """(file beside the saved page, path under content/media/) for every local image the body links."""
    warnings: list[str] = field(default_factory=list)
    """`line: warning: …` about the front matter (no title, a doubtful one), the line in the source."""

    @property
    def title(self) -> str:
        return str(self.front_matter.get("title", ""))


class CannotImport(Exception):
    """Input that cannot be imported; carries where and what to do about it."""

    def __init__(self, path: Path, message: str, *, line: int = 1, col: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.col = col

    def report(self) -> str:
        """`path:line:col: error: what is wrong — what to do`."""
        where = f"{self.path}" + (f":{self.line}" if self.line else "") + (f":{self.col}" if self.col is not None else "")
        return f"{where}: error: {self.message}"
