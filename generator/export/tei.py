"""`gloss export tei`: one TEI P5 file per article, and the edition's entity lists.

An article's text comes from its rendered body (the HTML the annotation rules wrote, read with BeautifulSoup):
¶ become <p n="…">, headings start a <div> with its <head>, mentions become persName, orgName, placeName or
<rs type="event"> (rs with the kind's name for a kind of an edition's own) with `ref` to the entity, and each
passage note a <note> right after its passage (a <seg>). The entities an article mentions are listed in its
header (listPerson and listOrg in particDesc, listPlace in settingDesc, listEvent in <back>, TEI 2.7.0 having
no standOff), each with its names, dates, authority identifiers and gloss; entities.xml lists them all.
Valid against tei_all 2.7.0 (tested with jing).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from markupsafe import Markup

from ..authority import AUTHORITIES
from ..model import Article, Edition, Entity, RenderedArticle

TEI = "http://www.tei-c.org/ns/1.0"
XML = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", TEI)

NAME_ELEMENT = {"person": "persName", "institution": "orgName", "place": "placeName"}
INLINE = {"em": ("hi", "italic"), "i": ("hi", "italic"), "strong": ("hi", "bold"), "b": ("hi", "bold"),
          "del": ("hi", "strikethrough"), "s": ("hi", "strikethrough"), "sup": ("hi", "superscript"),
          "sub": ("hi", "subscript"), "u": ("hi", "underline"), "mark": ("hi", "highlight")}


def _t(name: str) -> str:
    return f"{{{TEI}}}{name}"


def _sub(parent: ET.Element, name: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _t(name), {k.replace("_", ":") if k.startswith("xml_") else k: v
                                              for k, v in attrs.items()})
    if text:
        element.text = text
    return element


def _xml_id(entity_id: str) -> str:
    """An xml:id must not start with a digit; entity ids may."""
    return entity_id if entity_id[:1].isalpha() else f"e-{entity_id}"


# ------------------------------------------------------------------------------------------- entities


def entity_lists(entities: Iterable[Entity], glosses: dict[str, str]) -> dict[str, ET.Element]:
    """listPerson, listOrg, listPlace, listEvent and a <list> per kind of the edition's own, for `entities`."""
    lists: dict[str, ET.Element] = {}
    for entity in entities:
        kind = entity.kind.key
        name = {"person": "listPerson", "institution": "listOrg", "place": "listPlace", "event": "listEvent"}.get(kind)
        key = name or f"list:{kind}"
        if key not in lists:
            lists[key] = ET.Element(_t(name)) if name else ET.Element(_t("list"), {"type": kind})
        _entity(lists[key], entity, glosses.get(entity.id, ""))
    return lists


def _entity(parent: ET.Element, entity: Entity, gloss: str) -> None:
    kind = entity.kind.key
    ident = {f"{{{XML}}}id": _xml_id(entity.id)}
    dates = entity.dates
    if kind == "person":
        node = ET.SubElement(parent, _t("person"), ident)
        _names(node, "persName", entity)
        if "born" in dates:
            _sub(node, "birth", when=dates["born"].iso())
        if "died" in dates:
            _sub(node, "death", when=dates["died"].iso())
    elif kind == "institution":
        node = ET.SubElement(parent, _t("org"), ident)
        _names(node, "orgName", entity)
    elif kind == "place":
        node = ET.SubElement(parent, _t("place"), ident)
        _names(node, "placeName", entity)
    elif kind == "event":
        attrs = dict(ident)
        if "date" in dates and "end" in dates:
            attrs.update({"from": dates["date"].iso(), "to": dates["end"].iso()})
        elif "date" in dates:
            attrs["when"] = dates["date"].iso()
        node = ET.SubElement(parent, _t("event"), attrs)
        _sub(node, "label", entity.name)
    else:
        node = ET.SubElement(parent, _t("item"), ident)
        _sub(node, "name", entity.name)
    if kind != "event":
        for identifier in _idnos(entity):
            node.append(identifier)
    if kind in ("institution", "place"):
        for field, label in (("founded", "founded"), ("dissolved", "dissolved")):
            if field in dates:
                _sub(node, "note", dates[field].iso(), type=label)
    if gloss or entity.summary:
        if kind == "event":
            _sub(node, "desc", gloss or entity.summary)
        else:
            _sub(node, "note", gloss or entity.summary, type="gloss")
    if kind == "event":
        for identifier in _idnos(entity):
            _sub(node, "note", identifier.text or "", type=identifier.get("type", ""))


def _names(node: ET.Element, element: str, entity: Entity) -> None:
    _sub(node, element, entity.name)
    for alias in entity.aliases:
        if alias != entity.name:
            _sub(node, element, alias, type="alias")


def _idnos(entity: Entity) -> list[ET.Element]:
    found = []
    for authority in AUTHORITIES:
        value = entity.authorities.get(authority.field)
        if value:
            idno = ET.Element(_t("idno"), {"type": authority.field})
            idno.text = authority.url.format(id=value)
            found.append(idno)
    return found


