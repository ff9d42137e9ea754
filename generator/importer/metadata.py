"""Lines that carry an article's metadata rather than its text: bylines, dates, issue lines, captions."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv januar jän января январь январе enero gennaio",
            "february feb février févr fevrier februar февраля февраль feb febrero febbraio",
            "march mar mars märz maerz марта март marzo",
            "april apr avril апреля апрель abril aprile",
            "may mai мая май mayo maggio",
            "june jun juin juni июня июнь junio giugno",
            "july jul juillet juil juli июля июль julio luglio",
            "august aug août aout августа август agosto",
            "september sep sept septembre септября сентябрь septiembre settembre",
            "october oct octobre oktober okt октября октябрь octubre ottobre",
            "november nov novembre ноября ноябрь noviembre",
            "december dec décembre decembre dezember dez декабря декабрь diciembre dicembre",
        ],
        start=1,
    )
    for name in names.split()
}

DATE_WORD_LIST = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun at on am pm gmt utc "
    "bst cet cest est edt pst uhr h lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag понедельник вторник среда четверг пятница суббота воскресенье в г "
    "年 月 日 时 分"
)
DATE_WORDS = set(DATE_WORD_LIST.split())
MONTH = r"([^\W\d_]{3,10})\.?"
DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), ("d", "m", "y")),
    (re.compile(MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE), ("M", "d", "y")),
    (re.compile(r"(\d{1,2})(?:er|\.)?\s+" + MONTH + r",?\s+(\d{4})", re.IGNORECASE), ("d", "M", "y")),
)
MONTH_YEAR = re.compile(MONTH + r",?\s+(\d{4})", re.IGNORECASE)

# "Label: value" pairs on one line, e.g. "Publication: Eurasia Daily Monitor Volume: 16 Issue: 72".
LABELS = {
    "publication": "publication",
    "published in": "publication",
    "journal": "publication",
    "volume": "volume",
    "vol": "volume",
    "issue": "issue",
    "no": "issue",
    "author": "author",
    "authors": "author",
    "by": "author",
    "date": "date",
    "published": "date",
    "publication date": "date",
    "posted": "date",
    "source": "source",
    "url": "source",
    "original url": "source",
    "language": "language",
    "copyright": "rights",
    "rights": "rights",
    "subtitle": "subtitle",
    "来源": "publication",
    "出处": "publication",
    "记者": "author",
    "作者": "author",
    "文": "author",
    "发布时间": "date",
    "责任编辑": "editor",
    "编辑": "editor",
    "editor": "editor",
}
# Recognised so the line counts as metadata, but not kept: Gloss has no such key.
IGNORED_LABELS = {"editor"}
LABEL_NAMES = "|".join(sorted((re.escape(label) for label in LABELS), key=len, reverse=True))
LABEL = re.compile(rf"(?:^|(?<=[\s【\[(]))({LABEL_NAMES})\.?\s*[:：]\s*", re.IGNORECASE)
LEADING_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+")
DATELINE = re.compile(
    r"^(?:published|posted|updated|first published|publié le|mis à jour le|veröffentlicht am|stand:|"
    r"опубликовано|обновлено)?\s*(?:on\s+)?(?P<date>.{6,60})$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:by|written by|text:|von|par|от|автор:|מאת|بقلم)\s+(?P<names>[^\W\d_][^|•·—–]{1,80}?)"
    r"(?:\s*[|•·—–,]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
CAPTION_CREDIT = re.compile(
    r"\((?:source|photo|photograph|photo credit|image|credit|courtesy|picture|фото|foto|bild|crédit photo)"
    r"\s*:[^()]*\)\s*$",
    re.IGNORECASE,
)
CREDIT_LABELS = (r"source|photo|photos|photograph|photo credit|image|images|credit|credits|courtesy|picture|"
                 r"фото|foto|bild|crédit photo|crédit")
CAPTION_CREDIT_AT_END = re.compile(
    rf"\((?P<paren>(?:{CREDIT_LABELS})\s*:[^()]*)\)\s*$"  # "… (Photo: Jane Doe)"
    rf"|(?:[.!?]|\s[|/–—-]|^)\s*(?P<after>(?:(?:photo|photograph|picture|image|credit|foto|bild|фото)s?"
    rf"(?: credit)?\s*:|(?:photo|photograph|picture)s? by\s|courtesy of\s|©)[^()]*?)\s*$",  # "… . Photo: Jane Doe"
    re.IGNORECASE,
)
CAPTION_LABEL = re.compile(r"^(?:photo|image|caption|picture|illustration)\s*:\s+\S", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[.!?][”\"’)]?\s+[A-Z“\"]")


def parse_date(text: str) -> dt.date | str | None:
    """A full date as a date; only a month and year as "YYYY-MM"; otherwise None."""
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = int(parts["m"]) if "m" in parts else MONTHS.get(parts["M"].lower().rstrip("."))
            if month is None:
                continue
            try:
                return dt.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
    for match in MONTH_YEAR.finditer(text):
        month = MONTHS.get(match.group(1).lower())
        if month:
            return f"{int(match.group(2)):04d}-{month:02d}"
    return None


def parse_labelled_line(line: str) -> dict[str, object] | None:
    """'Publication: X Volume: 16 Issue: 72' -> {'publication': 'X', 'volume': 16, 'issue': 72}."""
    fields: dict[str, object] = {}
    leading = LEADING_DATE.match(line)
    if leading:
        fields["date"] = parse_date(leading.group())
        line = line[leading.end() :]
    line = line.strip("【】[] ")
    matches = list(LABEL.finditer(line))
    if not matches or matches[0].start() != 0 or len(line) > 300:
        return None
    for match, following in zip(matches, matches[1:] + [None], strict=True):
        key = LABELS[match.group(1).lower()]
        value = line[match.end() : following.start() if following else len(line)].strip(" \t,;|【】[]")
        parsed = field_value(key, value)
        if parsed is None:
            return None
        if key not in IGNORED_LABELS:
            fields[key] = parsed
    return fields


def field_value(key: str, value: str) -> object | None:
    if not value:
        return None
    if key in ("volume", "issue"):
        number = re.fullmatch(r"\d{1,6}", value)
        return int(value) if number else None
    if key == "date":
        return parse_date(value)
    if key == "source":
        return value if re.match(r"https?://\S+$", value) else None
    if key == "language":
        return value if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value) else None
    return value


def parse_byline(line: str) -> dict[str, object] | None:
    """'By Jane Doe', 'By Jane Doe | May 16, 2019' -> author (and date)."""
    match = BYLINE.match(line.strip())
    if not match or SENTENCE_BREAK.search(line) or len(match.group("names").split()) > 8:
        return None
    fields: dict[str, object] = {"author": match.group("names").strip()}
    rest = match.group("rest")
    if rest:
        date = parse_date(rest)
        if date is not None:
            fields["date"] = date
        elif len(rest.split()) > 5 or not all(word[:1].isupper() or word in ("of", "for", "at", "and", "the")
                                              for word in rest.split()):
            return None  # not a date and not a short role ("Gazette Staff Writer"): this is text
    return fields


def parse_dateline(line: str) -> dict[str, object] | None:
    """'Published Sunday, September 14, 2003', '17.05.2019, 08:15': a line that is only a date."""
    match = DATELINE.match(line.strip())
    if not match:
        return None
    date = parse_date(match.group("date"))
    if not isinstance(date, dt.date):
        return None
    leftover = re.sub(r"[\d\W_]+", " ", match.group("date")).lower().split()
    if not all(word.rstrip(".") in MONTHS or word in DATE_WORDS for word in leftover):
        return None  # words besides weekday and month names: a sentence or a title that mentions a date
    return {"date": date}


def metadata_of_line(line: str) -> dict[str, object] | None:
    """The front-matter fields a whole line stands for ({} for a line such as 'Editor: …' that is
    metadata Gloss does not keep), or None if it is text."""
    for parse in (parse_labelled_line, parse_byline, parse_dateline):
        fields = parse(line)
        if fields is not None:
            return fields
    return None


def is_caption(text: str) -> bool:
    """A photo caption: '… (Source: RIA Novosti)', 'Photo: …'; short, one sentence, no final period."""
    text = text.strip()
    if len(text) > 400 or "\n" in text:
        return False
    if CAPTION_CREDIT.search(text):
        return len(SENTENCE_BREAK.findall(text)) <= 1
    return bool(CAPTION_LABEL.match(text)) and len(text) < 250


SEVERAL = re.compile(r"\s*(?:;|、|，|\sand\s)\s*")
CJK_NAMES = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,4}(?:\s+[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,4})+")


def author_names(byline: str) -> str | list[str]:
    """One name, or the list of names when a byline names several: "A and B", "A, B and C", "A; B",
    "李明远、王晓燕", "李明远 王晓燕" (Chinese, Japanese and Korean names hold no spaces). A comma alone does not
    split ("Jane Doe, Staff Writer")."""
    text = " ".join(byline.split())
    if CJK_NAMES.fullmatch(text):
        return text.split()
    parts = SEVERAL.split(text)
    if len(parts) > 1 and "," in parts[0]:
        parts = [name for part in parts[:-1] for name in part.split(",")] + parts[-1:]
    names = [part.strip(" ,") for part in parts if part.strip(" ,")]
    return names if len(names) > 1 else text


def caption_credit(caption: str) -> str | None:
    """The credit a caption ends with, as written: "Photo: Jane Doe / Reuters" from "Dockers wait. (Photo: Jane
    Doe / Reuters)" or "Dockers wait. Photo: Jane Doe / Reuters"; "© Reuters". A caption that only begins
    with "Photo:" labels the picture ("Photo: the harbour at dawn"), so such a label counts only after the
    caption's own words, after a sentence end or a separator; "Credit:", "©", "Photo by" count anywhere."""
    text = " ".join(caption.split())
    match = CAPTION_CREDIT_AT_END.search(text)
    if match is None:
        return None
    credit = (match.group("paren") or match.group("after") or "").strip(" ;,|/–—-")
    at_start = match.start() == 0 or not text[: match.start()].strip(" .!?|/–—-")
    if at_start and not re.match(r"(?:credits?\s*:|crédit|©|\w+ by\s|courtesy of\s)", credit, re.IGNORECASE):
        return None  # "Photo: …" opening a caption labels it; it credits no one
    label = re.match(rf"(?:{CREDIT_LABELS})s?(?: credit)?\s*:\s*|©\s*", credit, re.IGNORECASE)
    if label is not None and not credit[label.end():].strip():
        return None
    return credit if 2 <= len(credit) <= 200 else None


def credit_of_element(text: str) -> str:
    """A credit element's text as a credit: without the parentheses around all of it ("(Jane Doe / AP)"), and
    only its trailing credit when it holds a caption too ("Ford in 1987. Photo by Jane Doe")."""
    text = " ".join(text.split())
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1] and ")" not in text[1:-1]:
        text = text[1:-1].strip()
    trailing = caption_credit(text)
    return trailing if trailing and len(trailing) < len(text) else text


def credit_core(credit: str) -> str:
    """A credit without its label, to tell one credit written two ways ("Photo: Jane Doe", "Jane Doe")."""
    text = re.sub(rf"^(?:(?:{CREDIT_LABELS})s?(?: credit)?\s*:|(?:photo|photograph|picture)s? by\s|©)\s*", "",
                  " ".join(credit.split()), flags=re.IGNORECASE)
    return re.sub(r"\s*/\s*", "/", text).casefold().strip(" .")


def add_credit(credits: list[str], credit: str | None) -> None:
    """Append a credit unless it is empty or already there (written the same way or with another label)."""
    credit = " ".join((credit or "").split()).strip(" ;,")
    if credit and len(credit) <= 200 and credit_core(credit) not in {credit_core(c) for c in credits}:
        credits.append(credit)
