"""HTML elements to CommonMark blocks, with Gloss's figure containers and absolute links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from . import markdown as md
from .extract import is_ad_label, is_placeholder, link_density, text_of
from .metadata import add_credit, caption_credit, credit_of_element
from .text import clean_text

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "table", "figure", "hr", "address", "center", "details", "summary",
    "aside", "form", "fieldset", "li", "figcaption", "body", "html", "tbody", "thead", "tfoot", "tr", "nav",
    "hgroup", "picture",
}
EMPHASIS = {"em": "*", "i": "*", "cite": "*", "dfn": "*", "var": "*", "strong": "**", "b": "**"}
SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
BREAK = "\x00br\x00"
SENTENCE_END = re.compile(r"[.!?…:][”\"’»)]*$")
READ_ALSO = re.compile(
    r"^(?:read more|read also|see also|related|more on this|lire aussi|à lire aussi|a lire aussi|voir aussi|"
    r"lesen sie auch|mehr zum thema|auch interessant|читайте также|смотрите также|по теме|"
    r"اقرأ أيضا|اقرأ أيضاً|اقرأ أيضًا|相关阅读|相关新闻|延伸阅读|関連記事|関連ニュース|あわせて読みたい)\s*[:：]?",
    re.IGNORECASE,
)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff"}


@dataclass
class ImageSource:
    """Where an image comes from: a file beside the saved page, or only a remote URL."""

    local: Path | None
    remote: str | None
    alt: str


@dataclass
class MarkdownWriter:
    """Turns the article's elements into Markdown blocks, collecting media and notes on the way."""

    page_file: Path
    base_url: str | None
    media_path: Callable[[Path], str]
    """Maps a local image file to its link in the body (`media/<slug>/<file>`)."""
    dropped: list[str] = field(default_factory=list)
    field_lines: Callable[[str], bool] = lambda text: False
    """Called with the plain text of each early paragraph; True means it was metadata, taken into front matter."""
    paragraphs_written: int = 0
    emphasis_depth: dict[str, int] = field(default_factory=dict)
    fetch_remote: Callable[[str], Path | str] | None = None
    """--fetch-media: downloads a remote image, returning the local file, or a reason it could not."""
    credits: list[str] = field(default_factory=list)
    """The figures' credits, in body order, each once: a credit element's text, else a caption's trailing credit."""

    # Blocks ---------------------------------------------------------------------------------------

    def blocks(self, element: Tag) -> list[str]:
        """The Markdown blocks for an element's children: inline runs become paragraphs."""
        blocks: list[str] = []
        run: list[str] = []
        children = list(element.children)
        captions_taken: set[int] = set()
        for index, child in enumerate(children):
            if isinstance(child, SKIPPED_STRINGS) or id(child) in captions_taken:
                continue
            if isinstance(child, NavigableString):
                run.append(self.text(str(child)))
            elif isinstance(child, Tag):
                if self.is_block(child):
                    blocks += self.paragraphs(run, child)
                    run = []
                    caption = self.caption_after(child, children[index + 1 :])
                    if caption is not None:
                        captions_taken.add(id(caption))
                        image = child if child.name == "img" else child.find("img")
                        blocks += self.figure(image, " ".join(self.inline_content(caption).replace(BREAK, " ").split()))  # type: ignore[arg-type]
                    else:
                        blocks += self.block(child)
                else:
                    run.append(self.inline(child))
        blocks += self.paragraphs(run, element)
        return [block for block in blocks if block.strip()]

    def caption_after(self, block: Tag, following: list[object]) -> Tag | None:
        """Old layouts put a lone image in one block and its caption in the next: find that caption."""
        if block.name in ("figure", "table", "ul", "ol") or not (
                block.name == "img" and self.is_large_image(block) or self.holds_only_large_image(block)):
            return None
        for sibling in following:
            if isinstance(sibling, NavigableString) and not str(sibling).strip():
                continue
            if isinstance(sibling, Tag) and sibling.name == "br":
                continue
            if isinstance(sibling, Tag) and (is_caption_like(sibling) or self.is_last_beside_image(block, sibling)):
                return sibling
            return None
        return None

    def is_last_beside_image(self, image_block: Tag, sibling: Tag) -> bool:
        """A wrapper holding just an image and one short line of text: that line is the caption."""
        parent = image_block.parent
        if not isinstance(parent, Tag) or sibling.parent is not parent:
            return False
        others = [child for child in parent.children
                  if child is not image_block and child is not sibling
                  and not (isinstance(child, NavigableString) and not str(child).strip())]
        text = text_of(sibling)
        return not others and 0 < len(text) < 300 and sibling.find(["img", "table", "ul", "ol", "p"]) is None

    def is_block(self, tag: Tag) -> bool:
        if tag.name in BLOCK_TAGS:
            return True
        if tag.name == "img":
            return self.is_large_image(tag)
        if tag.name == "a" or tag.name in EMPHASIS or tag.name == "span":
            return tag.find(["p", "div", "figure", "table", "ul", "ol", "h2", "h3", "blockquote"]) is not None or (
                tag.name == "a" and self.holds_only_large_image(tag))
        return False

    def block(self, tag: Tag) -> list[str]:
        name = tag.name
        if is_ad_label(tag) and len(text_of(tag)) < 20:
            return []
        if self.is_link_row(tag):
            self.dropped.append(f"{tag.sourceline or 1}: note: dropped links “{text_of(tag)[:60]}”")
            return []
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = self.inline_content(tag).strip()
            if not text:
                return []
            return [md.heading(max(2, int(name[1])), " ".join(text.replace(BREAK, " ").split()))]
        if name in ("ul", "ol"):
            return self.list_block(tag)
        if name == "blockquote":
            inner = self.blocks(tag)
            return [md.blockquote(inner)] if inner else []
        if name == "pre":
            return [md.code_block(clean_text(tag.get_text()))]
        if name == "table":
            return self.table_block(tag)
        if name == "figure" or self.is_caption_box(tag):
            return self.figure_block(tag)
        if name == "img" or name == "a" and self.holds_only_large_image(tag):
            image = tag if name == "img" else tag.find("img")
            return self.figure(image, None) if isinstance(image, Tag) else []
        if name == "hr":
            return ["---"]
        if name == "dt":
            text = self.inline_content(tag).strip()
            return [md.escape_line_starts(f"**{text}**")] if text else []
        return self.blocks(tag)

    def is_link_row(self, tag: Tag) -> bool:
        """'[ Print this story | E-mail this story ]': a short line made of several links and nothing else."""
        if tag.name not in ("p", "div", "center", "span", "font") or tag.find(["img", "figure", "table"]):
            return False
        links = tag.find_all("a")
        text = text_of(tag)
        return len(links) >= 2 and len(text) < 100 and link_density(tag) > 0.8

    def paragraphs(self, run: list[str], element: Tag) -> list[str]:
        """An inline run as paragraphs: two `<br>` in a row end a paragraph; so does one after a full
        sentence when both sides are long; any other `<br>` is a hard line break."""
        joined = "".join(run)
        if not joined.replace(BREAK, "").strip():
            return []
        pieces = re.split(rf"\s*(?:{BREAK}\s*){{2,}}", joined)
        paragraphs: list[str] = []
        for piece in pieces:
            lines = [re.sub(r" {2,}", " ", line).strip() for line in piece.split(BREAK)]
            lines = [line for line in lines if line]
            if len(lines) > 1 and self.paragraphs_written < 4:
                lines = [line for line in lines if not self.field_lines(plain_text_of_markdown(line))]
            current = ""
            for line in lines:
                if not current:
                    current = line
                elif SENTENCE_END.search(current.split("\n")[-1]) and len(current) > 60 and len(line) > 60:
                    paragraphs.append(current)
                    current = line
                else:
                    current += "\\\n" + line
            if current:
                paragraphs.append(current)
        return [block for text in paragraphs if (block := self.paragraph(text, element))]

    def paragraph(self, markdown_text: str, element: Tag) -> str:
        plain = " ".join(markdown_text.split())
        if self.paragraphs_written < 4 and self.field_lines(plain_text_of_markdown(plain)):
            return ""
        if READ_ALSO.match(plain_text_of_markdown(plain)) and "](" in markdown_text:
            self.dropped.append(f"{element.sourceline or 1}: note: dropped a “read also” link "
                                f"“{plain_text_of_markdown(plain)[:60]}”")
            return ""
        if plain_text_of_markdown(plain).strip(" -–—:").lower() in ("advertisement", "anzeige", "реклама",
                                                                       "publicité", "إعلان", "广告", "広告"):
            return ""
        self.paragraphs_written += 1
        return md.escape_line_starts(markdown_text.strip())

    def list_block(self, tag: Tag) -> list[str]:
        items = [self.blocks(item) for item in tag.find_all("li", recursive=False)]
        items = [item for item in items if item]
        if not items:
            return []
        start = int(tag["start"]) if str(tag.get("start") or "").isdigit() else 1
        return [md.bullet_list(items, ordered=tag.name == "ol", start=start)]

    def table_block(self, tag: Tag) -> list[str]:
        rows = [row for row in tag.find_all("tr") if row.find_parent("table") is tag]
        cells = [[cell for cell in row.find_all(["td", "th"], recursive=False)] for row in rows]
        if self.is_layout_table(tag, cells):
            blocks: list[str] = []
            for row in cells:
                for cell in row:
                    blocks += self.blocks(cell)
            return blocks
        grid = []
        for row in cells:
            line: list[str] = []
            for cell in row:
                line.append(md.table_cell(self.cell_content(cell)))
                span = str(cell.get("colspan") or "1")
                line += [""] * (int(span) - 1 if span.isdigit() and int(span) < 50 else 0)
            grid.append(line)
        grid = [row for row in grid if any(row)]
        if not grid:
            return []
        blocks = []
        caption = tag.find("caption")
        if isinstance(caption, Tag) and text_of(caption):
            blocks.append(md.escape_line_starts(self.inline_content(caption).strip()))
        return [*blocks, md.table(grid)]

    def is_layout_table(self, tag: Tag, cells: list[list[Tag]]) -> bool:
        """A table used to lay out a page rather than to hold data."""
        if tag.find("table") is not None or not cells:
            return True
        if max(len(row) for row in cells) < 2:
            return True
        return any(cell.find(["p", "div", "table", "ul", "h2", "h3"]) is not None
                   and len(text_of(cell)) > 200 for row in cells for cell in row)

    def cell_content(self, cell: Tag) -> str:
        return " ".join(self.inline_content(cell).replace(BREAK, " ").split())

    # Figures --------------------------------------------------------------------------------------

    def is_caption_box(self, tag: Tag) -> bool:
        """WordPress-style `<div class="wp-caption"><img><p class="wp-caption-text">`."""
        classes = " ".join(tag.get("class") or []).lower()
        return "caption" in classes and tag.find("img") is not None and tag.name in ("div", "span", "p")

    def figure_block(self, tag: Tag) -> list[str]:
        images = [image for image in tag.find_all("img") if not self.is_tiny(image)]
        caption_tag = tag.find("figcaption") or tag.find(class_=re.compile("caption|credit", re.IGNORECASE))
        caption = ""
        if isinstance(caption_tag, Tag):
            caption = " ".join(self.inline_content(caption_tag).replace(BREAK, " ").split())
            credits = [c for c in tag.find_all(class_=re.compile("credit", re.IGNORECASE))
                       if c is not caption_tag and caption_tag not in c.parents and c not in caption_tag.parents]
            for credit in credits:
                caption += " " + " ".join(self.inline_content(credit).split())
        credit_tags = tag.find_all(class_=re.compile("credit", re.IGNORECASE))
        inside = {id(c) for c in credit_tags}
        figure_credits = [credit_of_element(clean_text(text_of(c))) for c in credit_tags  # the outermost credit elements, else the
                          if not any(id(parent) in inside for parent in c.parents)]  # caption's trailing credit
        figure_credits = [text for text in figure_credits if text] or [
            credit for credit in [caption_credit(plain_text_of_markdown(caption))] if credit]
        if not images:
            if tag.find(["table", "blockquote", "pre", "ul", "ol", "p"]) is not None:
                inner = tag.find_all(["figcaption"])
                for found in inner:
                    found.extract()
                return self.blocks(tag) + ([md.escape_line_starts(caption)] if caption else [])
            return [md.figure(None, md.escape_line_starts(caption))] if caption else []
        blocks: list[str] = []
        for number, image in enumerate(images):
            last = number == len(images) - 1
            blocks += self.figure(image, caption if last else None, figure_credits if last else [])
        return blocks

    def figure(self, image: Tag, caption: str | None, credits: list[str] | None = None) -> list[str]:
        """An image and its caption as a figure; its credits (given, else the caption's own) are noted."""
        if credits is None:
            credits = [credit for credit in [caption_credit(plain_text_of_markdown(caption or ""))] if credit]
        for credit in credits:
            add_credit(self.credits, credit)
        source = self.image_source(image)
        caption_md = md.escape_line_starts(caption.strip()) if caption else ""
        if source.local is not None:
            return [md.figure(md.image(source.alt, self.media_path(source.local)), caption_md or None)]
        if source.remote is not None and self.fetch_remote is not None:
            fetched = self.fetch_remote(source.remote)
            if isinstance(fetched, Path):
                self.dropped.append(f"{image.sourceline or 1}: note: fetched remote image {source.remote}")
                return [md.figure(md.image(source.alt, self.media_path(fetched)), caption_md or None)]
            self.dropped.append(f"{image.sourceline or 1}: note: remote image not fetched ({fetched}), linked "
                                f"as “original image”: {source.remote}")
        elif source.remote is not None:
            self.dropped.append(f"{image.sourceline or 1}: note: remote image not copied, linked as "
                                f"“original image”: {source.remote} (--fetch-media downloads it)")
        if source.remote is not None:
            text = caption_md or md.escape_text(source.alt)
            link = md.link("original image", source.remote)
            return [md.figure(None, f"{text} {link}" if text else link)]
        return [md.figure(None, caption_md)] if caption_md else []

    def image_source(self, image: Tag) -> ImageSource:
        alt = clean_text(" ".join(str(image.get("alt") or "").split()))
        candidates: list[str] = []
        for name in ("data-src", "data-lazy-src", "data-original", "data-full-src", "data-url"):
            if image.get(name):
                candidates.append(str(image[name]))
        for name in ("data-srcset", "srcset", "data-lazy-srcset"):
            if image.get(name):
                candidates += largest_first(str(image[name]))
        picture = image.find_parent("picture")
        if isinstance(picture, Tag):
            for source in picture.find_all("source"):
                candidates += largest_first(str(source.get("srcset") or source.get("data-srcset") or ""))
        src = str(image.get("src") or "")
        if src and not is_placeholder(src):
            candidates.insert(0, src)
        for candidate in candidates:
            local = self.local_file(candidate)
            if local is not None:
                return ImageSource(local, None, alt)
        for candidate in candidates:
            remote = self.absolute(candidate)
            if remote is not None and not is_placeholder(remote):
                return ImageSource(None, remote, alt)
        return ImageSource(None, None, alt)

    def local_file(self, src: str) -> Path | None:
        """An image file saved beside the page (in `<name>_files/`), never outside the page's folder."""
        parts = urlsplit(src)
        if parts.scheme not in ("", "file") or parts.netloc or not parts.path:
            return None
        folder = self.page_file.parent.resolve()
        candidate = (folder / unquote(parts.path)).resolve()
        if folder not in candidate.parents or not candidate.is_file():
            return None
        return candidate if candidate.suffix.lower() in IMAGE_EXTENSIONS else None

    def is_large_image(self, image: Tag) -> bool:
        if self.is_tiny(image):
            return False
        for name in ("width", "height"):
            value = str(image.get(name) or "")
            if value.isdigit() and int(value) < 60:
                return False
        return True

    def is_tiny(self, image: Tag) -> bool:
        for name in ("width", "height"):
            value = str(image.get(name) or "")
            if value.isdigit() and int(value) <= 2:
                return True
        return False

    def holds_only_large_image(self, tag: Tag) -> bool:
        image = tag.find("img")
        return isinstance(image, Tag) and self.is_large_image(image) and not text_of(tag)

    # Inline ---------------------------------------------------------------------------------------

    def inline_content(self, element: Tag) -> str:
        parts = []
        for child in element.children:
            if isinstance(child, SKIPPED_STRINGS):
                continue
            if isinstance(child, NavigableString):
                parts.append(self.text(str(child)))
            elif isinstance(child, Tag):
                if child.name in ("p", "div", "li", "h2", "h3", "h4", "dd", "dt", "tr"):
                    parts.append(BREAK + self.inline_content(child) + BREAK)
                else:
                    parts.append(self.inline(child))
        return "".join(parts)

    def text(self, raw: str) -> str:
        return md.escape_inline(re.sub(r"[ \t\n\r\f]+", " ", clean_text(raw)))

    def inline(self, tag: Tag) -> str:
        name = tag.name
        if name == "br":
            return BREAK
        if name == "img":
            if self.is_large_image(tag):
                return ""
            return self.text(str(tag.get("alt") or ""))
        if name in ("script", "style"):
            return ""
        if name in EMPHASIS:
            return self.emphasis(EMPHASIS[name], tag)
        if name in ("code", "kbd", "samp", "tt"):
            return code_span(clean_text(tag.get_text()))
        content = self.inline_content(tag)
        if name == "a":
            return self.link(tag, content)
        if name == "q":
            return "“" + content + "”"
        return content

    def emphasis(self, marker: str, tag: Tag) -> str:
        depth = self.emphasis_depth.get(marker, 0)
        self.emphasis_depth[marker] = depth + 1
        try:
            content = self.inline_content(tag)
        finally:
            self.emphasis_depth[marker] = depth
        if depth or not content.strip() or BREAK in content:
            return content
        core = content.strip(" ")
        lead = content[: len(content) - len(content.lstrip(" "))]
        trail = content[len(content.rstrip(" ")) :]
        return f"{lead}{marker}{core}{marker}{trail}"

    def link(self, tag: Tag, content: str) -> str:
        href = str(tag.get("href") or "").strip()
        if not content.strip() or not href or href.startswith(("#", "javascript:")):
            return content
        url = self.absolute(href)
        if url is None:
            self.dropped.append(f"{tag.sourceline or 1}: note: link “{href}” kept as plain text: "
                                "the page does not say its own address, so it cannot be made absolute")
            return content
        core = content.strip(" ")
        lead = content[: len(content) - len(content.lstrip(" "))]
        trail = content[len(content.rstrip(" ")) :]
        return lead + md.link(core.replace(BREAK, " "), url) + trail

    def absolute(self, url: str) -> str | None:
        """An absolute http(s)/mailto URL, resolved against the page's address; None if it cannot be."""
        url = url.strip()
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("http", "https", "mailto", "tel"):
            return url
        if scheme or url.startswith("data:"):
            return None
        if url.startswith("//"):
            return "https:" + url
        if self.base_url is None:
            return None
        return urljoin(self.base_url, url)


