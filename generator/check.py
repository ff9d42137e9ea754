"""`gloss check`: every stage but writing (Site.analyse, the link check included), and the checks an editor
wants on top of them: every page rendered once (a template that raises), and capitalised names that look
like people or institutions but carry no annotation (warnings).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path

from .match.matcher import normalise
from .problems import GlossError, Problem, Problems
from .render.markdown import markdown
from .site import Site
from .slug import slugify


def check(site_file: Path) -> Problems:
    """Every problem of the edition at site_file, in one run; nothing is written."""
    problems = Problems(root=site_file.parent)
    try:
        site = Site.load(site_file, problems).analyse()
    except GlossError as exc:
        problems.extend([_relative(exc.problem, problems)])
        return problems
    render_every_page(site, problems)
    for article in site.edition.articles:
        unannotated_names(article.body, article.path, article.body_line, site, problems)
    return problems


def render_every_page(site: Site, problems: Problems) -> None:
    """Render each page once and throw it away: a theme's template that fails is reported, every one."""
    assert site.pages is not None
    for _path, make in site.pages.plan():
        try:
            make()
        except GlossError as exc:
            problems.extend([_relative(exc.problem, problems)])


def _relative(problem: Problem, problems: Problems) -> Problem:
    """The problem with its path relative to the edition, like every other one."""
    return dataclasses.replace(problem, path=problems.where(problem.path)) if problem.path else problem


# ------------------------------------------------------------------------------------------------ names



class Lines:
    """Offsets in a text → (line, column) in its file, the text starting at line `first`."""

    def __init__(self, text: str, first: int):
        self.first = first
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return self.first + index, offset - self.starts[index] + 1


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that start a sentence or a date rather than a name.
STOP_WORDS = _words("""
A About According After Again Against Ahead All Also Although Among An And Another Any Apparently April As At August
Back Because Before Being Both But By Can Could December Despite Did Do Does During Each Early Either Even Every
February For Friday From Further Given Had Has Have He Her Here His How However I If In Indeed Instead Is It Its
January July June Just Last Late Later Like Many March May Meanwhile Monday More Moreover Most Mr Mrs Ms Dr Much My
Neither Never Nevertheless No Nor Not November Now October Of On Once One Only Or Other Our Over Perhaps Previously
Rather Saturday Several September She Since So Some Still Such Sunday That The Their Them Then There These They
This Those Though Thursday Thus To Today Tuesday Under Unlike Until Upon We Wednesday Were What When Where Whether
Which While Who Why Will With Within Without Would Yet You Your See Yes
""")
CONNECTORS = _words("of the for de del della der di du la le van von al bin da")  # not "and": lists of names
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


