"""Authority identifiers an entity may carry (Wikidata, VIAF, GeoNames, GND, ORCID): their form, and the
address of each record. What `gloss check` checks, entity pages and notes link to, and schema.org's sameAs
lists."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Authority:
    field: str  # the entity field, e.g. "wikidata"
    label: str  # as a link shows it
    pattern: re.Pattern[str]
    url: str  # the record's address, {id} filled in
    example: str
    form: str  # the form, in words, for the error message


# The forms are the format constraints Wikidata states for these identifiers (P214 VIAF, P227 GND, P1566
# GeoNames, P496 ORCID), which it checks its own values against.
AUTHORITIES: tuple[Authority, ...] = (
    Authority("wikidata", "Wikidata", re.compile(r"Q[1-9]\d*"), "https://www.wikidata.org/wiki/{id}", "Q7747",
              "Q followed by digits"),
    Authority("viaf", "VIAF", re.compile(r"[1-9]\d(?:\d{0,7}|\d{17,20})"), "https://viaf.org/viaf/{id}",
              "32067296", "2 to 9, or 19 to 22, digits"),
    Authority("geonames", "GeoNames", re.compile(r"[1-9]\d{0,8}"), "https://www.geonames.org/{id}", "2017370",
              "up to 9 digits"),
    Authority("gnd", "GND", re.compile(r"1[012]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X]"),
              "https://d-nb.info/gnd/{id}", "118594893", "a GND number such as 118594893 or 4005728-8"),
    Authority("orcid", "ORCID", re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"), "https://orcid.org/{id}",
              "0000-0002-1825-0097", "four groups of four digits, the last may end in X"),
)
BY_FIELD = {a.field: a for a in AUTHORITIES}
FIELDS = tuple(BY_FIELD)


def problem(field: str, value: object) -> str | None:
    """What is wrong with `value` as the `field` identifier, or None when its form is right."""
    authority = BY_FIELD[field]
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
    if text is None:
        return f"`{field}` must be text, e.g. {field} = \"{authority.example}\""
    if not authority.pattern.fullmatch(text):
        return f"`{field}` {text!r} is not a {authority.label} identifier ({authority.form}, e.g. {authority.example})"
    if field == "orcid" and not _orcid_checksum(text):
        return f"`orcid` {text!r} has a wrong check digit (its last character)"
    return None


def _orcid_checksum(orcid: str) -> bool:
    """ISO 7064 11,2, as ORCID computes the last character."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def links(identifiers: dict[str, str]) -> list[tuple[str, str]]:
    """(label, URL) of each record, in the order of AUTHORITIES."""
    return [(a.label, a.url.format(id=identifiers[a.field])) for a in AUTHORITIES if a.field in identifiers]