CAPTION_CLASS = re.compile(r"caption|desc|legend|credit|pic|photo|image|img", re.IGNORECASE)


def is_caption_like(tag: Tag) -> bool:
    """A short block under an image that reads as its caption: a caption-ish class, centred, or italic."""
    text = text_of(tag)
    if not text or len(text) > 300 or tag.name not in ("p", "div", "span", "i", "em", "small", "font", "center"):
        return False
    if tag.find(["img", "table", "ul", "ol", "h2", "h3"]) is not None:
        return False
    classes = " ".join(tag.get("class") or [])
    style = str(tag.get("style") or "").replace(" ", "").lower()
    centred = str(tag.get("align") or "").lower() == "center" or "text-align:center" in style or tag.name == "center"
    italic = tag.name in ("i", "em") or [child.name for child in tag.find_all(True, recursive=False)] in (["i"], ["em"])
    return bool(CAPTION_CLASS.search(classes)) or centred or italic


def largest_first(srcset: str) -> list[str]:
    """The URLs of a srcset, widest (or highest density) first."""
    entries = []
    for part in re.split(r",\s+", srcset.strip()):
        bits = part.strip().split()
        if not bits:
            continue
        size = 0.0
        if len(bits) > 1:
            match = re.match(r"([\d.]+)([wx])", bits[1])
            if match:
                size = float(match.group(1)) * (1 if match.group(2) == "w" else 1000)
        entries.append((size, bits[0]))
    return [url for _size, url in sorted(entries, key=lambda entry: -entry[0])]


def code_span(code: str) -> str:
    code = " ".join(code.split())
    if not code:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def plain_text_of_markdown(markdown_text: str) -> str:
    """Rough plain text of inline Markdown, enough to test what a paragraph says."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    text = re.sub(r"(?<!\\)[*]", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.replace(BREAK, " ").split())
