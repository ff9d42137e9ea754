"""The proper names in an article's text, as whole names, grouped and kinded.

A name is a run of capitalised words, initials and dotted abbreviations (U.S., George H.W. Bush), joined by the
particles of the article's language (of, de la, van der …) where the language allows it, without the sentence
openers, calendar words and titles in front of it (its title is kept as evidence of a person). Single words
count when they are capitalised mid-sentence (not in German, where every noun is) or are places, acronyms or
rare words. Possessives are cut off, a surname alone joins the full name it belongs to, and an acronym joins
the expansion written beside it or whose initials it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, fold
from .kinds import KindGuess, _head_kind, guess_kind
from .language import Language

# Tokens: a French elision (l', d' …), dotted initials (U.S., H.W.), one initial before a name (K. Bannon), a word
# (with apostrophes, hyphens, digits and a web domain's ending: Workers', Viollet-le-Duc, G20, Kremlin.ru).
_TOKEN = re.compile(r"(?P<elision>\b(?:[LlDdJjNnSsMmTtCc]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)'(?=[^\W\d_]))"
                    r"|(?P<initials>(?<!\w)(?:[^\W\d_]\.){2,}(?!\w))"
                    r"|(?P<initial>(?<!\w)[^\W\d_a-z]\.(?=[ \n][^\W\d_]))"
                    r"|(?P<word>[^\W\d_](?:\w|['-](?=\w))*(?:'s(?!\w)|(?<=s)'(?!\w))?(?:\.(?:ru|com|org|net|gov|fr|de|es|nl|uk|eu)\b)?)")
_ROMAN = re.compile(r"^[IVXLCDM]+(?:e|er|ème|º|o)?$")
_ACRONYM = re.compile(r"^(?:[A-Z0-9ÀÉÖÜ]{2,}|[A-Z][A-Z0-9]*[0-9][A-Z0-9]*|(?:[A-Z]\.){2,})$")
_SENTENCE_END = ".!?:…"
_SKIP_BACK = " \t\"“”‘'«»„()[]*_#>-–—"
_DEMONYM_SUFFIXES = ("ians", "ian", "eans", "ean", "ans", "an", "ish", "ese", "ic", "is", "i", "iens", "ien", "ienne",
                     "ois", "oise", "ais", "aise", "ano", "anos", "ana", "anas", "eño", "eños", "ense", "ische", "isch",
                     "er", "ers", "se", "sche", "en", "s")


@dataclass
class Occurrence:
    start: int
    end: int
    text: str  # as written, possessive cut off
    title: str = ""  # the title written in front of it ("President")
    before: str = ""  # a generic word in front of it ("cathédrale")
    after: str = ""  # an event word after it ("incident")
    cited: bool = False  # "(Interfax, May 3)": a source cited in brackets
    initial: bool = False  # at the start of a sentence


@dataclass
class FoundName:
    """A name the text uses, with every form it takes and where."""

    name: str
    forms: list[str]
    occurrences: list[Occurrence] = field(default_factory=list)
    kind: KindGuess | None = None

    @property
    def count(self) -> int:
        return len(self.occurrences)

    @property
    def aliases(self) -> list[str]:
        """The forms to give as aliases: the name first, then the others as the text writes them."""
        return [self.name] + [f for f in self.forms if f != self.name]


@dataclass
class _Token:
    start: int
    end: int
    text: str
    kind: str  # elision, initials, initial, word

    @property
    def capital(self) -> bool:
        first = self.text[0]
        return self.kind != "elision" and (first.isupper() or (self.text[:3] in ("al-", "el-") and len(self.text) > 3
                                                              and self.text[3].isupper()))


def find_names(text: str, lang: Language, places: Gazetteer, covered: Iterable[tuple[int, int]] = ()) -> list[FoundName]:
    """The names in text (Markdown with code, links and [[refs]] blanked out, apostrophes normalised), less those
    overlapping a covered span, in order of first appearance."""
    tokens = [_Token(m.start(), m.end(), m.group(), m.lastgroup or "word") for m in _TOKEN.finditer(text)]
    spans = sorted(covered)
    starts = [s for s, _ in spans]

    def is_covered(start: int, end: int) -> bool:
        index = bisect_right(starts, end - 1) - 1
        while index >= 0:
            s, e = spans[index]
            if e > start:
                return True
            if s < start - 500:
                return False
            index -= 1
        return False

    runs = list(_runs(text, tokens, lang))
    found = []
    mid_sentence_words: set[str] = set()
    taken = 0  # where the last name ended: a name may take lower-case words a later run starts in
    for run in runs:
        if tokens[run[0]].start < taken:
            continue
        occurrence = _occurrence(text, run, tokens, lang, places)
        if occurrence is not None:
            taken = occurrence.end
        if occurrence is not None and not is_covered(occurrence.start, occurrence.end):
            found.append(occurrence)
            if not occurrence.initial:
                mid_sentence_words.add(fold(occurrence.text))
            if " " in occurrence.text:  # a surname opening a sentence: "Öcalan is in prison."
                mid_sentence_words.add(fold(occurrence.text.split()[-1]))
    names = [o for o in found if _keep(o, lang, places, mid_sentence_words)]
    names = _split_compounds(names, {fold(o.text) for o in names})
    return _group(names, text, lang, places)


def _runs(text: str, tokens: list[_Token], lang: Language):
    """Index ranges [i, j) of tokens that may make one name."""
    i = 0
    n = len(tokens)
    while i < n:
        if not tokens[i].capital:
            i += 1
            continue
        j = i + 1
        while j < n:
            gap = text[tokens[j - 1].end:tokens[j].start]
            if gap not in (" ", "\n"):
                break
            previous = tokens[j - 1].text
            if previous.endswith("'") and not _joins_after_possessive(previous, tokens, j - 1):
                break
            if previous.endswith("'s") and not _joins_after_possessive(previous, tokens, j - 1):
                break
            if tokens[j].capital:
                j += 1
                continue
            # particles: up to two, then a capitalised word
            k = j
            while k < n and k - j < 2 and _is_particle(tokens[k], lang) and text[tokens[k - 1].end:tokens[k].start] in (
                    " ", "\n"):
                k += 1
            if k > j and k < n and tokens[k].capital and text[tokens[k - 1].end:tokens[k].start] in (" ", "\n", "") \
                    and _particle_joins(tokens[i:j], [t.text for t in tokens[j:k]], lang):
                j = k + 1
                continue
            break
        yield i, j
        i = j


def _is_particle(token: _Token, lang: Language) -> bool:
    return token.kind == "elision" or token.text in lang.particles


def _particle_joins(run: list[_Token], particles: list[str], lang: Language) -> bool:
    """Whether `run particles Capital` is one name: person particles join (Johan van Veen); other words (of, der,
    für) only after a word that heads institutions, events and places or a title (Council on …, Duke of York)."""
    words = [t.text.rstrip("'").removesuffix("'s") for t in run]
    first = particles[0].lower().rstrip("'")
    heads = any(_head_kind(word, lang) for word in words) or words[-1] in lang.titles
    if heads:
        return first in lang.links or first in lang.person_particles and first not in ("de", "der", "den") \
            or lang.code in ("es", "fr") and first in lang.particles
    return first in lang.person_particles and len(words) <= 3 and len(particles) <= 2 \
        and not any(t.text in lang.person_particles for t in run)


def _joins_after_possessive(word: str, tokens: list[_Token], index: int) -> bool:
    """Workers’ Party, People’s Protection Units, St Paul’s Cathedral are one name; Russia’s Foreign Ministry two."""
    if word.endswith("s'"):
        return True
    stem = word.removesuffix("'s").removesuffix("'").lower()
    if stem in ("people", "children", "women", "men", "workers", "veterans"):
        return True
    return index > 0 and tokens[index - 1].text in ("St", "Saint", "St.")


def _sentence_initial(text: str, start: int) -> bool:
    at = start - 1
    while at >= 0:
        char = text[at]
        if char == "\n":
            line_start = text.rfind("\n", 0, at) + 1
            if not text[line_start:at].strip() or re.match(r"\s*(?:[#>*+-]|\d+[.)]|:::)", text[line_start:at]):
                return True
        elif char not in _SKIP_BACK:
            return char in _SENTENCE_END
        at -= 1
    return True


def _occurrence(text: str, run: tuple[int, int], tokens: list[_Token], lang: Language,
                places: Gazetteer) -> Occurrence | None:
    i, j = run
    words = tokens[i:j]
    initial = _sentence_initial(text, words[0].start)
    # sentence openers, particles and calendar words in front; particles, stop and calendar words behind
    while words and (words[0].kind == "elision" or words[0].text.lower() in lang.particles
                     or (lang.is_stop(words[0].text) and (initial or len(words) == 1))
                     or words[0].text in lang.calendar):
        words = words[1:]
        initial = False
    while words and (words[-1].kind == "elision" or words[-1].text.lower() in lang.particles
                     or words[-1].text in lang.calendar or _ROMAN.match(words[-1].text) and len(words) == 1):
        words = words[:-1]
    if not words:
        return None
    title = ""
    k = 0
    while k < len(words):
        if words[k].text in lang.titles:
            k += 1
        elif k > 0 and words[k - 1].text in lang.titles and words[k].text in lang.particles and k + 1 < len(words):
            k += 2
        else:
            break
    if k == 0:  # "US Secretary of State Michael Pompeo", "Russian Foreign Minister Sergei Lavrov"
        for t in range(len(words) - 2, 0, -1):
            if words[t].text not in lang.titles:
                continue
            after = t + 1
            if words[after].text in lang.particles and after + 2 < len(words):
                after += 2  # Secretary of State
            if words[after].text not in lang.titles and words[after].capital \
                    and not any(_head_kind(w.text, lang) for w in words[after:]) \
                    and not _head_kind(words[0].text, lang):
                k = after
            break
    if k == len(words) and all(w.text in lang.titles for w in words):
        return None  # titles alone: Lord Mayor (but Duke of York is a name)
    if 0 < k < len(words) and words[k].capital and not any(_head_kind(w.text, lang) for w in words[k:]):
        title = " ".join(w.text for w in words[:k])
        words = words[k:]
        initial = False
    if lang.nouns_capitalised and len(words) > 1 and not any(_head_kind(w.text, lang) for w in words):
        if initial and all(lang.common(w.text) >= 4.0 and w.text not in places for w in words):
            return None  # "Tausende Menschen": a German sentence opening with two nouns
        if _previous_word(text, words[0].start, 1).lower() in lang.determiners:
            words = words[1:]  # "sein Nachfolger Egon Krenz": a German noun before a name
    start, end = words[0].start, words[-1].end
    name = text[start:end]
    # a lower-case tail in languages that write "Assemblée nationale", "Fondation du patrimoine"
    if lang.head_first and _head_kind(words[0].text, lang):
        end = _head_first_tail(text, tokens, i + tokens[i:j].index(words[-1]) + 1, lang, len(words) == 1) or end
    before = ""
    previous = _previous_word(text, start)
    if previous and previous.lower() in lang.generic_before:
        # "île de la Cité", "guerra de los Seis Días": the generic word is part of the name when particles join it
        particles = "|".join(map(re.escape, sorted(lang.particles)))
        joined = re.search(rf"(?<!\w)({re.escape(previous)}((?:\s+(?:{particles}))+)\s+)$", text[:start])
        if joined or _previous_word(text, start, 1) == previous:
            before = previous.lower()
        if joined and before in lang.generic_in_name:
            start = start - len(joined.group(1))
    after = ""
    following = re.match(r"[ \n]+([^\W\d_]+)", text[end:end + 40])
    if following and following.group(1) in lang.event_after and not words[-1].text.endswith(("'s", "'")):
        after = following.group(1)
        end = end + following.end()
    name = text[start:end].replace("\n", " ")
    name = re.sub(r"'s?$", "", name) if not after else name
    if not name or not name[0].isalpha():
        return None
    if " " not in name and text[end:end + 1] == ":" and re.search(r"(?:^|\n|\()\s*$", text[:start]):
        return None  # a label: "(Source: RIA Novosti)", "Photo: …"
    cited = bool(re.match(r",\s+(?:" + "|".join(sorted(lang.calendar or {"x"})) + r"|\d)", text[end:end + 20])) \
        and text[:start].rstrip().endswith("(")
    return Occurrence(start, end, name, title=title, before=before, after=after, cited=cited, initial=initial)


def _previous_word(text: str, start: int, at_most: int = 3) -> str:
    """The word before start, over up to two short words (particles) when at_most is 3, else just before."""
    if at_most == 1:
        found = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 40):start])
    else:
        found = re.search(r"([^\W\d_]+)(?:\s+(?:[^\W\d_]{1,3}|d'|l'))*\s+$", text[max(0, start - 40):start])
    return found.group(1) if found else ""


def _head_first_tail(text: str, tokens: list[_Token], index: int, lang: Language, single: bool) -> int:
    """Where a head-first name ends: one adjective right after a lone head word, then particle + word groups."""
    end = 0
    n = len(tokens)
    if single and index < n and not tokens[index].capital and tokens[index].kind == "word" \
            and text[tokens[index - 1].end:tokens[index].start] == " " and not lang.is_stop(tokens[index].text) \
            and tokens[index].text not in lang.particles:
        end = tokens[index].end
        index += 1
    steps = 0
    while index < n and steps < 3:
        k = index
        while k < n and _is_particle(tokens[k], lang) and k - index < 2 \
                and text[tokens[k - 1].end:tokens[k].start] in (" ", ""):
            k += 1
        if k == index or k >= n or text[tokens[k - 1].end:tokens[k].start] not in (" ", "") \
                or lang.is_stop(tokens[k].text) or tokens[k].kind != "word":
            break
        end = tokens[k].end
        index = k + 1
        steps += 1
    return end


def _is_demonym(word: str, places: Gazetteer, names: set[str]) -> bool:
    """Russian, Kurdish, Parisiens, Zuid-Hollandse: a word made from a place's or another name's stem."""
    lower = fold(word)
    if lower in places.places:
        return False
    for suffix in _DEMONYM_SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            stem = lower[: len(lower) - len(suffix)]
            short = suffix in ("i", "s", "is", "se", "en", "er", "ers")
            endings = (stem,) if short else (stem, stem + "a", stem + "e", stem + "ia", stem + "y", stem[:-1] + "ey")
            if any(candidate in places.places for candidate in endings):
                return True
            prefix = stem[: max(4, len(stem) - 1)] if not short else stem
            if any(not n.startswith(lower) and n.startswith(prefix) for n in names):
                return True
    return False


def _keep(o: Occurrence, lang: Language, places: Gazetteer, mid_sentence: set[str]) -> bool:
    """Whether an occurrence is a name: every multi-word run is; single words by the rules of the language."""
    word = o.text
    if " " in word or o.after or o.before:
        return True
    if _ROMAN.match(word) or word in lang.calendar or word == "I":
        return False
    if _ACRONYM.match(word):
        return True
    if "." in word:  # Kremlin.ru
        return True
    in_places = word in places or any(part in places for part in word.split("-") if part[:1].isupper())
    if o.title:
        return True
    if lang.nouns_capitalised:
        return in_places or bool(_head_kind(word, lang)) and len(word) > 8
    if lang.is_stop(word):
        return False
    if o.initial:
        return in_places or fold(word) in mid_sentence or lang.common(word) < 3.0
    return True


def _split_compounds(names: list[Occurrence], known: set[str]) -> list[Occurrence]:
    """Trump-Putin is two names when each part is a name elsewhere in the text; demonyms are dropped after."""
    out: list[Occurrence] = []
    for o in names:
        parts = o.text.split("-")
        if len(parts) > 1 and " " not in o.text and not o.after and all(p[:1].isupper() for p in parts) \
                and any(fold(p) in known for p in parts):
            at = o.start
            for part in parts:
                out.append(Occurrence(at, at + len(part), part, initial=o.initial and at == o.start))
                at += len(part) + 1
        else:
            out.append(o)
    return out


def _group(names: list[Occurrence], text: str, lang: Language, places: Gazetteer) -> list[FoundName]:
    known = {fold(o.text) for o in names}
    surnames = {name.split()[-1] for name in known if " " in name}
    by_key: dict[str, FoundName] = {}
    for o in names:
        if " " not in o.text and not _ACRONYM.match(o.text) and not o.title and not o.after \
                and fold(o.text) not in surnames and _is_demonym(o.text, places, known):
            continue
        key = fold(o.text)
        entry = by_key.get(key)
        if entry is None:
            entry = by_key[key] = FoundName(o.text, [o.text])
        elif o.text not in entry.forms:
            entry.forms.append(o.text)
        entry.occurrences.append(o)
    entries = list(by_key.values())
    for entry in entries:
        entry.kind = guess_kind(entry, lang, places)
    # an acronym in brackets right after a name, or whose letters are a name's initials, is that name
    merged: dict[int, FoundName] = {}
    ordered = sorted(entries, key=lambda e: e.occurrences[0].start)
    for entry in ordered:
        if not _ACRONYM.match(entry.name):
            continue
        letters = entry.name.replace(".", "")
        for other in ordered:
            if other is entry or id(other) in merged or " " not in other.name:
                continue
            beside = any(re.match(r"['s]*\s*\((?:[^()]{0,60}?[—–,-]\s*)?" + re.escape(entry.name) + r"\)",
                                  text[o.end:o.end + 80]) for o in other.occurrences)
            initials = "".join(w[0] for w in other.name.split() if w[0].isupper() and w not in lang.particles)
            if beside or (len(letters) >= 2 and initials == letters):
                merged[id(entry)] = other
                break
    # a bracketed name right after another ("Foreign Intelligence Service’s (Sluzhba Vneshney Razvedki—SVR)")
    for entry in ordered:
        if id(entry) in merged or " " not in entry.name:
            continue
        for other in ordered:
            if other is entry or id(other) in merged or other.occurrences[0].start > entry.occurrences[0].start:
                continue
            if any(re.match(r"['s]*\s*\(" + re.escape(entry.name) + r"[—–,)]", text[o.end:o.end + 80])
                   for o in other.occurrences):
                merged[id(entry)] = other
                break
    # "James, Duke of York": a title of a place right after a name is that person
    for entry in ordered:
        words = entry.name.split()
        if id(entry) in merged or len(words) < 3 or words[0] not in lang.titles or words[1] not in lang.particles:
            continue
        for other in ordered:
            if other is not entry and id(other) not in merged and any(
                    text[o.end:o.end + 3].startswith(", ") and text[o.end + 2:o.end + 2 + len(entry.name)] == entry.name
                    for o in other.occurrences):
                merged[id(entry)] = other
                break
    # "St Paul" is "St Paul's Cathedral" when that is the one longer name it begins
    for entry in ordered:
        if id(entry) in merged or " " not in entry.name:
            continue
        key = fold(entry.name)
        longer = [o for o in ordered if o is not entry and id(o) not in merged and fold(o.name).startswith(key + " ")
                  or fold(o.name).startswith(key + "'s ")]
        if len(longer) == 1:
            merged[id(entry)] = longer[0]
    # a surname (or any last word) alone is the one full name ending with it
    for entry in ordered:
        if id(entry) in merged or " " in entry.name or _ACRONYM.match(entry.name):
            continue
        key = fold(entry.name)
        owners = [o for o in ordered if o is not entry and id(o) not in merged and " " in o.name
                  and fold(o.name.split()[-1]) == key]
        if len(owners) == 1:
            owner = owners[0]
            if entry.name in places and owner.kind is not None and owner.kind.kind != "person":
                continue
            merged[id(entry)] = owner
    result = []
    for entry in ordered:
        target = merged.get(id(entry))
        while target is not None and id(target) in merged:
            target = merged[id(target)]
        if target is None:
            result.append(entry)
            continue
        target.occurrences.extend(entry.occurrences)
        target.occurrences.sort(key=lambda o: o.start)
        target.forms.extend(f for f in entry.forms if f not in target.forms)
    for entry in result:
        # the fullest form names the entry: the one of most words, the first written of those
        entry.name = max(entry.forms, key=lambda f: len(f.split()))
        entry.kind = guess_kind(entry, lang, places)
    return result
