"""A small edition for the open-data tests: every kind of block the renderer writes (headings, lists, a table,
code, a blockquote, a figure, footnotes, hard breaks, raw HTML, characters outside the BMP), mentions in all
of them, passage notes, and entities with authority identifiers."""

from __future__ import annotations

import json
from pathlib import Path

CONTEXTS = Path(__file__).parent / "contexts"

SITE = """
-- site.toml --
title = "Open data edition"
description = "An edition for testing what Gloss exports."
author = "The Test Editors"
raw_html = true
-- content/talks.md --
+++
title = "Talks in Sochi & after"
author = "Pavel Writer"
date = 2019-05-16
publication = "Eurasia Daily Monitor"
volume = 16
issue = 72
source = "https://example.org/edm/talks"
summary = "What the talks in Sochi meant."
+++

::: figure
Sergei Lavrov in Sochi (Source: RIA Novosti)
:::

On May 14, Sergei Lavrov met Mike Pompeo in Sochi. Lavrov’s aide  was there;  spaces   collapse.
Pompeo said “a long and very good conversation” 🙂 took place, and Lavrov agreed.

## After Sochi, in Moscow

- Lavrov flew home.
- Pompeo flew to Brussels.
  A second line of the same item.

1. First, Sochi again.
2. Then Moscow.

> Lavrov said: “We are open.”
> Line two of the quote with Pompeo.

| Who | Where |
|-----|-------|
| Lavrov | Sochi |
| Pompeo | Moscow |

Line one with a hard break\\
and Lavrov after it.

```text
Lavrov in code   is not a mention
  indented
```

<div class="boxed"><p>Raw HTML about Lavrov &amp; <em>Pompeo</em>.</p></div>

A footnote here[^1] and Sochi after it, then **bold Lavrov** and *Pompeo in italics*.

[^1]: The note mentions Moscow.

Last words: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 then Pompeo.
-- content/second.md --
+++
title = "A second article"
date = 2019-06-01
+++

Pompeo and Lavrov again, in Moscow.
-- annotations/people/sergei-lavrov.md --
+++
name = "Sergei Lavrov"
aliases = ["Lavrov", "Sergei Lavrov"]
summary = "Russia's foreign minister since 2004."
born = 1950-03-21
role = "Foreign Minister of Russia"
wikidata = "Q178297"
viaf = "32067296"
orcid = "0000-0002-1825-0097"
+++
A gloss on [[mike-pompeo|his counterpart]].
-- annotations/people/mike-pompeo.md --
+++
name = "Mike Pompeo"
aliases = ["Pompeo", "Michael Pompeo"]
born = 1963-12-30
+++
US Secretary of State from 2018 to 2021.
-- annotations/places/sochi.md --
+++
name = "Sochi"
summary = "A Russian resort city on the Black Sea."
geonames = "491422"
+++
Resort.
-- annotations/places/moscow.md --
+++
name = "Moscow"
wikidata = "Q649"
gnd = "4040056-6"
+++
Capital.
-- annotations/institutions/ria-novosti.md --
+++
name = "RIA Novosti"
founded = 1941
+++
Agency.
-- annotations/events/sochi-talks.md --
+++
name = "Sochi talks"
aliases = ["May 14"]
date = 2019-05-14
place = "Sochi"
+++
The talks.
-- annotations/notes/talks.toml --
[[note]]
exact = "a long and very good conversation"
body = "Trump's words after his call with Putin."

[[note]]
exact = "spaces   collapse"
body = "A note on a passage with *Markdown* in it."
"""


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader with nothing fetched: the two contexts Gloss's JSON-LD names, from tests/contexts."""
    files = {"http://www.w3.org/ns/anno.jsonld": "anno.jsonld", "https://www.w3.org/ns/anno.jsonld": "anno.jsonld",
             "https://schema.org": "schemaorg-excerpt.jsonld", "https://schema.org/": "schemaorg-excerpt.jsonld",
             "http://schema.org": "schemaorg-excerpt.jsonld", "http://schema.org/": "schemaorg-excerpt.jsonld"}
    if url not in files:
        raise AssertionError(f"JSON-LD asked for a context that is not kept in tests/contexts: {url}")
    document = json.loads((CONTEXTS / files[url]).read_text(encoding="utf-8"))
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}