# ------------------------------------------------------------------------------------------- the text


class _Converter:
    """Body HTML (as Gloss writes it) to TEI elements."""

    def __init__(self, edition: Edition, body: RenderedArticle, entity_of: dict[str, str]):
        self.edition, self.body, self.entity_of = edition, body, entity_of

    def convert(self, html: str, into: ET.Element) -> None:
        soup = BeautifulSoup(html, "html.parser")
        div = _sub(into, "div")
        for node in soup.children:
            if isinstance(node, Tag) and node.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                if len(div) or div.text:
                    div = _sub(into, "div")
                head = _sub(div, "head")
                self.inline(node, head)
            else:
                self.block(node, div)
        if not len(div):
            _sub(div, "p")

    def block(self, node, parent: ET.Element) -> None:
        if isinstance(node, NavigableString):
            if node.strip():
                self.inline_text(str(node), _sub(parent, "p"))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "p":
            p = _sub(parent, "p", **({"n": node["id"][1:]} if str(node.get("id", "")).startswith("p") else {}))
            self.inline(node, p)
            if p.text:
                p.text = p.text.lstrip()  # (the space after the ¶ number)
        elif name in ("ul", "ol"):
            listing = _sub(parent, "list", rend="numbered" if name == "ol" else "bulleted")
            for item in node.find_all("li", recursive=False):
                entry = _sub(listing, "item", **({"n": item["id"][1:]} if item.get("id") else {}))
                self.mixed(item, entry)
                if entry.text:
                    entry.text = entry.text.lstrip()
        elif name == "blockquote":
            quote = _sub(parent, "quote")
            for child in node.children:
                self.block(child, quote)
        elif name == "pre":
            _sub(parent, "ab", node.get_text(), type="code")
        elif name == "table":
            table = _sub(parent, "table")
            for tr in node.find_all("tr"):
                row = _sub(table, "row", **({"role": "label"} if tr.find("th") else {}))
                for cell in tr.find_all(["td", "th"]):
                    self.inline(cell, _sub(row, "cell"))
        elif name == "figure":
            figure = _sub(parent, "figure")
            caption = node.find("figcaption")
            for img in node.find_all("img"):
                _sub(figure, "graphic", url=img.get("src", ""))
            if caption is not None:
                self.inline(caption, _sub(figure, "head"))
            if not len(figure):
                _sub(figure, "figDesc")
        elif name == "hr":
            _sub(parent, "milestone", unit="section")
        elif name == "section" and "footnotes" in node.get("class", []):
            for item in node.find_all("li"):
                note = _sub(parent, "note", place="foot", n=str(item.get("id", "")).removeprefix("fn"))
                self.mixed(item, note)
        elif name in ("div", "section", "aside", "header", "footer", "article", "main", "details", "dl"):
            for child in node.children:
                self.block(child, parent)
        else:
            self.inline(node, _sub(parent, "p"))

    def mixed(self, node: Tag, into: ET.Element) -> None:
        """A list item or a note: its paragraphs' text in a row (TEI items and notes hold phrases)."""
        paragraphs = [c for c in node.children if isinstance(c, Tag) and c.name == "p"]
        if not paragraphs:
            self.inline(node, into)
            return
        for n, p in enumerate(paragraphs):
            if n:
                self._append_text(into, " ")
            self.inline(p, into)

    def inline(self, node: Tag, into: ET.Element) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.inline_text(str(child), into)
            elif isinstance(child, Tag):
                self.inline_tag(child, into)

    def inline_tag(self, tag: Tag, into: ET.Element) -> None:
        classes = tag.get("class") or []
        name = tag.name
        if name == "a" and ("pnum" in classes or "footnote-backref" in classes):
            return
        if name == "a" and "note-ref" in classes:
            number = tag.get_text()
            value = self._note(number)
            if value is not None:
                note = _sub(into, "note", type="passage", n=number, target=f"#pass{number}")
                note.text = value
            return
        if name == "sup" and "footnote-ref" in classes:
            link = tag.find("a")
            target = str(link.get("href", "")).lstrip("#") if link else ""
            if target:
                _sub(into, "ptr", target=f"#{target}", type="footnote")
            return
        if name == "a" and "mention" in classes:
            entity_id = self.entity_of.get(str(tag.get("href", "")))
            entity = self.edition.entities.get(entity_id or "")
            if entity is not None:
                kind = entity.kind.key
                element = NAME_ELEMENT.get(kind)
                attrs = {"ref": f"#{_xml_id(entity.id)}"}
                if element is None:
                    element, attrs["type"] = "rs", kind
                self.inline(tag, _sub(into, element, **attrs))
                return
        if name == "span" and "passage" in classes:
            seg = _sub(into, "seg", **{f"{{{XML}}}id": str(tag.get("id", ""))} if tag.get("id") else {})
            self.inline(tag, seg)
            return
        if name == "a":
            href = str(tag.get("href", ""))
            self.inline(tag, _sub(into, "ref", target=href) if href else into)
            return
        if name in INLINE:
            element, rend = INLINE[name]
            self.inline(tag, _sub(into, element, rend=rend))
            return
        if name == "code":
            _sub(into, "code", tag.get_text())
            return
        if name == "br":
            _sub(into, "lb")
            return
        if name == "img":
            _sub(into, "figure").append(ET.Element(_t("graphic"), {"url": str(tag.get("src", ""))}))
            return
        if name == "q":
            self.inline(tag, _sub(into, "q"))
            return
        self.inline(tag, into)

    def _note(self, number: str) -> str | None:
        if not number.isdigit():
            return None
        index = int(number) - 1
        notes = self.body.notes
        return notes[index][1].strip() if 0 <= index < len(notes) and notes[index][0] == "passage" else None

    def inline_text(self, text: str, into: ET.Element) -> None:
        self._append_text(into, text)

    @staticmethod
    def _append_text(into: ET.Element, text: str) -> None:
        if len(into):
            last = into[-1]
            last.tail = (last.tail or "") + text
        else:
            into.text = (into.text or "") + text