def name_candidates(text: str) -> Iterator[tuple[int, int, str]]:
    """Runs of two or more capitalised words (joined by spaces, perhaps by `of`, `the` …), without the
    sentence-opening and calendar words in front: (start, end, name)."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        if not words[i][2][0].isupper():
            i += 1
            continue
        run = [words[i]]
        j = i + 1
        while j < len(words):
            gap = text[run[-1][1]:words[j][0]]
            if gap not in (" ", "\n") or run[-1][2].endswith(("'s", "’s", "'", "’")):
                break  # punctuation, or a possessive ("Russia’s Foreign Ministry"), ends a name
            word = words[j][2]
            if word[0].isupper():
                run.append(words[j])
                j += 1
            elif word in CONNECTORS and j + 1 < len(words) and words[j + 1][2][0].isupper() \
                    and text[words[j][1]:words[j + 1][0]] == " ":
                run.extend([words[j], words[j + 1]])
                j += 2
            else:
                break
        i = j
        while run and (run[0][2] in STOP_WORDS or run[0][2].lower() in CONNECTORS):
            run.pop(0)
        while run and (run[-1][2].lower() in CONNECTORS or run[-1][2] in STOP_WORDS):
            run.pop()
        capitals = [w for w in run if w[2][0].isupper() and w[2] not in STOP_WORDS]
        if len(capitals) >= 2 and not all(w[2].isupper() for w in capitals):
            name = _POSSESSIVE.sub("", text[run[0][0]:run[-1][1]]).replace("\n", " ")
            yield run[0][0], run[-1][1], name


def prose(body: str, raw_html: bool = False) -> str:
    """The body with everything but its running text blanked out (same length, newlines kept): the text
    markdown-it finds outside code, links, images, [[references]] and raw HTML, at its place in the source."""
    kept = [" " if c != "\n" else c for c in body]
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    for block in markdown(raw_html).parse(body, {}):
        if block.type != "inline" or not block.children or block.map is None:
            continue
        line, cursor, hidden = block.map[0], starts[block.map[0]], 0
        for token in block.children:
            kind = token.type
            if kind in ("link_open", "gloss_ref_open"):
                hidden += 1
            elif kind in ("link_close", "gloss_ref_close"):
                hidden -= 1
            elif kind in ("softbreak", "hardbreak"):
                line += 1
                cursor = max(cursor, starts[line]) if line < len(starts) else len(body)
            elif kind == "text" and not hidden and token.content:
                at = body.find(token.content, cursor)
                if at >= 0 and "\n" not in body[cursor:at]:
                    kept[at:at + len(token.content)] = token.content
                    cursor = at + len(token.content)
    return "".join(kept)


def unannotated_names(body: str, source: Path, first_line: int, site: Site, problems: Problems) -> None:
    """Warn, once per name and article, about names (runs of capitalised words) that no alias, [[id]],
    link, pin, skip or passage note covers: a to-do list for the editor."""
    text = prose(body, site.edition.config.raw_html)
    flat = normalise(text).replace("\n", " ")
    covered = [(m.start, m.end) for m in site.matcher.find(flat)]
    sidecar = site.edition.sidecars.get(source.stem)
    if sidecar is not None:
        quotes = [entry.quote.exact for entry in (*sidecar.pins, *sidecar.skips, *sidecar.notes)]
        for exact in quotes:
            needle = normalise(" ".join(exact.split()))
            at = flat.find(needle)
            while at != -1:
                covered.append((at, at + len(needle)))
                at = flat.find(needle, at + 1)
    covered.sort()
    starts = [s for s, _ in covered]
    lines = Lines(body, first_line)
    seen: dict[str, list] = {}
    for start, end, name in name_candidates(flat):
        index = bisect_right(starts, end - 1) - 1
        overlapped = False
        while index >= 0 and not overlapped:
            s, e = covered[index]
            if e > start:
                overlapped = True
            elif e <= start and s < start - 400:
                break
            index -= 1
        if overlapped:
            continue
        if name in seen:
            seen[name][1] += 1
        else:
            seen[name] = [start, 1]
    kinds = site.edition.config.kinds
    for name, (start, count) in seen.items():
        line, col = lines.at(start)
        times = f" ({count} times)" if count > 1 else ""
        kind = guess_kind(name)
        command = f"gloss new {kind} {slugify(name)}" if kind in kinds else f"gloss new KIND {slugify(name)}"
        problems.warning(source, line, f"`{name}`{times} looks like a name but has no annotation",
                         f"add it to an entity's aliases, or create one: {command}", col)


_KIND_WORDS = {
    "institution": _words("Agency Army Assembly Association Bank Board Bureau Cabinet Center Centre Church College "
                          "Commission Committee Company Congress Corporation Council Court Department Duma Embassy "
                          "Federation Fleet Forces Foundation Front Government Group Guard House Institute Kremlin "
                          "League Ministry Monitor Movement News Office Organization Organisation Parliament Party "
                          "Police Post Press Senate Service Society Times Tribunal Union University"),
    "event": _words("Accords Affair Agreement Campaign Conference Crisis Election Elections Forum Incident Invasion "
                    "Meeting Revolution Sanctions Standoff Summit Talks Treaty Visit War"),
    "place": _words("Basin Bay Canal Cape City County Desert Gulf Island Islands Lake Mountains Ocean Oblast "
                    "Peninsula Province Region Republic River Sea Strait Street Valley"),
}


def guess_kind(name: str) -> str:
    """The default kind a name most likely belongs to, from its words (\"Foreign Ministry\" → institution)."""
    words = set(name.split())
    for kind, hints in _KIND_WORDS.items():
        if words & hints:
            return kind
    return "person"
