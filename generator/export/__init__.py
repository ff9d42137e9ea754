"""Open data out of an edition: W3C Web Annotations, schema.org JSON-LD, "Cite this" with BibTeX/RIS/CSL-JSON
(written by `gloss build` through render/open_data.py, each left out when site.toml's [exports] turns it off),
and the TEI and entity exports of `gloss export`. The modules here make data; none imports render/ but for
URLs, and the HTML they end up in is render/'s."""

from __future__ import annotations

from ..model import Article


def fingerprints(article: Article, page: str) -> dict[str, str]:
    """The data files of `article` depend on what its page does (`page`: the page's fingerprint), so a rebuild
    takes them from the previous build when the page is unchanged."""
    return {path: page for path in (f"data/{article.slug}.annotations.jsonld", f"data/cite/{article.slug}.bib",
                                    f"data/cite/{article.slug}.ris", f"data/cite/{article.slug}.csl.json")}