def _plain(html: str) -> str:
    return " ".join(Markup(html).striptags().split())


def article_tei(article: Article, body: RenderedArticle, edition: Edition, entity_of: dict[str, str],
                glosses: dict[str, str]) -> bytes:
    config = edition.config
    root = ET.Element(_t("TEI"), {f"{{{XML}}}lang": article.language or config.language})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", article.title)
    if article.author:
        _sub(title_stmt, "author", article.author)
    if config.author:
        _sub(title_stmt, "editor", config.author)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", config.author or config.title)
    if article.rights:
        _sub(_sub(publication, "availability"), "p", article.rights)
    source = _sub(_sub(file_desc, "sourceDesc"), "bibl")
    _sub(source, "title", article.title, level="a")
    if article.author:
        _sub(source, "author", article.author)
    if article.publication:
        _sub(source, "title", article.publication, level="j")
    if article.volume:
        _sub(source, "biblScope", str(article.volume), unit="volume")
    if article.issue:
        _sub(source, "biblScope", str(article.issue), unit="issue")
    if article.date:
        _sub(source, "date", str(article.date), when=article.date.iso())
    if article.source:
        _sub(source, "ptr", target=article.source)
    entities = [edition.entities[i] for i in body.entity_ids if i in edition.entities]
    lists = entity_lists(entities, glosses)
    _profile(header, lists)
    text = _sub(root, "text")
    _Converter(edition, body, entity_of).convert(body.html, _sub(text, "body"))
    _back(text, lists)
    return _serialise(root)


def entities_tei(edition: Edition, glosses: dict[str, str]) -> bytes:
    """Every entity of the edition, in one TEI file (a header that holds the lists, and an empty text)."""
    config = edition.config
    root = ET.Element(_t("TEI"), {f"{{{XML}}}lang": config.language})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", f"{config.title}: people, institutions, events and places")
    _sub(_sub(file_desc, "publicationStmt"), "publisher", config.author or config.title)
    _sub(_sub(file_desc, "sourceDesc"), "p", "The annotation files of the edition.")
    lists = entity_lists(sorted(edition.entities.values(), key=lambda e: (e.kind.key, e.sort_key)), glosses)
    _profile(header, lists)
    text = _sub(root, "text")
    _sub(_sub(text, "body"), "p")
    _back(text, lists)
    return _serialise(root)


def _profile(header: ET.Element, lists: dict[str, ET.Element]) -> None:
    people = [lists[k] for k in ("listPerson", "listOrg") if k in lists]
    places = lists.get("listPlace")
    if people or places is not None:
        profile = _sub(header, "profileDesc")
        if people:
            partic = _sub(profile, "particDesc")
            for element in people:
                partic.append(element)
        if places is not None:
            _sub(profile, "settingDesc").append(places)


def _back(text: ET.Element, lists: dict[str, ET.Element]) -> None:
    rest = [element for key, element in lists.items() if key == "listEvent" or key.startswith("list:")]
    if rest:
        back = _sub(text, "back")
        div = _sub(back, "div", type="entities")
        for element in rest:
            div.append(element)


def _serialise(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def write_tei(edition: Edition, bodies: Mapping[str, RenderedArticle], glosses: dict[str, str],
              entity_of: dict[str, str], out: Path) -> list[Path]:
    """Write <slug>.xml for each article and entities.xml into `out`; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    plain = {entity_id: _plain(html) for entity_id, html in glosses.items()}
    for article in edition.articles:
        path = out / f"{article.slug}.xml"
        path.write_bytes(article_tei(article, bodies[article.slug], edition, entity_of, plain))
        written.append(path)
    path = out / "entities.xml"
    path.write_bytes(entities_tei(edition, plain))
    written.append(path)
    return written
