"""The search index, made at build time: plain <script> files that search.js inserts when a query needs them.

    search/index.js      what every query needs first: the documents (url, title, kind) and the term shards
    search/entities.js   every entity's name, aliases, kind and summary (found by name as the reader types)
    search/t/<n>.js      one term shard: the words of the edition that begin with its key, each with its stem
                         and its postings (document, count), for ranking documents
    search/d/<n>.js      one document's passages (an article's paragraphs and passage notes, an entity's gloss):
                         the text a query's snippets and ¶ links come from

A query loads index.js and entities.js, the shards of its words and the passages of the documents it shows:
never the whole index. Words are folded (text.fold) and grouped by their Snowball stem for the edition's
language, so search.js needs no stemmer of its own: "sanctions" finds "sanctioned" through the shard.
Every file is a call `GlossSearch.add(name, data)` (JSON data, sorted), so the same edition gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring as _json_string  # type: ignore[attr-defined]  # (dumps' own)

import snowballstemmer

from .text import WORD, fold_word

VERSION = 1
SHARD_BYTES = 48_000
DOCUMENTS_PER_FILE = 4  # passages of this many documents to a file: 1,000 one-document files cost more to write  # a term shard bigger than this is split by the next letter of its words
KEY_LENGTH = 2  # a shard's key: the first letters of its words (longer where split)
MAX_KEY_LENGTH = 8

# ISO 639-1 code -> Snowball algorithm (snowballstemmer.algorithms()); other languages are not stemmed.
STEMMERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@dataclass(frozen=True)
class Document:
    """What one result group links to: an article (its title, paragraphs and passage notes) or an entity's
    gloss. `passages` are (anchor, plain text): anchor "p4" is ¶ 4, "pn2" passage note 2, "" the page itself."""

    url: str
    title: str
    kind: str  # "" for an article; the entity's kind (singular) for a gloss
    passages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Indexed:
    """A document as the index keeps it: its passages (JSON) and its words (folded) with their counts."""

    passages: str
    counts: dict[str, int]


@dataclass(frozen=True)
class EntityEntry:
    name: str
    aliases: tuple[str, ...]
    kind: str
    summary: str
    url: str


def js_call(name: str, data: object) -> str:
    return f"GlossSearch.add({json.dumps(name)},{dumps(data)});\n"


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def index_document(document: Document) -> Indexed:
    """A document's passages as JSON and its folded words counted (the title's words count too)."""
    counts: dict[str, int] = {}
    # The text is split at whitespace (which no word holds) and each distinct piece is read for its words once
    # per edition (`piece_words`): a regular expression over every character of every document cost 1.6
    # times more. Words are found in the text as it is (lower-casing first would split "İ" into "i" and a
    # combining dot) and folded one distinct word at a time (`fold_word`).
    for piece, count in Counter("\n".join([text for _, text in document.passages]).split()).items():
        for folded in piece_words(piece):
            counts[folded] = counts.get(folded, 0) + count
    passages = ",".join([f"[{_json_string(anchor)},{_json_string(text)}]" for anchor, text in document.passages])
    return Indexed(f"[{passages}]", counts)


@lru_cache(maxsize=1 << 17)
def piece_words(piece: str) -> tuple[str, ...]:
    """The folded words of a piece of text with no whitespace in it ("Lavrov’s" -> "lavrov", "s")."""
    return tuple([fold_word(word) for word in WORD.findall(piece)])


def stemmer_for(language: str) -> Callable[[str], str]:
    """The Snowball stemmer of a BCP 47 language tag's language, or no stemming."""
    algorithm = STEMMERS.get(language.split("-")[0].lower())
    if algorithm is None:
        return lambda word: word
    return lru_cache(maxsize=None)(snowballstemmer.stemmer(algorithm).stemWord)


def build_index(documents: list[Document], indexed: list[Indexed], entities: Iterable[EntityEntry],
                language: str) -> dict[str, str]:
    """Every file of search/ (path relative to the site root -> text)."""
    stem = stemmer_for(language)
    postings: dict[str, list[int]] = {}
    for number, item in enumerate(indexed):
        for word, count in item.counts.items():
            found = postings.get(word)
            if found is None:
                postings[word] = [number, count]
            else:
                found += (number, count)
    # Postings as [document delta, count, …]: small numbers, short JSON.
    files: dict[str, str] = {}
    groups: dict[str, dict[str, list]] = {}
    for word in sorted(postings):
        flat = postings[word]
        delta: list[int] = []
        last = 0
        for i in range(0, len(flat), 2):
            delta += (flat[i] - last, flat[i + 1])
            last = flat[i]
        groups.setdefault(word[:KEY_LENGTH], {})[word] = [stem(word), delta]
    shards: list[tuple[str, dict[str, list]]] = []
    pending = sorted(groups.items())
    while pending:
        key, words = pending.pop(0)
        if len(dumps(words).encode()) > SHARD_BYTES and len(key) < MAX_KEY_LENGTH:
            deeper: dict[str, dict[str, list]] = {}
            for word, entry in words.items():
                deeper.setdefault(word[:len(key) + 1], {})[word] = entry
            if len(deeper) > 1:
                pending = sorted([*pending, *deeper.items()])
                continue
        shards.append((key, words))
    shards.sort()
    manifest_shards = []
    for number, (key, words) in enumerate(shards):
        stems: dict[str, int] = {}
        data = {w: [stems.setdefault(s, len(stems)), p] for w, (s, p) in sorted(words.items())}
        text = js_call(f"t/{number}", data)
        files[f"search/t/{number}.js"] = text
        manifest_shards.append([key, len(text.encode())])
    for first in range(0, len(indexed), DOCUMENTS_PER_FILE):
        group = ",".join(f'"{n}":{indexed[n].passages}'
                         for n in range(first, min(first + DOCUMENTS_PER_FILE, len(indexed))))
        number = first // DOCUMENTS_PER_FILE
        files[f"search/d/{number}.js"] = f'GlossSearch.add("d/{number}",{{{group}}});\n'
    manifest = {
        "v": VERSION,
        "docs": [[d.url, d.title, d.kind] for d in documents],
        "per_file": DOCUMENTS_PER_FILE,
        "shards": manifest_shards,
    }
    files["search/index.js"] = js_call("index", manifest)
    files["search/entities.js"] = js_call("entities", [[e.name, list(e.aliases), e.kind, e.summary, e.url]
                                                       for e in entities])
    return files
